"""Idle cost of the real kiosk on each screen: nobody touches it, how much CPU does it burn?

    xvfb-run -a -s "-screen 0 1920x1080x24" python tests/bench/idle_probe.py DATA_DIR [SECONDS]

The app runs as the kiosk runs it (animations on, Kivy's 60 fps cap, the event loop pumped exactly
as ``App.run`` pumps it). For each screen (welcome, home, category, service, search) it opens the
screen, lets it settle for two seconds, then counts in three windows of SECONDS each (default 10): CPU time of the
whole process (every thread: ``time.process_time``), buffer swaps (frames drawn) and loop
iterations. Prints one JSON line: ``{screen: {"cpu_percent": [..], "fps": [..]}}``.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import kivyharness as kh  # noqa: E402  (imports no Kivy itself)


def first_ids(app) -> tuple[str, str]:
    from sqlalchemy import select

    from kiosk.catalogue import models as m

    with app.reads.catalogue.session() as s:
        service_id = s.scalars(select(m.Service.id).order_by(m.Service.id).limit(1)).one()
    top = app.reads.categories(app.lang)[0]
    return top.id, service_id


WINDOWS = 3


def measure(h: kh.Harness, seconds: float) -> dict:
    """CPU % of one core and frames drawn per second, in WINDOWS windows of ``seconds`` each."""
    h.run_for(2.0)                      # transitions, prepared pages, a tidy: then nobody touches
    out = {"cpu_percent": [], "fps": []}
    for _ in range(WINDOWS):
        frames0 = h.frames.count
        cpu0, wall0 = time.process_time(), time.monotonic()
        h.run_for(seconds)
        cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
        out["cpu_percent"].append(round(100 * cpu / wall, 2))
        out["fps"].append(round((h.frames.count - frames0) / wall, 2))
    return out


def main() -> None:
    data_dir = Path(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    h = kh.start_app(data_dir, animate=True)
    app = h.app
    out = {}
    h.wait_drawn(kh.screen_ready(app, "welcome"), what="welcome")
    out["welcome"] = measure(h, seconds)
    app.start(app.default_language)
    h.wait_drawn(kh.screen_ready(app, "home"), what="home")
    out["home"] = measure(h, seconds)
    top_id, service_id = first_ids(app)
    app.open_category(top_id)
    h.wait_drawn(kh.screen_ready(app, "category"), what="category")
    out["category"] = measure(h, seconds)
    app.open_service(service_id)
    h.wait_drawn(kh.screen_ready(app, "service"), what="service")
    out["service"] = measure(h, seconds)
    app.open_search()
    h.wait_drawn(kh.screen_ready(app, "search"), what="search")
    out["search"] = measure(h, seconds)
    print(json.dumps(out))
    kh.stop_app(h)


if __name__ == "__main__":
    main()

"""UI figures of the real kiosk under Xvfb, on a kiosk data directory (``catalogue.sqlite3`` in it).

    xvfb-run -a -s "-screen 0 1920x1080x24" python tests/bench/ui_latency.py MODE DATA_DIR TOP_ID [N]

MODE is one of:

``screens``  touch to next screen drawn, N rounds of welcome -> home -> category (TOP_ID, the
             biggest) -> service (the first row);
``search``   search keystroke to results drawn: N words typed key by key on the on-screen keyboard
             (the first 5 letters of each), each key waited for;
``screens-syncing``  ``screens`` quiet, then while full syncs run (the build in a child
             process, then on a thread as before), from the feed at BENCH_SYNC_URL signed with
             BENCH_SYNC_KEY, kiosks made in BENCH_SYNC_WORK;
``scroll``   frame times while the category list (TOP_ID) scrolls 40 px a frame, then the same list
             filled with every service of the catalogue (the fill time, then scrolling).

See kivyharness.py for how touches are made and how "drawn" is detected. Prints one JSON line;
times are milliseconds.
"""
from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import kivyharness as kh  # noqa: E402  (imports no Kivy itself)


def ms(values):
    return [round(v * 1000, 3) for v in values]


def collect(parts_list: list[dict]) -> dict:
    out: dict[str, list[float]] = {}
    for parts in parts_list:
        for k, v in parts.items():
            out.setdefault(k, []).append(round(v * 1000, 3))
    return out


def find(root, predicate):
    for w in root.walk(restrict=True):
        try:
            if predicate(w):
                return w
        except ReferenceError:
            continue
    return None


def scroll_parent(widget):
    from kivy.uix.scrollview import ScrollView

    w = widget.parent
    while w is not None and not isinstance(w, ScrollView):
        w = w.parent
    return w


# ------------------------------------------------------------------ touch to next screen


def screens(h: kh.Harness, top_id: str, rounds: int) -> dict:
    from kivy.uix.behaviors import ButtonBehavior

    from kiosk.ui.widgets import ItemRow

    app = h.app
    steps = {"welcome->home": [], "home->category": [], "category->service": []}
    frames = {k: [] for k in steps}
    for _ in range(rounds + 1):              # the first round warms caches and is dropped
        app.reset_session()
        h.settle(0.3)
        welcome = app.sm.get_screen("welcome")
        button = find(welcome, lambda w: isinstance(w, ButtonBehavior) and getattr(w, "lang", None) == "sq")
        parts = {"welcome->home": h.tap(button, kh.screen_ready(app, "home"))}
        frames["welcome->home"].append(h.frames.drawn_since_arm)
        h.run_for(0.3)                        # the visitor looks before touching again
        home = app.sm.get_screen("home")
        tile = find(home, lambda w: isinstance(w, ButtonBehavior) and getattr(w, "term_id", None) == top_id)
        if not h.visible(tile):
            sv = scroll_parent(tile)
            sv.scroll_to(tile, animate=False)
            h.run_for(0.2)
        parts["home->category"] = h.tap(tile, kh.screen_ready(app, "category"))
        frames["home->category"].append(h.frames.drawn_since_arm)
        h.run_for(0.3)
        category = app.sm.get_screen("category")
        row = find(category, lambda w: isinstance(w, ItemRow) and w.index == 0 and w.opacity > 0)
        parts["category->service"] = h.tap(row, kh.screen_ready(app, "service"))
        frames["category->service"].append(h.frames.drawn_since_arm)
        h.run_for(0.3)
        for name, p in parts.items():
            steps[name].append(p)
    return {name: {**collect(samples[1:]), "frames_waited": frames[name][1:]}
            for name, samples in steps.items()}


# ------------------------------------------------------------------ touches while a sync runs


def _sync_loop(url: str, key: str, isolate: bool, work: Path, stop, syncs: list) -> None:
    """Full first syncs, one after the other, until ``stop``: each a fresh kiosk (the sample
    catalogue, version 1) syncing the published feed with the real Updates, in this process
    (its fetch on this thread, its verify and build where ``isolate`` puts them)."""
    import shutil

    from kiosk.catalogue.store import open_catalogue
    from kiosk.config import Config
    from kiosk.updates import Updates

    # A new kiosk's catalogue (the bundled sample, version 1), built once: a copy of it is each
    # fresh kiosk's, so that only the sync itself runs while the touches are measured.
    template = work / "template" / "catalogue.sqlite3"
    if not template.exists():
        open_catalogue(template).dispose()
    i = 0
    while not stop.is_set():
        data = work / f"sync-{'child' if isolate else 'thread'}-{i}"
        i += 1
        config = Config.model_validate({"kiosk": {"data_dir": str(data), "id": "bench-sync"},
                                        "sync": {"feed_url": url + "feed.json", "public_keys": [key]}})
        Path(config.kiosk.database).parent.mkdir(parents=True, exist_ok=True)
        for kept in template.parent.iterdir():
            shutil.copy(kept, Path(config.kiosk.database).parent / kept.name)
        catalogue = open_catalogue(config.kiosk.database)
        try:
            service = Updates(config, catalogue, deferred=False, isolate=isolate)
            t0 = time.monotonic()
            result = service.run_sync()
            syncs.append({"outcome": result.outcome, "code": result.code, "s": round(time.monotonic() - t0, 2)})
        finally:
            catalogue.dispose()
            shutil.rmtree(data, ignore_errors=True)


class _Stopped:
    def is_set(self) -> bool:
        return True


def screens_syncing(h: kh.Harness, top_id: str, rounds: int, url: str, key: str, work: Path) -> dict:
    """``screens`` quiet, then while full syncs run with the build in a child process, then
    while they run with it on a thread of this process (as before kiosk.buildproc), in one run."""
    import threading

    _sync_loop(url, key, True, work, _Stopped(), [])   # builds the template only
    out = {"quiet": screens(h, top_id, rounds)}
    for name, isolate in (("child", True), ("thread", False)):
        stop, syncs = threading.Event(), []
        worker = threading.Thread(target=_sync_loop, args=(url, key, isolate, work, stop, syncs),
                                  name=f"bench-sync-{name}", daemon=True)
        worker.start()
        h.run_for(2.0)                     # into the first sync: its download and verification
        t0 = time.monotonic()
        out[name] = screens(h, top_id, rounds)
        out[name]["measured_s"] = round(time.monotonic() - t0, 1)
        stop.set()
        while worker.is_alive():           # the sync under way ends on its own
            h.run_for(0.2)
        out[name]["syncs"] = syncs
    return out


# ------------------------------------------------------------------ search keystrokes


def typed_words(app, count: int, keys: set[str], seed: int = 7) -> list[str]:
    from sqlalchemy import select

    from kiosk.catalogue import models as m

    with app.reads.catalogue.session() as s:
        names = s.scalars(select(m.Service.name).limit(3000)).all()
    words = sorted({w.lower() for n in names for w in n.split()
                    if len(w) >= 5 and all(c in keys for c in w.lower()[:5])})
    rng = random.Random(seed)
    return [rng.choice(words) for _ in range(count)]


def search(h: kh.Harness, words: int) -> dict:
    app = h.app
    app.start("sq")
    h.wait_drawn(kh.screen_ready(app, "home"), what="home")
    app.open_search()
    h.wait_drawn(kh.screen_ready(app, "search"), what="search")
    h.settle(0.3)
    screen = app.sm.get_screen("search")
    keyboard = screen.ids.keyboard
    keys = {line_key.value for line in keyboard.children for line_key in line.children
            if getattr(line_key, "value", "") and len(line_key.value) == 1}

    # Mark the query (worker thread) and the delivery of the results (main thread).
    services = app.reads
    original_search = services.search

    def timed_search(*args, **kwargs):
        h._mark("query_start")
        t = kh.now()
        try:
            return original_search(*args, **kwargs)
        finally:
            h.events["query_s"] = kh.now() - t

    services.search = timed_search
    show = getattr(screen, "_show", None)    # private: only for the breakdown

    def _show(*args, **kwargs):
        h._mark("deliver")
        try:
            return show(*args, **kwargs)
        finally:
            h._mark("applied")

    if show is not None:
        screen._show = _show
    samples, frames_waited, counts = [], [], []
    clear = keyboard.key_for("{clear}")
    for word in typed_words(app, words + 1, keys):
        h.tap(clear, lambda: screen.query == "" and screen.state == "idle")
        h.run_for(0.3)
        for n in range(1, 6):
            prefix = word[:n]

            def ready(prefix=prefix) -> bool:
                return (screen.query == prefix and screen.searched == prefix
                        and screen.state in ("results", "none") and not app.reads.pending)

            parts = h.tap(keyboard.key_for(word[n - 1]), ready)
            e = h.events
            if "query_start" in e:
                parts["to_query"] = e["query_start"] - e.get("dispatch", e["query_start"])
                parts["query"] = e.get("query_s", 0.0)
            samples.append(parts)
            frames_waited.append(h.frames.drawn_since_arm)
            counts.append(screen.count)
            h.run_for(0.25)                   # the visitor reads before the next key
    samples, frames_waited, counts = samples[5:], frames_waited[5:], counts[5:]  # first word warms up
    return {"keystroke": {**collect(samples), "frames_waited": frames_waited, "results": counts}}


# ------------------------------------------------------------------ scrolling


def scroll_frames(h: kh.Harness, rv, count: int = 300, step: float = 40.0, warm: int = 20) -> dict:
    """Uncapped frames (Clock max fps off) while ``rv`` scrolls ``step`` px a frame, turning at
    the ends; the flip-to-flip time of each frame is the cost of producing it."""
    from kivy.clock import Clock

    old = Clock._max_fps
    Clock._max_fps = 0
    try:
        rv.scroll_y = 1
        h.pump(5)
        span = rv.viewport_size[1] - rv.height
        if span <= 0:
            return {"frame": [], "span_px": span}
        y, direction = 0.0, 1
        for k in range(count + warm):
            if k == warm:
                h.frames.intervals = []
            y += direction * step
            if y >= span or y <= 0:
                y = max(0.0, min(span, y))
                direction = -direction
            rv.scroll_y = 1 - y / span
            h.pump(1)
        intervals = h.frames.intervals or []
    finally:
        h.frames.intervals = None
        Clock._max_fps = old
    return {"frame": ms(intervals), "span_px": round(span)}


def all_rows(app) -> list[dict]:
    from kiosk.catalogue import queries
    from kiosk.ui.category import service_rows

    services = app.reads
    rows: dict[str, object] = {}
    with services.catalogue.session() as s:
        for top in queries.top_categories(s, "sq"):
            for row in queries.rows_at(s, queries.category_listing(s, top.id, "sq"), services.now()):
                rows.setdefault(row.id, row)
    ordered = sorted(rows.values(), key=lambda r: queries.sort_key(r.name))
    return service_rows(ordered)


def scroll(h: kh.Harness, top_id: str, max_all: int) -> dict:
    app = h.app
    app.start("sq")
    h.wait_drawn(kh.screen_ready(app, "home"), what="home")
    app.open_category(top_id)
    h.wait_drawn(kh.screen_ready(app, "category"), what="category")
    h.settle(0.5)
    screen = app.sm.get_screen("category")
    rv = screen.ids.rv
    out = {"category": {**scroll_frames(h, rv), "rows": len(rv.data)}}
    data = all_rows(app)
    if len(data) <= max_all:
        fills = []
        for _ in range(3):
            rv.data = []
            h.pump(3)
            t0 = kh.now()
            rv.data = data
            hit = h.wait_drawn(lambda: True, what="the full list")
            fills.append(hit - t0)
            h.settle(0.2)
        out["all"] = {**scroll_frames(h, rv), "rows": len(data), "fill": ms(fills)}
    else:
        out["all"] = {"rows": len(data), "skipped": f"more than {max_all} rows"}
    return out


def main() -> None:
    mode, data_dir, top_id = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    t0 = time.monotonic()
    h = kh.start_app(data_dir)
    started = time.monotonic() - t0
    if mode == "screens":
        result = screens(h, top_id, n)
    elif mode == "screens-syncing":
        result = screens_syncing(h, top_id, n, os.environ["BENCH_SYNC_URL"], os.environ["BENCH_SYNC_KEY"],
                                 Path(os.environ["BENCH_SYNC_WORK"]))
    elif mode == "search":
        result = search(h, n)
    elif mode == "scroll":
        result = scroll(h, top_id, n)
    else:
        raise SystemExit(f"unknown mode {mode}")
    result["probe"] = {"start_s": round(started, 2), "wall_s": round(time.monotonic() - t0, 2),
                       "hold_s": kh.HOLD}
    print(json.dumps(result))
    sys.stdout.flush()
    kh.stop_app(h)


if __name__ == "__main__":
    main()

"""Touch-to-next-screen latency of the real kiosk under Xvfb, on a given catalogue database.

    xvfb-run -a -s "-screen 0 1920x1080x24" python tests/bench/ui_latency.py DB.sqlite3 [ROUNDS]

Times, for each step of the visitor's journey (welcome -> home -> category -> service), the moment
the finger lifts to the moment the next screen is complete and a frame has been drawn. Screen
transitions are switched off: their animation is a design choice, not a cost. Prints JSON.
"""
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
spec = importlib.util.spec_from_file_location("ui_conftest", ROOT / "tests" / "ui" / "conftest.py")
uic = importlib.util.module_from_spec(spec)
spec.loader.exec_module(uic)  # configures Kivy before its first import


def main() -> None:
    db, rounds = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 20
    import tempfile

    from kiosk.app import create_app
    from kiosk.catalogue import queries
    from kiosk.catalogue.store import Catalogue
    from kiosk.config import Config
    from kivy.base import runTouchApp

    data = Path(tempfile.mkdtemp())
    catalogue = Catalogue(db)
    config = Config.model_validate({"kiosk": {"data_dir": str(data), "database": str(db)}})
    clock = uic.FakeClock()
    app = create_app(config, windowed=True, catalogue=catalogue, now=lambda: uic.FIXED_NOW,
                     clock=clock.monotonic, wall_clock=clock.time, strict=True, animate=False,
                     size=uic.WINDOW_SIZE)
    app._run_prepare()
    runTouchApp(embedded=True)
    ui = uic.Driver(app, clock)
    ui.settle(timeout=30)
    with catalogue.session() as s:
        top = queries.top_categories(s, "sq")[0]
        first = queries.services_in_category(s, top.id, "sq", now=uic.FIXED_NOW)[0]

    def timed(widget, target: str) -> float:
        x, y = ui.center_of(widget)
        touch = ui.touch_down(x, y)
        ui.pump(1)
        start = time.perf_counter()
        ui.touch_up(touch)
        ui.wait_until(lambda: app.sm.current == target, 30, target)
        ui.settle(timeout=30)
        ui.pump(1)
        return (time.perf_counter() - start) * 1000

    steps = {"welcome->home": [], "home->category": [], "category->service": []}
    for _ in range(rounds):
        ui.go_welcome()
        steps["welcome->home"].append(timed(ui.button("Shqip"), "home"))
        steps["home->category"].append(timed(ui.button(top.name), "category"))
        steps["category->service"].append(timed(ui.row(first.name), "service"))
    out = {}
    for name, samples in steps.items():
        ordered = sorted(samples)
        out[name] = {"median_ms": round(statistics.median(ordered), 1),
                     "p95_ms": round(ordered[int(round(0.95 * (len(ordered) - 1)))], 1),
                     "n": len(ordered)}
    print(json.dumps(out))
    app.services.close()
    app.stop()


if __name__ == "__main__":
    main()

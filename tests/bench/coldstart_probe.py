"""The kiosk as ``python main.py --windowed`` starts it, timed to its first drawn welcome screen.

    KIOSK_DATA_DIR=DIR BENCH_COLDSTART_OUT=FILE [BENCH_TOP_ID=ID] python tests/bench/coldstart_probe.py

The parent notes ``time.monotonic()`` just before it spawns this process (CLOCK_MONOTONIC is one
clock for every process of the machine). This wrapper changes nothing in the start-up path: it
runs ``kiosk.cli.main(["--windowed"])`` with ``kiosk.app.create_app`` wrapped so that, once the
window exists, ``Window.flip`` (the SDL buffer swap) is timed. The first swap of a frame whose
``on_draw`` sees the welcome screen current with the app started (``on_start`` has run) is "first
drawn welcome screen".

Marks on the way (each phase a bench row): the interpreter up, kiosk imported, configuration read
(``create_app`` called), ``build_kiosk`` (bootstrap, the database opened in it), the Kivy window
made, ``App.build`` (the welcome screen built), the first frame, and every other visitor screen
built (:mod:`kiosk.ui.screens`: after the first frame; the staff screen waits for the corner
hold). The sum of Pss (smaps_rollup) is read at the first frame and once those screens are
built, on the welcome screen.

Then, once they are built, driven from Kivy's clock as a visitor would be (no touches: those are timed elsewhere), it
opens the home screen and the category ``BENCH_TOP_ID`` (both drawn complete), waits a second and
reads VmHWM (peak resident memory) and VmRSS from /proc/self/status, writes the timestamps as JSON
to ``BENCH_COLDSTART_OUT`` and stops the app, which exits the process normally.
"""
import time

T_MAIN = time.monotonic()     # the interpreter is up and runs this file's first line

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
sys.path.insert(0, str(HERE))


def status() -> dict:
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmHWM:", "VmRSS:")):
            key, value = line.split(":", 1)
            out[key] = int(value.split()[0])
    return out


def pss() -> int:
    """The sum of Pss of this process (smaps_rollup), in kB."""
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def main() -> int:
    out_path = Path(os.environ["BENCH_COLDSTART_OUT"])
    top_id = os.environ.get("BENCH_TOP_ID", "")
    marks = {"main": T_MAIN}

    import kiosk.app as kapp
    import kiosk.cli  # noqa: F401 - what main.py imports before the configuration is read
    from kivyharness import Frames, screen_ready

    marks["imported"] = time.monotonic()
    original_build_pieces = kapp.build_pieces

    def timed_build_pieces(*args, **kwargs):
        # the kiosk imports its catalogue here (after the first frame): timed where it happens
        marks["bootstrap"] = time.monotonic()
        import kiosk.catalogue.store as store

        marks["bootstrap_imported"] = time.monotonic()
        open_catalogue = store.open_catalogue

        def timed_open(*a, **k):
            t = time.monotonic()
            try:
                return open_catalogue(*a, **k)
            finally:
                marks["open_catalogue_s"] = time.monotonic() - t

        store.open_catalogue = timed_open
        try:
            return original_build_pieces(*args, **kwargs)
        finally:
            store.open_catalogue = open_catalogue
            marks["bootstrapped"] = time.monotonic()

    kapp.build_pieces = timed_build_pieces
    import kiosk.ui.lockdown as lockdown

    original_window_mode = lockdown.apply_window_mode

    def timed_window_mode(*args, **kwargs):
        marks["window"] = time.monotonic()      # kivy.core.window imported: the window exists
        return original_window_mode(*args, **kwargs)

    lockdown.apply_window_mode = timed_window_mode
    original_create = kapp.create_app

    def create_app(config, **kwargs):
        marks["create_app"] = time.monotonic()
        app = original_create(config, **kwargs)
        marks["app_created"] = time.monotonic()
        from kivy.clock import Clock
        from kivy.core.window import Window

        frames = Frames(Window)
        memory = {}
        original_build = app.build

        def timed_build():
            marks["build"] = time.monotonic()
            try:
                return original_build()
            finally:
                marks["welcome_built"] = time.monotonic()

        app.build = timed_build

        def welcome_ready() -> bool:
            return (app.sm is not None and app.sm.current == "welcome" and app.idle is not None)

        def finish(_dt=None) -> None:
            memory["end"] = status()
            out_path.write_text(json.dumps({"marks": marks, "memory": memory, "pid": os.getpid()}))
            app.stop()

        def category_drawn(t: float) -> None:
            marks["category_drawn"] = t
            Clock.schedule_once(finish, 1.0)

        def home_drawn(t: float) -> None:
            marks["home_drawn"] = t
            if not top_id:
                Clock.schedule_once(finish, 1.0)
                return
            frames.on_hit = category_drawn
            app.open_category(top_id)
            frames.arm(screen_ready(app, "category"))
            Window.canvas.ask_update()

        def open_home(_dt=None) -> None:
            memory["welcome"] = status()
            marks["home_started"] = time.monotonic()
            frames.on_hit = home_drawn
            app.start(app.default_language)
            frames.arm(screen_ready(app, "home"))
            Window.canvas.ask_update()

        def screens_built(_dt=None) -> None:
            if getattr(app.sm, "waiting", ()):
                Clock.schedule_once(screens_built, 0)
                return
            marks["screens_ready"] = time.monotonic()
            memory["screens_ready"] = dict(status(), Pss=pss())
            # a visitor looks at the welcome screen for a moment before touching it
            Clock.schedule_once(open_home, 0.5)

        def welcome_drawn(t: float) -> None:
            marks["welcome_drawn"] = t
            memory["first_frame"] = dict(status(), Pss=pss())
            Clock.schedule_once(screens_built, 0)

        frames.on_hit = welcome_drawn
        frames.arm(welcome_ready)
        return app

    kapp.create_app = create_app
    from kiosk.cli import main as kiosk_main

    return kiosk_main(["--windowed"])


if __name__ == "__main__":
    raise SystemExit(main())

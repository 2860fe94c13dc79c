"""What the kiosk's stack costs before the kiosk does anything: the floor under its cold start and
its memory, measured the way ``coldstart_probe.py`` measures the kiosk.

    BENCH_FLOOR_OUT=FILE python tests/bench/floor_probe.py kivy
    BENCH_FLOOR_OUT=FILE python tests/bench/floor_probe.py imports

``kivy``: a bare Kivy app, configured as the kiosk configures Kivy in its windowed mode (no
multisampling, 1280x800, no window manager needed), whose root is one label with an Albanian
greeting. It writes ``time.monotonic()`` at its first buffer swap (the parent noted the same clock
just before spawning it) and the sum of its Pss (smaps_rollup) then, and stops.

``imports``: the interpreter with every module of the kiosk's wiring imported (``kiosk.app`` and
``kiosk.bootstrap``: SQLAlchemy, the models, pydantic, requests and the rest; ``kiosk run`` imports
the bootstrap's part only after its first frame): the time it is done and its Pss. No window.
"""
import time

T_MAIN = time.monotonic()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def pss_kb() -> int:
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def write(**values) -> None:
    Path(os.environ["BENCH_FLOOR_OUT"]).write_text(json.dumps(dict(values, main=T_MAIN)))


def bare_kivy() -> int:
    os.environ["KIVY_NO_ARGS"] = "1"
    os.environ["KIVY_NO_CONSOLELOG"] = "1"
    os.environ["KIVY_NO_FILELOG"] = "1"
    from kivy.config import Config

    Config.set("graphics", "multisamples", "0")
    Config.set("graphics", "fullscreen", "0")
    Config.set("graphics", "width", "1280")
    Config.set("graphics", "height", "800")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.core.window import Window
    from kivy.uix.label import Label

    class Bare(App):
        def build(self):
            swap = Window.flip

            def first_swap(*args):
                swap(*args)
                Window.flip = swap
                write(first_frame=time.monotonic(), pss_kb=pss_kb())
                Clock.schedule_once(lambda _dt: self.stop(), 0)

            Window.flip = first_swap
            return Label(text="Mirë se vini", font_size=60)

    Bare().run()
    return 0


def imports() -> int:
    import kiosk.app  # noqa: F401
    import kiosk.bootstrap  # noqa: F401

    write(imported=time.monotonic(), pss_kb=pss_kb())
    return 0


if __name__ == "__main__":
    raise SystemExit({"kivy": bare_kivy, "imports": imports}[sys.argv[1]]())

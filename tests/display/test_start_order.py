"""The kiosk as ``run`` starts it shows its welcome screen before it imports its catalogue.

The welcome screen needs only the configuration, Kivy and the UI; the catalogue, SQLAlchemy, the
sync, the service pages' QR codes and printing, the idle prompt and the feedback sender are made
once that first frame is on the panel (kiosk.app), and before the next frame reads a touch. A
touch read before the first frame (the visitor quicker than the window) makes them at once and
still opens the home screen.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from displaylib import have, xvfb

REPO = Path(__file__).resolve().parents[2]

START = r"""
import sys, time
from pathlib import Path
from kiosk.config import Config
from kiosk.app import create_app

data, mode = Path(sys.argv[1]), sys.argv[2]
config = Config.model_validate({"kiosk": {"data_dir": str(data), "database": str(data / "catalogue.sqlite3")}})
app = create_app(config, windowed=True, size=(800, 480), strict=False, animate=False, welcome_first=True)

from kivy.clock import Clock
from kivy.core.window import Window

def report(label):
    print(label, app.sm.current, "kiosk", app.kiosk is not None,
          "sqlalchemy", "sqlalchemy" in sys.modules, "store", "kiosk.catalogue.store" in sys.modules,
          "handoff", "kiosk.ui.handoff" in sys.modules, "qrcode", "qrcode" in sys.modules,
          "prompt", app.idle_prompt is not None, flush=True)

def flipped(*_args):
    if app.sm.current == "welcome" and app.idle is not None:
        Window.unbind(on_flip=flipped)
        report("FIRST-FRAME")
        Clock.schedule_once(touch, 0)

def touch(_dt):
    report("NEXT-TICK")
    app.start("en")                       # what a touch on the welcome screen does
    Clock.schedule_once(done, 1.0)

def done(_dt, started=[]):
    # the home page is read and filled over a few frames; a busy machine may need more than the 1 s
    started = started or started.append(time.monotonic()) or started
    if app.sm.current_screen.spoken_data is None and time.monotonic() - started[0] < 30:
        Clock.schedule_once(done, 0.1)
        return
    report("AFTER")
    print("LOADED", app.sm.current_screen.spoken_data is not None, flush=True)
    app.stop()

def on_start(*_args):
    if mode == "early-touch":
        report("ON-START")
        app.start("sq")                   # a touch read before the first frame
        Clock.schedule_once(done, 1.0)
    else:
        Window.bind(on_flip=flipped)

app.bind(on_start=on_start)
app.run()
app.kiosk.close()
"""


def _launch(tmp_path: Path, script: str, *args: str) -> subprocess.CompletedProcess:
    """``script`` run in a fresh Python under its own 800x480 Xvfb, with a new data directory."""
    if have("Xvfb"):
        pytest.skip("needs Xvfb")
    data = tmp_path / "data"
    data.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIVY", "DISPLAY", "NOTIFY", "WATCHDOG"))}
    env["KIVY_NO_ARGS"] = "1"
    with xvfb(800, 480) as display:
        env["DISPLAY"] = display
        return subprocess.run([sys.executable, "-c", script, str(data), *args], env=env, cwd=REPO,
                              capture_output=True, text=True, timeout=120)


def _run(tmp_path: Path, mode: str) -> dict[str, list[str]]:
    done = _launch(tmp_path, START, mode)
    assert done.returncode == 0, done.stderr[-3000:]
    return {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines()
            if line.split() and line.split()[0].isupper()}


def test_the_welcome_screen_is_drawn_before_the_catalogue_is_imported(tmp_path):
    lines = _run(tmp_path, "normal")
    assert lines["FIRST-FRAME"] == ["welcome", "kiosk", "False", "sqlalchemy", "False", "store", "False",
                                    "handoff", "False", "qrcode", "False", "prompt", "False"]
    # the tick after the first frame made every piece, before anything reads a touch
    assert lines["NEXT-TICK"] == ["welcome", "kiosk", "True", "sqlalchemy", "True", "store", "True",
                                  "handoff", "True", "qrcode", "True", "prompt", "True"]
    assert lines["AFTER"][:3] == ["home", "kiosk", "True"] and lines["LOADED"] == ["True"]


def test_a_touch_before_the_first_frame_makes_the_pieces_and_opens_home(tmp_path):
    lines = _run(tmp_path, "early-touch")
    assert lines["ON-START"][:3] == ["welcome", "kiosk", "False"]
    assert lines["AFTER"][:3] == ["home", "kiosk", "True"] and lines["LOADED"] == ["True"]


FAILING = r"""
import logging, sys
from pathlib import Path
from kiosk.config import Config
from kiosk.app import run

data = Path(sys.argv[1])
blocker = data / "not-a-directory"
blocker.write_text("a file where the catalogue's directory should be")
logging.basicConfig(level=logging.INFO, stream=sys.stdout)
config = Config.model_validate({"kiosk": {"data_dir": str(data),
                                          "database": str(blocker / "catalogue.sqlite3")}})
print("STATUS", run(config, windowed=True), flush=True)
"""


def test_a_catalogue_that_cannot_be_opened_after_the_first_frame_stops_the_kiosk_with_status_1(tmp_path):
    """As when the start failed before the window existed: logged, exit status 1 (systemd
    starts it again), no welcome screen left up that no touch could get past."""
    done = _launch(tmp_path, FAILING)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-3000:]
    assert "STATUS 1" in done.stdout, out[-3000:]
    assert "the kiosk could not start" in out and "not-a-directory" in out


CONFIGURED_FIRST = r"""
import sys
from pathlib import Path
from kiosk.config import Config
from kiosk.ui import lockdown

def prepare_kivy(*_args, **_kwargs):
    # Kivy reads KIVY_HOME, KIVY_NO_ARGS and its logging once, at its first import
    print("KIVY-IMPORTED", sorted(m for m in sys.modules if m == "kivy" or m.startswith("kivy.")), flush=True)
    raise SystemExit(0)

lockdown.prepare_kivy = prepare_kivy
from kiosk.app import create_app

data = Path(sys.argv[1])
config = Config.model_validate({"kiosk": {"data_dir": str(data), "database": str(data / "catalogue.sqlite3")}})
create_app(config, windowed=True, size=(800, 480), strict=False, animate=False, welcome_first=True)
"""


def test_nothing_imports_kivy_before_its_configuration(tmp_path):
    """An import of Kivy before ``prepare_kivy`` (a UI module imported a line too early) would open
    the window with Kivy's own settings: its home, its logging, its reading of our arguments."""
    done = _launch(tmp_path, CONFIGURED_FIRST)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "KIVY-IMPORTED []" in done.stdout, done.stdout[-2000:]

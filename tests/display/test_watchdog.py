"""The systemd watchdog: READY, pings while the Kivy main loop turns, none while it is frozen."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kiosk.watchdog import Watchdog, send
from displaylib import have, xvfb

REPO = Path(__file__).resolve().parents[2]


class FakeNotifySocket:
    """systemd's side: an AF_UNIX datagram socket in a temporary directory, recording what arrives."""

    def __init__(self, path: Path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.2)
        self.messages: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                continue
            self.messages.append((time.monotonic(), data.decode()))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()

    def times(self, message: str) -> list[float]:
        return [t for t, m in self.messages if message in m.split("\n")]


@pytest.fixture
def notify(tmp_path):
    fake = FakeNotifySocket(tmp_path / "notify")
    yield fake
    fake.close()


def _wait(predicate, timeout=2.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.01)
    return predicate()


def test_ready_then_pings_at_half_the_period(notify):
    now = [100.0]
    dog = Watchdog({"NOTIFY_SOCKET": str(notify.path), "WATCHDOG_USEC": "4000000"}, clock=lambda: now[0])
    assert dog.interval == 2.0
    dog.tick()                                  # nothing before READY
    assert dog.ready("welcome drawn")
    for step in range(10):                      # 5 s of ticks every half second
        now[0] += 0.5
        dog.tick()
    assert _wait(lambda: len(notify.messages) == 3)
    assert notify.messages[0][1] == "READY=1\nSTATUS=welcome drawn"
    assert [m for _t, m in notify.messages[1:]] == ["WATCHDOG=1", "WATCHDOG=1"]
    assert dog.pings == 2


def test_watchdog_of_another_process_or_none_sends_no_pings(notify):
    other = Watchdog({"NOTIFY_SOCKET": str(notify.path), "WATCHDOG_USEC": "1000000",
                      "WATCHDOG_PID": str(os.getpid() + 1)})
    other.ready()
    other.tick()
    assert other.interval is None and other.pings == 0
    assert not Watchdog({}).ready() and not send("READY=1", {})
    assert not send("READY=1", {"NOTIFY_SOCKET": "relative/path"})
    assert _wait(lambda: len(notify.messages) == 1)
    assert notify.messages[0][1] == "READY=1"


def test_abstract_socket_address():
    name = f"kiosk-test-{os.getpid()}"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind("\0" + name)
    server.settimeout(2)
    try:
        assert send("STATUS=hello", {"NOTIFY_SOCKET": "@" + name})
        assert server.recv(100) == b"STATUS=hello"
    finally:
        server.close()


KIVY_APP = r"""
import os, sys, time
os.environ["KIVY_NO_ARGS"] = "1"
from kivy.app import App
from kivy.clock import Clock
from kivy.uix.label import Label
from kiosk.watchdog import Watchdog

dog = Watchdog()

class Frozen(App):
    def load_kv(self, filename=None):
        return False

    def build(self):
        return Label(text="watchdog")

    def on_start(self):
        Clock.schedule_once(self.drawn, 0)
        Clock.schedule_interval(dog.tick, 0.1)

    def drawn(self, dt):
        dog.ready("drawn")
        Clock.schedule_once(self.freeze, 2.0)

    def freeze(self, dt):
        print("FREEZE", time.monotonic(), flush=True)
        time.sleep(3.0)             # the main loop is stuck in a callback
        print("THAW", time.monotonic(), flush=True)
        # Clock times from the start of the frame, which began before the 3 s sleep
        Clock.schedule_once(lambda dt: self.stop(), 5.5)

Frozen().run()
"""


def test_pings_stop_while_the_kivy_main_loop_is_frozen_and_resume(notify, tmp_path):
    if have("Xvfb"):
        pytest.skip("needs Xvfb")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIVY", "DISPLAY"))}
    env.update(NOTIFY_SOCKET=str(notify.path), WATCHDOG_USEC="1000000", KIVY_HOME=str(tmp_path / "kivy"))
    with xvfb(800, 480) as display:
        env["DISPLAY"] = display
        # WATCHDOG_PID is not set: systemd sets it only for the main process it forked
        done = subprocess.run([sys.executable, "-c", KIVY_APP], env=env, cwd=REPO,
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    marks = dict(line.split() for line in done.stdout.splitlines() if line.startswith(("FREEZE", "THAW")))
    freeze, thaw = float(marks["FREEZE"]), float(marks["THAW"])
    ready = notify.times("READY=1")
    pings = notify.times("WATCHDOG=1")
    assert len(ready) == 1 and ready[0] < freeze
    before = [t for t in pings if t < freeze]
    during = [t for t in pings if freeze + 0.05 < t < thaw - 0.05]
    after = [t for t in pings if t > thaw]
    assert len(before) >= 2, pings                      # ~0.5 s apart for ~2 s
    assert during == [], "a frozen loop must not ping"
    assert len(after) >= 3, pings                       # and again for 2.5 s after the thaw
    gaps = [b - a for a, b in zip(pings, pings[1:])]
    # a busy machine may draw slowly, but nowhere near the freeze's silence
    assert max(g for a, g in zip(pings, gaps) if a < freeze - 0.6) < 1.5
    assert max(gaps) >= 2.9                             # the freeze shows as one long silence
    assert max(g for a, g in zip(pings, gaps) if a > thaw) < 1.5

KIOSK_APP = r"""
import sys, time
from pathlib import Path
from kiosk.config import Config
from kiosk.app import create_app

data = Path(sys.argv[1])
config = Config.model_validate({"kiosk": {"data_dir": str(data), "database": str(data / "catalogue.sqlite3")}})
app = create_app(config, windowed=True, size=(800, 480), strict=False, animate=False)

from kivy.clock import Clock

def freeze(_dt):
    print("FREEZE", time.monotonic(), flush=True)
    time.sleep(3.0)             # a callback stuck on the kiosk's own main loop
    print("THAW", time.monotonic(), flush=True)
    Clock.schedule_once(lambda _dt: app.stop(), 5.5)

def started(_dt):
    if not app.watchdog.is_ready:          # not before the welcome screen's first frame
        Clock.schedule_once(started, 0.1)
        return
    print("SCREEN", app.sm.current, "READY", app.watchdog.is_ready, flush=True)
    Clock.schedule_once(freeze, 3.0)

def on_start(*_args):
    Clock.schedule_once(started, 0)     # (returns None: a true value would stop the app's own on_start)

app.bind(on_start=on_start)
app.run()
app.kiosk.close()
"""


def test_the_kiosk_app_says_ready_on_its_welcome_screen_and_pings_from_its_main_loop(notify, tmp_path):
    """The real KioskApp (create_app, the sample catalogue): READY once the welcome screen is
    drawn, pings while its main loop turns, none while a callback holds it, pings again after."""
    if have("Xvfb"):
        pytest.skip("needs Xvfb")
    data = tmp_path / "data"
    data.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIVY", "DISPLAY", "NOTIFY", "WATCHDOG"))}
    env.update(NOTIFY_SOCKET=str(notify.path), WATCHDOG_USEC="1000000", KIVY_NO_ARGS="1")
    with xvfb(800, 480) as display:
        env["DISPLAY"] = display
        done = subprocess.run([sys.executable, "-c", KIOSK_APP, str(data)], env=env, cwd=REPO,
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout.split()
    assert out[out.index("SCREEN") + 1] == "welcome" and out[out.index("READY") + 1] == "True"
    freeze, thaw = float(out[out.index("FREEZE") + 1]), float(out[out.index("THAW") + 1])
    ready, pings = notify.times("READY=1"), notify.times("WATCHDOG=1")
    assert len(ready) == 1 and ready[0] < freeze
    assert [m for _t, m in notify.messages if m.startswith("READY")] == ["READY=1\nSTATUS=welcome screen drawn"]
    before = [t for t in pings if ready[0] < t < freeze]
    during = [t for t in pings if freeze + 0.05 < t < thaw - 0.05]
    after = [t for t in pings if t > thaw]
    assert len(before) >= 2, pings                       # every ~0.5 s for 3 s
    assert during == [], "a frozen main loop must not ping"
    assert len(after) >= 4, pings                        # and again until it stops
    gaps = [b - a for a, b in zip(pings, pings[1:])]
    assert max(gaps) >= 2.9                              # the freeze: one long silence
    assert max(g for a, g in zip(pings, gaps) if a > thaw + 0.1) < 1.5
    assert "STOPPING=1" in [m for _t, m in notify.messages][-1]

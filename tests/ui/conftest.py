"""The real kiosk app, in this process, on the (virtual) display, driven by real touches.

One app serves every UI test (Kivy runs one App per process); it is reset to the welcome screen
before each test. Touches are MotionEvents posted to Kivy's event loop, so the window's own
handlers, the lockdown filter and the widgets' hit-testing all run as for a finger. Time is
fake where the app lets it be: the idle reset and the staff corner use ``clock.monotonic``, the
PIN lockout ``clock.time``, opening hours a fixed Wednesday 10:30.

Run under a display: ``xvfb-run -a -s "-screen 0 1920x1080x24" pytest tests/ui`` (``make test``).
"""
from __future__ import annotations

import atexit
import itertools
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Optional

import pytest

# Kivy must be configured before its first import anywhere in this process.
_KIVY_DIR = Path(tempfile.mkdtemp(prefix="kiosk-ui-kivy-"))
atexit.register(shutil.rmtree, _KIVY_DIR, ignore_errors=True)
WINDOW_SIZE = (1280, 800)
FIXED_NOW = datetime(2026, 11, 25, 10, 30)   # a Wednesday morning, Europe/Tirane wall clock
PIN = "1234"

from kiosk.ui import lockdown  # noqa: E402  (this module imports no Kivy)

lockdown.prepare_kivy(_KIVY_DIR, windowed=True, size=WINDOW_SIZE)
from kivy.config import Config as _KivyConfig  # noqa: E402

_KivyConfig.set("graphics", "maxfps", "0")      # frames as fast as the tests ask for them


class FakeClock:
    """Monotonic and wall-clock time that only moves when a test says so."""

    def __init__(self):
        self._mono = 1000.0
        self._wall = 1_800_000_000.0

    def monotonic(self) -> float:
        return self._mono

    def time(self) -> float:
        return self._wall

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._wall += seconds


_ids = itertools.count(1000)


def make_touch(x: float, y: float, button: Optional[str] = None):
    """A finger (or mouse button) at window coordinates (x, y)."""
    from kivy.core.window import Window
    from kivy.input.motionevent import MotionEvent

    class Finger(MotionEvent):
        def depack(self, args):
            self.sx = args["x"] / (Window.width - 1.0)
            self.sy = args["y"] / (Window.height - 1.0)
            self.is_touch = True
            super().depack(args)

    touch = Finger("kiosk-test", next(_ids), {"x": x, "y": y}, is_touch=True, type_id="touch")
    touch.profile = ["pos", "button"] if button else ["pos"]
    if button:
        touch.button = button
    return touch


class Driver:
    """Touches, keys and frames for the running app, plus ways to find widgets on screen."""

    def __init__(self, app, clock: FakeClock):
        from kivy.base import EventLoop
        from kivy.core.window import Window

        self.app = app
        self.clock = clock
        self.loop = EventLoop
        self.window = Window

    # -------------------------------------------------------------- time

    def pump(self, frames: int = 1) -> None:
        for _ in range(frames):
            self.loop.idle()

    def tick(self) -> None:
        """Run Kivy's clock (timers, layouts, deliveries) without drawing a frame."""
        from kivy.clock import Clock

        Clock.tick()

    def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(1)
            if condition():
                return
        raise AssertionError(f"timed out waiting for {what or condition}")

    def settle(self, timeout: float = 5.0) -> None:
        """Frames until background work and screen transitions are over."""
        def idle() -> bool:
            return (not self.app.reads.pending and not self.app.sm.transition.is_active
                    and getattr(self.app.sm.current_screen, "complete", True))
        self.wait_until(idle, timeout, "the app to settle")
        self.pump(3)
        self.wait_until(idle, timeout, "the app to settle")

    # -------------------------------------------------------------- touches

    def touch_down(self, x: float, y: float, button: Optional[str] = None):
        touch = make_touch(x, y, button)
        self.loop.post_dispatch_input("begin", touch)
        return touch

    def touch_up(self, touch) -> None:
        self.loop.post_dispatch_input("end", touch)

    def tap_at(self, x: float, y: float, button: Optional[str] = None, frames: int = 2) -> None:
        touch = self.touch_down(x, y, button)
        self.pump(frames)
        self.touch_up(touch)
        self.pump(frames)

    def center_of(self, widget) -> tuple[float, float]:
        return widget.to_window(*widget.center)

    def tap(self, widget, settle: bool = True, button: Optional[str] = None) -> None:
        assert self.is_visible(widget), f"{widget!r} is not visible on screen"
        x, y = self.center_of(widget)
        self.tap_at(x, y, button)
        if settle:
            # a tap inside a scrolling area reaches its target after the area's short wait (Kivy's
            # ScrollView delivers the lifted finger 0.2 s later); anywhere else it has arrived
            if self.in_scroll_area(widget):
                self.run_for(0.25)
            self.settle()

    @staticmethod
    def in_scroll_area(widget) -> bool:
        from kivy.uix.scrollview import ScrollView

        w = widget.parent
        while w is not None and w is not getattr(w, "parent", None):
            if isinstance(w, ScrollView):
                return True
            w = w.parent
        return False

    def run_for(self, seconds: float) -> None:
        """Frames for ``seconds`` of real time (Kivy's own timers are real-time)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.pump(1)

    def type_search(self, word: str) -> None:
        """On the search screen: touch the field, then type ``word`` on the on-screen keyboard,
        and wait for the results (the search runs after a short pause in typing)."""
        self.tap(self.screen.ids.search)
        keyboard = self.screen.ids.keyboard
        for char in word:
            self.tap(keyboard.key_for(char), settle=False)
        self.run_for(0.4)
        self.settle()

    def key(self, key: int, codepoint: Optional[str] = None, modifiers: Iterable[str] = ()) -> bool:
        """A key press as SDL delivers it: on_key_down, then on_keyboard unless handled."""
        mods = list(modifiers)
        handled = self.window.dispatch("on_key_down", key, 0, codepoint, mods)
        if not handled:
            handled = self.window.dispatch("on_keyboard", key, 0, codepoint, mods)
        self.window.dispatch("on_key_up", key, 0)
        self.pump(2)
        return bool(handled)

    # -------------------------------------------------------------- finding widgets

    @property
    def screen(self):
        return self.app.sm.current_screen

    @property
    def bar(self):
        """The top bar every screen but the welcome shares (:mod:`kiosk.ui.stage`)."""
        return self.app.top_bar

    def is_visible(self, widget) -> bool:
        """On screen, not transparent, not disabled, and not scrolled out of its list."""
        from kivy.uix.scrollview import ScrollView

        x, y = widget.to_window(*widget.center)
        w = widget
        while w is not None and w is not self.window:
            if getattr(w, "opacity", 1) <= 0 or getattr(w, "disabled", False):
                return False
            if w.width <= 0 or w.height <= 0:
                return False
            if isinstance(w, ScrollView) and w is not widget:
                left, bottom = w.to_window(w.x, w.y)
                if not (left <= x <= left + w.width and bottom <= y <= bottom + w.height):
                    return False
            w = w.parent
        return 0 <= x <= self.window.width and 0 <= y <= self.window.height

    def scroll_to(self, widget, max_presses: int = 30) -> None:
        """Press the list's "Down"/"Up" buttons (as a visitor would) until ``widget`` shows."""
        from kivy.uix.scrollview import ScrollView

        from kiosk.ui.widgets import ScrollButtons

        sv = widget.parent
        while sv is not None and not isinstance(sv, ScrollView):
            sv = sv.parent
        assert sv is not None, f"{widget!r} is not in a scrolling area"
        buttons = [b for b in self.walk(self.app.root) if isinstance(b, ScrollButtons) and b.target is not None
                   and getattr(b.target, "__self__", b.target) is sv]
        assert buttons, "no scroll buttons for this list"
        for _ in range(max_presses):
            if self.is_visible(widget):
                return
            x, y = widget.to_window(*widget.center)
            bottom = sv.to_window(sv.x, sv.y)[1]
            self.tap(buttons[0].ids.down if y < bottom else buttons[0].ids.up, settle=False)
            self.run_for(0.35)
        assert self.is_visible(widget), f"could not scroll to {widget!r}"

    def walk(self, root=None):
        """Every widget under ``root``; by default what is on view: the screen, and the top bar
        when it stands over it."""
        if root is not None:
            yield from root.walk(restrict=True)
            return
        yield from self.screen.walk(restrict=True)
        if self.app.stage.bar_shown:
            yield from self.app.stage.bar.walk(restrict=True)

    def find_all(self, root=None, cls=None, text: Optional[str] = None, visible: bool = True,
                 **attrs):
        found = []
        for w in self.walk(root):
            if cls is not None and not isinstance(w, cls):
                continue
            if text is not None and getattr(w, "text", None) != text:
                continue
            if any(getattr(w, k, object()) != v for k, v in attrs.items()):
                continue
            if visible and not self.is_visible(w):
                continue
            found.append(w)
        return found

    def find(self, root=None, cls=None, text: Optional[str] = None, **attrs):
        found = self.find_all(root, cls, text, **attrs)
        assert found, f"no visible widget with cls={cls} text={text!r} {attrs} on {self.screen.name}"
        return found[0]

    def button(self, text: str, root=None):
        """A button (KButton, key, tile or row) showing ``text``, scrolled into view if need be."""
        from kivy.uix.behaviors import ButtonBehavior
        from kivy.uix.scrollview import ScrollView

        for w in self.find_all(root, cls=ButtonBehavior, visible=False):
            if getattr(w, "text", None) == text or getattr(w, "name", None) == text \
                    or getattr(w, "word", None) == text:
                if self.is_visible(w):
                    return w
                parent = w.parent
                while parent is not None and not isinstance(parent, ScrollView):
                    parent = parent.parent
                if parent is not None and w.opacity > 0 and not w.disabled:
                    self.scroll_to(w)
                    return w
        raise AssertionError(f"no visible button {text!r} on {self.screen.name}")

    def texts(self, root=None, visible: bool = True) -> list[str]:
        """The text of every label; ``visible=False`` includes what is scrolled out of view."""
        from kivy.uix.label import Label

        return [w.text for w in self.find_all(root, cls=Label, visible=visible) if w.text]

    def row(self, name: str, screen=None):
        """The list row (RecycleView view or static row) of ``name``, scrolled into view."""
        from kiosk.ui.widgets import ItemRow, StaticItemRow

        for w in self.find_all(screen, cls=(ItemRow, StaticItemRow), visible=False):
            if w.name == name and w.opacity > 0:
                self.scroll_to(w)
                return w
        raise AssertionError(f"no row {name!r} on {self.screen.name}")

    def visit(self, *names: str):
        """Open each of the screens ``names`` in turn (in English, from the home screen), settle,
        and yield its name; "home", "category", "service", "organization" and "search" open the
        first category, the nursery service and its organization."""
        app = self.app
        if app.sm.current == "welcome":
            self.tap(self.button("English"))
        nursery = lambda: app.reads.search("nursery", "en")[0].id  # noqa: E731
        go = {"home": lambda: app.go_home() if app.sm.current != "home" else None,
              "category": lambda: app.open_category(app.reads.categories("en")[0].id),
              "service": lambda: app.open_service(nursery()),
              "organization": lambda: app.open_organization(
                  app.reads.service(nursery(), "en").organization.id),
              "search": app.open_search}
        for name in names:
            go[name]()
            self.settle()
            assert app.sm.current == name
            yield name

    def go_welcome(self) -> None:
        self.app.reset_session()
        self.settle()
        assert self.app.sm.current == "welcome"


@pytest.fixture(scope="session")
def ui_data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("kiosk-ui")


@pytest.fixture(scope="session")
def kiosk(ui_data_dir):
    """The running kiosk app and a :class:`Driver` for it (one per test session)."""
    from factories import make_feed
    from kiosk.app import create_app
    from kiosk.catalogue.store import Catalogue
    from kiosk.config import Config
    from kiosk.pin import hash_pin

    db = ui_data_dir / "catalogue.sqlite3"
    catalogue = Catalogue(db)
    catalogue.create_schema()
    catalogue.load(make_feed(), source="tests/factories.py")
    config = Config.model_validate({
        "kiosk": {"data_dir": str(ui_data_dir), "database": str(db), "id": "ui-test",
                  "idle_timeout": 90, "idle_countdown": 10},
        "staff": {"pin_hash": hash_pin(PIN), "corner_hold_seconds": 5},
        # speech to ALSA's null device: the real espeak-ng and aplay, no sound card needed
        "speech": {"device": "null"},
    })
    clock = FakeClock()
    app = create_app(config, windowed=True, catalogue=catalogue, now=lambda: FIXED_NOW,
                     clock=clock.monotonic, wall_clock=clock.time, strict=True, animate=True,
                     size=WINDOW_SIZE)
    from kivy.base import runTouchApp
    from kivy.core.window import Window

    Window.size = WINDOW_SIZE
    app._run_prepare()
    runTouchApp(embedded=True)
    driver = Driver(app, clock)
    driver.settle()
    yield driver
    driver.go_welcome()       # back to the default language: later tests expect it
    app.reads.close()
    app.stop()
    catalogue.dispose()


@pytest.fixture
def ui(kiosk):
    """The kiosk on its welcome screen with a fresh visitor session and a fresh PIN guard."""
    from kiosk.pin import PinGuard

    app = kiosk.app
    state = Path(app.kiosk_config.kiosk.data_dir) / "staff-pin.json"
    if state.exists():
        state.unlink()
    app.pin_guard = PinGuard(app.kiosk_config.staff.pin_hash, state, now=kiosk.clock.time)
    app.operations.last_sync = None
    kiosk.go_welcome()
    kiosk.window.size = WINDOW_SIZE
    kiosk.pump(3)
    yield kiosk
    # leave the app usable for the next test even if this one failed half-way
    if app.idle_prompt is not None:
        app.idle_prompt.remove_now()


PACED_SINK = Path(__file__).resolve().parents[1] / "speech" / "paced_sink.py"


@pytest.fixture
def paced(ui, tmp_path):
    """Speech at a sound card's pace (the real espeak-ng, played at its own speed into a file),
    so a long text is still being said while the test acts: a page read whole lasts minutes."""
    from kiosk.speech.engine import EspeakEngine

    speech = ui.app.speech
    before = speech.engine
    engine = EspeakEngine(player=[sys.executable, str(PACED_SINK), "{rate}", str(tmp_path / "played")])
    speech.use_engine(engine)
    yield engine
    engine.close()
    speech.use_engine(before)

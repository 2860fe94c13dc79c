"""Keeping visitors inside the kiosk.

:func:`prepare_kivy` runs before the first Kivy import that opens the window: Kivy's home (and
its ``config.ini``) goes under the kiosk's data directory, command-line parsing is off, the
inspector, keybinding and every other debug module are off, the mouse cannot make multitouch
dots, Escape does not quit, and the window is fullscreen and borderless unless ``windowed``.

:class:`Lockdown` then guards the running window: it refuses close requests (Alt+F4, the window
manager), but lets SIGTERM end the kiosk cleanly (systemd stopping the unit, an operator; no
visitor can send a signal), swallows every key (Escape, F1 settings, F11, F12, Ctrl+E... a visitor has no keyboard,
so no key has a job), and ignores right, middle and extra mouse buttons.

:class:`CornerHold` notices a finger held still on the top-left corner for the configured
seconds: the way staff open their PIN pad.
"""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Callable, Optional

log = logging.getLogger(__name__)

#: Mouse buttons that never reach a widget (the wheel still scrolls).
IGNORED_BUTTONS = frozenset({"right", "middle", "mouse4", "mouse5"})

# Key codes Kivy uses (SDL2 provider).
KEY_ESCAPE, KEY_F1, KEY_F4, KEY_F11, KEY_F12, KEY_E = 27, 282, 285, 292, 293, 101


def prepare_kivy(data_dir: Path | str, *, windowed: bool, size: Optional[tuple[int, int]] = None,
                 console_log: bool = False,
                 density: Optional[float] = None) -> Optional[tuple[int, int, int, int]]:
    """Set Kivy's environment and configuration; call before ``kivy.core.window`` is imported.

    ``density`` is Kivy's dp factor (from :func:`kiosk.display.sizing`: true millimetres); it
    applies to the widgets built afterwards. Returns the output the fullscreen window opens over,
    ``(x, y, width, height)``, when the display reports one (None when windowed)."""
    kivy_home = Path(data_dir) / "kivy"
    kivy_home.mkdir(parents=True, exist_ok=True)
    if "kivy" not in sys.modules:
        # Kivy reads these once, at its first import; our config.ini lives in the data dir
        os.environ["KIVY_HOME"] = str(kivy_home)
    os.environ["KIVY_NO_ARGS"] = "1"                 # our command line is not Kivy's
    os.environ.setdefault("KIVY_NO_FILELOG", "1")    # the kiosk's own log file gets Kivy's lines
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    if not console_log:
        os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    if density and "KIVY_METRICS_DENSITY" not in os.environ:
        if "kivy.metrics" in sys.modules:
            from kivy.metrics import Metrics

            Metrics.density = density
        else:
            os.environ["KIVY_METRICS_DENSITY"] = str(density)

    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "pause_on_minimize", "0")
    Config.set("kivy", "keyboard_mode", "system")
    Config.set("kivy", "log_enable", "0")
    if Config.has_section("modules"):
        for name in list(Config.options("modules")):
            Config.remove_option("modules", name)
    # Only the mouse provider (a touch monitor's events arrive as pointer events); no red dots.
    if Config.has_section("input"):
        for name in list(Config.options("input")):
            Config.remove_option("input", name)
    else:
        Config.add_section("input")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("graphics", "multisamples", "0")
    Config.set("graphics", "allow_screensaver", "0")
    Config.set("graphics", "resizable", "1" if windowed else "0")
    if windowed:
        Config.set("graphics", "fullscreen", "0")
        Config.set("graphics", "borderless", "0")
        Config.set("graphics", "show_cursor", "1")
        width, height = size or (1280, 800)
        Config.set("graphics", "width", str(width))
        Config.set("graphics", "height", str(height))
    else:
        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "borderless", "1")
        Config.set("graphics", "show_cursor", "0")
        # SDL opens the X window at the configured size and leaves "fullscreen" to a window
        # manager; with none (xinit) it stays 800x600, so open it over the whole output.
        from kiosk.display import screen_pixels

        output = screen_pixels()
        for key, value in zip(("left", "top", "width", "height"), output or ()):
            Config.set("graphics", key, str(value))
        Config.set("graphics", "position", "custom")
        return output
    return None


def apply_window_mode(window, *, windowed: bool, size: Optional[tuple[int, int]] = None,
                      output: Optional[tuple[int, int, int, int]] = None) -> Optional["FullscreenKeeper"]:
    """Make an already open window match the mode (when Kivy was imported before us); when
    fullscreen over a known ``output``, returns the installed :class:`FullscreenKeeper`."""
    if windowed:
        if size:
            window.size = size
        return None
    window.borderless = True
    window.fullscreen = "auto"
    window.show_cursor = False
    return FullscreenKeeper(window, output).install() if output else None


class FullscreenKeeper:
    """Asks again for fullscreen when the window does not cover its output.

    SDL asks the window manager for fullscreen as the window maps. A window manager that starts
    after the kiosk, or one that misses the request (weston's X window manager under load does,
    about one start in ten: the kiosk then sits in a frame 32 pixels in, the desktop's panel and
    wallpaper around it), leaves a visitor looking at a desktop. The keeper compares the window
    with the output (as the X server has it) a few times after the start and whenever the window
    is moved or resized, and asks again: it leaves fullscreen, puts the window over the output
    and enters fullscreen on a later frame (SDL ignores a request for the state it believes it
    is in). It gives up after :attr:`ATTEMPTS` tries, so a
    window manager that refuses fullscreen is not asked on every frame; an idle window costs
    nothing (no clock runs once the checks are done).
    """

    #: seconds after the start at which the window is checked, whatever happens
    CHECKS = (1.0, 3.0, 10.0, 30.0, 120.0)
    #: the most requests one start makes
    ATTEMPTS = 4
    #: seconds between leaving fullscreen and entering it again
    REENTER_AFTER = 0.2

    def __init__(self, window, output: tuple[int, int, int, int]):
        self.window = window
        self.output = tuple(int(v) for v in output)
        self.attempts = 0
        self._pending = None

    def install(self) -> "FullscreenKeeper":
        from kivy.clock import Clock

        self._clock = Clock
        self.window.bind(on_move=self._soon, on_resize=self._soon)
        for delay in self.CHECKS:
            Clock.schedule_once(self.check, delay)
        return self

    def uninstall(self) -> None:
        self.window.unbind(on_move=self._soon, on_resize=self._soon)
        if self._pending is not None:
            self._pending.cancel()

    def geometry(self) -> tuple[int, int, int, int]:
        """Where the window is, ``(x, y, width, height)`` in the screen's pixels: from the X
        server when there is one (SDL keeps the position it asked for, wherever a window
        manager's frame has put the window), else from SDL."""
        from kiosk.display import x11_window_geometry

        info = self.window.get_window_info()
        found = x11_window_geometry(int(getattr(info, "window", 0) or 0))
        if found is not None:
            return found
        return (int(self.window.left), int(self.window.top),
                *(int(v) for v in self.window.system_size))

    def covers(self) -> bool:
        """Whether the window's position and size in pixels are the output's."""
        return self.geometry() == self.output

    def _soon(self, *_args) -> None:
        # the window manager sends a move and a resize for one change: check once, after both
        if self._pending is None:
            self._pending = self._clock.schedule_once(self.check, 0.5)

    def check(self, _dt=None) -> bool:
        """Ask again when the window does not cover the output; True when it does."""
        self._pending = None
        if self.covers():
            return True
        if self.attempts >= self.ATTEMPTS:
            if self.attempts == self.ATTEMPTS:
                self.attempts += 1
                log.warning("the window manager keeps the kiosk at %s, not over the output %s: "
                            "fullscreen asked for %d times", self.geometry(), self.output,
                            self.ATTEMPTS)
            return False
        self.attempts += 1
        log.info("the window at %s does not cover the output %s: asking for fullscreen again",
                 self.geometry(), self.output)
        self.window.fullscreen = False
        self._clock.schedule_once(self._reenter, self.REENTER_AFTER)
        return False

    def _reenter(self, _dt=None) -> None:
        # over the output first (with no window manager that is all a fullscreen window is),
        # then fullscreen again (a window manager's own, without its frame and panel)
        x, y, width, height = self.output
        self.window.left, self.window.top = x, y
        self.window.system_size = (width, height)
        self.window.fullscreen = "auto"


def install_exception_guard(on_error: Optional[Callable[[BaseException], None]] = None) -> None:
    """A bug in a callback is logged and the kiosk carries on instead of closing to the desktop.

    (Only in the running kiosk: the tests want exceptions to fail them.)
    """
    from kivy.base import ExceptionHandler, ExceptionManager

    class KeepRunning(ExceptionHandler):
        def handle_exception(self, exception):
            if isinstance(exception, (KeyboardInterrupt, SystemExit)):
                return ExceptionManager.RAISE
            log.error("unexpected error in the kiosk UI", exc_info=exception)
            if on_error is not None:
                try:
                    on_error(exception)
                except Exception:  # noqa: BLE001
                    log.exception("error handler failed")
            return ExceptionManager.PASS

    ExceptionManager.add_handler(KeepRunning())


class Lockdown:
    """Guards a Kivy window against a visitor leaving the kiosk."""

    #: the signals that end the kiosk cleanly: SDL would turn them into the same close request
    #: a window manager sends, which is refused
    STOP_SIGNALS = (signal.SIGTERM,)

    def __init__(self, window, *, allow_close: Callable[[], bool] = lambda: False,
                 on_blocked: Optional[Callable[[str], None]] = None,
                 on_terminate: Optional[Callable[[int], None]] = None):
        self.window = window
        self.allow_close = allow_close
        self.on_blocked = on_blocked
        self.on_terminate = on_terminate
        self._old_handlers: dict[int, object] = {}
        self.blocked_keys = 0
        self.blocked_clicks = 0
        self.blocked_closes = 0

    def install(self) -> None:
        w = self.window
        w.bind(on_request_close=self._request_close)
        w.bind(on_key_down=self._key)
        w.bind(on_keyboard=self._key)
        w.bind(on_key_up=self._key_up)
        # SDL delivers typed text apart from the key presses: swallow it too, so a text field
        # added one day never receives what a keyboard (or a barcode scanner) types.
        w.bind(on_textinput=self._key_up)
        w.bind(on_touch_down=self._button_filter, on_touch_move=self._button_filter,
               on_touch_up=self._button_filter)
        # Python's handler replaces the one SDL installed when the window opened; it runs in the
        # main thread, between two steps of the Kivy loop.
        if self.on_terminate is not None and threading.current_thread() is threading.main_thread():
            for sig in self.STOP_SIGNALS:
                self._old_handlers[sig] = signal.signal(sig, self._terminate)

    def uninstall(self) -> None:
        for sig, old in self._old_handlers.items():
            signal.signal(sig, old if old is not None else signal.SIG_DFL)
        self._old_handlers.clear()
        w = self.window
        w.unbind(on_request_close=self._request_close)
        w.unbind(on_key_down=self._key)
        w.unbind(on_keyboard=self._key)
        w.unbind(on_key_up=self._key_up)
        w.unbind(on_textinput=self._key_up)
        w.unbind(on_touch_down=self._button_filter, on_touch_move=self._button_filter,
                 on_touch_up=self._button_filter)

    def _request_close(self, *_args, **kwargs) -> bool:
        if self.allow_close():
            return False
        self.blocked_closes += 1
        log.info("close request refused (%s)", kwargs.get("source", "window"))
        if self.on_blocked:
            self.on_blocked("close")
        return True

    def _terminate(self, signum, _frame) -> None:
        log.info("%s received: closing the kiosk", signal.Signals(signum).name)
        self.on_terminate(signum)

    def _key(self, _window, key, *args) -> bool:
        # Every key stops here: nothing on the kiosk is driven by a keyboard, and Kivy's own
        # handlers (Escape quits, F1 settings, F11/F12, Ctrl+E inspector) must never run.
        self.blocked_keys += 1
        return True

    def _key_up(self, *_args) -> bool:
        return True

    def _button_filter(self, _window, touch) -> bool:
        button = getattr(touch, "button", None) if "button" in getattr(touch, "profile", ()) else None
        if button in IGNORED_BUTTONS:
            self.blocked_clicks += 1
            return True
        return False


class CornerHold:
    """Calls ``on_hold`` when a finger stays on the top-left corner for ``seconds``.

    Time comes from ``now`` so tests can move it; :meth:`tick` (called by the app's clock)
    checks the hold. When the hold completes the touch is taken from whatever it was about to
    press (a Back button there must not fire on release) and marked ``kiosk.corner_hold``.
    """

    def __init__(self, window, seconds: float, on_hold: Callable[[], None], *,
                 now: Callable[[], float], zone: float = 90.0, slop: float = 40.0):
        self.window = window
        self.seconds = float(seconds)
        self.on_hold = on_hold
        self.now = now
        self.zone = zone
        self.slop = slop
        self._touch = None
        self._started = 0.0
        self._origin = (0.0, 0.0)

    def install(self) -> None:
        self.window.bind(on_touch_down=self._down, on_touch_move=self._move, on_touch_up=self._up)

    def in_zone(self, x: float, y: float) -> bool:
        return x <= self.zone and y >= self.window.height - self.zone

    def _down(self, _window, touch) -> bool:
        if self._touch is None and self.in_zone(*touch.pos):
            self._touch = touch
            self._started = self.now()
            self._origin = tuple(touch.pos)
        return False

    def _move(self, _window, touch) -> bool:
        if touch is self._touch:
            dx, dy = touch.x - self._origin[0], touch.y - self._origin[1]
            if dx * dx + dy * dy > self.slop * self.slop:
                self._touch = None
        return False

    def _up(self, _window, touch) -> bool:
        if touch is self._touch:
            self._touch = None
        return False

    @property
    def holding(self) -> bool:
        return self._touch is not None

    def tick(self) -> None:
        touch = self._touch
        if touch is None or self.now() - self._started < self.seconds:
            return
        self._touch = None
        touch.ud["kiosk.corner_hold"] = True
        for ref in list(touch.grab_list):
            widget = ref() if callable(ref) else ref
            if widget is None:
                continue
            touch.ungrab(widget)
            if getattr(widget, "state", None) == "down":
                widget.state = "normal"
        self.on_hold()

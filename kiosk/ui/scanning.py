"""The barcode scanner at the kiosk: a visitor holds a slip or a flyer to it and the service opens.

A USB 2D scanner is a keyboard that types what it reads and presses Enter.
:class:`ScannerInput` sees every key press the window gets, before anything else, and feeds it
to :class:`~kiosk.handoff.scanner.ScanDetector` with the app's monotonic clock (fake in the
tests). Every key press stops there, a scan's included: the scanner is a second lock on the
keyboard, never a way to it. A complete scan (fast enough, and of one of the two accepted forms)
counts as the visitor's activity; it is looked up through the read facade
(:meth:`kiosk.reads.Reads.scanned_service`) on a worker thread, then the
service opens in the visitor's language (from the welcome screen: the default language). A scan
that names no service the kiosk shows gets :class:`ScanNotice`, a short message in the visitor's
language; anything else typed is ignored without a word.

Install it after :class:`~kiosk.ui.lockdown.Lockdown`: the window calls its newest handlers
first, so the scanner sees each key before the lockdown would swallow it.
"""
from __future__ import annotations

import logging
from functools import partial
from typing import Any, Callable, Optional

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.properties import BooleanProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.handoff.scanner import Scan, ScanDetector, key_from_kivy

log = logging.getLogger(__name__)


class ScanNotice(BoxLayout):
    """"This code is not in the kiosk's catalogue", over the screen for a few seconds.

    It never takes a touch: the visitor carries on as if it were not there, and the first touch
    puts it away.
    """

    SECONDS = 6.0
    showing = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._window = None
        self._timer = None

    def show(self, window) -> None:
        self.hide()
        self._window = window
        Animation.cancel_all(self, "opacity")
        self.opacity = 1
        window.add_widget(self)
        window.bind(on_touch_down=self._touched)
        self.showing = True
        self._timer = Clock.schedule_once(lambda _dt: self.hide(), self.SECONDS)

    def hide(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        window, self._window = self._window, None
        if window is not None:
            window.unbind(on_touch_down=self._touched)
            if self.parent is window:
                window.remove_widget(self)
        self.showing = False

    def _touched(self, *_args) -> bool:
        Clock.schedule_once(lambda _dt: self.hide(), 0)
        return False

    def on_touch_down(self, touch):
        return False

    def on_touch_move(self, touch):
        return False

    def on_touch_up(self, touch):
        return False


class ScannerInput:
    """Turns the window's key presses into opened services; see the module docstring."""

    def __init__(self, app: Any, window: Any, detector: ScanDetector, *, now: Callable[[], float]):
        self.app = app
        self.window = window
        self.now = now
        self.detector = detector
        self.notice = ScanNotice()
        self.scans = 0
        self._generation = 0

    def install(self) -> "ScannerInput":
        self.window.bind(on_key_down=self._key_down)
        return self

    def uninstall(self) -> None:
        self.window.unbind(on_key_down=self._key_down)
        self.notice.hide()

    def _key_down(self, _window, key, _scancode=None, codepoint=None, modifiers=(), *_args) -> bool:
        try:
            char = key_from_kivy(key, codepoint, modifiers)
            scan = self.detector.feed(char, self.now()) if char is not None else None
            if scan is not None:
                self.scanned(scan)
        except Exception:  # noqa: BLE001 - a bad key must never reach anything else
            log.exception("the barcode scanner input failed")
            self.detector.reset()
        return True   # swallowed: no key has a job on the kiosk

    def scanned(self, scan: Scan) -> None:
        """A complete scan: the visitor is here; find the service off the main thread."""
        self.scans += 1
        idle = getattr(self.app, "idle", None)
        if idle is not None:
            idle.activity()
        self._generation += 1
        generation = self._generation
        self.app.call_async(self.app.reads.scanned_service, scan.kind, scan.value,
                            on_done=partial(self._found, generation, scan),
                            on_error=partial(self._failed, generation, scan))

    def _found(self, generation: int, scan: Scan, service_id: Optional[str]) -> None:
        if generation != self._generation:
            return   # a newer scan came in meanwhile
        if service_id is None:
            log.info("scanned %s %s: not in the catalogue", scan.kind, scan.value)
            self.notice.show(self.window)
            return
        self.notice.hide()
        app = self.app
        if app.sm.current == "welcome":
            app.start(app.default_language)
        elif app.sm.current == "service" and app.sm.current_screen.params.get("service_id") == service_id:
            return
        app.open_service(service_id)

    def _failed(self, generation: int, scan: Scan, exc: BaseException) -> None:
        log.error("looking up scanned %s %s failed: %r", scan.kind, scan.value, exc)
        self._found(generation, scan, None)

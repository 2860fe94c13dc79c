"""A USB keypad's keys as the speech controller's actions (the focus ring: :mod:`kiosk.ui.focus`).

:class:`KeypadInput` is bound after the barcode scanner's input, so it sees each key first: it
takes the keypad's keys (and swallows them, as the lockdown would) and lets every other key pass
on to the scanner and the lockdown behind it, so a scan still works and every other key is still
swallowed. An Enter that ends a scan in progress belongs to the scanner.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from kiosk.speech import keypad as kp

log = logging.getLogger(__name__)


class KeypadInput:
    """A USB keypad's keys as speech actions (see the module docstring)."""

    def __init__(self, app: Any, window: Any, speech: Any, scanner: Any, *, now: Callable[[], float]):
        self.app = app
        self.window = window
        self.speech = speech
        self.scanner = scanner      # kiosk.ui.scanning.ScannerInput: its detector knows a scan
        self.now = now
        self.presses = 0

    def install(self) -> "KeypadInput":
        self.window.bind(on_key_down=self._key_down)
        return self

    def uninstall(self) -> None:
        self.window.unbind(on_key_down=self._key_down)

    def _key_down(self, _window, key, _scancode=None, _codepoint=None, modifiers=(), *_args) -> bool:
        action = self.speech.keymap.action(key)
        if action is None or set(modifiers or ()) & {"ctrl", "alt", "meta"}:
            return False
        detector = getattr(self.scanner, "detector", None)
        if action == kp.ACTIVATE and detector is not None and detector.typing(self.now()):
            return False     # the Enter that ends a scan
        if detector is not None:
            detector.reset()     # a keypad key is never part of a scan
        try:
            self.act(action)
        except Exception:  # noqa: BLE001 - a key must never break the kiosk
            log.exception("keypad action %s failed", action)
        return True          # handled, and swallowed like every key

    def act(self, action: str) -> None:
        self.presses += 1
        app, speech = self.app, self.speech
        if action == kp.QUICK_EXIT:
            # before anything else, and silent: it does not turn speech on, it stops it, and
            # leaves exactly as the top bar's button does (nothing to say, nothing to go back to)
            app.quick_exit()
            return
        idle = getattr(app, "idle", None)
        if idle is not None and idle.activity():
            # it answered "are you still there?" ("To stay, press any key"), and does nothing
            # else: no Back, no row opened, no focus moved, speech not turned on; the question
            # stops being said, as a touch that answers it stops it
            speech.stop()
            return
        if speech.turn_on():
            speech.read_screen()     # any key starts speech: the screen first, then the keys work
            return
        focus = speech.focus
        if action in (kp.UP, kp.DOWN):
            focus.move(-1 if action == kp.UP else 1)
        elif action in (kp.PREVIOUS_SECTION, kp.NEXT_SECTION):
            focus.jump(-1 if action == kp.PREVIOUS_SECTION else 1)
        elif action == kp.ACTIVATE:
            if not focus.activate():
                speech.read_screen()
        elif action == kp.BACK:
            if app.sm.current == "welcome":
                speech.read_screen()
            else:
                app.go_back()
        elif action == kp.HOME:
            if app.sm.current == "welcome":
                app.start(app.lang)
            else:
                app.go_home()
        elif action == kp.HELP:
            speech.help()
        elif action in (kp.LOUDER, kp.SOFTER):
            speech.change_volume(1 if action == kp.LOUDER else -1)
        elif action in (kp.FASTER, kp.SLOWER):
            speech.change_rate(1 if action == kp.FASTER else -1)
        elif action == kp.REPEAT:
            speech.repeat()
        elif action == kp.PAUSE:
            speech.pause_resume()

"""Recognise a scan from a USB 2D barcode scanner among keystrokes.

Such scanners are keyboards: they type what they read, very fast, and end with Enter. The
kiosk has no physical keyboard, so any keystroke comes from a scanner or from someone trying to
get around the lockdown. :class:`ScanDetector` turns a stream of ``(key, timestamp)`` into a
:class:`Scan` only when both hold:

- **speed**: at least ``min_length`` characters, a mean interval under ``max_mean_interval``
  (30 ms; people type 100-300 ms apart, the fastest typists ~60 ms, a held key repeats every
  ~40 ms after a 0.5 s delay) and no single gap over ``max_gap`` (80 ms), Enter included;
- **form**: the text is exactly ``{public_base_url}/services/{uuid}`` (optional trailing ``/``)
  or the kiosk's short code ``ELB-XXXXXXXX-XXXX`` printed on slips.

Every other keystroke, Escape, Tab, a modifier or a URL of any other form, is ignored and
only resets the buffer. Nothing is executed or opened from the text itself: a scan yields a
service id (or an id prefix) that the caller looks up in the catalogue
(:func:`kiosk.catalogue.codes.scanned_service`, through :meth:`kiosk.reads.Reads.scanned_service`).

No Kivy import. In the app (:mod:`kiosk.ui.scanning`), ``Window.bind(on_key_down=...)`` calls
``detector.feed(key_from_kivy(key, codepoint, modifiers), clock())`` for every key that is not a
modifier alone, and the read facade looks the scan up on a worker thread.

What a scanner "types" arrives as key presses, as from a keyboard: SDL gives Kivy the key's
unshifted character (``;`` with ``shift`` held for ``:``, ``e`` with ``shift`` for ``E``) and a
key press of its own for Shift. :func:`key_from_kivy` undoes that for a US layout, the layout
scanners emulate out of the box (and the kiosk box's default keymap).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from kiosk.handoff.links import https_url, parse_short_code

__all__ = ["Scan", "ScanDetector", "key_from_kivy", "ENTER"]

ENTER = "enter"
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_KIVY_ENTER = {13, 271}  # Return, keypad Enter
# Kivy key codes of keys that only modify others (num lock, caps lock, right and left shift,
# ctrl, alt-gr, alt, super, compose): pressed alone they neither type nor interrupt a scan.
_KIVY_MODIFIER_KEYS = frozenset({300, 301, 303, 304, 305, 306, 307, 308, 309, 311})
# The keypad (num lock on): Kivy codes 256-270, whose "codepoint" is not the digit.
_KIVY_KEYPAD = dict(zip(range(256, 271), "0123456789./*-+"))
# What Shift makes of a key on a US keyboard.
_US_SHIFTED = dict(zip("`1234567890-=[]\\;',./", "~!@#$%^&*()_+{}|:\"<>?"))
_COMMAND_MODIFIERS = frozenset({"ctrl", "alt", "meta"})


@dataclass(frozen=True)
class Scan:
    """A recognised scan: ``kind`` is ``link`` (``value`` is the service id) or ``code``
    (``value`` is the id prefix of a short code, ``text`` the code as scanned)."""

    kind: str
    value: str
    text: str


def key_from_kivy(key: int, codepoint: Optional[str], modifiers: Iterable[str] = ()) -> Optional[str]:
    """What to feed for a Kivy ``on_key_down(window, key, scancode, codepoint, modifiers)``:
    ``"enter"``, the typed character (Shift and Caps Lock applied as on a US keyboard), ``""``
    (any other key, or a key with Ctrl, Alt or Meta held: it resets the detector), or None for a
    modifier key pressed alone, which is not fed at all."""
    if key in _KIVY_MODIFIER_KEYS:
        return None
    mods = set(modifiers or ())
    if mods & _COMMAND_MODIFIERS:
        return ""
    if key in _KIVY_ENTER:
        return ENTER
    if key in _KIVY_KEYPAD:
        return _KIVY_KEYPAD[key]
    if not codepoint or len(codepoint) != 1 or not codepoint.isprintable():
        return ""
    shift = "shift" in mods
    if codepoint.isalpha():
        return codepoint.upper() if shift != ("capslock" in mods) else codepoint
    return _US_SHIFTED.get(codepoint, codepoint) if shift else codepoint


class ScanDetector:
    """Feed every keystroke; :meth:`feed` returns a :class:`Scan` on the Enter that completes one.

    Not thread-safe: feed it from the one thread that receives key events.
    """

    def __init__(self, public_base_url: Optional[str] = None, *, min_length: int = 8,
                 max_mean_interval: float = 0.030, max_gap: float = 0.080, max_length: int = 512):
        self.min_length = min_length
        self.max_mean_interval = max_mean_interval
        self.max_gap = max_gap
        self.max_length = max_length
        base = https_url(public_base_url)
        self._link = (re.compile(re.escape(base.rstrip("/")) + rf"/services/({_UUID})/?", re.IGNORECASE)
                      if base else None)
        self._chars: list[str] = []
        self._first = 0.0
        self._last = 0.0
        self._max_gap_seen = 0.0

    def reset(self) -> None:
        self._chars.clear()
        self._max_gap_seen = 0.0

    def typing(self, timestamp: float) -> bool:
        """Whether a scan may be under way: characters came, the last within ``max_gap``. (An
        Enter now would end it; the keypad leaves such an Enter to the scanner.)"""
        return bool(self._chars) and 0 <= timestamp - self._last <= self.max_gap

    def feed(self, key: str, timestamp: float) -> Optional[Scan]:
        """One keystroke: a printable character, ``"enter"`` (or ``"\\r"``/``"\\n"``), or anything
        else (``""``, ``"escape"``...), which is ignored and resets. ``timestamp`` in seconds."""
        if key in (ENTER, "\r", "\n"):
            return self._complete(timestamp)
        if not isinstance(key, str) or len(key) != 1 or not key.isprintable():
            self.reset()
            return None
        if self._chars:
            gap = timestamp - self._last
            if gap > self.max_gap or gap < 0 or len(self._chars) >= self.max_length:
                self.reset()  # a pause: whatever came before was not part of a scan
            else:
                self._max_gap_seen = max(self._max_gap_seen, gap)
        if not self._chars:
            self._first = timestamp
        self._chars.append(key)
        self._last = timestamp
        return None

    def _complete(self, timestamp: float) -> Optional[Scan]:
        chars, first, last, worst = self._chars[:], self._first, self._last, self._max_gap_seen
        self.reset()
        if len(chars) < self.min_length:
            return None
        enter_gap = timestamp - last
        if enter_gap < 0 or max(worst, enter_gap) > self.max_gap:
            return None
        if (timestamp - first) / len(chars) > self.max_mean_interval:  # len(chars) intervals
            return None
        return self.parse("".join(chars))

    def parse(self, text: str) -> Optional[Scan]:
        """The scan ``text`` stands for, if it has one of the two accepted forms."""
        if self._link is not None:
            match = self._link.fullmatch(text)
            if match:
                return Scan("link", match.group(1).lower(), text)
        prefix = parse_short_code(text)
        if prefix and text == text.strip():
            return Scan("code", prefix, text)
        return None

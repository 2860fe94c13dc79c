"""The tactile keypad's keys: the actions, the key names and :class:`KeyMap`. No import but
the standard library's, so the configuration can check a key map without loading speech.

:mod:`kiosk.speech.keypad` re-exports all of it beside the focus ring.
"""
from __future__ import annotations

from typing import Mapping, Optional, Sequence

UP, DOWN, ACTIVATE, BACK, HELP, HOME = "up", "down", "activate", "back", "help", "home"
LOUDER, SOFTER, FASTER, SLOWER, REPEAT, PAUSE = "louder", "softer", "faster", "slower", "repeat", "pause"
#: jump to the first item of the previous or next part of the screen (the keyboard, the results,
#: a card, the top bar): :meth:`kiosk.speech.keypad.FocusRing.jump`
PREVIOUS_SECTION, NEXT_SECTION = "previous_section", "next_section"
#: the top bar's "Quick exit" (:meth:`kiosk.ui.application.KioskApp.quick_exit`), silently: a
#: visitor who cannot see must be able to leave at once too, not after a walk round the ring
QUICK_EXIT = "quick_exit"
ACTIONS = (UP, DOWN, ACTIVATE, BACK, HELP, HOME, LOUDER, SOFTER, FASTER, SLOWER, REPEAT, PAUSE,
           PREVIOUS_SECTION, NEXT_SECTION, QUICK_EXIT)

#: Key names as Kivy reports them (its keycodes come from SDL2's).
KEYCODES = {
    "backspace": 8, "enter": 13, "escape": 27, "up": 273, "down": 274, "right": 275, "left": 276,
    "home": 278, "pageup": 280, "pagedown": 281, "f1": 282,
    "numpad0": 256, "numpad1": 257, "numpad2": 258, "numpad3": 259, "numpad4": 260,
    "numpad5": 261, "numpad6": 262, "numpad7": 263, "numpad8": 264, "numpad9": 265,
    "numpaddecimal": 266, "numpaddivide": 267, "numpadmul": 268, "numpadsubstract": 269,
    "numpadadd": 270, "numpadenter": 271,
}

DEFAULT_KEYS: dict[str, tuple[str, ...]] = {
    UP: ("up", "numpad8"), DOWN: ("down", "numpad2"), ACTIVATE: ("enter", "numpadenter", "numpad5"),
    BACK: ("backspace", "numpad0"), HELP: ("numpaddecimal", "f1"), HOME: ("home", "numpad1"),
    LOUDER: ("numpadadd",), SOFTER: ("numpadsubstract",), FASTER: ("numpadmul",),
    SLOWER: ("numpaddivide",), REPEAT: ("numpad7",), PAUSE: ("numpad9",),
    PREVIOUS_SECTION: ("left", "numpad4"), NEXT_SECTION: ("right", "numpad6"),
    QUICK_EXIT: ("numpad3",),
}


#: The actions whose default keys give way to a key the configuration names for another action
#: (they came after configs that may give their keys away: "repeat = numpad4", "pause = numpad3").
YIELDING = (PREVIOUS_SECTION, NEXT_SECTION, QUICK_EXIT)


class KeyMapError(ValueError):
    """A configured key map names an unknown action or key, or gives a key to two actions.

    ``kind`` ("action", "key" or "twice") and ``facts`` let the configuration word it."""

    def __init__(self, message: str, kind: str, **facts: str):
        super().__init__(message)
        self.kind = kind
        self.facts = facts


class KeyMap:
    """Key (keycode or name) -> action. ``overrides`` replaces the keys of the actions it names
    (a key it names is taken from the section keys' defaults, :data:`YIELDING`)."""

    def __init__(self, overrides: Optional[Mapping[str, Sequence[str]]] = None):
        keys = dict(DEFAULT_KEYS)
        for action, names in (overrides or {}).items():
            if action not in ACTIONS:
                raise KeyMapError(f"unknown keypad action {action!r}; known: {', '.join(ACTIONS)}",
                                  "action", action=str(action), choices=", ".join(ACTIONS))
            if isinstance(names, str) or not all(isinstance(n, str) for n in names):
                raise KeyMapError(f"the keys of {action} must be a list of key names", "list",
                                  action=action)
            unknown = [n for n in names if n not in KEYCODES]
            if unknown:
                raise KeyMapError(f"unknown key {unknown[0]!r} for {action}; known: "
                                  f"{', '.join(sorted(KEYCODES))}", "key", action=action,
                                  key=unknown[0], choices=", ".join(sorted(KEYCODES)))
            keys[action] = tuple(names)
        # The section keys and the quick exit came last (a config written before them may give
        # 4, 6 or 3 to another action, "repeat = numpad4"): a configured key leaves their
        # defaults, and that config still starts. Any other key given to two actions is refused, so a config cannot take
        # Up or Back's only keypad key away.
        configured = {name for action in (overrides or {}) for name in keys[action]}
        for action in YIELDING:
            if action not in (overrides or {}):
                keys[action] = tuple(n for n in keys[action] if n not in configured)
        self.keys = keys
        self._by_name: dict[str, str] = {}
        for action, names in keys.items():
            for name in names:
                if name in self._by_name and self._by_name[name] != action:
                    raise KeyMapError(f"key {name!r} is given to both {self._by_name[name]} and {action}",
                                      "twice", key=name, first=self._by_name[name], second=action)
                self._by_name[name] = action
        self._by_code = {KEYCODES[name]: action for name, action in self._by_name.items()}

    def action(self, key: int | str) -> Optional[str]:
        """The action of a key, or None for a key the keypad does not use."""
        if isinstance(key, str):
            return self._by_name.get(key)
        return self._by_code.get(key)

    def is_keypad_key(self, key: int | str) -> bool:
        """Any key of the map turns speech on (EZ Access: press any key and speech starts)."""
        return self.action(key) is not None

    def names(self, action: str) -> tuple[str, ...]:
        """The key names of ``action``, in the order configured (the keypad's own first by default)."""
        return self.keys.get(action, ())

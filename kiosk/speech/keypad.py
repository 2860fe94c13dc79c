"""The tactile keypad: keys to actions, and the focus ring the keys move. No Kivy import.

:class:`KeyMap` turns a key (Kivy's SDL-derived keycode, or its name) into an action. Its
defaults suit a standard USB numeric keypad and the arrow keys, and an EZ-Access-style keypad
that sends the same codes; the configuration may replace the keys of any action.

:class:`FocusRing` is the ordered list of what can be acted on in the current screen. Up and Down
move through it; Enter acts on the focused item. It **stops at both ends** instead of wrapping,
and says so ("End of the list"): a visitor who cannot see must be able to tell that they have
heard everything, which a silent wrap hides. Back and Home always leave the screen, so stopping
is never a trap (EN 301 549 5.1.6.2: no focus trap).

The staff PIN pad is never read out: :func:`masked_entry` says "digit entered" and how many.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from kiosk.speech.cards import counted
from kiosk.speech.normalise import normalise
from kiosk.speech.parts import N_, Part, say, tr

from kiosk.speech.keys import (ACTIONS, ACTIVATE, BACK, DEFAULT_KEYS, DOWN, FASTER, HELP, HOME,  # noqa: F401
                               KEYCODES, LOUDER, PAUSE, REPEAT, SLOWER, SOFTER, UP, KeyMap,
                               KeyMapError)


@dataclass(frozen=True)
class FocusItem:
    """Something the visitor can act on: ``role`` is "button", "link", "key" or "text"."""

    id: str
    label: str
    role: str = "button"
    #: said after the role: what acting on it gives ("Call, button. Scan to call ...")
    detail: str = ""
    #: the language its label is in, when not the screen's ("English" on an Albanian screen)
    lang: str = ""


@dataclass(frozen=True)
class Move:
    item: Optional[FocusItem]
    edge: bool            # True when the ring was already at the end it moved towards


class FocusRing:
    """The actionable items of a screen in reading order, and which one has the focus."""

    def __init__(self, items: Iterable[FocusItem] = ()):
        self.items: list[FocusItem] = []
        self.index: Optional[int] = None
        self.set_items(items)

    def set_items(self, items: Iterable[FocusItem], keep: bool = True) -> None:
        """New items (a screen opened or changed); the focused item keeps the focus if it is
        still there, else nothing is focused until the first move."""
        focused = self.focused.id if keep and self.focused else None
        self.items = list(items)
        ids = [item.id for item in self.items]
        self.index = ids.index(focused) if focused in ids else None

    @property
    def focused(self) -> Optional[FocusItem]:
        return self.items[self.index] if self.index is not None and self.items else None

    def move(self, step: int) -> Move:
        """Down (+1) or Up (-1); the first move focuses the first (or last) item."""
        if not self.items:
            return Move(None, True)
        if self.index is None:
            self.index = 0 if step > 0 else len(self.items) - 1
            return Move(self.focused, False)
        target = self.index + step
        if not 0 <= target < len(self.items):
            return Move(self.focused, True)
        self.index = target
        return Move(self.focused, False)

    def focus(self, item_id: str) -> Optional[FocusItem]:
        ids = [item.id for item in self.items]
        if item_id in ids:
            self.index = ids.index(item_id)
        return self.focused

    def activate(self) -> Optional[FocusItem]:
        return self.focused


ROLES = {"button": N_("button"), "link": N_("link"), "key": N_("key"), "text": ""}
TOP = N_("Top of the list.")
END = N_("End of the list.")
DIGIT_ENTERED = (N_("Digit entered. {n} digit."), N_("Digit entered. {n} digits."))
DIGIT_DELETED = (N_("Digit deleted. {n} digit."), N_("Digit deleted. {n} digits."))
NOTHING_ENTERED = N_("Digit deleted. Nothing entered.")


def announce(move_or_item: Move | FocusItem, lang: str, step: int = 1) -> Part:
    """What the focused item says: its label and role, or that the list ends here."""
    if isinstance(move_or_item, Move):
        if move_or_item.edge or move_or_item.item is None:
            return say(lang, END if step > 0 else TOP)
        item = move_or_item.item
    else:
        item = move_or_item
    label = item.label.strip().rstrip(".")
    if item.lang and item.lang != lang:
        # a language's name in its own voice ("English" read by the Albanian voice is not
        # English to an English ear), alone: the role would need a third voice change
        return Part(normalise(label, item.lang), item.lang)
    role = tr(lang, ROLES[item.role]) if ROLES.get(item.role) else ""
    said = f"{label}, {role}" if role else label
    if item.detail.strip():
        said = f"{said}. {item.detail.strip()}"
    return Part(normalise(said, lang), lang)


def masked_entry(count: int, lang: str, deleted: bool = False) -> Part:
    """What a key on the staff PIN pad says: never the digit, only that one was entered."""
    if deleted and count == 0:
        return say(lang, NOTHING_ENTERED)
    forms = DIGIT_DELETED if deleted else DIGIT_ENTERED
    return counted(lang, forms, count)


VOLUME = N_("Volume {n} of {total}.")
SPEED = N_("Speed {n} of {total}.")
PAUSED = N_("Paused.")


def volume_feedback(step: int, total: int, lang: str) -> Part:
    """What Louder and Softer say: the new step, counted from 1."""
    return say(lang, VOLUME, n=step + 1, total=total)


def speed_feedback(step: int, total: int, lang: str) -> Part:
    return say(lang, SPEED, n=step + 1, total=total)


def paused(lang: str) -> Part:
    return say(lang, PAUSED)

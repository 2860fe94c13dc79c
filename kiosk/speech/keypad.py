"""The tactile keypad: keys to actions, and the focus ring the keys move. No Kivy import.

:class:`KeyMap` turns a key (Kivy's SDL-derived keycode, or its name) into an action. Its
defaults suit a standard USB numeric keypad and the arrow keys, and an EZ-Access-style keypad
that sends the same codes; the configuration may replace the keys of any action.

:class:`FocusRing` is the ordered list of what can be acted on in the current screen. Up and Down
move through it; Enter acts on the focused item. It **stops at both ends** instead of wrapping,
and says so ("End of the list"): a visitor who cannot see must be able to tell that they have
heard everything, which a silent wrap hides. Back and Home always leave the screen, so stopping
is never a trap (EN 301 549 5.1.6.2: no focus trap).

Left and Right (4 and 6) **jump by section**, a group the visitor sees as one (the on-screen
keyboard, the results, one card of a service page, the top bar): :meth:`FocusRing.jump` lands on
the first item of the previous or next one, and :func:`announce_jump` says the section's name and
size ("Results, 12 services") before the item. It stops at the first and last section and says
so, as Up and Down do at the ends of the list.

The staff PIN pad is never read out: :func:`masked_entry` says "digit entered" and how many.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from kiosk.speech.cards import SERVICES, counted
from kiosk.speech.normalise import normalise
from kiosk.speech.parts import N_, Part, say, tr

from kiosk.speech.keys import (ACTIONS, ACTIVATE, BACK, DEFAULT_KEYS, DOWN, FASTER, HELP, HOME,  # noqa: F401
                               KEYCODES, LOUDER, NEXT_SECTION, PAUSE, PREVIOUS_SECTION, QUICK_EXIT, REPEAT,
                               SLOWER, SOFTER, UP, KeyMap, KeyMapError)


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
    #: the id of the :class:`Section` it belongs to ("" for none: it is a section of its own)
    section: str = ""


@dataclass(frozen=True)
class Section:
    """A group of items the visitor sees as one: ``kind`` is one of :data:`SECTION_NAMES`, or
    "card" (``name`` is its title), or "" (no name of its own: only its item is said).
    ``counts`` is what it holds, as (noun, how many): (("service", 10), ("organization", 2))."""

    id: str
    kind: str = ""
    name: str = ""
    counts: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Move:
    item: Optional[FocusItem]
    edge: bool            # True when the ring was already at the end it moved towards
    #: after a jump (:meth:`FocusRing.jump`): the section landed in
    section: Optional[Section] = None


class FocusRing:
    """The actionable items of a screen in reading order, and which one has the focus."""

    def __init__(self, items: Iterable[FocusItem] = (), sections: Iterable[Section] = ()):
        self.items: list[FocusItem] = []
        self.sections: dict[str, Section] = {}
        self.index: Optional[int] = None
        self.set_items(items, sections=sections)

    def set_items(self, items: Iterable[FocusItem], keep: bool = True,
                  sections: Iterable[Section] = ()) -> None:
        """New items (a screen opened or changed); the focused item keeps the focus if it is
        still there, else nothing is focused until the first move."""
        focused = self.focused.id if keep and self.focused else None
        self.sections = {section.id: section for section in sections}
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

    def section_ids(self) -> list[str]:
        """The sections in reading order; an item without one is a section of its own."""
        return list(dict.fromkeys(item.section or f"item:{item.id}" for item in self.items))

    def section_of(self, item: FocusItem) -> Section:
        key = item.section or f"item:{item.id}"
        return self.sections.get(key) or Section(key)

    def jump(self, step: int) -> Move:
        """Previous (-1) or next (+1) section: the focus goes to its first item. The first jump
        goes to the first (or last) section; at either end the focus stays and ``edge`` says so."""
        if not self.items:
            return Move(None, True)
        order = self.section_ids()
        if self.index is None:
            target = order[0] if step > 0 else order[-1]
        else:
            here = order.index(self.section_of(self.focused).id)
            if not 0 <= here + step < len(order):
                return Move(self.focused, True, self.section_of(self.focused))
            target = order[here + step]
        self.index = next(i for i, item in enumerate(self.items)
                          if (item.section or f"item:{item.id}") == target)
        return Move(self.focused, False, self.section_of(self.focused))

    def position(self, section: Section) -> tuple[int, int]:
        """Where ``section`` is among the sections of its kind: (1-based position, how many)."""
        same = [key for key in self.section_ids() if self.sections.get(key, Section(key)).kind == section.kind]
        return (same.index(section.id) + 1 if section.id in same else 0), len(same)

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

#: the names of the sections a screen is made of (a card is named by its title)
SECTION_NAMES = {
    "keyboard": N_("Keyboard"),
    "results": N_("Results"),
    "topics": N_("List of topics"),
    "services": N_("List of services"),
    "lines": N_("Phone lines"),
    "choices": N_("Take it with you"),
    "bar": N_("Top bar"),
    "speech": N_("Speech controls"),
}
#: what a section holds, counted
NOUNS = {
    "key": (N_("{n} key"), N_("{n} keys")),
    "button": (N_("{n} button"), N_("{n} buttons")),
    "topic": (N_("{n} topic"), N_("{n} topics")),
    "service": SERVICES,
    "organization": (N_("{n} organization"), N_("{n} organizations")),
    "line": (N_("{n} line"), N_("{n} lines")),
}
AND = N_("{first} and {second}")
CARD_OF = N_("Card {n} of {total}.")
FIRST_SECTION = N_("This is the first part of the screen.")
LAST_SECTION = N_("This is the last part of the screen.")
RESULTS_KEY = N_("Press {keys} for the results.")
OR = N_("{first} or {second}")
#: the keys as :data:`RESULTS_KEY` names them, after "Press" (a keypad digit is said by itself)
KEY_NAMES = {
    "up": N_("the Up arrow"), "down": N_("the Down arrow"), "left": N_("the Left arrow"),
    "right": N_("the Right arrow"), "enter": N_("the Enter key"), "numpadenter": N_("the Enter key"),
    "backspace": N_("the Backspace key"), "home": N_("the Home key"), "escape": N_("the Escape key"),
    "pageup": N_("the Page Up key"), "pagedown": N_("the Page Down key"), "f1": N_("the F1 key"),
    "numpaddecimal": N_("the dot key"), "numpaddivide": N_("the slash key"), "numpadmul": N_("the star key"),
    "numpadadd": N_("the plus key"), "numpadsubstract": N_("the minus key"),
}


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


def announce_section(section: Section, lang: str, position: tuple[int, int] = (0, 0)) -> Optional[Part]:
    """What a section says when a jump lands in it: its name and what it holds ("Results, 12
    services"); a card its place among the cards (its first item is the card, which says its
    title); a section without a name nothing (its one item says itself)."""
    if section.kind == "card":
        n, total = position
        return say(lang, CARD_OF, n=n, total=total) if n else None
    name = SECTION_NAMES.get(section.kind)
    if name is None:
        return None
    counted_ = [tr(lang, NOUNS[noun][0], n, NOUNS[noun][1]).format(n=n)
                for noun, n in section.counts if noun in NOUNS and n]
    size = counted_[0] if len(counted_) == 1 else \
        tr(lang, AND).format(first=", ".join(counted_[:-1]), second=counted_[-1]) if counted_ else ""
    said = f"{tr(lang, name)}, {size}" if size else tr(lang, name)
    return Part(normalise(said, lang), lang)


def announce_jump(move: Move, lang: str, step: int, position: tuple[int, int] = (0, 0)) -> list[Part]:
    """What a jump says: the section, then its first item; at either end, that it is the end."""
    if move.edge or move.item is None:
        return [say(lang, LAST_SECTION if step > 0 else FIRST_SECTION)]
    section = announce_section(move.section, lang, position) if move.section is not None else None
    return ([section] if section is not None else []) + [announce(move.item, lang)]


def key_names(keymap: KeyMap, action: str, lang: str, limit: Optional[int] = None) -> str:
    """The keys of ``action`` as the visitor hears them after "Press": "6 or the Right arrow"
    (the keypad's digits first, then its other keys, then the keyboard's; a name said once, as
    Enter and the keypad's Enter are); the first ``limit`` of them only, when given."""
    names = sorted(keymap.names(action), key=lambda name: (not _digit(name), not name.startswith("numpad")))
    said: list[str] = []
    for name in names:
        if name in KEY_NAMES:
            word = tr(lang, KEY_NAMES[name])
        elif _digit(name):
            word = name[6:]
        else:
            word = name
        if word not in said:
            said.append(word)
    said = said[:limit] if limit else said
    if len(said) <= 1:
        return "".join(said)
    return tr(lang, OR).format(first=", ".join(said[:-1]), second=said[-1])


def _digit(name: str) -> bool:
    return name.startswith("numpad") and name[6:].isdigit()


def results_hint(keymap: KeyMap, lang: str, step: int = 1) -> Optional[Part]:
    """After a key typed on the search screen: which key jumps to the results (``step`` -1 when
    they come before the keyboard, as on a portrait screen); None when no key does."""
    keys = key_names(keymap, NEXT_SECTION if step > 0 else PREVIOUS_SECTION, lang)
    return say(lang, RESULTS_KEY, keys=keys) if keys else None


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

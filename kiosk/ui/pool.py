"""Widgets of a page kept for the next page of the same kind, refilled instead of made again.

Making a card is making its kv rules: a section card with three lines of text is a dozen widgets,
each with its bindings and canvas, and a service page is a hundred and fifty of them. Made anew
at every touch that was most of the touch's frame (and most of the garbage the collector then
walks). A page built through a :class:`WidgetPool` takes its cards, lines and labels from those
the previous page gave back (:meth:`WidgetPool.release`), sets their properties, and keeps a
label's text texture when its text is the same (a card's heading, a weekday, "Closed").

A pooled widget keeps the children its own kv rule gave it; what a page added to it (a logo, a
button, a label) is taken off when it is given back, the pooled ones back into the pool. Every
property a page may set is reset on :meth:`take`, so nothing of one service shows on the next.
"""
from __future__ import annotations

from typing import Any, Optional

#: what :meth:`WidgetPool.take` resets on a reused widget unless told otherwise, by class name
DEFAULTS: dict[str, dict[str, Any]] = {
    "KLabel": {"text": "", "role": "body", "tone": "text", "bold": False},
    "SectionCard": {"title": "", "icon": "", "tone": "plain"},
    "InfoLine": {"icon": "", "text": "", "bold": False, "role": "body", "address": False},
    "CheckItem": {"text": ""},
    "HoursRow": {"day": "", "hours": "", "note": "", "today": False},
    "HoursBlock": {},
    "StaticItemRow": {"kind": "service", "item_id": "", "name": "", "subtitle": "", "chip_kind": "none",
                      "chip_text": "", "state": "normal"},
}
#: the property whose value, when it is the same, lets a reused widget keep its text texture
MATCH = {"KLabel": "text", "SectionCard": "title", "InfoLine": "text", "CheckItem": "text",
         "HoursRow": "day", "StaticItemRow": "name"}


class WidgetPool:
    """Free widgets by class, at most ``keep`` of each."""

    def __init__(self, keep: int = 80) -> None:
        self.keep = keep
        self._free: dict[type, list] = {}
        self.made = 0        # widgets made because none was free (for the bench and the tests)
        self.reused = 0

    def take(self, cls: type, **props: Any) -> Any:
        """A ``cls`` with ``props`` set: a free one (preferably showing the same text), or a new one."""
        free = self._free.get(cls)
        values = {**DEFAULTS.get(cls.__name__, {}), **props}
        if not free:
            widget = cls(**props)
            widget._pool_own = frozenset(widget.children)   # what its kv rule gave it
            widget._pooled_by = self
            self.made += 1
            return widget
        key = MATCH.get(cls.__name__)
        index = -1
        if key is not None and key in values:
            want = values[key]
            for i in range(len(free) - 1, -1, -1):
                if getattr(free[i], key) == want:
                    index = i
                    break
        widget = free.pop(index)
        for name, value in values.items():
            if getattr(widget, name) != value:
                setattr(widget, name, value)
        self.reused += 1
        return widget

    def release(self, widget: Any) -> None:
        """Take ``widget`` off its parent and keep it (and what was added to it) for later."""
        self._strip(widget)
        if widget.parent is not None:
            widget.parent.remove_widget(widget)
        free = self._free.setdefault(type(widget), [])
        if len(free) < self.keep:
            free.append(widget)

    def release_children(self, parent: Any) -> None:
        """Empty ``parent``: its pooled children back into the pool, the others dropped."""
        for child in list(parent.children):
            if getattr(child, "_pooled_by", None) is self:
                self.release(child)
            else:
                parent.remove_widget(child)

    @staticmethod
    def added(widget: Any) -> int:
        """How many children ``widget`` was given beyond those its kv rule made."""
        own = getattr(widget, "_pool_own", frozenset())
        return sum(1 for child in widget.children if child not in own)

    def _strip(self, widget: Any) -> None:
        own = getattr(widget, "_pool_own", frozenset())
        for child in list(widget.children):
            if child in own:
                continue
            if getattr(child, "_pooled_by", None) is self:
                self.release(child)
            else:
                widget.remove_widget(child)

    def blank(self) -> None:
        """Empty the text of every free widget: nothing of a visit stays, even off screen."""
        for cls, free in self._free.items():
            texts = [k for k in DEFAULTS.get(cls.__name__, {})
                     if k in ("text", "title", "day", "hours", "note", "name", "subtitle", "chip_text", "item_id")]
            for widget in free:
                for name in texts:
                    if getattr(widget, name):
                        setattr(widget, name, "")

    def free_count(self, cls: Optional[type] = None) -> int:
        if cls is not None:
            return len(self._free.get(cls, ()))
        return sum(len(v) for v in self._free.values())

    def fill(self, cls: type, count: int) -> None:
        """Make ``count`` more free ``cls`` beforehand (while nobody waits)."""
        free = self._free.setdefault(cls, [])
        for _ in range(min(count, self.keep - len(free))):
            widget = cls()
            widget._pool_own = frozenset(widget.children)
            widget._pooled_by = self
            free.append(widget)

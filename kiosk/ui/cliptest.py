"""Is any text on screen cut? Walks every label of what the window shows and names each one
whose rendered text is wider or taller than the box it is given.

A label is cut when its texture (the text as drawn) is larger than the label itself, or when the
label's box reaches outside one of the boxes that hold it (a button, a card, the window). Inside
a scroll view the content may run past the visible area (that is what scrolling is for), so the
walk checks a scrolled label against its own box and the boxes up to the scroll view only.
Invisible widgets (opacity 0, or under an invisible parent) are skipped.

Used by ``kiosk screenshots --check`` and the layout tests at every panel size.
"""
from __future__ import annotations

from typing import Iterator

from kivy.uix.label import Label
from kivy.uix.recycleview import RecycleView
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

#: pixels of slack (anti-aliasing, rounding of wrapped text)
TOLERANCE = 2.0


def window_rect(widget: Widget) -> tuple[float, float, float, float]:
    """``widget``'s box in window coordinates: (x0, y0, x1, y1)."""
    x0, y0 = widget.to_window(widget.x, widget.y)
    return x0, y0, x0 + widget.width, y0 + widget.height


def _visible_labels(widget: Widget, holders: tuple[Widget, ...]) -> Iterator[tuple[Label, tuple[Widget, ...]]]:
    if widget.opacity <= 0.01 or widget.width <= 0 or widget.height <= 0:
        return
    if isinstance(widget, Label):
        yield widget, holders
    inner = (widget,) if isinstance(widget, (ScrollView, RecycleView)) else holders + (widget,)
    for child in widget.children:
        yield from _visible_labels(child, inner)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def label_problem(label: Label, holders: tuple[Widget, ...]) -> str:
    """What is wrong with ``label`` (empty when nothing is)."""
    if not label.text.strip():
        return ""
    tw, th = label.texture_size
    if tw > label.width + TOLERANCE or th > label.height + TOLERANCE:
        return (f"text {tw:.0f}x{th:.0f} px in a box of {label.width:.0f}x{label.height:.0f}: "
                f"{_short(label.text)!r}")
    lx0, ly0, lx1, ly1 = window_rect(label)
    for holder in holders:
        if isinstance(holder, (ScrollView, RecycleView)):
            continue
        hx0, hy0, hx1, hy1 = window_rect(holder)
        if (lx0 < hx0 - TOLERANCE or ly0 < hy0 - TOLERANCE or lx1 > hx1 + TOLERANCE
                or ly1 > hy1 + TOLERANCE):
            return (f"label at {lx0:.0f},{ly0:.0f}-{lx1:.0f},{ly1:.0f} outside its "
                    f"{type(holder).__name__} at {hx0:.0f},{hy0:.0f}-{hx1:.0f},{hy1:.0f}: "
                    f"{_short(label.text)!r}")
    return ""


def clipped(window) -> list[str]:
    """Every cut label on ``window`` (Kivy's Window): one line each, naming its text."""
    problems: list[str] = []
    screen_box = Widget(pos=(0, 0), size=window.size)
    for root in window.children:
        for label, holders in _visible_labels(root, ()):
            scrolled = bool(holders) and isinstance(holders[0], (ScrollView, RecycleView))
            problem = label_problem(label, holders if scrolled else (screen_box,) + holders)
            if problem:
                problems.append(problem)
    return problems


def out_of_view(widget: Widget, view: Widget) -> str:
    """Empty when ``widget`` lies wholly inside the visible part of ``view`` (a scroll view)."""
    wx0, wy0, wx1, wy1 = window_rect(widget)
    vx0, vy0, vx1, vy1 = window_rect(view)
    if widget.width <= 0 or widget.height <= 0:
        return "not drawn"
    if wx0 < vx0 - TOLERANCE or wy0 < vy0 - TOLERANCE or wx1 > vx1 + TOLERANCE or wy1 > vy1 + TOLERANCE:
        return (f"{type(getattr(widget, '__self__', widget)).__name__} at {wx0:.0f},{wy0:.0f}-{wx1:.0f},{wy1:.0f} not wholly in view "
                f"{vx0:.0f},{vy0:.0f}-{vx1:.0f},{vy1:.0f}")
    return ""

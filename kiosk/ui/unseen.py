"""Widgets at opacity 0 draw nothing.

Kivy hides a widget at opacity 0 by drawing it, and everything in it, fully transparent: every
instruction is still issued and, without a GPU (llvmpipe), every pixel of it is still shaded and
blended into the frame. The kiosk hides a good deal that way, to keep a widget's place in its
layout: the speech controls under the top bar while speech is off (ten buttons), Back on the
first screen, the demo ribbon on a narrow bar, the parts of a card that have nothing to say. The
hidden speech controls alone cost 5 ms of the 22 ms a frame took to draw under llvmpipe.

:func:`install` (once, before any widget is made: :func:`kiosk.app.create_app`) makes Kivy's
``Widget.on_opacity``, and its constructor for an opacity given to it, also put a widget at
opacity 0 between a zero-size scissor and its end (:func:`conceal`): the first instruction of
its ``canvas.before`` and the last of its ``canvas.after``, so they enclose its own drawing and
all its children's. Its instructions are still issued, which costs little; the rasterizer
discards every triangle. Nothing else changes: the widget keeps its place, its size and its
touches (the kiosk disables or ignores what it hides where a touch must not reach it), and it
is drawn again in the frame its opacity rises above 0. The pixels are the same: what is
discarded was fully transparent.
"""
from __future__ import annotations

from kivy.graphics import ScissorPop, ScissorPush
from kivy.uix.widget import Widget

#: the attribute holding a concealed widget's (push, pop) pair
_PAIR = "_unseen_scissor"
_installed = False


def conceal(widget: Widget, hidden: bool) -> None:
    """Enclose ``widget``'s drawing in a zero-size scissor (``hidden``), or take it away."""
    canvas = widget.canvas
    if canvas is None:
        return
    pair = getattr(widget, _PAIR, None)
    if hidden and pair is None:
        pair = (ScissorPush(x=0, y=0, width=0, height=0), ScissorPop())
        canvas.before.insert(0, pair[0])
        canvas.after.add(pair[1])
        setattr(widget, _PAIR, pair)
    elif not hidden and pair is not None:
        canvas.before.remove(pair[0])
        canvas.after.remove(pair[1])
        setattr(widget, _PAIR, None)


def concealed(widget: Widget) -> bool:
    """Whether ``widget`` is drawn behind a zero-size scissor now."""
    return getattr(widget, _PAIR, None) is not None


def install() -> None:
    """Make every widget made from now on draw nothing while its opacity is 0 (once per process)."""
    global _installed
    if _installed:
        return
    kivy_init, kivy_on_opacity = Widget.__init__, Widget.on_opacity

    def __init__(self, **kwargs):
        kivy_init(self, **kwargs)
        if self.opacity <= 0:          # given to the constructor: Kivy dispatches no change
            conceal(self, True)

    def on_opacity(self, instance, value):
        kivy_on_opacity(self, instance, value)
        conceal(self, value <= 0)

    __init__.__doc__, on_opacity.__doc__ = kivy_init.__doc__, kivy_on_opacity.__doc__
    Widget.__init__, Widget.on_opacity = __init__, on_opacity
    _installed = True

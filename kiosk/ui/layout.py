"""Boxes that arrange the pages (one shown only while it is wanted, two columns that stack), and
scrolling a page so that a part of it is in view."""
from __future__ import annotations

from typing import Optional

from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget


class Reveal(BoxLayout):
    """A box that is there only while ``shown``: hidden, it is invisible and lets touches through.

    (A disabled widget would swallow the touches over it, and an invisible button must never
    be pressable.)
    """

    shown = BooleanProperty(False)

    def on_touch_down(self, touch):
        return super().on_touch_down(touch) if self.shown else False

    def on_touch_move(self, touch):
        return super().on_touch_move(touch) if self.shown else False

    def on_touch_up(self, touch):
        return super().on_touch_up(touch) if self.shown else False


class Columns(BoxLayout):
    """Two columns side by side on a wide screen, one above the other on a narrow, small or portrait one.

    Side by side, both columns hang from the top (a grid would sit the shorter one at the bottom).
    """

    breakpoint = NumericProperty(dp(1000))
    wide = BooleanProperty(True)

    def __init__(self, **kwargs):
        from kiosk.ui.theme import theme

        super().__init__(**kwargs)
        self.size_hint_y = None
        self.bind(width=self._reflow, children=self._reflow, minimum_height=self._reflow)
        theme.bind(compact=self._reflow, portrait=self._reflow)

    def add_widget(self, widget, *args, **kwargs):
        widget.pos_hint = {"top": 1}
        widget.bind(height=self._reflow)
        return super().add_widget(widget, *args, **kwargs)

    def remove_widget(self, widget, *args, **kwargs):
        widget.unbind(height=self._reflow)
        return super().remove_widget(widget, *args, **kwargs)

    def _reflow(self, *_args) -> None:
        from kiosk.ui.theme import theme

        # one column on a small panel and in portrait (a totem), whatever the width in pixels
        self.wide = self.width >= self.breakpoint and not theme.compact and not theme.portrait
        self.orientation = "horizontal" if self.wide else "vertical"
        if self.wide:
            self.height = max([c.height for c in self.children] or [0]) + self.padding[1] + self.padding[3]
        else:
            self.height = self.minimum_height


def scroll_parent(widget: Widget) -> Optional[ScrollView]:
    """The scroll view ``widget`` is in (the nearest), or None."""
    from kivy.core.window import WindowBase

    parent = widget.parent
    while parent is not None and not isinstance(parent, WindowBase):
        if isinstance(parent, ScrollView):
            return parent
        parent = parent.parent
    return None


def scroll_into_view(sv: ScrollView, widget: Widget, pad: float = dp(24)) -> None:
    """Scroll ``sv`` at once, as little as will do, so that ``widget`` is in view with ``pad``
    around it (ScrollView.scroll_to needs a layout trigger some of our viewports lack). A widget
    taller than the view is shown from its bottom edge when it lies below, from its top when above."""
    vp = sv._viewport
    overflow = vp.height - sv.height if vp is not None else 0
    if overflow <= 0:
        return
    y = widget.to_window(widget.x, widget.y)[1] - vp.to_window(vp.x, vp.y)[1]
    bottom = sv.scroll_y * overflow
    if y - pad < bottom:
        bottom = y - pad
    elif y + widget.height + pad > bottom + sv.height:
        bottom = y + widget.height + pad - sv.height
    sv.scroll_y = max(0.0, min(1.0, bottom / overflow))

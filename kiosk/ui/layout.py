"""Boxes that arrange the pages: one shown only while it is wanted, two columns that stack."""
from __future__ import annotations

from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.boxlayout import BoxLayout


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

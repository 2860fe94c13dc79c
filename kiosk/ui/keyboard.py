"""The on-screen keyboard: Albanian (QWERTZ with Ë and Ç) or English (QWERTY), big keys.

It types nothing by itself: it dispatches ``on_key`` (a character), ``on_backspace`` and
``on_clear``, and the search screen keeps the text. The layout follows the visitor's language.
"""
from __future__ import annotations

from functools import partial

from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, OptionProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.layout import Layout
from kivy.uix.widget import Widget

from kiosk.ui.widgets import IconImage

BACKSPACE, SPACE, CLEAR = "{backspace}", "{space}", "{clear}"

#: Rows of keys; a key is a character or one of the special names above. Widths in key units.
LAYOUTS = {
    "sq": [
        list("1234567890"),
        list("qwertzuiopç"),
        list("asdfghjklë"),
        list("yxcvbnm-") + [BACKSPACE],
        [CLEAR, SPACE],
    ],
    "en": [
        list("1234567890"),
        list("qwertyuiop"),
        list("asdfghjkl"),
        list("zxcvbnm-") + [BACKSPACE],
        [CLEAR, SPACE],
    ],
}
WIDTHS = {BACKSPACE: 2.5, SPACE: 6.0, CLEAR: 3.0}


def layout_for(lang: str) -> list[list[str]]:
    return LAYOUTS.get(lang, LAYOUTS["sq"])


class KeyIcon(IconImage):
    """An action key's icon; its kv rule follows the key's state (no binding of its own to the
    theme, which would outlive the key)."""

    key = ObjectProperty(None, allownone=True, rebind=True)


class KeyButton(ButtonBehavior, Layout):
    """One key. ``value`` is what it types (or a special name); ``label`` what it shows.

    An action key (delete, space, clear all) shows its icon beside its word when both fit, and
    only the word (wrapped if need be) on a narrow key.

    A key centres its label itself (:meth:`do_layout`); only an action key has an icon widget
    too. A character key is two widgets, where a box of spacer, icon, label and spacer made
    five: 120 widgets fewer on the keyboard.
    """

    value = StringProperty("")
    label = StringProperty("")
    icon = StringProperty("")
    units = NumericProperty(1.0)
    kind = OptionProperty("char", options=["char", "action"])
    show_icon = BooleanProperty(True)
    word = StringProperty("")

    #: between the icon and the word
    GAP = dp(10)

    def __init__(self, **kwargs) -> None:
        self._icon: IconImage | None = None
        super().__init__(**kwargs)
        for name in ("pos", "size", "show_icon"):
            self.fbind(name, self._trigger_layout)
        if self.icon:
            self._add_icon()

    def _add_icon(self) -> None:
        self._icon = KeyIcon(name=self.icon, key=self)
        self.add_widget(self._icon)

    def do_layout(self, *_args) -> None:
        lbl = self.ids.get("lbl")
        if lbl is None:
            return
        icon = self._icon if self._icon is not None and self.show_icon else None
        width = lbl.width + ((icon.width + self.GAP) if icon is not None else 0)
        left, cy = self.center_x - width / 2, self.center_y
        if icon is not None:
            icon.pos = (left, cy - icon.height / 2)
            left += icon.width + self.GAP
        lbl.pos = (left, cy - lbl.height / 2)

    def fits(self, text: str, font_size: float, *_bindings) -> bool:
        """Whether the icon and ``text`` fit side by side on this key."""
        if not text or self.width <= 0:
            return True
        from kivy.core.text import Label as CoreLabel

        measure = CoreLabel(text=text, font_size=font_size, bold=True)
        measure.refresh()
        return measure.content_width + dp(40) + dp(10) + dp(24) <= self.width


class OnScreenKeyboard(BoxLayout):
    """Rows of :class:`KeyButton`, swapped when ``layout`` changes: each layout's rows are made
    the first time it is shown and kept (a visitor switching languages, and a lobby of visitors
    one after another, would otherwise leave forty keys for the garbage collector each time)."""

    layout = StringProperty("sq")
    #: one section of the keypad's focus ring, so Right jumps past all its keys (kiosk.ui.focus)
    focus_section = "keyboard"
    key_height = NumericProperty(dp(80))
    __events__ = ("on_key", "on_backspace", "on_clear")

    def __init__(self, **kwargs):
        self._lines: dict[str, list[BoxLayout]] = {}
        super().__init__(**kwargs)
        self._build()

    def on_layout(self, *_args) -> None:
        self._build()

    def on_key_height(self, _keyboard, height: float) -> None:
        # set here rather than bound to each row: a binding from the keyboard to a row's setter
        # would keep every row (and its keys) of every earlier layout alive
        for line in self.children:
            line.height = height

    def _build(self) -> None:
        self.clear_widgets()
        lines = self._lines.get(self.layout)
        if lines is None:
            lines = self._lines[self.layout] = self._make_lines(self.layout)
        for line in lines:
            line.height = self.key_height
            self.add_widget(line)

    def _make_lines(self, layout: str) -> list[BoxLayout]:
        lines = []
        rows = layout_for(layout)
        widest = max(sum(WIDTHS.get(k, 1.0) for k in row) for row in rows)
        for row in rows:
            line = BoxLayout(spacing=dp(8))
            line.size_hint_y = None
            line.height = self.key_height
            spare = widest - sum(WIDTHS.get(k, 1.0) for k in row)
            if spare > 0:
                line.add_widget(Widget(size_hint_x=spare / 2))
            for value in row:
                line.add_widget(self._key(value))
            if spare > 0:
                line.add_widget(Widget(size_hint_x=spare / 2))
            lines.append(line)
        return lines

    def _key(self, value: str) -> KeyButton:
        units = WIDTHS.get(value, 1.0)
        if value == BACKSPACE:
            key = KeyButton(value=value, icon="backspace", kind="action", units=units)
        elif value == SPACE:
            key = KeyButton(value=value, icon="space", kind="action", units=units)
        elif value == CLEAR:
            key = KeyButton(value=value, icon="close", kind="action", units=units)
        else:
            key = KeyButton(value=value, label=value.upper(), units=units)
        key.size_hint_x = units
        key.bind(on_release=partial(self._pressed, value))
        return key

    def _pressed(self, value: str, *_args) -> None:
        if value == BACKSPACE:
            self.dispatch("on_backspace")
        elif value == CLEAR:
            self.dispatch("on_clear")
        elif value == SPACE:
            self.dispatch("on_key", " ")
        else:
            self.dispatch("on_key", value)

    def key_for(self, value: str) -> KeyButton | None:
        """The key that types ``value`` (tests and the screenshots press it)."""
        for line in self.children:
            for key in line.children:
                if isinstance(key, KeyButton) and key.value == value:
                    return key
        return None

    def on_key(self, char: str) -> None:
        pass

    def on_backspace(self) -> None:
        pass

    def on_clear(self) -> None:
        pass

"""The attract screen: the centre's name, a breathing "touch the screen" and the language buttons.

Touching a language button starts in that language; touching anywhere else starts in the
kiosk's default language. A touch that became the staff corner hold starts nothing.

The column is drawn to its texts, and at the largest text on a short panel (1366x768) it is
taller than the room above the bar: then the two headlines, the centre's name and the call to
touch, shrink together (:attr:`WelcomeScreen.fit`) until everything fits, rather than run off
the top of the screen. The how-to-listen lines stand under the language buttons, never in the
bar, which they outgrew at the largest text.
"""
from __future__ import annotations

from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty

from kiosk.ui.base import KioskScreen
from kiosk.ui.i18n import tr
from kiosk.ui.motion import attract_for


#: the smallest share of their designed size the title and the call shrink to: still larger
#: than the body text at the same text size (44 sp x 0.6 against 24 sp)
MIN_FIT = 0.6


class WelcomeScreen(KioskScreen):
    top_bar = False     # the welcome screen is the one without the top bar
    centre_name = StringProperty("")
    #: the configured languages, the default first
    languages = ListProperty([])
    #: the share of their designed size the title and the call are drawn at: 1 wherever the
    #: column fits, less where it would otherwise run off the top (:meth:`fit_headlines`)
    fit = NumericProperty(1.0)
    #: the demo notice stands over the bar, in the column (set by the kv rule)
    ribbon_in_body = BooleanProperty(False)

    def on_kv_post(self, base_widget) -> None:
        from kivy.clock import Clock

        from kiosk.ui.theme import theme

        super().on_kv_post(base_widget)
        self._refit = Clock.create_trigger(self.fit_headlines, -1)
        column = self.ids.column
        column.bind(size=self._refit, children=self._watch_children)
        self.ids.centre.bind(text=self._refit)
        self.ids.call.bind(text=self._refit)
        theme.bind(sizes_version=self._refit)
        self._watch_children()

    def _watch_children(self, *_args) -> None:
        for child in self.ids.column.children:
            if child not in self._headlines():
                child.unbind(height=self._refit)
                child.bind(height=self._refit)
        self._refit()

    def _headlines(self) -> tuple:
        return self.ids.centre, self.ids.call

    def fit_headlines(self, *_args) -> None:
        """Set :attr:`fit`: the largest share of their designed size (down to :data:`MIN_FIT`)
        at which the title and the call, with the rest of the column as it is, fit its height.
        The picture of a touch takes what is left and gives way first."""
        from kiosk.ui.theme import theme

        column = self.ids.column
        centre, call = self._headlines()
        if column.height <= 0 or column.width <= 0:
            return
        others = [c for c in column.children if c not in (centre, call, self.ids.picture)]
        spacing = column.spacing * max(0, len(column.children) - 1)
        room = (column.height - column.padding[1] - column.padding[3] - spacing
                - sum(c.height for c in others))
        title_size = theme.size_of(centre.role, theme.sizes_version)
        call_size = self.call_size()

        width = column.width - column.padding[0] - column.padding[2]

        def needed(share: float) -> float:
            return (_text_height(centre, title_size * share, width)
                    + _text_height(call, call_size * share, width))

        if needed(1.0) <= room:
            self.fit = 1.0
            return
        low, high = MIN_FIT, 1.0
        for _ in range(12):
            middle = (low + high) / 2
            low, high = (middle, high) if needed(middle) <= room else (low, middle)
        self.fit = low

    @staticmethod
    def call_size(*_bindings) -> float:
        """The call to touch's designed font size (before :attr:`fit`)."""
        from kiosk.ui.theme import theme

        return theme.heading if theme.compact else theme.title

    def other_languages_line(self, message: str, *_bindings) -> str:
        """``message`` in every offered language but the current one, one per line."""
        return "\n".join(tr.in_lang(lang, message) for lang in self.languages if lang != tr.lang)

    def how_to_listen_lines(self, *_bindings) -> str:
        """How speech starts, in the current language first, then in every other offered one."""
        langs = [tr.lang] + [lang for lang in self.languages if lang != tr.lang]
        return "\n".join(tr.in_lang(lang, "To listen, press any key on the keypad, or touch Listen.")
                         for lang in langs)

    def set_languages(self, languages: list[str]) -> None:
        """One big button per offered language, each in its own name."""
        from functools import partial

        from kivy.metrics import dp
        from kivy.uix.widget import Widget

        from kiosk.ui.widgets import KButton

        self.languages = list(languages)
        box = self.ids.language_buttons
        box.clear_widgets()
        box.add_widget(Widget())
        for lang in self.languages:
            button = KButton(text=tr.language_name(lang), icon="language", variant="primary",
                             auto_width=False, icon_size=dp(48))
            # dp(380) each where they fit; on a narrow panel they share the width
            box.bind(width=partial(_share_width, button, len(self.languages)))
            _share_width(button, len(self.languages), box, box.width)
            button.fixed_height = box.height
            box.bind(height=button.setter("fixed_height"))
            button.font_size = dp(36)
            button.lang = lang
            button.speech_lang = lang       # the ring says each name in its own voice
            button.bind(on_release=partial(self._chosen, lang))
            box.add_widget(button)
        box.add_widget(Widget())

    def _chosen(self, lang: str, *_args) -> None:
        app = self.app
        if app is not None:
            app.start(lang)

    def on_pre_enter(self, *_args) -> None:
        app = self.app
        if app is None or app.animate:
            attract_for(self).start()

    def on_leave(self, *_args) -> None:
        attract_for(self).stop()

    def on_touch_down(self, touch):
        if super().on_touch_down(touch):
            return True
        if self.collide_point(*touch.pos):
            touch.ud["welcome.tap"] = True
            return True
        return False

    def on_touch_up(self, touch):
        if super().on_touch_up(touch):
            return True
        if touch.ud.get("welcome.tap") and not touch.ud.get("kiosk.corner_hold"):
            app = self.app
            if app is not None and app.sm.current == self.name and not app.sm.transition.is_active:
                app.start(app.default_language)
            return True
        return False


def _text_height(label, font_size: float, width: float) -> float:
    """The height ``label``'s text would take at ``font_size``, wrapped to ``width``."""
    from kivy.core.text import Label as CoreLabel
    from kivy.core.text.markup import MarkupLabel

    if not label.text or width <= 0:
        return 0.0
    kind = MarkupLabel if label.markup else CoreLabel
    core = kind(text=label.text, font_size=font_size, font_name=label.font_name, bold=label.bold,
                text_size=(width, None), line_height=label.line_height, halign=label.halign)
    core.refresh()
    return float(core.texture.size[1]) if core.texture else 0.0


def _share_width(button, count: int, box, width: float) -> None:
    from kivy.metrics import dp

    room = (width - box.spacing * (count + 1)) / max(1, count)
    button.fixed_width = max(dp(120), min(dp(380), room))

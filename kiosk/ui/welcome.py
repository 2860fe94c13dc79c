"""The attract screen: the centre's name, a breathing "touch the screen" and the language buttons.

Touching a language button starts in that language; touching anywhere else starts in the
kiosk's default language. A touch that became the staff corner hold starts nothing.
"""
from __future__ import annotations

from kivy.properties import ListProperty, StringProperty

from kiosk.ui.base import KioskScreen
from kiosk.ui.i18n import tr
from kiosk.ui.motion import attract_for


class WelcomeScreen(KioskScreen):
    top_bar = False     # the welcome screen is the one without the top bar
    centre_name = StringProperty("")
    #: the configured languages, the default first
    languages = ListProperty([])

    def other_languages_line(self, message: str, *_bindings) -> str:
        """``message`` in every offered language but the current one, one per line."""
        return "\n".join(tr.in_lang(lang, message) for lang in self.languages if lang != tr.lang)

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


def _share_width(button, count: int, box, width: float) -> None:
    from kivy.metrics import dp

    room = (width - box.spacing * (count + 1)) / max(1, count)
    button.fixed_width = max(dp(120), min(dp(380), room))

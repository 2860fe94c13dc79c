"""The observable translator the kv rules use: ``text: tr._("Home", tr.lang)``.

:data:`tr` wraps :data:`kiosk.i18n.translator`. Its ``lang`` property changes on every language
switch; a kv expression that mentions ``tr.lang`` is re-evaluated then, so every visible string
follows the visitor's language without any screen rebuilding itself. Python code calls
``tr._(message)`` (extra arguments are ignored; they exist only so kv can bind to ``tr.lang``).
"""
from __future__ import annotations

from kivy.event import EventDispatcher
from kivy.properties import StringProperty

from kiosk.i18n import LANGUAGES, translator

#: How each language calls itself, for the language buttons (not translated on purpose).
LANGUAGE_NAMES = {"sq": "Shqip", "en": "English"}


class ObservableTranslator(EventDispatcher):
    lang = StringProperty(translator.lang)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.lang = translator.lang
        translator.add_listener(self._heard)

    def _heard(self, lang: str) -> None:
        self.lang = lang

    def switch(self, lang: str) -> None:
        translator.switch(lang)
        self.lang = translator.lang

    def _(self, message: str, *_bindings) -> str:
        return translator.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, *_bindings) -> str:
        return translator.ngettext(singular, plural, n)

    def in_lang(self, lang: str, message: str, *_bindings) -> str:
        """``message`` in ``lang`` whatever the current language (the welcome screen shows all)."""
        return translator.in_language(lang, message)

    @staticmethod
    def language_name(lang: str) -> str:
        return LANGUAGE_NAMES.get(lang, lang)

    @property
    def languages(self) -> tuple[str, ...]:
        return LANGUAGES


tr = ObservableTranslator()

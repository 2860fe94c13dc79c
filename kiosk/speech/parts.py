"""What the engine speaks: :class:`Part`, a piece of text with the voice (language) to read it.

Every spoken message is a gettext message id marked with :func:`N_` and resolved in the
visitor's language with :func:`say`, which fills it in and writes it for the ear
(:func:`kiosk.speech.normalise.normalise`). No Kivy import.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from kiosk.i18n import translator
from kiosk.speech.normalise import normalise


def N_(message: str) -> str:
    """Mark ``message`` for translation; :func:`say` translates it in the visitor's language."""
    return message


@dataclass(frozen=True)
class Part:
    """One piece of speech, already written for the ear, and the language of its voice."""

    text: str
    lang: str


def tr(lang: str, message: str, n: int | None = None, plural: str | None = None) -> str:
    """``message`` (or its plural form for ``n``) in ``lang``, not yet filled in."""
    translations = translator.translations(lang)
    if plural is not None and n is not None:
        return translations.ngettext(message, plural, n)
    return translations.gettext(message)


def say(lang: str, message: str, **fields) -> Part:
    """``message`` in ``lang``, filled in with ``fields`` and normalised for the ear."""
    text = tr(lang, message)
    return Part(normalise(text.format(**fields) if fields else text, lang), lang)


def plain(lang: str, text: str) -> Part:
    """Catalogue text (a name, a description) as the ``lang`` voice should read it."""
    return Part(normalise(text, lang), lang)


def join(parts: Iterable[Part]) -> str:
    """The parts as one text, a line each (what ``kiosk speak`` prints)."""
    return "\n".join(p.text for p in parts if p.text)


def sentence(text: str) -> str:
    """``text`` ending with a full stop, so the voice pauses before what follows."""
    text = text.rstrip()
    return text if not text or text[-1] in ".!?:" else text + "."

"""What the engine speaks: :class:`Part`, a piece of text with the voice (language) to read it.

Every spoken message is a gettext message id marked with :func:`N_` and resolved in the
visitor's language with :func:`say`, which fills it in and writes it for the ear
(:func:`kiosk.speech.normalise.normalise`). Catalogue text is said by :func:`catalogue` in the
voice of the language the data says it is in: the Albanian voice for a field that fell back to
Albanian (:class:`kiosk.catalogue.cards.Albanian`), the reading's for any other. Only text no
data speaks for (what the visitor typed, a label read off the screen) is judged by its words
(:func:`plain`, :mod:`kiosk.speech.language`). No Kivy import.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from kiosk.catalogue.cards import in_albanian, untranslated
from kiosk.i18n import translator
from kiosk.speech.language import DEFAULT, sentences, voice
from kiosk.speech.normalise import normalise


def N_(message: str) -> str:
    """Mark ``message`` for translation; :func:`say` translates it in the visitor's language."""
    return message


@dataclass(frozen=True)
class Part:
    """One piece of speech, already written for the ear, and the language of its voice.

    A part that mixes voices (an English line naming an untranslated Albanian field, "Search
    results for" and the visitor's "strehë") keeps the reading's ``lang`` and says its
    ``pieces`` in turn, each (text, language) in its own voice; ``text`` is all of them."""

    text: str
    lang: str
    pieces: tuple[tuple[str, str], ...] = ()

    def voiced(self) -> tuple["Part", ...]:
        """What the engine says, a voice at a time."""
        return tuple(Part(text, lang) for text, lang in self.pieces) or (self,)


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


def voice_of(text: str, lang: str) -> str:
    """The voice of catalogue text ``text`` in a ``lang`` reading, as the data says: Albanian
    for a field that fell back to Albanian, else ``lang``."""
    return DEFAULT if lang != DEFAULT and in_albanian(text) else lang


def as_in(source: str, text: str) -> str:
    """``text``, made from catalogue text ``source`` (trimmed, a number taken out, joined
    up), in ``source``'s language: marked Albanian when ``source`` is."""
    return untranslated(text) if in_albanian(source) else text


def catalogue(lang: str, text: str, *, end: bool = True) -> Part:
    """Catalogue text (a name, a description, a note) in a ``lang`` reading, said whole by the
    voice of its language as the data gives it (:func:`voice_of`), never guessed: an English
    field that names "Korçë" or says "të" stays English; an Albanian one written without ë
    ("Prane Bashkise") is Albanian. ``end``: with a full stop, so the voice pauses after it."""
    said_in = voice_of(text, lang)
    text = text or ""
    return Part(normalise(sentence(text) if end else text, said_in), said_in)


def listed(lang: str, texts: Iterable[str]) -> Part:
    """Catalogue texts one after the other with commas, ending with a full stop (a person's
    name, title and department; the languages spoken), each in its own voice."""
    texts = [t for t in texts if t and t.strip()]
    said = [catalogue(lang, t, end=False) for t in texts]
    return combine(lang, [Part(p.text.rstrip(" ,.;") + ",", p.lang) if i < len(said) - 1
                          else Part(sentence(p.text), p.lang) for i, p in enumerate(said)])


def plain(lang: str, text: str) -> Part:
    """Text no data speaks for (what the visitor typed, a label read off the screen, the
    configured centre name) in a ``lang`` reading: each sentence that reads as Albanian in the
    Albanian voice, the rest in ``lang``'s (:mod:`kiosk.speech.language`). Catalogue text goes
    to :func:`catalogue`; a text marked Albanian is said so here too."""
    if lang != DEFAULT and in_albanian(text):
        return Part(normalise(text, DEFAULT), DEFAULT)
    if lang != "sq" and text:
        said = [(s, voice(s, lang)) for s in sentences(text)]
        if any(v != lang for _s, v in said):
            return combine(lang, [Part(normalise(s, v), v) for s, v in said])
    return Part(normalise(text, lang), lang)


def combine(lang: str, pieces: Iterable[Part]) -> Part:
    """``pieces`` said one after the other as one part of a ``lang`` reading (a row: its name,
    provider and status), each in its own voice, neighbours of one voice joined."""
    runs: list[list[str]] = []     # [text, voice] runs
    for piece in pieces:
        for part in piece.voiced():
            if not part.text:
                continue
            if runs and runs[-1][1] == part.lang:
                runs[-1][0] += " " + part.text
            else:
                runs.append([part.text, part.lang])
    if not runs:
        return Part("", lang)
    text = " ".join(t for t, _v in runs)
    if len(runs) == 1:
        return Part(text, runs[0][1])
    return Part(text, lang, tuple((t, v) for t, v in runs))


def say_with(lang: str, message: str, name: str, value: str, *, typed: bool = False, **fields) -> Part:
    """``message`` filled in with catalogue text ``value`` as ``{name}`` (a phone's note): the
    value in its own voice (:func:`catalogue`), the message's words in ``lang``. ``typed``: the
    value is what the visitor typed, whose language no data gives (:func:`plain` judges it)."""
    said = plain(lang, value) if typed else catalogue(lang, value, end=False)
    if said.pieces == () and said.lang == lang:
        return say(lang, message, **{name: value}, **fields)
    before, _sep, after = tr(lang, message).partition("{" + name + "}")
    head, tail = before.format(**fields), after.format(**fields)
    if not any(ch.isalnum() for ch in tail):    # "”." after the value: only its full stop
        if "." in tail and not said.pieces:
            said = Part(sentence(said.text), said.lang)
        tail = ""
    head_text = normalise(head, lang)
    if head_text and head.rstrip()[-1:] in (",", ":", ";") and not head_text.endswith(head.rstrip()[-1]):
        head_text += head.rstrip()[-1]     # the pause before the value, which the tidying took
    return combine(lang, [Part(head_text, lang), said, Part(normalise(tail, lang), lang)])


def join(parts: Iterable[Part]) -> str:
    """The parts as one text, a line each (what ``kiosk speak`` prints)."""
    return "\n".join(p.text for p in parts if p.text)


def sentence(text: str) -> str:
    """``text`` ending with a full stop, so the voice pauses before what follows."""
    text = text.rstrip()
    return text if not text or text[-1] in ".!?:" else text + "."

"""How a phone number is written for a visitor, on the screen and on the slip alike: its kind when
it is not a number to talk to ("Fax: 054 400 101"), its extension ("+355 54 400 100, ext. 204")
and its note. Also which numbers a "Call" code may dial (:func:`dialable`). No Kivy import.
"""
from __future__ import annotations

from kiosk.catalogue.cards import PhoneInfo
from kiosk.handoff import N_, in_lang

#: HSDS ``phone.type`` values a visitor must be told, because calling them does not reach a
#: person: their label, shown before the number.
KIND_LABELS = {
    "fax": N_("Fax"),
    "pager": N_("Pager"),
    "textphone": N_("Textphone"),
    "text": N_("Text messages (SMS)"),
}
#: The kinds a "Call" code never dials: one cannot talk to a fax, a pager, a textphone or an
#: SMS-only number from a phone's dialler.
NOT_FOR_CALLING = frozenset(KIND_LABELS)

WITH_KIND = N_("{kind}: {number}")
WITH_EXTENSION = N_("{number}, ext. {extension}")


def kind_label(phone: PhoneInfo, lang: str) -> str:
    """``phone``'s kind in ``lang`` when it is one to label ("Fax"), else ""."""
    label = KIND_LABELS.get((phone.type or "").lower())
    return in_lang(lang, label) if label else ""


def dialable(phone: PhoneInfo) -> bool:
    """Whether a "Call" code may dial ``phone`` (a voice, mobile or video number, or one of no
    stated kind)."""
    return (phone.type or "voice").lower() not in NOT_FOR_CALLING


def number_text(phone: PhoneInfo, lang: str) -> str:
    """The number with its kind and extension, without its note: "Faks: 054 400 101",
    "+355 54 400 100, zgjatimi 204"."""
    number = " ".join(phone.number.split())
    if phone.extension:
        number = in_lang(lang, WITH_EXTENSION).format(number=number, extension=phone.extension)
    kind = kind_label(phone, lang)
    return in_lang(lang, WITH_KIND).format(kind=kind, number=number) if kind else number


def phone_text(phone: PhoneInfo, lang: str, note_sep: str = "  ") -> str:
    """The whole line: :func:`number_text` and the phone's note in brackets."""
    text = number_text(phone, lang)
    note = " ".join(phone.description.split())
    return f"{text}{note_sep}({note})" if note else text

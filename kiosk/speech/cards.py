"""What one card, row or line says: a category tile, a service row, a search result, opening
status and hours. The screens in :mod:`kiosk.speech.screens` are made of these, and the UI reads
one of them when a card is touched or focused. Plain data in, :class:`Part` out; no Kivy.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable, Optional

from babel.dates import get_day_names

from kiosk.catalogue.hours import DayHours, OpenStatus
from kiosk.catalogue.cards import CategoryCard, PhoneInfo, SearchResult, ServiceRow
from kiosk.handoff.phones import KIND_LABELS
from kiosk.handoff.vcard import DEFAULT_NEUTRAL_TITLE
from kiosk.speech.language import DEFAULT
from kiosk.speech.parts import N_, Part, catalogue, combine, say, say_with, sentence, tr
from kiosk.speech.normalise import dial_digits, normalise
from kiosk.speech.numbers import digits

# Message ids the screens already show (their translations are in the .po files).
OPEN_NOW = N_("Open now")
OPENS_AT = N_("Opens at {time}")
CLOSED_TODAY = N_("Closed for today")
NO_HOURS = N_("No opening hours listed")
TEMP_CLOSED = N_("Temporarily closed")
TEMP_CLOSED_DETAIL = N_("This service is closed for now. Call before you go.")
ALWAYS = N_("Open day and night.")
UNTIL = N_("Open until {time}.")
LATER = N_("Closed now. Opens today at {time}.")
TOMORROW = N_("Opens tomorrow at {time}.")
NEXT = N_("Next opening: {day} at {time}.")
NO_OPENING = N_("No opening in the next seven days.")
CALL = N_("Call to ask when it is open.")
CLOSED = N_("Closed")
ALL_DAY = N_("Open all day")
TODAY = N_("{day} (today)")
HOURS_HEADING = N_("Opening hours this week")
SERVICES = (N_("{n} service"), N_("{n} services"))
OPEN_SERVICES = (N_("{n} service open now"), N_("{n} services open now"))
RESULTS = (N_("{n} result"), N_("{n} results"))
PHONE = N_("Phone")
# Spoken only.
ORGANIZATION = N_("Organization")
PHONE_LINE = N_("Phone: {number}.")
PHONE_LINE_NOTE = N_("Phone: {number}, {note}.")
KIND_LINE = N_("{kind}: {number}.")
KIND_LINE_NOTE = N_("{kind}: {number}, {note}.")
EXTENSION = N_("{number}, extension {extension}")
EMAIL_LINE = N_("E-mail: {address}.")
WEBSITE_LINE = N_("Website: {address}.")
FULL_DAY = "00:00–24:00"


def weekday(weekday_index: int, lang: str) -> str:
    """The weekday's full name (0 = Monday): "e hënë", "Monday"."""
    return get_day_names("wide", locale=lang)[weekday_index]


def counted(lang: str, forms: tuple[str, str], n: int) -> Part:
    return Part(normalise(tr(lang, forms[0], n, forms[1]).format(n=n), lang), lang)


def status_short(status: Optional[OpenStatus], lang: str, service_status: str = "active") -> Part:
    """What a status chip says: open now, opens at eight, closed today."""
    if service_status == "temporarily closed":
        return say(lang, TEMP_CLOSED)
    if status is None or status.state == "no_hours":
        return say(lang, NO_HOURS)
    if status.state == "open":
        return say(lang, OPEN_NOW)
    if status.state == "opens_later":
        return say(lang, OPENS_AT, time=status.opens)
    return say(lang, CLOSED_TODAY)


def status_long(status: Optional[OpenStatus], lang: str, today: Optional[date] = None,
                service_status: str = "active") -> Part:
    """The sentence beside the chip: until when it is open, or when it opens next."""
    if service_status == "temporarily closed":
        return say(lang, TEMP_CLOSED_DETAIL)
    if status is None or status.state == "no_hours":
        return say(lang, CALL)
    if status.state == "open":
        if status.always:
            return say(lang, ALWAYS)
        return say(lang, UNTIL, time=status.closes) if status.closes else say(lang, OPEN_NOW)
    if status.state == "opens_later":
        return say(lang, LATER, time=status.opens)
    if status.next_day and status.opens:
        if today is not None and status.next_day == today + timedelta(days=1):
            return say(lang, TOMORROW, time=status.opens)
        return say(lang, NEXT, day=weekday(status.next_day.weekday(), lang), time=status.opens)
    return say(lang, NO_OPENING)


def week(days: Iterable[DayHours], lang: str) -> list[Part]:
    """This week's hours, a line a day: "e hënë, nga ora tetë deri në gjashtëmbëdhjetë"."""
    days = list(days)
    if not any(d.intervals for d in days):
        return []
    lines = [Part(sentence(say(lang, HOURS_HEADING).text), lang)]
    for day in days:
        name = weekday(day.weekday, lang)
        if day.is_today:
            name = tr(lang, TODAY).format(day=name)
        if not day.intervals:
            hours = tr(lang, CLOSED)
        elif day.intervals == (FULL_DAY,):
            hours = tr(lang, ALL_DAY)
        else:
            hours = ", ".join(day.intervals)
        lines.append(Part(sentence(normalise(f"{name}: {hours}", lang)), lang))
    notes = dict.fromkeys(note for day in days for note in day.notes)
    return lines + [catalogue(lang, note) for note in notes]


def phone(p: PhoneInfo, lang: str) -> Part:
    """A phone number digit by digit in its written groups (a catalogue number may lack the
    + or 0 the free-text rule looks for, so it is read here as a phone whatever it looks like),
    then its extension digit by digit; a fax, pager, textphone or SMS number says so instead of
    "Phone", as the screen labels it."""
    number = dial_digits(p.number, lang)
    if p.extension:
        number = tr(lang, EXTENSION).format(number=number, extension=digits(p.extension, lang))
    kind = KIND_LABELS.get((p.type or "").lower())
    fields = {"kind": tr(lang, kind)} if kind else {}
    if p.description.strip():
        # the note in its own voice: "Sporteli" (no English given) is Albanian
        return say_with(lang, KIND_LINE_NOTE if kind else PHONE_LINE_NOTE, "note", p.description,
                        number=number, **fields)
    text = tr(lang, KIND_LINE if kind else PHONE_LINE).format(number=number, **fields)
    # The number is already words, which the normaliser leaves as they are.
    return Part(normalise(text, lang), lang)


def phone_key(p: PhoneInfo) -> str:
    """What makes two phones one number to dial: its digits and its extension's."""
    return "".join(ch for ch in p.number if ch.isdigit()) + "x" + "".join(ch for ch in p.extension if ch.isdigit())


def address(lines: Iterable[str], lang: str) -> Part:
    """An address's lines as one part, with commas, its postcode digit by digit
    (:func:`kiosk.speech.normalise.normalise`). An address has no translations (the catalogue
    keeps HSDS addresses as written, in Albanian), so in another language's reading each
    comma's piece is the Albanian voice's ("Njësia Administrative Bradashesh", "Prane
    Bashkise"), but one with a number in it ("Nr. 8", "3001 Elbasan"), which the listener must
    understand, is the reading's own."""
    lines = [line for line in lines if line.strip()]
    if lang == DEFAULT or not lines:
        return Part(normalise(sentence(", ".join(lines)), lang), lang)
    pieces = [piece.strip() for line in lines for piece in line.split(",") if piece.strip()]
    # a piece with a number in it ("Nr. 8", "Hyrja 11", "3001 Elbasan") in the reading's voice:
    # the number must be understood, and a name beside it is understood in either voice
    said = [Part(normalise(piece, lang), lang) if any(ch.isdigit() for ch in piece)
            else Part(normalise(piece, DEFAULT), DEFAULT) for piece in pieces]
    # each piece ends as it was written: a comma (a short pause), the last a full stop
    return combine(lang, [p if p.pieces else Part(sentence(p.text) if i == len(said) - 1 else p.text + ",", p.lang)
                          for i, p in enumerate(said)])


def email(address: str, lang: str) -> Part:
    return say(lang, EMAIL_LINE, address=address)


def website(address: str, lang: str) -> Part:
    return say(lang, WEBSITE_LINE, address=address)


def result_has_more(result: SearchResult, reveal: bool = False) -> bool:
    """Does the result say more than its ``brief`` form (its provider)?"""
    return bool(result.subtitle and (reveal or not result.sensitive))


def category_card(card: CategoryCard, lang: str, open_now: bool = False) -> Part:
    """A home tile: the category's name and how many services it has."""
    count = counted(lang, OPEN_SERVICES if open_now else SERVICES, card.service_count)
    return combine(lang, [catalogue(lang, card.name), Part(sentence(count.text), lang)])


def neutral_title(title: str, lang: str) -> str:
    """What a sensitive row is called aloud where the visitor did not ask for its name: staff's
    neutral title, else the one its saved contact and slip carry ("Këshillim")."""
    return title or tr(lang, DEFAULT_NEUTRAL_TITLE)


def service_row(row: ServiceRow, lang: str, reveal: bool = False, brief: bool = False) -> Part:
    """A row of a list: the service, who provides it (not when ``brief``: a list said as its
    screen opens), and today's status. A sensitive row (unless ``reveal``) by its neutral title
    and status only: its name and its provider's are said on its own page, when the visitor asks."""
    if row.sensitive and not reveal:
        said = [catalogue(lang, neutral_title(row.neutral_title, lang))]
    else:
        said = [catalogue(lang, row.name)]
        if row_has_more(row, reveal) and not brief:
            said.append(catalogue(lang, row.provider))
    status = status_short(row.status, lang, row.service_status)
    return combine(lang, said + [Part(sentence(status.text), lang)])


def row_has_more(row: ServiceRow, reveal: bool = False) -> bool:
    """Does the row say more than its ``brief`` form (its provider)?"""
    return bool(row.provider and row.provider != row.name and (reveal or not row.sensitive))


def search_result(result: SearchResult, lang: str, reveal: bool = False, brief: bool = False) -> Part:
    """A search result; a sensitive one (unless ``reveal``) by its neutral title, as a row;
    ``brief``: without its provider (or an organization's other name)."""
    hide = result.sensitive and not reveal
    said = [catalogue(lang, neutral_title(result.neutral_title, lang) if hide else result.name)]
    if result.kind == "organization":
        said.append(Part(sentence(tr(lang, ORGANIZATION)), lang))
    if result_has_more(result, reveal) and not brief:
        said.append(catalogue(lang, result.subtitle))
    if result.status is not None:
        said.append(Part(sentence(status_short(result.status, lang).text), lang))
    return combine(lang, said)

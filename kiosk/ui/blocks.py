"""Building blocks of the service and organization pages, made from the service layer's dataclasses.

Each function returns a widget filled with text that is already in the visitor's language; the
pages are rebuilt whenever the language changes, so nothing here binds to the translator. Given a
``pool`` (:class:`kiosk.ui.pool.WidgetPool`) they take their widgets from it rather than make them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from kivy.metrics import dp

from kiosk.catalogue.hours import DayHours
from kiosk.catalogue.cards import ContactInfo, LocationInfo, OrganizationCard, PhoneInfo
from kiosk.handoff.phones import phone_text
from kiosk.paths import ASSETS_DIR
from kiosk.ui import format as fmt
from kiosk.ui.i18n import tr
from kiosk.ui.widgets import (CheckItem, FlatImage, HoursBlock, HoursRow, InfoLine, KButton, KLabel,
                              SectionCard)

FULL_DAY = "00:00–24:00"


def make(pool, cls, **props):
    """A ``cls`` with ``props``: from ``pool`` when there is one, else a new one."""
    return pool.take(cls, **props) if pool is not None else cls(**props)


def text_card(title: str, icon: str, body: str, tone: str = "plain", pool=None) -> SectionCard:
    card = make(pool, SectionCard, title=title, icon=icon, tone=tone)
    card.add_widget(make(pool, KLabel, text=body, tone="alert" if tone == "alert" else "text"))
    return card


def checklist_card(title: str, items: Iterable[str], pool=None) -> SectionCard:
    card = make(pool, SectionCard, title=title, icon="document")
    for item in items:
        card.add_widget(make(pool, CheckItem, text=item))
    return card


def phone_line(phone: PhoneInfo, pool=None) -> InfoLine:
    """A number with its kind when it is not one to talk to ("Fax: ..."), its extension and
    its note (:func:`kiosk.handoff.phones.phone_text`)."""
    return make(pool, InfoLine, icon="phone", text=phone_text(phone, tr.lang), bold=True)


def hours_rows(week: Iterable[DayHours], pool=None) -> list[HoursRow]:
    rows = []
    for day in week:
        if not day.intervals:
            hours = tr._("Closed")
        elif day.intervals == (FULL_DAY,):
            hours = tr._("Open all day")
        else:
            hours = ", ".join(day.intervals)
        name = fmt.weekday_name(day.weekday)
        if day.is_today:
            name = tr._("{day} (today)").format(day=name)
        rows.append(make(pool, HoursRow, day=name, hours=hours, today=day.is_today))
    return rows


def hours_block(week: Iterable[DayHours], notes: Iterable[str] = (), pool=None) -> HoursBlock:
    box = make(pool, HoursBlock)
    box.add_widget(make(pool, InfoLine, icon="clock", text=tr._("Opening hours this week"), bold=True,
                        role="subheading"))
    for row in hours_rows(week, pool):
        box.add_widget(row)
    for note in notes:
        box.add_widget(make(pool, InfoLine, icon="information", text=note))
    return box


def location_card(loc: LocationInfo, title: Optional[str] = None, show_hours: bool = True,
                  pool=None) -> SectionCard:
    card = make(pool, SectionCard, title=title or loc.name or tr._("Where to go"), icon="location")
    if title and loc.name:
        card.add_widget(make(pool, KLabel, text=loc.name, bold=True))
    if loc.address_lines:
        card.add_widget(make(pool, InfoLine, icon="directions", text="\n".join(loc.address_lines)))
    if loc.postal_lines:
        # a post box is where letters go, not where to go: labelled, after the place
        card.add_widget(make(pool, InfoLine, icon="email", text="\n".join(
            (tr._("Postal address") + ":", *loc.postal_lines))))
    if loc.description:
        card.add_widget(make(pool, KLabel, text=loc.description, tone="muted"))
    for phone in loc.phones:
        card.add_widget(phone_line(phone, pool))
    if loc.contacts:
        # who to ask at the place (the reception desk, the service's person there)
        card.add_widget(make(pool, InfoLine, icon="contact", text=tr._("Who to ask here"), bold=True,
                             role="subheading"))
        for person in loc.contacts:
            person_lines(card, person, pool)
    if show_hours and any(day.intervals for day in loc.week):
        detail = fmt.status_detail(loc.status)
        if detail:
            card.add_widget(make(pool, InfoLine, icon="open-now", text=detail, bold=True))
        card.add_widget(hours_block(loc.week, loc.schedule_notes, pool))
    for access in loc.accessibility:
        card.add_widget(make(pool, InfoLine, icon="accessible", text=access))
    if loc.transportation:
        card.add_widget(make(pool, InfoLine, icon="bus", text=loc.transportation))
    return card


def logo_widget(logo: str) -> Optional[FlatImage]:
    """The organization's logo when it is a file on this machine (the kiosk never downloads)."""
    if not logo or "://" in logo:
        return None
    path = Path(logo)
    if not path.is_absolute():
        path = ASSETS_DIR / logo
    if not path.is_file():
        return None
    image = FlatImage(source=str(path), fit_mode="contain", size_hint=(None, None), size=(dp(120), dp(120)))
    return image


def contact_lines(card: SectionCard, phones: Iterable[PhoneInfo], email: str, website: str,
                  pool=None) -> None:
    for phone in phones:
        card.add_widget(phone_line(phone, pool))
    if email:
        card.add_widget(make(pool, InfoLine, icon="email", text=email, address=True))
    if website:
        # an https address reads better without its scheme; an http one keeps it, so nobody
        # takes it for a secure site (it is never a link or a code either)
        card.add_widget(make(pool, InfoLine, icon="website", address=True,
                             text=website.removeprefix("https://").rstrip("/")))


def provider_card(org: OrganizationCard, with_button: bool = True,
                  addresses: Iterable[tuple[str, ...]] = (), pool=None,
                  button: Optional[KButton] = None) -> SectionCard:
    """The provider's card; its "About this organization" button is ``button`` when given (a page
    that keeps its own, bound once), else a new one."""
    card = make(pool, SectionCard, title=tr._("Provided by"), icon="organization", tone="accent")
    logo = logo_widget(org.logo)
    if logo is not None:
        card.add_widget(logo)
    card.add_widget(make(pool, KLabel, text=org.name, role="subheading", bold=True))
    if org.alternate_name:
        card.add_widget(make(pool, KLabel, text=org.alternate_name, tone="muted"))
    contact_lines(card, org.phones, org.email, org.website, pool)
    for lines in addresses:
        card.add_widget(make(pool, InfoLine, icon="location", text="\n".join(lines)))
    if with_button:
        if button is None:
            button = KButton(text=tr._("About this organization"), icon="organization",
                             variant="primary", auto_width=False)
        else:
            button.text = tr._("About this organization")
            if button.parent is not None:
                button.parent.remove_widget(button)
        button.item_id = org.id
        card.add_widget(button)
        card.about_button = button
    return card


def people_card(contacts: Iterable[ContactInfo], pool=None) -> Optional[SectionCard]:
    contacts = list(contacts)
    if not contacts:
        return None
    card = make(pool, SectionCard, title=tr._("People to contact"), icon="contact")
    for person in contacts:
        person_lines(card, person, pool)
    return card


def person_lines(card: SectionCard, person: ContactInfo, pool=None) -> None:
    """One person: name, title and department on one bold line, then their phones and e-mail."""
    who = ", ".join(x for x in (person.name, person.title, person.department) if x)
    if who:
        card.add_widget(make(pool, KLabel, text=who, bold=True))
    contact_lines(card, person.phones, person.email, "", pool)

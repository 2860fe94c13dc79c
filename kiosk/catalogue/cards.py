"""The plain, already-translated data the catalogue hands to the screens (frozen dataclasses).

:mod:`kiosk.catalogue.queries` makes them; the screens, the QR payloads and the slips read them.
No Kivy and no SQLAlchemy here.

Every text is in the visitor's language where staff wrote it in that language, else in Albanian
(the catalogue's own); a text that fell back so is an :class:`Albanian`, so whoever reads it out
(:mod:`kiosk.speech`) knows its language from the data, field by field, without guessing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Optional

from kiosk.catalogue.hours import DayHours, OpenStatus


class Albanian(str):
    """Catalogue text in Albanian given to a visitor whose language has no translation of it
    (``Njësia Administrative Bradashesh`` on an English page). In every other way a plain
    ``str``: equal to, hashed and shown as the same text, so the screens, QR codes and slips
    take it as they are. Only the fallback is marked: text in the visitor's language, and
    every text of an Albanian page, is a plain ``str``. Its methods (``strip``, ``+``) give
    plain strings, so a reader asks :func:`in_albanian` of the field as given."""

    __slots__ = ()


def untranslated(value):
    """``value`` (a field's Albanian text, given because the visitor's language had none)
    marked :class:`Albanian`; anything that is not text, or is empty, as it is."""
    return Albanian(value) if type(value) is str and value else value


def in_albanian(text: object) -> bool:
    """Is ``text`` catalogue text that fell back to Albanian (:class:`Albanian`)?"""
    return isinstance(text, Albanian)

@dataclass(frozen=True)
class CategoryCard:
    id: str
    name: str
    description: str
    icon: str
    service_count: int
    has_children: bool
    parent_id: Optional[str] = None
    icon_sha256: str = ""      # a published icon (shown when downloaded, else the named icon)
    sensitive: bool = False    # staff marked it x_sensitive: quick exit shown prominently
    neutral_title: str = ""    # what speech calls it where the visitor did not ask for it ("" = default)


@dataclass(frozen=True, slots=True)   # a page of a big category makes thousands at once
class ServiceRow:
    id: str
    name: str
    provider: str
    status: OpenStatus
    demo: bool = False
    service_status: str = "active"
    sensitive: bool = False    # the service or one of its categories is x_sensitive
    neutral_title: str = ""    # staff's neutral title ("" = the kiosk's default)


@dataclass(frozen=True)
class PhoneInfo:
    number: str
    type: str           # HSDS phone.type: voice, cell, fax, text, pager, textphone, video ("" unknown)
    description: str
    extension: str = ""  # HSDS phone.extension as written to dial ("204"), "" when none


@dataclass(frozen=True)
class LocationInfo:
    id: str
    name: str
    description: str
    address_lines: tuple[str, ...]   # the physical address: where a visitor goes
    latitude: Optional[float]
    longitude: Optional[float]
    transportation: str
    accessibility: tuple[str, ...]
    phones: tuple[PhoneInfo, ...]
    week: tuple[DayHours, ...]
    status: OpenStatus          # when the service is given here (the most specific schedule wins)
    schedule_notes: tuple[str, ...] = ()
    # The building's own hours when they are not the service's (``week``): its opening, to be
    # labelled as the building's, never the service's open status.
    building_week: tuple[DayHours, ...] = ()
    # A postal address (a post box) given beside the place: shown labelled, never as the place,
    # never a directions code.
    postal_lines: tuple[str, ...] = ()
    # Who to ask there: the service's people at this place (HSDS service_at_location.contacts),
    # then the place's own (location.contacts); nobody the page already shows.
    contacts: tuple["ContactInfo", ...] = ()


@dataclass(frozen=True)
class ContactInfo:
    name: str
    title: str
    department: str
    email: str
    phones: tuple[PhoneInfo, ...]
    id: str = ""        # the HSDS contact id: one person a page names under several owners is shown once


@dataclass(frozen=True)
class OrganizationCard:
    id: str
    name: str
    alternate_name: str
    description: str
    website: str
    email: str
    logo: str
    phones: tuple[PhoneInfo, ...]
    contacts: tuple[ContactInfo, ...]
    demo: bool
    logo_sha256: str = ""      # a published logo (shown when downloaded)


@dataclass(frozen=True)
class ServiceDetail:
    id: str
    name: str
    alternate_name: str
    description: str
    service_status: str
    eligibility: str
    application_process: str
    fees: str
    documents: tuple[str, ...]
    languages: tuple[str, ...]
    interpretation: str
    alert: str
    assured_date: Optional[date]
    last_modified: Optional[datetime]
    url: str
    email: str
    demo: bool
    organization: OrganizationCard
    phones: tuple[PhoneInfo, ...]
    locations: tuple[LocationInfo, ...]
    categories: tuple[tuple[str, str], ...]
    status: OpenStatus
    week: tuple[DayHours, ...] = field(default=())
    urgent_order: Optional[int] = None
    sensitive: bool = False      # the service or one of its categories is x_sensitive
    neutral_title: str = ""      # staff's neutral title for take-aways ("" = the kiosk's default)
    contacts: tuple[ContactInfo, ...] = ()   # HSDS service.contacts: the people for this service
    minimum_age: str = ""        # HSDS minimum_age / maximum_age as written ("18"), "" when none
    maximum_age: str = ""


@dataclass(frozen=True)
class UrgentLine:
    """One line of the urgent-help screen: who answers, the number, and when it answers."""

    id: str
    name: str
    provider: str
    number: str
    status: OpenStatus
    week: tuple[DayHours, ...]
    demo: bool
    sensitive: bool = False    # the line's service or one of its categories is x_sensitive
    neutral_title: str = ""    # staff's neutral title ("" = the kiosk's default)


@dataclass(frozen=True)
class OrganizationDetail:
    card: OrganizationCard
    locations: tuple[LocationInfo, ...]
    services: tuple[ServiceRow, ...]
    # It offers a sensitive service: its page and take-aways are as discreet as that service's.
    sensitive: bool = False
    neutral_title: str = ""      # its sensitive services' one staff title ("" = the kiosk's default)
    # (service id, staff's neutral title or "") of each sensitive service it offers: what its
    # list of services calls them
    sensitive_services: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SearchResult:
    kind: str  # "service" or "organization"
    id: str
    name: str
    subtitle: str
    status: Optional[OpenStatus] = None
    #: a sensitive service, or an organization all of whose services are sensitive
    sensitive: bool = False
    neutral_title: str = ""    # staff's neutral title ("" = the kiosk's default)

"""What a QR code carries, and the one line under it in the visitor's language.

Only four kinds of content are ever encoded (:func:`kiosk.handoff.links.is_allowed` checks every
payload):

- ``contact``: a vCard 3.0 of the provider (:mod:`kiosk.handoff.vcard`). The QR code carries it
  as UTF-8 bytes with no ECI (see :mod:`kiosk.handoff.qr`);
- ``link``: ``https://`` only: ``{public_base_url}/services/{id}``, shown only when a public URL is
  configured;
- ``call``: ``tel:+355...``, the number in international form
  (:func:`kiosk.handoff.links.international_number`), with its extension after a pause
  (``,204``: what both phones' diallers dial); never a fax, pager, textphone or SMS-only number;
- ``directions``: an OpenStreetMap https link (any phone opens it) or, on request, a ``geo:`` URI,
  when the location has coordinates.

On a sensitive page the link's and the directions' explanations say what the phone keeps of them
(:data:`DISCREET_EXPLANATIONS`).

A URL from the catalogue that is not https (http, javascript:, ftp...) is never encoded.
No Kivy import.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from kiosk.catalogue.cards import LocationInfo, OrganizationDetail, PhoneInfo, ServiceDetail
from kiosk.handoff import N_, in_lang
from kiosk.handoff.links import geo_uri, is_allowed, organization_url, osm_url, service_url, tel_uri
from kiosk.handoff.phones import dialable, number_text
from kiosk.handoff.vcard import organization_phones, organization_vcard, provider_phones, service_vcard

__all__ = ["HandoffChoice", "service_choices", "organization_choices", "KINDS", "TITLES", "EXPLANATIONS"]

CONTACT, LINK, CALL, DIRECTIONS = "contact", "link", "call", "directions"
KINDS = (CONTACT, LINK, CALL, DIRECTIONS)

# One title and one line of explanation per kind, resolved in the visitor's language.
TITLES = {
    CONTACT: N_("Save contact"),
    LINK: N_("Open on phone"),
    CALL: N_("Call"),
    DIRECTIONS: N_("Directions"),
}
EXPLANATIONS = {
    CONTACT: N_("Scan with your phone camera to save this contact."),
    LINK: N_("Scan to open this service on your phone."),
    CALL: N_("Scan to call {number} from your phone."),
    DIRECTIONS: N_("Scan to see the way there on a map."),
}
ORG_LINK_EXPLANATION = N_("Scan to open this organization on your phone.")
# On a sensitive page the choice stays (the visitor may need it), and says what the phone keeps.
DISCREET_EXPLANATIONS = {
    LINK: N_("Scan to open this service on your phone. Your browser will keep the page in its "
             "history: to leave no trace, open it in a private tab."),
    DIRECTIONS: N_("Scan to see the way there on a map. Your phone's map app will keep this place "
                   "in its history."),
}
DISCREET_ORG_LINK_EXPLANATION = N_("Scan to open this organization on your phone. Your browser will "
                                   "keep the page in its history: to leave no trace, open it in a "
                                   "private tab.")


@dataclass(frozen=True)
class HandoffChoice:
    """One thing the phone can get: shown as a large QR code with ``title`` and ``explanation``.

    ``payload`` is the exact text the QR code carries (encode it with :mod:`kiosk.handoff.qr`,
    which turns it into UTF-8 bytes without ECI); ``label`` is a short human form of it where
    that helps (the phone number as the catalogue writes it), else empty.
    """

    kind: str
    payload: str
    title: str
    explanation: str
    label: str = ""


# ------------------------------------------------------------------ choices for a screen

def _choice(kind: str, payload: Optional[str], lang: str, label: str = "",
            explanation: Optional[str] = None) -> Optional[HandoffChoice]:
    if not payload or not is_allowed(payload):
        return None
    text = in_lang(lang, explanation or EXPLANATIONS[kind])
    if kind == CALL:
        text = text.format(number=label)
    return HandoffChoice(kind, payload, in_lang(lang, TITLES[kind]), text, label)


def _directions(locations: Sequence[LocationInfo], style: str) -> Optional[str]:
    """The way to the first place with coordinates; never to a place known only by its post box."""
    for loc in locations:
        if loc.postal_lines and not loc.address_lines:
            continue
        target = (geo_uri if style == "geo" else osm_url)(loc.latitude, loc.longitude)
        if target:
            return target
    return None


def _call(phones: Sequence[PhoneInfo], lang: str) -> tuple[Optional[str], str]:
    """The first number one can talk to (never a fax, pager, textphone or SMS-only number), as
    a ``tel:`` with its extension, and its label as the screen writes it."""
    for phone in phones:
        if not dialable(phone):
            continue
        uri = tel_uri(phone.number, phone.extension)
        if uri:
            return uri, number_text(phone, lang)
    return None, ""


def service_choices(detail: ServiceDetail, lang: str, public_base_url: Optional[str] = None,
                    *, directions: str = "osm") -> list[HandoffChoice]:
    """What the service screen offers, in this order: contact, link, call, directions.

    The link appears only with a configured https ``public_base_url``; call only with a number
    that normalises; directions only when a location has coordinates (``directions="geo"`` for a
    ``geo:`` URI instead of the OpenStreetMap link, which every phone opens).
    """
    call, number = _call(provider_phones(detail), lang)
    discreet = DISCREET_EXPLANATIONS if detail.sensitive else {}
    choices = [
        _choice(CONTACT, service_vcard(detail, lang), lang),
        _choice(LINK, service_url(public_base_url, detail.id), lang, explanation=discreet.get(LINK)),
        _choice(CALL, call, lang, label=number),
        _choice(DIRECTIONS, _directions(detail.locations, directions), lang,
                explanation=discreet.get(DIRECTIONS)),
    ]
    return [c for c in choices if c is not None]


def organization_choices(detail: OrganizationDetail, lang: str, public_base_url: Optional[str] = None,
                         *, directions: str = "osm", org_pages: bool = False) -> list[HandoffChoice]:
    """What the organization screen offers. The link needs ``org_pages=True``: the municipal
    server is only known to publish service pages, and a QR code must never lead to a 404.

    An organization that offers a sensitive service (``detail.sensitive``) is discreet as that
    service's page is: the saved contact is the neutral one, and the link and directions say what
    the phone keeps of them."""
    card = detail.card
    call, number = _call(organization_phones(detail), lang)
    sensitive = detail.sensitive
    choices = [
        _choice(CONTACT, organization_vcard(detail, lang), lang),
        _choice(LINK, organization_url(public_base_url, card.id) if org_pages else None, lang,
                explanation=DISCREET_ORG_LINK_EXPLANATION if sensitive else ORG_LINK_EXPLANATION),
        _choice(CALL, call, lang, label=number),
        _choice(DIRECTIONS, _directions(detail.locations, directions), lang,
                explanation=DISCREET_EXPLANATIONS[DIRECTIONS] if sensitive else None),
    ]
    return [c for c in choices if c is not None]

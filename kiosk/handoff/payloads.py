"""What a QR code carries, and the one line under it in the visitor's language.

Only four kinds of content are ever encoded (:func:`is_allowed` checks every payload):

- ``contact``: a vCard 3.0 (RFC 2426) of the provider: its name, the service's name in ``NOTE``,
  phones in international form, e-mail, https website and address. Text is escaped (``\\\\``,
  ``\\,``, ``\\;``, ``\\n``), lines end in CRLF and are folded at 75 octets without splitting a
  UTF-8 character. The QR code carries it as UTF-8 bytes with no ECI (see :mod:`kiosk.handoff.qr`);
- ``link``: ``https://`` only: ``{public_base_url}/services/{id}``, shown only when a public URL is
  configured;
- ``call``: ``tel:+355...``, the number in international form (see :func:`international_number`);
- ``directions``: an OpenStreetMap https link (any phone opens it) or, on request, a ``geo:`` URI,
  when the location has coordinates.

A URL from the catalogue that is not https (http, javascript:, ftp...) is never encoded.
No Kivy import.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence
from urllib.parse import urlsplit

from kiosk.catalogue.queries import (LocationInfo, OrganizationCard, OrganizationDetail, PhoneInfo,
                                     ServiceDetail)
from kiosk.handoff import N_, in_lang

__all__ = [
    "ALLOWED_SCHEMES", "HandoffChoice", "Address", "is_allowed", "https_url", "international_number",
    "tel_uri", "geo_uri", "osm_url", "service_url", "organization_url", "short_code",
    "parse_short_code", "build_vcard", "service_vcard", "organization_vcard", "service_choices",
    "organization_choices", "provider_phones", "escape_text", "fold_line",
]

#: URI schemes a QR code may carry; a vCard is the only other content allowed.
ALLOWED_SCHEMES = frozenset({"https", "tel", "geo"})
CONTACT, LINK, CALL, DIRECTIONS = "contact", "link", "call", "directions"
KINDS = (CONTACT, LINK, CALL, DIRECTIONS)
COUNTRY_CODE = "355"
SHORT_CODE_PREFIX = "ELB"
MAX_VCARD_PHONES = 3

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
#: The title a sensitive service's take-aways carry when staff chose none.
DEFAULT_NEUTRAL_TITLE = N_("Counselling")


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


@dataclass(frozen=True)
class Address:
    street: str = ""
    city: str = ""
    postal_code: str = ""
    region: str = ""
    country: str = ""


# ------------------------------------------------------------------ allow-list

_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029]")
_TEL = re.compile(r"tel:\+?[0-9]{3,15}")
_GEO = re.compile(r"geo:-?[0-9]{1,2}(\.[0-9]+)?,-?[0-9]{1,3}(\.[0-9]+)?")


def https_url(url: Optional[str]) -> Optional[str]:
    """``url`` when it is a plain https address with a host (no spaces, no user info), else None."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if _CONTROL.search(url) or len(url) > 1000:
        return None
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or not parts.hostname or not port_ok:
        return None
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return None
    return url


def is_allowed(payload: str) -> bool:
    """Whether ``payload`` may be shown as a QR code: a vCard, https, ``tel:`` or ``geo:``."""
    if not isinstance(payload, str) or not payload:
        return False
    if payload.startswith("BEGIN:VCARD\r\n") and payload.rstrip("\r\n").endswith("END:VCARD"):
        return True
    scheme = payload.split(":", 1)[0].lower() if ":" in payload else ""
    if scheme not in ALLOWED_SCHEMES:
        return False
    if scheme == "https":
        return https_url(payload) == payload
    if scheme == "tel":
        return bool(_TEL.fullmatch(payload))
    return bool(_GEO.fullmatch(payload))


# ------------------------------------------------------------------ phone numbers

def international_number(number: Optional[str], country_code: str = COUNTRY_CODE) -> Optional[str]:
    """A phone number in international form (``+35554123456``), or None when it is not one.

    Albanian numbers are written in many ways: ``054 123 456`` and ``069 123 4567`` (national,
    trunk prefix 0), ``+355 4 2256840``, ``00355 54 123 456``, ``+355 (0)54 123 456``,
    ``355541234567``, or without any prefix (``54 123 456``). All become ``+355`` followed by the
    national number (6 to 9 digits). Foreign numbers keep their own country code. Short service
    numbers (``112``, ``116 111``) cannot be dialled in international form and stay as they are.
    Anything after the digits (an extension, "int. 12") is left out.
    """
    if not number or not isinstance(number, str):
        return None
    head = re.match(r"[\s+()\d./\-\u00a0]+", number.strip())
    if not head:
        return None
    text = re.sub(r"\(\s*0\s*\)", "", head.group(0))
    plus = text.lstrip().startswith("+")
    digits = re.sub(r"\D", "", text)
    if not digits:
        return None
    if not plus and digits.startswith("00"):
        plus, digits = True, digits[2:]
    if plus:
        if digits.startswith(country_code):
            national = digits[len(country_code):]
            national = national[1:] if national.startswith("0") else national
        else:
            return "+" + digits if 8 <= len(digits) <= 15 else None
    elif digits.startswith("0"):
        national = digits[1:]
    elif len(digits) <= 6:
        return digits if len(digits) >= 3 and digits[0] == "1" else None
    elif digits.startswith(country_code) and len(digits) in (11, 12):
        national = digits[len(country_code):]
    else:
        national = digits
    if not 6 <= len(national) <= 9 or national.startswith("0"):
        return None
    return f"+{country_code}{national}"


def tel_uri(number: Optional[str]) -> Optional[str]:
    """``tel:+35554123456`` for a number the kiosk can normalise, else None."""
    normal = international_number(number)
    return f"tel:{normal}" if normal else None


# ------------------------------------------------------------------ places and links

def _valid_coordinates(lat: Optional[float], lon: Optional[float]) -> bool:
    if lat is None or lon is None:
        return False
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return False
    if lat != lat or lon != lon:  # NaN
        return False
    return -90 <= lat <= 90 and -180 <= lon <= 180 and not (lat == 0 and lon == 0)


def geo_uri(lat: Optional[float], lon: Optional[float]) -> Optional[str]:
    """``geo:41.11250,20.08220`` (RFC 5870), or None without valid coordinates."""
    if not _valid_coordinates(lat, lon):
        return None
    return f"geo:{float(lat):.5f},{float(lon):.5f}"


def osm_url(lat: Optional[float], lon: Optional[float], zoom: int = 18) -> Optional[str]:
    """An OpenStreetMap link with a marker on the place, or None without valid coordinates."""
    if not _valid_coordinates(lat, lon):
        return None
    la, lo = f"{float(lat):.5f}", f"{float(lon):.5f}"
    return f"https://www.openstreetmap.org/?mlat={la}&mlon={lo}#map={zoom}/{la}/{lo}"


def _page_url(public_base_url: Optional[str], kind: str, entity_id: str) -> Optional[str]:
    base = https_url(public_base_url)
    if not base or not entity_id or not re.fullmatch(r"[A-Za-z0-9._~-]+", entity_id):
        return None
    return f"{base.rstrip('/')}/{kind}/{entity_id}"


def service_url(public_base_url: Optional[str], service_id: str) -> Optional[str]:
    """``{public_base_url}/services/{id}``, or None when no (https) public URL is configured."""
    return _page_url(public_base_url, "services", service_id)


def organization_url(public_base_url: Optional[str], org_id: str) -> Optional[str]:
    """``{public_base_url}/organizations/{id}`` (only if the server publishes such pages)."""
    return _page_url(public_base_url, "organizations", org_id)


def short_code(service_id: str) -> Optional[str]:
    """The kiosk's short code for a service, printed on slips: ``ELB-FFE503AB-F7A1``.

    It is the first 48 bits of the service's UUID in upper-case hexadecimal, so a QR code of it
    uses the compact alphanumeric mode; :func:`kiosk.handoff.scanner.resolve` finds the service
    by prefix (48 bits: a collision is unlikely even among 100 000 services, and an ambiguous
    code is ignored rather than guessed). None for an id that is not a UUID.
    """
    try:
        hexed = uuid.UUID(str(service_id)).hex.upper()
    except (ValueError, AttributeError, TypeError):
        return None
    return f"{SHORT_CODE_PREFIX}-{hexed[:8]}-{hexed[8:12]}"


_SHORT_CODE = re.compile(rf"{SHORT_CODE_PREFIX}-([0-9A-F]{{8}})-([0-9A-F]{{4}})", re.IGNORECASE)


def parse_short_code(text: str) -> Optional[str]:
    """The id prefix (``ffe503ab-f7a1-``) a short code stands for, or None if it is not one."""
    match = _SHORT_CODE.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match:
        return None
    return f"{match.group(1).lower()}-{match.group(2).lower()}-"


# ------------------------------------------------------------------ vCard 3.0

def escape_text(value: str) -> str:
    """A vCard 3.0 text value: backslash, comma, semicolon and newlines escaped (RFC 2426 5.)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return (value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\n", "\\n"))


def fold_line(line: str, limit: int = 75) -> str:
    """Fold a content line at ``limit`` octets (CRLF + space), never inside a UTF-8 character."""
    out: list[str] = []
    current, size, room = [], 0, limit
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > room:
            out.append("".join(current))
            current, size, room = [], 0, limit - 1  # the leading space counts
        current.append(ch)
        size += width
    out.append("".join(current))
    return "\r\n ".join(out)


_TEL_TYPES = {"voice": "VOICE", "cell": "CELL", "fax": "FAX", "text": "MSG", "video": "VIDEO",
              "pager": "PAGER", "textphone": "VOICE"}
_EMAIL = re.compile(r"[^@\s<>\"',;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")


def build_vcard(name: str, *, note: str = "", phones: Iterable[tuple[str, str]] = (),
                email: str = "", url: str = "", address: Optional[Address] = None,
                organization: bool = True) -> str:
    """A vCard 3.0 with CRLF line ends, escaped and folded. ``phones`` are (number, HSDS type).

    ``organization`` makes it a company card (``ORG`` and an empty ``N``, which phones show
    under the ``FN``); numbers that cannot be normalised, e-mails that are not addresses and URLs
    that are not https are left out.
    """
    name = " ".join(name.split())
    lines = ["BEGIN:VCARD", "VERSION:3.0"]
    if organization:
        lines += ["N:;;;;", f"FN:{escape_text(name)}", f"ORG:{escape_text(name)}",
                  "X-ABShowAs:COMPANY"]
    else:
        lines += [f"N:{escape_text(name)};;;;", f"FN:{escape_text(name)}"]
    seen: set[str] = set()
    for number, kind in phones:
        normal = international_number(number)
        if not normal or normal in seen or len(seen) >= MAX_VCARD_PHONES:
            continue
        seen.add(normal)
        lines.append(f"TEL;TYPE=WORK,{_TEL_TYPES.get((kind or '').lower(), 'VOICE')}:{normal}")
    email = (email or "").strip()
    if email and _EMAIL.fullmatch(email):
        lines.append(f"EMAIL;TYPE=INTERNET:{email}")
    web = https_url(url)
    if web:
        lines.append(f"URL:{web}")
    if address and any((address.street, address.city, address.postal_code)):
        parts = ("", "", address.street, address.city, address.region, address.postal_code,
                 address.country)
        lines.append("ADR;TYPE=WORK:" + ";".join(escape_text(p) for p in parts))
    if note.strip():
        lines.append(f"NOTE:{escape_text(note.strip())}")
    lines.append("END:VCARD")
    return "".join(fold_line(line) + "\r\n" for line in lines)


def _country_name(lang: str) -> str:
    try:
        from babel import Locale

        return Locale.parse(lang).territories.get("AL", "")
    except Exception:  # noqa: BLE001 - an unknown locale only loses the country line
        return ""


def _address(location: Optional[LocationInfo], lang: str) -> Optional[Address]:
    """The vCard address of a location: its street lines, then "3001 Elbasan" split apart."""
    if location is None or not location.address_lines:
        return None
    lines = list(location.address_lines)
    city = postal = ""
    match = re.fullmatch(r"(\d{4})\s+(.+)", lines[-1])
    if match and len(lines) > 1:
        postal, city = match.group(1), match.group(2)
        lines = lines[:-1]
    elif len(lines) > 1 and not re.search(r"\d", lines[-1]):
        city = lines[-1]
        lines = lines[:-1]
    return Address(street=", ".join(lines), city=city, postal_code=postal, country=_country_name(lang))


def provider_phones(detail: ServiceDetail) -> list[PhoneInfo]:
    """The numbers to call about a service, best first: the service's, its places', the provider's."""
    phones = list(detail.phones)
    for loc in detail.locations:
        phones += loc.phones
    phones += detail.organization.phones
    out, seen = [], set()
    for phone in phones:
        key = international_number(phone.number)
        if key and key not in seen:
            seen.add(key)
            out.append(phone)
    return out


def neutral_title(detail: ServiceDetail, lang: str) -> str:
    """What a sensitive service's saved contact and slip are called instead of its names."""
    return detail.neutral_title or in_lang(lang, DEFAULT_NEUTRAL_TITLE)


def service_vcard(detail: ServiceDetail, lang: str) -> str:
    """The provider's contact card, with the service's name as the note.

    For a sensitive service (``detail.sensitive``) the card found in a phone must not betray the
    visitor: it carries only the neutral title and the numbers, never the service's or the
    provider's name, its e-mail, website or address.
    """
    if detail.sensitive:
        return build_vcard(neutral_title(detail, lang),
                           phones=[(p.number, p.type) for p in provider_phones(detail)])
    org = detail.organization
    return build_vcard(
        org.name or detail.name, note=detail.name,
        phones=[(p.number, p.type) for p in provider_phones(detail)],
        email=detail.email or org.email,
        url=https_url(detail.url) or https_url(org.website) or "",
        address=_address(detail.locations[0] if detail.locations else None, lang))


def organization_vcard(card: OrganizationCard, locations: Sequence[LocationInfo], lang: str) -> str:
    phones = list(card.phones) + [p for loc in locations for p in loc.phones]
    return build_vcard(card.name, note=card.alternate_name,
                       phones=[(p.number, p.type) for p in phones], email=card.email,
                       url=card.website, address=_address(locations[0] if locations else None, lang))


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
    for loc in locations:
        target = (geo_uri if style == "geo" else osm_url)(loc.latitude, loc.longitude)
        if target:
            return target
    return None


def _call(phones: Sequence[PhoneInfo]) -> tuple[Optional[str], str]:
    for phone in phones:
        uri = tel_uri(phone.number)
        if uri and (phone.type or "voice").lower() not in ("fax", "pager"):
            return uri, " ".join(phone.number.split())
    return None, ""


def service_choices(detail: ServiceDetail, lang: str, public_base_url: Optional[str] = None,
                    *, directions: str = "osm") -> list[HandoffChoice]:
    """What the service screen offers, in this order: contact, link, call, directions.

    The link appears only with a configured https ``public_base_url``; call only with a number
    that normalises; directions only when a location has coordinates (``directions="geo"`` for a
    ``geo:`` URI instead of the OpenStreetMap link, which every phone opens).
    """
    call, number = _call(provider_phones(detail))
    choices = [
        _choice(CONTACT, service_vcard(detail, lang), lang),
        _choice(LINK, service_url(public_base_url, detail.id), lang),
        _choice(CALL, call, lang, label=number),
        _choice(DIRECTIONS, _directions(detail.locations, directions), lang),
    ]
    return [c for c in choices if c is not None]


def organization_choices(detail: OrganizationDetail, lang: str, public_base_url: Optional[str] = None,
                         *, directions: str = "osm", org_pages: bool = False) -> list[HandoffChoice]:
    """What the organization screen offers. The link needs ``org_pages=True``: the municipal
    server is only known to publish service pages, and a QR code must never lead to a 404."""
    card = detail.card
    phones = list(card.phones) + [p for loc in detail.locations for p in loc.phones]
    call, number = _call(phones)
    choices = [
        _choice(CONTACT, organization_vcard(card, detail.locations, lang), lang),
        _choice(LINK, organization_url(public_base_url, card.id) if org_pages else None, lang,
                explanation=ORG_LINK_EXPLANATION),
        _choice(CALL, call, lang, label=number),
        _choice(DIRECTIONS, _directions(detail.locations, directions), lang),
    ]
    return [c for c in choices if c is not None]

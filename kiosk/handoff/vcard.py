"""The ``contact`` QR code: a vCard 3.0 (RFC 2426) of the provider.

Its name, the service's name in ``NOTE``, phones in international form, e-mail, https website and
address; of a sensitive service, or of an organization that offers one, only a neutral title and
the numbers (:func:`discreet_vcard`). Text is escaped (``\\\\``, ``\\,``, ``\\;``, ``\\n``), lines end in CRLF and are folded at 75
octets without splitting a UTF-8 character. No Kivy import.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from kiosk.catalogue.cards import LocationInfo, OrganizationDetail, PhoneInfo, ServiceDetail
from kiosk.handoff import N_, in_lang
from kiosk.handoff.links import dial_string, https_url

MAX_VCARD_PHONES = 3


@dataclass(frozen=True)
class Address:
    street: str = ""
    city: str = ""
    postal_code: str = ""
    region: str = ""
    country: str = ""


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


def build_vcard(name: str, *, note: str = "", phones: Iterable[tuple[str, ...]] = (),
                email: str = "", url: str = "", address: Optional[Address] = None,
                organization: bool = True) -> str:
    """A vCard 3.0 with CRLF line ends, escaped and folded. ``phones`` are (number, HSDS type)
    or (number, HSDS type, extension); an extension is kept as the phone dials it, after a
    pause (``+35554400100,204``, :func:`kiosk.handoff.links.dial_string`).

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
    for number, kind, *more in phones:
        normal = dial_string(number, more[0] if more else "")
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


def _tels(phones: Iterable[PhoneInfo]) -> list[tuple[str, str, str]]:
    return [(p.number, p.type, p.extension) for p in phones]


def provider_phones(detail: ServiceDetail) -> list[PhoneInfo]:
    """The numbers to call about a service, best first: the service's, its places', the provider's
    (one number with two extensions is two lines to call)."""
    phones = list(detail.phones)
    for loc in detail.locations:
        phones += loc.phones
    phones += detail.organization.phones
    out, seen = [], set()
    for phone in phones:
        key = dial_string(phone.number, phone.extension)
        if key and key not in seen:
            seen.add(key)
            out.append(phone)
    return out


#: The title a sensitive service's take-aways carry when staff chose none.
DEFAULT_NEUTRAL_TITLE = N_("Counselling")


def neutral_title(detail: ServiceDetail | OrganizationDetail, lang: str) -> str:
    """What a sensitive service's (or its provider's) saved contact and slip are called instead
    of its names."""
    return neutral_name(detail.neutral_title, lang)


def neutral_name(title: str, lang: str) -> str:
    """Staff's neutral ``title``, else the kiosk's own ("Këshillim" / "Counselling")."""
    return title or in_lang(lang, DEFAULT_NEUTRAL_TITLE)


def discreet_vcard(detail: ServiceDetail | OrganizationDetail, phones: Iterable[PhoneInfo],
                   lang: str) -> str:
    """The saved contact of a sensitive service or of its provider: found in a phone it must not
    betray the visitor, so only the neutral title and the numbers, never the service's or the
    provider's name, its e-mail, website or address."""
    return build_vcard(neutral_title(detail, lang), phones=_tels(phones))


def service_vcard(detail: ServiceDetail, lang: str) -> str:
    """The provider's contact card, with the service's name as the note; for a sensitive
    service (``detail.sensitive``) the :func:`discreet_vcard`."""
    if detail.sensitive:
        return discreet_vcard(detail, provider_phones(detail), lang)
    org = detail.organization
    return build_vcard(
        org.name or detail.name, note=detail.name,
        phones=_tels(provider_phones(detail)),
        email=detail.email or org.email,
        url=https_url(detail.url) or https_url(org.website) or "",
        address=_address(detail.locations[0] if detail.locations else None, lang))


def organization_phones(detail: OrganizationDetail) -> list[PhoneInfo]:
    """The organization's numbers, then its places'."""
    return list(detail.card.phones) + [p for loc in detail.locations for p in loc.phones]


def organization_vcard(detail: OrganizationDetail, lang: str) -> str:
    """The organization's contact card; for one that offers a sensitive service
    (``detail.sensitive``) the :func:`discreet_vcard`, as that service's page gives."""
    if detail.sensitive:
        return discreet_vcard(detail, organization_phones(detail), lang)
    card, locations = detail.card, detail.locations
    return build_vcard(card.name, note=card.alternate_name,
                       phones=_tels(organization_phones(detail)), email=card.email,
                       url=card.website, address=_address(locations[0] if locations else None, lang))

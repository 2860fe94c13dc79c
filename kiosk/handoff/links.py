"""The links and numbers a QR code may carry, and the allow-list every payload passes.

Only ``https://`` links, ``tel:+...`` numbers in international form (:func:`international_number`),
with an extension after a pause (``,204``) at most, and ``geo:`` URIs are ever encoded besides a vCard (:func:`is_allowed`); a URL from the catalogue
that is not https (http, javascript:, ftp...) is never encoded. Also the kiosk's short code
``ELB-XXXXXXXX-XXXX`` printed on slips (:func:`short_code`, :func:`parse_short_code`). No Kivy import.
"""
from __future__ import annotations

import re
import uuid
from typing import Optional
from urllib.parse import urlsplit

#: URI schemes a QR code may carry; a vCard is the only other content allowed.
ALLOWED_SCHEMES = frozenset({"https", "tel", "geo"})
COUNTRY_CODE = "355"
SHORT_CODE_PREFIX = "ELB"


_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029]")
# An extension only after a number in international form, after a pause (","): the form
# Android's and iOS's diallers both dial. RFC 3966's ";ext=204" is not it: Android dials the
# letters as digits ("396204") and iOS hides the extension behind a "Dial ext=..." label.
_TEL = re.compile(r"tel:(\+[0-9]{3,15}(,[0-9]{1,10})?|[0-9]{3,15})")
_EXTENSION = re.compile(r"[0-9]{1,10}")
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
    # (the official HSDS example writes its number in quotes: "\"+44 1234 234567\"")
    head = re.match(r"[\s+()\d./\-\u00a0]+", number.strip().strip("\"'“”„"))
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


def tel_uri(number: Optional[str], extension: str = "") -> Optional[str]:
    """``tel:+35554123456`` for a number the kiosk can normalise, else None; with an
    ``extension`` (digits) ``tel:+35554400100,204``, which phones dial as the number, a pause,
    then the extension. A short number (``116 111``) takes no extension."""
    normal = international_number(number)
    if not normal:
        return None
    if extension and _EXTENSION.fullmatch(extension) and normal.startswith("+"):
        return f"tel:{normal},{extension}"
    return f"tel:{normal}"


def dial_string(number: Optional[str], extension: str = "") -> Optional[str]:
    """A number as a saved contact keeps it to dial: ``+35554400100`` or, with an extension,
    ``+35554400100,204`` (the comma is the pause every phone's dialler knows); None when the
    number cannot be normalised."""
    normal = international_number(number)
    if not normal:
        return None
    if extension and _EXTENSION.fullmatch(extension) and normal.startswith("+"):
        return f"{normal},{extension}"
    return normal


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

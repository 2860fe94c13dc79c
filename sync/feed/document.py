"""The feed document: the contract between the catalogue server and the kiosks.

A feed is one JSON object (UTF-8)::

    {
      "schema_version": 1,                  # format of this document; kiosks reject unknown ones
      "version": 42,                        # monotonic catalogue version, set by the publisher
      "generated_at": "2026-11-23T10:00:00Z",
      "expires_at":   "2027-05-23T10:00:00Z",
      "default_language": "sq",             # the language of the plain HSDS fields
      "languages": ["sq", "en"],
      "publisher": {"name": "...", "x_translations": {...}},
      "taxonomy": {"id": UUID, "name": "...", "description": "..."},
      "taxonomy_terms": [ TERM, ... ],      # the whole category tree, parents before children
      "services": [ SERVICE, ... ]          # HSDS 3.0 fully nested services (shared/hsds/service.json)
    }

TERM is an HSDS ``taxonomy_term`` (``id``, ``name``, ``description``, ``parent_id``,
``taxonomy_id``, ``code``) with the project's extension fields ``x_icon`` (an icon name from
``assets/icons``) and ``x_order`` (an integer sort key).

Every HSDS object that carries visitor-facing text may have ``x_translations``: a mapping from a
language code to the translated fields of that object, e.g.
``{"en": {"name": "Day care", "description": "..."}}``. The plain HSDS fields are in the default
language (Albanian); a field missing from a translation falls back to it. Extension fields start
with ``x_`` and HSDS validators ignore them (service.json does not forbid extra properties).

``x_demo: true`` on an organization or a service marks data that the centre's documents do not
give (invented numbers, addresses, people); the kiosk shows a "demo catalogue" ribbon while any
is loaded.

Visitors in danger (issue 14): ``x_urgent`` on a service lists it on the kiosk's "Urgent help"
screen, a whole number being its place (1 first) and ``true`` an urgent line after the numbered
ones; ``x_sensitive: true`` on a service or a taxonomy term (and so on every service in it or in
a term inside it) makes the take-aways discreet; ``x_neutral_title`` (a one-line text, translated
in ``x_translations``) is the title they carry instead of the service's and provider's names.

Services reference their categories through HSDS ``attributes`` whose ``taxonomy_term_id`` is a
term of ``taxonomy_terms`` (and which carry the nested ``taxonomy_term``, as HSDS asks).

Schedules follow HSDS/iCal: ``freq: "WEEKLY"``, ``byday: "MO,TU"``, ``opens_at``/``closes_at``
as ``HH:MM`` local time in Europe/Tirane, optional ``valid_from``/``valid_to`` dates and
``notes``/``description``. A ``closes_at`` earlier than ``opens_at`` crosses midnight. They may sit
on the service (all its locations), on a service_at_location, or on a location.

This module knows only JSON: it does not import the kiosk.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Iterable

SCHEMA_VERSION = 1
SUPPORTED_SCHEMA_VERSIONS = frozenset({1})
DEFAULT_LANGUAGE = "sq"
TRANSLATIONS_KEY = "x_translations"

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class FeedError(ValueError):
    """A feed document that cannot be used. ``code`` is a stable machine-readable reason."""

    def __init__(self, code: str, detail: str = "", message_code: str = "", **params: Any):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        # A code of sync.feed.findings.MESSAGES and its parameters: ``detail`` in the staff's
        # language (sync.feed.findings.error_text); ``detail`` itself stays English.
        self.message_code, self.params = message_code, params


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def format_timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_timestamp(text: str) -> datetime:
    """The project's one ISO 8601 parser: ``Z`` or an offset; a naive time is taken as UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


def date_or_none(value: Any) -> date | None:
    """The calendar date an HSDS date or date-time field starts with (``2026-06-30``,
    ``2026-06-30T00:00:00Z``), or None for an empty or damaged one."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def timestamp_or_none(value: str | None) -> datetime | None:
    """:func:`parse_timestamp` for kept values that may be empty or damaged (status files,
    catalogue metadata): None instead of an error."""
    if not value:
        return None
    try:
        return parse_timestamp(value)
    except (ValueError, TypeError):
        return None


@dataclass(frozen=True)
class FeedInfo:
    """The envelope of a feed, without its catalogue."""

    schema_version: int
    version: int
    generated_at: datetime
    expires_at: datetime | None
    default_language: str
    languages: tuple[str, ...]
    service_count: int
    demo: bool


def loads(data: bytes | str) -> dict[str, Any]:
    """Parse feed bytes into a document, checking only that it has the envelope's shape."""
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedError("not_json", str(exc)) from exc
    if not isinstance(doc, dict):
        raise FeedError("not_a_feed", "the document is not a JSON object")
    for key, kind in (("schema_version", int), ("version", int), ("services", list),
                      ("taxonomy_terms", list), ("generated_at", str)):
        if not isinstance(doc.get(key), kind) or isinstance(doc.get(key), bool):
            raise FeedError("not_a_feed", f"missing or wrong '{key}'")
    if doc["schema_version"] not in SUPPORTED_SCHEMA_VERSIONS:
        raise FeedError("unknown_schema_version", str(doc["schema_version"]))
    return doc


def dumps(doc: dict[str, Any]) -> bytes:
    """Serialize a feed document canonically (stable key order, UTF-8, no ASCII escaping).
    NaN and infinite numbers are no JSON: ValueError (the checks refuse them before)."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def is_demo(doc: dict[str, Any]) -> bool:
    for service in doc.get("services", []):
        if service.get("x_demo") or (service.get("organization") or {}).get("x_demo"):
            return True
    return False


def info(doc: dict[str, Any]) -> FeedInfo:
    expires = doc.get("expires_at")
    return FeedInfo(
        schema_version=doc["schema_version"],
        version=doc["version"],
        generated_at=parse_timestamp(doc["generated_at"]),
        expires_at=parse_timestamp(expires) if expires else None,
        default_language=doc.get("default_language", DEFAULT_LANGUAGE),
        languages=tuple(doc.get("languages", [DEFAULT_LANGUAGE])),
        service_count=len(doc["services"]),
        demo=is_demo(doc),
    )


def translated(obj: dict[str, Any], field: str, lang: str) -> Any:
    """A field of an HSDS object in ``lang``, falling back to the default-language value."""
    if lang != DEFAULT_LANGUAGE:
        value = (obj.get(TRANSLATIONS_KEY) or {}).get(lang, {}).get(field)
        if value not in (None, ""):
            return value
    return obj.get(field)


def extension_digits(value: Any) -> str:
    """HSDS ``phone.extension`` (a number) as the digits to dial after the number, as kiosks and
    the staff preview read it: 204.0 is "204"; a value that is no whole, non-negative number of
    at most ten digits dials nothing ("")."""
    if value is None or isinstance(value, bool):
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    if number != number or number < 0 or not number.is_integer() or number >= 1e10:
        return ""
    return str(int(number))


def new_document(services: Iterable[dict[str, Any]], taxonomy_terms: Iterable[dict[str, Any]], *,
                 version: int, taxonomy: dict[str, Any] | None = None,
                 publisher: dict[str, Any] | None = None,
                 generated_at: datetime | None = None,
                 expires_at: datetime | None = None,
                 languages: Iterable[str] = ("sq", "en")) -> dict[str, Any]:
    """Wrap HSDS services and taxonomy terms in a feed envelope."""
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "version": int(version),
        "generated_at": format_timestamp(generated_at or utcnow()),
        "default_language": DEFAULT_LANGUAGE,
        "languages": list(languages),
        "taxonomy_terms": list(taxonomy_terms),
        "services": list(services),
    }
    if expires_at is not None:
        doc["expires_at"] = format_timestamp(expires_at)
    if taxonomy is not None:
        doc["taxonomy"] = taxonomy
    if publisher is not None:
        doc["publisher"] = publisher
    return doc

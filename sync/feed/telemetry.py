"""The feedback wire contract: "this is wrong" reports and anonymous usage counts, kiosk to server.

Both ends import this module (the kiosk to build and check what it sends, the server to parse what
it receives); it imports neither. Two routes, each authorised by the kiosk's token alone
(``Authorization: Bearer <token>``, the heartbeat's scheme), each a JSON object in a POST body:

``POST /api/reports``::

    {"reports": [{"id": "<UUID>", "subject": "service" | "organization", "subject_id": "<UUID>",
                  "reason": "phone" | "address" | "hours" | "closed" | "other",
                  "catalogue_version": 42, "hour": "2026-03-05T10:00:00Z", "span": "hour"}]}

``POST /api/usage``::

    {"hours": [{"id": "2026-03-05T10Z/3f9a01c2", "hour": "2026-03-05T10:00:00Z", "span": "hour",
                "counts": {"category:<id>": 3, "service:<id>": 5, "qr:<kind>": 1, "slip:ok": 1,
                           "visit": 4, "visit:1-3m": 2, ...},
                "unmet_searches": {"<term>": 3}}]}

Both are answered ``200 {"accepted": [ids]}``. An id in ``accepted`` is stored on the server for
good: the kiosk deletes exactly those and sends the others again later. The server is idempotent by
id (per kiosk): a repeat is accepted again and not counted again, so a send that fails half-way (the
server committed, the answer was lost) is simply retried. Report ids are echoed in their canonical
form (lower-case, hyphenated), which is the form kiosks send.

What a record means:

* ``hour``: timezone-aware ISO-8601, cut to the hour (minutes and seconds are dropped on parse).
  Nothing finer than an hour crosses the wire: kiosks send an hour (and a report) only once that
  hour is over, so not even the time of the POST says more.
* ``span`` (default ``"hour"``): ``"day"`` when a kiosk that was offline long enough to fill its
  store merged its oldest hours into one record per day; ``hour`` is then the local midnight, with
  the kiosk's UTC offset. A server that does not know ``span`` reads it as the hour at midnight.
* ``id`` of a usage record: unique per kiosk and record (the hour or the day, and a random tag), at
  most :data:`MAX_ID_LENGTH` characters of ``[A-Za-z0-9:._/+-]``.
* ``counts``: key -> non-negative integer; keys are ``family`` or ``family:detail`` (see
  :data:`COUNT_KEY_PATTERN`). ``overflow`` counts events whose key did not fit a full record.
* Sensitive subjects (a service or category staff marked ``x_sensitive``, a service in such a
  category, and the organization that provides one): a key of :data:`SUBJECT_FAMILIES` whose
  detail is such a subject never travels in an ``"hour"`` record, since in a quiet hour at a small
  kiosk it would place one visitor. It is counted per local day, in the ``"day"`` record, once per
  visit, under ``sensitive:<family>`` (all sensitive subjects together, e.g.
  ``sensitive:service``), and under its own key only once :data:`SENSITIVE_VISITS_NEEDED` separate
  visits of that day at that kiosk opened it (then that many at once, 1 per further visit). A
  report on such a subject has ``span`` ``"day"``: ``hour`` is the local midnight of its day, and
  it is sent once that day is over. The server keeps to the same rule for what older kiosks send.
* ``unmet_searches``: term -> how many visits typed it and found nothing. A term appears only when
  at least three separate visits typed it that day; it is at most :data:`MAX_TERM_LENGTH` characters,
  already in :func:`normalise_term` form (lower-case, trimmed, digits masked as ``#``), which the
  server checks.

Versioning: unknown fields are ignored on both ends, and new fields only ever get defaults, so kiosks
and servers of different versions keep talking. Caps (refused before they cost memory): the body's
size (:data:`MAX_REPORTS_BYTES`, :data:`MAX_USAGE_BYTES`, checked before JSON parsing), items per
post, keys and terms per record, lengths, and each count's range. A body that breaks them is answered
``413`` (too large) or ``422`` (invalid), and nothing in it is stored.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Annotated, Iterable, Literal, Mapping, Optional
from uuid import UUID

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StringConstraints,
                      ValidationError)

KIB = 1024
MAX_REPORTS_PER_POST = 500
MAX_HOURS_PER_POST = 200
MAX_COUNT_KEYS = 5000
MAX_KEY_LENGTH = 120
MAX_COUNT = 10_000_000
MAX_TERMS = 200
MAX_TERM_LENGTH = 40
MAX_ID_LENGTH = 80
MAX_REPORTS_BYTES = 256 * KIB
MAX_USAGE_BYTES = 1024 * KIB
MAX_ACCEPTED_BYTES = 64 * KIB

SUBJECTS = ("service", "organization")
REASONS = ("phone", "address", "hours", "closed", "other")
COUNT_KEY_PATTERN = r"^[a-z][a-z_]*(:[A-Za-z0-9._:<>+=-]+)?$"
ID_PATTERN = r"^[A-Za-z0-9:._/+-]+$"
OVERFLOW_KEY = "overflow"
#: The count families whose detail is a catalogue id (a service, category or organization).
SUBJECT_FAMILIES = ("category", "service", "organization", "qr_service", "slip_service")
#: The family under which visits to sensitive subjects are counted together, per day.
SENSITIVE_FAMILY = "sensitive"
#: Separate visits of a day at one kiosk before a sensitive subject is counted under its own key.
SENSITIVE_VISITS_NEEDED = 3

_CONFIG = ConfigDict(extra="ignore", frozen=True)
_COUNT_KEY = re.compile(COUNT_KEY_PATTERN)


class TelemetryError(ValueError):
    """A body that breaks the contract: ``code`` is ``too_large`` or ``invalid``."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def normalise_term(text: str) -> str | None:
    """A search term as the contract keeps it, or None when it may not be kept at all.

    Trimmed, inner spaces collapsed, lower-cased, every digit replaced by ``#``, control characters
    refused; more than :data:`MAX_TERM_LENGTH` characters (or nothing) is not kept.
    """
    if not isinstance(text, str):
        return None
    text = " ".join(unicodedata.normalize("NFC", text).split()).lower()
    if not text or len(text) > MAX_TERM_LENGTH:
        return None
    if any(unicodedata.category(c).startswith("C") for c in text):
        return None
    return "".join("#" if c.isdecimal() else c for c in text)


def _whole_hour(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("the hour must carry its time zone")
    return value.replace(minute=0, second=0, microsecond=0)


def _kept_term(value: str) -> str:
    if normalise_term(value) != value:
        raise ValueError("a search term must be trimmed, lower-case, with its digits masked")
    return value


Hour = Annotated[datetime, AfterValidator(_whole_hour)]
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_COUNT)]
CountKey = Annotated[str, StringConstraints(max_length=MAX_KEY_LENGTH, pattern=COUNT_KEY_PATTERN)]
Term = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TERM_LENGTH), AfterValidator(_kept_term)]
RecordId = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID_LENGTH, pattern=ID_PATTERN)]


class ReportIn(BaseModel):
    """One "this is wrong" report: what, why, against which catalogue, in which hour (or, for a
    sensitive subject, ``span`` ``"day"``: which day, ``hour`` being its local midnight)."""

    model_config = _CONFIG

    id: UUID
    subject: Literal["service", "organization"]
    subject_id: UUID
    reason: Literal["phone", "address", "hours", "closed", "other"]
    catalogue_version: Annotated[int, Field(strict=True, ge=0, le=2**53)]
    hour: Hour
    span: Literal["hour", "day"] = "hour"


class ReportsPost(BaseModel):
    model_config = _CONFIG

    reports: Annotated[list[ReportIn], Field(max_length=MAX_REPORTS_PER_POST)]


class UsageHour(BaseModel):
    """The counts of one kiosk for one hour (or, merged, one day)."""

    model_config = _CONFIG

    id: RecordId
    hour: Hour
    span: Literal["hour", "day"] = "hour"
    counts: Annotated[dict[CountKey, Count], Field(max_length=MAX_COUNT_KEYS)] = {}
    unmet_searches: Annotated[dict[Term, Annotated[Count, Field(ge=1)]], Field(max_length=MAX_TERMS)] = {}


class UsagePost(BaseModel):
    model_config = _CONFIG

    hours: Annotated[list[UsageHour], Field(max_length=MAX_HOURS_PER_POST)]


class Accepted(BaseModel):
    """The server's answer to either post: the ids it has stored (now or before)."""

    model_config = _CONFIG

    accepted: Annotated[list[Annotated[str, StringConstraints(max_length=MAX_ID_LENGTH)]],
                        Field(max_length=max(MAX_REPORTS_PER_POST, MAX_HOURS_PER_POST))]


def _parse(model: type[BaseModel], body: bytes, cap: int) -> BaseModel:
    if len(body) > cap:
        raise TelemetryError("too_large", f"more than {cap} bytes")
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise TelemetryError("invalid", f"{where}: {first.get('msg', '')}"[:300]) from exc


def parse_reports(body: bytes) -> ReportsPost:
    return _parse(ReportsPost, body, MAX_REPORTS_BYTES)  # type: ignore[return-value]


def parse_usage(body: bytes) -> UsagePost:
    return _parse(UsagePost, body, MAX_USAGE_BYTES)  # type: ignore[return-value]


def parse_accepted(body: bytes) -> Accepted:
    return _parse(Accepted, body, MAX_ACCEPTED_BYTES)  # type: ignore[return-value]


def encode(model: BaseModel) -> bytes:
    """The bytes of a post or an answer as they travel (compact UTF-8 JSON)."""
    return model.model_dump_json().encode("utf-8")


def subject_of(key: str) -> tuple[str, str] | None:
    """``(family, id)`` of a key that names a catalogue subject (:data:`SUBJECT_FAMILIES`), or None."""
    family, sep, detail = key.partition(":")
    return (family, detail) if sep and family in SUBJECT_FAMILIES and detail else None


def valid_count_key(key: str) -> bool:
    """Whether ``key`` may be counted (the server refuses a record with any other key)."""
    return isinstance(key, str) and len(key) <= MAX_KEY_LENGTH and _COUNT_KEY.fullmatch(key) is not None


def sensitive_categories(parents: Mapping[str, Optional[str]], marked: Iterable[str]) -> set[str]:
    """The categories whose counts must not place a visitor: each one ``marked`` sensitive and
    every one below it (``parents``: category id -> its parent's). The kiosk's catalogue and the
    server's tables both ask this, each over its own schema."""
    marked = set(marked)

    def under_marked(term: Optional[str]) -> bool:
        seen: set[str] = set()
        while term is not None and term not in seen:
            if term in marked:
                return True
            seen.add(term)
            term = parents.get(term)
        return False

    return {t for t in parents if under_marked(t)}

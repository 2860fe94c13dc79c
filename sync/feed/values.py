"""The value step of verification: every string, key and list of a feed against the caps.

Lengths, characters (control, bidirectional and noncharacters), URL schemes, nesting, NaN. The
caps are a :class:`Limits`, shared by the kiosks and the publisher.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sync.feed.document import FeedError

MIB = 1024 * 1024

URL_SCHEMES = frozenset({"https", "tel", "mailto", "geo"})
URL_KEYS = frozenset({"url", "website", "uri", "logo", "term_uri"})
ASSET_KEYS = {"logo": "x_logo_sha256", "x_icon_url": "x_icon_sha256"}
SHORT_KEYS = frozenset({
    "id", "name", "alternate_name", "title", "number", "extension", "email", "code", "status",
    "freq", "byday", "opens_at", "closes_at", "valid_from", "valid_to", "dtstart", "until",
    "location_type", "address_type", "type", "city", "region", "state_province", "postal_code",
    "country", "x_icon", "department", "legal_status", "assured_date", "last_modified",
    "generated_at", "expires_at", "default_language", "link_type", "link_entity",
})
# Control characters other than tab, newline and carriage return; bidirectional overrides and
# isolates (they can make text read differently from what it says); lone surrogates; noncharacters.
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                       "\ud800-\udfff\ufffe\uffff]")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
ICON_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Limits:
    """Caps that keep a feed (and a faulty or hostile publisher) from exhausting the kiosk."""

    max_bytes: int = 64 * MIB
    max_services: int = 50_000
    max_terms: int = 5_000
    max_list_items: int = 1_000       # any list inside a service (phones, schedules, ...)
    max_text_chars: int = 20_000      # free text (descriptions, notes)
    max_short_chars: int = 500        # names, numbers, codes, identifiers
    max_key_chars: int = 64
    max_depth: int = 16               # nesting of objects and lists


DEFAULT_LIMITS = Limits()


def _check_url(value: str, key: str, where: str) -> None:
    if key in ASSET_KEYS and re.fullmatch(r"assets/[0-9a-f]{64}", value):
        return  # an asset published beside the feed
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        raise FeedError("invalid", f"{where}: not a URL") from exc
    scheme = parts.scheme.lower()
    if scheme not in URL_SCHEMES:
        shown = scheme + ":" if scheme else repr(value[:40])
        raise FeedError("invalid", f"{where}: {shown} URLs are not allowed (only https, tel, mailto, geo)")
    if scheme == "https" and not parts.hostname:
        raise FeedError("invalid", f"{where}: https URL without a host")
    if re.search(r"\s", value):
        raise FeedError("invalid", f"{where}: whitespace in a URL")


class _Bad(Exception):
    pass


def check_values(doc: Any, limits: Limits = DEFAULT_LIMITS) -> None:
    """Every string, key and list of the document: lengths, characters, URLs, nesting.

    A fast pass finds whether anything is wrong; only then a second pass, which keeps track of
    where it is, finds the place for the message.
    """
    try:
        _scan(doc, "", 0, limits, False, ())
    except _Bad:
        _scan(doc, "", 0, limits, True, ())
        raise FeedError("invalid", "a value breaks the feed's limits")  # pragma: no cover


def _scan(value: Any, key: str, depth: int, limits: Limits, explain: bool, path: tuple) -> None:
    def fail(message: str) -> None:
        if not explain:
            raise _Bad()
        raise FeedError("invalid", f"{_path(path)}: {message}")

    if isinstance(value, str):
        cap = limits.max_short_chars if key in SHORT_KEYS else limits.max_text_chars
        if len(value) > cap:
            fail(f"text of {len(value)} characters (at most {cap})")
        found = BAD_CHARS.search(value)
        if found:
            fail(f"control or formatting character U+{ord(found.group()):04X}")
        if key in URL_KEYS or key.endswith("_url"):
            try:
                _check_url(value, key, _path(path))
            except FeedError:
                if not explain:
                    raise _Bad() from None
                raise
        return
    if isinstance(value, dict):
        if depth >= limits.max_depth:
            fail(f"nested deeper than {limits.max_depth}")
        for k, v in value.items():
            if len(k) > limits.max_key_chars or BAD_CHARS.search(k):
                fail(f"bad key {k[:40]!r}")
            if k == "x_translations":
                try:
                    _check_translations(v, path + (k,))
                except FeedError:
                    if not explain:
                        raise _Bad() from None
                    raise
            if isinstance(v, (str, dict, list)) or (isinstance(v, float) and v != v):
                _scan(v, k, depth + 1, limits, explain, path + (k,) if explain else path)
        return
    if isinstance(value, list):
        if depth >= limits.max_depth:
            fail(f"nested deeper than {limits.max_depth}")
        if len(value) > limits.max_list_items and not (depth == 1 and key in ("services", "taxonomy_terms")):
            fail(f"{len(value)} items (at most {limits.max_list_items})")
        for i, v in enumerate(value):
            if isinstance(v, (str, dict, list)) or (isinstance(v, float) and v != v):
                _scan(v, key, depth + 1, limits, explain, path + (i,) if explain else path)
        return
    if isinstance(value, float) and value != value:
        fail("NaN")


def _check_translations(value: Any, path: tuple) -> None:
    if not isinstance(value, dict):
        raise FeedError("invalid", f"{_path(path)}: translations must be an object")
    for lang, fields in value.items():
        if not LANG_RE.match(lang) or not isinstance(fields, dict):
            raise FeedError("invalid", f"{_path(path)}: bad translation {lang[:20]!r}")


def _path(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out or "(document)"

"""The value step of the checks: every string, key and list of a catalogue.

Errors refuse it: a text or list over the size caps, nesting too deep, a control character,
lone surrogate or noncharacter (nothing can clean them), NaN or an infinite number (``1e400``),
a bad key or translation map.
Warnings fix it and say so:

* bidirectional overrides and isolates and zero-width characters are removed (a zero-width
  joiner inside an emoji sequence stays);
* a visitor-facing address (``url``, ``website``, ``logo``, ``*_url``) that is ``http:`` is kept
  (the kiosk shows it as text only, never a link or a QR code); any other scheme, or one that is
  not an address at all, is dropped. Addresses no visitor sees (``uri``, ``term_uri``,
  ``schedule_link``...) are kept as they are;
* a name longer than the kiosk shows is kept (the screen cuts it with an ellipsis);
* a number out of its range is dropped: a schedule's ``timezone`` that is no offset from UTC
  between -12 and +14 hours, a ``latitude`` outside -90..90, a ``longitude`` outside -180..180;
* a field that is neither HSDS 3.0 nor one of the project's extensions is kept and listed.

A fast pass finds whether there is anything to say at all; only then the second pass, which
keeps track of where it is, records the findings and mends the document in place.
"""
from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sync.feed.findings import DOCUMENT, Findings, Record

MIB = 1024 * 1024
HSDS_DIR = Path(__file__).resolve().parent / "hsds"

URL_SCHEMES = frozenset({"https", "tel", "mailto", "geo"})
VISITOR_URL_KEYS = frozenset({"url", "website", "logo"})
ASSET_KEYS = {"logo": "x_logo_sha256", "x_icon_url": "x_icon_sha256"}
SHORT_KEYS = frozenset({
    "id", "name", "alternate_name", "title", "number", "extension", "email", "code", "status",
    "freq", "byday", "opens_at", "closes_at", "valid_from", "valid_to", "dtstart", "until",
    "location_type", "address_type", "type", "city", "region", "state_province", "postal_code",
    "country", "x_icon", "department", "legal_status", "assured_date", "last_modified",
    "generated_at", "expires_at", "default_language", "link_type", "link_entity",
})
# What the kiosk shows of a name on one screen line; longer ones are cut with an ellipsis.
DISPLAY_CAPS = {"name": 120, "alternate_name": 120}
# The project's own extension fields and the feed envelope's (see sync.feed.document).
EXTENSION_KEYS = frozenset({
    "x_translations", "x_icon", "x_icon_url", "x_icon_sha256", "x_icon_file", "x_order", "x_demo",
    "x_logo_sha256", "x_logo_file", "x_urgent", "x_sensitive", "x_neutral_title",
    "schema_version", "version", "generated_at", "expires_at",
    "default_language", "languages", "publisher", "taxonomy", "taxonomy_terms", "services",
})
# Nothing can clean these: control characters other than tab, newline and carriage return; lone
# surrogates; noncharacters.
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# These are removed: bidirectional marks, overrides and isolates, zero-width characters.
INVISIBLE_CHARS = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# What typed staff input refuses outright (the server's forms): both of the above.
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                       "\ud800-\udfff\ufffe\uffff]")
_SUSPECT = re.compile(f"{UNSAFE_CHARS.pattern}|{INVISIBLE_CHARS.pattern}")
_PLAIN_URL = re.compile(r"^(?:https://[^\s/?#@]+(?:[/?#]\S*)?|(?:tel|mailto|geo):\S+|assets/[0-9a-f]{64})$")
# a phone number as people write one: a +, then at least three digits among spaces, dots,
# dashes, slashes and brackets (quotes around it allowed, as the official HSDS example has)
_DIALABLE = re.compile(r"^[\s\"'“”„]*\+?(?:[\s().\-/\u00a0]*\d){3,}[\s().\-/\u00a0\"'“”„]*$")
_EMOJI = re.compile("[\u2600-\u27bf\u2b00-\u2bff\U0001F000-\U0001FAFF]")
_EMOJI_TAIL = re.compile("[\ufe0f\U0001F3FB-\U0001F3FF]")
# The names that have a line of their own on a kiosk screen (a record's, its organization's,
# its places'); the fast pass looks at the key alone.
_DISPLAYED = re.compile(r"^(?:organization\.|service_at_locations\[\d+\]\.location\.)?(?:alternate_)?name$")
# Numbers with a range; one outside it is dropped with a warning.
NUMBER_RANGES = {"timezone": (-12, 14), "latitude": (-90, 90), "longitude": (-180, 180)}
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


@functools.lru_cache(maxsize=None)
def known_keys() -> frozenset[str]:
    """Every field name HSDS 3.0 defines (service.json and the tables of datapackage.json),
    plus the project's extensions."""
    names: set[str] = set(EXTENSION_KEYS)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            names.update(node.get("properties") or {})
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads((HSDS_DIR / "service.json").read_text(encoding="utf-8")))
    package = json.loads((HSDS_DIR / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        names.update(f["name"] for f in resource["schema"]["fields"])
    return frozenset(names)


def record_of(kind: str, obj: Any) -> Record:
    if not isinstance(obj, dict):
        return Record(kind)
    ident, name = obj.get("id"), obj.get("name")
    return Record(kind, ident[:40] if isinstance(ident, str) else "",
                  name[:80] if isinstance(name, str) else "")


def check_values(doc: dict[str, Any], limits: Limits = DEFAULT_LIMITS,
                 findings: Findings | None = None) -> Findings:
    """The value step over a whole feed document; mends it in place and returns the findings."""
    findings = findings if findings is not None else Findings()
    known = known_keys()
    if not _suspect(doc, "", 0, limits, known):
        return findings
    for key, value in list(doc.items()):
        if key in ("services", "taxonomy_terms") and isinstance(value, list):
            kind = "service" if key == "services" else "category"
            for item in value:
                _Cleaner(findings, limits, known, record_of(kind, item)).walk_record(item)
        else:
            cleaner = _Cleaner(findings, limits, known, DOCUMENT)
            cleaner.item(doc, key, value, 1, key, known_parent=True)
    return findings


def _suspect(value: Any, key: str, depth: int, limits: Limits, known: frozenset[str] | None) -> bool:
    """True when the second pass would have anything to say (it may say nothing after all).
    ``known`` is None inside translations, whose keys are languages and field names.

    It looks at every string, key and list of the feed (1.5 million values at 10k services), so
    it is written for speed: a string is judged without a recursive call; a key that passed is
    not looked at again; each key's cap is worked out once."""
    search, plain_url, dialable_match = _SUSPECT.search, _PLAIN_URL.match, _DIALABLE.match
    max_depth, max_items, max_key = limits.max_depth, limits.max_list_items, limits.max_key_chars
    text_cap = limits.max_text_chars
    short_cap = min(limits.max_short_chars, text_cap)
    caps: dict[str, tuple[int, bool]] = {}          # key -> (its strings' cap, an address?)
    passed_known: set[str] = set()                  # keys that passed where keys must be known
    passed_any: set[str] = set()                    # ... and inside translations

    def cap_of(k: str) -> tuple[int, bool]:
        info = caps[k] = (min(DISPLAY_CAPS.get(k, text_cap), short_cap if k in SHORT_KEYS else text_cap),
                          k in VISITOR_URL_KEYS or k.endswith("_url"))
        return info

    def string_bad(v: str, k: str) -> bool:
        cap, url = caps.get(k) or cap_of(k)
        return len(v) > cap or search(v) is not None or (url and not plain_url(v)) or (
            k == "number" and not dialable_match(v))

    def walk(value: Any, key: str, depth: int, known: frozenset[str] | None) -> bool:
        if isinstance(value, dict):
            if depth >= max_depth:
                return True
            passed = passed_any if known is None else passed_known
            for k, v in value.items():
                if k not in passed:
                    if (known is not None and k not in known) or len(k) > max_key or search(k):
                        return True
                    passed.add(k)
                inner = known
                if k == "x_translations":
                    if _translations_bad(v):
                        return True
                    inner = None
                if isinstance(v, str):
                    if string_bad(v, k):
                        return True
                elif isinstance(v, (dict, list, float)) and walk(v, k, depth + 1, inner):
                    return True
                elif k in NUMBER_RANGES and not in_range(k, v):
                    return True
            return False
        if isinstance(value, list):
            if depth >= max_depth:
                return True
            if len(value) > max_items and not (depth == 1 and key in ("services", "taxonomy_terms")):
                return True
            for v in value:
                if isinstance(v, str):
                    if string_bad(v, key):
                        return True
                elif isinstance(v, (dict, list, float)) and walk(v, key, depth + 1, known):
                    return True
            return False
        if isinstance(value, str):
            return string_bad(value, key)
        return isinstance(value, float) and not math.isfinite(value)

    return walk(value, key, depth, known)


def _translations_bad(value: Any) -> bool:
    if not isinstance(value, dict):
        return True
    return any(not LANG_RE.match(lang) or not isinstance(fields, dict) for lang, fields in value.items())


_DROP = object()


class _Cleaner:
    """The second pass over one record: findings with their place, fixes made in place."""

    def __init__(self, findings: Findings, limits: Limits, known: frozenset[str], record: Record):
        self.findings, self.limits, self.known, self.record = findings, limits, known, record

    def warn(self, code: str, where: str, **params: Any) -> None:
        self.findings.warn(code, self.record, where, **params)

    def error(self, code: str, where: str, **params: Any) -> None:
        self.findings.error(code, self.record, where, **params)

    def walk_record(self, obj: Any) -> None:
        if not isinstance(obj, dict):
            return  # the structure step says so
        for k, v in list(obj.items()):
            self.item(obj, k, v, 3, k, known_parent=True)

    def item(self, parent: dict[str, Any], key: str, value: Any, depth: int, where: str,
             known_parent: bool) -> None:
        """One field of an object: its name, then its value (which may be mended or dropped)."""
        if len(key) > self.limits.max_key_chars or UNSAFE_CHARS.search(key) or INVISIBLE_CHARS.search(key):
            self.error("bad_key", where)
            return
        checking = known_parent and key != "x_translations"
        if checking and key not in self.known:
            self.warn("unknown_field", where)
            checking = False
        if key == "x_translations" and _translations_bad(value):
            self.error("translations", where)
        new = self.value(value, key, depth, where, checking)
        if new is _DROP:
            del parent[key]
        elif new is not value:
            parent[key] = new

    def value(self, value: Any, key: str, depth: int, where: str, checking: bool) -> Any:
        if isinstance(value, str):
            return self.text(value, key, where)
        if isinstance(value, dict):
            if depth >= self.limits.max_depth:
                self.error("too_deep", where, cap=self.limits.max_depth)
                return value
            for k, v in list(value.items()):
                self.item(value, k, v, depth + 1, f"{where}.{k}", checking)
            return value
        if isinstance(value, list):
            if depth >= self.limits.max_depth:
                self.error("too_deep", where, cap=self.limits.max_depth)
                return value
            if len(value) > self.limits.max_list_items:
                self.error("too_many", where, n=len(value), cap=self.limits.max_list_items)
                return value
            kept = []
            for i, v in enumerate(value):
                new = self.value(v, key, depth + 1, f"{where}[{i}]", checking)
                if new is not _DROP:
                    kept.append(new)
            value[:] = kept
            return value
        if isinstance(value, float) and value != value:
            self.error("nan", where)
        elif isinstance(value, float) and not math.isfinite(value):
            self.error("not_finite", where)
        elif key in NUMBER_RANGES and checking and not in_range(key, value):
            low, high = NUMBER_RANGES[key]
            self.warn("bad_timezone" if key == "timezone" else "out_of_range", where,
                      value=repr(value)[:20], low=low, high=high)
            return _DROP
        return value

    def text(self, value: str, key: str, where: str) -> Any:
        if INVISIBLE_CHARS.search(value):
            cleaned = strip_invisible(value)
            if cleaned != value:
                self.warn("invisible", where, n=len(value) - len(cleaned))
                value = cleaned
        found = UNSAFE_CHARS.search(value)
        if found:
            self.error("control_char", where, char=f"{ord(found.group()):04X}")
            return value
        cap = self.limits.max_short_chars if key in SHORT_KEYS else self.limits.max_text_chars
        if len(value) > cap:
            self.error("too_long", where, n=len(value), cap=cap)
            return value
        if key in DISPLAY_CAPS and len(value) > DISPLAY_CAPS[key] and _DISPLAYED.match(where):
            self.warn("display_cap", where, n=len(value), cap=DISPLAY_CAPS[key])
        if key in VISITOR_URL_KEYS or key.endswith("_url"):
            return self.url(value, key, where)
        if key == "number" and _PHONE_PATH.search(where) and not dialable(value):
            self.warn("not_dialable", where, number=value[:40])
        return value

    def url(self, value: str, key: str, where: str) -> Any:
        verdict = url_verdict(value, key)
        if verdict == "ok":
            return value
        if verdict == "http":
            self.warn("http_url", where)
            return value
        if verdict == "userinfo":
            self.warn("url_userinfo", where)
            return _DROP
        if verdict:
            self.warn("url_dropped", where, scheme=verdict + ":")
        else:
            self.warn("not_url", where)
        return _DROP


_PHONE_PATH = re.compile(r"(?:^|\.)phones\[\d+\]\.number$")


def dialable(number: str) -> bool:
    """Whether a phone number can be dialled as written: digits (at least three), with the
    spaces, dashes, dots, brackets and leading + numbers are written with; no letters
    ("CALL-NOW-HELP", "1-800-FLOWERS" only spells one on some keypads)."""
    return _DIALABLE.match(number) is not None


def in_range(key: str, value: Any) -> bool:
    """Whether a number is in its field's range (:data:`NUMBER_RANGES`): an HSDS ``timezone`` is
    hours from UTC, -12 to +14. What is not a number is the schema's to judge."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return True
    low, high = NUMBER_RANGES[key]
    return low <= value <= high


def url_verdict(value: str, key: str = "url") -> str:
    """``ok`` (https, tel, mailto, geo, a published asset), ``http``, ``userinfo`` (a web
    address with a user name before its host, dropped), another scheme's name (dropped), or
    ``""`` for what is no usable address (dropped)."""
    if key in ASSET_KEYS and re.fullmatch(r"assets/[0-9a-f]{64}", value):
        return "ok"
    if re.search(r"\s", value):
        return ""
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme in ("https", "http"):
        if "@" in parts.netloc:
            # "https://bank.al@evil.example/" reads as bank.al and goes to evil.example
            return "userinfo"
        return ("ok" if scheme == "https" else "http") if host else ""
    if scheme in URL_SCHEMES:
        return "ok" if parts.path else ""
    return scheme if re.fullmatch(r"[a-z][a-z0-9+.-]{0,30}", scheme) else ""


def strip_invisible(text: str) -> str:
    """``text`` without invisible formatting characters; a zero-width joiner between two emoji
    (a family, a profession) stays."""
    def keep(match: re.Match[str]) -> str:
        if match.group() != "\u200d":
            return ""
        before, after = text[:match.start()], text[match.end():match.end() + 1]
        while before and _EMOJI_TAIL.fullmatch(before[-1]):
            before = before[:-1]
        return match.group() if before and _EMOJI.fullmatch(before[-1]) and _EMOJI.fullmatch(after or " ") else ""

    return INVISIBLE_CHARS.sub(keep, text)

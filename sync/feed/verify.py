"""The kiosk's verification of a downloaded feed, in The Update Framework's order.

:func:`verify_feed` takes the exact bytes of ``feed.json`` and its detached signature and either
returns the parsed document or raises :class:`sync.feed.document.FeedError` whose ``code`` says why, in
this order (the first failing check decides):

=========================  ===============================================================
``too_large``              more bytes than the cap (endless-data attack)
``bad_signature``          the signature does not match the bytes (arbitrary content)
``unknown_key``            signed by a key that is not pinned
``unknown_schema_version`` a ``schema_version`` this kiosk does not understand
``rollback``               a version lower than one already trusted (rollback attack)
``same_version``           the version already loaded: nothing to do (not an error)
``expired``                ``expires_at`` has passed, or is missing (freeze attack)
``invalid``                the content has errors (:class:`sync.feed.findings.FeedRefused`):
                           no service at all, not HSDS 3.0, no id or name, an id used twice, a
                           text or list over the caps, a control character; ``detail`` says
                           the first, where
=========================  ===============================================================

Nothing is parsed before the signature has been checked. The content checks come in three
steps, each of which sorts what it finds into errors and warnings (:mod:`sync.feed.findings`):
values (:mod:`sync.feed.values`: lengths, characters, URLs, nesting), structure
(:mod:`sync.feed.references`: ids, references, the category tree), and the HSDS schema
(:mod:`sync.feed.schema`, with its cache of services already valid). Warnings mend the document
in place (an ``http:`` website kept for text only, a ``javascript:`` one dropped, invisible
characters removed, a category whose parent is missing shown at the top...); the publisher, the
server and the kiosk apply the same rules, and only errors refuse a feed.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Iterable

from sync.feed import signing
from sync.feed.document import SUPPORTED_SCHEMA_VERSIONS, FeedError, parse_timestamp, utcnow
from sync.feed.findings import DOCUMENT, FeedRefused, Findings
from sync.feed.references import check_references
from sync.feed.schema import service_validator, term_validator, validate_schema
from sync.feed.values import (BAD_CHARS, DEFAULT_LIMITS, ICON_RE, LANG_RE, SHA256_RE, Limits,
                              check_values)

# The checks' building blocks, for the publisher and the server that check what they accept.
__all__ = ["BAD_CHARS", "DEFAULT_LIMITS", "ICON_RE", "SHA256_RE", "FeedRefused", "Findings", "Limits",
           "check_content", "check_references", "check_values", "conform", "mend", "parse_document",
           "referenced_assets", "service_validator", "term_validator", "validate_schema", "verify_feed"]


def check_envelope(doc: dict[str, Any], findings: Findings) -> None:
    def bad(detail: str) -> None:
        findings.error("envelope", DOCUMENT, "", detail=detail)

    try:
        parse_timestamp(doc["generated_at"])
    except (ValueError, TypeError, KeyError):
        bad("generated_at: not a timestamp")
    languages = doc.get("languages", ["sq"])
    if not isinstance(languages, list) or not all(isinstance(x, str) and LANG_RE.match(x) for x in languages):
        bad("languages: a list of language codes")
    default = doc.get("default_language", "sq")
    if not isinstance(default, str) or not LANG_RE.match(default):
        bad("default_language: a language code")
    if "publisher" in doc and not isinstance(doc["publisher"], dict):
        bad("publisher: an object")
    if isinstance(doc.get("services"), list) and not doc["services"]:
        # Applied, an empty feed would wipe every kiosk's catalogue: refused at both ends.
        findings.error("no_services", DOCUMENT, "services")


def conform(doc: dict[str, Any], limits: Limits = DEFAULT_LIMITS,
            findings: Findings | None = None) -> Findings:
    """Every check of the content, mending the document in place; returns every finding, errors
    included (the caller decides). The schema is checked only when the other steps found no error."""
    findings = findings if findings is not None else Findings()
    check_envelope(doc, findings)
    check_values(doc, limits, findings)
    if not findings.errors:
        check_references(doc, limits, findings)
    if not findings.errors:
        validate_schema(doc, findings)
    return findings


def mend(doc: dict[str, Any], limits: Limits = DEFAULT_LIMITS) -> Findings:
    """The warnings' rules alone (values and structure, no schema), for a document already
    verified once and read again from disk: the kiosk's catalogue build applies them so that a
    rebuild from the kept file gives the catalogue that the verified document gave."""
    findings = check_values(doc, limits)
    if not findings.errors:
        check_references(doc, limits, findings)
    return findings


def check_content(doc: dict[str, Any], limits: Limits = DEFAULT_LIMITS,
                  findings: Findings | None = None) -> Findings:
    """:func:`conform`, refusing (FeedRefused, code ``invalid``) a document with errors; returns
    the warnings (the document is mended in place)."""
    findings = conform(doc, limits, findings)
    findings.raise_errors()
    return findings


# ------------------------------------------------------------------------------- the whole order


def parse_document(raw: bytes) -> dict[str, Any]:
    """Parse already-authenticated bytes: unknown_schema_version, or invalid for a bad shape."""
    try:
        doc = json.loads(raw)
    except RecursionError as exc:
        raise FeedError("invalid", "JSON nested too deeply", "feed_too_deep") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedError("invalid", f"not JSON: {str(exc)[:120]}", "feed_not_json") from exc
    if not isinstance(doc, dict):
        raise FeedError("invalid", "the document is not a JSON object", "not_object")
    sv = doc.get("schema_version")
    if not isinstance(sv, int) or isinstance(sv, bool) or sv not in SUPPORTED_SCHEMA_VERSIONS:
        raise FeedError("unknown_schema_version", repr(sv)[:40])
    for key, kind in (("version", int), ("services", list), ("taxonomy_terms", list),
                      ("generated_at", str)):
        if not isinstance(doc.get(key), kind) or isinstance(doc.get(key), bool):
            raise FeedError("invalid", f"missing or wrong '{key}'")
    if doc["version"] < 1:
        raise FeedError("invalid", "version must be a positive integer")
    return doc


def check_version(version: int, *, current_version: int, trusted_version: int = 0) -> None:
    floor = max(current_version, trusted_version)
    if version < floor:
        raise FeedError("rollback", f"version {version} is older than {floor}")
    if version == current_version:
        raise FeedError("same_version", f"version {version} is already loaded")


def check_expiry(doc: dict[str, Any], now: datetime) -> datetime:
    expires = doc.get("expires_at")
    if not isinstance(expires, str):
        raise FeedError("expired", "the feed has no expires_at")
    try:
        moment = parse_timestamp(expires)
    except ValueError as exc:
        raise FeedError("invalid", "expires_at: not a timestamp") from exc
    if now >= moment:
        raise FeedError("expired", f"expired at {expires}")
    return moment


def verify_feed(raw: bytes, signature: str | bytes, public_keys: Iterable[Any], *,
                current_version: int = 0, trusted_version: int = 0, now: datetime | None = None,
                limits: Limits = DEFAULT_LIMITS, check_versions: bool = True,
                findings: Findings | None = None) -> dict[str, Any]:
    """Verify ``raw`` (the exact bytes of feed.json) in order; return the document, mended by
    the warnings' rules (which ``findings``, when given, collects)."""
    if len(raw) > limits.max_bytes:
        raise FeedError("too_large", f"{len(raw)} bytes (at most {limits.max_bytes})")
    signing.verify(raw, signature, public_keys)
    doc = parse_document(raw)
    if check_versions:
        check_version(doc["version"], current_version=current_version, trusted_version=trusted_version)
    check_expiry(doc, now or utcnow())
    check_content(doc, limits, findings)
    return doc


def referenced_assets(doc: dict[str, Any]) -> dict[str, str]:
    """Every asset the feed references: sha256 -> URL (relative to the feed, or https)."""
    out: dict[str, str] = {}
    for term in doc.get("taxonomy_terms", []):
        if term.get("x_icon_sha256") and term.get("x_icon_url"):
            out[term["x_icon_sha256"]] = term["x_icon_url"]
    for service in doc.get("services", []):
        org = service.get("organization") or {}
        if org.get("x_logo_sha256") and org.get("logo"):
            out[org["x_logo_sha256"]] = org["logo"]
    return out

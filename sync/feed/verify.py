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
``invalid``                schema or sense: not HSDS 3.0, a field or a list too long, a URL
                           that is not https/tel/mailto/geo, a control character, a reference
                           that resolves to nothing; ``detail`` says where
=========================  ===============================================================

Nothing is parsed before the signature has been checked. The content checks come in three
steps: values (:mod:`sync.feed.values`: lengths, characters, URLs, nesting), references and sense
(here), and the HSDS schema (:mod:`sync.feed.schema`, with its cache of services already valid).
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Iterable, Iterator

from sync.feed import signing
from sync.feed.document import SUPPORTED_SCHEMA_VERSIONS, FeedError, parse_timestamp, utcnow
from sync.feed.schema import SchemaCache, service_validator, term_validator, validate_schema
from sync.feed.values import (ASSET_KEYS, BAD_CHARS, DEFAULT_LIMITS, ICON_RE, LANG_RE, SHA256_RE, Limits,
                              check_values)

# The checks' building blocks, for the publisher and the server that check what they accept.
__all__ = ["BAD_CHARS", "DEFAULT_LIMITS", "ICON_RE", "SHA256_RE", "Limits", "SchemaCache", "check_content",
           "check_references", "check_values", "parse_document", "referenced_assets", "service_validator",
           "term_validator", "validate_schema", "verify_feed"]

# Which kind of object an ``*_id`` field points to.
REFERENCE_KINDS = {
    "organization_id": "organization", "service_id": "service", "location_id": "location",
    "service_at_location_id": "service_at_location", "taxonomy_term_id": "term",
    "contact_id": "contact", "parent_organization_id": "organization",
}


class _Index:
    """Ids of every object in the feed, by kind."""

    def __init__(self) -> None:
        self.ids: dict[str, set[str]] = {kind: set() for kind in
                                          ("organization", "service", "location", "service_at_location",
                                           "term", "contact", "taxonomy", "phone", "schedule")}
        self.refs: list[tuple[str, str, str]] = []   # (kind, id, where)
        self.all_ids: set[str] = set()

    def add(self, kind: str, obj: dict[str, Any]) -> None:
        if isinstance(obj.get("id"), str):
            self.ids.setdefault(kind, set()).add(obj["id"])
            self.all_ids.add(obj["id"])


def _collect(index: _Index, kind: str, obj: Any, where: str) -> None:
    """Register ``obj`` and walk its nested HSDS objects, noting every ``*_id`` reference."""
    if not isinstance(obj, dict):
        return
    index.add(kind, obj)
    for key, value in obj.items():
        if key in REFERENCE_KINDS and value is not None:
            index.refs.append((REFERENCE_KINDS[key], value, f"{where}.{key}"))
        elif key == "parent_id" and kind == "term" and value is not None:
            index.refs.append(("term", value, f"{where}.parent_id"))
        elif key == "taxonomy_id" and value is not None:
            index.refs.append(("taxonomy", value, f"{where}.taxonomy_id"))
        child = NESTED.get(key)
        if child is None:
            continue
        if isinstance(value, list):
            for i, item in enumerate(value):
                _collect(index, child, item, f"{where}.{key}[{i}]")
        elif isinstance(value, dict):
            _collect(index, child, value, f"{where}.{key}")


NESTED = {
    "organization": "organization", "phones": "phone", "schedules": "schedule",
    "contacts": "contact", "service_at_locations": "service_at_location", "location": "location",
    "locations": "location", "taxonomy_term": "term", "attributes": "attribute",
    "addresses": "address", "accessibility": "accessibility", "languages": "language",
    "required_documents": "required_document",
}


def _objects(items: list[Any], name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each item of a top-level list, which must be an object whose id is not used before."""
    seen: set[Any] = set()
    for i, obj in enumerate(items):
        if not isinstance(obj, dict):
            raise FeedError("invalid", f"{name}[{i}]: not an object")
        if obj.get("id") in seen:
            raise FeedError("invalid", f"{name}[{i}]: duplicate id {obj.get('id')}")
        seen.add(obj.get("id"))
        yield i, obj


def _check_terms(terms: list[Any], index: _Index) -> set[str]:
    """The categories: unique ids, icon names, orders, assets. Returns their ids."""
    for i, term in _objects(terms, "taxonomy_terms"):
        icon = term.get("x_icon")
        if icon is not None and (not isinstance(icon, str) or not ICON_RE.match(icon)):
            raise FeedError("invalid", f"taxonomy_terms[{i}].x_icon: not an icon name")
        if "x_order" in term and (not isinstance(term["x_order"], int) or isinstance(term["x_order"], bool)):
            raise FeedError("invalid", f"taxonomy_terms[{i}].x_order: not an integer")
        _check_asset(term, "x_icon_url", f"taxonomy_terms[{i}]")
        _collect(index, "term", term, f"taxonomy_terms[{i}]")
    return {t.get("id") for t in terms}


def _check_service(service: dict[str, Any], where: str, terms: set[str]) -> None:
    """A service's own sense: its organization, its locations, its categories."""
    org = service.get("organization")
    if isinstance(org, dict):
        if service.get("organization_id") not in (None, org.get("id")):
            raise FeedError("invalid", f"{where}.organization_id does not match its organization")
        _check_asset(org, "logo", f"{where}.organization")
    elif service.get("organization_id") is None:
        raise FeedError("invalid", f"{where}: no organization")
    for j, sal in enumerate(service.get("service_at_locations") or []):
        loc = sal.get("location") if isinstance(sal, dict) else None
        if isinstance(loc, dict) and sal.get("location_id") not in (None, loc.get("id")):
            raise FeedError("invalid", f"{where}.service_at_locations[{j}].location_id does not "
                            "match its location")
    for j, attr in enumerate(service.get("attributes") or []):
        if not isinstance(attr, dict):
            continue
        nested = attr.get("taxonomy_term")
        term_id = attr.get("taxonomy_term_id") or (nested or {}).get("id")
        if term_id is None:
            raise FeedError("invalid", f"{where}.attributes[{j}]: no taxonomy_term_id")
        if term_id not in terms:
            raise FeedError("invalid", f"{where}.attributes[{j}].taxonomy_term_id: dangling "
                            f"reference to {str(term_id)[:40]} (not in taxonomy_terms)")
        if isinstance(nested, dict) and nested.get("id") != term_id:
            raise FeedError("invalid", f"{where}.attributes[{j}]: taxonomy_term does not match its id")


def check_references(doc: dict[str, Any], limits: Limits = DEFAULT_LIMITS) -> None:
    services, terms = doc["services"], doc["taxonomy_terms"]
    if len(services) > limits.max_services:
        raise FeedError("invalid", f"{len(services)} services (at most {limits.max_services})")
    if len(terms) > limits.max_terms:
        raise FeedError("invalid", f"{len(terms)} categories (at most {limits.max_terms})")
    index = _Index()
    taxonomy = doc.get("taxonomy")
    if taxonomy is not None:
        if not isinstance(taxonomy, dict) or not isinstance(taxonomy.get("id"), str):
            raise FeedError("invalid", "taxonomy: an object with an id")
        index.add("taxonomy", taxonomy)
    seen_terms = _check_terms(terms, index)
    for i, service in _objects(services, "services"):
        _check_service(service, f"services[{i}]", seen_terms)
        _collect(index, "service", service, f"services[{i}]")
    for kind, ref, where in index.refs:
        if kind == "taxonomy" and taxonomy is None:
            continue  # no taxonomy object to resolve against: the terms carry the id alone
        if ref not in index.ids[kind]:
            raise FeedError("invalid", f"{where}: dangling reference to {str(ref)[:40]}")
    _check_term_tree(terms)


def _check_asset(obj: dict[str, Any], url_key: str, where: str) -> None:
    sha_key = ASSET_KEYS[url_key]
    sha = obj.get(sha_key)
    url = obj.get(url_key)
    if sha is None:
        if isinstance(url, str) and url.startswith("assets/"):
            raise FeedError("invalid", f"{where}.{url_key}: asset without {sha_key}")
        return
    if not isinstance(sha, str) or not SHA256_RE.match(sha):
        raise FeedError("invalid", f"{where}.{sha_key}: not a lower-case hex SHA-256")
    if not isinstance(url, str):
        raise FeedError("invalid", f"{where}: {sha_key} without {url_key}")
    if url.startswith("assets/") and url != f"assets/{sha}":
        raise FeedError("invalid", f"{where}.{url_key}: does not name its {sha_key}")


def _check_term_tree(terms: list[dict[str, Any]]) -> None:
    parent = {t["id"]: t.get("parent_id") for t in terms}
    for start in parent:
        node, steps = start, 0
        while node is not None:
            node = parent.get(node)
            steps += 1
            if steps > 32:
                raise FeedError("invalid", f"taxonomy_terms: category {start} is in a cycle or too deep")


def check_envelope(doc: dict[str, Any]) -> None:
    try:
        parse_timestamp(doc["generated_at"])
    except (ValueError, TypeError) as exc:
        raise FeedError("invalid", "generated_at: not a timestamp") from exc
    languages = doc.get("languages", ["sq"])
    if not isinstance(languages, list) or not all(isinstance(x, str) and LANG_RE.match(x) for x in languages):
        raise FeedError("invalid", "languages: a list of language codes")
    default = doc.get("default_language", "sq")
    if not isinstance(default, str) or not LANG_RE.match(default):
        raise FeedError("invalid", "default_language: a language code")
    if "publisher" in doc and not isinstance(doc["publisher"], dict):
        raise FeedError("invalid", "publisher: an object")


def check_content(doc: dict[str, Any], limits: Limits = DEFAULT_LIMITS,
                  schema_cache: SchemaCache | None = None) -> None:
    """Schema and sense; raises FeedError('invalid')."""
    check_envelope(doc)
    check_values(doc, limits)
    check_references(doc, limits)
    validate_schema(doc, schema_cache)


# ------------------------------------------------------------------------------- the whole order


def parse_document(raw: bytes) -> dict[str, Any]:
    """Parse already-authenticated bytes: unknown_schema_version, or invalid for a bad shape."""
    try:
        doc = json.loads(raw)
    except RecursionError as exc:
        raise FeedError("invalid", "JSON nested too deeply") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedError("invalid", f"not JSON: {str(exc)[:120]}") from exc
    if not isinstance(doc, dict):
        raise FeedError("invalid", "the document is not a JSON object")
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
                limits: Limits = DEFAULT_LIMITS, schema_cache: SchemaCache | None = None,
                check_versions: bool = True) -> dict[str, Any]:
    """Verify ``raw`` (the exact bytes of feed.json) in order; return the document."""
    if len(raw) > limits.max_bytes:
        raise FeedError("too_large", f"{len(raw)} bytes (at most {limits.max_bytes})")
    signing.verify(raw, signature, public_keys)
    doc = parse_document(raw)
    if check_versions:
        check_version(doc["version"], current_version=current_version, trusted_version=trusted_version)
    check_expiry(doc, now or utcnow())
    check_content(doc, limits, schema_cache)
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

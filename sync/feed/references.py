"""The structure step of the checks: records, ids, references, the category tree.

Errors refuse the catalogue: a service or category that is no object or has no id or no name,
an id used twice, more services or categories than the caps, a nested object that contradicts
the id beside it, two copies of one organization or location that differ
(:mod:`sync.feed.copies`), a category tree with a cycle, an asset without its hash.

Warnings mend it (in place) and say so:

* a category whose ``parent_id`` is not in the document is kept as it is and shown as a
  top-level category;
* a category that only a service's attribute carries joins ``taxonomy_terms``; an attribute
  whose category is nowhere in the document is dropped;
* a service without its organization gets a stand-in organization of its own (its id, the
  service's name), so that it can still be shown;
* a ``service_at_location`` without its location is dropped;
* a service in no category is said: it can be found only by search;
* any other ``*_id`` that names nothing in the document is kept as it is.
"""
from __future__ import annotations

import uuid
from typing import Any

from sync.feed.copies import check_copies
from sync.feed.findings import DOCUMENT, Findings, Record, refuse
from sync.feed.schedules import check_schedules
from sync.feed.values import ASSET_KEYS, DEFAULT_LIMITS, ICON_RE, SHA256_RE, Limits, record_of

# Which kind of object an ``*_id`` field points to.
REFERENCE_KINDS = {
    "organization_id": "organization", "service_id": "service", "location_id": "location",
    "service_at_location_id": "service_at_location", "taxonomy_term_id": "term",
    "contact_id": "contact", "parent_organization_id": "organization", "program_id": "program",
    "phone_id": "phone",
}
NESTED = {
    "organization": "organization", "phones": "phone", "schedules": "schedule",
    "contacts": "contact", "service_at_locations": "service_at_location", "location": "location",
    "locations": "location", "taxonomy_term": "term", "attributes": "attribute",
    "addresses": "address", "accessibility": "accessibility", "languages": "language",
    "required_documents": "required_document", "program": "program", "programs": "program",
    "funding": "funding", "cost_options": "cost_option", "service_areas": "service_area",
}
STAND_IN = uuid.UUID("6f1c3a52-8d0e-4b7a-9c55-0e2f43a1d9b7")   # namespace of stand-in organizations


class _Index:
    """Ids of every object in the feed, by kind, and every reference to check."""

    def __init__(self) -> None:
        self.ids: dict[str, set[str]] = {}
        self.refs: list[tuple[str, Any, Record, str]] = []   # (kind, id, record, where)

    def collect(self, kind: str, obj: Any, record: Record, where: str) -> None:
        """Register ``obj`` and walk its nested HSDS objects, noting every ``*_id`` reference."""
        if not isinstance(obj, dict):
            return
        if isinstance(obj.get("id"), str):
            self.ids.setdefault(kind, set()).add(obj["id"])
        for key, value in obj.items():
            if key in REFERENCE_KINDS and value is not None:
                self.refs.append((REFERENCE_KINDS[key], value, record, f"{where}{key}"))
            elif key == "parent_id" and kind == "term" and value is not None:
                self.refs.append(("parent", value, record, f"{where}parent_id"))
            elif key == "taxonomy_id" and value is not None:
                self.refs.append(("taxonomy", value, record, f"{where}taxonomy_id"))
            child = NESTED.get(key)
            if child is None or (child == "term" and record.kind == "service"):
                continue  # a service's nested category is a copy of one of taxonomy_terms
            if isinstance(value, list):
                for i, item in enumerate(value):
                    self.collect(child, item, record, f"{where}{key}[{i}].")
            elif isinstance(value, dict):
                self.collect(child, value, record, f"{where}{key}.")


def _records(items: list[Any], kind: str, findings: Findings) -> list[tuple[int, dict[str, Any], Record]]:
    """The top-level records that are objects with an id and a name; errors for the others."""
    seen: set[str] = set()
    out = []
    for i, obj in enumerate(items):
        record = record_of(kind, obj)
        if not isinstance(obj, dict):
            findings.error("not_object", Record(kind, f"#{i + 1}"))
            continue
        if not isinstance(obj.get("id"), str) or not obj["id"].strip():
            findings.error("no_id", Record(kind, f"#{i + 1}", record.name))
            continue
        if not isinstance(obj.get("name"), str) or not obj["name"].strip():
            findings.error("no_name", record)
        if obj["id"] in seen:
            findings.error("duplicate_id", record, "id", id=obj["id"][:40])
        seen.add(obj["id"])
        out.append((i, obj, record))
    return out


def _check_asset(obj: dict[str, Any], url_key: str, record: Record, where: str, findings: Findings) -> None:
    sha_key = ASSET_KEYS[url_key]
    sha, url = obj.get(sha_key), obj.get(url_key)
    problem = None
    if sha is None and isinstance(url, str) and SHA256_RE.match(url.removeprefix("assets/")):
        obj[sha_key] = url.removeprefix("assets/")   # a published asset names its own hash
    elif sha is None:
        if isinstance(url, str) and url.startswith("assets/"):
            problem = f"{url_key}: asset without {sha_key}"
    elif not isinstance(sha, str) or not SHA256_RE.match(sha):
        problem = f"{sha_key}: not a lower-case hex SHA-256"
    elif not isinstance(url, str):
        problem = f"{sha_key} without {url_key}"
    elif url.startswith("assets/") and url != f"assets/{sha}":
        problem = f"{url_key}: does not name its {sha_key}"
    if problem:
        findings.error("asset", record, where.rstrip("."), detail=problem)


def _check_terms(terms: list[Any], findings: Findings) -> None:
    for _i, term, record in _records(terms, "category", findings):
        icon = term.get("x_icon")
        if icon is not None and (not isinstance(icon, str) or not ICON_RE.match(icon)):
            findings.warn("icon_dropped", record, "x_icon")
            del term["x_icon"]
        order = term.get("x_order")
        if "x_order" in term and (not isinstance(order, int) or isinstance(order, bool)):
            findings.warn("bad_cell", record, "x_order", value=str(order)[:40], kind="an integer")
            del term["x_order"]
        _check_asset(term, "x_icon_url", record, "", findings)


def _hoist_terms(doc: dict[str, Any]) -> None:
    """Categories that only the services' attributes carry join ``taxonomy_terms``."""
    terms = doc["taxonomy_terms"]
    have = {t.get("id") for t in terms if isinstance(t, dict)}
    for service in doc["services"]:
        if not isinstance(service, dict):
            continue
        for attr in service.get("attributes") or []:
            term = attr.get("taxonomy_term") if isinstance(attr, dict) else None
            if isinstance(term, dict) and isinstance(term.get("id"), str) and term["id"] not in have:
                terms.append(term)
                have.add(term["id"])


def _organization(service: dict[str, Any], record: Record, findings: Findings) -> None:
    org = service.get("organization")
    if isinstance(org, dict):
        if service.get("organization_id") not in (None, org.get("id")):
            findings.error("mismatch", record, "organization_id", field="organization_id", kind="organization")
        if not isinstance(org.get("id"), str) or not org["id"]:
            findings.error("no_id", record, "organization")
        elif not isinstance(org.get("name"), str) or not org["name"].strip():
            findings.error("no_name", record, "organization")
        _check_asset(org, "logo", record, "organization", findings)
        return
    ident = service.get("organization_id")
    if not isinstance(ident, str) or not ident:
        ident = str(uuid.uuid5(STAND_IN, str(service["id"])))
    findings.warn("no_organization", record, "organization_id", id=ident[:40])
    service["organization"] = {"id": ident, "name": service.get("name") or ident,
                               "description": service.get("description") or service.get("name") or ident}
    service["organization_id"] = ident


def _places(service: dict[str, Any], record: Record, findings: Findings) -> None:
    kept = []
    for j, sal in enumerate(service.get("service_at_locations") or []):
        loc = sal.get("location") if isinstance(sal, dict) else None
        where = f"service_at_locations[{j}]"
        if not isinstance(loc, dict) or not isinstance(loc.get("id"), str):
            findings.warn("no_location", record, where)
            continue
        if sal.get("location_id") not in (None, loc.get("id")):
            findings.error("mismatch", record, f"{where}.location_id", field="location_id", kind="location")
        kept.append(sal)
    if "service_at_locations" in service and isinstance(service["service_at_locations"], list):
        service["service_at_locations"] = kept


def _links(service: dict[str, Any], record: Record, terms: set[str], findings: Findings) -> None:
    kept = []
    for j, attr in enumerate(service.get("attributes") or []):
        if not isinstance(attr, dict):
            continue
        nested = attr.get("taxonomy_term")
        term_id = attr.get("taxonomy_term_id") or (nested or {}).get("id")
        if isinstance(nested, dict) and attr.get("taxonomy_term_id") not in (None, nested.get("id")):
            findings.error("mismatch", record, f"attributes[{j}].taxonomy_term", field="taxonomy_term_id",
                           kind="taxonomy_term")
        if term_id not in terms:
            findings.warn("attribute_dropped", record, f"attributes[{j}]", id=str(term_id)[:40])
            continue
        kept.append(attr)
    if isinstance(service.get("attributes"), list):
        service["attributes"] = kept
    if not kept:
        findings.warn("no_category", record, "attributes")


def check_references(doc: dict[str, Any], limits: Limits = DEFAULT_LIMITS,
                     findings: Findings | None = None) -> Findings:
    """The structure step over a whole feed document; mends it in place, returns the findings."""
    findings = findings if findings is not None else Findings()
    services, terms = doc["services"], doc["taxonomy_terms"]
    if len(services) > limits.max_services:
        raise refuse("too_many", DOCUMENT, "services", n=len(services), cap=limits.max_services)
    _hoist_terms(doc)
    if len(terms) > limits.max_terms:
        raise refuse("too_many", DOCUMENT, "taxonomy_terms", n=len(terms), cap=limits.max_terms)
    index = _Index()
    taxonomy = doc.get("taxonomy")
    if taxonomy is not None:
        if not isinstance(taxonomy, dict) or not isinstance(taxonomy.get("id"), str):
            findings.error("structure", DOCUMENT, "taxonomy", detail="an object with an id")
        else:
            index.ids.setdefault("taxonomy", set()).add(taxonomy["id"])
    _check_terms(terms, findings)
    term_ids = {t["id"] for t in terms if isinstance(t, dict) and isinstance(t.get("id"), str)}
    for t in terms:
        index.collect("term", t, record_of("category", t), "")
    records = _records(services, "service", findings)
    check_copies(records, findings)     # before stand-in organizations are made
    for _i, service, record in records:
        _organization(service, record, findings)
        _places(service, record, findings)
        _links(service, record, term_ids, findings)
        check_schedules(service, record, findings)
        index.collect("service", service, record, "")
    for kind, ref, record, where in index.refs:
        if kind == "taxonomy" and taxonomy is None:
            continue  # no taxonomy object to resolve against: the terms carry the id alone
        if kind == "parent":
            if ref not in term_ids:
                findings.warn("dangling_parent", record, where, id=str(ref)[:40])
        elif ref not in index.ids.get(kind, ()):
            findings.warn("dangling_ref", record, where, id=str(ref)[:40])
    _check_term_tree(terms, findings)
    return findings


def _check_term_tree(terms: list[Any], findings: Findings) -> None:
    parent = {t["id"]: t.get("parent_id") for t in terms if isinstance(t, dict) and isinstance(t.get("id"), str)}
    for start in parent:
        node, steps = start, 0
        while node is not None:
            node = parent.get(node)
            steps += 1
            if steps > 32:
                findings.error("cycle", record_of("category", {"id": start}), "parent_id", id=start[:40])
                break

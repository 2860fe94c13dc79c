"""The catalogue kept in the server's database: save, delete, take apart and put together.

Every write goes through the ``save_*``/``delete_*`` functions here, which keep the listed
columns and link tables in step with the HSDS documents and write the audit entry in the same
transaction. :func:`assemble` turns the database into fully nested HSDS services, the form the
feed, the exports, the HSDS API and the previews use.
"""
from __future__ import annotations

import copy
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sync.feed import document as feedmod
from sync.server.assets import strip_local_files
from sync.server.audit import Actor, diff, record
from sync.server.models import (
    CatalogueMeta,
    Category,
    Location,
    Organization,
    Service,
    ServiceCategory,
    ServiceLocation,
    utcnow,
)

TR = feedmod.TRANSLATIONS_KEY
NAMESPACE = uuid.UUID("8d3c0f2a-4b1e-5c6d-9e7f-0a1b2c3d4e5f")

DEFAULT_TAXONOMY = {
    "id": str(uuid.uuid5(NAMESPACE, "taxonomy:categories")),
    "name": "Kategoritë e shërbimeve sociale – Bashkia Elbasan",
    "description": "Kategoritë me të cilat Qendra e Informacionit rendit shërbimet.",
    TR: {"en": {"name": "Social service categories – Municipality of Elbasan",
                "description": "The categories the Information Centre uses to sort services."}},
}
DEFAULT_PUBLISHER = {
    "name": "Bashkia Elbasan – Qendra e Informacionit për Shërbimet Sociale",
    TR: {"en": {"name": "Municipality of Elbasan – Social Services Information Centre"}},
}


class CatalogueError(ValueError):
    """A change the catalogue cannot take (``message`` is an English message id, ``params`` its
    values)."""

    def __init__(self, message: str, **params: Any):
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params


def new_id() -> str:
    return str(uuid.uuid4())


def en(obj: dict[str, Any] | None, key: str) -> Any:
    return (((obj or {}).get(TR) or {}).get("en") or {}).get(key)


def set_en(obj: dict[str, Any], key: str, value: Any) -> None:
    """Set (or, with an empty value, remove) the English translation of ``key``."""
    tr = obj.setdefault(TR, {})
    lang = tr.setdefault("en", {})
    if value in (None, ""):
        lang.pop(key, None)
    else:
        lang[key] = value
    if not lang:
        tr.pop("en", None)
    if not tr:
        obj.pop(TR, None)


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def content_hash(services: list[dict[str, Any]], terms: list[dict[str, Any]]) -> str:
    """What a catalogue says, independent of order and of the copies a feed derives (the
    categories nested in each service): equal for the draft and the feed published from it."""
    from sync.publish.build import normalize

    flat = []
    for svc in normalize(services):
        svc = dict(svc)
        svc["attributes"] = [{k: v for k, v in a.items() if k != "taxonomy_term"} for a in svc.get("attributes") or []]
        flat.append(svc)
    doc = {"services": sorted(flat, key=lambda s: s.get("id", "")),
           "taxonomy_terms": sorted(normalize(terms), key=lambda t: t.get("id", ""))}
    return hashlib.sha256(canonical(doc)).hexdigest()


# ------------------------------------------------------------------------------- meta


def get_meta(db: Session, key: str, default: dict[str, Any]) -> dict[str, Any]:
    row = db.get(CatalogueMeta, key)
    return copy.deepcopy(row.value) if row else copy.deepcopy(default)


def set_meta(db: Session, key: str, value: dict[str, Any]) -> None:
    row = db.get(CatalogueMeta, key)
    if row is None:
        db.add(CatalogueMeta(key=key, value=value))
    else:
        row.value = value


def taxonomy(db: Session) -> dict[str, Any]:
    return get_meta(db, "taxonomy", DEFAULT_TAXONOMY)


def publisher(db: Session) -> dict[str, Any]:
    return get_meta(db, "publisher", DEFAULT_PUBLISHER)


# ------------------------------------------------------------------------------- reading


def categories_tree(db: Session) -> list[tuple[Category, int]]:
    """Every category with its depth, parents first, siblings in ``x_order``."""
    rows = list(db.scalars(select(Category)))
    children: dict[str | None, list[Category]] = {}
    for row in rows:
        children.setdefault(row.parent_id if row.parent_id in {r.id for r in rows} else None, []).append(row)
    out: list[tuple[Category, int]] = []

    def walk(parent: str | None, depth: int) -> None:
        for row in sorted(children.get(parent, []), key=lambda r: (r.sort_order, r.name.lower())):
            out.append((row, depth))
            if depth < 32:
                walk(row.id, depth + 1)

    walk(None, 0)
    return out


def descendants(db: Session, category_id: str) -> set[str]:
    rows = list(db.execute(select(Category.id, Category.parent_id)))
    kids: dict[str, list[str]] = {}
    for cid, pid in rows:
        if pid:
            kids.setdefault(pid, []).append(cid)
    out: set[str] = set()
    stack = [category_id]
    while stack:
        for child in kids.get(stack.pop(), []):
            if child not in out:
                out.add(child)
                stack.append(child)
    return out


def assemble_service(doc: dict[str, Any], orgs: dict[str, dict], locs: dict[str, dict],
                     terms: dict[str, dict]) -> dict[str, Any]:
    svc = copy.deepcopy(doc)
    org = orgs.get(svc.get("organization_id"))
    if org is not None:
        svc["organization"] = copy.deepcopy(org)
    for sal in svc.get("service_at_locations") or []:
        sal["service_id"] = svc["id"]
        loc = locs.get(sal.get("location_id"))
        if loc is not None:
            sal["location"] = copy.deepcopy(loc)
    for attr in svc.get("attributes") or []:
        term = terms.get(attr.get("taxonomy_term_id"))
        if term is not None:
            attr["taxonomy_term"] = copy.deepcopy(term)
        attr.setdefault("link_id", svc["id"])
        attr.setdefault("link_type", "service_category")
        attr.setdefault("link_entity", "service")
    return svc


@dataclass
class Assembled:
    services: list[dict[str, Any]]
    taxonomy_terms: list[dict[str, Any]]
    taxonomy: dict[str, Any]
    publisher: dict[str, Any]

    def document(self) -> dict[str, Any]:
        """A source for ``kiosk-feed build`` and the HSDS JSON export (no envelope)."""
        return {"taxonomy": self.taxonomy, "publisher": self.publisher, "languages": ["sq", "en"],
                "taxonomy_terms": self.taxonomy_terms, "services": self.services}

    def content_hash(self) -> str:
        return content_hash(self.services, self.taxonomy_terms)


def assemble(db: Session, service_ids: Iterable[str] | None = None) -> Assembled:
    terms_ordered = [row.doc for row, _depth in categories_tree(db)]
    terms = {t["id"]: t for t in terms_ordered}
    orgs = {o.id: o.doc for o in db.scalars(select(Organization))}
    locs = {loc.id: loc.doc for loc in db.scalars(select(Location))}
    query = select(Service).order_by(Service.name)
    if service_ids is not None:
        query = query.where(Service.id.in_(list(service_ids)))
    services = [assemble_service(s.doc, orgs, locs, terms) for s in db.scalars(query)]
    return Assembled(services, copy.deepcopy(terms_ordered), taxonomy(db), publisher(db))


# ------------------------------------------------------------------------------- writing


def _text(doc: dict[str, Any], key: str) -> str:
    value = doc.get(key)
    return value.strip() if isinstance(value, str) else ""


def save_category(db: Session, doc: dict[str, Any], actor: Actor, *, audit: bool = True) -> Category:
    doc = strip_local_files(doc)[0]  # never a file on the server's disk (see sync.server.assets)
    doc.setdefault("id", new_id())
    doc.setdefault("taxonomy_id", taxonomy(db)["id"])
    if not doc.get("parent_id"):
        doc.pop("parent_id", None)
    code = _text(doc, "code") or doc["id"]
    doc["code"] = code
    clash = db.scalar(select(Category).where(Category.code == code, Category.id != doc["id"]))
    if clash is not None:
        raise CatalogueError("Another category already has the code {code}.", code=code)
    if doc.get("parent_id"):
        if doc["parent_id"] == doc["id"] or doc["parent_id"] in descendants(db, doc["id"]):
            raise CatalogueError("A category cannot be inside itself.")
        if db.get(Category, doc["parent_id"]) is None:
            raise CatalogueError("The parent category does not exist.")
    row = db.get(Category, doc["id"])
    old = copy.deepcopy(row.doc) if row else None
    if row is None:
        row = Category(id=doc["id"])
        db.add(row)
    row.code, row.parent_id, row.name = code, doc.get("parent_id"), _text(doc, "name")
    row.sort_order = int(doc.get("x_order") or 0)
    row.doc, row.updated_at = doc, utcnow()
    db.flush()
    if audit and old != doc:
        record(db, actor, "create" if old is None else "update", entity_type="category", entity_id=doc["id"],
               summary=row.name, details=diff(old, doc))
    return row


def save_organization(db: Session, doc: dict[str, Any], actor: Actor, *, audit: bool = True) -> Organization:
    doc = strip_local_files(doc)[0]
    doc.setdefault("id", new_id())
    doc.pop("services", None)
    row = db.get(Organization, doc["id"])
    old = copy.deepcopy(row.doc) if row else None
    if row is None:
        row = Organization(id=doc["id"])
        db.add(row)
    row.name, row.doc, row.updated_at = _text(doc, "name"), doc, utcnow()
    db.flush()
    if audit and old != doc:
        record(db, actor, "create" if old is None else "update", entity_type="organization",
               entity_id=doc["id"], summary=row.name, details=diff(old, doc))
    return row


def save_location(db: Session, doc: dict[str, Any], actor: Actor, *, audit: bool = True) -> Location:
    doc = strip_local_files(doc)[0]
    doc.setdefault("id", new_id())
    doc.setdefault("location_type", "physical")
    row = db.get(Location, doc["id"])
    old = copy.deepcopy(row.doc) if row else None
    if row is None:
        row = Location(id=doc["id"])
        db.add(row)
    address = ((doc.get("addresses") or [{}])[0] or {}).get("address_1") or ""
    row.name, row.doc, row.updated_at = _text(doc, "name") or address, doc, utcnow()
    db.flush()
    if audit and old != doc:
        record(db, actor, "create" if old is None else "update", entity_type="location", entity_id=doc["id"],
               summary=row.name, details=diff(old, doc))
    return row


def save_service(db: Session, doc: dict[str, Any], actor: Actor, *, audit: bool = True,
                 touch: bool = True) -> Service:
    """Store a service document (the stored form: no nested organization, locations or terms)."""
    doc = strip_local_files(doc)[0]
    doc.setdefault("id", new_id())
    doc.setdefault("status", "active")
    if db.get(Organization, doc.get("organization_id") or "") is None:
        raise CatalogueError("Choose the organization that provides the service.")
    term_ids = []
    for attr in doc.get("attributes") or []:
        attr.pop("taxonomy_term", None)
        tid = attr.get("taxonomy_term_id")
        if db.get(Category, tid or "") is None:
            raise CatalogueError("Unknown category {id}.", id=tid)
        attr["link_id"] = doc["id"]
        if tid not in term_ids:
            term_ids.append(tid)
    loc_ids = []
    for sal in doc.get("service_at_locations") or []:
        sal.pop("location", None)
        sal["service_id"] = doc["id"]
        if db.get(Location, sal.get("location_id") or "") is None:
            raise CatalogueError("Unknown location {id}.", id=sal.get("location_id"))
        if sal["location_id"] not in loc_ids:
            loc_ids.append(sal["location_id"])
    row = db.get(Service, doc["id"])
    old = copy.deepcopy(row.doc) if row else None
    if touch and old is not None:
        # last_modified changes only with the content, so an unchanged save is no change at all
        comparable = {k: v for k, v in doc.items() if k != "last_modified"}
        if comparable != {k: v for k, v in old.items() if k != "last_modified"}:
            doc["last_modified"] = feedmod.format_timestamp(feedmod.utcnow())
        elif "last_modified" in old:
            doc["last_modified"] = old["last_modified"]
    elif touch:
        doc.setdefault("last_modified", feedmod.format_timestamp(feedmod.utcnow()))
    doc.pop("organization", None)
    if row is None:
        row = Service(id=doc["id"], created_at=utcnow())
        db.add(row)
    row.organization_id, row.name = doc["organization_id"], _text(doc, "name")
    row.status = _text(doc, "status") or "active"
    row.assured_date = (doc.get("assured_date") or None)
    row.doc, row.updated_at = doc, utcnow()
    db.flush()
    db.execute(delete(ServiceCategory).where(ServiceCategory.service_id == row.id))
    db.execute(delete(ServiceLocation).where(ServiceLocation.service_id == row.id))
    db.add_all([ServiceCategory(service_id=row.id, category_id=t) for t in term_ids])
    db.add_all([ServiceLocation(service_id=row.id, location_id=loc) for loc in loc_ids])
    db.flush()
    if audit and old != doc:
        record(db, actor, "create" if old is None else "update", entity_type="service", entity_id=row.id,
               summary=row.name, details=diff(old, doc))
    return row


def delete_service(db: Session, service_id: str, actor: Actor) -> None:
    row = db.get(Service, service_id)
    if row is None:
        raise CatalogueError("Not found.")
    record(db, actor, "delete", entity_type="service", entity_id=row.id, summary=row.name,
           details={"document": row.doc})
    db.execute(delete(ServiceCategory).where(ServiceCategory.service_id == row.id))
    db.execute(delete(ServiceLocation).where(ServiceLocation.service_id == row.id))
    db.delete(row)
    db.flush()


def delete_organization(db: Session, org_id: str, actor: Actor) -> None:
    row = db.get(Organization, org_id)
    if row is None:
        raise CatalogueError("Not found.")
    used = db.scalars(select(Service.name).where(Service.organization_id == org_id)).all()
    if used:
        raise CatalogueError("{n} services belong to this organization; move or delete them first.", n=len(used))
    record(db, actor, "delete", entity_type="organization", entity_id=row.id, summary=row.name,
           details={"document": row.doc})
    db.delete(row)
    db.flush()


def delete_location(db: Session, loc_id: str, actor: Actor) -> None:
    row = db.get(Location, loc_id)
    if row is None:
        raise CatalogueError("Not found.")
    used = db.scalars(select(ServiceLocation.service_id).where(ServiceLocation.location_id == loc_id)).all()
    if used:
        raise CatalogueError("{n} services are offered at this location; remove it from them first.", n=len(used))
    record(db, actor, "delete", entity_type="location", entity_id=row.id, summary=row.name,
           details={"document": row.doc})
    db.delete(row)
    db.flush()


def delete_category(db: Session, cat_id: str, actor: Actor) -> None:
    row = db.get(Category, cat_id)
    if row is None:
        raise CatalogueError("Not found.")
    if db.scalar(select(Category.id).where(Category.parent_id == cat_id).limit(1)):
        raise CatalogueError("This category has sub-categories; move or delete them first.")
    used = db.scalars(select(ServiceCategory.service_id).where(ServiceCategory.category_id == cat_id)).all()
    if used:
        raise CatalogueError("{n} services are in this category; remove it from them first.", n=len(used))
    record(db, actor, "delete", entity_type="category", entity_id=row.id, summary=row.name,
           details={"document": row.doc})
    db.delete(row)
    db.flush()


# ------------------------------------------------------------------------------- taking apart


@dataclass
class Parts:
    """A catalogue taken apart into the server's tables (stored forms)."""

    categories: dict[str, dict[str, Any]] = field(default_factory=dict)
    organizations: dict[str, dict[str, Any]] = field(default_factory=dict)
    locations: dict[str, dict[str, Any]] = field(default_factory=dict)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    taxonomy: dict[str, Any] | None = None
    publisher: dict[str, Any] | None = None


def decompose(services: Iterable[dict[str, Any]], terms: Iterable[dict[str, Any]],
              taxonomy_doc: dict[str, Any] | None = None, publisher_doc: dict[str, Any] | None = None) -> Parts:
    """Fully nested HSDS services and their categories -> the server's documents.

    Raises CatalogueError for what the server cannot store (a service without an organization,
    a service_at_location without a location)."""
    parts = Parts(taxonomy=copy.deepcopy(taxonomy_doc) if taxonomy_doc else None,
                  publisher=copy.deepcopy(publisher_doc) if publisher_doc else None)
    for term in terms:
        term = copy.deepcopy(term)
        parts.categories.setdefault(term["id"], term)
    for nested in services:
        svc = copy.deepcopy(nested)
        org = svc.pop("organization", None)
        if isinstance(org, dict) and org.get("id"):
            org.pop("services", None)
            parts.organizations.setdefault(org["id"], org)
            svc["organization_id"] = svc.get("organization_id") or org["id"]
        if not svc.get("organization_id"):
            raise CatalogueError("Service {name} has no organization.", name=svc.get("name") or svc.get("id"))
        for sal in svc.get("service_at_locations") or []:
            loc = sal.pop("location", None)
            if isinstance(loc, dict) and loc.get("id"):
                parts.locations.setdefault(loc["id"], loc)
                sal["location_id"] = sal.get("location_id") or loc["id"]
            if not sal.get("location_id"):
                raise CatalogueError("Service {name} is at a place without a location.",
                                     name=svc.get("name") or svc.get("id"))
            sal.setdefault("id", new_id())
        for attr in svc.get("attributes") or []:
            term = attr.pop("taxonomy_term", None)
            tid = attr.get("taxonomy_term_id") or (term or {}).get("id")
            if isinstance(term, dict) and tid and tid not in parts.categories:
                parts.categories[tid] = copy.deepcopy(term)
            attr["taxonomy_term_id"] = tid
            attr.setdefault("id", new_id())
        parts.services[svc["id"]] = svc
    for term in parts.categories.values():
        term.setdefault("code", term["id"])
    return parts


def _parents_first(categories: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    def depth(t: dict[str, Any]) -> int:
        d = 0
        while t.get("parent_id") in categories and d < 32:
            t, d = categories[t["parent_id"]], d + 1
        return d

    return sorted(categories.values(), key=lambda t: depth(t))


def apply_parts(db: Session, parts: Parts, actor: Actor, *, replace: bool) -> dict[str, dict[str, list[str]]]:
    """Write an imported catalogue in the caller's transaction. ``replace``: what the import does
    not name is deleted. Returns {kind: {"created"|"updated"|"deleted"|"unchanged": [names]}}."""
    report: dict[str, dict[str, list[str]]] = {}

    def note(kind: str, what: str, name: str) -> None:
        report.setdefault(kind, {}).setdefault(what, []).append(name)

    def outcome(was: dict[str, Any] | None, now: dict[str, Any]) -> str:
        return "created" if was is None else ("unchanged" if was == now else "updated")

    old_services = {s.id: s for s in db.scalars(select(Service))}
    if replace:
        for sid, row in old_services.items():
            if sid not in parts.services:
                note("services", "deleted", row.name)
                db.execute(delete(ServiceCategory).where(ServiceCategory.service_id == sid))
                db.execute(delete(ServiceLocation).where(ServiceLocation.service_id == sid))
                db.delete(row)
        db.flush()
    if parts.taxonomy:
        set_meta(db, "taxonomy", parts.taxonomy)
    if parts.publisher:
        set_meta(db, "publisher", parts.publisher)
    for term in _parents_first(parts.categories):
        row = db.get(Category, term["id"])
        clash = db.scalar(select(Category).where(Category.code == (term.get("code") or term["id"]),
                                                 Category.id != term["id"]))
        if clash is not None:  # an older category with the same code: it is being replaced
            if not replace:
                raise CatalogueError("Another category already has the code {code}.", code=term.get("code"))
            clash.code = f"{clash.code}~{clash.id[:8]}"
            db.flush()
        was = copy.deepcopy(row.doc) if row else None
        saved = save_category(db, term, actor, audit=False)
        note("categories", outcome(was, saved.doc), saved.name)
    for org in parts.organizations.values():
        row = db.get(Organization, org["id"])
        was = copy.deepcopy(row.doc) if row else None
        saved = save_organization(db, org, actor, audit=False)
        note("organizations", outcome(was, saved.doc), saved.name)
    for loc in parts.locations.values():
        row = db.get(Location, loc["id"])
        was = copy.deepcopy(row.doc) if row else None
        saved = save_location(db, loc, actor, audit=False)
        note("locations", outcome(was, saved.doc),
             saved.name or saved.id)
    for svc in parts.services.values():
        row = db.get(Service, svc["id"])
        was = copy.deepcopy(row.doc) if row else None
        saved = save_service(db, svc, actor, audit=False, touch=False)
        note("services", outcome(was, saved.doc), saved.name)
    if replace:
        used_orgs = set(db.scalars(select(Service.organization_id)))
        for row in list(db.scalars(select(Organization))):
            if row.id not in parts.organizations and row.id not in used_orgs:
                note("organizations", "deleted", row.name)
                db.delete(row)
        used_locs = set(db.scalars(select(ServiceLocation.location_id)))
        for row in list(db.scalars(select(Location))):
            if row.id not in parts.locations and row.id not in used_locs:
                note("locations", "deleted", row.name or row.id)
                db.delete(row)
        db.flush()
        used_terms = set(db.scalars(select(ServiceCategory.category_id)))
        doomed = [row for row, _d in reversed(categories_tree(db))
                  if row.id not in parts.categories and row.id not in used_terms]
        for row in doomed:
            note("categories", "deleted", row.name)
            db.delete(row)
            db.flush()
    return report


def mark_checked(db: Session, service_id: str, actor: Actor, today: date | None = None) -> Service:
    row = db.get(Service, service_id)
    if row is None:
        raise CatalogueError("Not found.")
    doc = copy.deepcopy(row.doc)
    doc["assured_date"] = (today or date.today()).isoformat()
    return save_service(db, doc, actor)

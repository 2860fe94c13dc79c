"""Storing and deleting one catalogue entity: the listed columns and link tables kept in step
with its HSDS document, the audit entry in the same transaction, and never a local file named
(see :mod:`sync.server.assets`)."""
from __future__ import annotations

import copy
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sync.feed import document as feedmod
from sync.server.assets import strip_local_files
from sync.server.audit import Actor, diff, record
from sync.server.catalogue import CatalogueError, descendants, new_id, taxonomy
from sync.server.danger import urgent_order
from sync.server.models import Category, Location, Organization, Service, ServiceCategory, ServiceLocation, utcnow


def _text(doc: dict[str, Any], key: str) -> str:
    value = doc.get(key)
    return value.strip() if isinstance(value, str) else ""


def save_category(db: Session, doc: dict[str, Any], actor: Actor, *, audit: bool = True,
                  imported: bool = False) -> Category:
    """Save a category. ``imported``: a ``parent_id`` that names no category is kept in the
    document and the category stands at the top (issue 15; the import lists it as a warning)."""
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
        if db.get(Category, doc["parent_id"]) is None and not imported:
            raise CatalogueError("The parent category does not exist.")
    parent = doc.get("parent_id") if doc.get("parent_id") and db.get(Category, doc["parent_id"]) else None
    row = db.get(Category, doc["id"])
    old = copy.deepcopy(row.doc) if row else None
    if row is None:
        row = Category(id=doc["id"])
        db.add(row)
    row.code, row.parent_id, row.name = code, parent, _text(doc, "name")
    row.sort_order = int(doc.get("x_order") or 0)
    row.sensitive = doc.get("x_sensitive") is True
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
    row.urgent_order, row.sensitive = urgent_order(doc.get("x_urgent")), doc.get("x_sensitive") is True
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


def _delete(db: Session, model: type, row_id: str, actor: Actor, entity_type: str,
            in_use: tuple[Any, str] | None = None) -> Any:
    """Delete one catalogue row with its audit entry; ``in_use`` is (a query of what still uses
    it, the message refusing the delete) and refuses it while that query finds anything."""
    row = db.get(model, row_id)
    if row is None:
        raise CatalogueError("Not found.")
    if in_use is not None:
        used = db.scalars(in_use[0]).all()
        if used:
            raise CatalogueError(in_use[1], n=len(used))
    record(db, actor, "delete", entity_type=entity_type, entity_id=row.id, summary=row.name,
           details={"document": row.doc})
    return row


def delete_service(db: Session, service_id: str, actor: Actor) -> None:
    row = _delete(db, Service, service_id, actor, "service")
    db.execute(delete(ServiceCategory).where(ServiceCategory.service_id == row.id))
    db.execute(delete(ServiceLocation).where(ServiceLocation.service_id == row.id))
    db.delete(row)
    db.flush()


def delete_organization(db: Session, org_id: str, actor: Actor) -> None:
    row = _delete(db, Organization, org_id, actor, "organization", (
        select(Service.name).where(Service.organization_id == org_id),
        "{n} services belong to this organization; move or delete them first."))
    db.delete(row)
    db.flush()


def delete_location(db: Session, loc_id: str, actor: Actor) -> None:
    row = _delete(db, Location, loc_id, actor, "location", (
        select(ServiceLocation.service_id).where(ServiceLocation.location_id == loc_id),
        "{n} services are offered at this location; remove it from them first."))
    db.delete(row)
    db.flush()


def delete_category(db: Session, cat_id: str, actor: Actor) -> None:
    if db.get(Category, cat_id) is not None and \
            db.scalar(select(Category.id).where(Category.parent_id == cat_id).limit(1)):
        raise CatalogueError("This category has sub-categories; move or delete them first.")
    row = _delete(db, Category, cat_id, actor, "category", (
        select(ServiceCategory.service_id).where(ServiceCategory.category_id == cat_id),
        "{n} services are in this category; remove it from them first."))
    db.delete(row)
    db.flush()


def mark_checked(db: Session, service_id: str, actor: Actor, today: date | None = None) -> Service:
    row = db.get(Service, service_id)
    if row is None:
        raise CatalogueError("Not found.")
    doc = copy.deepcopy(row.doc)
    doc["assured_date"] = (today or date.today()).isoformat()
    return save_service(db, doc, actor)

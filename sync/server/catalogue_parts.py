"""A whole catalogue taken apart into the server's tables (an import) and written in one go."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sync.server.audit import Actor
from sync.server.catalogue import CatalogueError, categories_tree, new_id, set_meta
from sync.server.catalogue_writes import save_category, save_location, save_organization, save_service
from sync.server.models import Category, Location, Organization, Service, ServiceCategory, ServiceLocation


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


Report = dict[str, dict[str, list[str]]]


class _Report:
    """What an import did: {kind: {"created"|"updated"|"deleted"|"unchanged": [names]}}."""

    def __init__(self) -> None:
        self.kinds: Report = {}

    def note(self, kind: str, what: str, name: str) -> None:
        self.kinds.setdefault(kind, {}).setdefault(what, []).append(name)

    def saved(self, kind: str, was: dict[str, Any] | None, row: Any) -> None:
        what = "created" if was is None else ("unchanged" if was == row.doc else "updated")
        self.note(kind, what, row.name or row.id)


def apply_parts(db: Session, parts: Parts, actor: Actor, *, replace: bool) -> Report:
    """Write an imported catalogue in the caller's transaction. ``replace``: what the import does
    not name is deleted. Returns {kind: {"created"|"updated"|"deleted"|"unchanged": [names]}}."""
    report = _Report()
    if replace:
        for row in list(db.scalars(select(Service))):
            if row.id not in parts.services:
                report.note("services", "deleted", row.name)
                db.execute(delete(ServiceCategory).where(ServiceCategory.service_id == row.id))
                db.execute(delete(ServiceLocation).where(ServiceLocation.service_id == row.id))
                db.delete(row)
        db.flush()
    if parts.taxonomy:
        set_meta(db, "taxonomy", parts.taxonomy)
    if parts.publisher:
        set_meta(db, "publisher", parts.publisher)
    for term in _parents_first(parts.categories):
        _free_code(db, term, replace)
        was = _doc_of(db, Category, term["id"])
        report.saved("categories", was, save_category(db, term, actor, audit=False, imported=True))
    for kind, model, save, docs in (("organizations", Organization, save_organization, parts.organizations),
                                    ("locations", Location, save_location, parts.locations)):
        for doc in docs.values():
            was = _doc_of(db, model, doc["id"])
            report.saved(kind, was, save(db, doc, actor, audit=False))
    for svc in parts.services.values():
        was = _doc_of(db, Service, svc["id"])
        report.saved("services", was, save_service(db, svc, actor, audit=False, touch=False))
    if replace:
        _delete_unused(db, parts, report)
    return report.kinds


def _doc_of(db: Session, model: type, ident: str) -> dict[str, Any] | None:
    row = db.get(model, ident)
    return copy.deepcopy(row.doc) if row else None


def _free_code(db: Session, term: dict[str, Any], replace: bool) -> None:
    """An older category with the code of ``term`` is being replaced: it gives the code up."""
    clash = db.scalar(select(Category).where(Category.code == (term.get("code") or term["id"]),
                                             Category.id != term["id"]))
    if clash is None:
        return
    if not replace:
        raise CatalogueError("Another category already has the code {code}.", code=term.get("code"))
    clash.code = f"{clash.code}~{clash.id[:8]}"
    db.flush()


def _delete_unused(db: Session, parts: Parts, report: _Report) -> None:
    """After a replacing import: the organizations, locations and categories it does not name
    and no service uses."""
    used_orgs = set(db.scalars(select(Service.organization_id)))
    for row in list(db.scalars(select(Organization))):
        if row.id not in parts.organizations and row.id not in used_orgs:
            report.note("organizations", "deleted", row.name)
            db.delete(row)
    used_locs = set(db.scalars(select(ServiceLocation.location_id)))
    for row in list(db.scalars(select(Location))):
        if row.id not in parts.locations and row.id not in used_locs:
            report.note("locations", "deleted", row.name or row.id)
            db.delete(row)
    db.flush()
    used_terms = set(db.scalars(select(ServiceCategory.category_id)))
    for row, _depth in reversed(categories_tree(db)):
        if row.id not in parts.categories and row.id not in used_terms:
            report.note("categories", "deleted", row.name)
            db.delete(row)
            db.flush()

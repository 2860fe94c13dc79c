"""The catalogue kept in the server's database, read and put together.

Every write goes through :mod:`sync.server.catalogue_writes` (one entity, from a form) or
:mod:`sync.server.catalogue_parts` (a whole import), which keep the listed columns and link
tables in step with the HSDS documents and write the audit entry in the same transaction.
:func:`assemble` turns the database into fully nested HSDS services, the form the feed, the
exports, the HSDS API and the previews use.
"""
from __future__ import annotations

import copy
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.feed import document as feedmod
from sync.server.db import alphabetical
from sync.server.models import CatalogueMeta, Category, Location, Organization, Service

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
    query = select(Service).order_by(alphabetical(Service.name), Service.id)
    if service_ids is not None:
        query = query.where(Service.id.in_(list(service_ids)))
    services = [assemble_service(s.doc, orgs, locs, terms) for s in db.scalars(query)]
    return Assembled(services, copy.deepcopy(terms_ordered), taxonomy(db), publisher(db))

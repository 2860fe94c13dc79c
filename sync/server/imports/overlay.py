"""A spreadsheet import laid over the catalogue in the database: the template carries fewer
fields than HSDS, so it changes only what its columns hold (a service keeps its contacts, its
date of last check, its phone descriptions...), and list items keep their ids."""
from __future__ import annotations

import copy
import functools
import uuid
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy.orm import Session

from sync.publish import sources
from sync.server import catalogue
from sync.server.catalogue import TR
from sync.server.catalogue_parts import Parts
from sync.server.forms.fields import tel_key
from sync.server.imports.cells import cell_text, lines, sheet_rows
from sync.server.models import Category, Location, Organization, Service

# template column -> what it sets (plain key, or "@key" for the English translation of key)
COLUMN_FIELDS = {
    "categories": {"name": ["name"], "name_en": ["@name"], "description": ["description"],
                   "description_en": ["@description"], "parent": ["parent_id"], "icon": ["x_icon"],
                   "order": ["x_order"], "code": ["code"], "sensitive": ["x_sensitive"],
                   "neutral_title": ["x_neutral_title"], "neutral_title_en": ["@x_neutral_title"]},
    "organizations": {"name": ["name"], "name_en": ["@name"], "description": ["description"],
                      "description_en": ["@description"], "email": ["email"], "website": ["website"],
                      "phone": ["phones"], "logo": ["logo"], "demo": ["x_demo"]},
    "locations": {"name": ["name"], "name_en": ["@name"], "address": ["addresses"], "latitude": ["latitude"],
                  "longitude": ["longitude"], "transportation": ["transportation"],
                  "transportation_en": ["@transportation"], "accessibility": ["accessibility"],
                  "phone": ["phones"]},
    "services": {"name": ["name"], "name_en": ["@name"], "description": ["description"],
                 "description_en": ["@description"], "organization": ["organization_id"],
                 "categories": ["attributes"], "locations": ["service_at_locations"], "status": ["status"],
                 "eligibility": ["eligibility_description"], "eligibility_en": ["@eligibility_description"],
                 "application_process": ["application_process"],
                 "application_process_en": ["@application_process"], "documents": ["required_documents"],
                 "fees": ["fees_description"], "fees_en": ["@fees_description"], "phone": ["phones"],
                 "email": ["email"], "url": ["url"], "languages": ["languages"], "minimum_age": ["minimum_age"],
                 "maximum_age": ["maximum_age"], "alert": ["alert"], "alert_en": ["@alert"], "demo": ["x_demo"],
                 "urgent": ["x_urgent"], "sensitive": ["x_sensitive"], "neutral_title": ["x_neutral_title"],
                 "neutral_title_en": ["@x_neutral_title"]},
}


def _covered(sheet: str, header: Iterable[str]) -> tuple[set[str], set[str]]:
    keys, en_keys = set(), set()
    for col in header:
        for target in COLUMN_FIELDS.get(sheet, {}).get(col, []):
            (en_keys if target.startswith("@") else keys).add(target.lstrip("@"))
    return keys, en_keys


def _match(new_items: list[dict], old_items: list[dict], key, keep_old: bool = False) -> list[dict]:  # noqa: ANN001
    """New list items, each starting from the old item with the same key (keeping its id and the
    fields the spreadsheet does not carry). ``keep_old``: a matched item is the old one as it was
    (the spreadsheet carries nothing but the key)."""
    olds: dict[Any, list[dict]] = {}
    for item in old_items or []:
        olds.setdefault(key(item), []).append(item)
    out = []
    for item in new_items or []:
        candidates = olds.get(key(item))
        if candidates:
            base = copy.deepcopy(candidates.pop(0))
            if keep_old:
                out.append(base)
                continue
            tr_new = (item.get(TR) or {}).get("en") or {}
            merged = {**base, **{k: v for k, v in item.items() if k not in ("id", TR)}}
            en = dict((base.get(TR) or {}).get("en") or {})
            en.update(tr_new)
            if en:
                merged[TR] = {**(base.get(TR) or {}), "en": en}
            out.append(merged)
        else:
            out.append(item)
    return out


def overlay(old: dict[str, Any] | None, new: dict[str, Any], keys: set[str], en_keys: set[str],
            lists: dict[str, Any] | None = None) -> dict[str, Any]:
    """``old`` with the spreadsheet's fields (``keys``, and ``en_keys`` of the English translation)
    taken from ``new``; list fields matched item by item with ``lists[field](new, old)``."""
    if old is None:
        return new
    out = copy.deepcopy(old)
    for key in keys:
        if key in (lists or {}):
            value = lists[key](new.get(key) or [], old.get(key) or [])
        else:
            value = new.get(key)
        if value in (None, "", []):
            if old.get(key) is False:
                continue  # an unticked box reads back as empty: false stays false
            out.pop(key, None)
        else:
            out[key] = value
    en_old = dict(((old.get(TR) or {}).get("en")) or {})
    en_new = ((new.get(TR) or {}).get("en")) or {}
    for key in en_keys:
        if en_new.get(key):
            en_old[key] = en_new[key]
        else:
            en_old.pop(key, None)
    trs = dict(out.get(TR) or {})
    if en_old:
        trs["en"] = en_old
    else:
        trs.pop("en", None)
    if trs:
        out[TR] = trs
    else:
        out.pop(TR, None)
    return out


def _phones_by_number(new: list[dict], old: list[dict]) -> list[dict]:
    return _match(new, old, lambda p: tel_key(p.get("number", "")))


def _schedule_key(s: dict[str, Any]) -> tuple:
    return (s.get("byday"), s.get("opens_at"), s.get("closes_at"), s.get("valid_from"), s.get("valid_to"))


def _first_address(new: list[dict], old: list[dict]) -> list[dict]:
    """The spreadsheet holds the first address's street, city and postal code only."""
    if not new:
        return old[1:]
    if not old:
        return new
    carried = ("address_1", "city", "postal_code")
    first = dict(old[0], **{k: new[0][k] for k in carried if new[0].get(k)})
    for k in carried:
        if not new[0].get(k):
            first.pop(k, None)
    return [first] + old[1:]


def _first_access(new: list[dict], old: list[dict]) -> list[dict]:
    if not new:
        return old[1:]
    if not old:
        return new
    return [overlay(old[0], new[0], {"description"}, {"description"})] + old[1:]


def _schedules(new: list[dict], old: list[dict]) -> list[dict]:
    return _match(new, old, _schedule_key)


def _places(new: list[dict], old_sals: list[dict], *, with_schedules: bool) -> list[dict]:
    """A service's places: the old service_at_location of each location, with the spreadsheet's
    hours when it has a schedules sheet."""
    olds = {s.get("location_id"): s for s in old_sals}
    result = []
    for sal in new:
        base = copy.deepcopy(olds.get(sal.get("location_id"))) or sal
        if with_schedules:
            merged = _schedules(sal.get("schedules") or [], base.get("schedules") or [])
            for s in merged:
                s["service_at_location_id"] = base["id"]
            if merged:
                base["schedules"] = merged
            else:
                base.pop("schedules", None)
        result.append(base)
    return result


def overlay_parts(db: Session, parts: Parts, headers: dict[str, list[str]]) -> Parts:
    """Spreadsheet parts laid over what the database has, so fields without a column survive."""
    tax_id = catalogue.taxonomy(db)["id"]
    out = Parts(taxonomy=None, publisher=None)
    keys, en_keys = _covered("categories", headers.get("categories", []))
    for cid, term in parts.categories.items():
        row = db.get(Category, cid)
        term = dict(term, taxonomy_id=(row.doc.get("taxonomy_id") if row else None) or tax_id)
        out.categories[cid] = overlay(row.doc if row else None, term, keys, en_keys)
    keys, en_keys = _covered("organizations", headers.get("organizations", []))
    for oid, org in parts.organizations.items():
        row = db.get(Organization, oid)
        out.organizations[oid] = overlay(row.doc if row else None, org, keys, en_keys, {"phones": _phones_by_number})
    keys, en_keys = _covered("locations", headers.get("locations", []))
    for lid, loc in parts.locations.items():
        row = db.get(Location, lid)
        out.locations[lid] = overlay(row.doc if row else None, loc, keys, en_keys,
                                     {"phones": _phones_by_number, "addresses": _first_address,
                                      "accessibility": _first_access})
    out.services = _overlay_services(db, parts, headers)
    return out


def _overlay_services(db: Session, parts: Parts, headers: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    keys, en_keys = _covered("services", headers.get("services", []))
    with_schedules = "schedules" in headers
    lists = {"phones": _phones_by_number,
             "required_documents": lambda n, o: _match(n, o, lambda d: d.get("document")),
             "languages": lambda n, o: _match(n, o, lambda lg: lg.get("code"), keep_old=True),
             "attributes": lambda n, o: _match(n, o, lambda a: a.get("taxonomy_term_id"), keep_old=True),
             "service_at_locations": functools.partial(_places, with_schedules=with_schedules),
             "schedules": _schedules}
    service_keys = set(keys) | ({"schedules"} if with_schedules else set())
    out = {}
    for sid, svc in parts.services.items():
        row = db.get(Service, sid)
        out[sid] = overlay(row.doc if row else None, svc, service_keys, en_keys, lists)
    return out


def unused_sheet_entities(path: Path, sheet: str, parts: Parts, db: Session,
                           headers: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """Organizations listed in the spreadsheet that no service names (read_template only keeps
    the ones services use): import them too."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        _header, rows = sheet_rows(wb[sheet])
    finally:
        wb.close()
    keys, en_keys = _covered("organizations", headers.get("organizations", []))
    out = {}
    for _n, row in rows:
        code = cell_text(row.get("code"))
        oid = cell_text(row.get("id")) or str(uuid.uuid5(sources.NAMESPACE, f"organization:{code}"))
        if oid in parts.organizations:
            continue
        name = cell_text(row.get("name"))
        org: dict[str, Any] = {"id": oid, "name": name, "description": cell_text(row.get("description")) or name}
        for key in ("email", "website"):
            if cell_text(row.get(key)):
                org[key] = cell_text(row.get(key))
        en = {k: cell_text(row.get(f"{k}_en")) for k in ("name", "description") if cell_text(row.get(f"{k}_en"))}
        if en:
            org[TR] = {"en": en}
        numbers = lines(row.get("phone"))
        if numbers:
            org["phones"] = [{"id": str(uuid.uuid5(sources.NAMESPACE, f"phone:org:{code}:{i}")), "number": n}
                             for i, n in enumerate(numbers)]
        existing = db.get(Organization, oid)
        out[oid] = overlay(existing.doc if existing else None, org, keys, en_keys, {"phones": _phones_by_number})
    return out

"""Older and regional profiles, converted to HSDS 3.0 on import.

* **HSDS 1.1 / 2.0 CSV datapackages**: ``services_at_location``, ``physical_addresses`` and
  ``postal_addresses``, ``regular_schedules`` (one row per week day), ``services_taxonomy`` and
  ``taxonomy``, ``eligibility``, ``service_area``, ``accessibility_for_disabilities``, an
  organization's ``url``... become the 3.0 tables (:func:`convert_tables`).
* **The Open Referral UK ``/services`` list**: a bare array (or a ``content`` page) of services
  with ``regular_schedules``, ``service_taxonomys``, ``eligibilitys``, ``fundings``, locations with
  ``physical_addresses``, and ``pc_*`` extras (:func:`convert_oruk`).

Every field that has no place in 3.0 is dropped with a warning; ``pc_*`` and ``x_*`` extras are
kept as they are (the checks list them). Real exports are messy: :func:`usable` keeps a service
that can still be shown (a name and a way to reach it) and drops the others with a warning; only
when nothing usable is left is the import refused.
"""
from __future__ import annotations

import re
import uuid
from typing import Any

from sync.feed.findings import Findings, Record, refuse

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
NS = uuid.UUID("3d5c1f0e-7b7a-4e43-9a43-1f1c2f5a7e11")
PROFILE = "HSDS 1.1/2.0"
ORUK = "Open Referral UK"
DAYS = {"mo": "MO", "mon": "MO", "monday": "MO", "tu": "TU", "tue": "TU", "tuesday": "TU",
        "we": "WE", "wed": "WE", "wednesday": "WE", "th": "TH", "thu": "TH", "thursday": "TH",
        "fr": "FR", "fri": "FR", "friday": "FR", "sa": "SA", "sat": "SA", "saturday": "SA",
        "su": "SU", "sun": "SU", "sunday": "SU",
        "1": "MO", "2": "TU", "3": "WE", "4": "TH", "5": "FR", "6": "SA", "7": "SU", "0": "SU"}
LEGACY_TABLES = {"services_at_location", "physical_addresses", "postal_addresses", "regular_schedules",
                 "services_taxonomy", "holiday_schedules", "accessibility_for_disabilities", "eligibility",
                 "payment_accepted", "service_attributes"}
# Tables with no place in 3.0 at all.
NO_PLACE_TABLES = {"holiday_schedules", "payment_accepted"}
# Columns with no place in 3.0, by 3.0 table (after renaming).
NO_PLACE_COLUMNS = {"phone": {"language", "department"}, "location": {"location_type_other"},
                    "service": {"deliverable_type", "attending_type", "attending_access"}}
EXTRAS = ("pc_", "x_")


def stable_id(*parts: Any) -> str:
    return str(uuid.uuid5(NS, "/".join(str(p) for p in parts)))


def profile_of(tables: dict[str, list[dict[str, Any]]]) -> str | None:
    """Which older profile a set of tables is in, or None for 3.0."""
    return PROFILE if LEGACY_TABLES & tables.keys() else None


def _rows(tables: dict[str, list[dict[str, Any]]], name: str) -> list[dict[str, Any]]:
    return tables.pop(name, [])


def convert_tables(tables: dict[str, list[dict[str, Any]]], profile: str,
                   findings: Findings) -> dict[str, list[dict[str, Any]]]:
    """The 3.0 tables of a 1.1/2.0 package (the rows are changed in place)."""
    findings.warn("converted", Record("file", "datapackage"), "", profile=profile)
    out = {name: rows for name, rows in tables.items() if name not in LEGACY_TABLES | NO_PLACE_TABLES}
    for name in NO_PLACE_TABLES & tables.keys():
        findings.warn("no_place", Record("file", f"{name}.csv"), f"{len(tables[name])} rows", profile=profile)
    for org in out.get("organization", []):
        if "url" in org and "website" not in org:
            org["website"] = org.pop("url")
    out.setdefault("service_at_location", []).extend(_rows(tables, "services_at_location"))
    for name, kind in (("physical_addresses", "physical"), ("postal_addresses", "postal")):
        for row in _rows(tables, name):
            row.setdefault("address_type", kind)
            for key in ("address_1", "city", "state_province", "postal_code", "country"):
                row.setdefault(key, "")
            out.setdefault("address", []).append(row)
    for row in _rows(tables, "regular_schedules"):
        out.setdefault("schedule", []).append(_schedule(row))
    for row in _rows(tables, "services_taxonomy") + _rows(tables, "service_attributes"):
        term = row.get("taxonomy_id") or row.get("taxonomy_term_id")
        out.setdefault("attribute", []).append(_clean({
            "id": row.get("id") or stable_id("attr", row.get("service_id"), term), "link_id": row.get("service_id"),
            "link_entity": "service", "link_type": "service_category", "taxonomy_term_id": term,
            "value": row.get("taxonomy_detail")}))
    for row in _rows(tables, "taxonomy") if "taxonomy_term" not in tables else []:   # 1.1's terms
        out.setdefault("taxonomy_term", []).append(_clean({
            "id": row.get("id"), "name": row.get("name"), "description": row.get("description") or row.get("name"),
            "parent_id": row.get("parent_id"), "taxonomy": row.get("vocabulary")}))
    for row in _rows(tables, "accessibility_for_disabilities"):
        out.setdefault("accessibility", []).append(_clean({
            "id": row.get("id"), "location_id": row.get("location_id"),
            "description": row.get("accessibility"), "details": row.get("details")}))
    for row in out.get("service_area", []):
        if "service_area" in row:
            row.setdefault("name", row.pop("service_area"))
    _eligibility(out, _rows(tables, "eligibility"))
    for row in out.get("language", []):
        if "language" in row and "name" not in row:
            row["name"] = row.pop("language")
    _no_place(out, profile, findings)
    _uuid_ids(out, findings)
    return out


# Which table a reference column of the converted (3.0) tables names; "" is the row's own table.
REFERS = {"organization_id": "organization", "service_id": "service", "location_id": "location",
          "service_at_location_id": "service_at_location", "contact_id": "contact", "phone_id": "phone",
          "program_id": "program", "link_id": "service", "taxonomy_term_id": "taxonomy_term",
          "taxonomy_id": "taxonomy", "parent_id": "", "parent_organization_id": "organization", "id": ""}


def _uuid_ids(tables: dict[str, list[dict[str, Any]]], findings: Findings) -> None:
    """HSDS 3.0 ids are UUIDs; older exports often number their rows. Such an id, and every
    reference to it, becomes a stable UUID of its table and value."""
    for table, rows in tables.items():
        changed = 0
        for row in rows:
            for column, target in REFERS.items():
                value = row.get(column)
                if value is not None and not UUID_RE.match(str(value)):
                    row[column] = stable_id(target or table, value)
                    changed += column == "id"
        if changed:
            findings.warn("ids_replaced", Record("file", table), "id", n=changed)


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v not in (None, "")}


def _schedule(row: dict[str, Any]) -> dict[str, Any]:
    day = DAYS.get(str(row.pop("weekday", "")).strip().lower())
    out = dict(row)
    if day:
        out.update(freq="WEEKLY", byday=day)
    return out


def _eligibility(out: dict[str, list[dict[str, Any]]], rows: list[dict[str, Any]]) -> None:
    by_service: dict[str, list[str]] = {}
    for row in rows:
        if row.get("service_id") and row.get("eligibility"):
            by_service.setdefault(row["service_id"], []).append(str(row["eligibility"]))
    for svc in out.get("service", []):
        if svc.get("id") in by_service and not svc.get("eligibility_description"):
            svc["eligibility_description"] = "; ".join(by_service[svc["id"]])


def _no_place(out: dict[str, list[dict[str, Any]]], profile: str, findings: Findings) -> None:
    for table, columns in NO_PLACE_COLUMNS.items():
        for row in out.get(table, []):
            for column in columns & row.keys():
                findings.warn("no_place", Record("file", table), f"{row.get('id')}.{column}", profile=profile)
                del row[column]


def reachable(service: dict[str, Any]) -> bool:
    """A way for a visitor to reach the service: a phone, an e-mail, a web address, a place."""
    org = service.get("organization") or {}
    if any(service.get(k) for k in ("email", "url")) or any(org.get(k) for k in ("email", "website")):
        return True
    if service.get("phones") or org.get("phones"):
        return True
    if any(c.get("phones") or c.get("email") for c in service.get("contacts") or []):
        return True
    return any(sal.get("location") for sal in service.get("service_at_locations") or [])


def usable(services: list[dict[str, Any]], findings: Findings) -> list[dict[str, Any]]:
    """The services that can be shown; the others are dropped with a warning. Refuses
    (FeedRefused) when none is left."""
    kept = []
    for svc in services:
        name = svc.get("name")
        if isinstance(name, str) and name.strip() and reachable(svc):
            kept.append(svc)
        else:
            findings.warn("record_dropped", Record("service", str(svc.get("id") or "?")[:40],
                                                   name if isinstance(name, str) else ""))
    if services and not kept:
        raise refuse("nothing_usable")
    return kept


# ------------------------------------------------------------------------- Open Referral UK JSON

ORUK_KEYS = {"regular_schedules", "service_taxonomys", "eligibilitys", "fundings", "holiday_schedules",
             "reviews", "deliverable_type"}


def is_oruk(items: list[Any]) -> bool:
    """ORUK's own lists (``regular_schedules``, ``service_taxonomys``...); ``pc_*`` extras alone
    may sit on any service and are kept as they are."""
    return any(isinstance(s, dict) and ORUK_KEYS & s.keys() for s in items[:50])


def convert_oruk(services: list[dict[str, Any]], findings: Findings) -> list[dict[str, Any]]:
    findings.warn("converted", Record("file", "services"), "", profile=ORUK)
    return usable([_oruk_service(s, findings) for s in services if isinstance(s, dict)], findings)


def _oruk_service(src: dict[str, Any], findings: Findings) -> dict[str, Any]:
    sid = str(src.get("id") or stable_id("service", src.get("name")))
    record = Record("service", sid[:40], str(src.get("name") or "")[:80])
    svc: dict[str, Any] = {}
    for key, value in src.items():
        if value in (None, "", []):
            continue
        if key in _ORUK_SERVICE:
            _ORUK_SERVICE[key](svc, value, sid)
        elif key in _SAME or key.startswith(EXTRAS):
            svc[key] = value
        else:
            findings.warn("no_place", record, key, profile=ORUK)
    svc["id"] = sid
    svc.setdefault("status", "active")
    if svc["status"] not in ("active", "inactive", "defunct", "temporarily closed"):
        svc["status"] = "active"
    return svc


_SAME = {"id", "name", "alternate_name", "description", "url", "email", "status", "interpretation_services",
         "application_process", "fees_description", "wait_time", "accreditations", "licenses", "assured_date",
         "assurer_email", "alert", "last_modified", "minimum_age", "maximum_age", "eligibility_description"}


def _ids(items: Any, kind: str, owner: str) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            out.append(dict(item, id=str(item.get("id") or stable_id(kind, owner, i))))
    return out


def _org(svc: dict[str, Any], org: Any, sid: str) -> None:
    if not isinstance(org, dict):
        return
    out = {k: v for k, v in org.items() if k in ("id", "name", "description", "email", "logo", "uri")
           or k.startswith(EXTRAS)}
    if org.get("url") or org.get("website"):
        out["website"] = org.get("website") or org["url"]
    out.setdefault("id", stable_id("organization", org.get("name")))
    out.setdefault("description", org.get("description") or org.get("name") or "")
    svc["organization"] = out


def _schedules(svc: dict[str, Any], value: Any, sid: str) -> None:
    svc["schedules"] = [_schedule(s) for s in _ids(value, "schedule", sid)]


def _terms(svc: dict[str, Any], value: Any, sid: str) -> None:
    attrs = []
    for link in _ids(value, "attribute", sid):
        tax = link.get("taxonomy") if isinstance(link.get("taxonomy"), dict) else link
        if not tax.get("id") or not tax.get("name"):
            continue
        term = {"id": str(tax["id"]), "name": tax["name"], "description": tax.get("description") or tax["name"]}
        if tax.get("parent"):
            term["parent_id"] = str(tax["parent"]["id"] if isinstance(tax["parent"], dict) else tax["parent"])
        if tax.get("vocabulary"):
            term["taxonomy"] = tax["vocabulary"]
        attrs.append({"id": link["id"], "taxonomy_term_id": term["id"], "link_type": "service_category",
                      "link_entity": "service", "taxonomy_term": term})
    svc["attributes"] = attrs


def _eligibilitys(svc: dict[str, Any], value: Any, sid: str) -> None:
    texts = [e.get("eligibility") for e in value if isinstance(e, dict) and e.get("eligibility")]
    if texts:
        svc["eligibility_description"] = "; ".join(map(str, texts))
    for e in value if isinstance(value, list) else []:
        for key in ("minimum_age", "maximum_age"):
            if isinstance(e, dict) and isinstance(e.get(key), (int, float)):
                svc.setdefault(key, e[key])


def _location(loc: dict[str, Any], sid: str) -> dict[str, Any]:
    out = {k: v for k, v in loc.items() if k in ("id", "name", "alternate_name", "description", "transportation",
                                                  "latitude", "longitude", "url") or k.startswith(EXTRAS)}
    out["id"] = str(loc.get("id") or stable_id("location", sid, loc.get("name")))
    out["location_type"] = "physical"
    addresses = [dict(a, address_type="physical") for a in _ids(loc.get("physical_addresses"), "address", out["id"])]
    addresses += [dict(a, address_type="postal") for a in _ids(loc.get("postal_addresses"), "address", out["id"])]
    for a in addresses:
        for key in ("address_1", "city", "state_province", "postal_code", "country"):
            a.setdefault(key, "")
    if addresses:
        out["addresses"] = addresses
    access = [{"id": a["id"], "description": a.get("accessibility") or a.get("description") or ""}
              for a in _ids(loc.get("accessibility_for_disabilities"), "accessibility", out["id"])]
    if access:
        out["accessibility"] = access
    return out


def _places(svc: dict[str, Any], value: Any, sid: str) -> None:
    sals = []
    for sal in _ids(value, "sal", sid):
        if isinstance(sal.get("location"), dict):
            item = {"id": sal["id"], "location": _location(sal["location"], sid)}
            if sal.get("regular_schedules"):
                item["schedules"] = [_schedule(s) for s in _ids(sal["regular_schedules"], "schedule", sal["id"])]
            sals.append(item)
    svc["service_at_locations"] = sals


def _list(key: str, rename: dict[str, str] | None = None):
    def put(svc: dict[str, Any], value: Any, sid: str) -> None:
        svc[key] = [{rename.get(k, k): v for k, v in item.items()} if rename else item
                    for item in _ids(value, key, sid)]
    return put


_ORUK_SERVICE = {
    "organization": _org, "regular_schedules": _schedules, "service_taxonomys": _terms,
    "eligibilitys": _eligibilitys, "service_at_locations": _places,
    "fees": lambda svc, v, sid: svc.setdefault("fees_description", v),
    "fundings": _list("funding"), "cost_options": _list("cost_options"), "contacts": _list("contacts"),
    "languages": _list("languages", {"language": "name"}), "phones": _list("phones"),
    "service_areas": _list("service_areas", {"service_area": "name"}),
    "required_documents": _list("required_documents"),
}

"""The HSDS CSV datapackage: a folder with ``datapackage.json`` and one CSV per HSDS table.

Translations travel in an ``x_translations`` column holding JSON; the project's other extension
columns (``x_icon``, ``x_order``, ``x_demo``, ``x_logo_sha256``) are read too. :func:`read_datapackage`
nests the tables into full HSDS services, :func:`write_datapackage` flattens a feed into them.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from sync.publish.loaded import TR, LoadedSource, SourceError, is_yes, parents_first

# table -> (file name, columns written in this order); readers accept any column.
TABLES: dict[str, tuple[str, list[str]]] = {
    "organization": ("organizations.csv", ["id", "name", "alternate_name", "description", "email",
                                           "website", "legal_status", "year_incorporated", "logo",
                                           "x_logo_sha256", "x_demo", TR]),
    "service": ("services.csv", ["id", "organization_id", "name", "alternate_name", "description",
                                 "url", "email", "status", "interpretation_services",
                                 "application_process", "fees_description", "eligibility_description",
                                 "minimum_age", "maximum_age", "assured_date", "alert",
                                 "last_modified", "x_demo", "x_urgent", "x_sensitive",
                                 "x_neutral_title", TR]),
    "location": ("locations.csv", ["id", "location_type", "organization_id", "name", "alternate_name",
                                   "description", "transportation", "url", "latitude", "longitude", TR]),
    "service_at_location": ("service_at_locations.csv", ["id", "service_id", "location_id",
                                                         "description", TR]),
    "address": ("addresses.csv", ["id", "location_id", "attention", "address_1", "address_2", "city",
                                  "region", "state_province", "postal_code", "country", "address_type"]),
    "phone": ("phones.csv", ["id", "organization_id", "service_id", "location_id",
                             "service_at_location_id", "contact_id", "number", "extension", "type",
                             "description", TR]),
    "schedule": ("schedules.csv", ["id", "service_id", "location_id", "service_at_location_id",
                                   "freq", "byday", "opens_at", "closes_at", "valid_from", "valid_to",
                                   "description", "notes", "attending_type", TR]),
    "contact": ("contacts.csv", ["id", "organization_id", "service_id", "service_at_location_id",
                                 "location_id", "name", "title", "department", "email", TR]),
    "language": ("languages.csv", ["id", "service_id", "location_id", "phone_id", "name", "code",
                                   "note", TR]),
    "accessibility": ("accessibility.csv", ["id", "location_id", "description", "details", "url", TR]),
    "required_document": ("required_documents.csv", ["id", "service_id", "document", "uri", TR]),
    "taxonomy": ("taxonomies.csv", ["id", "name", "description", "uri", "version"]),
    "taxonomy_term": ("taxonomy_terms.csv", ["id", "code", "name", "description", "parent_id",
                                             "taxonomy_id", "language", "term_uri", "x_icon",
                                             "x_icon_url", "x_icon_sha256", "x_order", "x_sensitive",
                                             "x_neutral_title", TR]),
    "attribute": ("attributes.csv", ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity",
                                     "value"]),
}
NUMBER_FIELDS = {"latitude", "longitude", "minimum_age", "maximum_age", "year_incorporated"}
INT_FIELDS = {"x_order", "x_urgent"}
BOOL_FIELDS = {"x_demo", "x_sensitive"}
JSON_FIELDS = {TR}


def _coerce(key: str, text: str) -> Any:
    if key in JSON_FIELDS:
        try:
            return json.loads(text)
        except ValueError as exc:
            raise SourceError(f"{key}: not JSON: {text[:60]}") from exc
    if key in BOOL_FIELDS:
        return is_yes(text)
    if key in INT_FIELDS:
        return int(float(text))
    if key in NUMBER_FIELDS:
        number = float(text)
        return int(number) if number.is_integer() and key != "latitude" and key != "longitude" else number
    return text


def _clean_row(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in row.items():
        if key is None or value is None:
            continue
        key = key.strip()
        if isinstance(value, str):
            if value.strip() == "":
                continue
            value = _coerce(key, value)
        out[key] = value
    return out


def table_files(folder: Path) -> dict[str, Path]:
    """table -> CSV file of a datapackage folder (its datapackage.json first, then the usual names)."""
    files: dict[str, Path] = {}
    package = folder / "datapackage.json"
    if package.is_file():
        try:
            meta = json.loads(package.read_text(encoding="utf-8"))
            for res in meta.get("resources") or []:
                name, rel = res.get("name"), res.get("path")
                if isinstance(name, str) and isinstance(rel, str) and (folder / rel).is_file():
                    files[name.rstrip("s") if name not in TABLES else name] = folder / rel
        except (OSError, ValueError) as exc:
            raise SourceError(f"{package}: {exc}") from exc
    for table, (filename, _cols) in TABLES.items():
        for candidate in (filename, f"{table}.csv"):
            if table not in files and (folder / candidate).is_file():
                files[table] = folder / candidate
    return files


def _read_csv(path: Path) -> list[dict[str, Any]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return [_clean_row(row) for row in csv.DictReader(fh)]


def _owner(row: dict[str, Any], order: tuple[str, ...]) -> tuple[str, str] | None:
    for key in order:
        if row.get(key):
            return key, row[key]
    return None


def _group(tables: dict[str, list[dict[str, Any]]], table: str,
           order: tuple[str, ...]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The rows of ``table`` by their owner (the first of ``order`` that the row names)."""
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in tables.get(table, []):
        owner = _owner(row, order)
        if owner:
            out.setdefault(owner, []).append(row)
    return out


class _Nester:
    """Puts the flat tables' rows back inside the objects that own them."""

    def __init__(self, tables: dict[str, list[dict[str, Any]]]):
        self.phones = _group(tables, "phone", ("contact_id", "service_at_location_id", "location_id",
                                               "service_id", "organization_id"))
        self.schedules = _group(tables, "schedule", ("service_at_location_id", "location_id", "service_id"))
        self.contacts = _group(tables, "contact", ("service_at_location_id", "location_id", "service_id",
                                                   "organization_id"))
        self.addresses = _group(tables, "address", ("location_id",))
        self.access = _group(tables, "accessibility", ("location_id",))
        self.languages = _group(tables, "language", ("service_id", "location_id"))
        self.documents = _group(tables, "required_document", ("service_id",))
        self.sals = _group(tables, "service_at_location", ("service_id",))
        self.terms = {t["id"]: t for t in tables.get("taxonomy_term", [])}
        self.attributes: dict[str, list[dict[str, Any]]] = {}
        for attr in tables.get("attribute", []):
            if attr.get("link_id"):
                self.attributes.setdefault(attr["link_id"], []).append(attr)
        self.organizations = {o["id"]: self.organization(o) for o in tables.get("organization", [])}
        self.locations = {loc["id"]: self.location(loc) for loc in tables.get("location", [])}

    @staticmethod
    def nest(obj: dict[str, Any], key: str, rows: list[dict[str, Any]] | None) -> None:
        if rows:
            obj[key] = rows

    def with_contacts(self, key: str, oid: str, obj: dict[str, Any]) -> None:
        found = self.contacts.get((key, oid))
        if found:
            obj["contacts"] = [dict(c, **({"phones": self.phones[("contact_id", c["id"])]}
                                          if ("contact_id", c["id"]) in self.phones else {})) for c in found]

    def organization(self, row: dict[str, Any]) -> dict[str, Any]:
        org = dict(row)
        self.nest(org, "phones", self.phones.get(("organization_id", org["id"])))
        self.with_contacts("organization_id", org["id"], org)
        return org

    def location(self, row: dict[str, Any]) -> dict[str, Any]:
        loc = dict(row)
        loc.setdefault("location_type", "physical")
        for key, rows in (("addresses", self.addresses), ("accessibility", self.access),
                          ("phones", self.phones), ("schedules", self.schedules)):
            self.nest(loc, key, rows.get(("location_id", loc["id"])))
        return loc

    def service(self, row: dict[str, Any]) -> dict[str, Any]:
        svc = dict(row)
        svc.setdefault("status", "active")
        sid = svc["id"]
        if svc.get("organization_id") in self.organizations:
            svc["organization"] = self.organizations[svc["organization_id"]]
        self.nest(svc, "phones", self.phones.get(("service_id", sid)))
        self.nest(svc, "schedules", self.schedules.get(("service_id", sid)))
        self.with_contacts("service_id", sid, svc)
        self.nest(svc, "languages", self.languages.get(("service_id", sid)))
        self.nest(svc, "required_documents", self.documents.get(("service_id", sid)))
        links = []
        for attr in self.attributes.get(sid, []):
            attr = dict(attr)
            if attr.get("taxonomy_term_id") in self.terms:
                attr["taxonomy_term"] = self.terms[attr["taxonomy_term_id"]]
            links.append(attr)
        self.nest(svc, "attributes", links)
        self.nest(svc, "service_at_locations", [self.service_at_location(s) for s in self.sals.get(("service_id", sid), [])])
        return svc

    def service_at_location(self, row: dict[str, Any]) -> dict[str, Any]:
        sal = dict(row)
        if sal.get("location_id") in self.locations:
            sal["location"] = self.locations[sal["location_id"]]
        self.nest(sal, "phones", self.phones.get(("service_at_location_id", sal["id"])))
        self.nest(sal, "schedules", self.schedules.get(("service_at_location_id", sal["id"])))
        return sal


def assemble(tables: dict[str, list[dict[str, Any]]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict | None]:
    """Fully nested services from flat HSDS tables."""
    nester = _Nester(tables)
    services = [nester.service(row) for row in tables.get("service", [])]
    taxonomy = (tables.get("taxonomy") or [None])[0]
    return services, parents_first(list(nester.terms.values())), taxonomy


def read_datapackage(folder: Path) -> LoadedSource:
    folder = Path(folder)
    files = table_files(folder)
    if "service" not in files:
        raise SourceError(f"{folder}: no services.csv")
    tables = {table: _read_csv(path) for table, path in files.items() if table in TABLES}
    for table, rows in tables.items():
        for i, row in enumerate(rows):
            if not row.get("id"):
                raise SourceError(f"{files[table].name} row {i + 2}: no id")
    services, terms, taxonomy = assemble(tables)
    return LoadedSource(services, terms, taxonomy, None, ("sq", "en"))


def flatten(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The HSDS tables of a feed document (each object once, owners filled in)."""
    tables: dict[str, dict[str, dict[str, Any]]] = {t: {} for t in TABLES}

    def put(table: str, obj: dict[str, Any], **owner: str) -> None:
        row = {k: v for k, v in obj.items() if not isinstance(v, (list, dict)) or k == TR}
        row.update(owner)
        tables[table].setdefault(row["id"], row)

    def phones_of(obj: dict[str, Any], **owner: str) -> None:
        for p in obj.get("phones") or []:
            put("phone", p, **owner)

    def contacts_of(obj: dict[str, Any], **owner: str) -> None:
        for c in obj.get("contacts") or []:
            put("contact", c, **owner)
            phones_of(c, contact_id=c["id"])

    if doc.get("taxonomy"):
        put("taxonomy", doc["taxonomy"])
    for term in doc.get("taxonomy_terms") or []:
        put("taxonomy_term", term)
    for svc in doc["services"]:
        org = svc.get("organization")
        if org:
            put("organization", org)
            phones_of(org, organization_id=org["id"])
            contacts_of(org, organization_id=org["id"])
        put("service", svc, **({"organization_id": org["id"]} if org else {}))
        phones_of(svc, service_id=svc["id"])
        contacts_of(svc, service_id=svc["id"])
        for s in svc.get("schedules") or []:
            put("schedule", s, service_id=svc["id"])
        for d in svc.get("required_documents") or []:
            put("required_document", d, service_id=svc["id"])
        for lang in svc.get("languages") or []:
            put("language", lang, service_id=svc["id"])
        for attr in svc.get("attributes") or []:
            if attr.get("taxonomy_term"):
                put("taxonomy_term", attr["taxonomy_term"])
            put("attribute", {k: v for k, v in attr.items() if k != "taxonomy_term"},
                link_id=svc["id"], link_entity="service",
                taxonomy_term_id=attr.get("taxonomy_term_id") or attr["taxonomy_term"]["id"])
        for sal in svc.get("service_at_locations") or []:
            loc = sal.get("location")
            put("service_at_location", sal, service_id=svc["id"],
                **({"location_id": loc["id"]} if loc else {}))
            phones_of(sal, service_at_location_id=sal["id"])
            for s in sal.get("schedules") or []:
                put("schedule", s, service_at_location_id=sal["id"])
            if loc:
                put("location", loc)
                for a in loc.get("addresses") or []:
                    put("address", a, location_id=loc["id"])
                for a in loc.get("accessibility") or []:
                    put("accessibility", a, location_id=loc["id"])
                phones_of(loc, location_id=loc["id"])
                for s in loc.get("schedules") or []:
                    put("schedule", s, location_id=loc["id"])
    return {t: list(rows.values()) for t, rows in tables.items()}


def write_datapackage(doc: dict[str, Any], folder: Path) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    resources = []
    for table, rows in flatten(doc).items():
        filename, columns = TABLES[table]
        extra = sorted({k for row in rows for k in row} - set(columns))
        cols = columns + extra
        with (folder / filename).open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=cols)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _cell(v) for k, v in row.items()})
        resources.append({"name": table, "path": filename, "profile": "tabular-data-resource",
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                          "schema": {"fields": [{"name": c} for c in cols]}})
    meta = {"name": "elbasan-social-services", "profile": "tabular-data-package",
            "title": "Elbasan social services (HSDS 3.0)", "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value

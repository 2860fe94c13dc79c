"""What ``kiosk-feed build --from SOURCE`` reads, and writers for the same formats.

Three kinds of SOURCE:

* **HSDS JSON** (``*.json``): a list of fully nested services, an HSDS ``/services`` page
  (``{"contents": [...]}``), one service, or a whole feed document (``{"services": [...],
  "taxonomy_terms": [...]}``, e.g. ``kiosk export-hsds --feed``). Categories missing from
  ``taxonomy_terms`` are taken from the services' ``attributes``.
* **HSDS CSV datapackage** (a folder with ``datapackage.json`` and one CSV per HSDS table:
  ``services.csv``, ``organizations.csv``, ``locations.csv``, ``service_at_locations.csv``,
  ``addresses.csv``, ``phones.csv``, ``schedules.csv``, ``contacts.csv``, ``languages.csv``,
  ``accessibility.csv``, ``required_documents.csv``, ``taxonomies.csv``, ``taxonomy_terms.csv``,
  ``attributes.csv``). Translations travel in an ``x_translations`` column holding JSON; the
  project's other extension columns (``x_icon``, ``x_order``, ``x_demo``, ``x_logo_sha256``)
  are read too. :func:`write_datapackage` writes this layout from a feed.
* **The spreadsheet template** (``*.xlsx``, :func:`write_template` makes one, blank or filled
  from a feed): one sheet per kind of thing, a row per item, staff-friendly codes instead of
  UUIDs (ids are derived from the codes, so they stay stable from one build to the next), English
  in ``*_en`` columns, lists one item per line. See :data:`TEMPLATE_SHEETS`.

Local file names in ``logo`` (organizations) and ``icon_file`` (categories) become
content-addressed assets when the feed is built (sync.publish.build).
"""
from __future__ import annotations

import csv
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from sync.feed import document as feedmod

TR = feedmod.TRANSLATIONS_KEY
NAMESPACE = uuid.UUID("2f0c8e0e-6a55-4f5e-9b3c-7d1e0a6b4c21")  # ids derived from template codes


@dataclass
class LoadedSource:
    services: list[dict[str, Any]]
    taxonomy_terms: list[dict[str, Any]]
    taxonomy: dict[str, Any] | None = None
    publisher: dict[str, Any] | None = None
    languages: tuple[str, ...] = ("sq", "en")
    base_dir: Path = field(default_factory=Path.cwd)


class SourceError(feedmod.FeedError):
    def __init__(self, detail: str):
        super().__init__("bad_source", detail)


def load_source(path: Path) -> LoadedSource:
    path = Path(path)
    if path.is_dir():
        return read_datapackage(path)
    if path.suffix.lower() == ".xlsx":
        return read_template(path)
    if path.suffix.lower() == ".json":
        return read_json(path)
    raise SourceError(f"{path}: expected an HSDS .json file, a CSV datapackage folder or an .xlsx template")


# ------------------------------------------------------------------------------- JSON


def terms_from_services(services: Iterable[dict[str, Any]], known: Iterable[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    terms = {t["id"]: t for t in known}
    for service in services:
        for attr in service.get("attributes") or []:
            term = attr.get("taxonomy_term")
            if isinstance(term, dict) and term.get("id") and term["id"] not in terms:
                terms[term["id"]] = term
    return _parents_first(list(terms.values()))


def _parents_first(terms: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_id = {t["id"]: t for t in terms}

    def depth(t: dict[str, Any]) -> int:
        d = 0
        while t.get("parent_id") in by_id and d < 32:
            t, d = by_id[t["parent_id"]], d + 1
        return d

    return sorted(terms, key=lambda t: (depth(t), t.get("x_order") or 0, t.get("name") or ""))


def read_json(path: Path) -> LoadedSource:
    try:
        data = json.loads(Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        raise SourceError(f"{path}: {exc}") from exc
    taxonomy = publisher = None
    languages: tuple[str, ...] = ("sq", "en")
    known: list[dict[str, Any]] = []
    if isinstance(data, list):
        services = data
    elif isinstance(data, dict) and isinstance(data.get("services"), list):
        services = data["services"]
        known = list(data.get("taxonomy_terms") or [])
        taxonomy, publisher = data.get("taxonomy"), data.get("publisher")
        languages = tuple(data.get("languages") or languages)
    elif isinstance(data, dict) and isinstance(data.get("contents"), list):
        services = data["contents"]
    elif isinstance(data, dict) and {"id", "name"} <= data.keys():
        services = [data]
    else:
        raise SourceError(f"{path}: not a list of HSDS services nor a feed document")
    if not all(isinstance(s, dict) for s in services):
        raise SourceError(f"{path}: every service must be a JSON object")
    return LoadedSource(services, terms_from_services(services, known), taxonomy, publisher, languages,
                        Path(path).resolve().parent)


# ------------------------------------------------------------------------------- CSV datapackage

# table -> (file name, columns written in this order); readers accept any column.
TABLES: dict[str, tuple[str, list[str]]] = {
    "organization": ("organizations.csv", ["id", "name", "alternate_name", "description", "email",
                                           "website", "legal_status", "year_incorporated", "logo",
                                           "x_logo_sha256", "x_demo", TR]),
    "service": ("services.csv", ["id", "organization_id", "name", "alternate_name", "description",
                                 "url", "email", "status", "interpretation_services",
                                 "application_process", "fees_description", "eligibility_description",
                                 "minimum_age", "maximum_age", "assured_date", "alert",
                                 "last_modified", "x_demo", TR]),
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
                                             "x_icon_url", "x_icon_sha256", "x_order", TR]),
    "attribute": ("attributes.csv", ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity",
                                     "value"]),
}
NUMBER_FIELDS = {"latitude", "longitude", "minimum_age", "maximum_age", "year_incorporated"}
INT_FIELDS = {"x_order"}
BOOL_FIELDS = {"x_demo"}
JSON_FIELDS = {TR}


def _coerce(key: str, text: str) -> Any:
    if key in JSON_FIELDS:
        try:
            return json.loads(text)
        except ValueError as exc:
            raise SourceError(f"{key}: not JSON: {text[:60]}") from exc
    if key in BOOL_FIELDS:
        return text.strip().lower() in ("1", "true", "yes", "po", "x")
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


def _table_files(folder: Path) -> dict[str, Path]:
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


def assemble(tables: dict[str, list[dict[str, Any]]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict | None]:
    """Fully nested services from flat HSDS tables."""
    def group(table: str, order: tuple[str, ...]) -> dict[tuple[str, str], list[dict[str, Any]]]:
        out: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for row in tables.get(table, []):
            owner = _owner(row, order)
            if owner:
                out.setdefault(owner, []).append(row)
        return out

    phones = group("phone", ("contact_id", "service_at_location_id", "location_id", "service_id",
                             "organization_id"))
    schedules = group("schedule", ("service_at_location_id", "location_id", "service_id"))
    contacts = group("contact", ("service_at_location_id", "location_id", "service_id", "organization_id"))
    addresses = group("address", ("location_id",))
    access = group("accessibility", ("location_id",))
    languages = group("language", ("service_id", "location_id"))
    documents = group("required_document", ("service_id",))
    sals = group("service_at_location", ("service_id",))
    terms = {t["id"]: t for t in tables.get("taxonomy_term", [])}
    attributes: dict[str, list[dict[str, Any]]] = {}
    for attr in tables.get("attribute", []):
        if attr.get("link_id"):
            attributes.setdefault(attr["link_id"], []).append(attr)

    def with_contacts(key: str, oid: str, obj: dict[str, Any]) -> None:
        found = contacts.get((key, oid))
        if found:
            obj["contacts"] = [dict(c, **({"phones": phones[("contact_id", c["id"])]}
                                          if ("contact_id", c["id"]) in phones else {})) for c in found]

    def nest(obj: dict[str, Any], key: str, rows: list[dict[str, Any]] | None) -> None:
        if rows:
            obj[key] = rows

    organizations = {}
    for org in tables.get("organization", []):
        org = dict(org)
        nest(org, "phones", phones.get(("organization_id", org["id"])))
        with_contacts("organization_id", org["id"], org)
        organizations[org["id"]] = org
    locations = {}
    for loc in tables.get("location", []):
        loc = dict(loc)
        loc.setdefault("location_type", "physical")
        nest(loc, "addresses", addresses.get(("location_id", loc["id"])))
        nest(loc, "accessibility", access.get(("location_id", loc["id"])))
        nest(loc, "phones", phones.get(("location_id", loc["id"])))
        nest(loc, "schedules", schedules.get(("location_id", loc["id"])))
        locations[loc["id"]] = loc
    services = []
    for svc in tables.get("service", []):
        svc = dict(svc)
        svc.setdefault("status", "active")
        sid = svc["id"]
        if svc.get("organization_id") in organizations:
            svc["organization"] = organizations[svc["organization_id"]]
        nest(svc, "phones", phones.get(("service_id", sid)))
        nest(svc, "schedules", schedules.get(("service_id", sid)))
        with_contacts("service_id", sid, svc)
        nest(svc, "languages", languages.get(("service_id", sid)))
        nest(svc, "required_documents", documents.get(("service_id", sid)))
        links = []
        for attr in attributes.get(sid, []):
            attr = dict(attr)
            if attr.get("taxonomy_term_id") in terms:
                attr["taxonomy_term"] = terms[attr["taxonomy_term_id"]]
            links.append(attr)
        nest(svc, "attributes", links)
        placed = []
        for sal in sals.get(("service_id", sid), []):
            sal = dict(sal)
            if sal.get("location_id") in locations:
                sal["location"] = locations[sal["location_id"]]
            nest(sal, "phones", phones.get(("service_at_location_id", sal["id"])))
            nest(sal, "schedules", schedules.get(("service_at_location_id", sal["id"])))
            placed.append(sal)
        nest(svc, "service_at_locations", placed)
        services.append(svc)
    taxonomy = (tables.get("taxonomy") or [None])[0]
    return services, _parents_first(list(terms.values())), taxonomy


def read_datapackage(folder: Path) -> LoadedSource:
    folder = Path(folder)
    files = _table_files(folder)
    if "service" not in files:
        raise SourceError(f"{folder}: no services.csv")
    tables = {table: _read_csv(path) for table, path in files.items() if table in TABLES}
    for table, rows in tables.items():
        for i, row in enumerate(rows):
            if not row.get("id"):
                raise SourceError(f"{files[table].name} row {i + 2}: no id")
    services, terms, taxonomy = assemble(tables)
    return LoadedSource(services, terms, taxonomy, None, ("sq", "en"), folder.resolve())


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


# ------------------------------------------------------------------------------- spreadsheet

# sheet -> [(column, help text in Albanian)]
TEMPLATE_SHEETS: dict[str, list[tuple[str, str]]] = {
    "categories": [
        ("code", "Kodi i kategorisë (i detyrueshëm, unik, p.sh. femije)"),
        ("name", "Emri në shqip"), ("name_en", "Emri në anglisht"),
        ("description", "Përshkrimi në shqip"), ("description_en", "Përshkrimi në anglisht"),
        ("parent", "Kodi i kategorisë mëmë (bosh për kategori kryesore)"),
        ("icon", "Emri i ikonës (p.sh. children)"), ("icon_file", "Skedar ikone (PNG), opsional"),
        ("order", "Renditja (numër)"), ("id", "UUID (bosh: krijohet nga kodi)")],
    "organizations": [
        ("code", "Kodi i organizatës (i detyrueshëm, unik)"),
        ("name", "Emri në shqip"), ("name_en", "Emri në anglisht"),
        ("description", "Përshkrimi në shqip"), ("description_en", "Përshkrimi në anglisht"),
        ("email", "Email"), ("website", "Faqja e internetit (https://...)"),
        ("phone", "Telefoni (një për rresht)"), ("logo", "Skedar logoje (PNG) ose https://..."),
        ("demo", "po = të dhëna demonstrative"), ("id", "UUID (bosh: krijohet nga kodi)")],
    "locations": [
        ("code", "Kodi i vendndodhjes (i detyrueshëm, unik)"),
        ("name", "Emri në shqip"), ("name_en", "Emri në anglisht"),
        ("address", "Adresa"), ("city", "Qyteti"), ("postal_code", "Kodi postar"),
        ("latitude", "Gjerësia gjeografike"), ("longitude", "Gjatësia gjeografike"),
        ("transportation", "Si të vini (shqip)"), ("transportation_en", "Si të vini (anglisht)"),
        ("accessibility", "Aksesueshmëria (shqip)"), ("accessibility_en", "Aksesueshmëria (anglisht)"),
        ("phone", "Telefoni"), ("id", "UUID (bosh: krijohet nga kodi)")],
    "services": [
        ("code", "Kodi i shërbimit (i detyrueshëm, unik)"),
        ("name", "Emri në shqip"), ("name_en", "Emri në anglisht"),
        ("description", "Përshkrimi në shqip"), ("description_en", "Përshkrimi në anglisht"),
        ("organization", "Kodi i organizatës"),
        ("categories", "Kodet e kategorive, të ndara me presje"),
        ("locations", "Kodet e vendndodhjeve, të ndara me presje"),
        ("status", "active / inactive / temporarily closed"),
        ("eligibility", "Kush përfiton (shqip)"), ("eligibility_en", "Kush përfiton (anglisht)"),
        ("application_process", "Si të aplikoni (shqip)"),
        ("application_process_en", "Si të aplikoni (anglisht)"),
        ("documents", "Dokumentet, një për rresht (shqip)"),
        ("documents_en", "Dokumentet, një për rresht (anglisht)"),
        ("fees", "Tarifat (shqip)"), ("fees_en", "Tarifat (anglisht)"),
        ("phone", "Telefoni"), ("email", "Email"), ("url", "Faqja (https://...)"),
        ("languages", "Gjuhët, kode të ndara me presje (sq, en)"),
        ("minimum_age", "Mosha minimale"), ("maximum_age", "Mosha maksimale"),
        ("alert", "Njoftim i përkohshëm (shqip)"), ("alert_en", "Njoftim i përkohshëm (anglisht)"),
        ("demo", "po = të dhëna demonstrative"), ("id", "UUID (bosh: krijohet nga kodi)")],
    "schedules": [
        ("service", "Kodi i shërbimit"), ("location", "Kodi i vendndodhjes (bosh: kudo)"),
        ("days", "Ditët: MO,TU,WE,TH,FR,SA,SU"), ("opens", "Hapet (HH:MM)"),
        ("closes", "Mbyllet (HH:MM)"), ("valid_from", "Nga data (VVVV-MM-DD)"),
        ("valid_to", "Deri më (VVVV-MM-DD)"), ("notes", "Shënime (shqip)"),
        ("notes_en", "Shënime (anglisht)")],
}
LANGUAGE_NAMES = {"sq": ("Shqip", "Albanian"), "en": ("Anglisht", "English"), "it": ("Italisht", "Italian"),
                  "el": ("Greqisht", "Greek"), "de": ("Gjermanisht", "German"), "fr": ("Frëngjisht", "French"),
                  "rom": ("Rome", "Romani"), "sgn": ("Gjuha e shenjave", "Sign language")}


def _sid(kind: str, code: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{code}"))


def _lines(value: Any) -> list[str]:
    if value is None:
        return []
    return [line.strip() for line in str(value).splitlines() if line.strip()]


def _codes(value: Any) -> list[str]:
    if value is None:
        return []
    return [c.strip() for c in str(value).replace(";", ",").replace("\n", ",").split(",") if c.strip()]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:5] if len(text) >= 8 and text[2] == ":" else text[:10]
    text = str(value).strip()
    return text or None


def _translations(row: dict[str, Any], fields: dict[str, str]) -> dict[str, Any]:
    en = {hsds: _text(row.get(col)) for col, hsds in fields.items() if _text(row.get(col))}
    return {TR: {"en": en}} if en else {}


def _sheet_rows(ws) -> list[dict[str, Any]]:
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        return []
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    out = []
    for values in rows[1:]:
        row = {h: v for h, v in zip(header, values) if h and v is not None and str(v).strip() != ""}
        if not row or str(row.get(header[0], "")).startswith("#"):
            continue  # blank rows and the help row ("# ...")
        out.append(row)
    return out


def read_template(path: Path) -> LoadedSource:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise SourceError("reading .xlsx needs openpyxl") from exc
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise SourceError(f"{path}: not a readable .xlsx file ({exc})") from exc
    sheets = {name: _sheet_rows(wb[name]) for name in wb.sheetnames}
    wb.close()
    missing = [s for s in ("categories", "organizations", "services") if s not in sheets]
    if missing:
        raise SourceError(f"{path}: missing sheet(s) {', '.join(missing)}")

    def need(row: dict[str, Any], key: str, sheet: str) -> str:
        value = _text(row.get(key))
        if not value:
            raise SourceError(f"{path} sheet {sheet}: a row without {key}: {row}")
        return value

    taxonomy = {"id": _sid("taxonomy", "categories"), "name": "Kategoritë",
                "description": "Kategoritë e shërbimeve sociale"}
    terms: dict[str, dict[str, Any]] = {}
    for row in sheets["categories"]:
        code = need(row, "code", "categories")
        term = {"id": _text(row.get("id")) or _sid("category", code), "code": code,
                "name": need(row, "name", "categories"),
                "description": _text(row.get("description")) or _text(row.get("name")),
                "taxonomy_id": taxonomy["id"], "x_order": int(row.get("order") or 0),
                "_parent": _text(row.get("parent"))}
        if _text(row.get("icon")):
            term["x_icon"] = _text(row.get("icon"))
        if _text(row.get("icon_file")):
            term["x_icon_file"] = _text(row.get("icon_file"))
        term.update(_translations(row, {"name_en": "name", "description_en": "description"}))
        terms[code] = term
    for code, term in terms.items():
        parent = term.pop("_parent")
        if parent:
            if parent not in terms:
                raise SourceError(f"{path} sheet categories: {code} has unknown parent {parent}")
            term["parent_id"] = terms[parent]["id"]

    orgs: dict[str, dict[str, Any]] = {}
    for row in sheets["organizations"]:
        code = need(row, "code", "organizations")
        oid = _text(row.get("id")) or _sid("organization", code)
        org = {"id": oid, "name": need(row, "name", "organizations"),
               "description": _text(row.get("description")) or _text(row.get("name"))}
        for key in ("email", "website", "logo"):
            if _text(row.get(key)):
                org[key] = _text(row.get(key))
        phones = _lines(row.get("phone"))
        if phones:
            org["phones"] = [{"id": _sid("phone", f"org:{code}:{i}"), "number": n} for i, n in enumerate(phones)]
        if row.get("demo") is not None:
            org["x_demo"] = _coerce("x_demo", str(row["demo"]))
        org.update(_translations(row, {"name_en": "name", "description_en": "description"}))
        orgs[code] = org

    locations: dict[str, dict[str, Any]] = {}
    for row in sheets.get("locations", []):
        code = need(row, "code", "locations")
        lid = _text(row.get("id")) or _sid("location", code)
        loc: dict[str, Any] = {"id": lid, "location_type": "physical"}
        if _text(row.get("name")):
            loc["name"] = _text(row.get("name"))
        for key in ("latitude", "longitude"):
            if row.get(key) is not None:
                loc[key] = float(row[key])
        if _text(row.get("transportation")):
            loc["transportation"] = _text(row.get("transportation"))
        if _text(row.get("address")):
            loc["addresses"] = [{"id": _sid("address", code), "address_1": _text(row.get("address")),
                                 "city": _text(row.get("city")) or "Elbasan", "state_province": "Elbasan",
                                 "postal_code": _text(row.get("postal_code")) or "3001", "country": "AL",
                                 "address_type": "physical"}]
        if _text(row.get("accessibility")):
            acc = {"id": _sid("accessibility", code), "description": _text(row.get("accessibility"))}
            acc.update(_translations(row, {"accessibility_en": "description"}))
            loc["accessibility"] = [acc]
        phones = _lines(row.get("phone"))
        if phones:
            loc["phones"] = [{"id": _sid("phone", f"loc:{code}:{i}"), "number": n} for i, n in enumerate(phones)]
        loc.update(_translations(row, {"name_en": "name", "transportation_en": "transportation"}))
        locations[code] = loc

    schedules: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
    for i, row in enumerate(sheets.get("schedules", [])):
        svc_code = need(row, "service", "schedules")
        sched = {"id": _sid("schedule", f"{svc_code}:{i}"), "freq": "WEEKLY",
                 "byday": (_text(row.get("days")) or "").replace(" ", "").upper(),
                 "opens_at": _text(row.get("opens")), "closes_at": _text(row.get("closes"))}
        for key in ("valid_from", "valid_to", "notes"):
            if _text(row.get(key)):
                sched[key] = _text(row.get(key))
        sched.update(_translations(row, {"notes_en": "notes"}))
        schedules.setdefault((svc_code, _text(row.get("location"))), []).append(
            {k: v for k, v in sched.items() if v is not None})

    services = []
    for row in sheets["services"]:
        code = need(row, "code", "services")
        sid = _text(row.get("id")) or _sid("service", code)
        org_code = need(row, "organization", "services")
        if org_code not in orgs:
            raise SourceError(f"{path} sheet services: {code} names unknown organization {org_code}")
        svc: dict[str, Any] = {"id": sid, "name": need(row, "name", "services"),
                               "status": _text(row.get("status")) or "active",
                               "organization_id": orgs[org_code]["id"], "organization": orgs[org_code]}
        for col, key in (("description", "description"), ("eligibility", "eligibility_description"),
                         ("application_process", "application_process"), ("fees", "fees_description"),
                         ("email", "email"), ("url", "url"), ("alert", "alert")):
            if _text(row.get(col)):
                svc[key] = _text(row.get(col))
        for key in ("minimum_age", "maximum_age"):
            if row.get(key) is not None:
                svc[key] = int(float(row[key]))
        if row.get("demo") is not None:
            svc["x_demo"] = _coerce("x_demo", str(row["demo"]))
        svc.update(_translations(row, {"name_en": "name", "description_en": "description",
                                       "eligibility_en": "eligibility_description",
                                       "application_process_en": "application_process",
                                       "fees_en": "fees_description", "alert_en": "alert"}))
        phones = _lines(row.get("phone"))
        if phones:
            svc["phones"] = [{"id": _sid("phone", f"svc:{code}:{i}"), "number": n} for i, n in enumerate(phones)]
        docs, docs_en = _lines(row.get("documents")), _lines(row.get("documents_en"))
        if docs:
            svc["required_documents"] = [
                {"id": _sid("document", f"{code}:{i}"), "document": d,
                 **({TR: {"en": {"document": docs_en[i]}}} if i < len(docs_en) else {})}
                for i, d in enumerate(docs)]
        langs = _codes(row.get("languages"))
        if langs:
            svc["languages"] = [{"id": _sid("language", f"{code}:{c}"), "code": c,
                                 "name": LANGUAGE_NAMES.get(c, (c, c))[0],
                                 TR: {"en": {"name": LANGUAGE_NAMES.get(c, (c, c))[1]}}} for c in langs]
        attrs = []
        for c in _codes(row.get("categories")):
            if c not in terms:
                raise SourceError(f"{path} sheet services: {code} names unknown category {c}")
            attrs.append({"id": _sid("attribute", f"{code}:{c}"), "taxonomy_term_id": terms[c]["id"],
                          "link_id": sid, "link_type": "service_category", "link_entity": "service",
                          "taxonomy_term": terms[c]})
        if attrs:
            svc["attributes"] = attrs
        if schedules.get((code, None)):
            svc["schedules"] = schedules[(code, None)]
        sals = []
        for c in _codes(row.get("locations")):
            if c not in locations:
                raise SourceError(f"{path} sheet services: {code} names unknown location {c}")
            sal = {"id": _sid("service_at_location", f"{code}:{c}"), "service_id": sid,
                   "location_id": locations[c]["id"], "location": locations[c]}
            if schedules.get((code, c)):
                sal["schedules"] = schedules[(code, c)]
            sals.append(sal)
        if sals:
            svc["service_at_locations"] = sals
        services.append(svc)
    known_services = {_text(r.get("code")) for r in sheets["services"]}
    for (svc_code, _loc), _rows in schedules.items():
        if svc_code not in known_services:
            raise SourceError(f"{path} sheet schedules: unknown service {svc_code}")
    return LoadedSource(services, _parents_first(list(terms.values())), taxonomy, None, ("sq", "en"),
                        Path(path).resolve().parent)


def write_template(path: Path, doc: dict[str, Any] | None = None) -> Path:
    """The spreadsheet template: headers, an Albanian help row, and (from ``doc``) the rows."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    data = _template_rows(doc) if doc else {}
    for sheet, columns in TEMPLATE_SHEETS.items():
        ws = wb.create_sheet(sheet)
        ws.append([c for c, _h in columns])
        ws.append(["# " + columns[0][1]] + [h for _c, h in columns[1:]])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for cell in ws[2]:
            cell.font = Font(italic=True, color="666666")
        for row in data.get(sheet, []):
            ws.append([row.get(c) for c, _h in columns])
        ws.freeze_panes = "B3"
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return Path(path)


def _en(obj: dict[str, Any], key: str) -> Any:
    return ((obj.get(TR) or {}).get("en") or {}).get(key)


def _template_rows(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """A feed as template rows; codes are the objects' HSDS codes or their ids."""
    terms = {t["id"]: t for t in terms_from_services(doc["services"], doc.get("taxonomy_terms") or [])}
    code_of = {tid: (t.get("code") or tid) for tid, t in terms.items()}
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in TEMPLATE_SHEETS}
    for tid, t in terms.items():
        out["categories"].append({"code": code_of[tid], "id": tid, "name": t.get("name"),
                                  "name_en": _en(t, "name"), "description": t.get("description"),
                                  "description_en": _en(t, "description"),
                                  "parent": code_of.get(t.get("parent_id")), "icon": t.get("x_icon"),
                                  "order": t.get("x_order")})
    orgs: dict[str, dict[str, Any]] = {}
    locs: dict[str, dict[str, Any]] = {}
    for svc in doc["services"]:
        org = svc.get("organization") or {}
        if org and org["id"] not in orgs:
            orgs[org["id"]] = {"code": org["id"], "id": org["id"], "name": org.get("name"),
                               "name_en": _en(org, "name"), "description": org.get("description"),
                               "description_en": _en(org, "description"), "email": org.get("email"),
                               "website": org.get("website"),
                               "phone": "\n".join(p["number"] for p in org.get("phones") or []) or None,
                               "logo": org.get("logo"), "demo": "po" if org.get("x_demo") else None}
        sal_locs = []
        for sal in svc.get("service_at_locations") or []:
            loc = sal.get("location") or {}
            if not loc:
                continue
            sal_locs.append(loc["id"])
            if loc["id"] not in locs:
                addr = (loc.get("addresses") or [{}])[0]
                acc = (loc.get("accessibility") or [{}])[0]
                locs[loc["id"]] = {
                    "code": loc["id"], "id": loc["id"], "name": loc.get("name"), "name_en": _en(loc, "name"),
                    "address": addr.get("address_1"), "city": addr.get("city"),
                    "postal_code": addr.get("postal_code"), "latitude": loc.get("latitude"),
                    "longitude": loc.get("longitude"), "transportation": loc.get("transportation"),
                    "transportation_en": _en(loc, "transportation"),
                    "accessibility": acc.get("description"), "accessibility_en": _en(acc, "description"),
                    "phone": "\n".join(p["number"] for p in loc.get("phones") or []) or None}
            for s in sal.get("schedules") or []:
                out["schedules"].append(_schedule_row(svc["id"], loc["id"], s))
        for s in svc.get("schedules") or []:
            out["schedules"].append(_schedule_row(svc["id"], None, s))
        docs = svc.get("required_documents") or []
        out["services"].append({
            "code": svc["id"], "id": svc["id"], "name": svc.get("name"), "name_en": _en(svc, "name"),
            "description": svc.get("description"), "description_en": _en(svc, "description"),
            "organization": org.get("id"),
            "categories": ", ".join(code_of.get(a.get("taxonomy_term_id") or a["taxonomy_term"]["id"], "")
                                    for a in svc.get("attributes") or []) or None,
            "locations": ", ".join(sal_locs) or None, "status": svc.get("status"),
            "eligibility": svc.get("eligibility_description"),
            "eligibility_en": _en(svc, "eligibility_description"),
            "application_process": svc.get("application_process"),
            "application_process_en": _en(svc, "application_process"),
            "documents": "\n".join(d.get("document", "") for d in docs) or None,
            "documents_en": "\n".join(_en(d, "document") or d.get("document", "") for d in docs) or None,
            "fees": svc.get("fees_description"), "fees_en": _en(svc, "fees_description"),
            "phone": "\n".join(p["number"] for p in svc.get("phones") or []) or None,
            "email": svc.get("email"), "url": svc.get("url"),
            "languages": ", ".join(lg.get("code", "") for lg in svc.get("languages") or []) or None,
            "minimum_age": svc.get("minimum_age"), "maximum_age": svc.get("maximum_age"),
            "alert": svc.get("alert"), "alert_en": _en(svc, "alert"),
            "demo": "po" if svc.get("x_demo") else None})
    out["organizations"] = list(orgs.values())
    out["locations"] = list(locs.values())
    return out


def _schedule_row(service: str, location: str | None, s: dict[str, Any]) -> dict[str, Any]:
    return {"service": service, "location": location, "days": s.get("byday"), "opens": s.get("opens_at"),
            "closes": s.get("closes_at"), "valid_from": s.get("valid_from"), "valid_to": s.get("valid_to"),
            "notes": s.get("notes"), "notes_en": _en(s, "notes")}

"""The HSDS CSV datapackage: a folder of one CSV per HSDS table, with its ``datapackage.json``.

:func:`write_datapackage` writes every table of the standard with the standard's file names,
columns, order and types (:mod:`sync.publish.tables`), so that ``frictionless validate`` passes
both against our ``datapackage.json`` and against the specification's own. Whatever has no
standard column travels in two extension tables of our own, listed in our datapackage only:

* ``x_translations.csv`` (table, id, language, field, value): the other languages of a record;
* ``x_fields.csv`` (table, id, field, value as JSON): the project's ``x_*`` fields, fields HSDS
  does not define, and any value that does not fit its standard column (a dangling reference,
  an address that is no URI, a time written ``HH:MM``, which the standard column holds as
  ``HH:MM:SS``). A value of ``null`` there means the field was absent where the standard
  requires one (an organization without a description, written with its name).

:func:`read_datapackage` reads that, the specification's examples, and packages of other tools
(with or without a ``datapackage.json``, older profiles through :mod:`sync.publish.legacy`), and
nests the rows back into full HSDS services: a row goes under every record it names.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from sync.feed.findings import Findings, Record
from sync.publish import legacy
from sync.publish.loaded import TR, LoadedSource, SourceError, is_yes, parents_first
from sync.publish.tables import cell, fits, read_cell, relations, standard

X_TRANSLATIONS, X_FIELDS = "x_translations", "x_fields"
EXTENSION_TABLES = {
    X_TRANSLATIONS: ("x_translations.csv", ["table", "id", "language", "field", "value"]),
    X_FIELDS: ("x_fields.csv", ["table", "id", "field", "value"]),
}
# Extension columns of this project's earlier exports, still read.
OLD_COLUMNS = {TR: json.loads, "x_order": lambda t: int(float(t)), "x_demo": is_yes}
FILL = {"description": "name"}
NOT_NESTED = {"meta_table_description"}   # a table the nested JSON of a service has no place for   # a required column left empty is written from this field
MAX_CSV_BYTES = 256 * 1024 * 1024
Tables = dict[str, dict[str, dict[str, Any]]]   # table -> id -> row


# ------------------------------------------------------------------------------------ reading


def table_files(folder: Path) -> dict[str, Path]:
    """table -> CSV file of a package folder: its datapackage.json first, then the usual names."""
    files: dict[str, Path] = {}
    package = folder / "datapackage.json"
    if package.is_file():
        try:
            meta = json.loads(package.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SourceError(f"{package}: {exc}") from exc
        for res in meta.get("resources") or [] if isinstance(meta, dict) else []:
            name, rel = (res.get("name"), res.get("path")) if isinstance(res, dict) else (None, None)
            if isinstance(name, str) and isinstance(rel, str) and (folder / rel).is_file() \
                    and (folder / rel).resolve().is_relative_to(folder.resolve()):
                files.setdefault(name, folder / rel)
    by_path = {spec.path: name for name, spec in standard().items()}
    for path in sorted(folder.glob("*.csv")):
        files.setdefault(by_path.get(path.name, path.stem), path)
    return {_table_name(name): path for name, path in files.items()}


def _table_name(name: str) -> str:
    """A resource or file name as the standard's table name (``services`` -> ``service``)."""
    if name in standard() or name in EXTENSION_TABLES:
        return name
    for candidate in (name[:-1] if name.endswith("s") else name, name.replace("ies", "y")):
        if candidate in standard():
            return candidate
    return name


def _read_csv(path: Path, table: str, findings: Findings) -> list[dict[str, Any]]:
    if path.stat().st_size > MAX_CSV_BYTES:
        raise SourceError(f"{path.name}: over {MAX_CSV_BYTES // (1024 * 1024)} MiB")
    columns = {c.name: c for c in standard()[table].columns} if table in standard() else {}
    rows = []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for number, raw in enumerate(csv.DictReader(fh), start=2):
            row: dict[str, Any] = {}
            for key, text in raw.items():
                if key is None or not isinstance(text, str) or not text.strip():
                    continue
                key = key.strip()
                try:
                    row[key] = OLD_COLUMNS[key](text) if key in OLD_COLUMNS and table not in EXTENSION_TABLES \
                        else read_cell(columns.get(key), text)
                except ValueError:
                    findings.warn("bad_cell", Record("file", path.name), f"row {number}.{key}",
                                  value=text[:40], kind=f"a {columns[key].type if key in columns else key}")
            if row:
                rows.append(row)
    return rows


def read_tables(folder: Path, findings: Findings) -> dict[str, list[dict[str, Any]]]:
    files = table_files(folder)
    return {table: _read_csv(path, table, findings) for table, path in files.items()}


def _apply_extensions(tables: Tables, ext: dict[str, list[dict[str, Any]]], findings: Findings) -> None:
    for number, row in enumerate(ext.get(X_FIELDS, []), start=2):
        target = tables.get(str(row.get("table")), {}).get(str(row.get("id")))
        if target is None or "field" not in row:
            continue
        try:
            value = json.loads(row.get("value", "null"))
        except ValueError:
            findings.warn("bad_cell", Record("file", EXTENSION_TABLES[X_FIELDS][0]), f"row {number}.value",
                          value=str(row.get("value"))[:40], kind="JSON")
            continue
        if value is None:
            target.pop(row["field"], None)
        else:
            target[row["field"]] = value
    for row in ext.get(X_TRANSLATIONS, []):
        target = tables.get(str(row.get("table")), {}).get(str(row.get("id")))
        if target is not None and {"language", "field", "value"} <= row.keys():
            target.setdefault(TR, {}).setdefault(row["language"], {})[row["field"]] = str(row["value"])


class _Nester:
    """Builds nested objects from the rows: a row goes under every record that it names."""

    def __init__(self, tables: Tables, findings: Findings):
        self.tables, self.findings = tables, findings
        taxonomies = list(tables.get("taxonomy", {}).values())
        self.main_taxonomy = taxonomies[0] if taxonomies else None   # the document's; others nest
        self.used: set[tuple[str, str]] = set()
        self.owned: dict[tuple[str, str, str], list[dict[str, Any]]] = {}   # (table, column, owner)
        for table, rows in tables.items():
            for row in rows.values():
                for column in ("organization_id", "service_id", "location_id", "service_at_location_id",
                               "contact_id", "phone_id", "link_id", "resource_id"):
                    if isinstance(row.get(column), str):
                        self.owned.setdefault((table, column, row[column]), []).append(row)
        used_locations = {r.get("location_id") for r in tables.get("service_at_location", {}).values()}
        self.loose_locations = {i for i in tables.get("location", {}) if i not in used_locations}

    def build(self, table: str, row: dict[str, Any], depth: int = 0) -> dict[str, Any]:
        self.used.add((table, row["id"]))
        obj = dict(row)
        if depth > 6:
            return obj
        for key, rel in relations(table).items():
            if not rel.child:
                target = self.tables.get(rel.table, {}).get(row.get(rel.column))
                if target is not None and not (table == "taxonomy_term" and target is self.main_taxonomy):
                    obj[key] = self.build(rel.table, target, depth + 1)
                continue
            rows = self.owned.get((rel.table, rel.column, row["id"]), [])
            if key == "locations":
                rows = [r for r in rows if r["id"] in self.loose_locations]
            if rows:
                obj[key] = [self.build(rel.table, r, depth + 1) for r in rows]
        return obj

    def orphans(self) -> None:
        top = {"service", "taxonomy_term", "taxonomy", "organization", "location"}
        for table, rows in self.tables.items():
            if table in NOT_NESTED and rows:
                self.findings.warn("table_dropped", Record("file", standard()[table].path), "", n=len(rows))
                continue
            for ident, row in rows.items():
                if table not in top and (table, ident) not in self.used:
                    owner = next(((c, row[c]) for c in row if c.endswith("_id")), ("id", "?"))
                    self.findings.warn("orphan_row", Record("file", standard()[table].path), f"id {ident}",
                                       column=owner[0], id=owner[1])


def assemble(tables: dict[str, list[dict[str, Any]]],
             findings: Findings) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict | None]:
    """Fully nested services, the categories and the taxonomy from 3.0 tables."""
    ext = {name: tables.pop(name) for name in list(tables) if name in EXTENSION_TABLES}
    by_id: Tables = {}
    for table, rows in tables.items():
        if table not in standard():
            if rows:
                findings.warn("table_dropped", Record("file", table), "", n=len(rows))
            continue
        where = Record("file", standard()[table].path)
        for i, row in enumerate(rows):
            if not isinstance(row.get("id"), str):
                findings.warn("orphan_row", where, f"row {i + 2}", column="id", id="?")
            elif row["id"] in by_id.setdefault(table, {}):
                findings.error("duplicate_id", where, f"row {i + 2}", id=row["id"][:40])
            else:
                by_id[table][row["id"]] = row
    _apply_extensions(by_id, ext, findings)
    nester = _Nester(by_id, findings)
    for row in by_id.get("location", {}).values():
        row.setdefault("location_type", "physical")   # what a package without the column means
    for row in by_id.get("service", {}).values():
        row.setdefault("status", "active")
    services = [nester.build("service", row) for row in by_id.get("service", {}).values()]
    terms = [nester.build("taxonomy_term", row) for row in by_id.get("taxonomy_term", {}).values()]
    nester.orphans()
    return services, parents_first(terms), nester.main_taxonomy


def read_datapackage(folder: Path) -> LoadedSource:
    folder = Path(folder)
    findings = Findings()
    tables = read_tables(folder, findings)
    profile = legacy.profile_of(tables)
    if profile:
        tables = legacy.convert_tables(tables, profile, findings)
    if "service" not in tables and "services" not in tables:
        raise SourceError(f"{folder}: no services.csv")
    services, terms, taxonomy = assemble(tables, findings)
    if profile:
        services = legacy.usable(services, findings)
    return LoadedSource(services, terms, taxonomy, None, ("sq", "en"), findings)


# ------------------------------------------------------------------------------------ writing


class _Flattener:
    """The rows of every table, each record once; owners and parents filled in from nesting."""

    def __init__(self) -> None:
        self.rows: Tables = {}

    def put(self, table: str, obj: Any, owner: dict[str, str]) -> None:
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
            return
        row = self.rows.setdefault(table, {}).setdefault(obj["id"], {})
        rels = relations(table)
        for k, v in owner.items():
            if k not in obj:
                row.setdefault(k, v)
        for key, value in obj.items():
            rel = rels.get(key)
            if rel is None:
                row.setdefault(key, value)
            elif not rel.child:
                if isinstance(value, dict) and isinstance(value.get("id"), str):
                    row.setdefault(rel.column, value["id"])
                    up = {"organization_id": row["organization_id"]} if rel.table == "program" \
                        and isinstance(row.get("organization_id"), str) else {}
                    self.put(rel.table, value, up)
            else:
                tag = {rel.tag: table} if rel.tag else {}
                for item in value if isinstance(value, list) else [value]:
                    self.put(rel.table, item, {rel.column: obj["id"], **tag})


def flatten(doc: dict[str, Any]) -> Tables:
    """Every HSDS table of a feed document: table -> id -> row (as JSON values)."""
    flat = _Flattener()
    if isinstance(doc.get("taxonomy"), dict):
        flat.put("taxonomy", doc["taxonomy"], {})
    for term in doc.get("taxonomy_terms") or []:
        flat.put("taxonomy_term", term, {})
    for svc in doc["services"]:
        flat.put("service", svc, {})
    return flat.rows


def _split(table: str, rows: dict[str, dict[str, Any]], ids: dict[str, set[str]],
           extra: list[dict[str, Any]], translations: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The standard cells of each row; what does not fit goes to the extension tables."""
    spec = standard()[table]
    columns = {c.name: c for c in spec.columns}
    fks = dict(spec.foreign_keys)
    seen_unique: dict[str, set[str]] = {}
    out = []
    for ident, row in rows.items():
        cells: dict[str, str] = {}
        for key, value in row.items():
            column = columns.get(key)
            if key == TR and _plain_translations(value):
                translations.extend({"table": table, "id": ident, "language": lang, "field": f, "value": v}
                                    for lang, fields in value.items() for f, v in fields.items())
                continue
            text = cell(column, value) if column and fits(column, value) else None
            if text is not None and key in fks and value not in ids.get(fks[key], ()):
                text = None   # a reference to nothing: frictionless checks foreign keys
            if text is not None and column.unique and key != "id":
                taken = seen_unique.setdefault(key, set())
                text = None if text in taken else text
                taken.add(text)
            if text is None or read_cell(column, text) != value:
                extra.append({"table": table, "id": ident, "field": key, "value": _json(value)})
            if text is not None:
                cells[key] = text
        for column in spec.columns:
            if column.required and column.name not in cells and row.get(FILL.get(column.name, "")):
                cells[column.name] = str(row[FILL[column.name]])
                extra.append({"table": table, "id": ident, "field": column.name, "value": "null"})
        out.append(cells)
    return out


def _plain_translations(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(fields, dict) and all(isinstance(v, str) for v in fields.values())
                                           for fields in value.values())


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write_datapackage(doc: dict[str, Any], folder: Path) -> Path:
    """Write ``doc`` as the standard's tables (every one, empty ones with their header) and our
    two extension tables, with a ``datapackage.json`` that lists them all."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows = flatten(doc)
    ids = {table: set(r) for table, r in rows.items()}
    extra: list[dict[str, Any]] = []
    translations: list[dict[str, Any]] = []
    resources = []
    for name, spec in standard().items():
        _write_csv(folder / spec.path, [c.name for c in spec.columns],
                   _split(name, rows.get(name, {}), ids, extra, translations))
        resources.append(spec.resource)
    for name, rows_out in ((X_TRANSLATIONS, translations), (X_FIELDS, extra)):
        path, cols = EXTENSION_TABLES[name]
        _write_csv(folder / path, cols, rows_out)
        resources.append(_extension_resource(name, path, cols))
    meta = {"name": "elbasan-social-services", "title": "Elbasan social services (HSDS 3.0)",
            "profile": "tabular-data-package", "version": "3.0.0",
            "license": {"url": "https://creativecommons.org/licenses/by-sa/4.0/", "type": "CC-BY-SA-4.0"},
            "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def _extension_resource(name: str, path: str, cols: list[str]) -> dict[str, Any]:
    about = {X_TRANSLATIONS: "Other languages of a record's fields (the plain fields are Albanian).",
             X_FIELDS: "Fields with no standard column (extensions, fields HSDS does not define, values "
                       "that do not fit their column), as JSON."}
    required = {"table", "id", "field"} | ({"language"} if name == X_TRANSLATIONS else set())
    return {"name": name, "path": path, "description": about[name], "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "profile": "tabular-data-resource",
            "schema": {"fields": [{"name": c, "type": "string",
                                   "constraints": {"required": c in required}} for c in cols]}}


# table -> (file name, the standard's columns), for the readers that check a package first.
TABLES = {name: (spec.path, [c.name for c in spec.columns]) for name, spec in standard().items()}

__all__ = ["TABLES", "assemble", "flatten", "read_datapackage", "table_files", "write_datapackage"]

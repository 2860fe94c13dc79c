"""The HSDS CSV datapackage (.zip): unpacked after its directory was checked, formula
neutralisation undone (:mod:`sync.server.csv_cells`), every file checked cell by cell, then read
with kiosk-feed's own reader."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from sync.feed import document as feedmod
from sync.feed import verify as verifymod
from sync.publish import sources
from sync.server import catalogue_parts, csv_cells
from sync.server.catalogue import TR, CatalogueError
from sync.server.catalogue_parts import Parts
from sync.server.imports import archives
from sync.server.imports.cells import UUID_RE
from sync.server.imports.problems import MAX_ROWS, Problem
from sync.server.imports.readers import schema_problems

CSV_REFS = {  # file -> {column: referenced table}
    "service": {"organization_id": "organization"},
    "service_at_location": {"service_id": "service", "location_id": "location"},
    "address": {"location_id": "location"},
    "phone": {"organization_id": "organization", "service_id": "service", "location_id": "location",
              "service_at_location_id": "service_at_location", "contact_id": "contact"},
    "schedule": {"service_id": "service", "location_id": "location", "service_at_location_id": "service_at_location"},
    "contact": {"organization_id": "organization", "service_id": "service", "location_id": "location",
                "service_at_location_id": "service_at_location"},
    "language": {"service_id": "service", "location_id": "location"},
    "accessibility": {"location_id": "location"},
    "required_document": {"service_id": "service"},
    "taxonomy_term": {"parent_id": "taxonomy_term"},
    "attribute": {"taxonomy_term_id": "taxonomy_term", "link_id": "service"},
}


Tables = dict[str, list[tuple[int, dict[str, str]]]]
NUMBERS = ("latitude", "longitude", "minimum_age", "maximum_age", "x_order", "year_incorporated")


def check_datapackage(folder: Path) -> list[Problem]:
    """Every problem of the CSV files, by file, row and column; ids unique, references resolved."""
    files = sources.table_files(folder)
    if "service" not in files:
        return [Problem("services.csv", None, None, "The file {file} is missing.", {"file": "services.csv"})]
    tables, problems = _read_tables(files)
    ids = {table: _check_rows(files[table].name, rows, problems) for table, rows in tables.items()}
    for table, refs in CSV_REFS.items():
        for n, row in tables.get(table, []):
            for column, target in refs.items():
                value = (row.get(column) or "").strip()
                if value and value not in ids.get(target, set()):
                    problems.append(Problem(files[table].name, n, column, "No {table} has the id {id}.",
                                            {"table": target, "id": value}))
    for n, row in tables.get("service", []):
        for column in ("name", "organization_id"):
            if not (row.get(column) or "").strip():
                problems.append(Problem(files["service"].name, n, column, "Required: this cell is empty."))
    return problems[:1000]


def _read_tables(files: dict[str, Path]) -> tuple[Tables, list[Problem]]:
    tables: Tables = {}
    problems: list[Problem] = []
    for table, path in files.items():
        if table not in sources.TABLES:
            continue
        try:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                tables[table] = [(n, row) for n, row in enumerate(csv.DictReader(fh), start=2) if n <= MAX_ROWS]
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            problems.append(Problem(path.name, None, None, "Cannot read the file: {detail}",
                                    {"detail": str(exc)[:200]}))
    return tables, problems


def _check_rows(name: str, rows: list[tuple[int, dict[str, str]]], problems: list[Problem]) -> set[str]:
    """The cells of one file; returns its ids."""
    seen: dict[str, int] = {}
    for n, row in rows:
        ident = (row.get("id") or "").strip()
        if not ident:
            problems.append(Problem(name, n, "id", "Required: this cell is empty."))
        elif not UUID_RE.match(ident):
            problems.append(Problem(name, n, "id", "Not a UUID."))
        elif ident in seen:
            problems.append(Problem(name, n, "id", "The id is also on row {other}.", {"other": seen[ident]}))
        else:
            seen[ident] = n
        for key in NUMBERS:
            text = (row.get(key) or "").strip()
            if text and not _is_number(text):
                problems.append(Problem(name, n, key, "A number, e.g. 41.1125."))
        text = (row.get(TR) or "").strip()
        if text and not _is_json_object(text):
            problems.append(Problem(name, n, TR, "Not JSON like {example}.", {"example": '{"en": {"name": "..."}}'}))
        for key, value in row.items():
            if isinstance(value, str) and verifymod.BAD_CHARS.search(value):
                problems.append(Problem(name, n, key, "Contains invisible control characters; type the text again."))
    return set(seen)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except (ValueError, RecursionError):
        return False


def read_zip_upload(data: bytes, workdir: Path) -> tuple[list[Problem], Parts | None]:
    problems = archives.safe_extract(data, workdir)
    if problems:
        return problems, None
    for path in workdir.rglob("*.csv"):
        try:
            csv_cells.rewrite(path, csv_cells.restore)
        except (UnicodeDecodeError, csv.Error):
            pass  # check_datapackage reports the file
    folder = workdir
    if not any(workdir.glob("*.csv")):
        subdirs = [p for p in workdir.iterdir() if p.is_dir() and any(p.glob("*.csv"))]
        if len(subdirs) == 1:
            folder = subdirs[0]
    problems = check_datapackage(folder)
    if problems:
        return problems, None
    try:
        loaded = sources.read_datapackage(folder)
    except (feedmod.FeedError, ValueError) as exc:
        return [Problem("datapackage", None, None, "Not an HSDS datapackage: {detail}",
                        {"detail": str(getattr(exc, "detail", exc))[:300]})], None
    problems = schema_problems(loaded.services, "services.csv")
    if problems:
        return problems, None
    try:
        return [], catalogue_parts.decompose(loaded.services, loaded.taxonomy_terms, loaded.taxonomy, None)
    except CatalogueError as exc:
        return [Problem("services.csv", None, None, exc.message, exc.params)], None

"""An import, checked whole before anything changes, in three steps:

1. the file itself, cell by cell: every problem is reported with its sheet (or CSV file), row
   and column, all at once;
2. the catalogue it makes (with ``kiosk-feed``'s own readers in :mod:`sync.publish.sources`, every
   shape HSDS publishes), through the kiosks' rules: errors refuse it, warnings (what was mended
   or dropped) are listed beside the report and do not stop it;
3. the catalogue as it would be after the import, through the kiosks' own checks
   (:func:`sync.feed.verify.check_content`), inside the import's transaction.

Only when all three pass is the transaction committed: everything changes, or nothing does. A
local file named anywhere in the file is dropped (see :mod:`sync.server.assets`).
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from sync.feed import document as feedmod
from sync.feed import verify as verifymod
from sync.feed.findings import FeedRefused
from sync.publish import build as publish
from sync.server import catalogue, catalogue_parts, danger
from sync.server.assets import strip_local_files
from sync.server.audit import Actor, record
from sync.server.catalogue import CatalogueError
from sync.server.catalogue_parts import Parts
from sync.server.imports import archives
from sync.server.imports.datapackage import read_zip_upload
from sync.server.imports.overlay import overlay_parts, unused_sheet_entities
from sync.server.imports.problems import (MAX_LISTED, MAX_UPLOAD, ImportOutcome, ImportRefused, Problem,
                                          from_finding, from_refusal, problem)
from sync.server.imports.readers import read_json_upload, read_xlsx_upload


def detect_kind(filename: str, data: bytes) -> str | None:
    name = filename.lower()
    if data[:2] == b"PK":
        if name.endswith(".xlsx"):
            return "xlsx"
        archive = archives.open_archive(data)
        if archive is None:
            return None
        with archive:
            names = archive.namelist()
        return "xlsx" if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names) else "zip"
    if name.endswith(".json") or data.lstrip()[:1] in (b"{", b"["):
        return "json"
    return None


def run_import(db: Session, filename: str, data: bytes, actor: Actor, *, replace: bool) -> ImportOutcome:
    """Check and apply an upload in the caller's transaction. Raises ImportRefused with every
    problem found, after which the caller must roll the transaction back (leaving the ``with
    Database.session()`` block through the exception does); otherwise the caller commits."""
    if len(data) > MAX_UPLOAD:
        raise ImportRefused([problem("The file is larger than {n} MB.", n=MAX_UPLOAD // 2**20)])
    kind = detect_kind(filename, data)
    if kind is None:
        raise ImportRefused([problem("Unknown file type: upload the .xlsx template, an HSDS .json file or a .zip "
                                     "of the HSDS CSV files.")])
    found = archives.check_archive(data) if kind in ("xlsx", "zip") else None
    if found:
        raise ImportRefused([found])
    problems, parts, warnings = _read(db, kind, data, filename)
    if problems or parts is None:
        raise ImportRefused(problems or [problem("Nothing to import.")], warnings)
    if not parts.services:
        raise ImportRefused([Problem("services", None, None, "The file has no services.")], warnings)
    dropped = strip_parts(parts)
    warnings = warnings + [Problem(where, None, field, message, params) for where, field, message, params
                           in danger.clean_all(parts.categories.values(), parts.services.values())]
    report = _apply(db, parts, actor, replace, warnings)
    details: dict[str, Any] = {k: {w: names[:200] for w, names in v.items() if w != "unchanged"}
                               for k, v in report.items()}
    details["mode"] = "replace" if replace else "merge"
    if dropped:
        details["local_files_dropped"] = dropped[:50]
    if warnings:
        details["warnings"] = len(warnings)
    record(db, actor, "import", entity_type="catalogue", entity_id=kind, summary=filename[:200], details=details)
    return ImportOutcome(kind, [], report, True, warnings)


def _read(db: Session, kind: str, data: bytes,
          filename: str = "") -> tuple[list[Problem], Parts | None, list[Problem]]:
    """Errors, the parts to write, warnings (what the kiosks' rules mended or dropped). Messages
    name the uploaded file (``filename``), never the server's temporary folder."""
    with tempfile.TemporaryDirectory(prefix="kiosk-server-import-") as tmp:
        work = Path(tmp)
        path = work / f"upload.{kind}"
        shown = Path(filename).name[:100] or path.name
        if kind == "zip":
            problems, parts, warnings = read_zip_upload(data, work / "package")
            return _named(problems, work, shown), parts, _named(warnings, work, shown)
        path.write_bytes(data)
        if kind == "json":
            problems, parts, warnings = read_json_upload(path, shown)
            return _named(problems, work, shown), parts, _named(warnings, work, shown)
        problems, parts, headers = read_xlsx_upload(path)
        if parts is not None:
            parts = overlay_parts(db, parts, headers)
            parts.organizations.update(unused_sheet_entities(path, "organizations", parts, db, headers))
        return _named(problems, work, shown), parts, []


def _named(problems: list[Problem], work: Path, shown: str) -> list[Problem]:
    """``problems`` with every path in the temporary folder told as the uploaded file's name
    (a file in an uploaded .zip as ``name.zip/services.csv``)."""
    def clean(value: Any) -> Any:
        if not isinstance(value, str) or str(work) not in value:
            return value
        for kind in ("json", "xlsx", "zip"):
            value = value.replace(str(work / f"upload.{kind}"), shown)
        return value.replace(str(work / "package"), shown).replace(str(work), shown)

    for p in problems:
        p.sheet, p.message = clean(p.sheet), clean(p.message)
        p.params = {k: clean(v) for k, v in p.params.items()}
    return problems


def _apply(db: Session, parts: Parts, actor: Actor, replace: bool,
           warnings: list[Problem]) -> dict[str, dict[str, list[str]]]:
    """Write the parts, then put the whole catalogue through the kiosks' checks (only their errors
    refuse; the import's own warnings were listed already)."""
    try:
        report = catalogue_parts.apply_parts(db, parts, actor, replace=replace)
        assembled = catalogue.assemble(db)
        doc = publish.normalize(feedmod.new_document(assembled.services, assembled.taxonomy_terms, version=1,
                                                     taxonomy=assembled.taxonomy))
        verifymod.check_content(doc)
    except FeedRefused as exc:      # the kiosks' own findings, each in the staff's language
        raise ImportRefused([from_finding(f) for f in exc.findings.errors[:MAX_LISTED]], warnings) from exc
    except feedmod.FeedError as exc:
        raise ImportRefused([from_refusal("", exc, "The kiosks would refuse this catalogue: {detail}")],
                            warnings) from exc
    except CatalogueError as exc:
        raise ImportRefused([problem(exc.message, **exc.params)], warnings) from exc
    return report


def strip_parts(parts: Parts) -> list[str]:
    """Take every local file reference out of an import (see :mod:`sync.server.assets`); returns
    what was dropped."""
    dropped: list[str] = []
    for table in (parts.categories, parts.organizations, parts.locations, parts.services):
        for key, doc in table.items():
            table[key], gone = strip_local_files(doc)
            dropped += gone
    for name in ("taxonomy", "publisher"):
        if getattr(parts, name):
            doc, gone = strip_local_files(getattr(parts, name))
            setattr(parts, name, doc)
            dropped += gone
    return dropped

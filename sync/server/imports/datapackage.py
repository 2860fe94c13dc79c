"""The HSDS CSV datapackage (.zip): unpacked after its directory was checked, formula
neutralisation undone (:mod:`sync.server.csv_cells`), every file checked to be readable CSV, then
read with kiosk-feed's own reader (3.0, or 1.1/2.0 converted) and put through the kiosks' rules:
each cell's sense (ids, references, characters, numbers) is judged there, as an error or a
warning of its record (issue 15)."""
from __future__ import annotations

import csv
from pathlib import Path

from sync.feed import document as feedmod
from sync.feed.findings import FeedRefused
from sync.publish import sources
from sync.server import csv_cells
from sync.server.imports import archives
from sync.server.imports.problems import MAX_ROWS, Problem, from_finding
from sync.server.imports.readers import Read, conformed


def check_datapackage(folder: Path) -> list[Problem]:
    """What stops the package from being read at all: no services table, a file that is not CSV
    in UTF-8, a table over the row cap."""
    files = sources.table_files(folder)
    if "service" not in files and "services" not in files:
        return [Problem("services.csv", None, None, "The file {file} is missing.", {"file": "services.csv"})]
    problems = []
    for path in files.values():
        try:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                rows = sum(1 for _row in csv.DictReader(fh))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            problems.append(Problem(path.name, None, None, "Cannot read the file: {detail}",
                                    {"detail": str(exc)[:200]}))
            continue
        if rows > MAX_ROWS:
            problems.append(Problem(path.name, None, None, "More than {n} rows.", {"n": MAX_ROWS}))
    return problems


def read_zip_upload(data: bytes, workdir: Path) -> Read:
    problems = archives.safe_extract(data, workdir)
    if problems:
        return problems, None, []
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
        return problems, None, []
    try:
        loaded = sources.read_datapackage(folder)
    except FeedRefused as exc:
        return [from_finding(f) for f in exc.findings.errors], None, []
    except (feedmod.FeedError, ValueError) as exc:
        return [Problem("datapackage", None, None, "Not an HSDS datapackage: {detail}",
                        {"detail": str(getattr(exc, "detail", exc))[:300]})], None, []
    return conformed(loaded)

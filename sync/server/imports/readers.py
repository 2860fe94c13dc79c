"""Reading an HSDS JSON file and the filled spreadsheet template with kiosk-feed's own readers,
after the checks of their own kind, into the server's tables (:class:`~sync.server.catalogue_parts.Parts`)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sync.feed import document as feedmod
from sync.feed import verify as verifymod
from sync.publish import build as publish
from sync.publish import sources
from sync.server import catalogue_parts
from sync.server.catalogue import CatalogueError
from sync.server.catalogue_parts import Parts
from sync.server.imports import archives
from sync.server.imports.problems import Problem
from sync.server.imports.workbook import check_workbook


def schema_problems(services: list[dict[str, Any]], label: str) -> list[Problem]:
    validator = verifymod.service_validator()
    problems = []
    for i, svc in enumerate(services):
        if not isinstance(svc, dict):
            problems.append(Problem(label, i + 1, None, "Not a JSON object."))
            continue
        for error in list(validator.iter_errors(publish.normalize(svc)))[:20]:
            path = "/".join(str(p) for p in error.absolute_path) or "(service)"
            problems.append(Problem(label, i + 1, path, "{detail} (service {name})",
                                    {"detail": error.message[:300],
                                     "name": str(svc.get("name") or svc.get("id"))[:80]}))
        if len(problems) > 500:
            break
    return problems


def read_json_upload(path: Path) -> tuple[list[Problem], Parts | None]:
    try:
        loaded = sources.read_json(path)
    except feedmod.FeedError as exc:
        return [Problem("JSON", None, None, "Not an HSDS JSON file: {detail}", {"detail": exc.detail[:300]})], None
    problems = schema_problems(loaded.services, "services")
    if problems:
        return problems, None
    try:
        parts = catalogue_parts.decompose(loaded.services, loaded.taxonomy_terms, loaded.taxonomy, loaded.publisher)
    except CatalogueError as exc:
        return [Problem("services", None, None, exc.message, exc.params)], None
    return [], parts


def read_xlsx_upload(path: Path) -> tuple[list[Problem], Parts | None, dict[str, list[str]]]:
    problems, headers = check_workbook(path)
    if problems:
        return problems, None, headers
    try:
        loaded = sources.read_template(path)
    except (feedmod.FeedError, TypeError, *archives.ZIP_ERRORS) as exc:
        return [Problem("", None, None, "The spreadsheet could not be read: {detail}",
                        {"detail": str(getattr(exc, "detail", exc))[:300]})], None, headers
    try:
        parts = catalogue_parts.decompose(loaded.services, loaded.taxonomy_terms, None, None)
    except CatalogueError as exc:
        return [Problem("services", None, None, exc.message, exc.params)], None, headers
    # Organizations and locations nobody uses are in the spreadsheet too.
    return [], parts, headers

"""Reading an HSDS JSON file and the filled spreadsheet template with kiosk-feed's own readers,
after the checks of their own kind, into the server's tables (:class:`~sync.server.catalogue_parts.Parts`)."""
from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import ParseError

from sync.feed import document as feedmod
from sync.feed import verify as verifymod
from sync.feed.findings import FeedRefused, Findings
from sync.publish import build as publish
from sync.publish import sources
from sync.server import catalogue_parts
from sync.server.catalogue import CatalogueError
from sync.server.catalogue_parts import Parts
from sync.server.imports import archives
from sync.server.imports.problems import MAX_JSON_VALUES, MAX_LISTED, Problem, from_finding, from_refusal, problem
from sync.server.imports.workbook import check_workbook



Read = tuple[list[Problem], "Parts | None", list[Problem]]   # errors, the parts, warnings


def conformed(loaded: sources.LoadedSource) -> Read:
    """What a source reader made, through the kiosks' rules (sync.feed.verify.conform): its errors
    refuse the import, its warnings are listed and the mended catalogue is imported."""
    doc = publish.normalize(feedmod.new_document(loaded.services, loaded.taxonomy_terms, version=1,
                                                 taxonomy=loaded.taxonomy, publisher=loaded.publisher))
    findings = Findings()
    findings.extend(loaded.findings)
    verifymod.conform(doc, findings=findings)
    warnings = [from_finding(f) for f in findings.warnings[:MAX_LISTED]]
    if findings.errors:
        return [from_finding(f) for f in findings.errors[:MAX_LISTED]], None, warnings
    try:
        parts = catalogue_parts.decompose(doc["services"], doc["taxonomy_terms"], doc.get("taxonomy"),
                                          doc.get("publisher"))
    except CatalogueError as exc:
        return [Problem("services", None, None, exc.message, exc.params)], None, warnings
    return [], parts, warnings


def read_json_upload(path: Path, filename: str = "") -> Read:
    """Every JSON shape HSDS publishes (a list, one service, an organization with its services,
    an API page, newline-delimited JSON, a feed, an Open Referral UK list). Messages call the
    file ``filename``, never the server's own path."""
    try:
        loaded = sources.read_json(path, name=filename or path.name, max_values=MAX_JSON_VALUES)
    except sources.TooManyValues as exc:
        return [problem("The file has about {n} values (numbers, texts, lists), more than any catalogue has "
                        "(at most {max}): it is refused.", n=exc.values, max=exc.limit)], None, []
    except FeedRefused as exc:
        return [from_finding(f) for f in exc.findings.errors], None, []
    except feedmod.FeedError as exc:
        return [from_refusal("JSON", exc, "Not an HSDS JSON file: {detail}")], None, []
    return conformed(loaded)


def read_xlsx_upload(path: Path) -> tuple[list[Problem], Parts | None, dict[str, list[str]]]:
    problems, headers = check_workbook(path)
    if problems:
        return problems, None, headers
    try:
        loaded = sources.read_template(path)
    except ParseError:
        return [problem("The spreadsheet is damaged: it cannot be read.")], None, headers
    except (feedmod.FeedError, TypeError, *archives.ZIP_ERRORS) as exc:
        return [Problem("", None, None, "The spreadsheet could not be read: {detail}",
                        {"detail": str(getattr(exc, "detail", exc))[:300]})], None, headers
    try:
        parts = catalogue_parts.decompose(loaded.services, loaded.taxonomy_terms, None, None)
    except CatalogueError as exc:
        return [Problem("services", None, None, exc.message, exc.params)], None, headers
    # Organizations and locations nobody uses are in the spreadsheet too.
    return [], parts, headers

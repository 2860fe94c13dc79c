"""What ``kiosk-feed build --from SOURCE`` reads, and writers for the same formats.

Three kinds of SOURCE, one module each:

* **HSDS JSON** (``*.json``, ``*.ndjson``, ``*.jsonl``, read here), in every shape HSDS 3.0
  publishes: a list of fully nested services, one service, an organization with its services
  nested inside (``organization_full.json``), the API's paged ``{"contents": [...]}``,
  newline-delimited JSON (one service or organization a line), or a whole feed document
  (``{"services": [...], "taxonomy_terms": [...]}``, e.g. ``kiosk export-hsds --feed``). An Open
  Referral UK ``/services`` list is converted (:mod:`sync.publish.legacy`). Categories missing
  from ``taxonomy_terms`` are taken from the services' ``attributes``.
* **HSDS CSV datapackage** (a folder of CSV tables, with or without ``datapackage.json``; HSDS
  1.1/2.0 ones are converted): :mod:`sync.publish.datapackage`.
* **The spreadsheet template** (``*.xlsx``): :mod:`sync.publish.template` reads it,
  :mod:`sync.publish.template_write` writes it.

Local file names in ``logo`` (organizations) and ``icon_file`` (categories) become
content-addressed assets when the feed is built (:mod:`sync.publish.build`), read only from the
build's assets folder. The readers and writers are importable from here as one interface.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sync.feed.findings import Findings, Record
from sync.publish import legacy
from sync.publish.datapackage import TABLES, read_datapackage, table_files, write_datapackage
from sync.publish.loaded import LoadedSource, SourceError, terms_from_services
from sync.publish.template import LANGUAGE_NAMES, NAMESPACE, TEMPLATE_SHEETS, code_id, read_template
from sync.publish.template_write import write_template

__all__ = ["LANGUAGE_NAMES", "NAMESPACE", "TABLES", "TEMPLATE_SHEETS", "LoadedSource", "SourceError", "TooManyValues",
           "code_id", "json_values", "load_source", "read_datapackage", "read_json", "read_template", "table_files",
           "terms_from_services", "write_datapackage", "write_template"]

MAX_JSON_BYTES = 256 * 1024 * 1024   # a source file; the feed built from it has its own cap
#: At most this many values (see :func:`json_values`) in a JSON source, counted before it is
#: parsed: Python holds each value as an object of 30 to 100 bytes, so a file of empty lists
#: (``[[],[],...]``, 3 bytes each) took 30 times its size. Real catalogues have one value in
#: about 30 bytes (the 100,000-service bench feed: 15.8 million in 466 MB), so this lets through
#: every source file under MAX_JSON_BYTES that is a catalogue. The server sets a lower one.
MAX_JSON_VALUES = 10_000_000
JSON_SUFFIXES = (".json", ".ndjson", ".jsonl")


def load_source(path: Path) -> LoadedSource:
    path = Path(path)
    if path.is_dir():
        return read_datapackage(path)
    if path.suffix.lower() == ".xlsx":
        return read_template(path)
    if path.suffix.lower() in JSON_SUFFIXES:
        return read_json(path)
    raise SourceError(f"{path}: expected an HSDS .json or .ndjson file, a CSV datapackage folder or an "
                      ".xlsx template")


class TooManyValues(SourceError):
    """A JSON source that would become more objects than any catalogue is made of."""

    def __init__(self, name: str, values: int, limit: int):
        super().__init__(f"{name}: about {values} values, more than a catalogue has (at most {limit})")
        self.values, self.limit = values, limit


def json_values(data: bytes) -> int:
    """About how many values parsing ``data`` makes: each container, and each value after a
    comma (brackets and commas inside strings count too, so it never says fewer). Counting
    bytes costs a few milliseconds and no memory, parsing 30 times the file."""
    return data.count(b",") + data.count(b"[") + data.count(b"{")


def _parse(path: Path, *, name: str = "", max_values: int = MAX_JSON_VALUES) -> Any:
    """The JSON value of a file, or the list of a newline-delimited JSON file's values. ``name``
    is what messages call the file (its path when not given)."""
    name = name or str(path)
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            raise SourceError(f"{name}: over {MAX_JSON_BYTES // (1024 * 1024)} MiB", "source_too_big",
                              name=name, mib=MAX_JSON_BYTES // (1024 * 1024))
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{name}: {exc}") from exc
    values = json_values(data)
    if values > max_values:
        raise TooManyValues(name, values, max_values)
    try:
        return json.loads(data)
    except RecursionError as exc:
        raise SourceError(f"{name}: JSON nested too deeply", "source_too_deep", name=name) from exc
    except ValueError as exc:
        first_error = exc
    items = []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except (ValueError, RecursionError):
            code, params = _not_json(first_error, name, number)
            raise SourceError(f"{name}: not JSON ({first_error}), nor newline-delimited JSON "
                              f"(line {number})", code, **params) from first_error
    return items


def _not_json(error: ValueError, name: str, line: int) -> tuple[str, dict[str, Any]]:
    """The message code of a file that is not JSON: not UTF-8 text, or where JSON broke."""
    if isinstance(error, UnicodeDecodeError):
        return "source_not_utf8", {"name": name, "byte": f"0x{error.object[error.start]:02x}",
                                   "position": error.start}
    where = getattr(error, "lineno", None)
    return "source_not_json", {"name": name, "line": where or line, "column": getattr(error, "colno", 1),
                               "ndjson_line": line}


def _is_organization(obj: Any) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("services"), list) and "service_at_locations" not in obj \
        and "taxonomy_terms" not in obj and "schema_version" not in obj


def _services_of(items: list[Any]) -> list[Any]:
    """Services, with each organization document's services taken out of it (the organization
    nested in each of them, as a service's own)."""
    out: list[Any] = []
    for item in items:
        if not _is_organization(item):
            out.append(item)
            continue
        org = {k: v for k, v in item.items() if k != "services"}
        for svc in item["services"]:
            if isinstance(svc, dict) and not isinstance(svc.get("organization"), dict):
                svc = dict(svc, organization=org)
            out.append(svc)
    return out


def _one_page(page: dict[str, Any], name: str, findings: Findings) -> None:
    """A page of the HSDS API's paged form that is not the whole list: said, with how many
    services the API has (the other pages are not in the file, so they are not imported)."""
    read, total = len(page["contents"]), page.get("total_items")
    counted = isinstance(total, int) and not isinstance(total, bool)
    if counted and total > read:
        findings.warn("partial_page", Record("file", name), "total_items", read=read, total=total)
    elif page.get("last_page") is False or (not counted and isinstance(page.get("total_pages"), int)
                                           and page["total_pages"] > 1):
        findings.warn("partial_page_unknown", Record("file", name), "last_page", read=read)


def read_json(path: Path, *, name: str = "", max_values: int = MAX_JSON_VALUES) -> LoadedSource:
    """An HSDS JSON source; ``name`` is what messages call it (its path when not given), and a
    file of more than ``max_values`` values is refused unparsed (:class:`TooManyValues`)."""
    name = name or str(path)
    data = _parse(Path(path), name=name, max_values=max_values)
    taxonomy = publisher = None
    languages: tuple[str, ...] = ("sq", "en")
    known: list[dict] = []
    findings = Findings()
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict) and isinstance(data.get("services"), list) and not _is_organization(data):
        items = data["services"]
        known = [t for t in data.get("taxonomy_terms") or [] if isinstance(t, dict)]
        taxonomy, publisher = data.get("taxonomy"), data.get("publisher")
        languages = tuple(data.get("languages") or languages)
    elif isinstance(data, dict) and isinstance(data.get("contents"), list):
        items = data["contents"]
        _one_page(data, name, findings)
    elif isinstance(data, dict) and isinstance(data.get("content"), list):   # ORUK's paged form
        items = data["content"]
    elif isinstance(data, dict) and ({"id", "name"} <= data.keys() or _is_organization(data)):
        items = [data]
    else:
        raise SourceError(f"{name}: not a list of HSDS services, a service, an organization nor a feed document",
                          "source_shape", name=name)
    services = _services_of(items)
    if not all(isinstance(s, dict) for s in services):
        raise SourceError(f"{name}: every service must be a JSON object", "source_not_objects", name=name)
    if legacy.is_oruk(services):
        services = legacy.convert_oruk(services, findings)
    return LoadedSource(services, terms_from_services(services, known), taxonomy, publisher, languages, findings)

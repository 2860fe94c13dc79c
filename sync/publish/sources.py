"""What ``kiosk-feed build --from SOURCE`` reads, and writers for the same formats.

Three kinds of SOURCE, one module each:

* **HSDS JSON** (``*.json``, read here): a list of fully nested services, an HSDS ``/services``
  page (``{"contents": [...]}``), one service, or a whole feed document (``{"services": [...],
  "taxonomy_terms": [...]}``, e.g. ``kiosk export-hsds --feed``). Categories missing from
  ``taxonomy_terms`` are taken from the services' ``attributes``.
* **HSDS CSV datapackage** (a folder with ``datapackage.json`` and one CSV per HSDS table):
  :mod:`sync.publish.datapackage`.
* **The spreadsheet template** (``*.xlsx``): :mod:`sync.publish.template` reads it,
  :mod:`sync.publish.template_write` writes it.

Local file names in ``logo`` (organizations) and ``icon_file`` (categories) become
content-addressed assets when the feed is built (:mod:`sync.publish.build`), read only from the
build's assets folder. The readers and writers are importable from here as one interface.
"""
from __future__ import annotations

import json
from pathlib import Path

from sync.publish.datapackage import TABLES, read_datapackage, table_files, write_datapackage
from sync.publish.loaded import LoadedSource, SourceError, terms_from_services
from sync.publish.template import LANGUAGE_NAMES, NAMESPACE, TEMPLATE_SHEETS, code_id, read_template
from sync.publish.template_write import write_template

__all__ = ["LANGUAGE_NAMES", "NAMESPACE", "TABLES", "TEMPLATE_SHEETS", "LoadedSource", "SourceError",
           "code_id", "load_source", "read_datapackage", "read_json", "read_template", "table_files",
           "terms_from_services", "write_datapackage", "write_template"]


def load_source(path: Path) -> LoadedSource:
    path = Path(path)
    if path.is_dir():
        return read_datapackage(path)
    if path.suffix.lower() == ".xlsx":
        return read_template(path)
    if path.suffix.lower() == ".json":
        return read_json(path)
    raise SourceError(f"{path}: expected an HSDS .json file, a CSV datapackage folder or an .xlsx template")


def read_json(path: Path) -> LoadedSource:
    try:
        data = json.loads(Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        raise SourceError(f"{path}: {exc}") from exc
    taxonomy = publisher = None
    languages: tuple[str, ...] = ("sq", "en")
    known: list[dict] = []
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
    return LoadedSource(services, terms_from_services(services, known), taxonomy, publisher, languages)

"""The OpenAPI document of the HSDS API as this server answers it (issue 15, item 8).

The specification's ``openapi.json`` (vendored unchanged in ``sync/feed/hsds/``) points its
response schemas at raw.githubusercontent.com, which no kiosk network and no test can reach, so
a client or a checker could not validate a single answer. The document served at
``/openapi.json`` is built from it once:

* every ``$ref`` to the specification's schemas becomes ``#/components/schemas/<name>``, holding
  our own unchanged copy of that schema (``sync/feed/hsds/*.json``), and the references between
  those copies (``taxonomy.json``, ``metadata.json``) are made local the same way, so that the
  document has no reference outside itself (:func:`external_refs` is empty);
* it says what this server does where the template leaves it open or gets it wrong: its title
  and contact; ``page`` and ``per_page`` start at 1 (``per_page`` at most 1000); ``format`` is
  ``json`` or ``ndjson``, and ``ndjson`` answers ``application/x-ndjson``; ``modified_after`` is
  an RFC 3339 ``date-time`` (the template's ``datetime`` is no format); an unknown id answers
  404 and a bad parameter 400, both with ``{"error": "..."}``; ``/service_at_locations/{id}``
  answers a service_at_location (the template names the service schema there).
"""
from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

HSDS = Path(__file__).resolve().parents[1] / "feed" / "hsds"
SPEC = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
#: The specification's schema files -> our copy and its name under components/schemas.
COPIES = {
    "compiled/service.json": ("service.json", "service"),
    "compiled/service_list.json": ("service_list.json", "service_list"),
    "compiled/service_at_location.json": ("service_at_location.json", "service_at_location"),
    "compiled/service_at_location_list.json": ("service_at_location_list.json", "service_at_location_list"),
    "compiled/organization.json": ("organization.json", "organization"),
    "compiled/organization_list.json": ("organization_list.json", "organization_list"),
    "taxonomy.json": ("taxonomy.json", "taxonomy"),
    "taxonomy_term.json": ("taxonomy_term.json", "taxonomy_term"),
    "metadata.json": ("metadata.json", "metadata"),
}
#: A reference between two of the copies (relative to the schema/ folder) -> the same key.
RELATIVE = {"taxonomy.json": "taxonomy.json", "metadata.json": "metadata.json"}
MAX_PER_PAGE = 1000
ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
NDJSON = "application/x-ndjson"


def _local(ref: str) -> str | None:
    key = ref[len(SPEC):] if ref.startswith(SPEC) else RELATIVE.get(ref)
    return f"#/components/schemas/{COPIES[key][1]}" if key in COPIES else None


def _rewrite(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and not value.startswith("#"):
                out[key] = _local(value) or value   # left as it is: external_refs() names it
            elif key not in ("$schema", "$id"):
                out[key] = _rewrite(value)
        return out
    if isinstance(node, list):
        return [_rewrite(v) for v in node]
    return node


def external_refs(node: Any) -> Iterator[str]:
    """Every reference that leaves the document (none, in the document we serve)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and not value.startswith("#"):
                yield value
            else:
                yield from external_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from external_refs(value)


def _read(name: str) -> Any:
    return json.loads((HSDS / name).read_text(encoding="utf-8"))


def _profile(doc: dict[str, Any]) -> None:
    """What this server does where the specification's template leaves it open."""
    doc["info"] = {
        "title": "Social services of Elbasan – HSDS 3.0 API",
        "version": "3.0",
        "summary": "The published catalogue of the Social Services Information Centre, Municipality of Elbasan.",
        "description": "Read-only Open Referral HSDS 3.0 API of the catalogue the kiosks show. "
                       "Texts are in Albanian; other languages are in the x_translations extension field.",
        "contact": {"name": "Bashkia Elbasan – Qendra e Informacionit për Shërbimet Sociale"},
        "license": {"name": "CC BY-SA 4.0 (the HSDS schemas)", "identifier": "CC-BY-SA-4.0"},
    }
    params = doc["components"]["parameters"]
    params["page"]["schema"] = {"type": "integer", "minimum": 1}
    params["per_page"]["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}
    params["format"]["schema"] = {"type": "string", "enum": ["json", "ndjson"]}
    params["modified_after"]["schema"] = {"type": "string", "format": "date-time"}
    doc["components"]["schemas"]["Error"] = ERROR
    sal = doc["paths"]["/service_at_locations/{id}"]["get"]["responses"]["200"]
    sal["content"]["application/json"]["schema"] = {"$ref": SPEC + "compiled/service_at_location.json"}
    for path, item in doc["paths"].items():
        op = item["get"]
        responses = op["responses"]
        if op.get("parameters"):
            responses["400"] = _error("A parameter is not as this document describes it.")
        if "{id}" in path:
            responses["404"] = _error("No record with this id in the published catalogue.")
        if any(p.get("$ref", "").endswith("/format") for p in op.get("parameters") or []):
            responses["200"]["content"][NDJSON] = {
                "schema": {"type": "string", "description": "format=ndjson: every result, one JSON object a line."}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


@lru_cache(maxsize=1)
def served_document() -> bytes:
    """The document served at /openapi.json, built once (compact UTF-8 JSON)."""
    doc = copy.deepcopy(_read("openapi.json"))
    _profile(doc)
    schemas = doc["components"].setdefault("schemas", {})
    for _key, (filename, name) in COPIES.items():
        schemas[name] = _read(filename)
    doc = _rewrite(doc)
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

"""The HSDS 3.0 tables as the specification's own ``datapackage.json`` defines them, and how the
nested JSON objects of a service map onto them.

:data:`STANDARD` is read from the vendored ``sync/feed/hsds/datapackage.json``: every table's file
name, its columns in the standard's order with their types, formats, enums and foreign keys.
:data:`CHILDREN` says which JSON key of which object holds rows of which table, and through which
column a row names its owner (``phones`` of a ``location`` are ``phone`` rows whose
``location_id`` is the location's id). :func:`fits` and :func:`cell` decide whether a value can
stand in a standard column as the standard's validators (frictionless) expect, and how it is
written there.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sync.feed.values import HSDS_DIR

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                      r"[A-Za-z]{2,63}$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    format: str = "default"
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    columns: tuple[Column, ...]
    foreign_keys: tuple[tuple[str, str], ...]   # (column, table it names)
    resource: dict[str, Any]                    # the standard's resource, to list it as it is


@dataclass(frozen=True)
class Relation:
    """``parent[key]`` holds rows of ``table``; ``column`` links them.

    ``child``: the rows' ``column`` names the parent (``phones`` of a service: ``service_id``).
    Otherwise the parent's ``column`` names the one row (``organization`` of a service:
    ``organization_id``). ``tag`` is the column that says which kind of parent (attributes'
    ``link_entity``, metadata's ``resource_type``)."""

    table: str
    column: str
    child: bool = True
    tag: str = ""


@functools.lru_cache(maxsize=None)
def standard_package() -> dict[str, Any]:
    return json.loads((HSDS_DIR / "datapackage.json").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def standard() -> dict[str, Table]:
    out = {}
    for res in standard_package()["resources"]:
        schema = res["schema"]
        columns = tuple(Column(f["name"], f.get("type", "string"), f.get("format", "default"),
                               bool((f.get("constraints") or {}).get("required")),
                               bool((f.get("constraints") or {}).get("unique")),
                               tuple((f.get("constraints") or {}).get("enum") or ()))
                        for f in schema["fields"])
        fks = tuple((fk["fields"], fk["reference"]["resource"]) for fk in schema.get("foreignKeys") or [])
        out[res["name"]] = Table(res["name"], res["path"], columns, fks, res)
    return out


def _owned(table: str, column: str) -> Relation:
    return Relation(table, column)


def _named(table: str, column: str) -> Relation:
    return Relation(table, column, child=False)


ATTRIBUTES = Relation("attribute", "link_id", tag="link_entity")
METADATA = Relation("metadata", "resource_id", tag="resource_type")
CHILDREN: dict[str, dict[str, Relation]] = {
    "organization": {"phones": _owned("phone", "organization_id"), "contacts": _owned("contact", "organization_id"),
                     "funding": _owned("funding", "organization_id"), "programs": _owned("program", "organization_id"),
                     "organization_identifiers": _owned("organization_identifier", "organization_id"),
                     "locations": _owned("location", "organization_id")},
    "service": {"organization": _named("organization", "organization_id"), "program": _named("program", "program_id"),
                "phones": _owned("phone", "service_id"), "schedules": _owned("schedule", "service_id"),
                "service_areas": _owned("service_area", "service_id"),
                "service_at_locations": _owned("service_at_location", "service_id"),
                "languages": _owned("language", "service_id"), "funding": _owned("funding", "service_id"),
                "cost_options": _owned("cost_option", "service_id"),
                "required_documents": _owned("required_document", "service_id"),
                "contacts": _owned("contact", "service_id")},
    "service_at_location": {"location": _named("location", "location_id"),
                            "contacts": _owned("contact", "service_at_location_id"),
                            "phones": _owned("phone", "service_at_location_id"),
                            "schedules": _owned("schedule", "service_at_location_id")},
    "location": {"languages": _owned("language", "location_id"), "addresses": _owned("address", "location_id"),
                 "contacts": _owned("contact", "location_id"), "accessibility": _owned("accessibility", "location_id"),
                 "phones": _owned("phone", "location_id"), "schedules": _owned("schedule", "location_id")},
    "contact": {"phones": _owned("phone", "contact_id")},
    "phone": {"languages": _owned("language", "phone_id")},
    "attribute": {"taxonomy_term": _named("taxonomy_term", "taxonomy_term_id")},
    "taxonomy_term": {"taxonomy_detail": _named("taxonomy", "taxonomy_id")},
}
COMMON = {"attributes": ATTRIBUTES, "metadata": METADATA}


def relations(table: str) -> dict[str, Relation]:
    rels = dict(CHILDREN.get(table, {}))
    if table not in ("attribute", "metadata"):
        rels.update(COMMON)
    return rels


def fits(column: Column, value: Any) -> bool:
    """Whether ``value`` can stand in ``column`` and pass the standard's type and format checks."""
    if isinstance(value, (dict, list)) or isinstance(value, bool):
        return False
    if column.enum and value not in column.enum:
        return False
    if column.type == "number":
        return _number(value) is not None
    if not isinstance(value, str):
        return column.type == "string" and column.format == "default" and isinstance(value, (int, float))
    if column.type == "date":
        return _iso(value, date.fromisoformat) and len(value) == 10
    if column.type == "datetime":
        return len(value) >= 19 and value[16:17] == ":" and _iso(value.replace("Z", "+00:00"), datetime.fromisoformat)
    if column.type == "time":
        return bool(TIME_RE.match(value))
    pattern = {"uuid": UUID_RE, "uri": URI_RE, "email": EMAIL_RE}.get(column.format)
    return pattern is None or bool(pattern.match(value))


def cell(column: Column, value: Any) -> str:
    """The text of a value that :func:`fits` its column."""
    if column.type == "number":
        number = _number(value)
        return str(int(number)) if number == int(number) and not isinstance(value, float) else str(value)
    if column.type == "time" and len(value) == 5:
        return value + ":00"   # the standard's time is HH:MM:SS
    return str(value)


def read_cell(column: Column | None, text: str) -> Any:
    """A CSV cell of a standard column as JSON would hold it (numbers as numbers)."""
    if column is None or column.type != "number":
        return text
    number = _number(text)
    if number is None:
        raise ValueError(text)
    return int(number) if number == int(number) and "." not in text and "e" not in text.lower() else float(number)


def _number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _iso(text: str, parse) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True

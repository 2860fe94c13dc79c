"""The HSDS schema step of verification: every service against the vendored ``service.json``.

Two validators of the same Draft 2020-12 schema with format checks: **jsonschema-rs** (Rust)
gives the verdict, about 0.1 ms a service; **jsonschema** (pure Python, 1 ms or more a service)
words the error of a service that fails, so the reports staff read are unchanged, and has the
last word (a service passes only if jsonschema agrees it fails nothing when jsonschema-rs says it
fails). On the bench's corpus (10,000 services and 3,600 broken copies) their verdicts were
identical (``tests/bench/validator_probe.py``).

Every service is checked every time. A cache of the digests of services that passed once (for
jsonschema's millisecond a service) cost more than it saved with jsonschema-rs: at 10,000
services the digests (each service serialised and hashed) took 470 ms, checking them all 46 ms.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from sync.feed.findings import Findings
from sync.feed.values import record_of

HSDS_SERVICE_SCHEMA = Path(__file__).resolve().parent / "hsds" / "service.json"

@functools.lru_cache(maxsize=None)
def service_validator():
    """The Draft 2020-12 validator of one HSDS service, built once per process."""
    import jsonschema

    schema = json.loads(HSDS_SERVICE_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@functools.lru_cache(maxsize=None)
def fast_service_check():
    """jsonschema-rs' ``is_valid`` for one HSDS service (the verdict, see the module docstring)."""
    import jsonschema_rs

    schema = json.loads(HSDS_SERVICE_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True).is_valid


@functools.lru_cache(maxsize=None)
def fast_term_check():
    import jsonschema_rs

    schema = json.loads(HSDS_SERVICE_SCHEMA.read_text(encoding="utf-8"))
    term = schema["properties"]["attributes"]["items"]["properties"]["taxonomy_term"]
    return jsonschema_rs.Draft202012Validator(term, validate_formats=True).is_valid


@functools.lru_cache(maxsize=None)
def term_validator():
    import jsonschema

    schema = json.loads(HSDS_SERVICE_SCHEMA.read_text(encoding="utf-8"))
    term = schema["properties"]["attributes"]["items"]["properties"]["taxonomy_term"]
    return jsonschema.Draft202012Validator(term, format_checker=jsonschema.FormatChecker())


def _error_text(error) -> str:
    return error.message if len(error.message) <= 160 else error.message[:157] + "..."


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


def _error_finding(error) -> tuple[str, dict[str, Any]]:
    """The message code of a jsonschema error and its parameters, so that staff read it in
    their language (:data:`sync.feed.findings.MESSAGES`); ``detail`` keeps jsonschema's own
    English words (``hsds``, the code of any other kind of error, shows it)."""
    params: dict[str, Any] = {"detail": _error_text(error)}
    kind, expected = error.validator, error.validator_value
    if kind == "required":
        missing = [name for name in expected if isinstance(error.instance, dict) and name not in error.instance]
        return "schema_required", dict(params, name=", ".join(missing[:3]) or _shown(expected))
    if kind == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        code = f"schema_type_{kinds[0]}" if len(kinds) == 1 and kinds[0] in TYPES else "schema_type"
        return code, dict(params, value=_shown(error.instance), type=" | ".join(map(str, kinds)))
    if kind == "enum":
        return "schema_enum", dict(params, value=_shown(error.instance),
                                   allowed=", ".join(str(x) for x in expected)[:120])
    if kind == "format":
        return "schema_format", dict(params, value=_shown(error.instance), format=expected)
    if kind in ("minLength", "maxLength"):
        return f"schema_{kind.lower()}", dict(params, n=expected)
    if kind == "additionalProperties":
        extra = [k for k in error.instance if k not in (error.schema.get("properties") or {})] \
            if isinstance(error.instance, dict) else []
        return "schema_extra", dict(params, names=", ".join(extra[:3]))
    return "hsds", params


TYPES = frozenset({"string", "number", "integer", "boolean", "object", "array"})


def validate_schema(doc: dict[str, Any], findings: Findings | None = None) -> Findings:
    """Every service against HSDS service.json, every category against its taxonomy_term: one
    error per record that fails (its first problem)."""
    findings = findings if findings is not None else Findings()
    # jsonschema (seconds to import) only words the errors: built when a record fails, so that
    # a process that verifies one good feed (kiosk.buildproc's child) never imports it
    passes = fast_service_check()
    for service in doc["services"]:
        error = None if passes(service) else next(iter(service_validator().iter_errors(service)), None)
        if error is not None:
            code, params = _error_finding(error)
            findings.error(code, record_of("service", service), _where(error), **params)
    term_passes = fast_term_check()
    for term in doc["taxonomy_terms"]:
        error = None if term_passes(term) else next(iter(term_validator().iter_errors(term)), None)
        if error is not None:
            code, params = _error_finding(error)
            findings.error(code, record_of("category", term), _where(error), **params)
    return findings


def _where(error) -> str:
    out = ""
    for p in error.absolute_path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out

"""The HSDS schema step of verification: every service against the vendored ``service.json``.

Two validators of the same Draft 2020-12 schema with format checks: **jsonschema-rs** (Rust)
gives the verdict, about 0.1 ms a service; **jsonschema** (pure Python, 1 ms or more a service)
words the error of a service that fails, so the reports staff read are unchanged, and has the
last word (a service passes only if jsonschema agrees it fails nothing when jsonschema-rs says it
fails). On the bench's corpus (10,000 services and 3,600 broken copies) their verdicts were
identical (``tests/bench/validator_probe.py``). A :class:`SchemaCache` also remembers the digests
of services that already passed, so only new or changed services are checked again.
"""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any, Iterable

from sync.feed.files import write_atomic
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


@functools.lru_cache(maxsize=None)
def _schema_tag() -> bytes:
    return hashlib.blake2b(b"v1" + HSDS_SERVICE_SCHEMA.read_bytes(), digest_size=16).digest()


def service_digest(service: dict[str, Any]) -> bytes:
    text = json.dumps(service, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class SchemaCache:
    """Digests of services that passed schema validation, so a feed that changes a few services
    re-validates only those. Kept in a small binary file tagged with the schema's hash."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else None
        self.digests: set[bytes] = set()
        if self.path is not None:
            self._load()

    def _load(self) -> None:
        try:
            data = self.path.read_bytes()
        except OSError:
            return
        tag = _schema_tag()
        if not data.startswith(tag) or (len(data) - len(tag)) % 16:
            return
        self.digests = {data[i:i + 16] for i in range(len(tag), len(data), 16)}

    def replace(self, digests: Iterable[bytes]) -> None:
        self.digests = set(digests)
        if self.path is None:
            return
        try:
            write_atomic(self.path, _schema_tag() + b"".join(sorted(self.digests)))
        except OSError:
            pass  # a cache: losing it costs time, never correctness


def _error_text(error) -> str:
    return error.message if len(error.message) <= 160 else error.message[:157] + "..."


def validate_schema(doc: dict[str, Any], cache: SchemaCache | None = None,
                    findings: Findings | None = None) -> Findings:
    """Every service against HSDS service.json, every category against its taxonomy_term: one
    error per record that fails (its first problem)."""
    findings = findings if findings is not None else Findings()
    # jsonschema (seconds to import) only words the errors: built when a record fails, so that
    # a process that verifies one good feed (kiosk.buildproc's child) never imports it
    passes = fast_service_check()
    digests = []
    failed = False
    for service in doc["services"]:
        digest = service_digest(service) if cache is not None else None
        if digest is not None and digest in cache.digests:
            digests.append(digest)
            continue
        error = None if passes(service) else next(iter(service_validator().iter_errors(service)), None)
        if error is not None:
            findings.error("hsds", record_of("service", service), _where(error), detail=_error_text(error))
            failed = True
        elif digest is not None:
            digests.append(digest)
    term_passes = fast_term_check()
    for term in doc["taxonomy_terms"]:
        error = None if term_passes(term) else next(iter(term_validator().iter_errors(term)), None)
        if error is not None:
            findings.error("hsds", record_of("category", term), _where(error), detail=_error_text(error))
    if cache is not None and not failed:
        cache.replace(digests)
    return findings


def _where(error) -> str:
    out = ""
    for p in error.absolute_path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out

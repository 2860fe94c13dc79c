"""The HSDS schema step of verification: every service against the vendored ``service.json``.

jsonschema Draft 2020-12 with format checks costs about 0.5 ms per service, so a
:class:`SchemaCache` remembers the digests of services that already passed and only new or
changed services are validated again.
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
    validator = service_validator()
    digests = []
    failed = False
    for service in doc["services"]:
        digest = service_digest(service) if cache is not None else None
        if digest is not None and digest in cache.digests:
            digests.append(digest)
            continue
        error = next(iter(validator.iter_errors(service)), None)
        if error is not None:
            findings.error("hsds", record_of("service", service), _where(error), detail=_error_text(error))
            failed = True
        elif digest is not None:
            digests.append(digest)
    tv = term_validator()
    for term in doc["taxonomy_terms"]:
        error = next(iter(tv.iter_errors(term)), None)
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

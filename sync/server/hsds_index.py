"""The published catalogue, indexed once per feed version, for the HSDS API and the public pages
(both read the *published* feed, never unpublished edits)."""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from fastapi import Request

from sync.feed import document as feedmod
from sync.server.web import state


#: An RFC 3339 date-time (openapi.json's ``format: date-time``), the form ``modified_after`` takes.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text or "").lower() if not unicodedata.combining(c))


class Index:
    """The current feed, indexed for the API and the pages."""

    def __init__(self, doc: dict[str, Any] | None):
        self.doc = doc or {"services": [], "taxonomy_terms": [], "version": 0}
        self.version = self.doc.get("version", 0)
        self.services = {s["id"]: s for s in self.doc["services"]}
        self.terms = {t["id"]: t for t in self.doc.get("taxonomy_terms") or []}
        self.taxonomy = self.doc.get("taxonomy")
        self.organizations: dict[str, dict[str, Any]] = {}
        self.org_services: dict[str, list[dict[str, Any]]] = {}
        self.sals: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        self.text: dict[str, str] = {}
        for svc in self.doc["services"]:
            org = svc.get("organization")
            if org:
                self.organizations.setdefault(org["id"], org)
                self.org_services.setdefault(org["id"], []).append(svc)
            for sal in svc.get("service_at_locations") or []:
                self.sals[sal["id"]] = (sal, svc)
            bits = [svc.get("name"), svc.get("alternate_name"), svc.get("description"), (org or {}).get("name")]
            for lang in (svc.get(feedmod.TRANSLATIONS_KEY) or {}).values():
                bits += [lang.get("name"), lang.get("description")]
            self.text[svc["id"]] = fold(" ".join(b for b in bits if isinstance(b, str)))

    def search(self, q: str) -> list[str]:
        words = fold(q).split()
        return [sid for sid, text in self.text.items() if all(w in text for w in words)]


_index_cache: dict[int, tuple[str, Index]] = {}


def index(request: Request) -> Index:
    files = state(request).feed_files
    item = files.get("feed.json")
    key = id(files)
    cached = _index_cache.get(key)
    if item is None:
        return Index(None)
    if cached and cached[0] == item.etag:
        return cached[1]
    idx = Index(files.document())
    _index_cache[key] = (item.etag, idx)
    return idx


class BadRequest(Exception):
    def __init__(self, message: str):
        self.message = message


def public_lang(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in ("sq", "en"):
        return asked
    accept = request.headers.get("accept-language", "").lower()
    langs = [part.split(";")[0].strip()[:2] for part in accept.split(",") if part.strip()]
    if "sq" in langs:
        return "sq"
    return "en" if "en" in langs else "sq"


def filtered_services(request: Request, idx: Index) -> list[dict[str, Any]]:
    q = request.query_params.get("search") or request.query_params.get("q") or ""
    ids = idx.search(q) if q.strip() else list(idx.services)
    services = [idx.services[i] for i in ids]
    term = request.query_params.get("taxonomy_term_id") or request.query_params.get("category")
    if term:
        wanted = {term} | {t for t, v in idx.terms.items() if v.get("parent_id") == term}
        services = [s for s in services if any(a.get("taxonomy_term_id") in wanted for a in s.get("attributes") or [])]
    tax = request.query_params.get("taxonomy_id")
    if tax:
        services = [s for s in services
                    if any((idx.terms.get(a.get("taxonomy_term_id")) or {}).get("taxonomy_id") == tax
                           for a in s.get("attributes") or [])]
    org = request.query_params.get("organization_id")
    if org:
        services = [s for s in services if s.get("organization_id") == org
                    or (s.get("organization") or {}).get("id") == org]
    after = request.query_params.get("modified_after")
    if after is not None:
        try:
            if not RFC3339.match(after):
                raise ValueError(after)
            moment = feedmod.parse_timestamp(after.upper().replace(" ", "T"))
        except ValueError:
            raise BadRequest("modified_after must be a date-time") from None
        services = [s for s in services
                    if s.get("last_modified") and feedmod.parse_timestamp(s["last_modified"]) >= moment]
    return sorted(services, key=lambda s: fold(s.get("name", "")))


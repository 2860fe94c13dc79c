"""The HSDS 3.0 read API of the published catalogue (openapi.json's paths, pages and ``?format=
ndjson``); a browser asking for ``/``, ``/services`` or ``/services/{id}`` gets the public page."""
from __future__ import annotations

import hashlib
import json
import math
from typing import Any, Iterator

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from sync.feed import document as feedmod
from sync.server import public_pages
from sync.server.openapi_doc import MAX_PER_PAGE, served_document
from sync.server.hsds_index import BadRequest, Index, filtered_services, fold, index
from sync.server.web import wants_html

router = APIRouter()


DEFAULT_PER_PAGE = 50
BOOLEANS = {"true": True, "false": False}


def _int_param(request: Request, name: str, default: int, low: int, high: int | None) -> int:
    """An integer as openapi.json documents it (``high`` None: no upper bound); given empty, it
    is not one."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number") from None
    if value < low or (high is not None and value > high):
        raise BadRequest(f"{name} must be from {low} to {high}" if high is not None else f"{name} must be {low} or more")
    return value


def _bool_param(request: Request, name: str) -> bool:
    """A boolean as openapi.json documents it: ``true`` or ``false`` (absent: false)."""
    raw = request.query_params.get(name)
    if raw is None:
        return False
    if raw.lower() not in BOOLEANS:
        raise BadRequest(f"{name} must be true or false")
    return BOOLEANS[raw.lower()]


def _format(request: Request) -> str:
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "ndjson"):
        raise BadRequest("format must be json or ndjson")
    return fmt


def json_response(request: Request, data: Any, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept", "Access-Control-Allow-Origin": "*"}
    if status == 200 and request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def error_json(request: Request, status: int, message: str) -> Response:
    return json_response(request, {"error": message}, status)


def paged(request: Request, items: list[Any], render_item) -> Response:  # noqa: ANN001
    """An HSDS page (openapi.json's Page schema) of ``items``; ``?format=ndjson`` streams all."""
    per_page = _int_param(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    page = _int_param(request, "page", 1, 1, None)
    if _format(request) == "ndjson":
        def lines() -> Iterator[bytes]:
            for item in items:
                yield json.dumps(render_item(item), ensure_ascii=False).encode("utf-8") + b"\n"
        return StreamingResponse(lines(), media_type="application/x-ndjson",
                                 headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache"})
    total = len(items)
    pages = math.ceil(total / per_page) if total else 0
    chunk = items[(page - 1) * per_page: page * per_page]
    return json_response(request, {
        "total_items": total, "total_pages": pages, "page_number": page, "size": len(chunk),
        "first_page": page == 1, "last_page": page >= pages, "empty": len(chunk) == 0,
        "contents": [render_item(i) for i in chunk]})


def one_to_one(obj: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """An HSDS object without its lists and nested objects (translations and ``keep`` stay)."""
    return {k: v for k, v in obj.items()
            if k in keep or k == feedmod.TRANSLATIONS_KEY or not isinstance(v, (list, dict))}


def service_summary(svc: dict[str, Any]) -> dict[str, Any]:
    out = one_to_one(svc)
    if isinstance(svc.get("organization"), dict):
        out["organization"] = one_to_one(svc["organization"])
    return out


def organization_full(idx: Index, org: dict[str, Any], full_services: bool) -> dict[str, Any]:
    out = dict(org)
    services = idx.org_services.get(org["id"], [])
    out["services"] = [({k: v for k, v in s.items() if k != "organization"} if full_services else
                        {"id": s["id"], "name": s["name"], "status": s.get("status", "active"),
                         "organization_id": org["id"]}) for s in services]
    return out




@router.get("/")
def root(request: Request) -> Response:
    if wants_html(request):
        return public_pages.public_home(request)
    base = str(request.base_url).rstrip("/")
    return json_response(request, {"version": "3.0", "profile": "https://docs.openreferral.org/en/latest/hsds/",
                                   "openapi_url": f"{base}/openapi.json"})


@router.get("/openapi.json")
def openapi(request: Request) -> Response:
    """The HSDS OpenAPI document with every reference resolved to our own copies (openapi_doc)."""
    return Response(served_document(), media_type="application/json",
                    headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=3600"})


@router.get("/services")
def services(request: Request) -> Response:
    idx = index(request)
    try:
        if wants_html(request):
            return public_pages.public_list(request, idx)
        items = filtered_services(request, idx)
        if _bool_param(request, "minimal"):
            return paged(request, items, lambda s: {"id": s["id"], "name": s["name"], "status": s.get("status"),
                                                    **({"last_modified": s["last_modified"]}
                                                       if s.get("last_modified") else {})})
        full = _bool_param(request, "full")
        return paged(request, items, (lambda s: s) if full else service_summary)
    except BadRequest as exc:
        return error_json(request, 400, exc.message)


@router.get("/services/{service_id}")
def service(request: Request, service_id: str) -> Response:
    idx = index(request)
    svc = idx.services.get(service_id)
    if wants_html(request):
        return public_pages.public_service(request, svc)
    if svc is None:
        return error_json(request, 404, "no such service")
    return json_response(request, svc)


@router.get("/organizations")
def organizations(request: Request) -> Response:
    idx = index(request)
    try:
        items = sorted(idx.organizations.values(), key=lambda o: fold(o.get("name", "")))
        q = request.query_params.get("search")
        if q:
            words = fold(q).split()
            items = [o for o in items if all(w in fold(o.get("name", "") + " " + o.get("description", ""))
                                             for w in words)]
        full, full_services = _bool_param(request, "full"), _bool_param(request, "full_service")
        return paged(request, items, lambda o: organization_full(idx, o, full_services) if (full or full_services)
                     else one_to_one(o))
    except BadRequest as exc:
        return error_json(request, 400, exc.message)


@router.get("/organizations/{org_id}")
def organization(request: Request, org_id: str) -> Response:
    idx = index(request)
    org = idx.organizations.get(org_id)
    if wants_html(request):
        return public_pages.public_organization(request, idx, org)
    if org is None:
        return error_json(request, 404, "no such organization")
    try:
        return json_response(request, organization_full(idx, org, _bool_param(request, "full_service")))
    except BadRequest as exc:
        return error_json(request, 400, exc.message)


@router.get("/taxonomy_terms")
def taxonomy_terms(request: Request) -> Response:
    idx = index(request)
    try:
        items = list(idx.terms.values())
        if request.query_params.get("taxonomy_id"):
            items = [t for t in items if t.get("taxonomy_id") == request.query_params["taxonomy_id"]]
        if request.query_params.get("parent_id"):
            items = [t for t in items if t.get("parent_id") == request.query_params["parent_id"]]
        if _bool_param(request, "top_only"):
            items = [t for t in items if not t.get("parent_id")]
        q = request.query_params.get("search")
        if q:
            items = [t for t in items if all(w in fold(t.get("name", "") + " " + t.get("description", ""))
                                             for w in fold(q).split())]
        return paged(request, items, lambda t: t)
    except BadRequest as exc:
        return error_json(request, 400, exc.message)


@router.get("/taxonomy_terms/{term_id}")
def taxonomy_term(request: Request, term_id: str) -> Response:
    term = index(request).terms.get(term_id)
    if term is None:
        return error_json(request, 404, "no such taxonomy term")
    return json_response(request, term)


@router.get("/taxonomies")
def taxonomies(request: Request) -> Response:
    idx = index(request)
    try:
        return paged(request, [idx.taxonomy] if idx.taxonomy else [], lambda t: t)
    except BadRequest as exc:
        return error_json(request, 400, exc.message)


@router.get("/taxonomies/{taxonomy_id}")
def taxonomy(request: Request, taxonomy_id: str) -> Response:
    idx = index(request)
    if not idx.taxonomy or idx.taxonomy.get("id") != taxonomy_id:
        return error_json(request, 404, "no such taxonomy")
    return json_response(request, idx.taxonomy)


@router.get("/service_at_locations")
def service_at_locations(request: Request) -> Response:
    idx = index(request)
    try:
        wanted = {s["id"] for s in filtered_services(request, idx)}
        items = [(sal, svc) for sal, svc in idx.sals.values() if svc["id"] in wanted]
        full = _bool_param(request, "full")

        def item(pair: tuple[dict, dict]) -> dict[str, Any]:
            sal, svc = pair
            if full:
                return dict(sal, service=one_to_one(svc))
            return one_to_one(sal)
        return paged(request, items, item)
    except BadRequest as exc:
        return error_json(request, 400, exc.message)


@router.get("/service_at_locations/{sal_id}")
def service_at_location(request: Request, sal_id: str) -> Response:
    pair = index(request).sals.get(sal_id)
    if pair is None:
        return error_json(request, 404, "no such service_at_location")
    sal, svc = pair
    return json_response(request, dict(sal, service=one_to_one(svc)))





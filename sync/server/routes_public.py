"""What the server gives without a login: the signed feed, the kiosks' heartbeat endpoint, the
HSDS 3.0 read API, and the public service pages that the kiosks' QR codes open.

``/``, ``/services`` and ``/services/{id}`` are both API and pages: a browser (``Accept:
text/html``) gets the page, anything else the HSDS JSON (``?format=json`` / ``?format=html``
force either). Everything here is read from the *published* feed, never from unpublished edits.
"""
from __future__ import annotations

import hashlib
import json
import math
import unicodedata
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Any, Iterator

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from sqlalchemy import select

from sync.feed import document as feedmod
from sync.feed import verify as verifymod
from sync.server import heartbeat as heartbeats, present
from sync.server.models import Kiosk, utcnow
from sync.server.security import token_digest
from sync.server.web import client_ip, render, state, wants_html

router = APIRouter()

HSDS_OPENAPI = Path(__file__).resolve().parents[1] / "feed" / "hsds" / "openapi.json"
ICONS_DIR = Path(__file__).resolve().parents[2] / "assets" / "icons"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 1000


# ------------------------------------------------------------------------------- the feed


def _accepts_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").split(","):
        bits = [b.strip() for b in part.split(";")]
        if bits[0].lower() in ("gzip", "x-gzip", "*"):
            q = next((b[2:] for b in bits[1:] if b.startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def _not_modified(request: Request, etag: str, mtime: float) -> bool:
    inm = request.headers.get("if-none-match")
    if inm is not None:
        wanted = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in wanted or etag in wanted
    ims = request.headers.get("if-modified-since")
    if ims:
        try:
            return int(mtime) <= parsedate_to_datetime(ims).timestamp()
        except (TypeError, ValueError, IndexError):
            return False
    return False


FEED_FILES = {"feed.json": "application/json; charset=utf-8", "feed.json.gz": "application/gzip",
              "feed.json.sig": "text/plain; charset=utf-8", "pubkey": "text/plain; charset=utf-8"}


@router.api_route("/feed/{name}", methods=["GET", "HEAD"])
def feed_file(request: Request, name: str) -> Response:
    """The signed feed as ``kiosk-feed build`` wrote it. Kiosks revalidate (no-cache) with the
    ETag (SHA-256 of the bytes) and get 304 when nothing changed."""
    if name not in FEED_FILES:
        return Response("Not found\n", status_code=404, media_type="text/plain")
    files = state(request).feed_files
    item = files.get(name)
    if item is None:
        return Response("Nothing has been published yet\n", status_code=404, media_type="text/plain")
    headers = {"Cache-Control": "no-cache", "Last-Modified": formatdate(item.mtime, usegmt=True),
               "X-Content-Type-Options": "nosniff", "Access-Control-Allow-Origin": "*"}
    body, etag = item.data, item.etag
    if name == "feed.json":
        headers["Vary"] = "Accept-Encoding"
        gz = files.get("feed.json.gz") if _accepts_gzip(request) else None
        if gz is not None:
            body, etag = gz.data, item.etag[:-1] + '-gzip"'
            headers["Content-Encoding"] = "gzip"
    headers["ETag"] = etag
    if _not_modified(request, etag, item.mtime) or (
            name == "feed.json" and _not_modified(request, item.etag, item.mtime)):
        return Response(status_code=304, headers=headers)
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(status_code=200, headers=headers, media_type=FEED_FILES[name])
    return Response(body, headers=headers, media_type=FEED_FILES[name])


@router.get("/feed/assets/{sha}")
def feed_asset(request: Request, sha: str) -> Response:
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        return Response("Not found\n", status_code=404, media_type="text/plain")
    path = state(request).config.feed_dir / "assets" / sha
    if not path.is_file():
        return Response("Not found\n", status_code=404, media_type="text/plain")
    return FileResponse(path, media_type="application/octet-stream",
                        headers={"Cache-Control": "public, max-age=31536000, immutable", "ETag": f'"{sha}"'})


# ------------------------------------------------------------------------------- heartbeats


def _unauthorized(message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=401, headers={"WWW-Authenticate": "Bearer"})


@router.post("/api/heartbeat")
async def heartbeat(request: Request) -> Response:
    """A kiosk's "alive and current": ``Authorization: Bearer <its token>`` and a JSON body
    (see :mod:`sync.server.heartbeat`). The token is good for nothing else."""
    auth = request.headers.get("authorization", "")
    if not auth[:7].lower() == "bearer " or len(auth) > 300:
        return _unauthorized("a kiosk token is required")
    token = auth[7:].strip()
    st = state(request)
    with st.db.session() as db:
        if db.scalar(select(Kiosk.id).where(Kiosk.token_sha256 == token_digest(token),
                                            Kiosk.revoked_at.is_(None))) is None:
            return _unauthorized("unknown or revoked kiosk token")
    body = await request.body()  # at most middleware.HEARTBEAT bytes
    try:
        beat, payload = heartbeats.parse(body)
    except heartbeats.BadHeartbeat as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    with st.db.session() as db:
        kiosk = db.scalar(select(Kiosk).where(Kiosk.token_sha256 == token_digest(token)))
        kiosk.last_seen_at = utcnow()
        kiosk.last_ip = client_ip(request)
        kiosk.reported_id, kiosk.app_version = beat.kiosk_id, beat.app_version
        kiosk.catalogue_version, kiosk.last_sync = beat.catalogue_version, beat.last_sync
        kiosk.printer_state = beat.printer_state if beat.printer_state is not None else beat.printer
        kiosk.uptime_seconds = beat.uptime_reported
        kiosk.last_outcome, kiosk.last_error = beat.last_outcome, beat.last_error
        kiosk.last_payload = payload
        kiosk.heartbeats = (kiosk.heartbeats or 0) + 1
        name = kiosk.name
    current = st.feed_files.document()
    return JSONResponse({"ok": True, "kiosk": name, "published_version": current["version"] if current else None})


# ------------------------------------------------------------------------------- the published catalogue


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


# ------------------------------------------------------------------------------- HSDS API helpers


class BadRequest(Exception):
    def __init__(self, message: str):
        self.message = message


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number") from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be from {low} to {high}")
    return value


def _bool_param(request: Request, name: str) -> bool:
    return (request.query_params.get(name) or "").lower() in ("1", "true", "yes")


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
    if request.query_params.get("format") == "ndjson":
        def lines() -> Iterator[bytes]:
            for item in items:
                yield json.dumps(render_item(item), ensure_ascii=False).encode("utf-8") + b"\n"
        return StreamingResponse(lines(), media_type="application/x-ndjson",
                                 headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache"})
    per_page = _int_param(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    page = _int_param(request, "page", 1, 1, 10**6)
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


# ------------------------------------------------------------------------------- HSDS API + pages


def _lang(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in ("sq", "en"):
        return asked
    accept = request.headers.get("accept-language", "").lower()
    langs = [part.split(";")[0].strip()[:2] for part in accept.split(",") if part.strip()]
    if "sq" in langs:
        return "sq"
    return "en" if "en" in langs else "sq"


@router.get("/")
def root(request: Request) -> Response:
    if wants_html(request):
        return public_home(request)
    base = str(request.base_url).rstrip("/")
    return json_response(request, {"version": "3.0", "profile": "https://docs.openreferral.org/en/latest/hsds/",
                                   "openapi_url": f"{base}/openapi.json"})


@router.get("/openapi.json")
def openapi(request: Request) -> Response:
    return FileResponse(HSDS_OPENAPI, media_type="application/json", headers={"Access-Control-Allow-Origin": "*"})


def _filtered_services(request: Request, idx: Index) -> list[dict[str, Any]]:
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
    if after:
        try:
            moment = feedmod.parse_timestamp(after)
        except ValueError:
            raise BadRequest("modified_after must be a date-time") from None
        services = [s for s in services
                    if s.get("last_modified") and feedmod.parse_timestamp(s["last_modified"]) >= moment]
    return sorted(services, key=lambda s: fold(s.get("name", "")))


@router.get("/services")
def services(request: Request) -> Response:
    idx = index(request)
    try:
        if wants_html(request):
            return public_list(request, idx)
        items = _filtered_services(request, idx)
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
        return public_service(request, svc)
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
        return public_organization(request, idx, org)
    if org is None:
        return error_json(request, 404, "no such organization")
    return json_response(request, organization_full(idx, org, _bool_param(request, "full_service")))


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
        wanted = {s["id"] for s in _filtered_services(request, idx)}
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


@router.get("/healthz")
def healthz(request: Request) -> Response:
    idx = index(request)
    return JSONResponse({"ok": True, "published_version": idx.version or None})


# ------------------------------------------------------------------------------- public pages


def _public(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> Response:
    lang = _lang(request)
    from sync.server import i18n

    resp = render(request, name, {"lang": lang, "_": i18n.translator(lang), "plang": lang,
                                  "other_lang": "en" if lang == "sq" else "sq", **ctx}, status=status, public=True)
    resp.headers["Cache-Control"] = "public, max-age=60"
    resp.headers["Vary"] = "Accept, Accept-Language"
    return resp


def public_home(request: Request) -> Response:
    idx = index(request)
    lang = _lang(request)
    top = sorted([t for t in idx.terms.values() if not t.get("parent_id")], key=lambda t: (t.get("x_order") or 0))
    counts: dict[str, int] = {}
    for svc in idx.services.values():
        for a in svc.get("attributes") or []:
            tid = a.get("taxonomy_term_id")
            counts[tid] = counts.get(tid, 0) + 1
            parent = (idx.terms.get(tid) or {}).get("parent_id")
            if parent:
                counts[parent] = counts.get(parent, 0) + 1
    cats = [{"id": t["id"], "name": present.tr(t, "name", lang), "icon": t.get("x_icon") or "category",
             "count": counts.get(t["id"], 0)} for t in top]
    return _public(request, "public_home.html", {"cats": cats, "version": idx.version,
                                                 "has_icons": ICONS_DIR.is_dir()})


def public_list(request: Request, idx: Index) -> Response:
    lang = _lang(request)
    items = _filtered_services(request, idx)
    term = request.query_params.get("category") or request.query_params.get("taxonomy_term_id") or ""
    rows = [{"id": s["id"], "name": present.tr(s, "name", lang),
             "org": present.tr(s.get("organization") or {}, "name", lang),
             "status": s.get("status", "active")} for s in items[:500]]
    return _public(request, "public_list.html", {
        "rows": rows, "q": request.query_params.get("q") or request.query_params.get("search") or "",
        "category": present.tr(idx.terms.get(term) or {}, "name", lang) if term else "", "category_id": term})


def public_service(request: Request, svc: dict[str, Any] | None) -> Response:
    lang = _lang(request)
    if svc is None:
        return _public(request, "public_missing.html", {}, status=404)
    view = present.service_view(svc, lang)
    return _public(request, "public_service.html", {"svc": view, "mailto": present.mailto})


def public_organization(request: Request, idx: Index, org: dict[str, Any] | None) -> Response:
    lang = _lang(request)
    if org is None:
        return _public(request, "public_missing.html", {}, status=404)
    view = {"name": present.tr(org, "name", lang), "description": present.tr(org, "description", lang),
            "phones": present.phones(org.get("phones"), lang), "email": org.get("email") or "",
            "website": org.get("website") or "", "demo": bool(org.get("x_demo"))}
    services = sorted(({"id": s["id"], "name": present.tr(s, "name", lang)}
                       for s in idx.org_services.get(org["id"], [])), key=lambda s: fold(s["name"]))
    return _public(request, "public_organization.html", {"org": view, "services": services, "mailto": present.mailto})


@router.get("/static/icons/{name}.png")
def icon(name: str) -> Response:
    path = ICONS_DIR / f"{name}.png"
    if not (len(name) <= 64 and verifymod.ICON_RE.match(name)) or not path.is_file():
        path = ICONS_DIR / "category.png"
        if not path.is_file():
            return Response(status_code=404)
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "public, max-age=86400"})

"""The public service pages that the kiosks' QR codes open (no login, no cookie), and the
category icons they show. ``/``, ``/services`` and ``/services/{id}`` answer a browser with
these pages and anything else with the HSDS JSON (:mod:`sync.server.routes_hsds`)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from sync.feed import verify as verifymod
from sync.server import i18n, present
from sync.server.hsds_index import Index, filtered_services, fold, index, public_lang
from sync.server.web import render

router = APIRouter()


ICONS_DIR = Path(__file__).resolve().parents[2] / "assets" / "icons"


def _public(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> Response:
    lang = public_lang(request)
    resp = render(request, name, {"lang": lang, "_": i18n.translator(lang), "plang": lang,
                                  "other_lang": "en" if lang == "sq" else "sq", **ctx}, status=status, public=True)
    resp.headers["Cache-Control"] = "public, max-age=60"
    resp.headers["Vary"] = "Accept, Accept-Language"
    return resp


def public_home(request: Request) -> Response:
    idx = index(request)
    lang = public_lang(request)
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
    lang = public_lang(request)
    items = filtered_services(request, idx)
    term = request.query_params.get("category") or request.query_params.get("taxonomy_term_id") or ""
    rows = [{"id": s["id"], "name": present.tr(s, "name", lang),
             "org": present.tr(s.get("organization") or {}, "name", lang),
             "status": s.get("status", "active")} for s in items[:500]]
    return _public(request, "public_list.html", {
        "rows": rows, "q": request.query_params.get("q") or request.query_params.get("search") or "",
        "category": present.tr(idx.terms.get(term) or {}, "name", lang) if term else "", "category_id": term})


def public_service(request: Request, svc: dict[str, Any] | None) -> Response:
    lang = public_lang(request)
    if svc is None:
        return _public(request, "public_missing.html", {}, status=404)
    view = present.service_view(svc, lang)
    return _public(request, "public_service.html", {"svc": view, "mailto": present.mailto})


def public_organization(request: Request, idx: Index, org: dict[str, Any] | None) -> Response:
    lang = public_lang(request)
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


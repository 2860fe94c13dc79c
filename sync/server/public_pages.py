"""The public service pages that the kiosks' QR codes open (no login, no cookie), and the
category icons they show. ``/``, ``/services`` and ``/services/{id}`` answer a browser with
these pages and anything else with the HSDS JSON (:mod:`sync.server.routes_hsds`)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from sync.feed import verify as verifymod
from sync.server import danger, i18n, present
from sync.server.hsds_index import Index, filtered_services, fold, index, public_lang
from sync.server.web import render

router = APIRouter()


ICONS_DIR = Path(__file__).resolve().parents[2] / "assets" / "icons"
#: Where "Quick exit" goes: a page anyone may be seen reading (the weather in Elbasan), in the
#: visitor's language (the GOV.UK "Exit this page" component sends people to BBC Weather).
QUICK_EXIT = {"sq": "https://www.google.com/search?q=moti+Elbasan&hl=sq",
              "en": "https://www.google.com/search?q=weather+Elbasan&hl=en"}
#: The title of a sensitive service whose staff gave no neutral one (the kiosk's own default).
DEFAULT_NEUTRAL = "Counselling"
#: The icon of a category that has none, and of a sensitive one.
NEUTRAL_ICON = "category"


def _public(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> Response:
    lang = public_lang(request)
    discreet = bool(ctx.get("quick_exit"))
    resp = render(request, name, {"lang": lang, "_": i18n.translator(lang), "plang": lang,
                                  "other_lang": "en" if lang == "sq" else "sq", **ctx}, status=status, public=True)
    # A page a visitor must not be seen reading stays out of shared caches, the browser's cache
    # and search engines.
    resp.headers["Cache-Control"] = "no-store" if discreet else "public, max-age=60"
    if discreet:
        resp.headers["X-Robots-Tag"] = "noindex, nofollow"
    resp.headers["Vary"] = "Accept, Accept-Language"
    return resp


def _exit(lang: str) -> str:
    return QUICK_EXIT.get(lang, QUICK_EXIT["sq"])


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
    cats = [{"id": t["id"], **_face(t, idx, lang), "count": counts.get(t["id"], 0)} for t in top]
    return _public(request, "public_home.html", {"cats": cats, "version": idx.version,
                                                 "has_icons": ICONS_DIR.is_dir()})


def _face(term: dict[str, Any], idx: Index, lang: str) -> dict[str, str]:
    """A category's name and icon on the home page: a sensitive one shows its neutral title and
    the plain icon, as its own list page does (someone may be looking over the visitor's shoulder)."""
    hidden, title = danger.discretion({"attributes": [{"taxonomy_term_id": term["id"]}]}, idx.terms, lang)
    if hidden:
        return {"name": title or i18n.translate(DEFAULT_NEUTRAL, lang), "icon": NEUTRAL_ICON}
    return {"name": present.tr(term, "name", lang), "icon": term.get("x_icon") or NEUTRAL_ICON}


def public_list(request: Request, idx: Index) -> Response:
    lang = public_lang(request)
    items = filtered_services(request, idx)
    term = request.query_params.get("category") or request.query_params.get("taxonomy_term_id") or ""
    rows = [{"id": s["id"], "name": present.tr(s, "name", lang),
             "org": present.tr(s.get("organization") or {}, "name", lang),
             "status": s.get("status", "active")} for s in items[:500]]
    category = present.tr(idx.terms.get(term) or {}, "name", lang) if term else ""
    # A sensitive category's list is titled with its neutral title; any sensitive service listed
    # brings the quick exit.
    hidden, title = danger.discretion({"attributes": [{"taxonomy_term_id": term}]}, idx.terms, lang) if term \
        else (False, "")
    if hidden:
        category = title or i18n.translate(DEFAULT_NEUTRAL, lang)
    listed_sensitive = hidden or any(danger.discretion(s, idx.terms, lang)[0] for s in items[:500])
    return _public(request, "public_list.html", {
        "rows": rows, "q": request.query_params.get("q") or request.query_params.get("search") or "",
        "category": category, "category_id": term, "quick_exit": _exit(lang) if listed_sensitive else ""})


def public_service(request: Request, svc: dict[str, Any] | None) -> Response:
    lang = public_lang(request)
    if svc is None:
        return _public(request, "public_missing.html", {}, status=404)
    view = present.service_view(svc, lang)
    sensitive, title = danger.discretion(svc, index(request).terms, lang)
    return _public(request, "public_service.html", {
        "svc": view, "mailto": present.mailto, "discreet": sensitive,
        "neutral": (title or i18n.translate(DEFAULT_NEUTRAL, lang)) if sensitive else "",
        "quick_exit": _exit(lang) if sensitive else ""})


def public_organization(request: Request, idx: Index, org: dict[str, Any] | None) -> Response:
    lang = public_lang(request)
    if org is None:
        return _public(request, "public_missing.html", {}, status=404)
    view = {"name": present.tr(org, "name", lang), "description": present.tr(org, "description", lang),
            "phones": present.phones(org.get("phones"), lang), "email": org.get("email") or "",
            "website": org.get("website") or "", "demo": bool(org.get("x_demo"))}
    offered = idx.org_services.get(org["id"], [])
    services = sorted(({"id": s["id"], "name": present.tr(s, "name", lang)} for s in offered),
                      key=lambda s: fold(s["name"]))
    sensitive = any(danger.discretion(s, idx.terms, lang)[0] for s in offered)
    return _public(request, "public_organization.html", {"org": view, "services": services, "mailto": present.mailto,
                                                         "quick_exit": _exit(lang) if sensitive else ""})


@router.get("/static/icons/{name}.png")
def icon(name: str) -> Response:
    path = ICONS_DIR / f"{name}.png"
    if not (len(name) <= 64 and verifymod.ICON_RE.match(name)) or not path.is_file():
        path = ICONS_DIR / "category.png"
        if not path.is_file():
            return Response(status_code=404)
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "public, max-age=86400"})


"""Staff pages that edit the catalogue: services, organizations, locations, categories, review."""
from __future__ import annotations

import copy
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from sync.feed import document as feedmod
from sync.feed import verify as verifymod
from sync.server import catalogue, forms, present, publishing
from sync.server.catalogue import CatalogueError
from sync.server.models import (
    Category,
    FeedVersion,
    Kiosk,
    Location,
    Organization,
    Service,
    ServiceCategory,
    ServiceLocation,
)
from sync.server.routes_auth import actor_of
from sync.server.web import RowId, checked_form, flash, page_number, redirect, render, require_user, state
from sync.publish.sources import LANGUAGE_NAMES

router = APIRouter(prefix="/admin")
PAGE = 50
ICONS_DIR = Path(__file__).resolve().parents[2] / "assets" / "icons"
UI_ICONS = {"accessible", "back", "backspace", "bus", "check", "clock", "close", "contact", "contrast",
            "directions", "document", "email", "home", "information", "language", "location", "lock",
            "open-now", "organization", "phone", "print", "qr", "search", "space", "sync", "text-size", "touch",
            "warning", "website"}


def icon_names() -> list[str]:
    if not ICONS_DIR.is_dir():
        return []
    return sorted(p.stem for p in ICONS_DIR.glob("*.png") if p.stem not in UI_ICONS)


def revision_of(row: Any) -> str:
    return row.updated_at.isoformat() if row is not None and row.updated_at else ""


def stale_revision(form: Any, row: Any) -> bool:
    submitted = str(form.get("revision") or "")
    return row is not None and bool(submitted) and submitted != revision_of(row)


def check_service(db: Session, doc: dict[str, Any]) -> str | None:
    """The kiosks' own checks on one service as it would be published; None when it passes."""
    terms = [row.doc for row, _d in catalogue.categories_tree(db)]
    orgs = {o.id: o.doc for o in db.scalars(select(Organization).where(Organization.id == doc.get("organization_id")))}
    loc_ids = [s.get("location_id") for s in doc.get("service_at_locations") or []]
    locs = {loc.id: loc.doc for loc in db.scalars(select(Location).where(Location.id.in_(loc_ids)))}
    nested = catalogue.assemble_service(doc, orgs, locs, {t["id"]: t for t in terms})
    from sync.publish.build import normalize

    mini = normalize(feedmod.new_document([nested], terms, version=1))
    try:
        verifymod.check_content(mini)
    except feedmod.FeedError as exc:
        return exc.detail or exc.code
    return None


# ------------------------------------------------------------------------------- dashboard


@router.get("")
def dashboard(request: Request) -> Response:
    user = require_user(request)
    st = state(request)
    cfg = st.config
    with st.db.session() as db:
        counts = {name: db.scalar(select(func.count()).select_from(model)) for name, model in
                  (("services", Service), ("organizations", Organization), ("locations", Location),
                   ("categories", Category))}
        latest = publishing.current(db)
        draft_hash = catalogue.assemble(db).content_hash() if counts["services"] else ""
        review = review_query(db, cfg.review_months, count=True)
        kiosks = list(db.scalars(select(Kiosk).where(Kiosk.revoked_at.is_(None))))
    silent = [k for k in kiosks if is_silent(k, cfg.silent_minutes)]
    return render(request, "dashboard.html", {
        "counts": counts, "latest": latest, "unpublished": bool(draft_hash) and (
            latest is None or latest.content_sha256 != draft_hash),
        "review_count": review, "kiosk_count": len(kiosks), "silent": silent, "user": user})


def is_silent(kiosk: Kiosk, minutes: int) -> bool:
    from sync.server.models import utcnow

    return kiosk.last_seen_at is None or utcnow() - kiosk.last_seen_at > timedelta(minutes=minutes)


# ------------------------------------------------------------------------------- services


def _choices(db: Session) -> dict[str, Any]:
    return {
        "organizations": list(db.execute(select(Organization.id, Organization.name).order_by(Organization.name))),
        "categories": [(row.id, row.name, depth) for row, depth in catalogue.categories_tree(db)],
        "locations": list(db.execute(select(Location.id, Location.name).order_by(Location.name))),
        "languages": [(code, names) for code, names in LANGUAGE_NAMES.items()],
        "statuses": forms.STATUSES, "phone_types": forms.PHONE_TYPES, "days": forms.DAYS,
    }


@router.get("/services")
def services_list(request: Request) -> Response:
    require_user(request)
    st = state(request)
    q = (request.query_params.get("q") or "").strip()
    category = request.query_params.get("category") or ""
    org = request.query_params.get("organization") or ""
    with st.db.session() as db:
        query = select(Service, Organization.name).join(Organization, Organization.id == Service.organization_id)
        if q:
            like = f"%{q}%"
            query = query.where(or_(Service.name.ilike(like), Organization.name.ilike(like), Service.id == q))
        if category:
            query = query.where(Service.id.in_(select(ServiceCategory.service_id).where(
                ServiceCategory.category_id == category)))
        if org:
            query = query.where(Service.organization_id == org)
        total = db.scalar(select(func.count()).select_from(query.subquery()))
        page, pages = page_number(request, total, PAGE)
        rows = db.execute(query.order_by(Service.name).offset((page - 1) * PAGE).limit(PAGE)).all()
        cats = {}
        for sc, name in db.execute(select(ServiceCategory, Category.name).join(
                Category, Category.id == ServiceCategory.category_id).where(
                ServiceCategory.service_id.in_([r[0].id for r in rows]))):
            cats.setdefault(sc.service_id, []).append(name)
        choices = _choices(db)
    return render(request, "services.html", {
        "rows": rows, "cats": cats, "q": q, "category": category, "organization": org, "page": page,
        "pages": pages, "total": total, **choices})


def _service_page(request: Request, db: Session, values: dict[str, Any], errors: dict, row: Service | None,
                  status: int = 200, form_error: Any = None, revision: str = "") -> Response:
    shown = dict(values)
    choices = _choices(db)
    known = {code for code, _names in choices["languages"]}
    for lg in (row.doc.get("languages") if row else None) or []:  # languages outside the list stay choosable
        if lg.get("code") and lg["code"] not in known:
            choices["languages"].append((lg["code"], (lg.get("name") or lg["code"],
                                                      (lg.get("x_translations") or {}).get("en", {}).get("name")
                                                      or lg.get("name") or lg["code"])))
            known.add(lg["code"])
    for spec in forms.SERVICE_ROWS:
        shown[spec.name] = forms.blank_rows(spec, values[spec.name])
    return render(request, "service_form.html", {
        "values": shown, "errors": errors, "row": row, "texts": forms.SERVICE_TEXTS,
        "specs": {s.name: s for s in forms.SERVICE_ROWS}, "form_error": form_error,
        "revision": revision or revision_of(row), **choices}, status=status)


@router.get("/services/new")
def service_new(request: Request) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        values = forms.service_to_form({"status": "active", "assured_date": date.today().isoformat()})
        return _service_page(request, db, values, {}, None)


@router.get("/services/{service_id}")
def service_edit(request: Request, service_id: str) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        row = db.get(Service, service_id)
        if row is None:
            return render(request, "error.html", {"status": 404, "message": "Not found."}, status=404)
        return _service_page(request, db, forms.service_to_form(row.doc), {}, row)


@router.post("/services/new")
async def service_create(request: Request) -> Response:
    return await _service_save(request, None)


@router.post("/services/{service_id}")
async def service_update(request: Request, service_id: str) -> Response:
    return await _service_save(request, service_id)


async def _service_save(request: Request, service_id: str | None) -> Response:
    user = require_user(request)
    form = await checked_form(request)
    values = forms.service_from_post(form)
    with state(request).db.session() as db:
        row = db.get(Service, service_id) if service_id else None
        if service_id and row is None:
            return render(request, "error.html", {"status": 404, "message": "Not found."}, status=404)
        choices = _choices(db)
        errors = forms.validate_service(
            values, organizations={o[0] for o in choices["organizations"]},
            categories={c[0] for c in choices["categories"]}, locations={loc[0] for loc in choices["locations"]})
        if stale_revision(form, row):
            return _service_page(request, db, values, errors or {"_": "x"}, row, 409,
                                 "Someone else saved this service after you opened it. Copy your changes, "
                                 "reload the page and make them again.", revision=str(form.get("revision")))
        if errors:
            return _service_page(request, db, values, errors, row, 422,
                                 "Please correct the fields marked in red.", revision=str(form.get("revision") or ""))
        doc = forms.service_from_form(values, row.doc if row else None)
        problem = check_service(db, doc)
        if problem:
            return _service_page(request, db, values, {"_": "x"}, row, 422,
                                 ("The kiosks would refuse this service: {detail}", {"detail": problem}))
        try:
            saved = catalogue.save_service(db, doc, actor_of(request, user))
        except CatalogueError as exc:
            return _service_page(request, db, values, {"_": "x"}, row, 422, (exc.message, exc.params))
        sid = saved.id
    flash(request, "Saved. Publish to send the change to the kiosks.")
    return redirect(f"/admin/services/{sid}")


@router.post("/services/{service_id}/delete")
async def service_delete(request: Request, service_id: str) -> Response:
    user = require_user(request)
    await checked_form(request)
    with state(request).db.session() as db:
        try:
            catalogue.delete_service(db, service_id, actor_of(request, user))
        except CatalogueError as exc:
            flash(request, exc.message, "error", **exc.params)
            return redirect("/admin/services")
    flash(request, "Deleted.")
    return redirect("/admin/services")


@router.post("/services/{service_id}/checked")
async def service_checked(request: Request, service_id: str) -> Response:
    user = require_user(request)
    form = await checked_form(request)
    with state(request).db.session() as db:
        try:
            catalogue.mark_checked(db, service_id, actor_of(request, user))
        except CatalogueError as exc:
            flash(request, exc.message, "error", **exc.params)
    flash(request, "Marked as checked today.")
    back = str(form.get("back") or "")
    return redirect(back if back.startswith("/admin/") else "/admin/review")


@router.get("/services/{service_id}/preview")
def service_preview(request: Request, service_id: str) -> Response:
    require_user(request)
    view_lang = request.query_params.get("view", "sq")
    view_lang = view_lang if view_lang in ("sq", "en") else "sq"
    with state(request).db.session() as db:
        assembled = catalogue.assemble(db, [service_id])
    if not assembled.services:
        return render(request, "error.html", {"status": 404, "message": "Not found."}, status=404)
    view = present.service_view(assembled.services[0], view_lang)
    from sync.server import i18n

    return render(request, "preview.html", {"svc": view, "view_lang": view_lang, "service_id": service_id,
                                            "mailto": present.mailto, "tv": i18n.translator(view_lang)})


# ------------------------------------------------------------------------------- review


def review_query(db: Session, months: int, count: bool = False):
    cutoff = (date.today() - timedelta(days=round(months * 30.44))).isoformat()
    query = select(Service).where(or_(Service.assured_date.is_(None), Service.assured_date < cutoff))
    if count:
        return db.scalar(select(func.count()).select_from(query.subquery()))
    return list(db.scalars(query.order_by(Service.assured_date.is_not(None), Service.assured_date, Service.name)))


@router.get("/review")
def review(request: Request) -> Response:
    require_user(request)
    st = state(request)
    with st.db.session() as db:
        rows = review_query(db, st.config.review_months)
        orgs = dict(db.execute(select(Organization.id, Organization.name)).all())
    return render(request, "review.html", {"rows": rows, "orgs": orgs, "months": st.config.review_months})


# ------------------------------------------------------------------------------- organizations


@router.get("/organizations")
def organizations_list(request: Request) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        counts = dict(db.execute(select(Service.organization_id, func.count()).group_by(Service.organization_id)).all())
        rows = list(db.scalars(select(Organization).order_by(Organization.name)))
    return render(request, "organizations.html", {"rows": rows, "counts": counts})


def _org_page(request: Request, values: dict, errors: dict, row: Organization | None, status: int = 200,
              form_error: Any = None, revision: str = "") -> Response:
    shown = dict(values)
    for spec in forms.ORGANIZATION_ROWS:
        shown[spec.name] = forms.blank_rows(spec, values[spec.name])
    return render(request, "organization_form.html", {
        "values": shown, "errors": errors, "row": row, "texts": forms.ORGANIZATION_TEXTS,
        "specs": {s.name: s for s in forms.ORGANIZATION_ROWS}, "form_error": form_error,
        "phone_types": forms.PHONE_TYPES, "revision": revision or revision_of(row)}, status=status)


@router.get("/organizations/new")
def organization_new(request: Request) -> Response:
    require_user(request)
    return _org_page(request, forms.organization_to_form({}), {}, None)


@router.get("/organizations/{org_id}")
def organization_edit(request: Request, org_id: str) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        row = db.get(Organization, org_id)
    if row is None:
        return render(request, "error.html", {"status": 404, "message": "Not found."}, status=404)
    return _org_page(request, forms.organization_to_form(row.doc), {}, row)


@router.post("/organizations/new")
async def organization_create(request: Request) -> Response:
    return await _org_save(request, None)


@router.post("/organizations/{org_id}")
async def organization_update(request: Request, org_id: str) -> Response:
    return await _org_save(request, org_id)


async def _org_save(request: Request, org_id: str | None) -> Response:
    return await _save_entity(request, org_id, Organization, forms.organization_from_post,
                              forms.validate_organization, forms.organization_from_form,
                              catalogue.save_organization, _org_page, "/admin/organizations")


async def _save_entity(request: Request, entity_id: str | None, model: Any, from_post: Any,
                       validate: Any, from_form: Any, save: Any, page: Any, base_url: str) -> Response:
    """Create or update one organization or location from its form: CSRF, 404, a stale
    revision (409), field errors (422), then save with an audit entry and redirect."""
    user = require_user(request)
    form = await checked_form(request)
    values = from_post(form)
    with state(request).db.session() as db:
        row = db.get(model, entity_id) if entity_id else None
        if entity_id and row is None:
            return render(request, "error.html", {"status": 404, "message": "Not found."}, status=404)
        errors = validate(values)
        if stale_revision(form, row):
            return page(request, values, errors or {"_": "x"}, row, 409,
                        "Someone else saved this after you opened it. Copy your changes, reload the page "
                        "and make them again.", revision=str(form.get("revision")))
        if errors:
            return page(request, values, errors, row, 422, "Please correct the fields marked in red.",
                        revision=str(form.get("revision") or ""))
        saved = save(db, from_form(values, row.doc if row else None), actor_of(request, user))
        saved_id = saved.id
    flash(request, "Saved. Publish to send the change to the kiosks.")
    return redirect(f"{base_url}/{saved_id}")


@router.post("/organizations/{org_id}/delete")
async def organization_delete(request: Request, org_id: str) -> Response:
    user = require_user(request)
    await checked_form(request)
    with state(request).db.session() as db:
        try:
            catalogue.delete_organization(db, org_id, actor_of(request, user))
        except CatalogueError as exc:
            flash(request, exc.message, "error", **exc.params)
            return redirect(f"/admin/organizations/{org_id}")
    flash(request, "Deleted.")
    return redirect("/admin/organizations")


# ------------------------------------------------------------------------------- locations


@router.get("/locations")
def locations_list(request: Request) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        counts = dict(db.execute(select(ServiceLocation.location_id, func.count())
                                 .group_by(ServiceLocation.location_id)).all())
        rows = list(db.scalars(select(Location).order_by(Location.name)))
    return render(request, "locations.html", {"rows": rows, "counts": counts})


def _loc_page(request: Request, values: dict, errors: dict, row: Location | None, status: int = 200,
              form_error: Any = None, revision: str = "") -> Response:
    shown = dict(values)
    for spec in forms.LOCATION_ROWS:
        shown[spec.name] = forms.blank_rows(spec, values[spec.name])
    return render(request, "location_form.html", {
        "values": shown, "errors": errors, "row": row, "texts": forms.LOCATION_TEXTS,
        "specs": {s.name: s for s in forms.LOCATION_ROWS}, "form_error": form_error,
        "phone_types": forms.PHONE_TYPES, "days": forms.DAYS, "revision": revision or revision_of(row)},
        status=status)


@router.get("/locations/new")
def location_new(request: Request) -> Response:
    require_user(request)
    return _loc_page(request, forms.location_to_form({"addresses": [{"city": "Elbasan", "postal_code": "3001"}]}),
                     {}, None)


@router.get("/locations/{loc_id}")
def location_edit(request: Request, loc_id: str) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        row = db.get(Location, loc_id)
    if row is None:
        return render(request, "error.html", {"status": 404, "message": "Not found."}, status=404)
    return _loc_page(request, forms.location_to_form(row.doc), {}, row)


@router.post("/locations/new")
async def location_create(request: Request) -> Response:
    return await _loc_save(request, None)


@router.post("/locations/{loc_id}")
async def location_update(request: Request, loc_id: str) -> Response:
    return await _loc_save(request, loc_id)


async def _loc_save(request: Request, loc_id: str | None) -> Response:
    return await _save_entity(request, loc_id, Location, forms.location_from_post,
                              forms.validate_location, forms.location_from_form,
                              catalogue.save_location, _loc_page, "/admin/locations")


@router.post("/locations/{loc_id}/delete")
async def location_delete(request: Request, loc_id: str) -> Response:
    user = require_user(request)
    await checked_form(request)
    with state(request).db.session() as db:
        try:
            catalogue.delete_location(db, loc_id, actor_of(request, user))
        except CatalogueError as exc:
            flash(request, exc.message, "error", **exc.params)
            return redirect(f"/admin/locations/{loc_id}")
    flash(request, "Deleted.")
    return redirect("/admin/locations")


# ------------------------------------------------------------------------------- categories


@router.get("/categories")
def categories_list(request: Request) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        counts = dict(db.execute(select(ServiceCategory.category_id, func.count())
                                 .group_by(ServiceCategory.category_id)).all())
        tree = catalogue.categories_tree(db)
    return render(request, "categories.html", {"tree": tree, "counts": counts})


def _cat_page(request: Request, db: Session, values: dict, errors: dict, row: Category | None, status: int = 200,
              form_error: Any = None, revision: str = "") -> Response:
    excluded = ({row.id} | catalogue.descendants(db, row.id)) if row else set()
    parents = [(r.id, r.name, d) for r, d in catalogue.categories_tree(db) if r.id not in excluded]
    return render(request, "category_form.html", {
        "values": values, "errors": errors, "row": row, "texts": forms.CATEGORY_TEXTS, "parents": parents,
        "icons": icon_names(), "form_error": form_error, "revision": revision or revision_of(row)}, status=status)


@router.get("/categories/new")
def category_new(request: Request) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        return _cat_page(request, db, forms.category_to_form({}), {}, None)


@router.get("/categories/{cat_id}")
def category_edit(request: Request, cat_id: str) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        row = db.get(Category, cat_id)
        if row is None:
            return render(request, "error.html", {"status": 404, "message": "Not found."}, status=404)
        return _cat_page(request, db, forms.category_to_form(row.doc), {}, row)


@router.post("/categories/new")
async def category_create(request: Request) -> Response:
    return await _cat_save(request, None)


@router.post("/categories/{cat_id}")
async def category_update(request: Request, cat_id: str) -> Response:
    return await _cat_save(request, cat_id)


async def _cat_save(request: Request, cat_id: str | None) -> Response:
    user = require_user(request)
    form = await checked_form(request)
    values = forms.category_from_post(form)
    with state(request).db.session() as db:
        row = db.get(Category, cat_id) if cat_id else None
        if cat_id and row is None:
            return render(request, "error.html", {"status": 404, "message": "Not found."}, status=404)
        excluded = ({row.id} | catalogue.descendants(db, row.id)) if row else set()
        parents = {r.id for r, _d in catalogue.categories_tree(db) if r.id not in excluded}
        taken = set(db.scalars(select(Category.code).where(Category.id != (cat_id or ""))))
        errors = forms.validate_category(values, parents=parents, codes_taken=taken)
        if stale_revision(form, row):
            return _cat_page(request, db, values, errors or {"_": "x"}, row, 409,
                             "Someone else saved this after you opened it. Copy your changes, reload the page "
                             "and make them again.", revision=str(form.get("revision")))
        if errors:
            return _cat_page(request, db, values, errors, row, 422, "Please correct the fields marked in red.",
                             revision=str(form.get("revision") or ""))
        doc = forms.category_from_form(values, copy.deepcopy(row.doc) if row else None)
        try:
            saved = catalogue.save_category(db, doc, actor_of(request, user))
        except CatalogueError as exc:
            return _cat_page(request, db, values, {"_": "x"}, row, 422, (exc.message, exc.params))
        # Services carry a copy of their categories: nothing else to update, publishing rebuilds them.
        cid = saved.id
    flash(request, "Saved. Publish to send the change to the kiosks.")
    return redirect(f"/admin/categories/{cid}")


@router.post("/categories/{cat_id}/delete")
async def category_delete(request: Request, cat_id: str) -> Response:
    user = require_user(request)
    await checked_form(request)
    with state(request).db.session() as db:
        try:
            catalogue.delete_category(db, cat_id, actor_of(request, user))
        except CatalogueError as exc:
            flash(request, exc.message, "error", **exc.params)
            return redirect(f"/admin/categories/{cat_id}")
    flash(request, "Deleted.")
    return redirect("/admin/categories")


@router.get("/feed-versions/{version}/feed.json")
def feed_version_download(request: Request, version: RowId) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        row = db.get(FeedVersion, version)
        if row is None:
            return render(request, "error.html", {"status": 404, "message": "Not found."}, status=404)
        data = row.feed_gz
    return Response(data, media_type="application/json",
                    headers={"Content-Encoding": "gzip",
                             "Content-Disposition": f'attachment; filename="feed-v{version}.json"'})

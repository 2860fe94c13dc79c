"""Staff pages of the services: the list, the form, delete, "checked today" and the preview."""
from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from sync.feed import document as feedmod
from sync.feed import verify as verifymod
from sync.feed.findings import error_text
from sync.publish.build import normalize
from sync.publish.sources import LANGUAGE_NAMES
from sync.server import catalogue, catalogue_writes, i18n, present, routes_reports
from sync.server.catalogue import CatalogueError
from sync.server.db import alphabetical, folded, like_pattern
from sync.server.editing import EntityForm, delete_entity, not_found, revision_of, save_entity
from sync.server.forms import fields
from sync.server.forms import service as service_form
from sync.server.forms.discretion import NEUTRAL
from sync.server.forms.fields import Message
from sync.server.models import Category, Location, Organization, Service, ServiceCategory
from sync.server.routes_auth import actor_of
from sync.server.web import checked_form, flash, page_number, redirect, render, require_user, state

router = APIRouter(prefix="/admin")
PAGE = 50


def check_service(db: Session, doc: dict[str, Any], lang: str = "en") -> Message | None:
    """The kiosks' own checks on one service as it would be published, their reason in ``lang``;
    None when it passes."""
    terms = [row.doc for row, _d in catalogue.categories_tree(db)]
    orgs = {o.id: o.doc for o in db.scalars(select(Organization).where(Organization.id == doc.get("organization_id")))}
    loc_ids = [s.get("location_id") for s in doc.get("service_at_locations") or []]
    locs = {loc.id: loc.doc for loc in db.scalars(select(Location).where(Location.id.in_(loc_ids)))}
    nested = catalogue.assemble_service(doc, orgs, locs, {t["id"]: t for t in terms})
    try:
        verifymod.check_content(normalize(feedmod.new_document([nested], terms, version=1)))
    except feedmod.FeedError as exc:
        return ("The kiosks would refuse this service: {detail}", {"detail": error_text(exc, lang)})
    return None


def _choices(db: Session) -> dict[str, Any]:
    return {
        "organizations": list(db.execute(select(Organization.id, Organization.name).order_by(alphabetical(Organization.name)))),
        "categories": [(row.id, row.name, depth) for row, depth in catalogue.categories_tree(db)],
        "locations": list(db.execute(select(Location.id, Location.name).order_by(alphabetical(Location.name)))),
        "languages": [(code, names) for code, names in LANGUAGE_NAMES.items()],
        "statuses": fields.STATUSES, "phone_types": fields.PHONE_TYPES, "days": fields.DAYS,
    }


@router.get("/services")
def services_list(request: Request) -> Response:
    require_user(request)
    q = (request.query_params.get("q") or "").strip()
    category = request.query_params.get("category") or ""
    org = request.query_params.get("organization") or ""
    flag = request.query_params.get("flag") or ""
    with state(request).db.session() as db:
        query = select(Service, Organization.name).join(Organization, Organization.id == Service.organization_id)
        if q:
            like = like_pattern(q)
            query = query.where(or_(folded(Service.name).like(like, escape="\\"),
                                    folded(Organization.name).like(like, escape="\\"), Service.id == q))
        if category:
            query = query.where(Service.id.in_(select(ServiceCategory.service_id).where(
                ServiceCategory.category_id == category)))
        if org:
            query = query.where(Service.organization_id == org)
        if flag == "urgent":
            query = query.where(Service.urgent_order.is_not(None))
        elif flag == "sensitive":
            query = query.where(or_(Service.sensitive.is_(True), Service.id.in_(
                select(ServiceCategory.service_id).where(ServiceCategory.category_id.in_(_sensitive_categories(db))))))
        total = db.scalar(select(func.count()).select_from(query.subquery()))
        page, pages = page_number(request, total, PAGE)
        rows = db.execute(query.order_by(alphabetical(Service.name), Service.id).offset((page - 1) * PAGE).limit(PAGE)).all()
        cats: dict[str, list[str]] = {}
        for sc, name in db.execute(select(ServiceCategory, Category.name).join(
                Category, Category.id == ServiceCategory.category_id).where(
                ServiceCategory.service_id.in_([r[0].id for r in rows]))):
            cats.setdefault(sc.service_id, []).append(name)
        choices = _choices(db)
    return render(request, "services.html", {
        "rows": rows, "cats": cats, "q": q, "category": category, "organization": org, "flag": flag, "page": page,
        "pages": pages, "total": total, **choices})


def _sensitive_categories(db: Session) -> set[str]:
    """The categories marked sensitive and every category inside one."""
    marked = set(db.scalars(select(Category.id).where(Category.sensitive.is_(True))))
    return marked.union(*(catalogue.descendants(db, cid) for cid in marked)) if marked else set()


def _inherited(db: Session, chosen: list[str]) -> list[str]:
    """The names of the sensitive categories that make a service in ``chosen`` sensitive."""
    marked = {row.id: row for row in db.scalars(select(Category).where(Category.sensitive.is_(True)))}
    return [row.name for cid, row in marked.items()
            if cid in chosen or catalogue.descendants(db, cid) & set(chosen)]


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
    for spec in service_form.SERVICE_ROWS:
        shown[spec.name] = fields.blank_rows(spec, values[spec.name])
    return render(request, "service_form.html", {
        "values": shown, "errors": errors, "row": row, "texts": service_form.SERVICE_TEXTS,
        "neutral": NEUTRAL, "inherited": _inherited(db, values.get("categories") or []),
        "specs": {s.name: s for s in service_form.SERVICE_ROWS}, "form_error": form_error,
        "revision": revision or revision_of(row), **choices,
        "reports": routes_reports.groups(db, "new", row.id) if row else [], "reasons": routes_reports.REASON_LABELS},
        status=status)


def _validate(db: Session, values: dict[str, Any], _row: Service | None) -> fields.Errors:
    choices = _choices(db)
    org = db.get(Organization, values.get("organization_id") or "")
    provider = (org.name, catalogue.en(org.doc, "name") or "") if org is not None else ()
    errors = service_form.validate_service(
        values, organizations={o[0] for o in choices["organizations"]},
        categories={c[0] for c in choices["categories"]}, locations={loc[0] for loc in choices["locations"]},
        provider_names=provider)
    if values.get("urgent") and "urgent_order" not in errors and not _has_number(db, values, org):
        # the kiosk's urgent help screen leaves out a line nobody can call
        errors["urgent_order"] = "An urgent line needs a phone number: add one under Contact."
    return errors


def _has_number(db: Session, values: dict[str, Any], org: Organization | None) -> bool:
    if any(row.get("number") for row in values.get("phones") or []):
        return True
    if org is not None and any(p.get("number") for p in org.doc.get("phones") or []):
        return True
    return any(p.get("number") for loc in db.scalars(select(Location).where(Location.id.in_(values.get("locations") or [])))
               for p in loc.doc.get("phones") or [])


SERVICE_FORM = EntityForm(Service, "/admin/services", service_form.service_from_post, _validate,
                          service_form.service_from_form, catalogue_writes.save_service, _service_page, check_service)


@router.get("/services/new")
def service_new(request: Request) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        values = service_form.service_to_form({"status": "active", "assured_date": date.today().isoformat()})
        return _service_page(request, db, values, {}, None)


@router.get("/services/{service_id}")
def service_edit(request: Request, service_id: str) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        row = db.get(Service, service_id)
        if row is None:
            return not_found(request)
        return _service_page(request, db, service_form.service_to_form(row.doc), {}, row)


@router.post("/services/new")
async def service_create(request: Request) -> Response:
    return await save_entity(request, SERVICE_FORM, None)


@router.post("/services/{service_id}")
async def service_update(request: Request, service_id: str) -> Response:
    return await save_entity(request, SERVICE_FORM, service_id)


@router.post("/services/{service_id}/delete")
async def service_delete(request: Request, service_id: str) -> Response:
    return await delete_entity(request, catalogue_writes.delete_service, service_id, done="/admin/services",
                               refused="/admin/services")


@router.post("/services/{service_id}/checked")
async def service_checked(request: Request, service_id: str) -> Response:
    user = require_user(request)
    form = await checked_form(request)
    with state(request).db.session() as db:
        try:
            catalogue_writes.mark_checked(db, service_id, actor_of(request, user))
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
        return not_found(request)
    view = present.service_view(assembled.services[0], view_lang)
    return render(request, "preview.html", {"svc": view, "view_lang": view_lang, "service_id": service_id,
                                            "mailto": present.mailto, "tv": i18n.translator(view_lang),
                                            "place_people": True})

"""Staff pages of the organizations (who provides a service) and the locations (where)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.server import catalogue_writes
from sync.server.db import alphabetical
from sync.server.editing import EntityForm, delete_entity, not_found, revision_of, save_entity
from sync.server.forms import fields, places
from sync.server.models import Location, Organization, Service, ServiceLocation
from sync.server.web import render, require_user, state

router = APIRouter(prefix="/admin")


def _form_page(template: str, texts: tuple, rows: tuple, **extra: Any):  # noqa: ANN202
    def page(request: Request, _db: Session, values: dict, errors: dict, row: Any, status: int = 200,
             form_error: Any = None, revision: str = "") -> Response:
        shown = dict(values)
        for spec in rows:
            shown[spec.name] = fields.blank_rows(spec, values[spec.name])
        return render(request, template, {
            "values": shown, "errors": errors, "row": row, "texts": texts, "specs": {s.name: s for s in rows},
            "form_error": form_error, "phone_types": fields.PHONE_TYPES, "revision": revision or revision_of(row),
            **extra}, status=status)

    return page


ORGANIZATION_FORM = EntityForm(
    Organization, "/admin/organizations", places.organization_from_post,
    lambda _db, values, _row: places.validate_organization(values), places.organization_from_form,
    catalogue_writes.save_organization, _form_page("organization_form.html", places.ORGANIZATION_TEXTS,
                                            places.ORGANIZATION_ROWS))
LOCATION_FORM = EntityForm(
    Location, "/admin/locations", places.location_from_post,
    lambda _db, values, _row: places.validate_location(values), places.location_from_form,
    catalogue_writes.save_location, _form_page("location_form.html", places.LOCATION_TEXTS, places.LOCATION_ROWS,
                                        days=fields.DAYS))


def _edit(request: Request, kind: EntityForm, entity_id: str, to_form: Any) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        row = db.get(kind.model, entity_id)
        if row is None:
            return not_found(request)
        return kind.page(request, db, to_form(row.doc), {}, row)


# ------------------------------------------------------------------------------- organizations


@router.get("/organizations")
def organizations_list(request: Request) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        counts = dict(db.execute(select(Service.organization_id, func.count()).group_by(Service.organization_id)).all())
        rows = list(db.scalars(select(Organization).order_by(alphabetical(Organization.name))))
    return render(request, "organizations.html", {"rows": rows, "counts": counts})


@router.get("/organizations/new")
def organization_new(request: Request) -> Response:
    require_user(request)
    return ORGANIZATION_FORM.page(request, None, places.organization_to_form({}), {}, None)


@router.get("/organizations/{org_id}")
def organization_edit(request: Request, org_id: str) -> Response:
    return _edit(request, ORGANIZATION_FORM, org_id, places.organization_to_form)


@router.post("/organizations/new")
async def organization_create(request: Request) -> Response:
    return await save_entity(request, ORGANIZATION_FORM, None)


@router.post("/organizations/{org_id}")
async def organization_update(request: Request, org_id: str) -> Response:
    return await save_entity(request, ORGANIZATION_FORM, org_id)


@router.post("/organizations/{org_id}/delete")
async def organization_delete(request: Request, org_id: str) -> Response:
    return await delete_entity(request, catalogue_writes.delete_organization, org_id, done="/admin/organizations",
                               refused=f"/admin/organizations/{org_id}")


# ------------------------------------------------------------------------------- locations


@router.get("/locations")
def locations_list(request: Request) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        counts = dict(db.execute(select(ServiceLocation.location_id, func.count())
                                 .group_by(ServiceLocation.location_id)).all())
        rows = list(db.scalars(select(Location).order_by(alphabetical(Location.name))))
    return render(request, "locations.html", {"rows": rows, "counts": counts})


@router.get("/locations/new")
def location_new(request: Request) -> Response:
    require_user(request)
    values = places.location_to_form({"addresses": [{"city": "Elbasan", "postal_code": "3001"}]})
    return LOCATION_FORM.page(request, None, values, {}, None)


@router.get("/locations/{loc_id}")
def location_edit(request: Request, loc_id: str) -> Response:
    return _edit(request, LOCATION_FORM, loc_id, places.location_to_form)


@router.post("/locations/new")
async def location_create(request: Request) -> Response:
    return await save_entity(request, LOCATION_FORM, None)


@router.post("/locations/{loc_id}")
async def location_update(request: Request, loc_id: str) -> Response:
    return await save_entity(request, LOCATION_FORM, loc_id)


@router.post("/locations/{loc_id}/delete")
async def location_delete(request: Request, loc_id: str) -> Response:
    return await delete_entity(request, catalogue_writes.delete_location, loc_id, done="/admin/locations",
                               refused=f"/admin/locations/{loc_id}")

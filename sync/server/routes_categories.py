"""Staff pages of the category tree."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.server import catalogue, catalogue_writes
from sync.server.editing import EntityForm, delete_entity, not_found, revision_of, save_entity
from sync.server.forms import category as category_form
from sync.server.forms.discretion import NEUTRAL
from sync.server.forms.fields import Errors
from sync.server.models import Category, ServiceCategory
from sync.server.web import render, require_user, state

router = APIRouter(prefix="/admin")
ICONS_DIR = Path(__file__).resolve().parents[2] / "assets" / "icons"
UI_ICONS = {"accessible", "back", "backspace", "bus", "check", "clock", "close", "contact", "contrast",
            "directions", "document", "email", "home", "information", "language", "location", "lock",
            "open-now", "organization", "phone", "print", "qr", "search", "space", "sync", "text-size", "touch",
            "warning", "website"}


def icon_names() -> list[str]:
    if not ICONS_DIR.is_dir():
        return []
    return sorted(p.stem for p in ICONS_DIR.glob("*.png") if p.stem not in UI_ICONS)


def _outside(db: Session, row: Category | None) -> list[tuple[Category, int]]:
    """The categories that can hold ``row``: all but itself and what is inside it."""
    excluded = ({row.id} | catalogue.descendants(db, row.id)) if row else set()
    return [(r, d) for r, d in catalogue.categories_tree(db) if r.id not in excluded]


def _category_page(request: Request, db: Session, values: dict, errors: dict, row: Category | None,
                   status: int = 200, form_error: Any = None, revision: str = "") -> Response:
    return render(request, "category_form.html", {
        "values": values, "errors": errors, "row": row, "texts": category_form.CATEGORY_TEXTS,
        "neutral": NEUTRAL,
        "parents": [(r.id, r.name, d) for r, d in _outside(db, row)], "icons": icon_names(),
        "form_error": form_error, "revision": revision or revision_of(row)}, status=status)


def _validate(db: Session, values: dict[str, Any], row: Category | None) -> Errors:
    taken = set(db.scalars(select(Category.code).where(Category.id != (row.id if row else ""))))
    return category_form.validate_category(values, parents={r.id for r, _d in _outside(db, row)}, codes_taken=taken)


# Services carry a copy of their categories: publishing rebuilds them, nothing else to update.
CATEGORY_FORM = EntityForm(Category, "/admin/categories", category_form.category_from_post, _validate,
                           category_form.category_from_form, catalogue_writes.save_category, _category_page)


@router.get("/categories")
def categories_list(request: Request) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        counts = dict(db.execute(select(ServiceCategory.category_id, func.count())
                                 .group_by(ServiceCategory.category_id)).all())
        tree = catalogue.categories_tree(db)
    return render(request, "categories.html", {"tree": tree, "counts": counts})


@router.get("/categories/new")
def category_new(request: Request) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        return _category_page(request, db, category_form.category_to_form({}), {}, None)


@router.get("/categories/{cat_id}")
def category_edit(request: Request, cat_id: str) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        row = db.get(Category, cat_id)
        if row is None:
            return not_found(request)
        return _category_page(request, db, category_form.category_to_form(row.doc), {}, row)


@router.post("/categories/new")
async def category_create(request: Request) -> Response:
    return await save_entity(request, CATEGORY_FORM, None)


@router.post("/categories/{cat_id}")
async def category_update(request: Request, cat_id: str) -> Response:
    return await save_entity(request, CATEGORY_FORM, cat_id)


@router.post("/categories/{cat_id}/delete")
async def category_delete(request: Request, cat_id: str) -> Response:
    return await delete_entity(request, catalogue_writes.delete_category, cat_id, done="/admin/categories",
                               refused=f"/admin/categories/{cat_id}")

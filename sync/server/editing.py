"""The one way a staff form saves or deletes a catalogue entity (service, organization,
location, category), and the one "not found" page.

A save is: the login, the CSRF token, the entity (404 when it is gone), the field checks, the
revision the form was opened at (409 when someone else saved in between), the kiosks' own
checks where the kind has them, then the store with its audit entry, and a redirect to the
saved entity. Each kind says only what differs, in an :class:`EntityForm`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from sync.server.audit import Actor
from sync.server.catalogue import CatalogueError
from sync.server.forms.fields import Errors, Message
from sync.server.routes_auth import actor_of
from sync.server.web import checked_form, flash, lang_of, redirect, render, require_user, state

STALE = "Someone else saved this after you opened it. Copy your changes, reload the page and make them again."
#: A form page: (request, db, values, errors, row, status, form_error, revision) -> the page.
FormPage = Callable[..., Response]


@dataclass(frozen=True)
class EntityForm:
    model: type
    base_url: str
    from_post: Callable[[FormData], dict[str, Any]]
    validate: Callable[[Session, dict[str, Any], Any], Errors]
    from_form: Callable[[dict[str, Any], dict[str, Any] | None], dict[str, Any]]
    save: Callable[[Session, dict[str, Any], Actor], Any]
    page: FormPage
    #: The kiosks' checks of the document about to be stored, their reason worded in the staff's
    #: language (the third argument): a message, or None when it passes.
    check: Callable[[Session, dict[str, Any], str], Message | None] = lambda _db, _doc, _lang: None


def not_found(request: Request) -> Response:
    return render(request, "error.html", {"status": 404, "message": "Not found."}, status=404)


def revision_of(row: Any) -> str:
    return row.updated_at.isoformat() if row is not None and row.updated_at else ""


def stale_revision(form: FormData, row: Any) -> bool:
    submitted = str(form.get("revision") or "")
    return row is not None and bool(submitted) and submitted != revision_of(row)


async def save_entity(request: Request, kind: EntityForm, entity_id: str | None) -> Response:
    user = require_user(request)
    form = await checked_form(request)
    values = kind.from_post(form)
    with state(request).db.session() as db:
        # FOR UPDATE on PostgreSQL: a second editor's save waits for the first one's commit and
        # then sees its revision (SQLite takes one writer at a time by itself).
        row = db.get(kind.model, entity_id, with_for_update=True) if entity_id else None
        if entity_id and row is None:
            return not_found(request)
        errors = kind.validate(db, values, row)
        if stale_revision(form, row):
            return kind.page(request, db, values, errors or {"_": "x"}, row, 409, STALE,
                             revision=str(form.get("revision")))
        if errors:
            return kind.page(request, db, values, errors, row, 422, "Please correct the fields marked in red.",
                             revision=str(form.get("revision") or ""))
        doc = kind.from_form(values, row.doc if row else None)
        problem = kind.check(db, doc, lang_of(request))
        if problem:
            return kind.page(request, db, values, {"_": "x"}, row, 422, problem)
        try:
            saved_id = kind.save(db, doc, actor_of(request, user)).id
        except CatalogueError as exc:
            return kind.page(request, db, values, {"_": "x"}, row, 422, (exc.message, exc.params))
    flash(request, "Saved. Publish to send the change to the kiosks.")
    return redirect(f"{kind.base_url}/{saved_id}")


async def delete_entity(request: Request, delete: Callable[[Session, str, Actor], None], entity_id: str, *,
                        done: str, refused: str) -> Response:
    """Delete with an audit entry; a refusal (still in use, gone) is told on ``refused``."""
    user = require_user(request)
    await checked_form(request)
    with state(request).db.session() as db:
        try:
            delete(db, entity_id, actor_of(request, user))
        except CatalogueError as exc:
            flash(request, exc.message, "error", **exc.params)
            return redirect(refused)
    flash(request, "Deleted.")
    return redirect(done)

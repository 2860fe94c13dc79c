"""Staff pages around the catalogue: publishing, import/export, kiosks, accounts, audit log."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sync.server import exports, publishing
from sync.server.audit import Actor, record
from sync.server.bootstrap import ServerState
from sync.server.imports.problems import MAX_UPLOAD, ImportOutcome, ImportRefused, problem
from sync.server.imports.run import run_import
from sync.server.models import ROLES, Account, AuditEntry, Kiosk, utcnow
from sync.server.routes_auth import actor_of
from sync.server.routes_dashboard import is_silent
from sync.server.security import hash_password, new_kiosk_token, one_time_password, token_digest
from sync.server.web import RowId, checked_form, flash, lang_of, page_number, redirect, render, require_user, state

router = APIRouter(prefix="/admin")


# ------------------------------------------------------------------------------- publishing


@router.get("/publish")
def publish_page(request: Request) -> Response:
    require_user(request)
    st = state(request)
    from sync.server import catalogue

    with st.db.session() as db:
        rows = publishing.history(db)
        draft = catalogue.assemble(db)
    latest = rows[0] if rows else None
    unpublished = bool(draft.services) and (latest is None or latest.content_sha256 != draft.content_hash())
    return render(request, "publish.html", {
        "rows": rows, "latest": latest, "unpublished": unpublished, "draft_count": len(draft.services),
        "pubkey_b64": st.signing_key.public.b64, "key_id": st.signing_key.public.id_hex})


@router.post("/publish")
async def publish_now(request: Request) -> Response:
    user = await run_in_threadpool(require_user, request)
    form = await checked_form(request)
    st = state(request)
    note = str(form.get("note") or "").strip()[:500]
    actor = actor_of(request, user)

    def publish() -> publishing.Published:  # assemble, build, sign, write: off the event loop
        with st.db.session() as db:
            return publishing.publish_catalogue(db, st.feed_target, actor=actor, note=note)

    try:
        result = await run_in_threadpool(publish)
    except publishing.PublishError as exc:
        flash(request, "Not published. {message}: {detail}", "error", message=exc.message,
              detail=exc.detail_in(lang_of(request)))
        return redirect("/admin/publish")
    flash(request, "Published version {version} with {count} services. Kiosks pick it up at their next check.",
          version=result.version, count=result.services)
    return redirect("/admin/publish")


@router.post("/publish/{version}/republish")
async def republish(request: Request, version: RowId) -> Response:
    user = await run_in_threadpool(require_user, request)
    form = await checked_form(request)
    st = state(request)
    note = str(form.get("note") or "").strip()[:500]
    actor = actor_of(request, user)

    def again() -> publishing.Published:
        with st.db.session() as db:
            return publishing.republish(db, version, st.feed_target, actor=actor, note=note)

    try:
        result = await run_in_threadpool(again)
    except publishing.PublishError as exc:
        flash(request, "Not published. {message}: {detail}", "error", message=exc.message,
              detail=exc.detail_in(lang_of(request)))
        return redirect("/admin/publish")
    flash(request, "Version {old} was published again as version {version}.", old=version, version=result.version)
    return redirect("/admin/publish")


# ------------------------------------------------------------------------------- import / export


@router.get("/import")
def import_page(request: Request) -> Response:
    require_user(request)
    return render(request, "import.html", {"problems": [], "report": None})


@router.post("/import")
async def import_upload(request: Request) -> Response:
    user = await run_in_threadpool(require_user, request)
    form = await checked_form(request)
    upload = form.get("file")
    replace = form.get("mode", "replace") != "merge"
    if not isinstance(upload, UploadFile) or not upload.filename:
        return render(request, "import.html", {"problems": [problem("Choose a file.")],
                                               "report": None}, status=422)
    data = await upload.read(MAX_UPLOAD + 1)
    # Reading, checking and writing a whole catalogue takes seconds: a worker thread does it, and
    # the event loop goes on serving the other staff and the kiosks.
    outcome = await run_in_threadpool(_import, state(request), upload.filename, data, actor_of(request, user),
                                      replace)
    if isinstance(outcome, ImportRefused):
        return render(request, "import.html", {"problems": outcome.problems, "report": None,
                                               "warnings": outcome.warnings, "filename": upload.filename},
                      status=422)
    return render(request, "import.html", {"problems": [], "report": outcome.report, "filename": upload.filename,
                                           "kind": outcome.kind, "warnings": outcome.warnings})


def _import(st: ServerState, filename: str, data: bytes, actor: Actor, replace: bool) -> ImportOutcome | ImportRefused:
    try:
        with st.db.session() as db:
            return run_import(db, filename, data, actor, replace=replace)
    except ImportRefused as exc:
        with st.db.session() as db:
            record(db, actor, "import_refused", entity_type="catalogue",
                   summary=f"{filename[:100]}: {len(exc.problems)} problem(s), nothing changed")
        return exc


@router.get("/export/catalogue.xlsx")
def export_xlsx(request: Request) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        doc = exports.export_document(db)
    return _xlsx_response(doc, "katalogu.xlsx")


@router.get("/export/template.xlsx")
def export_template(request: Request) -> Response:
    require_user(request)
    return _xlsx_response(None, "shabllon-katalogu.xlsx")


def _xlsx_response(doc, filename: str) -> Response:  # noqa: ANN001
    with tempfile.TemporaryDirectory() as tmp:
        path = exports.export_xlsx(doc, Path(tmp) / filename)
        data = path.read_bytes()
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})


@router.get("/export/catalogue.json")
def export_json(request: Request) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        doc = exports.export_document(db)
    body = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="katalogu-hsds.json"',
                             "Cache-Control": "no-store"})


@router.get("/export/datapackage.zip")
def export_zip(request: Request) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        doc = exports.export_document(db)
    return Response(exports.export_zip(doc), media_type="application/zip",
                    headers={"Content-Disposition": 'attachment; filename="katalogu-hsds-csv.zip"',
                             "Cache-Control": "no-store"})


# ------------------------------------------------------------------------------- kiosks


@router.get("/kiosks")
def kiosks_page(request: Request) -> Response:
    return _kiosks(request)


def _kiosks(request: Request, new_token: dict | None = None) -> Response:
    """The kiosks page; a new token is shown once, in the response to the POST that made it
    (never stored in the session cookie)."""
    user = require_user(request)
    st = state(request)
    with st.db.session() as db:
        rows = list(db.scalars(select(Kiosk).order_by(Kiosk.revoked_at.is_not(None), Kiosk.name)))
        latest = publishing.current(db)
    return render(request, "kiosks.html", {
        "rows": rows, "silent": {k.id for k in rows if is_silent(k, st.config.silent_minutes)},
        "latest_version": latest.version if latest else None, "new_token": new_token, "is_admin": user.role == "admin",
        "pubkey_b64": st.signing_key.public.b64, "base_url": _base_url(request)})


def _base_url(request: Request) -> str:
    configured = state(request).config.public_base_url
    return configured or str(request.base_url).rstrip("/")


@router.post("/kiosks")
async def kiosk_create(request: Request) -> Response:
    user = require_user(request, "admin")
    form = await checked_form(request)
    name = str(form.get("name") or "").strip()[:100]
    description = str(form.get("description") or "").strip()[:500]
    import re

    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", name):
        flash(request, "A kiosk name has letters, digits, '.', '_' and '-' only (like its [kiosk] id).", "error")
        return redirect("/admin/kiosks")
    token = new_kiosk_token()
    with state(request).db.session() as db:
        if db.scalar(select(Kiosk).where(Kiosk.name == name)):
            flash(request, "There is already a kiosk called {name}.", "error", name=name)
            return redirect("/admin/kiosks")
        db.add(Kiosk(name=name, description=description, token_sha256=token_digest(token), token_hint=token[3:9],
                     created_at=utcnow(), created_by=user.username, heartbeats=0))
        record(db, actor_of(request, user), "kiosk_create", entity_type="kiosk", entity_id=name, summary=description)
    return _kiosks(request, {"name": name, "token": token})


@router.post("/kiosks/{kiosk_id}/token")
async def kiosk_new_token(request: Request, kiosk_id: RowId) -> Response:
    user = require_user(request, "admin")
    await checked_form(request)
    token = new_kiosk_token()
    with state(request).db.session() as db:
        kiosk = db.get(Kiosk, kiosk_id)
        if kiosk is None:
            return render(request, "error.html", {"status": 404, "message": "Not found."}, status=404)
        kiosk.token_sha256, kiosk.token_hint, kiosk.revoked_at = token_digest(token), token[3:9], None
        record(db, actor_of(request, user), "kiosk_token", entity_type="kiosk", entity_id=kiosk.name,
               summary="new token; the old one no longer works")
        name = kiosk.name
    return _kiosks(request, {"name": name, "token": token})


@router.post("/kiosks/{kiosk_id}/revoke")
async def kiosk_revoke(request: Request, kiosk_id: RowId) -> Response:
    user = require_user(request, "admin")
    await checked_form(request)
    with state(request).db.session() as db:
        kiosk = db.get(Kiosk, kiosk_id)
        if kiosk is None:
            return render(request, "error.html", {"status": 404, "message": "Not found."}, status=404)
        kiosk.revoked_at = utcnow()
        record(db, actor_of(request, user), "kiosk_revoke", entity_type="kiosk", entity_id=kiosk.name)
    flash(request, "The kiosk's token no longer works.")
    return redirect("/admin/kiosks")


# ------------------------------------------------------------------------------- accounts


@router.get("/accounts")
def accounts_page(request: Request) -> Response:
    return _accounts(request)


def _accounts(request: Request, new_password: dict | None = None) -> Response:
    """The accounts page; a new one-time password is shown once, in the POST's response."""
    require_user(request, "admin")
    with state(request).db.session() as db:
        rows = list(db.scalars(select(Account).order_by(Account.username)))
    return render(request, "accounts.html", {"rows": rows, "roles": ROLES, "new_password": new_password})


@router.post("/accounts")
async def account_create(request: Request) -> Response:
    user = require_user(request, "admin")
    form = await checked_form(request)
    import re

    username = str(form.get("username") or "").strip().lower()[:64]
    full_name = str(form.get("full_name") or "").strip()[:200]
    role = str(form.get("role") or "editor")
    if not re.match(r"^[a-z0-9][a-z0-9._-]{1,63}$", username):
        flash(request, "A user name has 2 to 64 small letters, digits, '.', '_' or '-'.", "error")
        return redirect("/admin/accounts")
    if role not in ROLES:
        flash(request, "Choose one of the list.", "error")
        return redirect("/admin/accounts")
    password = one_time_password()
    with state(request).db.session() as db:
        if db.scalar(select(Account).where(func.lower(Account.username) == username)):
            flash(request, "There is already an account {name}.", "error", name=username)
            return redirect("/admin/accounts")
        db.add(Account(username=username, full_name=full_name, role=role, password_hash=hash_password(password),
                       must_change_password=True, active=True, created_at=utcnow()))
        record(db, actor_of(request, user), "account_create", entity_type="account", entity_id=username,
               summary=f"{username} ({role})")
    return _accounts(request, {"username": username, "password": password})


@router.post("/accounts/{account_id}")
async def account_update(request: Request, account_id: RowId) -> Response:
    user = require_user(request, "admin")
    form = await checked_form(request)
    action = str(form.get("action") or "")
    new_password = None
    with state(request).db.session() as db:
        account = db.get(Account, account_id)
        if account is None:
            return render(request, "error.html", {"status": 404, "message": "Not found."}, status=404)
        actor = actor_of(request, user)
        if account.id == user.id and action in ("disable", "role"):
            flash(request, "You cannot change your own role or disable yourself.", "error")
            return redirect("/admin/accounts")
        if action == "reset":
            password = one_time_password()
            account.password_hash = hash_password(password)
            account.must_change_password = True
            account.session_epoch += 1
            record(db, actor, "password_reset", entity_type="account", entity_id=account.username)
            new_password = {"username": account.username, "password": password}
        elif action == "disable":
            account.active = False
            account.session_epoch += 1
            record(db, actor, "account_disable", entity_type="account", entity_id=account.username)
            flash(request, "Account disabled.")
        elif action == "enable":
            account.active = True
            record(db, actor, "account_enable", entity_type="account", entity_id=account.username)
            flash(request, "Account enabled.")
        elif action == "role" and form.get("role") in ROLES:
            old = account.role
            account.role = str(form.get("role"))
            account.session_epoch += 1
            record(db, actor, "account_role", entity_type="account", entity_id=account.username,
                   details={"role": [old, account.role]})
            flash(request, "Role changed.")
        else:
            flash(request, "Choose one of the list.", "error")
    if new_password:
        return _accounts(request, new_password)
    return redirect("/admin/accounts")


# ------------------------------------------------------------------------------- audit log


@router.get("/audit")
def audit_page(request: Request) -> Response:
    require_user(request)
    action = request.query_params.get("action") or ""
    entity = request.query_params.get("entity") or ""
    with state(request).db.session() as db:
        query = select(AuditEntry)
        if action:
            query = query.where(AuditEntry.action == action)
        if entity:
            query = query.where(AuditEntry.entity_id == entity)
        total = db.scalar(select(func.count()).select_from(query.subquery()))
        page, pages = page_number(request, total, 100)
        rows = list(db.scalars(query.order_by(AuditEntry.id.desc()).offset((page - 1) * 100).limit(100)))
        actions = list(db.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
    return render(request, "audit.html", {"rows": rows, "page": page, "pages": pages,
                                          "action": action, "actions": actions, "entity": entity})

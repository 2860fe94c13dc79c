"""Log in, log out, change one's password."""
from __future__ import annotations

import math

from fastapi import APIRouter, Request
from fastapi.responses import Response

from sync.server import sessions
from sync.server.audit import Actor, record
from sync.server.models import Account, utcnow
from sync.server.security import (
    authenticate,
    hash_password,
    login_wait,
    password_problem,
    record_login,
    verify_password,
)
from sync.server.web import (
    checked_form,
    client_ip,
    current_user,
    flash,
    redirect,
    render,
    require_user,
    safe_next,
    state,
)

router = APIRouter()


def actor_of(request: Request, user: Account | None = None) -> Actor:
    user = user or current_user(request)
    return Actor(user.id if user else None, user.username if user else "anonymous", client_ip(request))


@router.get("/login")
def login_page(request: Request) -> Response:
    if current_user(request) is not None:
        return redirect(safe_next(request.query_params.get("next")))
    return render(request, "login.html", {"next": safe_next(request.query_params.get("next")), "username": ""})


@router.post("/login")
async def login(request: Request) -> Response:
    form = await checked_form(request)
    st = state(request)
    username = str(form.get("username") or "").strip()[:64]
    password = str(form.get("password") or "")[:256]
    target = safe_next(str(form.get("next") or ""))
    ip = client_ip(request)
    cfg = st.config
    with st.db.session() as db:
        wait = login_wait(db, username, ip, max_failures=cfg.login_max_failures,
                          window_minutes=cfg.login_window_minutes)
        if wait:
            record(db, Actor(None, username or "?", ip), "login_blocked", entity_type="account", entity_id=username,
                   summary=f"too many failed logins: wait {wait} s")
            return render(request, "login.html", {"next": target, "username": username,
                                                  "error": "Too many failed attempts. Wait {m} minutes and try again.",
                                                  "error_params": {"m": math.ceil(wait / 60)}}, status=429,
                          headers={"Retry-After": str(wait)})
        account = authenticate(db, username, password) if username and password else None
        record_login(db, username, ip, account is not None)
        if account is None:
            record(db, Actor(None, username or "?", ip), "login_failed", entity_type="account", entity_id=username)
            return render(request, "login.html", {"next": target, "username": username,
                                                  "error": "Wrong user name or password."}, status=401)
        account.last_login_at = utcnow()
        record(db, Actor(account.id, account.username, ip), "login", entity_type="account", entity_id=account.username)
        token = sessions.start(db, account, hours=cfg.session_hours, ip=ip)
        must_change = account.must_change_password
    _fresh_cookie(request, token)
    if must_change:
        return redirect("/account/password")
    return redirect(target)


def _fresh_cookie(request: Request, token: str | None) -> None:
    """A new session cookie (and CSRF token) that keeps only the language and, when given, the
    token of a session."""
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang
    if token:
        request.session["sid"] = token


@router.post("/logout")
async def logout(request: Request) -> Response:
    await checked_form(request)
    user = current_user(request)
    with state(request).db.session() as db:
        sessions.end(db, request.session.get("sid"))
        if user is not None:
            record(db, actor_of(request, user), "logout", entity_type="account", entity_id=user.username)
    _fresh_cookie(request, None)
    return redirect("/login")


@router.post("/account/logout-everywhere")
async def logout_everywhere(request: Request) -> Response:
    """End every session of the account, on every computer, this one included."""
    user = require_user(request, allow_password_change=True)
    await checked_form(request)
    with state(request).db.session() as db:
        sessions.end_all(db, db.get(Account, user.id))
        record(db, actor_of(request, user), "logout_everywhere", entity_type="account", entity_id=user.username)
    _fresh_cookie(request, None)
    return redirect("/login")


@router.get("/account/password")
def password_page(request: Request) -> Response:
    user = require_user(request, allow_password_change=True)
    return render(request, "password.html", {"forced": user.must_change_password, "errors": {}})


@router.post("/account/password")
async def change_password(request: Request) -> Response:
    user = require_user(request, allow_password_change=True)
    form = await checked_form(request)
    st = state(request)
    old = str(form.get("current_password") or "")
    new = str(form.get("new_password") or "")
    again = str(form.get("new_password_again") or "")
    errors: dict[str, object] = {}
    with st.db.session() as db:
        account = db.get(Account, user.id)
        if not verify_password(account.password_hash, old):
            errors["current_password"] = "The current password is wrong."
        problem = password_problem(new, min_length=st.config.password_min_length, username=account.username,
                                   old_password=old)
        if problem:
            errors["new_password"] = (problem, {"n": st.config.password_min_length})
        elif new != again:
            errors["new_password_again"] = "The two new passwords differ."
        if errors:
            return render(request, "password.html", {"forced": account.must_change_password, "errors": errors,
                                                     "min_length": st.config.password_min_length}, status=422)
        account.password_hash = hash_password(new)
        account.must_change_password = False
        account.password_changed_at = utcnow()
        sessions.end_all(db, account)  # every other browser logs in again; this one goes on
        token = sessions.start(db, account, hours=st.config.session_hours, ip=client_ip(request))
        record(db, actor_of(request, user), "password_change", entity_type="account", entity_id=account.username)
    _fresh_cookie(request, token)
    flash(request, "Your password was changed.")
    return redirect("/admin")

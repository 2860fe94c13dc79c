"""Log in, log out, change one's password."""
from __future__ import annotations

import math
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sync.server import sessions
from sync.server.audit import Actor, record, recorded_since
from sync.server.bootstrap import ServerState
from sync.server.models import Account, utcnow
from sync.server.security import (
    LoginBlock,
    address_group,
    attempt_name,
    authenticate,
    hash_password,
    login_block,
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


#: What the audit log says instead of a typed user name that names no account (it may have been
#: a password typed in the wrong box).
NO_ACCOUNT = "a user name that matches no account"
WAIT_MESSAGE = "Too many failed attempts. Wait {m} minutes and try again."


@dataclass(frozen=True)
class LoginOutcome:
    wait: int = 0                 # seconds to wait (429); else
    token: str | None = None      # a new session, or None for a wrong name or password
    must_change: bool = False


@router.post("/login")
async def login(request: Request) -> Response:
    form = await checked_form(request)
    username = str(form.get("username") or "").strip()[:64]
    password = str(form.get("password") or "")[:256]
    target = safe_next(str(form.get("next") or ""))
    # argon2 and the database, in a worker thread: the event loop goes on serving everyone else.
    outcome = await run_in_threadpool(_try_login, state(request), username, password, client_ip(request))
    if outcome.wait:
        return render(request, "login.html", {"next": target, "username": username, "error": WAIT_MESSAGE,
                                              "error_params": {"m": math.ceil(outcome.wait / 60)}}, status=429,
                      headers={"Retry-After": str(outcome.wait)})
    if outcome.token is None:
        return render(request, "login.html", {"next": target, "username": username,
                                              "error": "Wrong user name or password."}, status=401)
    _fresh_cookie(request, outcome.token)
    if outcome.must_change:
        return redirect("/account/password")
    return redirect(target)


def _try_login(st: ServerState, username: str, password: str, ip: str) -> LoginOutcome:
    cfg = st.config
    with st.db.session() as db:
        name = attempt_name(db, username, st.session_secret)
        # A name that matches no account is never written down: the audit log says so instead.
        who, entity, summary = (name, name, "") if not name.startswith("?") else ("?", "", NO_ACCOUNT)
        block = login_block(db, name, ip, max_failures=cfg.login_max_failures,
                            window_minutes=cfg.login_window_minutes)
        if block:
            note_blocked(db, Actor(None, who, ip), "login_blocked", entity, block)
            return LoginOutcome(wait=block.seconds)
        account = authenticate(db, username, password) if username and password else None
        record_login(db, name, ip, account is not None)
        if account is None:
            record(db, Actor(None, who, ip), "login_failed", entity_type="account", entity_id=entity, summary=summary)
            return LoginOutcome()
        account.last_login_at = utcnow()
        record(db, Actor(account.id, account.username, ip), "login", entity_type="account", entity_id=account.username)
        return LoginOutcome(token=sessions.start(db, account, hours=cfg.session_hours, ip=ip),
                            must_change=account.must_change_password)


def note_blocked(db: Session, actor: Actor, action: str, entity_id: str, block: LoginBlock) -> None:
    """Audit a refused attempt once per address (group) and wait: a blocked address knocking
    again and again does not fill the log. The row's address is the group that was blocked."""
    group = address_group(actor.ip or "")
    if recorded_since(db, action, group, block.since):
        return
    record(db, Actor(actor.account_id, actor.username, group), action, entity_type="account", entity_id=entity_id,
           summary=f"too many failed attempts from {actor.ip}: wait {block.seconds} s")


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


@dataclass(frozen=True)
class PasswordOutcome:
    errors: dict[str, object]
    must_change: bool = False
    wait: int = 0
    token: str | None = None


@router.post("/account/password")
async def change_password(request: Request) -> Response:
    user = await run_in_threadpool(require_user, request, allow_password_change=True)
    form = await checked_form(request)
    st = state(request)
    old = str(form.get("current_password") or "")[:256]
    new = str(form.get("new_password") or "")
    again = str(form.get("new_password_again") or "")
    outcome = await run_in_threadpool(_change_password, st, user.id, old, new, again, actor_of(request, user))
    if outcome.errors:
        return render(request, "password.html", {"forced": outcome.must_change, "errors": outcome.errors,
                                                 "min_length": st.config.password_min_length},
                      status=429 if outcome.wait else 422,
                      headers={"Retry-After": str(outcome.wait)} if outcome.wait else None)
    _fresh_cookie(request, outcome.token)
    flash(request, "Your password was changed.")
    return redirect("/admin")


def _change_password(st: ServerState, account_id: int, old: str, new: str, again: str,
                     actor: Actor) -> PasswordOutcome:
    """The current password is checked under the login throttle (a stolen session must not be a
    way to guess it), each wrong one audited."""
    cfg = st.config
    errors: dict[str, object] = {}
    with st.db.session() as db:
        account = db.get(Account, account_id)
        name, ip = account.username.lower()[:64], actor.ip or ""
        block = login_block(db, name, ip, max_failures=cfg.login_max_failures,
                            window_minutes=cfg.login_window_minutes)
        if block:
            note_blocked(db, actor, "password_change_blocked", account.username, block)
            return PasswordOutcome({"current_password": (WAIT_MESSAGE, {"m": math.ceil(block.seconds / 60)})},
                                   account.must_change_password, wait=block.seconds)
        right = verify_password(account.password_hash, old)
        record_login(db, name, ip, right)
        if not right:
            errors["current_password"] = "The current password is wrong."
            record(db, actor, "password_change_failed", entity_type="account", entity_id=account.username)
        problem = password_problem(new, min_length=cfg.password_min_length, username=account.username,
                                   old_password=old)
        if problem:
            errors["new_password"] = (problem, {"n": cfg.password_min_length})
        elif new != again:
            errors["new_password_again"] = "The two new passwords differ."
        if errors:
            return PasswordOutcome(errors, account.must_change_password)
        account.password_hash = hash_password(new)
        account.must_change_password = False
        account.password_changed_at = utcnow()
        sessions.end_all(db, account)  # every other browser logs in again; this one goes on
        token = sessions.start(db, account, hours=cfg.session_hours, ip=ip)
        record(db, actor, "password_change", entity_type="account", entity_id=account.username)
    return PasswordOutcome({}, token=token)

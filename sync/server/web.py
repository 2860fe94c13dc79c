"""What every page shares: the request's user and language, templates, CSRF-checked forms,
flash messages, redirects and errors."""
from __future__ import annotations

import ipaddress
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from fastapi import HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData

from sync.server import i18n, sessions
from sync.server.bootstrap import ServerState
from sync.server.models import Account
from sync.server.security import CSRF_FIELD, CSRF_HEADER, csrf_token, csrf_valid

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TIRANE = ZoneInfo("Europe/Tirane")

templates = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=select_autoescape(["html"]),
                        trim_blocks=True, lstrip_blocks=True)


def local_time(value: datetime | str | None, fmt: str = "%d.%m.%Y %H:%M") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(TIRANE).strftime(fmt)


templates.filters["local"] = local_time


#: A row number in a path (a version, a kiosk, an account): anything else is a 422, never an
#: integer SQLite cannot hold.
RowId = Annotated[int, PathParam(ge=0, le=2**62)]


class Redirect(Exception):
    """Raised to send the browser elsewhere (303)."""

    def __init__(self, url: str):
        self.url = url


class Forbidden(Exception):
    def __init__(self, message: str = "You are not allowed to do this."):
        self.message = message


def state(request: Request) -> ServerState:
    return request.app.state.server


def lang_of(request: Request) -> str:
    """The staff pages' language: ?lang= (remembered in the session), else the session's, else sq."""
    asked = request.query_params.get("lang")
    if asked in i18n.LANGUAGES:
        request.session["lang"] = asked
        return asked
    value = request.session.get("lang")
    return value if value in i18n.LANGUAGES else i18n.DEFAULT


def forwarded_client(peer: str, forwarded_for: str, trusted: tuple[str, ...]) -> str:
    """The visitor's address behind trusted proxies: when ``peer`` is one of them, the right-most
    X-Forwarded-For hop that is not (what the nearest trusted proxy saw; every hop left of it
    is whatever the client wrote)."""
    networks = [ipaddress.ip_network(t, strict=False) for t in trusted]

    def is_proxy(address: str) -> bool:
        try:
            return any(ipaddress.ip_address(address) in net for net in networks)
        except ValueError:
            return False

    if not is_proxy(peer):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not is_proxy(hop):
            return hop
    return hops[0] if hops else peer


def client_ip(request: Request) -> str:
    peer = request.client.host if request.client else "unknown"
    config = state(request).config
    if config.trust_proxy_headers:
        peer = forwarded_client(peer, request.headers.get("x-forwarded-for", ""), config.trusted_proxies)
    return peer[:64]


_MISSING = object()


def current_user(request: Request) -> Account | None:
    """The logged-in account, or None: the session cookie's token names a live session row
    (see :mod:`sync.server.sessions`)."""
    cached = getattr(request.state, "user", _MISSING)
    if cached is not _MISSING:
        return cached
    user = None
    token = request.session.get("sid")
    if token is not None:
        with state(request).db.session() as db:
            user = sessions.account_of(db, token)
            if user is not None:
                db.expunge(user)
        if user is None:
            request.session.pop("sid", None)
    request.state.user = user
    return user


def page_number(request: Request, total: int, per_page: int) -> tuple[int, int]:
    """(the asked ``?page``, kept within 1 .. the last page; the number of pages)."""
    pages = max(1, -(-total // per_page))
    raw = request.query_params.get("page") or "1"
    page = int(raw) if raw.isdigit() and len(raw) < 12 else 1
    return min(max(1, page), pages), pages


def safe_next(target: str | None) -> str:
    """Only local paths: never redirect a login to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/admin"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/admin"


def require_user(request: Request, role: str | None = None, *, allow_password_change: bool = False) -> Account:
    user = current_user(request)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            target = "/admin"
        raise Redirect("/login?next=" + quote(target, safe="/"))
    if user.must_change_password and not allow_password_change:
        raise Redirect("/account/password")
    if role == "admin" and user.role != "admin":
        raise Forbidden("Only an administrator can do this.")
    return user


async def checked_form(request: Request) -> FormData:
    """The submitted form, after its CSRF token was checked against the session's."""
    form = await request.form()
    submitted = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not csrf_valid(request.session, submitted if isinstance(submitted, str) else None):
        raise HTTPException(status_code=403, detail="CSRF")
    return form


def flash(request: Request, text: str, kind: str = "ok", /, **params: Any) -> None:
    """A message for the next page; ``text`` is a message id, ``params`` its values (values that
    are message ids themselves are translated too)."""
    request.session.setdefault("flash", []).append([kind, text, params])


def render(request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200,
           headers: dict[str, str] | None = None, *, public: bool = False) -> HTMLResponse:
    """A page. ``public`` pages do not touch the session (no cookie for visitors), and take
    their language from ``context``."""
    if public:
        lang = (context or {}).get("lang", i18n.DEFAULT)
        user, messages, csrf = None, [], ""
    else:
        lang = lang_of(request)
        user = current_user(request)
        messages = request.session.pop("flash", [])
        csrf = csrf_token(request.session)
    tr = i18n.translator(lang)
    ctx = {"request": request, "lang": lang, "_": tr, "user": user, "csrf": csrf,
           "csrf_field": CSRF_FIELD,
           "messages": [(k, tr(m, **{n: tr(v) if isinstance(v, str) and v in i18n.SQ else v for n, v in p.items()}))
                        for k, m, p in messages],
           "path": request.url.path, "config": state(request).config, "other_lang": "en" if lang == "sq" else "sq",
           "public": public}
    ctx.update(context or {})
    html = templates.get_template(name).render(ctx)
    response = HTMLResponse(html, status_code=status, headers=headers)
    response.headers["Cache-Control"] = "no-store"
    return response


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def wants_html(request: Request) -> bool:
    """Content negotiation of the URLs that are both HSDS API and public pages."""
    fmt = request.query_params.get("format")
    if fmt in ("json", "ndjson"):
        return False
    if fmt == "html":
        return True
    accept = request.headers.get("accept", "")
    return "text/html" in accept


def error_page(request: Request, status: int, message: str) -> Response:
    try:
        return render(request, "error.html", {"status": status, "message": message}, status=status)
    except Exception:  # noqa: BLE001 - the error page must not fail
        return HTMLResponse(f"<h1>{status}</h1>", status_code=status)

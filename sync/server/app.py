"""The catalogue server's web application: :func:`create_app` puts the routers, the middlewares
and the error pages together on a started :class:`~sync.server.bootstrap.ServerState`. The
``kiosk-server`` command is :mod:`sync.server.cli`."""
from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from sync.server import (
    bootstrap,
    i18n,
    middleware,
    public_pages,
    routes_admin,
    routes_auth,
    routes_categories,
    routes_dashboard,
    routes_feed,
    routes_hsds,
    routes_places,
    routes_services,
    routes_telemetry,
    routes_reports,
    routes_demand,
)
from sync.server.bootstrap import ServerState
from sync.server.config import ServerConfig
from sync.server.forms.fields import Message
from sync.server.web import Forbidden, Redirect, error_page, wants_html

log = logging.getLogger("kiosk-server")
STATIC_DIR = Path(__file__).resolve().parent / "static"
SESSION_COOKIE = "kiosk_server_session"
#: Every router, in the order their paths are matched (the icons before the /static folder).
ROUTERS = (routes_auth, routes_dashboard, routes_services, routes_places, routes_categories, routes_admin,
           routes_feed, routes_telemetry, routes_reports, routes_demand, routes_hsds, public_pages)


def _warm_up() -> None:
    """Import jsonschema's format checkers (seconds, once) before the first save or publish."""
    try:
        from sync.feed import verify

        verify.service_validator()
    except Exception:  # noqa: BLE001 - only a warm-up
        log.exception("warm-up")


def create_app(state: ServerState) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
        yield
        state.db.dispose()

    app = FastAPI(title="Elbasan social services catalogue", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    app.state.server = state
    for module in ROUTERS:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.add_middleware(SessionMiddleware, secret_key=state.session_secret, session_cookie=SESSION_COOKIE,
                       max_age=state.config.session_hours * 3600, same_site="lax",
                       https_only=state.config.https_only)
    app.add_middleware(middleware.SecurityHeaders, https_only=state.config.https_only)
    app.add_middleware(middleware.BodyLimit)  # added last: the outermost, before sessions and routes
    app.add_exception_handler(Redirect, _redirect)
    app.add_exception_handler(Forbidden, _forbidden)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _bad_path)
    app.add_exception_handler(DataError, _unstorable)
    app.add_exception_handler(Exception, _crash)
    return app


def app_for(config: ServerConfig) -> tuple[FastAPI, ServerState]:
    state = bootstrap.start(config)
    return create_app(state), state


async def _redirect(_request: Request, exc: Redirect) -> Response:
    return RedirectResponse(exc.url, status_code=303)


async def _forbidden(request: Request, exc: Forbidden) -> Response:
    return error_page(request, 403, exc.message)


def _message(exc: StarletteHTTPException) -> Message:
    if isinstance(exc, middleware.TooLarge):
        return (middleware.MESSAGE, {"n": exc.limit // middleware.KB})
    if exc.status_code == 403 and exc.detail == "CSRF":
        return "The form has expired or did not come from this site. Go back, reload the page and try again."
    if exc.status_code == 404:
        return "Not found."
    if exc.status_code == 405:
        return "This address does not take that kind of request."
    return "Something went wrong."


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    message = _message(exc)
    if not wants_html(request) and not request.url.path.startswith(("/admin", "/login", "/logout", "/account")):
        text = i18n.translate(message[0], "en", **message[1]) if isinstance(message, tuple) else message
        return JSONResponse({"error": text}, status_code=exc.status_code, headers=exc.headers)
    response = error_page(request, exc.status_code, message)
    response.headers.update(exc.headers or {})
    return response


async def _bad_path(request: Request, _exc: RequestValidationError) -> Response:
    """A path value out of range (``/admin/publish/99999999999999999999/republish``): no such item."""
    return await _http_error(request, StarletteHTTPException(404))


UNSTORABLE = "The request holds a character that cannot be stored (a NUL). Remove it and try again."


async def _unstorable(request: Request, exc: DataError) -> Response:
    """PostgreSQL refuses a NUL in text (SQLite keeps it): a hostile path or field, not a crash."""
    log.warning("refused on %s %s: %s", request.method, request.url.path, str(exc.orig).splitlines()[0])
    if not wants_html(request) and not request.url.path.startswith(("/admin", "/login", "/logout", "/account")):
        return JSONResponse({"error": UNSTORABLE}, status_code=400)
    return error_page(request, 400, UNSTORABLE)


async def _crash(request: Request, exc: Exception) -> Response:
    log.exception("error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_page(request, 500, "Something went wrong. The error was logged; please try again.")

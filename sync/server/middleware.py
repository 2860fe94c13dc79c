"""The server's two ASGI middlewares: request body caps and the security headers.

Body caps are per route, enforced before anything reads, parses or authenticates a body.
:class:`BodyLimit` is the outermost middleware: a request whose ``Content-Length`` is over
its route's cap is refused with 413 at once, without reading a byte of the body; a chunked body
is counted as it streams in, and the read that goes over the cap raises a 413 inside the app
(which answers it in the staff member's language). Either way the server holds at most one
chunk more than the cap, and the connection is closed after the answer.
"""
from __future__ import annotations

import json
from typing import Any, Awaitable, Callable

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException

from sync.server import i18n

KB = 1024
MB = 1024 * KB
LOGIN = 16 * KB
FORM = 64 * KB
#: A service form with every text at its length limit, in both languages, fits.
CATALOGUE_FORM = 1 * MB
#: The largest import (50 MB) and its multipart envelope.
IMPORT = 50 * MB + 64 * KB
HEARTBEAT = 16 * KB
#: The feedback posts' caps are the contract's (sync.feed.telemetry).
FEEDBACK = {"/api/reports": 256 * KB, "/api/usage": 1 * MB}
CATALOGUE_FORMS = ("/admin/services", "/admin/organizations", "/admin/locations", "/admin/categories")
MESSAGE = "The request is too large (at most {n} KB)."

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def body_limit(path: str) -> int:
    if path == "/admin/import":
        return IMPORT
    if path == "/api/heartbeat":
        return HEARTBEAT
    if path in FEEDBACK:
        return FEEDBACK[path]
    if path == "/login":
        return LOGIN
    if path.startswith(CATALOGUE_FORMS):
        return CATALOGUE_FORM
    return FORM


class TooLarge(HTTPException):
    def __init__(self, limit: int):
        super().__init__(413, MESSAGE, headers={"Connection": "close"})
        self.limit = limit


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or []:
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() and len(text) < 20 else -1
    return None


async def _refuse(scope: Scope, send: Send, limit: int) -> None:
    """413 before the app runs: plain JSON for the API, both languages for a browser."""
    n = limit // KB
    if scope["path"].startswith(("/api/", "/feed/")):
        body = json.dumps({"error": MESSAGE.format(n=n)}).encode("utf-8")
        kind = b"application/json"
    else:
        text = " / ".join(i18n.translate(MESSAGE, lang, n=n) for lang in i18n.LANGUAGES)
        body = f"<!doctype html><meta charset=utf-8><title>413</title><h1>413</h1><p>{text}</p>".encode("utf-8")
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"])
        declared = _declared_length(scope)
        if declared is not None and not 0 <= declared <= limit:
            await _refuse(scope, send, limit)
            return
        received = 0

        async def limited() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise TooLarge(limit)
            return message

        await self.app(scope, limited, send)


CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class SecurityHeaders:
    """nosniff and same-origin referrers on every answer; CSP and no framing on pages; HSTS
    when the server runs behind TLS (``https_only``)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], *, https_only: bool):
        self.app = app
        self.https_only = https_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", CSP)
                    headers.setdefault("X-Frame-Options", "DENY")
                if self.https_only:
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            await send(message)

        await self.app(scope, receive, with_headers)

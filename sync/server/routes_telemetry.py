"""``POST /api/reports`` and ``POST /api/usage``: what the kiosks tell the staff (contract:
:mod:`sync.feed.telemetry`; storing: :mod:`sync.server.feedback_ingest`).

Authorised by the kiosk token alone (``Authorization: Bearer``, as ``/api/heartbeat``); 401 with
``WWW-Authenticate: Bearer`` otherwise, before a byte of the body is read. The body is capped by
:mod:`sync.server.middleware` (``Content-Length`` first, then as it streams) and by the contract's
parser before JSON is parsed. 413 or 422 ``{"error": ...}`` store nothing; 200 ``{"accepted": [ids]}``
only after the transaction committed; a database error is 503 and nothing is accepted.
"""
from __future__ import annotations

import logging
from typing import Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from sync.feed import telemetry
from sync.server import feedback_ingest
from sync.server.web import state

log = logging.getLogger(__name__)
router = APIRouter()


def _unauthorized(detail: str) -> Response:
    return JSONResponse({"error": detail}, status_code=401, headers={"WWW-Authenticate": "Bearer"})


async def _post(request: Request, parse: Callable, store: Callable) -> Response:
    st = state(request)
    authorization = request.headers.get("authorization", "")
    with st.db.session() as db:
        kiosk = feedback_ingest.kiosk_for(db, authorization)
    if kiosk is None:
        return _unauthorized("unknown or revoked kiosk token")
    body = await request.body()  # capped by the middleware
    try:
        post = parse(body)
        with st.db.session() as db:
            accepted = store(db, kiosk, post)  # only kiosk.id is used: a row deleted since cascades
    except telemetry.TelemetryError as exc:
        status = 413 if exc.code == "too_large" else 422
        return JSONResponse({"error": exc.detail or exc.code}, status_code=status)
    except SQLAlchemyError:
        log.exception("feedback not stored")
        return JSONResponse({"error": "not stored, try again later"}, status_code=503, headers={"Retry-After": "60"})
    return Response(telemetry.encode(telemetry.Accepted(accepted=accepted)), media_type="application/json")


@router.post("/api/reports")
async def reports(request: Request) -> Response:
    return await _post(request, telemetry.parse_reports, feedback_ingest.store_reports)


@router.post("/api/usage")
async def usage(request: Request) -> Response:
    return await _post(request, telemetry.parse_usage, feedback_ingest.store_usage)

"""What kiosks fetch and send without a login: the signed feed files and their assets, the
heartbeat (a kiosk token, good for nothing else), and the health check."""
from __future__ import annotations

from email.utils import formatdate, parsedate_to_datetime

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from sqlalchemy import select

from sync.server import heartbeat as heartbeats
from sync.server.hsds_index import index
from sync.server.models import Kiosk, utcnow
from sync.server.security import token_digest
from sync.server.web import client_ip, state

router = APIRouter()


def _accepts_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").split(","):
        bits = [b.strip() for b in part.split(";")]
        if bits[0].lower() in ("gzip", "x-gzip", "*"):
            q = next((b[2:] for b in bits[1:] if b.startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def _not_modified(request: Request, etag: str, mtime: float) -> bool:
    inm = request.headers.get("if-none-match")
    if inm is not None:
        wanted = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in wanted or etag in wanted
    ims = request.headers.get("if-modified-since")
    if ims:
        try:
            return int(mtime) <= parsedate_to_datetime(ims).timestamp()
        except (TypeError, ValueError, IndexError):
            return False
    return False


FEED_FILES = {"feed.json": "application/json; charset=utf-8", "feed.json.gz": "application/gzip",
              "feed.json.sig": "text/plain; charset=utf-8", "pubkey": "text/plain; charset=utf-8"}


@router.api_route("/feed/{name}", methods=["GET", "HEAD"])
def feed_file(request: Request, name: str) -> Response:
    """The signed feed as ``kiosk-feed build`` wrote it. Kiosks revalidate (no-cache) with the
    ETag (SHA-256 of the bytes) and get 304 when nothing changed."""
    if name not in FEED_FILES:
        return Response("Not found\n", status_code=404, media_type="text/plain")
    files = state(request).feed_files
    item = files.get(name)
    if item is None:
        return Response("Nothing has been published yet\n", status_code=404, media_type="text/plain")
    headers = {"Cache-Control": "no-cache", "Last-Modified": formatdate(item.mtime, usegmt=True),
               "X-Content-Type-Options": "nosniff", "Access-Control-Allow-Origin": "*"}
    body, etag = item.data, item.etag
    if name == "feed.json":
        headers["Vary"] = "Accept-Encoding"
        gz = files.get("feed.json.gz") if _accepts_gzip(request) else None
        if gz is not None:
            body, etag = gz.data, item.etag[:-1] + '-gzip"'
            headers["Content-Encoding"] = "gzip"
    headers["ETag"] = etag
    if _not_modified(request, etag, item.mtime) or (
            name == "feed.json" and _not_modified(request, item.etag, item.mtime)):
        return Response(status_code=304, headers=headers)
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(status_code=200, headers=headers, media_type=FEED_FILES[name])
    return Response(body, headers=headers, media_type=FEED_FILES[name])


@router.get("/feed/assets/{sha}")
def feed_asset(request: Request, sha: str) -> Response:
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        return Response("Not found\n", status_code=404, media_type="text/plain")
    path = state(request).config.feed_dir / "assets" / sha
    if not path.is_file():
        return Response("Not found\n", status_code=404, media_type="text/plain")
    return FileResponse(path, media_type="application/octet-stream",
                        headers={"Cache-Control": "public, max-age=31536000, immutable", "ETag": f'"{sha}"'})


def _unauthorized(message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=401, headers={"WWW-Authenticate": "Bearer"})


@router.post("/api/heartbeat")
async def heartbeat(request: Request) -> Response:
    """A kiosk's "alive and current": ``Authorization: Bearer <its token>`` and a JSON body
    (see :mod:`sync.server.heartbeat`). The token is good for nothing else."""
    auth = request.headers.get("authorization", "")
    if not auth[:7].lower() == "bearer " or len(auth) > 300:
        return _unauthorized("a kiosk token is required")
    token = auth[7:].strip()
    st = state(request)

    def known() -> bool:
        with st.db.session() as db:
            return db.scalar(select(Kiosk.id).where(Kiosk.token_sha256 == token_digest(token),
                                                    Kiosk.revoked_at.is_(None))) is not None

    # The database work runs in the thread pool: on PostgreSQL each query waits on the network,
    # and the worker's event loop must go on serving the other kiosks meanwhile.
    if not await run_in_threadpool(known):
        return _unauthorized("unknown or revoked kiosk token")
    body = await request.body()  # at most middleware.HEARTBEAT bytes
    try:
        beat, payload = heartbeats.parse(body)
    except heartbeats.BadHeartbeat as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    ip = client_ip(request)
    name = await run_in_threadpool(_record_beat, st, token, beat, payload, ip)
    current = st.feed_files.document()
    return JSONResponse({"ok": True, "kiosk": name, "published_version": current["version"] if current else None})


def _record_beat(st, token: str, beat, payload, ip: str) -> str:  # noqa: ANN001
    with st.db.session() as db:
        kiosk = db.scalar(select(Kiosk).where(Kiosk.token_sha256 == token_digest(token)))
        kiosk.last_seen_at = utcnow()
        kiosk.last_ip = ip
        kiosk.reported_id, kiosk.app_version = beat.kiosk_id, beat.app_version
        kiosk.catalogue_version, kiosk.last_sync = beat.catalogue_version, beat.last_sync
        kiosk.printer_state = beat.printer_state if beat.printer_state is not None else beat.printer
        kiosk.uptime_seconds = beat.uptime_reported
        kiosk.last_outcome, kiosk.last_error = beat.last_outcome, beat.last_error
        kiosk.last_payload = payload
        kiosk.heartbeats = (kiosk.heartbeats or 0) + 1
        return kiosk.name


@router.get("/healthz")
def healthz(request: Request) -> Response:
    idx = index(request)
    return JSONResponse({"ok": True, "published_version": idx.version or None})


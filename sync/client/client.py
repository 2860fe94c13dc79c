"""The kiosk's fetch-verify-stage of the signed feed, offline-first. Never imports ``kiosk``.

One attempt (:meth:`SyncClient.run`):

1. ``GET feed.json.gz`` with ``If-None-Match`` / ``If-Modified-Since`` from the last verified
   download; ``304`` ends the attempt (one small request, no database write).
2. ``GET feed.json.sig``; gunzip the feed (streaming, capped: a gzip bomb stops at the cap).
3. :func:`sync.feed.verify.verify_feed` in TUF's order (size, signature, schema version, rollback,
   expiry, schema and sense). If the signature fails, both files are fetched once more: the
   publisher may have replaced them between the two GETs.
4. Download every referenced asset that is not cached yet, by SHA-256, into a content-addressed
   cache (``<asset dir>/<sha256>``).
5. Hand the verified document to the :class:`Target`, which applies it (one SQLite transaction) or
   stages it until the kiosk is next on its welcome screen.

Every failure ends as a :class:`SyncResult` with a stable ``code`` that is also kept in the status
file (JSON, written atomically). The previous catalogue is never touched by a failed attempt.

Network hygiene (pip's and twine's session code): one :func:`make_session` factory with urllib3
``Retry`` on GET only (exponential backoff with jitter, ``Retry-After`` honoured up to a bound),
connect and read timeouts on every request, an overall deadline enforced by a watchdog that shuts
the sockets down (a server that trickles a byte a second cannot hold a sync), streaming with a size
cap, a User-Agent, and network errors turned into :class:`SyncError`.
"""
from __future__ import annotations

import fcntl
import hashlib
import io
import json
import logging
import os
import socket
import threading
import time
import zlib
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from sync.feed import verify as verifymod
from sync.feed.document import FeedError, format_timestamp, parse_timestamp, utcnow
from sync.feed.files import write_atomic

log = logging.getLogger(__name__)

MIB = 1024 * 1024
FEED_NAME = "feed.json"
GZIP_MAGIC = b"\x1f\x8b"
STATUS_HISTORY = 20


class SyncError(Exception):
    """A sync attempt that failed before or outside verification. ``code`` is stable."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


# Codes an attempt can end with, besides verify's (too_large, bad_signature, unknown_key,
# unknown_schema_version, rollback, expired, invalid):
#   http_status        the server answered something other than 200/304 (detail: "HTTP 503 ...")
#   connection_error   refused, reset, DNS, TLS
#   timeout            connect or read timeout (after the retries)
#   deadline           the whole attempt took longer than the deadline (e.g. a trickling server)
#   cancelled          the kiosk is shutting down
#   truncated          the body ended early (Content-Length or gzip stream incomplete)
#   bad_encoding       not gzip / JSON, or a Content-Encoding we did not ask for
#   asset_failed       an asset could not be downloaded or did not match its SHA-256
#   apply_failed       the database refused the new catalogue (disk full, read-only, ...)
#   busy               another sync is running (kiosk sync while the kiosk app syncs)
#   not_configured     no feed URL or no public key


@dataclass(frozen=True)
class ClientOptions:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 300.0             # the whole attempt: feed, signature and assets
    retries: int = 3
    backoff_factor: float = 1.0         # 0, 2, 4, 8 s ... (urllib3: factor * 2**(n-1))
    backoff_max: float = 60.0
    backoff_jitter: float = 1.0         # plus up to this many random seconds
    retry_after_max: float = 120.0      # a Retry-After beyond this is cut to it
    max_feed_bytes: int = 64 * MIB      # on the wire and after gunzip
    max_signature_bytes: int = 16 * 1024
    max_asset_bytes: int = 4 * MIB      # one asset
    max_assets_bytes: int = 256 * MIB   # all assets of one feed
    chunk_size: int = 64 * 1024
    user_agent: str = "elbasan-kiosk-sync"
    limits: verifymod.Limits | None = None

    @property
    def verify_limits(self) -> verifymod.Limits:
        base = self.limits or verifymod.DEFAULT_LIMITS
        if base.max_bytes != self.max_feed_bytes:
            from dataclasses import replace

            base = replace(base, max_bytes=self.max_feed_bytes)
        return base


# ------------------------------------------------------------------------------- deadline


_local = threading.local()


def current_guard() -> "Guard | None":
    return getattr(_local, "guard", None)


class Guard:
    """An overall deadline (and a cancel switch) for the HTTP work of one thread.

    While it is entered, every connection the session uses is watched; when the deadline passes
    or :meth:`cancel` is called, a watchdog thread shuts those sockets down, so a read blocked on
    a server that trickles bytes (or never answers) returns at once. Retry back-off sleeps are cut
    short the same way.
    """

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.deadline = clock() + seconds
        self.reason: str | None = None      # "deadline" or "cancelled" once tripped
        self._event = threading.Event()
        self._conns: list[Any] = []
        self._lock = threading.Lock()
        self._watchdog: threading.Thread | None = None
        self._done = False

    # -- state
    @property
    def tripped(self) -> bool:
        return self.reason is not None

    def remaining(self) -> float:
        return self.deadline - self.clock()

    def check(self) -> None:
        if self.reason is None and self.remaining() <= 0:
            self.reason = "deadline"
        if self.reason is not None:
            raise SyncError(self.reason, "the sync took too long" if self.reason == "deadline"
                            else "the sync was cancelled")

    def cancel(self) -> None:
        if self.reason is None:
            self.reason = "cancelled"
        self._event.set()

    def sleep(self, seconds: float) -> None:
        """Sleep within the deadline; raise at once if the sleep would pass it."""
        self.check()
        if seconds > self.remaining():
            self.reason = self.reason or "deadline"
            self.check()
        if seconds > 0 and self._event.wait(seconds):
            self.check()

    def watch(self, conn: Any) -> None:
        with self._lock:
            if all(c is not conn for c in self._conns):
                self._conns.append(conn)
        if self.reason is not None:
            self._shutdown()

    # -- the watchdog
    def __enter__(self) -> "Guard":
        _local.guard = self
        self._watchdog = threading.Thread(target=self._watch, name="sync-deadline", daemon=True)
        self._watchdog.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._done = True
        self._event.set()
        if getattr(_local, "guard", None) is self:
            _local.guard = None
        if self._watchdog is not None:
            self._watchdog.join(timeout=2)

    def _watch(self) -> None:
        self._event.wait(max(0.0, self.remaining()))
        if self._done:
            return
        if self.reason is None:
            self.reason = "deadline"
        # Keep shutting sockets down until the attempt gives up: a connection may be completing
        # its connect() right now.
        while not self._done:
            self._shutdown()
            time.sleep(0.05)

    def _shutdown(self) -> None:
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            sock = getattr(conn, "sock", None)
            if sock is None:
                continue
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class GuardedRetry(Retry):
    """urllib3 Retry whose sleeps (back-off and Retry-After) respect the current Guard."""

    def sleep(self, response=None) -> None:  # type: ignore[override]
        wait = None
        if self.respect_retry_after_header and response is not None:
            wait = self.get_retry_after(response)
        if not wait:
            wait = self.get_backoff_time()
        guard = current_guard()
        if guard is not None:
            guard.sleep(wait)
        elif wait > 0:
            time.sleep(wait)


class _GuardedPoolMixin:
    def _make_request(self, conn, *args, **kwargs):  # noqa: ANN001 - urllib3's private hook
        guard = current_guard()
        if guard is not None:
            guard.check()
            guard.watch(conn)
        return super()._make_request(conn, *args, **kwargs)


class _GuardedHTTPPool(_GuardedPoolMixin, urllib3.HTTPConnectionPool):
    pass


class _GuardedHTTPSPool(_GuardedPoolMixin, urllib3.HTTPSConnectionPool):
    pass


_GUARDED_POOLS = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}


class GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_GUARDED_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = dict(_GUARDED_POOLS)
        return manager


def make_retry(options: ClientOptions) -> Retry:
    return GuardedRetry(
        total=options.retries, connect=options.retries, read=options.retries,
        status=options.retries, other=0, redirect=5,
        allowed_methods=frozenset({"GET"}),
        status_forcelist=frozenset({429, 500, 502, 503, 504}),
        backoff_factor=options.backoff_factor, backoff_max=options.backoff_max,
        backoff_jitter=options.backoff_jitter, retry_after_max=options.retry_after_max,
        respect_retry_after_header=True, raise_on_status=False, raise_on_redirect=True)


def make_session(options: ClientOptions | None = None) -> requests.Session:
    """The one HTTP session factory of the sync: retries, User-Agent, guarded pools."""
    options = options or ClientOptions()
    session = requests.Session()
    adapter = GuardedAdapter(max_retries=make_retry(options), pool_connections=2, pool_maxsize=2)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = options.user_agent
    session.max_redirects = 5
    return session


# ------------------------------------------------------------------------------- fetching


class _Gunzip:
    """Streaming gunzip whose output is capped (a gzip bomb stops at the cap)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes) -> bytes:
        out = []
        while data:
            if self._d.eof:
                raise SyncError("bad_encoding", "data after the end of the gzip stream")
            try:
                chunk = self._d.decompress(data, self.limit - self.size + 1)
            except zlib.error as exc:
                raise SyncError("bad_encoding", f"gzip: {exc}") from exc
            self.size += len(chunk)
            if self.size > self.limit:
                raise SyncError("too_large", f"more than {self.limit} bytes after gunzip")
            out.append(chunk)
            data = self._d.unconsumed_tail or (self._d.unused_data if self._d.eof else b"")
        return b"".join(out)

    def finish(self) -> bytes:
        if not self._d.eof:
            raise SyncError("truncated", "the gzip stream ends early")
        return b""


@dataclass
class Fetched:
    url: str
    status: int
    body: bytes | None
    etag: str | None
    last_modified: str | None
    wire_bytes: int

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _network_error(exc: BaseException, url: str) -> SyncError:
    guard = current_guard()
    if guard is not None and guard.tripped:
        return SyncError(guard.reason or "deadline", f"{url}: stopped")
    text = f"{url}: {type(exc).__name__}: {exc}"[:300]
    seen: list[BaseException] = []
    todo = [exc]
    while todo and len(seen) < 16:
        e = todo.pop()
        if e is None or any(e is s for s in seen):
            continue
        seen.append(e)
        todo += [e.__cause__, e.__context__, getattr(e, "reason", None)]
        todo += [a for a in getattr(e, "args", ()) if isinstance(a, BaseException)]
    errors = urllib3.exceptions
    if any(isinstance(e, errors.NewConnectionError) for e in seen):
        return SyncError("connection_error", text)
    if any(isinstance(e, (requests.Timeout, errors.ReadTimeoutError, errors.ConnectTimeoutError,
                          TimeoutError)) for e in seen):
        return SyncError("timeout", text)
    if any(isinstance(e, errors.IncompleteRead) or type(e).__name__ == "IncompleteRead" for e in seen):
        return SyncError("truncated", text)
    return SyncError("connection_error", text)


def fetch(session: requests.Session, url: str, *, max_bytes: int, options: ClientOptions,
          etag: str | None = None, last_modified: str | None = None,
          gunzip: bool = True) -> Fetched:
    """GET ``url`` into memory: conditional, streamed, capped on the wire and after gunzip.

    The body is read as raw bytes; a ``Content-Encoding: gzip`` layer and a gzip file (the
    ``.gz`` the publisher writes) are both undone here, under the same cap.
    """
    headers = {"Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    guard = current_guard()
    try:
        if guard is not None:
            guard.check()
        resp = session.get(url, headers=headers, stream=True,
                           timeout=(options.connect_timeout, options.read_timeout))
    except SyncError:
        raise
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
        raise _network_error(exc, url) from exc
    with resp:
        if resp.status_code == 304:
            return Fetched(url, 304, None, resp.headers.get("ETag") or etag,
                           resp.headers.get("Last-Modified") or last_modified, 0)
        if resp.status_code != 200:
            raise SyncError("http_status", f"HTTP {resp.status_code} from {url}")
        length = resp.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise SyncError("too_large", f"{url}: Content-Length {length} (at most {max_bytes})")
        encoding = (resp.headers.get("Content-Encoding") or "identity").strip().lower()
        if encoding not in ("identity", "gzip", "x-gzip"):
            raise SyncError("bad_encoding", f"{url}: Content-Encoding {encoding}")
        layers: list[_Gunzip] = [_Gunzip(max_bytes)] if encoding != "identity" else []
        out = io.BytesIO()
        wire = 0
        head = b""               # the first bytes, until we know whether they are a gzip file
        decided = not gunzip
        try:
            while True:
                if guard is not None:
                    guard.check()
                chunk = resp.raw.read1(options.chunk_size, decode_content=False)
                if not chunk:
                    break
                wire += len(chunk)
                if wire > max_bytes:
                    raise SyncError("too_large", f"{url}: more than {max_bytes} bytes")
                for layer in layers:
                    chunk = layer.feed(chunk)
                if not decided:
                    head += chunk
                    if len(head) < 2:
                        continue
                    decided, chunk, head = True, head, b""
                    if chunk[:2] == GZIP_MAGIC:
                        layers.append(_Gunzip(max_bytes))
                        chunk = layers[-1].feed(chunk)
                out.write(chunk)
                if out.tell() > max_bytes:
                    raise SyncError("too_large", f"{url}: more than {max_bytes} bytes")
            out.write(head)
            if guard is not None:
                guard.check()
            for layer in layers:
                layer.finish()
        except SyncError:
            raise
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
            raise _network_error(exc, url) from exc
        if length and length.isdigit() and wire < int(length):
            raise SyncError("truncated", f"{url}: {wire} of {length} bytes")
        return Fetched(url, 200, out.getvalue(), resp.headers.get("ETag"),
                       resp.headers.get("Last-Modified"), wire)


def feed_urls(feed_url: str) -> tuple[str, str]:
    """(URL of the gzipped feed, URL of its signature) for a configured feed URL.

    ``https://host/path/`` and ``https://host/path/feed.json`` both mean the directory that
    ``kiosk-feed build`` wrote; ``.../feed.json.gz`` names the compressed file directly.
    """
    if feed_url.endswith("/"):
        feed_url += FEED_NAME
    if feed_url.endswith(".gz"):
        return feed_url, feed_url[:-3] + ".sig"
    return feed_url + ".gz", feed_url + ".sig"


# ------------------------------------------------------------------------------- assets


class AssetCache:
    """Content-addressed files: ``<dir>/<sha256>``, written only after their hash matched."""

    def __init__(self, directory: Path):
        self.dir = Path(directory)

    def path(self, sha256: str) -> Path:
        return self.dir / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def missing(self, shas: Iterable[str]) -> list[str]:
        return [s for s in shas if not self.has(s)]

    def store(self, sha256: str, data: bytes) -> Path:
        if hashlib.sha256(data).hexdigest() != sha256:
            raise SyncError("asset_failed", f"asset {sha256[:12]}... does not match its SHA-256")
        write_atomic(self.path(sha256), data)
        return self.path(sha256)

    def prune(self, keep: Iterable[str]) -> int:
        """Delete cached files no catalogue refers to any more; returns how many."""
        keep = set(keep)
        removed = 0
        try:
            entries = list(self.dir.iterdir())
        except OSError:
            return 0
        for entry in entries:
            if entry.name not in keep and (len(entry.name) == 64 or entry.name.startswith(".tmp-")):
                try:
                    entry.unlink()
                    removed += 1
                except OSError:
                    pass
        return removed


# ------------------------------------------------------------------------------- status


class StatusStore:
    """The sync status, one small JSON file replaced atomically (write, fsync, rename)."""

    DEFAULTS: dict[str, Any] = {
        "last_attempt": None, "last_success": None, "last_outcome": None, "last_error": None,
        "version": None, "pending_version": None, "trusted_version": 0, "etag": None,
        "last_modified": None, "etag_version": None, "consecutive_failures": 0,
        "last_bytes": 0, "last_duration": None, "history": [],
    }

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.RLock()
        self._data = self._read()

    def _read(self) -> dict[str, Any]:
        data = dict(self.DEFAULTS)
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                data.update({k: v for k, v in loaded.items() if k in self.DEFAULTS})
        except (OSError, ValueError):
            pass
        return data

    def get(self) -> dict[str, Any]:
        with self._lock:
            return json.loads(json.dumps(self._data))

    def update(self, **fields: Any) -> dict[str, Any]:
        with self._lock:
            self._data.update(fields)
            self._write()
            return self.get()

    def _write(self) -> None:
        data = json.dumps(self._data, ensure_ascii=False, indent=1).encode("utf-8")
        try:
            write_atomic(self.path, data)
        except OSError as exc:  # a full or read-only disk must not break the sync itself
            log.warning("cannot write sync status %s: %s", self.path, exc)


class ProcessLock:
    """An exclusive, non-blocking lock file: one sync at a time across processes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


# ------------------------------------------------------------------------------- the attempt


class Target(Protocol):
    """Where a verified feed goes: the kiosk's catalogue, seen through this small interface."""

    def current_version(self) -> int:
        """The version of the catalogue visitors see now (0 when none)."""

    def pending_version(self) -> int | None:
        """The version staged for the welcome screen (or being applied), if any."""

    def accept(self, doc: dict[str, Any], raw: bytes) -> str:
        """Apply the verified feed now ("applied") or stage it ("staged"); raise on failure."""


@dataclass
class SyncResult:
    outcome: str                  # "updated" | "unchanged" | "failed"
    version: int | None = None    # the feed version downloaded (updated), or the current one
    code: str | None = None       # failure code (see SyncError and sync.verify)
    detail: str = ""
    applied: bool = False         # updated and already visible (False: staged)
    started_at: str = ""
    duration: float = 0.0
    wire_bytes: int = 0
    requests: int = 0
    assets_downloaded: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome != "failed"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class SyncClient:
    def __init__(self, feed_url: str | None, public_keys: Iterable[Any], *, status: StatusStore,
                 assets: AssetCache, options: ClientOptions | None = None,
                 schema_cache: verifymod.SchemaCache | None = None,
                 session_factory: Callable[[ClientOptions], requests.Session] = make_session,
                 now: Callable[[], datetime] = utcnow):
        self.feed_url = feed_url
        self.public_keys = list(public_keys)
        self.status = status
        self.assets = assets
        self.options = options or ClientOptions()
        self.schema_cache = schema_cache
        self.session_factory = session_factory
        self.now = now
        self._guard: Guard | None = None

    def cancel(self) -> None:
        """Stop an attempt in progress (from another thread)."""
        guard = self._guard
        if guard is not None:
            guard.cancel()

    def run(self, target: Target) -> SyncResult:
        started = self.now()
        t0 = time.monotonic()
        result = SyncResult("failed", started_at=format_timestamp(started))
        self.status.update(last_attempt=result.started_at)
        counter = {"requests": 0, "bytes": 0}
        try:
            if not self.feed_url or not self.public_keys:
                raise SyncError("not_configured", "no feed URL or no public key")
            with Guard(self.options.deadline) as guard:
                self._guard = guard
                session = self.session_factory(self.options)
                session.hooks["response"].append(lambda r, *a, **k: counter.__setitem__(
                    "requests", counter["requests"] + 1))
                try:
                    self._attempt(session, target, result, counter)
                finally:
                    session.close()
        except (SyncError, FeedError) as exc:
            result.outcome, result.code, result.detail = "failed", exc.code, exc.detail
        except Exception as exc:  # noqa: BLE001 - a sync must never take the kiosk down
            log.exception("unexpected sync failure")
            result.outcome, result.code, result.detail = "failed", "internal", f"{type(exc).__name__}: {exc}"[:300]
        finally:
            self._guard = None
        result.duration = round(time.monotonic() - t0, 3)
        result.requests = counter["requests"]
        result.wire_bytes = counter["bytes"]
        self._record(result)
        return result

    # -- internals
    def _attempt(self, session: requests.Session, target: Target, result: SyncResult,
                 counter: dict[str, int]) -> None:
        st = self.status.get()
        current = target.current_version()
        pending = target.pending_version()
        newest = max(current, pending or 0)
        conditional = st.get("etag_version") == newest and newest > 0
        gz_url, sig_url = feed_urls(self.feed_url)
        opts = self.options
        limits = opts.verify_limits
        for attempt in (1, 2):
            feed = fetch(session, gz_url, max_bytes=opts.max_feed_bytes, options=opts,
                         etag=st.get("etag") if conditional else None,
                         last_modified=st.get("last_modified") if conditional else None)
            counter["bytes"] += feed.wire_bytes
            if feed.not_modified:
                result.outcome, result.version = "unchanged", newest
                return
            sig = fetch(session, sig_url, max_bytes=opts.max_signature_bytes, options=opts, gunzip=False)
            counter["bytes"] += sig.wire_bytes
            try:
                doc = verifymod.verify_feed(
                    feed.body, sig.body, self.public_keys, current_version=newest,
                    trusted_version=max(int(st.get("trusted_version") or 0), current),
                    now=self.now(), limits=limits, schema_cache=self.schema_cache)
                break
            except FeedError as exc:
                if exc.code == "same_version":
                    self.status.update(etag=feed.etag, last_modified=feed.last_modified,
                                       etag_version=newest)
                    result.outcome, result.version = "unchanged", newest
                    return
                if exc.code == "bad_signature" and attempt == 1:
                    log.info("signature mismatch; fetching the feed once more (%s)", exc.detail)
                    conditional = False
                    continue
                raise
        version = doc["version"]
        result.version = version
        result.assets_downloaded = self._download_assets(session, gz_url, doc, counter)
        current_guard().check()
        outcome = target.accept(doc, feed.body)
        result.applied = outcome == "applied"
        result.outcome = "updated"
        self.status.update(trusted_version=max(version, int(st.get("trusted_version") or 0)),
                           etag=feed.etag, last_modified=feed.last_modified, etag_version=version)

    def _download_assets(self, session: requests.Session, base_url: str, doc: dict[str, Any],
                         counter: dict[str, int]) -> int:
        wanted = verifymod.referenced_assets(doc)
        total = 0
        count = 0
        for sha in self.assets.missing(sorted(wanted)):
            url = urljoin(base_url, wanted[sha])
            if urlsplit(url).scheme not in ("https", "http") or (
                    urlsplit(url).scheme == "http" and urlsplit(url).netloc != urlsplit(base_url).netloc):
                raise SyncError("asset_failed", f"asset URL {url[:80]} is not https")
            try:
                got = fetch(session, url, max_bytes=self.options.max_asset_bytes, options=self.options,
                            gunzip=False)
            except SyncError as exc:
                if exc.code in ("deadline", "cancelled"):
                    raise
                raise SyncError("asset_failed", f"{exc.code}: {exc.detail}"[:300]) from exc
            counter["bytes"] += got.wire_bytes
            total += len(got.body)
            if total > self.options.max_assets_bytes:
                raise SyncError("asset_failed", f"assets over {self.options.max_assets_bytes} bytes")
            self.assets.store(sha, got.body)
            count += 1
        return count

    def _record(self, result: SyncResult) -> None:
        st = self.status.get()
        fields: dict[str, Any] = {"last_outcome": result.outcome, "last_bytes": result.wire_bytes,
                                  "last_duration": result.duration}
        if result.ok:
            fields.update(last_success=format_timestamp(self.now()), last_error=None,
                          consecutive_failures=0)
        else:
            fields.update(last_error={"code": result.code, "detail": result.detail,
                                      "at": format_timestamp(self.now())},
                          consecutive_failures=int(st.get("consecutive_failures") or 0) + 1)
        entry = {"at": result.started_at, "outcome": result.outcome, "code": result.code,
                 "version": result.version, "bytes": result.wire_bytes, "duration": result.duration}
        fields["history"] = ([entry] + list(st.get("history") or []))[:STATUS_HISTORY]
        self.status.update(**fields)


# ------------------------------------------------------------------------------- heartbeat


def post_heartbeat(url: str, payload: dict[str, Any], *, token: str | None = None,
                   timeout: tuple[float, float] = (3.0, 5.0), user_agent: str = "elbasan-kiosk-sync") -> bool:
    """POST the kiosk's heartbeat once, no retries; True when the server took it. Never raises."""
    headers = {"User-Agent": user_agent, "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        with requests.Session() as session:
            resp = session.post(url, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                                headers=headers, timeout=timeout, allow_redirects=False, stream=True)
            with resp:
                return 200 <= resp.status_code < 300
    except Exception as exc:  # noqa: BLE001 - best effort
        log.info("heartbeat to %s failed: %s", url, exc)
        return False


def send_heartbeat(url: str | None, payload: dict[str, Any], *, token: str | None = None,
                   **kwargs: Any) -> threading.Thread | None:
    """Post the heartbeat from a daemon thread, so nothing ever waits for it."""
    if not url:
        return None
    thread = threading.Thread(target=post_heartbeat, args=(url, payload),
                              kwargs={"token": token, **kwargs}, name="heartbeat", daemon=True)
    thread.start()
    return thread


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parse_timestamp(value)
    except ValueError:
        return None

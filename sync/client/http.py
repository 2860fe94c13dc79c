"""The kiosk's HTTP plumbing: the one session factory, the options, the overall deadline.

Network hygiene (pip's and twine's session code): :func:`make_session` is the only place a
``requests.Session`` is made, with urllib3 ``Retry`` on GET only (exponential backoff with jitter,
``Retry-After`` honoured up to a bound), a User-Agent, and pools whose connections a :class:`Guard`
watches: when the overall deadline passes (or the kiosk shuts down) the watchdog shuts their sockets
down, so a server that trickles a byte a second cannot hold a sync. Every failure becomes a
:class:`SyncError` with a stable ``code``.
"""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterator

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from sync.feed import verify as verifymod

MIB = 1024 * 1024


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
#   url_refused        a URL or a redirect hop breaks the hop policy (see sync.client.hops)
#   too_many_redirects more redirects than ClientOptions.max_redirects
#   asset_failed       an asset could not be downloaded or did not match its SHA-256 (kept per
#                      asset in SyncResult.failed_assets; the sync itself goes on)
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
    max_redirects: int = 5              # followed one hop at a time, each hop checked
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
    short the same way. The deadline is for the network: the time spent checking and building
    what was fetched (:meth:`paused`) does not count, since on a busy machine that work, at idle
    priority, may wait for a free core for as long as the machine is busy.
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
        self._paused_at: float | None = None

    # -- state
    @property
    def tripped(self) -> bool:
        return self.reason is not None

    def remaining(self) -> float:
        paused_at = self._paused_at
        return self.deadline - (self.clock() if paused_at is None else paused_at)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Local work that the deadline does not count (a cancel still stops the attempt)."""
        self.check()
        self._paused_at = self.clock()
        try:
            yield
        finally:
            self.deadline += self.clock() - self._paused_at
            self._paused_at = None

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
        while not self._done and self.reason is None:
            left = self.remaining()
            if left <= 0 and self._paused_at is None:
                break
            # While paused the deadline moves on when the pause ends: look again now and then.
            self._event.wait(0.25 if self._paused_at is not None else left)
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


def check_guard() -> None:
    """Raise if the current thread's attempt is past its deadline or cancelled."""
    guard = current_guard()
    if guard is not None:
        guard.check()


# ------------------------------------------------------------------------------- the session


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
    # Redirects are not urllib3's business: fetch follows them itself, one checked hop at a time.
    return GuardedRetry(
        total=options.retries, connect=options.retries, read=options.retries,
        status=options.retries, other=0, redirect=0,
        allowed_methods=frozenset({"GET"}),
        status_forcelist=frozenset({429, 500, 502, 503, 504}),
        backoff_factor=options.backoff_factor, backoff_max=options.backoff_max,
        backoff_jitter=options.backoff_jitter, retry_after_max=options.retry_after_max,
        respect_retry_after_header=True, raise_on_status=False, raise_on_redirect=False)


class _Session(requests.Session):
    """A session that never follows a redirect by itself: a redirect comes back as the response
    it is, and :func:`sync.client.fetch.open_url` decides, hop by hop, whether to follow it."""

    def get_redirect_target(self, resp: requests.Response) -> None:  # type: ignore[override]
        return None


def make_session(options: ClientOptions | None = None) -> requests.Session:
    """The one HTTP session factory of the kiosk: retries, User-Agent, guarded pools, no
    redirects followed behind the caller's back."""
    options = options or ClientOptions()
    session = _Session()
    adapter = GuardedAdapter(max_retries=make_retry(options), pool_connections=2, pool_maxsize=2)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = options.user_agent
    return session

"""The kiosk's catalogue updates: the sync scheduler, staging, the welcome-screen swap, the status.

``sync.client`` fetches and verifies; this module gives it the catalogue as a :class:`Target`:

* In the running kiosk (``deferred=True``) a verified feed is **staged**: kept in memory, not yet
  visible. The app calls :meth:`Updates.apply_pending` (or :meth:`apply_pending_async`) when
  its welcome screen is shown, so a visitor never sees the catalogue change under their finger.
  ``on_pending`` tells the app a new catalogue waits (to apply at once if it already idles on
  the welcome screen).
* ``kiosk sync`` (:func:`kiosk.cli.run_once`) applies at once.

Applying never holds a lock on the catalogue in use, and never competes with the screen: a
downloaded feed is verified and built in a child process below the screen's priority
(:class:`kiosk.buildproc.ChildJob`; ``isolate=False`` does the same on the sync thread), which
writes a new database file beside the old one with
:meth:`Catalogue.prepare <kiosk.catalogue.store.Catalogue.prepare>`, checks and fsyncs it; applying
is then :meth:`Catalogue.swap <kiosk.catalogue.store.Catalogue.swap>`, an atomic rename of a few
milliseconds in this process, done on the welcome screen. A failed build or swap, or a child that
died, leaves the previous catalogue in place and is recorded as ``apply_failed``; the next sync
downloads the feed again.

A daemon thread syncs every ``sync.interval_minutes`` (±10 % jitter; the first attempt a few
seconds after start) and on :meth:`sync_now`. Results come back through callbacks called on that
thread: the UI wraps them with :func:`kiosk.ui.threads.on_main`. This module never imports Kivy.

Files under ``kiosk.data_dir``: ``sync/status.json`` (the persisted status), ``sync/lock`` (one
sync at a time, also against ``kiosk sync``), ``assets/<sha256>`` (icons and logos,
content-addressed).
"""
from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable

from kiosk import __version__, buildproc
from kiosk.heartbeat import heartbeat_payload
from kiosk.catalogue.store import Catalogue
from kiosk.freshness import SyncStatus, moment, staleness
from sync.client import (AssetCache, ClientOptions, ProcessLock, StatusStore, SyncClient, SyncError,
                         SyncResult, make_session, send_heartbeat)
from sync.feed import verify as verifymod
from sync.feed.document import format_timestamp, utcnow

log = logging.getLogger(__name__)

JITTER = 0.10


def sync_dir(config: Any) -> Path:
    return Path(config.kiosk.data_dir) / "sync"


def asset_dir(config: Any) -> Path:
    """Where downloaded icons and logos live, as ``<dir>/<sha256>``."""
    return Path(config.kiosk.data_dir) / "assets"


def options_from_config(config: Any, base: ClientOptions | None = None) -> ClientOptions:
    """Client options from ``[sync]``; keys the config does not (yet) have keep their defaults."""
    base = base or ClientOptions()
    s = config.sync
    fields: dict[str, Any] = {"user_agent": f"elbasan-kiosk/{__version__} (kiosk {config.kiosk.id})"}
    if getattr(s, "max_feed_bytes", None):
        fields["max_feed_bytes"] = int(s.max_feed_bytes)
    for name in ("connect_timeout", "read_timeout", "deadline", "retries", "backoff_factor",
                 "retry_after_max", "max_asset_bytes"):
        value = getattr(s, name, None)
        if value is not None:
            fields[name] = value
    return replace(base, **fields)


@dataclass(frozen=True)
class ApplyResult:
    ok: bool
    version: int | None
    services: int = 0
    seconds: float = 0.0
    code: str | None = None
    detail: str = ""


@dataclass
class _Pending:
    version: int
    assets: frozenset[str]
    generated_at: Any = None
    expires_at: Any = None
    prepared: Any = None          # the built database file (kiosk.catalogue.store.Prepared)


class _Target:
    """sync.client.Target over the kiosk's Catalogue: verifies and builds in a
    :class:`kiosk.buildproc.ChildJob` (or, ``isolate=False``, a :class:`~kiosk.buildproc.Job` on
    the sync thread), then swaps at once (``kiosk sync``) or stages the built file."""

    def __init__(self, service: "Updates"):
        self.service = service
        #: the child started while the feed downloads (:meth:`expect`), for :meth:`verify`
        self._spare: Any = None

    def expect(self) -> None:
        """A new feed is downloading: start the child now, so its interpreter and imports (0.35 s)
        are ready when the download ends instead of starting then."""
        service = self.service
        if service.isolate and self._spare is None:
            try:
                self._spare = buildproc.ChildJob(service.catalogue.db_path, **service.child_options)
            except OSError as exc:       # verify starts one itself, and reports what fails
                log.warning("could not start the catalogue build process ahead: %s", exc)

    def close(self) -> None:
        """The attempt is over: a child started for a download that never reached verify ends."""
        spare, self._spare = self._spare, None
        if spare is not None:
            spare.close()

    def current_version(self) -> int:
        return self.service._version

    def pending_version(self) -> int | None:
        return self.service._pending_or_applying_version()

    def verify(self, raw: bytes, signature: bytes, public_keys: list[Any], **kwargs: Any) -> "_Verified":
        service = self.service
        if service.isolate:
            job, self._spare = self._spare, None
            if job is None:
                job = buildproc.ChildJob(service.catalogue.db_path, **service.child_options)
        else:
            job = buildproc.Job(service.catalogue.db_path)
        try:
            summary = job.verify(raw, signature, public_keys, **kwargs)
        except buildproc.BuildFailed as exc:
            job.close()
            raise SyncError("apply_failed", str(exc)[:300]) from exc
        except BaseException:
            job.close()
            raise
        return _Verified(self, job, summary)

    def accept(self, doc: dict[str, Any], raw: bytes) -> str:
        """A document verified elsewhere (not used by the kiosk's own sync)."""
        job = buildproc.Job(self.service.catalogue.db_path)
        job.doc, job.raw = doc, raw
        job.summary = buildproc.Summary(doc["version"], doc.get("generated_at"), doc.get("expires_at"))
        return _Verified(self, job, job.summary).accept()


class _Verified:
    """sync.client.Verified for the kiosk: the document stays in the job (a child process)."""

    def __init__(self, target: _Target, job: Any, summary: "buildproc.Summary"):
        self.target, self.job, self.summary = target, job, summary
        self.version = summary.version
        self.assets = summary.assets
        self.warnings = summary.warnings
        self.warning_count = summary.warning_count
        self._assets = frozenset(summary.assets)

    def accept(self) -> str:
        service = self.target.service
        s = self.summary
        pending = _Pending(s.version, self._assets, s.generated_at, s.expires_at)
        t0 = time.monotonic()
        try:
            prepared = self.job.build(service._source(pending))
        except Exception as exc:  # noqa: BLE001 - disk full, read-only, a failed check, a killed child
            try:
                service.catalogue.discard_build(s.version)
            except OSError as cleanup:   # removed at the next start at the latest
                log.warning("could not remove the unfinished build of version %s: %s", s.version, cleanup)
            result = service._failed(pending, exc, t0)
            raise SyncError(result.code or "apply_failed", result.detail) from exc
        pending = replace(pending, prepared=prepared)
        if not service.deferred:
            result = service._apply(pending)
            if not result.ok:
                raise SyncError(result.code or "apply_failed", result.detail)
            return "applied"
        service._stage(pending)
        return "staged"

    def close(self) -> None:
        self.job.close()


class Updates:
    """The kiosk's catalogue sync: scheduler, staging, apply, status (see the module docstring)."""

    def __init__(self, config: Any, catalogue: Catalogue, now: Callable[[], datetime] = utcnow, *,
                 deferred: bool = True, printer_state: Callable[[], str] | None = None,
                 options: ClientOptions | None = None,
                 session_factory: Callable[[ClientOptions], Any] = make_session,
                 on_pending: Callable[[int], None] | None = None,
                 on_applied: Callable[[ApplyResult], None] | None = None,
                 on_result: Callable[[SyncResult], None] | None = None,
                 initial_delay: float | None = None, rng: random.Random | None = None,
                 isolate: bool = True, child_options: dict[str, Any] | None = None):
        self.config = config
        self.catalogue = catalogue
        self.now = now
        self.deferred = deferred
        self.printer_state = printer_state
        self.on_pending = on_pending
        self.on_applied = on_applied
        self.on_result = on_result
        self.rng = rng or random.Random()
        self.initial_delay = initial_delay
        #: verify and build in a child process (kiosk.buildproc); False: on the sync thread
        self.isolate = isolate
        self.child_options = dict(child_options or {})
        self.options = options_from_config(config, options)
        directory = sync_dir(config)
        self.status_store = StatusStore(directory / "status.json")
        self.assets = AssetCache(asset_dir(config))
        self.lock = ProcessLock(directory / "lock")
        # older kiosks kept digests of services that passed the schema check (now never read)
        try:
            (directory / "schema-cache.bin").unlink(missing_ok=True)
        except OSError:
            pass
        self.client = SyncClient(
            config.sync.feed_url, tuple(config.sync.public_keys or ()), status=self.status_store,
            assets=self.assets, options=self.options,
            session_factory=session_factory, now=now)
        self._state = threading.Lock()        # guards _pending, _applying, _callbacks
        self._run_lock = threading.Lock()     # one attempt at a time in this process
        self._apply_lock = threading.Lock()   # one apply at a time
        self._pending: _Pending | None = None
        self._applying: int | None = None
        self._callbacks: list[Callable[[SyncResult], None]] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._running = False
        self._next_attempt: datetime | None = None
        self._heartbeat: threading.Thread | None = None
        info = catalogue.info()
        self._version = info.version
        self._generated_at = moment(info.generated_at)
        self._expires_at = moment(info.expires_at)
        self.status_store.update(version=self._version, pending_version=None)

    # ------------------------------------------------------------------ public API

    @property
    def configured(self) -> bool:
        return bool(self.config.sync.feed_url and self.config.sync.public_keys)

    def start(self, on_pending: Callable[[int], None] | None = None) -> None:
        """Start the background scheduler (idempotent); ``on_pending(version)``, when given, is
        whom to tell (on the sync thread) that a verified catalogue waits for the welcome screen."""
        if on_pending is not None:
            self.on_pending = on_pending
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="catalogue-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the scheduler, cancelling an attempt in progress."""
        self._stop.set()
        self._wake.set()
        self.client.cancel()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def sync_now(self, callback: Callable[[SyncResult], None] | None = None) -> None:
        """Sync as soon as possible, off the caller's thread; ``callback(result)`` runs on the
        sync thread afterwards (wrap it with :func:`kiosk.ui.threads.on_main` in the UI)."""
        with self._state:
            if callback is not None:
                self._callbacks.append(callback)
        if self._thread is not None and self._thread.is_alive():
            self._wake.set()
        else:
            threading.Thread(target=self._run_and_notify, name="catalogue-sync-now", daemon=True).start()

    def run_sync(self, heartbeat_wait: float = 0.0) -> SyncResult:
        """One attempt on the calling thread (the scheduler and ``kiosk sync`` use this)."""
        with self._run_lock:
            self._running = True
            try:
                if not self.lock.acquire():
                    result = SyncResult("failed", code="busy", detail="another sync is running",
                                        started_at=format_timestamp(self.now()))
                else:
                    target = _Target(self)
                    try:
                        result = self.client.run(target)
                    finally:
                        target.close()
                        self.lock.release()
            finally:
                self._running = False
        if not result.ok:
            log.warning("catalogue sync failed: %s %s", result.code, result.detail)
        else:
            log.info("catalogue sync: %s (version %s, %s bytes, %.2f s)", result.outcome,
                     result.version, result.wire_bytes, result.duration)
        self._send_heartbeat(heartbeat_wait)
        if self.on_result is not None:
            _safe(self.on_result, result)
        return result

    def status(self) -> SyncStatus:
        """The persisted status, judged now (see :func:`kiosk.freshness.staleness`)."""
        st = self.status_store.get()
        last_success = moment(st.get("last_success"))
        stale, since, expired = staleness(
            now=self.now(), syncing=self.configured, last_success=last_success,
            generated_at=self._generated_at, expires_at=self._expires_at,
            stale_after_days=getattr(self.config.kiosk, "stale_after_days", 7))
        return SyncStatus(
            configured=self.configured, running=self._running, version=self._version,
            pending_version=self._pending_or_applying_version(),
            last_attempt=moment(st.get("last_attempt")), last_success=last_success,
            last_outcome=st.get("last_outcome"), last_error=st.get("last_error"),
            consecutive_failures=int(st.get("consecutive_failures") or 0),
            stale=stale, stale_since=since, catalogue_generated_at=self._generated_at,
            catalogue_expired=expired,
            next_attempt=self._next_attempt, history=list(st.get("history") or []))

    def has_pending(self) -> bool:
        with self._state:
            return self._pending is not None

    def apply_pending(self) -> ApplyResult | None:
        """Make the staged catalogue visible now (call it when the welcome screen shows).

        Blocks for the database write (see the note on the write lock); ``None`` when nothing
        was staged. Safe to call from any thread.
        """
        with self._state:
            pending, self._pending = self._pending, None
            if pending is not None:
                self._applying = pending.version
        if pending is None:
            return None
        return self._apply(pending)

    def apply_pending_async(self, callback: Callable[[ApplyResult | None], None] | None = None) -> None:
        """:meth:`apply_pending` on a worker thread; ``callback(result)`` runs there afterwards."""
        def work() -> None:
            result = self.apply_pending()
            if callback is not None:
                _safe(callback, result)
        threading.Thread(target=work, name="catalogue-apply", daemon=True).start()

    def asset_path(self, sha256: str | None) -> Path | None:
        """The cached file of an icon or logo, by its SHA-256, if it has been downloaded."""
        if not sha256 or not verifymod.SHA256_RE.match(sha256):
            return None
        path = self.assets.path(sha256)
        return path if path.is_file() else None

    # ------------------------------------------------------------------ internals

    def _pending_or_applying_version(self) -> int | None:
        with self._state:
            versions = [v for v in (self._pending.version if self._pending else None, self._applying)
                        if v is not None]
        return max(versions) if versions else None

    def _stage(self, pending: _Pending) -> None:
        with self._state:
            if self._pending is None or pending.version > self._pending.version:
                pending, dropped = pending, self._pending
                self._pending = pending
            else:
                dropped = pending
        if dropped is not None and dropped.prepared is not None:
            self.catalogue.discard(dropped.prepared)
        self.status_store.update(pending_version=pending.version)
        if self.on_pending is not None:
            _safe(self.on_pending, pending.version)

    def _source(self, pending: _Pending) -> str:
        return f"sync v{pending.version} {self.config.sync.feed_url}"

    def _failed(self, pending: _Pending, exc: BaseException, t0: float) -> ApplyResult:
        orig = getattr(exc, "orig", None) or exc
        detail = f"{type(orig).__name__}: {orig}"[:300]
        log.error("applying catalogue version %s failed: %s", pending.version, detail)
        with self._state:
            self._applying = None
        self.status_store.update(
            last_outcome="failed", etag_version=None, pending_version=None,
            last_error={"code": "apply_failed", "detail": detail,
                        "at": format_timestamp(self.now())})
        result = ApplyResult(False, pending.version, code="apply_failed", detail=detail,
                             seconds=round(time.monotonic() - t0, 3) if t0 else 0.0)
        if self.on_applied is not None:
            _safe(self.on_applied, result)
        return result

    def _apply(self, pending: _Pending) -> ApplyResult:
        """Swap in the catalogue built for ``pending`` (its ``prepared`` file)."""
        with self._apply_lock:
            t0 = time.monotonic()
            prepared = pending.prepared
            try:
                self.catalogue.swap(prepared)
                count = prepared.services
            except Exception as exc:  # noqa: BLE001 - disk full, read-only, ...
                if prepared is not None:
                    self.catalogue.discard(prepared)
                return self._failed(pending, exc, t0)
            seconds = round(time.monotonic() - t0, 3)
            self._version = pending.version
            self._generated_at = moment(pending.generated_at)
            self._expires_at = moment(pending.expires_at)
            with self._state:
                self._applying = None
                still_pending = self._pending.version if self._pending else None
            self.status_store.update(version=pending.version, pending_version=still_pending)
            keep = set(pending.assets) | (set(self._pending.assets) if self._pending else set())
            self.assets.prune(keep)
        result = ApplyResult(True, pending.version, services=count, seconds=seconds)
        log.info("catalogue version %s applied: %s services in %.2f s", pending.version, count, seconds)
        if self.on_applied is not None:
            _safe(self.on_applied, result)
        return result

    def _run_and_notify(self) -> None:
        with self._state:
            callbacks, self._callbacks = self._callbacks, []
        result = self.run_sync()
        for callback in callbacks:
            _safe(callback, result)

    def _interval(self) -> float:
        minutes = float(getattr(self.config.sync, "interval_minutes", 15) or 15)
        return minutes * 60 * self.rng.uniform(1 - JITTER, 1 + JITTER)

    def _loop(self) -> None:
        delay = self.initial_delay if self.initial_delay is not None else self.rng.uniform(5, 30)
        while not self._stop.is_set():
            self._next_attempt = self.now() + timedelta(seconds=delay)
            self._wake.wait(delay)
            if self._stop.is_set():
                break
            self._wake.clear()
            try:
                self._run_and_notify()
            except Exception:  # noqa: BLE001 - the scheduler must survive anything
                log.exception("sync scheduler")
            delay = self._interval()
        self._next_attempt = None

    def _send_heartbeat(self, wait: float) -> None:
        url = getattr(self.config.sync, "heartbeat_url", None)
        if not url:
            return
        try:
            payload = heartbeat_payload(self.config, self.status(), self.printer_state, self.now())
        except Exception:  # noqa: BLE001 - best effort
            log.exception("heartbeat payload")
            return
        self._heartbeat = send_heartbeat(url, payload, token=getattr(self.config.sync, "token", None),
                                         user_agent=self.options.user_agent)
        if wait and self._heartbeat is not None:
            self._heartbeat.join(wait)


def _safe(callback: Callable[..., Any], *args: Any) -> None:
    try:
        callback(*args)
    except Exception:  # noqa: BLE001 - a UI callback must not kill the sync thread
        log.exception("sync callback %r", callback)

"""The kiosk's fetch-verify-stage of the signed feed, offline-first. Never imports ``kiosk``.

One attempt (:meth:`SyncClient.run`):

1. ``GET feed.json.gz`` with ``If-None-Match`` / ``If-Modified-Since`` from the last verified
   download; ``304`` ends the attempt (one small request, no database write).
2. ``GET feed.json.sig``; gunzip the feed (streaming, capped: a gzip bomb stops at the cap).
3. :func:`sync.feed.verify.verify_feed` in TUF's order (size, signature, schema version, rollback,
   expiry, schema and sense). If the signature fails, both files are fetched once more: the
   publisher may have replaced them between the two GETs.
4. Download every referenced asset that is not cached yet, by SHA-256, into a content-addressed
   cache (``<asset dir>/<sha256>``). An asset that fails (a refused URL or redirect hop, an HTTP
   error, a hash mismatch) is recorded in ``SyncResult.failed_assets`` and the status file and is
   tried again on the next attempt; the kiosk shows its bundled icon meanwhile.
5. Hand the verified document to the :class:`Target`, which applies it (one SQLite transaction) or
   stages it until the kiosk is next on its welcome screen.

Every failure ends as a :class:`SyncResult` with a stable ``code`` that is also kept in the status
file (JSON, written atomically). The previous catalogue is never touched by a failed attempt.
Every URL and every redirect hop is checked by :class:`sync.client.hops.HopPolicy`.
"""
from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable, Protocol
from urllib.parse import urljoin

import requests

from sync.client.fetch import feed_urls, fetch
from sync.client.hops import HopPolicy
from sync.client.http import ClientOptions, Guard, SyncError, check_guard, make_session
from sync.client.stores import AssetCache, StatusStore
from sync.feed import verify as verifymod
from sync.feed.document import FeedError, dumps, format_timestamp, utcnow
from sync.feed.findings import Findings

log = logging.getLogger(__name__)

STATUS_HISTORY = 20


class Target(Protocol):
    """Where a verified feed goes: the kiosk's catalogue, seen through this small interface."""

    def current_version(self) -> int:
        """The version of the catalogue visitors see now (0 when none)."""

    def pending_version(self) -> int | None:
        """The version staged for the welcome screen (or being applied), if any."""

    def accept(self, doc: dict[str, Any], raw: bytes) -> str:
        """Apply the verified feed now ("applied") or stage it ("staged"); raise on failure."""

    # Optional: ``verify(raw, signature, public_keys, **verify_feed's keywords) -> Verified``,
    # for a target that verifies elsewhere (the kiosk: in a child process, see kiosk.buildproc).
    # Without it the feed is verified here, in this thread (:class:`Verified`).
    # Optional: ``expect()``, called when a new feed's body starts to download (not on a 304),
    # so a target that verifies elsewhere can get ready meanwhile (the kiosk starts its child).


class Verified:
    """A verified feed on its way to the target: what the client needs to know of it (version,
    referenced assets, warnings), then :meth:`accept`. This one holds the document verified in
    this process; a target's own ``verify`` may return one whose document lives elsewhere."""

    def __init__(self, doc: dict[str, Any], raw: bytes, findings: Findings, target: Target):
        self.doc, self.raw, self.findings, self.target = doc, raw, findings, target
        self.version: int = doc["version"]
        self.assets: dict[str, str] = verifymod.referenced_assets(doc)
        self.warnings: list[str] = [w.text() for w in findings.warnings[:3]]
        self.warning_count = len(findings.warnings)

    def accept(self) -> str:
        raw = self.raw
        if self.warning_count:
            # Mended by the same rules as the publisher's (issue 15): keep what was verified and
            # mended, so that a rebuild from the kept file gives this same catalogue.
            raw = dumps(self.doc)
        return self.target.accept(self.doc, raw)

    def close(self) -> None:
        """Let go of the document (and whatever holds it)."""
        self.doc = self.raw = None


def verify_here(target: Target, raw: bytes, signature: bytes, public_keys: list[Any],
                **kwargs: Any) -> Verified:
    """:func:`sync.feed.verify.verify_feed` in this thread."""
    findings = Findings()
    doc = verifymod.verify_feed(raw, signature, public_keys, findings=findings, **kwargs)
    return Verified(doc, raw, findings, target)


@dataclass
class SyncResult:
    outcome: str                  # "updated" | "unchanged" | "failed"
    version: int | None = None    # the feed version downloaded (updated), or the current one
    code: str | None = None       # failure code (see sync.client.http.SyncError and sync.feed.verify)
    detail: str = ""
    applied: bool = False         # updated and already visible (False: staged)
    started_at: str = ""
    duration: float = 0.0
    wire_bytes: int = 0
    requests: int = 0
    assets_downloaded: int = 0
    # assets still missing after this attempt: {"sha256", "url", "code", "detail"} each
    failed_assets: list[dict[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.outcome != "failed"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Attempt:
    """What one attempt carries between its steps."""

    session: requests.Session
    policy: HopPolicy
    result: SyncResult
    guard: Guard
    wire_bytes: int = 0
    requests: int = 0


class SyncClient:
    def __init__(self, feed_url: str | None, public_keys: Iterable[Any], *, status: StatusStore,
                 assets: AssetCache, options: ClientOptions | None = None,
                 session_factory: Callable[[ClientOptions], requests.Session] = make_session,
                 now: Callable[[], datetime] = utcnow):
        self.feed_url = feed_url
        self.public_keys = list(public_keys)
        self.status = status
        self.assets = assets
        self.options = options or ClientOptions()
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
        attempt: _Attempt | None = None
        try:
            if not self.feed_url or not self.public_keys:
                raise SyncError("not_configured", "no feed URL or no public key")
            with Guard(self.options.deadline) as guard:
                self._guard = guard
                attempt = _Attempt(self.session_factory(self.options), HopPolicy(self.feed_url), result, guard)
                attempt.session.hooks["response"].append(lambda r, *a, **k: _count_request(attempt))
                try:
                    self._attempt(attempt, target)
                finally:
                    attempt.session.close()
        except (SyncError, FeedError) as exc:
            result.outcome, result.code, result.detail = "failed", exc.code, exc.detail
        except Exception as exc:  # noqa: BLE001 - a sync must never take the kiosk down
            log.exception("unexpected sync failure")
            result.outcome, result.code, result.detail = "failed", "internal", f"{type(exc).__name__}: {exc}"[:300]
        finally:
            self._guard = None
        result.duration = round(time.monotonic() - t0, 3)
        if attempt is not None:
            result.requests, result.wire_bytes = attempt.requests, attempt.wire_bytes
        self._record(result)
        return result

    # -- internals
    def _fetch(self, attempt: _Attempt, url: str, max_bytes: int, **kwargs: Any):
        got = fetch(attempt.session, url, max_bytes=max_bytes, options=self.options,
                    policy=attempt.policy, **kwargs)
        attempt.wire_bytes += got.wire_bytes
        return got

    def _attempt(self, attempt: _Attempt, target: Target) -> None:
        st = self.status.get()
        result = attempt.result
        current = target.current_version()
        newest = max(current, target.pending_version() or 0)
        conditional = st.get("etag_version") == newest and newest > 0
        gz_url, sig_url = feed_urls(self.feed_url)
        for tries in (1, 2):
            feed = self._fetch(attempt, gz_url, self.options.max_feed_bytes,
                               etag=st.get("etag") if conditional else None,
                               last_modified=st.get("last_modified") if conditional else None,
                               on_body=getattr(target, "expect", None))
            if feed.not_modified:
                result.outcome, result.version = "unchanged", newest
                self._retry_failed_assets(attempt, st)
                return
            sig = self._fetch(attempt, sig_url, self.options.max_signature_bytes, gunzip=False)
            verify = getattr(target, "verify", None)
            try:
                kwargs = dict(current_version=newest,
                              trusted_version=max(int(st.get("trusted_version") or 0), current),
                              now=self.now(), limits=self.options.verify_limits)
                with attempt.guard.paused():
                    if verify is None:
                        verified = verify_here(target, feed.body, sig.body, self.public_keys, **kwargs)
                    else:
                        verified = verify(feed.body, sig.body, self.public_keys, **kwargs)
                break
            except FeedError as exc:
                if exc.code == "same_version":
                    self.status.update(etag=feed.etag, last_modified=feed.last_modified,
                                       etag_version=newest)
                    result.outcome, result.version = "unchanged", newest
                    self._retry_failed_assets(attempt, st)
                    return
                if exc.code == "bad_signature" and tries == 1:
                    log.info("signature mismatch; fetching the feed once more (%s)", exc.detail)
                    conditional = False
                    continue
                raise
        try:
            version = verified.version
            result.version = version
            wanted = {sha: urljoin(gz_url, url) for sha, url in verified.assets.items()}
            self._download_assets(attempt, wanted)
            check_guard()
            if verified.warning_count:
                log.info("feed version %s: %d warnings, e.g. %s", version, verified.warning_count,
                         verified.warnings[0] if verified.warnings else "")
            with attempt.guard.paused():
                outcome = verified.accept()
        finally:
            verified.close()
        result.applied = outcome == "applied"
        result.outcome = "updated"
        self.status.update(trusted_version=max(version, int(st.get("trusted_version") or 0)),
                           etag=feed.etag, last_modified=feed.last_modified, etag_version=version)

    def _retry_failed_assets(self, attempt: _Attempt, st: dict[str, Any]) -> None:
        """On an unchanged catalogue, try the assets the last attempts could not get."""
        wanted = {a["sha256"]: a["url"] for a in st.get("failed_assets") or []
                  if isinstance(a, dict) and verifymod.SHA256_RE.match(str(a.get("sha256")))
                  and isinstance(a.get("url"), str)}
        if wanted:
            self._download_assets(attempt, wanted)

    def _download_assets(self, attempt: _Attempt, wanted: dict[str, str]) -> None:
        """Fetch the missing ones of ``wanted`` (sha256 -> absolute URL); a failure is recorded
        per asset, only the deadline or a cancel ends the attempt."""
        result, total = attempt.result, 0
        for sha in self.assets.missing(sorted(wanted)):
            url = wanted[sha]
            try:
                got = self._fetch(attempt, url, self.options.max_asset_bytes, gunzip=False)
                total += len(got.body)
                if total > self.options.max_assets_bytes:
                    raise SyncError("too_large", f"assets over {self.options.max_assets_bytes} bytes")
                self.assets.store(sha, got.body)
                result.assets_downloaded += 1
            except SyncError as exc:
                if exc.code in ("deadline", "cancelled"):
                    raise
                log.warning("asset %s from %s failed: %s %s", sha[:12], url[:100], exc.code, exc.detail)
                result.failed_assets.append({"sha256": sha, "url": url, "code": exc.code,
                                             "detail": exc.detail[:300]})

    def _record(self, result: SyncResult) -> None:
        st = self.status.get()
        fields: dict[str, Any] = {"last_outcome": result.outcome, "last_bytes": result.wire_bytes,
                                  "last_duration": result.duration}
        if result.ok:
            fields.update(last_success=format_timestamp(self.now()), last_error=None,
                          consecutive_failures=0, failed_assets=result.failed_assets)
        else:
            fields.update(last_error={"code": result.code, "detail": result.detail,
                                      "at": format_timestamp(self.now())},
                          consecutive_failures=int(st.get("consecutive_failures") or 0) + 1)
        entry = {"at": result.started_at, "outcome": result.outcome, "code": result.code,
                 "version": result.version, "bytes": result.wire_bytes, "duration": result.duration}
        if result.failed_assets:
            entry["failed_assets"] = len(result.failed_assets)
        fields["history"] = ([entry] + list(st.get("history") or []))[:STATUS_HISTORY]
        self.status.update(**fields)


def _count_request(attempt: _Attempt | None) -> None:
    if attempt is not None:
        attempt.requests += 1

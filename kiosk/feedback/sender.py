"""Sends the kiosk's reports and usage counts to the server, and forgets only what it stored.

One round (:meth:`Sender.send_once`): flush the store, take what is :meth:`~FeedbackStore.pending`
(only hours that are over), and ``POST`` it to ``<api>/reports`` and ``<api>/usage`` in posts that
keep the contract's caps (:mod:`sync.feed.telemetry`), with the kiosk token as a bearer (the
heartbeat's scheme). Only the ids the server names in ``{"accepted": [...]}`` are deleted, so a
round that fails half-way (the connection dropped after the server committed, a 503, a partial
answer) leaves the rest to the next round, and the server, idempotent by id, does not count a
repeat twice. A post the server refuses as invalid (400, 413, 422) is split in halves until the
one record it refuses is found; that record is dropped with a log line, since it would be refused
for ever. :meth:`Sender.start` runs rounds on their own schedule, with exponential back-off and
jitter after a failure.

HTTP goes through the project's one session factory (:func:`make_session`: User-Agent, guarded
pools; POSTs are never retried by urllib3, the next round is the retry) under an overall deadline.
"""
from __future__ import annotations

import json
import logging
import random
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterator
from urllib.parse import urljoin

import requests
import urllib3
from pydantic import ValidationError

from kiosk.feedback.store import FeedbackStore
from sync.client import ClientOptions, SyncError, make_session
from sync.client.http import Guard
from sync.feed.document import format_timestamp, utcnow
from sync.feed.telemetry import (MAX_ACCEPTED_BYTES, MAX_HOURS_PER_POST, MAX_REPORTS_BYTES,
                                 MAX_REPORTS_PER_POST, MAX_USAGE_BYTES, ReportsPost, TelemetryError,
                                 UsagePost, encode, parse_accepted)

log = logging.getLogger(__name__)

# kind -> (route, list field, model, items per post, bytes per post)
ROUTES = {
    "reports": ("reports", "reports", ReportsPost, MAX_REPORTS_PER_POST, MAX_REPORTS_BYTES),
    "usage": ("usage", "hours", UsagePost, MAX_HOURS_PER_POST, MAX_USAGE_BYTES),
}
REFUSED = frozenset({400, 413, 422})


class SendError(Exception):
    """A round that stopped: ``code`` is connection_error, http_status, bad_answer or partial."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


class Refused(Exception):
    """The server (or the contract, checked here first) will never take this post as it is."""


@dataclass(frozen=True)
class FeedbackStatus:
    """The staff panel's line: what waits, when it last went, what went wrong last."""

    reports_waiting: int
    hours_waiting: int
    days_waiting: int
    last_sent: str | None
    last_attempt: str | None
    last_error: str | None
    bytes_on_disk: int


@dataclass
class SendResult:
    reports: int = 0          # acknowledged by the server this round
    hours: int = 0
    dropped: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def api_base(heartbeat_url: str) -> str:
    """The API folder beside the heartbeat: ``https://x/api/heartbeat`` -> ``https://x/api/``."""
    return urljoin(heartbeat_url, "./")


def _batches(items: list[dict[str, Any]], max_items: int, max_bytes: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    size = 32  # the envelope
    for item in items:
        # json.dumps' default separators make this an over-estimate of the compact body.
        n = len(json.dumps(item, ensure_ascii=False).encode("utf-8")) + 2
        if batch and (len(batch) >= max_items or size + n > max_bytes):
            yield batch
            batch, size = [], 32
        batch.append(item)
        size += n
    if batch:
        yield batch


def _read_capped(resp: requests.Response, cap: int) -> bytes:
    body = b""
    for chunk in resp.iter_content(16 * 1024):
        body += chunk
        if len(body) > cap:
            raise SendError("bad_answer", f"an answer of more than {cap} bytes")
    return body


class Sender:
    def __init__(self, store: FeedbackStore, api_url: str | None, token: str | None, *,
                 options: ClientOptions | None = None,
                 session_factory: Callable[[ClientOptions], requests.Session] = make_session,
                 timeout: tuple[float, float] = (5.0, 20.0), deadline: float = 120.0,
                 clock: Callable[[], datetime] = utcnow):
        self.store = store
        self.api_url = api_url if not api_url or api_url.endswith("/") else api_url + "/"
        self.token = token
        self.options = options or ClientOptions()
        self.session_factory = session_factory
        self.timeout = timeout
        self.deadline = deadline
        self.clock = clock
        self._last_attempt: str | None = None
        self._last_error: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def status(self) -> FeedbackStatus:
        w = self.store.waiting()
        return FeedbackStatus(w.reports, w.hours, w.days, w.last_sent, self._last_attempt,
                              self._last_error, w.bytes_on_disk)

    def send_once(self, now: datetime | None = None) -> SendResult:
        """One round; never raises (the error is in the result and in :meth:`status`)."""
        now = now or self.clock()
        self._last_attempt = format_timestamp(now)
        result = SendResult()
        if not self.api_url or not self.token:
            result.error = "not_configured"
        else:
            try:
                pending = self.store.pending(now)
                with Guard(self.deadline), self.session_factory(self.options) as session:
                    for kind, items in (("reports", pending.reports), ("usage", pending.hours)):
                        _route, _field, _model, max_items, max_bytes = ROUTES[kind]
                        for batch in _batches(items, max_items, max_bytes):
                            self._send_batch(session, kind, batch, result, now)
            except (SendError, SyncError) as exc:
                result.error = f"{exc.code}: {exc.detail}"[:300]
            except Exception as exc:  # noqa: BLE001 - feedback must never take the kiosk down
                log.exception("feedback round failed")
                result.error = f"internal: {type(exc).__name__}: {exc}"[:300]
        self._last_error = result.error
        if result.error and result.error != "not_configured":
            log.info("feedback not sent (will retry): %s", result.error)
        return result

    def _send_batch(self, session: requests.Session, kind: str, batch: list[dict[str, Any]],
                    result: SendResult, now: datetime) -> None:
        try:
            accepted = self._post(session, kind, batch)
        except Refused as exc:
            if len(batch) > 1:
                half = len(batch) // 2
                self._send_batch(session, kind, batch[:half], result, now)
                self._send_batch(session, kind, batch[half:], result, now)
            else:
                self.store.drop([batch[0]["id"]], f"{kind}: {exc}")
                result.dropped += 1
            return
        sent = {item["id"] for item in batch}
        stored = sent & set(accepted)
        self.store.acknowledge(stored, now)
        if kind == "reports":
            result.reports += len(stored)
        else:
            result.hours += len(stored)
        if len(stored) < len(sent):
            raise SendError("partial", f"{len(sent) - len(stored)} of {len(sent)} {kind} not accepted")

    def _post(self, session: requests.Session, kind: str, batch: list[dict[str, Any]]) -> list[str]:
        route, field, model, _items, _bytes = ROUTES[kind]
        try:
            body = encode(model.model_validate({field: batch}))
        except ValidationError as exc:
            raise Refused(f"breaks the contract: {exc.errors()[0].get('msg', '')}") from exc
        url = urljoin(self.api_url, route)
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"}
        try:
            with session.post(url, data=body, headers=headers, timeout=self.timeout,
                              allow_redirects=False, stream=True) as resp:
                status = resp.status_code
                answer = _read_capped(resp, MAX_ACCEPTED_BYTES)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise SendError("connection_error", f"{url}: {type(exc).__name__}: {exc}") from exc
        if status in REFUSED:
            raise Refused(f"HTTP {status}: {answer[:200].decode('utf-8', 'replace')}")
        if status != 200:
            raise SendError("http_status", f"HTTP {status} from {url}")
        try:
            return parse_accepted(answer).accepted
        except TelemetryError as exc:
            raise SendError("bad_answer", exc.detail) from exc

    # ------------------------------------------------------------------ own schedule

    def start(self, interval: float = 900.0, retry_first: float = 60.0, retry_max: float = 3600.0) -> None:
        """Send every ``interval`` seconds from a daemon thread; after failures wait
        ``retry_first`` * 2**(failures-1) (at most ``retry_max``), plus up to a quarter of jitter."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(interval, retry_first, retry_max),
                                        name="feedback-sender", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self, interval: float, retry_first: float, retry_max: float) -> None:
        failures = 0
        while True:
            wait = interval if not failures else min(retry_max, retry_first * 2 ** (failures - 1))
            if self._stop.wait(wait * (1 + random.random() / 4)):
                return
            failures = 0 if self.send_once().ok else failures + 1

"""The receipt printer: print a slip off the UI thread, answer in 2 s, keep the per-minute limit.

:class:`SlipPrinter` is made once from the configuration (:meth:`SlipPrinter.from_config`, in
:mod:`kiosk.bootstrap`) and kept: it holds the per-minute limit. The UI shows :data:`PRINTING`
and calls :meth:`~SlipPrinter.submit`, which returns at once (``None``, or a refusal: busy, rate
limited, not configured) and later calls ``on_done(result)`` from a worker thread, so the screen
hops back with :func:`kiosk.ui.threads.on_main`. :meth:`~SlipPrinter.print_slip` is the same
thing, blocking, for code already on a worker.

A :class:`PrintResult` has a ``code``: ``ok``, ``not_configured``, ``offline``, ``out_of_paper``,
``busy``, ``rate_limited`` or ``error``; ``result.message(lang)`` is the sentence for the visitor
and ``result.detail`` the technical reason for the log (English, never shown to visitors).

The 2 s answer: the slip's bytes are built, the printer is opened and its paper checked
(:mod:`kiosk.handoff.devices`) on a worker thread; if that has not got as far as sending within
``deadline`` (2 s) the visitor is told the printer is offline, and the stuck job is abandoned (it
may not print later: it checks that it was abandoned before sending anything).

The heartbeat's printer state (:meth:`SlipPrinter.heartbeat_state`) is ``not_configured`` for
kind ``none``, else the outcome of the last attempt to reach the printer: every slip records it,
and the sync thread asks a network printer directly (connect, ``DLE EOT 4``) before each heartbeat.
"""
from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Optional

from kiosk.handoff import N_, in_lang
from kiosk.handoff.devices import (BUSY, ERROR, NOT_CONFIGURED, OFFLINE, OK, OUT_OF_PAPER, RATE_LIMITED,
                                   NotAPrinter, PrinterUnavailable, allow_slow_writes, classify,
                                   open_printer, paper_state)

log = logging.getLogger(__name__)

__all__ = [
    "OK", "NOT_CONFIGURED", "OFFLINE", "OUT_OF_PAPER", "BUSY", "RATE_LIMITED", "ERROR", "CODES",
    "PRINTING", "PRINT_BUTTON", "MESSAGES", "PrintResult", "RateLimiter", "SlipPrinter",
    "UNKNOWN", "STATES", "CANCELLED",
]

CODES = (OK, NOT_CONFIGURED, OFFLINE, OUT_OF_PAPER, BUSY, RATE_LIMITED, ERROR)
#: A slip the visitor left before it was sent (quick exit): nothing printed, nothing to say.
CANCELLED = "cancelled"
#: What the heartbeat reports: the outcome of the last attempt to reach the printer.
UNKNOWN = "unknown"
STATES = (NOT_CONFIGURED, OK, OFFLINE, OUT_OF_PAPER, ERROR, UNKNOWN)

PRINT_BUTTON = N_("Print")
PRINTING = N_("Printing your slip…")
MESSAGES = {
    OK: N_("Your slip is ready. Please take it from the printer."),
    NOT_CONFIGURED: N_("This kiosk has no printer. Please scan a QR code instead."),
    OFFLINE: N_("The printer is not answering. Please scan a QR code instead."),
    OUT_OF_PAPER: N_("The printer is out of paper. Please scan a QR code instead."),
    BUSY: N_("The printer is busy. Please wait a moment and try again."),
    RATE_LIMITED: N_("Enough slips have been printed for now. Please try again in a minute."),
    ERROR: N_("The slip could not be printed. Please scan a QR code instead."),
}

DEADLINE = 2.0          # seconds until the visitor hears of a failure
WRITE_TIMEOUT = 30.0    # seconds a slip may take to go out once the printer has accepted it


@dataclass(frozen=True)
class PrintResult:
    code: str
    detail: str = ""
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.code == OK

    def message(self, lang: str) -> str:
        """The sentence for the visitor, in ``lang``."""
        return in_lang(lang, MESSAGES.get(self.code, MESSAGES[ERROR]))


class RateLimiter:
    """At most ``max_per_minute`` events in any 60 s window; ``clock`` is injectable for tests."""

    def __init__(self, max_per_minute: int, clock: Callable[[], float] = time.monotonic,
                 window: float = 60.0):
        self.max = max(1, int(max_per_minute))
        self.window = window
        self.clock = clock
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def _trim(self, now: float) -> None:
        while self._times and now - self._times[0] >= self.window:
            self._times.popleft()

    def allowed(self) -> bool:
        with self._lock:
            self._trim(self.clock())
            return len(self._times) < self.max

    def retry_after(self) -> float:
        """Seconds until one more event is allowed (0 when it is allowed now)."""
        with self._lock:
            now = self.clock()
            self._trim(now)
            if len(self._times) < self.max:
                return 0.0
            return max(0.0, self.window - (now - self._times[0]))

    def record(self) -> None:
        with self._lock:
            now = self.clock()
            self._trim(now)
            self._times.append(now)


# ------------------------------------------------------------------ jobs

class _Job:
    """What a worker thread tells the waiting caller."""

    def __init__(self):
        self.accepted = threading.Event()   # the printer is open, has paper, bytes are going out
        self.done = threading.Event()
        self.abandoned = False
        self.result: Optional[PrintResult] = None

    def finish(self, code: str, detail: str = "") -> None:
        self.result = PrintResult(code, detail)
        self.done.set()
        self.accepted.set()


class SlipPrinter:
    """The configured printer, its per-minute limit and the one job it runs at a time."""

    def __init__(self, section, *, public_base_url: Optional[str] = None,
                 centre_name: Optional[str] = None, clock: Callable[[], float] = time.monotonic,
                 opener: Optional[Callable[[], Any]] = None, deadline: float = DEADLINE,
                 write_timeout: float = WRITE_TIMEOUT):
        self.section = section
        self.public_base_url = public_base_url
        self.centre_name = centre_name
        self.clock = clock
        self.deadline = deadline
        self.write_timeout = write_timeout
        self.limiter = RateLimiter(getattr(section, "max_per_minute", 3), clock)
        self._opener = opener or (lambda: open_printer(section, timeout=min(1.5, deadline * 0.75)))
        self._lock = threading.Lock()
        self._stuck: Optional[threading.Thread] = None
        self._job: Optional[_Job] = None
        self._epoch = 0   # moved on by cancel(): a slip submitted before it is not printed
        self.last_state: Optional[str] = None   # ok, offline, out_of_paper or error; None: not tried

    @classmethod
    def from_config(cls, config, **kwargs) -> "SlipPrinter":
        """The printer ``[printer]`` names (a configuration without the section has none)."""
        handoff = getattr(config, "handoff", None)
        return cls(getattr(config, "printer", None), public_base_url=getattr(handoff, "public_base_url", None),
                   centre_name=getattr(config.kiosk, "centre_name", None), **kwargs)

    @property
    def enabled(self) -> bool:
        """False for ``kind = "none"``: the Print button is then hidden."""
        return getattr(self.section, "kind", "none") != "none"

    @property
    def profile(self) -> str:
        return getattr(self.section, "profile", "default")

    # -------------------------------------------------------------- public

    def state(self, *, probe: bool = False) -> str:
        """The printer's state for the heartbeat: ``not_configured``, else the outcome of the last
        attempt to reach it (``ok``, ``offline``, ``out_of_paper``, ``error``), ``unknown`` before any.

        With ``probe`` a network printer is asked first (connect, paper status; at most about
        2 s): call that from a background thread (the sync's), never from the UI thread. Other
        connections are not opened just to ask: their state comes from the slips printed.
        """
        if not self.enabled:
            return NOT_CONFIGURED
        if probe and getattr(self.section, "kind", None) == "network":
            self._probe()
        return self.last_state or UNKNOWN

    def heartbeat_state(self) -> str:
        """:meth:`state` with a probe, for the heartbeat; never raises (call it from the sync thread)."""
        try:
            return self.state(probe=True)
        except Exception:  # noqa: BLE001 - a heartbeat must go out whatever happens here
            log.exception("printer state")
            return UNKNOWN

    def print_slip(self, detail, lang: str, now: Optional[datetime] = None, *,
                   with_address: Optional[bool] = None, epoch: Optional[int] = None) -> PrintResult:
        """Print ``detail``'s slip in ``lang``. Blocks up to ``deadline`` for a failure (and up to
        ``write_timeout`` while an accepted slip goes out): call it from a worker thread.
        ``with_address``: see :func:`kiosk.handoff.slip.build_slip` (None: the slip's default,
        no address on a sensitive service's slip)."""
        from kiosk.handoff import slip

        def build() -> bytes:
            return slip.slip_bytes(slip.build_slip(detail, lang, now, centre_name=self.centre_name,
                                                   public_base_url=self.public_base_url,
                                                   with_address=with_address), self.profile)
        return self._run(build, limited=True, epoch=epoch)

    def cancel(self) -> bool:
        """Cancel what the visitor asked to print and is not yet going out to the printer (a
        quick exit); True if a job was stopped. A slip already being sent cannot be called back."""
        self._epoch += 1
        job = self._job
        if job is None or job.accepted.is_set():
            return False
        job.abandoned = True
        job.finish(CANCELLED, "cancelled by the visitor")
        return True

    def test_slip(self, lang: str = "sq", now: Optional[datetime] = None) -> PrintResult:
        """The staff panel's test slip (the same code path, not counted against the limit)."""
        from kiosk.handoff import slip

        def build() -> bytes:
            built = slip.build_slip(slip.test_detail(lang, now), lang, now, centre_name=self.centre_name,
                                    public_base_url=self.public_base_url)
            return slip.slip_bytes(built, self.profile)
        return self._run(build, limited=False)

    def submit(self, detail, lang: str, now: Optional[datetime] = None,
               on_done: Optional[Callable[[PrintResult], None]] = None, *,
               with_address: Optional[bool] = None) -> Optional[PrintResult]:
        """Start printing on a worker thread and return at once.

        Returns a :class:`PrintResult` right away when the job is refused (not configured, busy,
        rate limited; ``on_done`` is not called then), else None and ``on_done(result)`` is
        called later from the worker thread, within ``deadline`` for any failure to start.
        """
        refusal = self._refusal(limited=True)
        if refusal is not None:
            return refusal

        epoch = self._epoch

        def work() -> None:
            result = self.print_slip(detail, lang, now, with_address=with_address, epoch=epoch)
            if on_done is not None:
                try:
                    on_done(result)
                except Exception:  # noqa: BLE001
                    log.exception("print callback failed")
        threading.Thread(target=work, name="print-slip", daemon=True).start()
        return None

    # -------------------------------------------------------------- internals

    def _refusal(self, *, limited: bool) -> Optional[PrintResult]:
        if not self.enabled:
            return PrintResult(NOT_CONFIGURED, "printer kind is none")
        if self._stuck is not None and self._stuck.is_alive():
            return PrintResult(OFFLINE, "an earlier job is still waiting for the printer")
        if self._lock.locked():
            return PrintResult(BUSY)
        if limited and not self.limiter.allowed():
            return PrintResult(RATE_LIMITED, f"retry in {self.limiter.retry_after():.0f} s")
        return None

    def _run(self, build: Callable[[], bytes], *, limited: bool, epoch: Optional[int] = None) -> PrintResult:
        refusal = self._refusal(limited=limited)
        if refusal is not None:
            return refusal
        if not self._lock.acquire(blocking=False):
            return PrintResult(BUSY)
        start = time.monotonic()
        try:
            try:
                data = build()  # CPU only, on the caller's (worker) thread, before the clock starts
            except Exception as exc:  # noqa: BLE001
                log.exception("building the slip failed")
                return PrintResult(ERROR, f"{type(exc).__name__}: {exc}", time.monotonic() - start)
            job = _Job()
            self._job = job            # from here on cancel() finds it
            if epoch is not None and epoch != self._epoch:
                job.abandoned = True   # cancelled while the slip was being built
                job.finish(CANCELLED, "cancelled by the visitor")
            worker = threading.Thread(target=self._work, args=(job, data, limited),
                                      name="printer-io", daemon=True)
            if not job.abandoned:
                worker.start()
            if not job.accepted.wait(self.deadline):
                job.abandoned = True
                self._stuck = worker
                result = PrintResult(OFFLINE, f"no answer from the printer within {self.deadline:g} s")
            elif not job.done.wait(self.write_timeout):
                job.abandoned = True
                self._stuck = worker
                result = PrintResult(ERROR, f"the slip did not finish within {self.write_timeout:g} s")
            else:
                result = job.result or PrintResult(ERROR, "no result")
            if job.abandoned and worker.is_alive():
                self._stuck = worker   # a cancelled job still opening the printer
        finally:
            self._job = None
            self._lock.release()
        result = PrintResult(result.code, result.detail, time.monotonic() - start)
        self._remember(result.code)
        (log.info if result.ok else log.warning)("print: %s %s (%.2f s)", result.code, result.detail,
                                                 result.elapsed)
        return result

    def _remember(self, code: str) -> None:
        if code in (OK, OFFLINE, OUT_OF_PAPER, ERROR):
            self.last_state = code

    def _probe(self) -> None:
        """Open the printer, ask for its paper status, close it; remember what that said."""
        if not self._lock.acquire(blocking=False):
            return  # a slip is printing: its outcome will say
        device = None
        try:
            if self._stuck is not None and self._stuck.is_alive():
                return  # an abandoned job still waits for the printer: offline already recorded
            device = self._opener()
            code = OUT_OF_PAPER if paper_state(device) == 0 else OK
        except Exception as exc:  # noqa: BLE001 - every failure becomes a state
            code = classify(exc)
            log.info("printer probe: %s: %s", type(exc).__name__, exc)
        finally:
            with contextlib.suppress(Exception):
                if device is not None:
                    device.close()
            self._lock.release()
        self._remember(code)

    def _work(self, job: _Job, data: bytes, limited: bool) -> None:
        device = None
        try:
            device = self._opener()
            paper = paper_state(device)
            if paper == 0:
                job.finish(OUT_OF_PAPER, "the printer reports no paper")
                return
            if job.abandoned:
                return
            if limited:
                self.limiter.record()
            job.accepted.set()
            allow_slow_writes(device, self.write_timeout)
            device._raw(data)
            flush = getattr(device, "flush", None)
            if callable(flush):
                flush()
            job.finish(OK, f"{len(data)} bytes")
        except Exception as exc:  # noqa: BLE001 - every failure becomes a result code
            code = classify(exc)
            if code == ERROR and not isinstance(exc, (PrinterUnavailable, NotAPrinter)):
                log.exception("printing failed")
            job.finish(code, f"{type(exc).__name__}: {exc}")
        finally:
            if device is not None:
                try:
                    device.close()
                except Exception:  # noqa: BLE001
                    pass

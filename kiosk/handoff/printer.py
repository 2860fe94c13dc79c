"""The receipt printer: open it as configured, print a slip off the UI thread, answer in 2 s.

:class:`SlipPrinter` is made once from the configuration (:meth:`SlipPrinter.from_config`) and
kept: it holds the per-minute limit. The UI shows :data:`PRINTING` and calls :meth:`~SlipPrinter.submit`,
which returns at once (``None``, or a refusal: busy, rate limited, not configured) and later
calls ``on_done(result)`` from a worker thread, so the screen hops back with ``@mainthread``.
:meth:`~SlipPrinter.print_slip` is the same thing, blocking, for code already on a worker.

A :class:`PrintResult` has a ``code``: ``ok``, ``not_configured``, ``offline``, ``out_of_paper``,
``busy``, ``rate_limited`` or ``error``; ``result.message(lang)`` is the sentence for the visitor
and ``result.detail`` the technical reason for the log (English, never shown to visitors).

The 2 s answer: the slip's bytes are built, the printer is opened and its paper checked on a
worker thread; if that has not got as far as sending within ``deadline`` (2 s) the visitor is
told the printer is offline, and the stuck job is abandoned (it may not print later: it checks
that it was abandoned before sending anything). Opening a printer that is not there fails fast:
a missing device file, a refused or unreachable network port, a USB id not on the bus.
Paper is checked where the connection can answer: ``DLE EOT 4`` (python-escpos
``paper_status()``) on USB, network and serial printers, and the kernel's ``LPGETSTATUS`` on a
``/dev/usb/lp*`` device file. A write refused with ``ENOSPC`` (usblp's "out of paper") counts too.

The heartbeat's printer state (:func:`printer_state_for`) is ``not_configured`` for kind
``none``, else the outcome of the last attempt to reach the printer: every slip records it, and
the sync thread asks a network printer directly (connect, ``DLE EOT 4``) before each heartbeat.

USB needs ``pyusb`` (python-escpos[usb]) and serial needs ``pyserial`` (python-escpos[serial]);
without them such a printer reports ``error`` with the reason in ``detail``.
"""
from __future__ import annotations

import contextlib
import errno
import logging
import os
import stat
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Optional

from kiosk.handoff import N_, in_lang

log = logging.getLogger(__name__)

__all__ = [
    "OK", "NOT_CONFIGURED", "OFFLINE", "OUT_OF_PAPER", "BUSY", "RATE_LIMITED", "ERROR", "CODES",
    "PRINTING", "PRINT_BUTTON", "MESSAGES", "PrintResult", "PrintError", "RateLimiter",
    "SlipPrinter", "open_printer", "classify", "paper_state", "shared_printer", "print_test_slip",
    "PrinterUnavailable", "NotAPrinter", "UNKNOWN", "STATES", "printer_state_for",
]

OK, NOT_CONFIGURED, OFFLINE, OUT_OF_PAPER, BUSY, RATE_LIMITED, ERROR = (
    "ok", "not_configured", "offline", "out_of_paper", "busy", "rate_limited", "error")
CODES = (OK, NOT_CONFIGURED, OFFLINE, OUT_OF_PAPER, BUSY, RATE_LIMITED, ERROR)
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
STATUS_TIMEOUT = 0.5    # seconds to wait for the printer's answer to a paper query

LPGETSTATUS = 0x060B    # <linux/lp.h>
LP_POUTPA = 0x20        # status bit: paper out


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


class PrintError(Exception):
    """Raised by :func:`print_test_slip` when the slip did not print; ``.result`` says why."""

    def __init__(self, result: PrintResult):
        self.result = result
        super().__init__(f"{result.code}: {result.detail}" if result.detail else result.code)


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


# ------------------------------------------------------------------ devices

class PrinterUnavailable(RuntimeError):
    """The configured connection cannot be used on this machine (a library is missing)."""


class NotAPrinter(OSError):
    """Something answered at the printer's address, but not like an ESC/POS printer."""


def open_printer(section, *, timeout: float = 1.5):
    """Open the printer ``section`` (a :class:`kiosk.config.PrinterSection`) describes.

    Raises python-escpos's ``DeviceNotFoundError`` (offline), :class:`PrinterUnavailable`
    (pyusb or pyserial missing) or an ``OSError``. A ``file`` printer under ``/dev`` must exist: the kiosk
    never creates a file where a printer device should be.
    """
    from escpos import printer as escpos_printer
    from escpos.exceptions import DeviceNotFoundError

    kind, profile = section.kind, section.profile
    if kind == "usb":
        if not escpos_printer.Usb.is_usable():
            raise PrinterUnavailable("USB printing needs pyusb: pip install 'python-escpos[usb]'")
        device = escpos_printer.Usb(section.vendor_id, section.product_id,
                                    timeout=int(timeout * 1000), profile=profile)
    elif kind == "network":
        device = escpos_printer.Network(section.host, section.port, timeout=timeout, profile=profile)
    elif kind == "serial":
        if not escpos_printer.Serial.is_usable():
            raise PrinterUnavailable("serial printing needs pyserial: pip install 'python-escpos[serial]'")
        device = escpos_printer.Serial(devfile=section.device, baudrate=section.baudrate,
                                       timeout=timeout, profile=profile)
    elif kind == "file":
        path = Path(section.path)
        if not path.exists() and (path.is_absolute() and path.parts[1:2] == ("dev",)):
            raise DeviceNotFoundError(f"no printer device at {path}")
        if path.is_dir():
            raise DeviceNotFoundError(f"{path} is a folder, not a printer device")
        device = escpos_printer.File(devfile=str(path), auto_flush=False, profile=profile)
    else:
        raise ValueError(f"printer kind {kind!r} cannot be opened")
    device.open()
    if getattr(device, "device", None) is None:
        raise DeviceNotFoundError(f"{kind} printer could not be opened")
    return device


def _own_paper_status(device) -> bool:
    """Whether ``device`` brings its own ``paper_status`` (a test double, a custom driver)."""
    from escpos.escpos import Escpos

    method = getattr(type(device), "paper_status", None)
    return callable(method) and method is not Escpos.paper_status


def _can_read(device) -> bool:
    """Whether a python-escpos device can read answers (File and Dummy cannot)."""
    from escpos.escpos import Escpos

    return isinstance(device, Escpos) and type(device)._read is not Escpos._read


def _lp_status(device) -> Optional[int]:
    """Paper state (0 out, 2 fine) of a ``/dev/usb/lp*`` device file via ``LPGETSTATUS``."""
    handle = getattr(device, "device", None)
    try:
        fd = handle.fileno()
        if not stat.S_ISCHR(os.fstat(fd).st_mode):
            return None
        import array
        import fcntl

        buf = array.array("i", [0])
        fcntl.ioctl(fd, LPGETSTATUS, buf, True)
    except (AttributeError, OSError, ValueError, ImportError):
        return None
    return 0 if buf[0] & LP_POUTPA else 2


def _paper_from_status(answer) -> Optional[int]:
    """Paper state from the answer to ``DLE EOT 4`` (roll paper sensor status).

    The answer byte has fixed bits (bit 0 = 0, bits 1 and 4 = 1, bit 7 = 0: ``b & 0x93 == 0x12``);
    bits 5-6 set mean paper end, bits 2-3 paper near end. No answer means unknown (many printers
    stay silent and print anyway); an answer without the fixed bits is not a printer's.
    python-escpos's own ``paper_status()`` reports "no paper" for any unexpected byte, so an
    HTTP server at the printer's address would look like an empty roll; this does not.
    """
    if answer is None or len(answer) == 0:
        return None
    byte = answer[0]
    if byte & 0x93 != 0x12:
        raise NotAPrinter(errno.EPROTO, f"unexpected answer to a status query: {bytes(answer[:4])!r}")
    if byte & 0x60 == 0x60:
        return 0
    if byte & 0x0C == 0x0C:
        return 1
    return 2


@contextlib.contextmanager
def _short_reads(device):
    """Wait at most :data:`STATUS_TIMEOUT` for a status answer: a silent printer must not use
    up the 2 s. The connection's own timeouts come back afterwards."""
    from escpos.printer import Network, Serial, Usb

    conn = getattr(device, "_device", None)
    restore: Callable[[], None] = lambda: None  # noqa: E731
    try:
        if isinstance(device, Network) and conn:
            before = conn.gettimeout()
            conn.settimeout(STATUS_TIMEOUT)
            restore = lambda: conn.settimeout(before)  # noqa: E731
        elif isinstance(device, Usb) and conn:
            before = conn.default_timeout
            conn.default_timeout = int(STATUS_TIMEOUT * 1000)
            restore = lambda: setattr(conn, "default_timeout", before)  # noqa: E731
        elif isinstance(device, Serial) and conn:
            before = conn.timeout
            conn.timeout = STATUS_TIMEOUT
            restore = lambda: setattr(conn, "timeout", before)  # noqa: E731
    except Exception:  # noqa: BLE001 - keep the timeouts the connection has
        pass
    try:
        yield
    finally:
        try:
            restore()
        except Exception:  # noqa: BLE001
            pass


def paper_state(device) -> Optional[int]:
    """2 plenty, 1 near end, 0 out, None when the connection cannot tell.

    Raises :class:`NotAPrinter` when the device answers with something no printer sends.
    """
    from escpos.constants import RT_STATUS_PAPER
    from escpos.printer import File

    if _own_paper_status(device):
        return int(device.paper_status())
    if isinstance(device, File):
        return _lp_status(device)
    if not _can_read(device):
        return None
    try:
        with _short_reads(device):
            answer = device.query_status(RT_STATUS_PAPER)
    except Exception as exc:  # noqa: BLE001 - a printer that does not answer may still print
        log.info("paper status unknown: %s: %s", type(exc).__name__, exc)
        return None
    return _paper_from_status(answer)


def _allow_slow_writes(device, seconds: float) -> None:
    """Once the printer has answered, let a long slip take its time (a printer prints slower
    than the connection sends, and its buffer fills): the short timeouts were for opening."""
    from escpos.printer import Network, Serial, Usb

    try:
        if isinstance(device, Network) and device._device:
            device._device.settimeout(seconds)
        elif isinstance(device, Usb):
            device.timeout = int(seconds * 1000)
        elif isinstance(device, Serial) and device._device:
            device._device.write_timeout = seconds
    except Exception:  # noqa: BLE001 - keep the opening timeouts then
        pass


_OFFLINE_ERRNOS = {errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.EIO, errno.EACCES, errno.EPERM,
                   errno.ECONNREFUSED, errno.ECONNRESET, errno.EHOSTUNREACH, errno.ENETUNREACH,
                   errno.ETIMEDOUT, errno.EPIPE, errno.EBUSY, errno.EROFS, errno.EISDIR}


def classify(exc: BaseException) -> str:
    """The result code for an exception raised while opening or writing to a printer."""
    from escpos.exceptions import DeviceNotFoundError

    if isinstance(exc, DeviceNotFoundError):
        return OFFLINE
    if isinstance(exc, (PrinterUnavailable, NotAPrinter)):
        return ERROR
    err = getattr(exc, "errno", None)
    if err == errno.ENOSPC:
        return OUT_OF_PAPER
    if isinstance(exc, (TimeoutError, ConnectionError)):
        return OFFLINE
    if isinstance(exc, OSError):
        return OFFLINE if err in _OFFLINE_ERRNOS or err is None else ERROR
    module = type(exc).__module__ or ""
    if module.startswith("usb") or module.startswith("serial"):
        return OFFLINE  # pyusb's USBError / USBTimeoutError, pyserial's SerialException
    return ERROR


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
        self.last_state: Optional[str] = None   # ok, offline, out_of_paper or error; None: not tried

    @classmethod
    def from_config(cls, config, **kwargs) -> "SlipPrinter":
        return cls(config.printer, public_base_url=config.handoff.public_base_url,
                   centre_name=config.kiosk.centre_name, **kwargs)

    def warm_up(self) -> None:
        """Load python-escpos and its printer database now (0.3 s on a PC, seconds on a small
        board) rather than on the first visitor's print. Call it after logging is set up:
        python-escpos calls ``logging.basicConfig()`` when imported."""
        if self.enabled:
            import escpos.printer  # noqa: F401

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

    def print_slip(self, detail, lang: str, now: Optional[datetime] = None) -> PrintResult:
        """Print ``detail``'s slip in ``lang``. Blocks up to ``deadline`` for a failure (and up to
        ``write_timeout`` while an accepted slip goes out): call it from a worker thread."""
        from kiosk.handoff import slip

        def build() -> bytes:
            return slip.slip_bytes(slip.build_slip(detail, lang, now, centre_name=self.centre_name,
                                                   public_base_url=self.public_base_url), self.profile)
        return self._run(build, limited=True)

    def test_slip(self, lang: str = "sq", now: Optional[datetime] = None) -> PrintResult:
        """The staff panel's test slip (the same code path, not counted against the limit)."""
        from kiosk.handoff import slip

        def build() -> bytes:
            built = slip.build_slip(slip.test_detail(lang, now), lang, now, centre_name=self.centre_name,
                                    public_base_url=self.public_base_url)
            return slip.slip_bytes(built, self.profile)
        return self._run(build, limited=False)

    def submit(self, detail, lang: str, now: Optional[datetime] = None,
               on_done: Optional[Callable[[PrintResult], None]] = None) -> Optional[PrintResult]:
        """Start printing on a worker thread and return at once.

        Returns a :class:`PrintResult` right away when the job is refused (not configured, busy,
        rate limited; ``on_done`` is not called then), else None and ``on_done(result)`` is
        called later from the worker thread, within ``deadline`` for any failure to start.
        """
        refusal = self._refusal(limited=True)
        if refusal is not None:
            return refusal

        def work() -> None:
            result = self.print_slip(detail, lang, now)
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

    def _run(self, build: Callable[[], bytes], *, limited: bool) -> PrintResult:
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
            worker = threading.Thread(target=self._work, args=(job, data, limited),
                                      name="printer-io", daemon=True)
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
        finally:
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
            _allow_slow_writes(device, self.write_timeout)
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


# ------------------------------------------------------------------ one printer per configuration

_shared: dict[Any, SlipPrinter] = {}
_shared_lock = threading.Lock()


def shared_printer(config) -> SlipPrinter:
    """The one :class:`SlipPrinter` for ``config`` (so the per-minute limit holds across screens)."""
    key = (config.printer, config.handoff.public_base_url, config.kiosk.centre_name)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = SlipPrinter.from_config(config)
        return _shared[key]


def print_test_slip(config, lang: Optional[str] = None, now: Optional[datetime] = None) -> PrintResult:
    """The staff panel's "print test slip": returns the result when it printed and raises
    :class:`PrintError` (with ``.result``) when it did not. Blocking: call it from a worker."""
    result = shared_printer(config).test_slip(lang or config.kiosk.default_language, now)
    if not result.ok:
        raise PrintError(result)
    return result


def printer_state_for(config) -> Callable[[], str]:
    """The heartbeat's ``printer_state`` for ``config``: ``not_configured`` for kind ``none``,
    else :meth:`SlipPrinter.state` of the shared printer with a probe. Never raises; call it
    from the sync thread."""
    section = getattr(config, "printer", None)
    if section is None:
        return lambda: UNKNOWN
    if getattr(section, "kind", "none") == "none":
        return lambda: NOT_CONFIGURED

    def state() -> str:
        try:
            return shared_printer(config).state(probe=True)
        except Exception:  # noqa: BLE001 - a heartbeat must go out whatever happens here
            log.exception("printer state")
            return UNKNOWN
    return state

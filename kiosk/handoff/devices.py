"""The receipt printer's connection: open it as configured, ask for its paper, name what went wrong.

Opening a printer that is not there fails fast: a missing device file, a refused or unreachable
network port, a USB id not on the bus. Paper is checked where the connection can answer:
``DLE EOT 4`` (python-escpos ``paper_status()``) on USB, network and serial printers, and the
kernel's ``LPGETSTATUS`` on a ``/dev/usb/lp*`` device file. A write refused with ``ENOSPC``
(usblp's "out of paper") counts too. :func:`classify` turns any exception into a result code.

USB needs ``pyusb`` (python-escpos[usb]) and serial needs ``pyserial`` (python-escpos[serial]);
without them such a printer reports ``error`` with the reason in ``detail``. No Kivy here.
"""
from __future__ import annotations

import contextlib
import errno
import logging
import os
import stat
from pathlib import Path
from typing import Callable, Optional

log = logging.getLogger(__name__)

OK, NOT_CONFIGURED, OFFLINE, OUT_OF_PAPER, BUSY, RATE_LIMITED, ERROR = (
    "ok", "not_configured", "offline", "out_of_paper", "busy", "rate_limited", "error")

STATUS_TIMEOUT = 0.5    # seconds to wait for the printer's answer to a paper query
LPGETSTATUS = 0x060B    # <linux/lp.h>
LP_POUTPA = 0x20        # status bit: paper out


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


def paper_from_status(answer) -> Optional[int]:
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
    return paper_from_status(answer)


def allow_slow_writes(device, seconds: float) -> None:
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

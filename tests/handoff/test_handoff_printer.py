"""Printing: result codes within 2 s, paper status, the per-minute limit, a real socket printer."""
from __future__ import annotations

import errno
import socket
import threading
import time
from pathlib import Path

import pytest
from escpos.exceptions import DeviceNotFoundError
from handofflib import BASE, make_detail

from kiosk.config import PrinterSection
from kiosk.handoff import devices as dev
from kiosk.handoff import printer as pr
from kiosk.handoff import slip as s
from kiosk.handoff import in_lang


class FakeDevice:
    """A printer connection: records bytes, reports a paper state, may fail or block."""

    def __init__(self, paper=2, fail=None, block: threading.Event | None = None):
        self.paper = paper
        self.fail = fail
        self.block = block
        self.written = b""
        self.closed = False

    def paper_status(self):
        return self.paper

    def _raw(self, data):
        if self.block is not None:
            self.block.wait(10)
        if self.fail is not None:
            raise self.fail
        self.written += data

    def close(self):
        self.closed = True


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def file_printer(path, **kw) -> pr.SlipPrinter:
    return pr.SlipPrinter(PrinterSection(kind="file", path=str(path)), public_base_url=BASE, **kw)


def fake_printer(device, **kw) -> pr.SlipPrinter:
    section = PrinterSection(kind="file", path="/unused", max_per_minute=kw.pop("max_per_minute", 3))
    return pr.SlipPrinter(section, public_base_url=BASE, opener=lambda: device, **kw)


def test_not_configured():
    printer = pr.SlipPrinter(PrinterSection())
    assert not printer.enabled
    result = printer.print_slip(make_detail(), "sq")
    assert result.code == pr.NOT_CONFIGURED and not result.ok
    assert printer.submit(make_detail(), "sq").code == pr.NOT_CONFIGURED


def test_file_printer_writes_the_slip(tmp_path, now):
    out = tmp_path / "printer.bin"
    result = file_printer(out).print_slip(make_detail(), "sq", now)
    assert result.ok, result
    expected = s.slip_bytes(s.build_slip(make_detail(), "sq", now, public_base_url=BASE), "default")
    assert out.read_bytes() == expected


@pytest.mark.parametrize("path", ["/dev/usb/lp-kiosk-test-missing", "/nonexistent-dir/lp0",
                                  "/etc/hostname/lp0", "{tmp}"])
def test_offline_device_paths_answer_within_two_seconds(tmp_path, path):
    target = path.format(tmp=tmp_path)  # the last one is a folder
    start = time.monotonic()
    result = file_printer(target).print_slip(make_detail(), "sq")
    assert result.code == pr.OFFLINE, result
    assert time.monotonic() - start < 2.0
    assert not Path("/dev/usb/lp-kiosk-test-missing").exists()  # never created


def test_a_hanging_printer_is_reported_offline_by_the_deadline():
    release = threading.Event()
    device = FakeDevice()

    def opener():
        release.wait(10)
        return device
    printer = pr.SlipPrinter(PrinterSection(kind="file", path="/unused"), opener=opener, deadline=0.3)
    start = time.monotonic()
    result = printer.print_slip(make_detail(), "sq")
    assert result.code == pr.OFFLINE and time.monotonic() - start < 1.0
    # While the stuck job waits, a new one is refused at once, not queued behind it.
    assert printer.print_slip(make_detail(), "sq").code == pr.OFFLINE
    release.set()
    time.sleep(0.2)
    assert device.written == b""  # the abandoned job never prints late
    assert printer.print_slip(make_detail(), "sq").ok


def test_default_deadline_is_two_seconds():
    release = threading.Event()
    printer = pr.SlipPrinter(PrinterSection(kind="file", path="/unused"),
                             opener=lambda: release.wait(10) and FakeDevice())
    assert printer.deadline == 2.0
    start = time.monotonic()
    assert printer.test_slip().code == pr.OFFLINE
    assert 1.9 <= time.monotonic() - start < 2.5
    release.set()


def test_out_of_paper_from_paper_status():
    device = FakeDevice(paper=0)
    result = fake_printer(device).print_slip(make_detail(), "sq")
    assert result.code == pr.OUT_OF_PAPER and device.written == b"" and device.closed
    assert result.message("en") == "The printer is out of paper. Please scan a QR code instead."


def test_paper_near_end_still_prints():
    device = FakeDevice(paper=1)
    assert fake_printer(device).print_slip(make_detail(), "sq").ok
    assert device.written.endswith(b"\x1dV\x01")


def test_write_refused_for_lack_of_paper():
    device = FakeDevice(fail=OSError(errno.ENOSPC, "No space left on device"))
    assert fake_printer(device).print_slip(make_detail(), "sq").code == pr.OUT_OF_PAPER


def test_usblp_status_ioctl(monkeypatch):
    import fcntl

    def ioctl(fd, request, buf, mutate=True):
        assert request == dev.LPGETSTATUS
        buf[0] = 0x20 | 0x10 | 0x08  # paper out, selected, no error
        return 0
    monkeypatch.setattr(fcntl, "ioctl", ioctl)
    assert file_printer("/dev/null").print_slip(make_detail(), "sq").code == pr.OUT_OF_PAPER
    monkeypatch.undo()
    assert file_printer("/dev/null").print_slip(make_detail(), "sq").ok  # /dev/null: no status, prints


@pytest.mark.parametrize("answer, state", [(b"\x12", 2), (b"\x1e", 1), (b"\x72", 0), (b"", None), (None, None)])
def test_paper_status_answers(answer, state):
    assert dev.paper_from_status(answer) == state


def test_an_answer_no_printer_sends():
    with pytest.raises(dev.NotAPrinter):
        dev.paper_from_status(b"HTTP/1.1 400")


class SocketPrinter:
    """An ESC/POS printer on 127.0.0.1: answers DLE EOT 4 with ``status`` and keeps what it gets."""

    def __init__(self, status: bytes | None):
        self.status = status
        self.received = b""
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(1)
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        conn, _ = self.server.accept()
        with conn:
            conn.settimeout(3)
            try:
                while True:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    self.received += chunk
                    if chunk.endswith(b"\x10\x04\x04") and self.status is not None:
                        conn.sendall(self.status)
            except OSError:
                pass
        self.server.close()


@pytest.mark.parametrize("status, code", [(b"\x12", pr.OK), (None, pr.OK), (b"\x72", pr.OUT_OF_PAPER),
                                          (b"HTTP/1.1 400 Bad Request", pr.ERROR)])
def test_network_printer(status, code, now):
    server = SocketPrinter(status)
    section = PrinterSection(kind="network", host="127.0.0.1", port=server.port)
    start = time.monotonic()
    result = pr.SlipPrinter(section, public_base_url=BASE).print_slip(make_detail(), "sq", now)
    assert result.code == code, result
    assert time.monotonic() - start < 2.0
    server.thread.join(3)
    if code == pr.OK:
        assert server.received.startswith(b"\x10\x04\x04\x1b@\x1bt\x13")
        assert server.received.endswith(b"\x1dV\x01")
    else:
        assert b"\x1b@" not in server.received


def test_network_printer_refusing_connections():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    result = pr.SlipPrinter(PrinterSection(kind="network", host="127.0.0.1", port=port)).test_slip()
    assert result.code == pr.OFFLINE


def test_busy_while_printing():
    release = threading.Event()
    device = FakeDevice(block=release)
    printer = fake_printer(device)
    results = []
    worker = threading.Thread(target=lambda: results.append(printer.print_slip(make_detail(), "sq")))
    worker.start()
    time.sleep(0.2)
    assert printer.print_slip(make_detail(), "sq").code == pr.BUSY
    assert printer.submit(make_detail(), "sq").code == pr.BUSY
    release.set()
    worker.join(5)
    assert results[0].ok


def test_rate_limit_with_an_injected_clock():
    clock = Clock()
    printer = fake_printer(FakeDevice(), clock=clock, max_per_minute=2)
    assert printer.print_slip(make_detail(), "sq").ok
    clock.t += 10
    assert printer.print_slip(make_detail(), "sq").ok
    clock.t += 10
    limited = printer.print_slip(make_detail(), "sq")
    assert limited.code == pr.RATE_LIMITED and limited.detail == "retry in 40 s"
    assert printer.test_slip().ok  # staff's test slip is not counted
    clock.t += 40
    assert printer.print_slip(make_detail(), "sq").ok


def test_failures_do_not_use_up_the_limit():
    clock = Clock()
    printer = fake_printer(FakeDevice(paper=0), clock=clock, max_per_minute=1)
    for _ in range(3):
        assert printer.print_slip(make_detail(), "sq").code == pr.OUT_OF_PAPER


def test_rate_limiter_window():
    clock = Clock()
    limiter = pr.RateLimiter(3, clock)
    for _ in range(3):
        assert limiter.allowed()
        limiter.record()
    assert not limiter.allowed() and limiter.retry_after() == 60
    clock.t += 59.9
    assert not limiter.allowed()
    clock.t += 0.1
    assert limiter.allowed() and limiter.retry_after() == 0


def test_submit_runs_off_the_calling_thread():
    device = FakeDevice()
    printer = fake_printer(device)
    done = threading.Event()
    seen = {}

    def on_done(result):
        seen["result"] = result
        seen["thread"] = threading.current_thread()
        done.set()
    assert printer.submit(make_detail(), "sq", on_done=on_done) is None
    assert done.wait(5)
    assert seen["result"].ok and seen["thread"] is not threading.main_thread()


def test_classify():
    class USBError(Exception):
        pass
    USBError.__module__ = "usb.core"
    assert dev.classify(DeviceNotFoundError("gone")) == pr.OFFLINE
    assert dev.classify(ConnectionRefusedError()) == pr.OFFLINE
    assert dev.classify(socket.timeout()) == pr.OFFLINE
    assert dev.classify(OSError(errno.EIO, "I/O error")) == pr.OFFLINE
    assert dev.classify(OSError(errno.ENOSPC, "full")) == pr.OUT_OF_PAPER
    assert dev.classify(USBError()) == pr.OFFLINE
    assert dev.classify(dev.PrinterUnavailable("no pyusb")) == pr.ERROR
    assert dev.classify(ValueError("bug")) == pr.ERROR


def test_every_code_has_a_message_in_both_languages():
    for code in pr.CODES:
        result = pr.PrintResult(code)
        assert result.message("en") == pr.MESSAGES[code]
        assert result.message("sq") == in_lang("sq", pr.MESSAGES[code])
    assert pr.PrintResult("unknown").message("en") == pr.MESSAGES[pr.ERROR]


# ------------------------------------------------------------------ quick exit and discretion

def test_cancel_stops_a_slip_not_yet_sent(now):
    """Quick exit while the printer is still being opened: the slip is never sent."""
    opened = threading.Event()
    release = threading.Event()
    device = FakeDevice()

    def opener():
        opened.set()
        release.wait(10)
        return device
    printer = pr.SlipPrinter(PrinterSection(kind="file", path="/unused"), opener=opener, deadline=5.0)
    results = []
    assert printer.submit(make_detail(), "sq", now, on_done=results.append) is None
    assert opened.wait(5)
    started = time.monotonic()
    assert printer.cancel() is True
    deadline = time.monotonic() + 5
    while not results and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [r.code for r in results] == [pr.CANCELLED]
    assert time.monotonic() - started < 1.0          # the visitor's exit does not wait for the printer
    release.set()
    time.sleep(0.2)
    assert device.written == b"" and device.closed   # the late connection sent nothing
    assert printer.limiter.retry_after() == 0.0      # a cancelled slip is not counted


def test_cancel_before_the_slip_is_built_prints_nothing(tmp_path, now):
    out = tmp_path / "printer.bin"
    printer = file_printer(out)
    epoch = printer._epoch
    printer.cancel()
    result = printer.print_slip(make_detail(), "sq", now, epoch=epoch)
    assert result.code == pr.CANCELLED
    assert not out.exists() or out.read_bytes() == b""
    assert printer.cancel() is False                  # nothing left to cancel
    assert printer.print_slip(make_detail(), "sq", now).ok   # the next visitor prints as usual


def test_sensitive_slip_address_only_when_asked(tmp_path, now):
    from dataclasses import replace

    detail = replace(make_detail(), sensitive=True, neutral_title="Këshillim")
    printed = {}
    for with_address in (None, True):
        out = tmp_path / f"slip-{with_address}.bin"
        assert file_printer(out).print_slip(detail, "sq", now, with_address=with_address).ok
        printed[with_address] = out.read_bytes()
    expected = s.slip_bytes(s.build_slip(detail, "sq", now, public_base_url=BASE), "default")
    assert printed[None] == expected
    assert "Rruga Korçë 5" not in s.build_slip(detail, "sq", now, public_base_url=BASE).text()
    assert printed[True] == s.slip_bytes(s.build_slip(detail, "sq", now, public_base_url=BASE,
                                                      with_address=True), "default")
    assert printed[True] != printed[None]

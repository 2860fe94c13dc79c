"""kiosk.operations and kiosk.bootstrap: the staff panel's actions and facts, and the one wiring
point that makes every piece once. No Kivy."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from kiosk.bootstrap import build_kiosk
from kiosk.config import Config, HandoffSection, KioskSection, PrinterSection
from kiosk.handoff.printer import SlipPrinter
from kiosk.operations import ActionResult, Operations

BASE = "https://sherbime.elbasan.gov.al"
GENERATED = datetime(2026, 11, 1, 8, tzinfo=timezone.utc)   # tests/factories.py's generated_at


def config(**printer):
    return Config(printer=PrinterSection(**printer), handoff=HandoffSection(public_base_url=BASE))


class FakeUpdates:
    """Answers "sync now" as the real updates do: later, on another thread, with a result."""

    def __init__(self, outcome):
        self.outcome = outcome

    def sync_now(self, callback):
        import threading

        threading.Thread(target=callback, args=(self.outcome,), daemon=True).start()


def synced(ops) -> ActionResult:
    import queue

    results: queue.Queue = queue.Queue()
    ops.sync_now(results.put)
    return results.get(timeout=5)


def test_operations_report_not_configured_honestly():
    cfg = config()
    ops = Operations(cfg, printer=SlipPrinter.from_config(cfg), clock=lambda: 5.0)
    result = synced(ops)
    assert result == ActionResult(False, "not_configured", "", 5.0)
    assert ops.last_sync is result
    assert ops.print_test_slip().code == "not_configured"
    assert ops.printer_state() == "not_configured"


def test_operations_never_fake_success(tmp_path):
    cfg = config(kind="file", path="/dev/usb/lp-kiosk-test-missing")
    failing = FakeUpdates(SimpleNamespace(ok=False, code="network", detail="no route to host"))
    ops = Operations(cfg, printer=SlipPrinter.from_config(cfg), updates=failing)
    result = synced(ops)
    assert (result.ok, result.code) == (False, "failed") and "no route to host" in result.detail
    printed = ops.print_test_slip()
    assert (printed.ok, printed.code) == (False, "failed") and printed.detail.startswith("offline")
    assert ops.printer_state() == "configured"
    ops.updates = FakeUpdates(SimpleNamespace(ok=True, outcome="unchanged", code=None, detail=""))
    assert synced(ops).code == "ok" and ops.last_sync.ok


def test_print_test_slip_for_the_staff_panel(tmp_path):
    out = tmp_path / "test.bin"
    cfg = config(kind="file", path=str(out))
    ops = Operations(cfg, printer=SlipPrinter.from_config(cfg))
    result = ops.print_test_slip()
    assert (result.ok, result.code, result.detail) == (True, "ok", "")
    assert b"\x89 \xd3 \x87 \x80" in out.read_bytes()  # ë Ë ç Ç in CP858


def test_the_panel_judges_the_catalogue_age_by_the_one_rule(catalogue):
    cfg = Config(kiosk=KioskSection(stale_after_days=7))
    kiosk = build_kiosk(cfg, catalogue=catalogue)
    try:
        ops = kiosk.operations
        ops._now = lambda: GENERATED + timedelta(days=6, hours=23)
        facts = ops.panel()
        assert facts.info.version == 1 and facts.age_days == 6 and not facts.too_old
        ops._now = lambda: GENERATED + timedelta(days=8)
        facts = ops.panel()
        assert facts.age_days == 8 and facts.too_old
        assert facts.sync is None and facts.printer == "not_configured"   # no feed, no printer
    finally:
        kiosk.close()


def test_one_wiring_point_makes_each_piece_once(catalogue, tmp_path):
    made = []

    class Updates:
        def __init__(self, config, catalogue, *, deferred, printer_state):
            self.deferred, self.printer_state = deferred, printer_state
            made.append(self)

        def asset_path(self, sha256):
            return None

        def status(self):
            return None

        def stop(self, timeout):
            made.remove(self)

    standalone = build_kiosk(Config(kiosk=KioskSection(data_dir=tmp_path)), catalogue=catalogue,
                             updates_factory=Updates)
    assert standalone.updates is None and made == []
    assert standalone.reads.asset_path is None and standalone.reads.sync_status is None
    standalone.close()
    cfg = Config.model_validate({"kiosk": {"data_dir": str(tmp_path)},
                                 "sync": {"feed_url": "https://feed.example.org/c.json",
                                          "public_keys": ["5IAJ9DlcqmVqpKldNceseyyBCEFBV1ZW/tDnbim3Mag="]},
                                 "printer": {"kind": "file", "path": str(tmp_path / "slip.bin")}})
    kiosk = build_kiosk(cfg, catalogue=catalogue, updates_factory=Updates)
    assert made == [kiosk.updates] and kiosk.updates.deferred
    assert kiosk.operations.printer is kiosk.printer and kiosk.operations.updates is kiosk.updates
    assert kiosk.updates.printer_state == kiosk.printer.heartbeat_state   # heartbeats ask the same printer
    assert kiosk.reads.asset_path == kiosk.updates.asset_path
    assert kiosk.reads.sync_status == kiosk.updates.status
    assert kiosk.pin_guard.state_path == tmp_path / "staff-pin.json"
    kiosk.close()
    assert made == []

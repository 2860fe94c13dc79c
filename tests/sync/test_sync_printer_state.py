"""The printer's state in the heartbeat: ``not_configured`` without a printer, else the outcome of
the last attempt to reach it, refreshed for a network printer by a status query from the sync
thread. The printer is a fake ESC/POS printer on 127.0.0.1."""
from __future__ import annotations

import json
import socket
import threading

import pytest

import synclib as sl
from synclib import FAST, clean_feed

from kiosk.catalogue.store import Catalogue
from kiosk.handoff import printer as printermod
from kiosk.cli import run_once

DLE_EOT_PAPER = b"\x10\x04\x04"
PAPER_OK, PAPER_OUT = b"\x12", b"\x72"


class FakeNetworkPrinter:
    """Accepts connections like a receipt printer on port 9100 and answers paper queries."""

    def __init__(self, paper: bytes = PAPER_OK):
        self.paper = paper
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.queries = 0
        self.connections = 0
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                while (data := conn.recv(1024)):
                    if DLE_EOT_PAPER in data:
                        self.queries += 1
                        conn.sendall(self.paper)
            except OSError:
                pass

    def close(self) -> None:
        self._stop.set()
        self.sock.close()


@pytest.fixture
def fake_printer():
    p = FakeNetworkPrinter()
    yield p
    p.close()


def real_config(tmp_path, server, publisher, **printer):
    config_mod = pytest.importorskip("kiosk.config")
    config = config_mod.Config(
        kiosk=config_mod.KioskSection(data_dir=tmp_path / "data", id="printer-kiosk"),
        sync=config_mod.SyncSection(feed_url=server.url + "feed.json", public_keys=[publisher.public_b64],
                                    heartbeat_url=server.url + "heartbeat"),
        printer=config_mod.PrinterSection(**printer))
    (tmp_path / "data").mkdir(exist_ok=True)
    cat = Catalogue(config.kiosk.database)
    cat.create_schema()
    cat.load(clean_feed(1), source="test")
    cat.dispose()
    return config


def last_beat(server) -> dict:
    assert server.heartbeats, "no heartbeat was posted"
    return json.loads(server.heartbeats[-1])


@pytest.mark.parametrize("paper, expected", [(PAPER_OK, "ok"), (PAPER_OUT, "out_of_paper")])
def test_kiosk_sync_heartbeat_asks_a_network_printer(tmp_path, server, publisher, fake_printer,
                                                     paper, expected):
    fake_printer.paper = paper
    config = real_config(tmp_path, server, publisher, kind="network", host="127.0.0.1",
                         port=fake_printer.port)
    publisher.publish(clean_feed(2))
    code, _message = run_once(config, options=FAST)
    assert code == 0
    beat = last_beat(server)
    assert beat["printer"] == expected and beat["kiosk_id"] == "printer-kiosk"
    assert fake_printer.queries == 1


def test_heartbeat_says_offline_when_the_network_printer_does_not_answer(tmp_path, server, publisher):
    config = real_config(tmp_path, server, publisher, kind="network", host="127.0.0.1",
                         port=sl.refused_port())
    publisher.publish(clean_feed(2))
    assert run_once(config, options=FAST)[0] == 0
    assert last_beat(server)["printer"] == "offline"


def test_heartbeat_without_a_printer(tmp_path, server, publisher):
    config = real_config(tmp_path, server, publisher)
    publisher.publish(clean_feed(2))
    assert run_once(config, options=FAST)[0] == 0
    assert last_beat(server)["printer"] == "not_configured"


def test_usb_printer_reports_the_last_slip_and_is_never_opened_just_to_ask(tmp_path):
    config_mod = pytest.importorskip("kiosk.config")
    section = config_mod.PrinterSection(kind="usb", vendor_id=0x0416, product_id=0x5011)
    opened = []

    def opener():
        opened.append(1)
        raise OSError(19, "No such device")  # ENODEV: unplugged

    p = printermod.SlipPrinter(section, opener=opener)
    assert p.state(probe=True) == "unknown" and opened == []  # nothing known, nothing opened
    assert p.test_slip("sq").code == "offline"
    assert p.state(probe=True) == "offline" and len(opened) == 1


def test_refusals_do_not_change_the_state(fake_printer):
    config_mod = pytest.importorskip("kiosk.config")
    section = config_mod.PrinterSection(kind="network", host="127.0.0.1", port=fake_printer.port)
    p = printermod.SlipPrinter(section)
    assert p.state(probe=True) == "ok" and fake_printer.queries == 1
    with p._lock:  # a slip is printing: the probe leaves the printer to it
        assert p.state(probe=True) == "ok" and fake_printer.queries == 1
        assert p.test_slip("sq").code == "busy"
    assert p.last_state == "ok"
    fake_printer.paper = PAPER_OUT
    assert p.test_slip("sq").code == "out_of_paper"
    assert p.state() == "out_of_paper"  # no probe: the last outcome


def test_heartbeat_state_never_raises(monkeypatch):
    config_mod = pytest.importorskip("kiosk.config")
    assert printermod.SlipPrinter(config_mod.PrinterSection()).heartbeat_state() == "not_configured"
    broken = printermod.SlipPrinter(config_mod.PrinterSection(kind="network", host="127.0.0.1",
                                                              port=sl.refused_port()))
    assert broken.heartbeat_state() == "offline"

    def fail(**_kwargs):
        raise RuntimeError("a bug in the printer code")

    monkeypatch.setattr(broken, "state", fail)
    assert broken.heartbeat_state() == "unknown"

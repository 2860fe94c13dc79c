"""``kiosk doctor`` on this machine, and its checks on devices and dates it is shown."""
from __future__ import annotations

import argparse
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from kiosk import doctor
from kiosk.config import load_config
from kiosk.i18n import translator

DEVICES = """I: Bus=0003 Vendor=0eef Product=0005 Version=0111
N: Name="eGalax Inc. USB TouchController"
H: Handlers=mouse0 event3
B: EV=1b
B: ABS=260800000000003

I: Bus=0003 Vendor=0c2e Product=0b61 Version=0111
N: Name="Honeywell Imaging & Mobility 1900"
H: Handlers=sysrq kbd leds event4
B: EV=120013

I: Bus=0011 Vendor=0001 Product=0001 Version=ab41
N: Name="AT Translated Set 2 keyboard"
H: Handlers=sysrq kbd event0
B: EV=120013
"""


@pytest.fixture
def sq():
    translator.switch("sq")
    yield
    translator.switch("sq")


def test_touch_and_scanner_found_from_input_devices():
    devices = doctor._input_devices(DEVICES)
    touch = doctor.check_touch(devices)
    assert (touch.status, touch.detail) == (doctor.OK, "eGalax Inc. USB TouchController")
    scanner = doctor.check_scanner(devices)
    assert (scanner.status, scanner.detail) == (doctor.OK, "Honeywell Imaging & Mobility 1900")
    keyboard_only = doctor._input_devices(DEVICES.split("\n\n", 2)[2])
    assert doctor.check_touch(keyboard_only).status == doctor.FAIL
    assert doctor.check_scanner(keyboard_only).status == doctor.WARN


def test_clock_before_the_catalogue_fails_with_a_fix(sq):
    info = SimpleNamespace(generated_at="2030-01-01T00:00:00Z")
    check = doctor.check_clock(lambda: info, lambda: datetime(2020, 1, 1, tzinfo=timezone.utc))
    assert check.status == doctor.FAIL
    assert "para se të bëhej katalogu" in check.detail and "timedatectl" in check.fix


def test_doctor_on_this_machine_in_albanian(tmp_path, monkeypatch, capsys, sq):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    config = load_config(None)
    status = doctor.run(argparse.Namespace(), config)
    lines = capsys.readouterr().out.splitlines()
    checks = [line for line in lines if line.startswith(tuple(doctor.MARKS.values()))]
    assert [line.split(":")[0].split("] ")[1] for line in checks] == [
        "Ekrani", "Ekrani me prekje", "Printeri", "Skaneri i kodeve", "Zëri", "Burimi i katalogut",
        "Ora", "Disku i lirë"]
    fixes = [line for line in lines if line.strip().startswith("Zgjidhja:")]
    assert len(fixes) == sum(1 for line in checks if not line.startswith("[ OK ]"))
    assert status == (1 if any(line.startswith("[FAIL]") for line in checks) else 0)
    print("\n".join(lines))

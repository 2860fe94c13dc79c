"""kiosk.pin: the staff PIN's lockout, which survives a restart. No Kivy."""
from __future__ import annotations

import json

from kiosk.pin import PinGuard, hash_pin


def test_pin_guard_lockout_grows_and_survives_a_restart(tmp_path):
    t = [1000.0]
    stored = hash_pin("2468")
    path = tmp_path / "pin.json"
    guard = PinGuard(stored, path, now=lambda: t[0])
    assert guard.enabled and guard.check("2468").ok
    for left in (4, 3, 2, 1):
        assert guard.check("1357").attempts_left == left
    result = guard.check("1357")
    assert (result.ok, result.locked_for) == (False, 30)
    # a new guard on the same file (a restart) is still locked, even for the right PIN
    assert PinGuard(stored, path, now=lambda: t[0]).check("2468").ok is False
    assert json.loads(path.read_text())["lockouts"] == 1
    t[0] += 30
    for _ in range(5):
        result = guard.check("0000")
    assert result.locked_for == 60
    t[0] += 60
    for _ in range(5):
        result = guard.check("0000")
    assert result.locked_for == 120
    # a clock set back a day cannot make the lock last longer than max_delay
    t[0] -= 86400
    assert PinGuard(stored, path, now=lambda: t[0], max_delay=3600).locked_for() == 3600
    t[0] += 86400 + 121
    restarted = PinGuard(stored, path, now=lambda: t[0])
    assert restarted.check("2468").ok
    assert json.loads(path.read_text()) == {"failures": 0, "lockouts": 0, "locked_until": 0.0}


def test_pin_guard_damaged_state_locks_and_no_hash_never_opens(tmp_path):
    path = tmp_path / "pin.json"
    path.write_text("{not json", encoding="utf-8")
    assert PinGuard(hash_pin("2468"), path, now=lambda: 50.0).locked_for() == 30
    disabled = PinGuard(None, tmp_path / "other.json")
    assert not disabled.enabled
    assert disabled.check("1234").ok is False

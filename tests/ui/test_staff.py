"""The hidden staff panel: corner hold, PIN pad, lockout that survives a restart, staff actions."""
from __future__ import annotations

import pytest

from kiosk.pin import PinGuard

pytestmark = pytest.mark.ui

PIN = "1234"


def hold_corner(ui, seconds: float):
    """Hold a finger on the top-left corner (on the Back button) for ``seconds`` of (fake) time."""
    touch = ui.touch_down(30, ui.window.height - 30)
    ui.pump(2)
    ui.clock.advance(seconds)
    ui.run_for(0.4)
    ui.touch_up(touch)
    ui.run_for(0.3)
    ui.settle()


def enter_pin(ui, pin: str) -> None:
    staff = ui.screen
    keypad = staff.ids.keypad
    for digit in pin:
        key = next(k for k in keypad.children if k.text == digit)
        ui.tap(key, settle=False)
    ui.tap(staff.ids.enter, settle=False)
    ui.wait_until(lambda: not staff.checking and not ui.app.reads.pending, 5, "the PIN check")
    ui.pump(2)


def test_corner_hold_opens_the_pin_pad_and_nothing_else(ui):
    app = ui.app
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Housing"))
    back = ui.bar.ids.back
    assert back.collide_point(*back.to_widget(30, ui.window.height - 30))
    # a short press on the corner is just a press on the Back button
    hold_corner(ui, 1)
    assert app.sm.current == "home"
    ui.tap(ui.button("Housing"))
    # five seconds open the PIN pad; lifting the finger then does not press Back
    hold_corner(ui, 5)
    assert app.sm.current == "staff"
    staff = ui.screen
    assert staff.mode == "pin"
    assert staff.ids.pin_mode.shown and not staff.ids.panel_mode.shown
    # Back leaves the pad without a PIN
    ui.tap(ui.bar.ids.back)
    assert app.sm.current == "category"


def test_corner_hold_on_the_welcome_screen(ui):
    hold_corner(ui, 5)
    assert ui.app.sm.current == "staff"


def test_wrong_pins_lock_the_pad_with_a_growing_delay(ui):
    app, clock = ui.app, ui.clock
    hold_corner(ui, 5)
    staff = ui.screen
    for left in (4, 3, 2, 1):
        enter_pin(ui, "0000")
        assert staff.message == f"PIN i gabuar. Ju mbeten {left} prova." if left > 1 else \
            staff.message == "PIN i gabuar. Ju mbetet 1 provë."
    enter_pin(ui, "9999")
    assert staff.locked_for == pytest.approx(30, abs=1)
    assert staff.ids.keypad.disabled
    assert "e kyçur për 0:30" in staff.message
    # the right PIN is refused while locked (the pad is disabled; the guard refuses too)
    assert app.pin_guard.check(PIN).ok is False
    # a restart (a new guard reading the same file) is still locked
    restarted = PinGuard(app.kiosk_config.staff.pin_hash, app.pin_guard.state_path, now=clock.time)
    assert restarted.locked_for() == pytest.approx(30, abs=1)
    clock.advance(31)
    ui.run_for(0.7)
    assert staff.locked_for == 0 and not staff.ids.keypad.disabled
    # five more wrong PINs: twice as long
    for _ in range(5):
        enter_pin(ui, "1111")
    assert staff.locked_for == pytest.approx(60, abs=1)
    clock.advance(61)
    ui.run_for(0.7)
    enter_pin(ui, PIN)
    assert staff.mode == "panel"
    assert PinGuard(app.kiosk_config.staff.pin_hash, app.pin_guard.state_path,
                    now=clock.time).attempts_left == 5


def test_staff_panel_reports_honestly(ui, monkeypatch):
    app = ui.app
    hold_corner(ui, 5)
    enter_pin(ui, PIN)
    staff = ui.screen
    assert staff.mode == "panel"
    ui.wait_until(lambda: len(staff.ids.info.children) > 4, 5, "the catalogue facts")
    cells = [w.text for w in reversed(staff.ids.info.children)]
    facts = dict(zip(cells[0::2], cells[1::2], strict=True))
    assert facts["Versioni i katalogut"] == "1"
    assert facts["Burimi"] == "tests/factories.py"
    assert facts["Kioska"] == "ui-test"
    assert facts["Adresa e katalogut"] == "nuk është konfiguruar"
    assert facts["Printeri"] == "Nuk është konfiguruar asnjë printer."

    ui.tap(staff.ids.sync, settle=False)
    ui.wait_until(lambda: not staff.busy, 5)
    assert staff.message == ("Sinkronizimi nuk është konfiguruar: "
                             "konfigurimi nuk ka adresën e katalogut.")
    ui.tap(staff.ids.print_test, settle=False)
    ui.wait_until(lambda: not staff.busy, 5)
    assert staff.message == "Nuk është konfiguruar asnjë printer."
    # the panel follows the language too
    ui.tap(ui.bar.ids.language, settle=False)
    ui.wait_until(lambda: any(w.text == "Catalogue version" for w in staff.ids.info.children), 5)

    # "Exit kiosk" asks for a second press, then stops the app
    stopped = []
    monkeypatch.setattr(app, "stop", lambda *a: stopped.append(True))
    ui.tap(staff.ids.exit, settle=False)
    assert stopped == [] and staff.confirm_exit
    ui.tap(staff.ids.exit, settle=False)
    assert stopped == [True]
    app.strict = True

    # closing the panel locks it again
    ui.tap(staff.ids.close)
    assert app.sm.current == "home"
    hold_corner(ui, 5)
    assert ui.screen.mode == "pin"


def test_no_pin_hash_means_no_staff_panel(ui):
    app = ui.app
    app.pin_guard = PinGuard(None, app.pin_guard.state_path, now=ui.clock.time)
    hold_corner(ui, 6)
    assert app.sm.current == "welcome"

"""Visitors in danger, by touch: the pages a sensitive service leads to are as discreet as the
service's own page (its provider's page, the report screen, urgent help), and what the visitor
takes away says what the phone keeps.

The test catalogue (tests/factories.py) has one sensitive service, the night shelter of the
Municipal Social Centre (neutral title "Mbështetje" / "Support").
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui

SECRETS = ("Night shelter", "Strehëz", "Municipal Social Centre", "Qendra Sociale")


def _panel(ui):
    from kiosk.ui.handoff import HandoffPanel

    panels = ui.find_all(ui.screen, cls=HandoffPanel, visible=False)
    assert len(panels) == 1
    return panels[0]


def _decode(ui, panel, tmp_path, name: str) -> str:
    import zxingcpp
    from PIL import Image

    view = panel.ids.qr
    ui.wait_until(lambda: view.texture is not None and view.payload, what="the QR code")
    ui.pump(2)
    path = tmp_path / f"{name}.png"
    view.export_to_png(str(path))
    results = zxingcpp.read_barcodes(Image.open(path).convert("RGB"))
    assert results, f"no QR code found in {path}"
    return results[0].text


def _shelter(ui, lang: str = "English") -> None:
    ui.tap(ui.button(lang))
    ui.tap(ui.button("Housing" if lang == "English" else "Strehim"))
    ui.tap(ui.row("Night shelter" if lang == "English" else "Strehëz nate"))
    assert ui.app.sm.current == "service" and ui.screen.detail.sensitive


def _prominent(ui) -> bool:
    exit_button = ui.bar.ids.quick_exit
    return bool(ui.app.discreet and exit_button.prominent and exit_button.variant == "exit")


def test_the_provider_page_of_a_sensitive_service_is_as_discreet_as_the_service(ui, tmp_path):
    """Shelter, then "About this organization": the quick exit still stands out, the saved
    contact (as a phone scans it off the screen) is the neutral one with the numbers only, and
    the page lists the shelter by its neutral title."""
    from kiosk.ui.widgets import StaticItemRow

    _shelter(ui)
    ui.tap(ui.button("About this organization"))
    org = ui.screen
    assert ui.app.sm.current == "organization" and org.heading == "Municipal Social Centre"
    assert org.sensitive and _prominent(ui)
    panel = _panel(ui)
    assert panel.privacy_note == "For your privacy, the saved contact is called “Support”."
    assert panel.selected == "contact"
    vcard = _decode(ui, panel, tmp_path, "org-contact")
    assert "FN:Support\r\n" in vcard and "TEL;" in vcard
    for secret in SECRETS + ("EMAIL", "URL:", "ADR", "NOTE"):
        assert secret not in vcard, secret
    names = [row.name for row in ui.find_all(org, cls=StaticItemRow, visible=False)]
    assert "Support" in names and "Municipal nursery" in names
    assert "Night shelter" not in names
    # its row still opens the shelter's page
    ui.tap(ui.row("Support"))
    assert ui.app.sm.current == "service" and ui.screen.detail.name == "Night shelter"


@pytest.mark.parametrize("lang", ["English", "Shqip"])
def test_reporting_a_sensitive_service_names_it_by_its_neutral_title(ui, lang):
    _shelter(ui, lang)
    ui.tap(ui.button("Report a mistake" if lang == "English" else "Raportoni një gabim"))
    report = ui.screen
    assert ui.app.sm.current == "report"
    assert report.subject_name == ("Support" if lang == "English" else "Mbështetje")
    assert report.sensitive and _prominent(ui)
    for secret in SECRETS:
        assert not any(secret in text for text in ui.texts(visible=False)), secret
        assert secret not in str(report.params), secret   # nor in the visit's history
    ui.tap(ui.bar.ids.back)
    ui.tap(ui.button("About this organization" if lang == "English" else "Rreth kësaj organizate"))
    ui.tap(ui.button("Report a mistake" if lang == "English" else "Raportoni një gabim"))
    assert ui.screen.subject_name == ("Support" if lang == "English" else "Mbështetje")
    assert ui.screen.sensitive and _prominent(ui)


def test_directions_on_a_sensitive_page_say_the_map_keeps_the_place(ui, tmp_path):
    """The choice stays (the visitor may need it), and says what it leaves on the phone; the
    keypad's ring and a touch with speech on say the same (the button's speech detail)."""
    _shelter(ui)
    panel = _panel(ui)
    ui.tap(ui.button("Directions"))
    assert panel.selected == "directions"
    assert panel.explanation == ("Scan to see the way there on a map. Your phone's map app will keep "
                                 "this place in its history.")
    assert panel.buttons["directions"].speech_detail == panel.explanation
    assert _decode(ui, panel, tmp_path, "directions") == panel.choice("directions").payload


def test_urgent_help_shows_the_prominent_quick_exit(ui):
    ui.tap(ui.button("English"))
    assert not _prominent(ui)
    ui.tap(ui.bar.ids.urgent)
    assert ui.app.sm.current == "urgent" and ui.screen.sensitive and _prominent(ui)
    ui.tap(ui.bar.ids.quick_exit)
    assert ui.app.sm.current == "welcome" and not ui.app.discreet
    # the next visitor's urgent help is as discreet
    ui.tap(ui.button("Shqip"))
    ui.tap(ui.bar.ids.urgent)
    assert ui.screen.sensitive and _prominent(ui)


def test_a_sensitive_slip_has_no_kiosk_code(ui, monkeypatch, tmp_path):
    """Anyone holding the slip could scan its kiosk code and see the shelter's real page: the
    printed slip has neither the code nor a QR code."""
    from kiosk.config import PrinterSection
    from kiosk.handoff import links
    from kiosk.handoff.printer import SlipPrinter

    out = tmp_path / "printer.bin"
    monkeypatch.setattr(ui.app, "printer", SlipPrinter(PrinterSection(kind="file", path=str(out))))
    _shelter(ui)
    panel = _panel(ui)
    code = links.short_code(ui.screen.detail.id)
    assert code
    ui.tap(ui.button("Print"))
    ui.wait_until(lambda: out.exists() and panel.print_status.startswith("Your slip"), 10, "the slip")
    printed = out.read_bytes()
    assert b"Support" in printed and b"Night shelter" not in printed
    assert code.encode() not in printed and b"ELB-" not in printed
    assert b"\x1d(k" not in printed        # no QR code (GS ( k) either

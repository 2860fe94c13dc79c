"""The service screen's hand-off actions: large choice buttons, one scannable QR code at a time."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui


def _panel(ui):
    from kiosk.ui.handoff import HandoffPanel

    panels = ui.find_all(ui.screen, cls=HandoffPanel, visible=False)
    assert len(panels) == 1
    return panels[0]


def _decode(ui, panel, tmp_path, name):
    import zxingcpp
    from PIL import Image

    view = panel.ids.qr
    ui.wait_until(lambda: view.texture is not None, what="the QR code")
    ui.pump(2)
    path = tmp_path / f"{name}.png"
    view.export_to_png(str(path))
    image = Image.open(path).convert("RGB")
    results = zxingcpp.read_barcodes(image)
    assert results, f"no QR code found in {path}"
    return results[0].text


def _open_service(ui, name: str):
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Children and family"))
    ui.tap(ui.row(name))
    assert ui.app.sm.current == "service"


def test_handoff_qr_codes_scan_to_the_exact_payloads(ui, tmp_path):
    from kiosk.handoff.payloads import service_choices

    _open_service(ui, "Municipal nursery")
    service = ui.screen
    assert service.ids.actions.has_actions is True
    panel = _panel(ui)
    choices = service_choices(service.detail, "en", ui.app.kiosk_config.handoff.public_base_url)
    kinds = [c.kind for c in choices]
    assert kinds[0] == "contact" and "call" in kinds
    # the buttons are the choices, in order; the first is selected
    assert [b.text for b in panel.ids.choices.children[::-1]] == [c.title for c in choices]
    assert "Save contact" in [c.title for c in choices]
    assert panel.selected == "contact"
    assert panel.explanation == choices[0].explanation
    # no printer configured: no Print button
    assert panel.can_print is False
    assert not panel.ids.print_box.children

    view = panel.ids.qr
    text = _decode(ui, panel, tmp_path, "contact")
    assert text == choices[0].payload
    tex = view.texture
    assert tex.mag_filter == "nearest"
    assert tuple(view.size) == tuple(tex.size)   # shown at exactly its pixel size

    call = next(c for c in choices if c.kind == "call")
    ui.tap(ui.button(call.title))
    assert panel.selected == "call"
    assert panel.explanation == call.explanation
    text = _decode(ui, panel, tmp_path, "call")
    assert text == call.payload and text.startswith("tel:")
    assert view.texture is not tex


def test_handoff_albanian_vcard_scans_exactly(ui, tmp_path):
    from kiosk.handoff.payloads import service_choices

    ui.tap(ui.button("Shqip"))
    assert ui.app.lang == "sq"
    tile = ui.screen.ids.grid.children[-1]
    ui.tap(tile)
    from kiosk.ui.widgets import ItemRow, StaticItemRow

    rows = [r for r in ui.find_all(ui.screen, cls=(ItemRow, StaticItemRow), visible=False) if r.opacity > 0]
    ui.tap(ui.row(rows[0].name))
    assert ui.app.sm.current == "service"
    panel = _panel(ui)
    choices = service_choices(ui.screen.detail, "sq", ui.app.kiosk_config.handoff.public_base_url)
    assert choices[0].title == panel.buttons["contact"].text
    text = _decode(ui, panel, tmp_path, "sq-contact")
    assert text == choices[0].payload
    assert any(ch in text for ch in "ëçËÇ"), text


def test_print_button_shows_printing_then_the_result_in_the_visitors_language(ui, monkeypatch):
    import threading

    from kiosk.handoff.printer import OK, PrintResult

    release = threading.Event()
    submitted = []

    class FakePrinter:
        enabled = True

        def submit(self, detail, lang, now=None, on_done=None, with_address=None):
            submitted.append((detail.id, lang))

            def work():
                release.wait(5)
                on_done(PrintResult(OK))
            threading.Thread(target=work, daemon=True).start()

    monkeypatch.setattr(ui.app, "printer", FakePrinter())
    ui.tap(ui.button("Shqip"))
    ui.tap(ui.screen.ids.grid.children[-1])
    from kiosk.ui.widgets import ItemRow, StaticItemRow

    rows = [r for r in ui.find_all(ui.screen, cls=(ItemRow, StaticItemRow), visible=False) if r.opacity > 0]
    ui.tap(ui.row(rows[0].name))
    panel = _panel(ui)
    assert panel.can_print
    ui.tap(ui.button("Printo"))
    assert submitted == [(ui.screen.detail.id, "sq")]
    assert panel.print_status.startswith("Po printohet")
    release.set()
    ui.wait_until(lambda: not panel.print_status.startswith("Po printohet"), what="the print result")
    assert panel.print_status == PrintResult(OK).message("sq")
    assert panel.print_status != PrintResult(OK).message("en")


def test_the_organization_screen_offers_its_own_codes(ui, tmp_path):
    """The organization screen has the same panel: the organization's contact card, its public
    page, its phone and directions, and no Print button (a slip is made for one service). (The
    Municipal Social Centre offers the night shelter, so its page is discreet: the association's
    is not.)"""
    from kiosk.handoff.payloads import organization_choices

    _open_service(ui, "Legal advice for families")
    ui.tap(ui.button("About this organization"))
    assert ui.app.sm.current == "organization"
    screen = ui.screen
    panel = _panel(ui)
    detail = ui.app.reads.organization(screen.params["org_id"], "en")
    choices = organization_choices(detail, "en", ui.app.kiosk_config.handoff.public_base_url,
                                   org_pages=True)
    assert [b.text for b in panel.ids.choices.children[::-1]] == [c.title for c in choices]
    assert panel.can_print is False and not panel.ids.print_box.children
    assert _decode(ui, panel, tmp_path, "org-contact") == choices[0].payload
    assert "BEGIN:VCARD" in choices[0].payload and "Help for Children Association" in choices[0].payload
    assert not screen.sensitive and panel.privacy_note == ""
    link = next((c for c in choices if c.kind == "link"), None)
    if link is not None:
        ui.tap(ui.button(link.title))
        assert _decode(ui, panel, tmp_path, "org-link") == link.payload
        assert link.payload.endswith(f"/organizations/{detail.card.id}")


def test_the_first_code_of_each_service_in_view_is_made_while_the_list_is_read(ui, tmp_path):
    """A service nobody opened before shows its code with its page: the kiosk made it while the
    visitor looked at the list, not at the touch (kiosk.ui.handoff.prepare_first_codes)."""
    from kiosk.handoff.payloads import service_choices
    from kiosk.ui.handoff import code_room

    app = ui.app
    app.qr.cache.clear()
    app.qr_textures.clear()
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Children and family"))
    rows = [r for r in ui.screen.ids.rv.data][:ui.screen.PREFETCH]
    base_url = app.kiosk_config.handoff.public_base_url
    first_codes = []
    for row in rows:
        detail = app.reads.service(row["item_id"], "en")
        first_codes.append((service_choices(detail, "en", base_url)[0].payload, code_room()))
    ui.wait_until(lambda: all(key in app.qr_textures for key in first_codes), timeout=10,
                  what="the codes of the services in view")
    made = []
    rgba_image = app.qr.rgba_image

    def counted(payload, *args, **kwargs):
        made.append(payload)
        return rgba_image(payload, *args, **kwargs)

    app.qr.rgba_image = counted
    try:
        ui.tap(ui.row("Municipal nursery"), settle=False)
        panel = _panel(ui)
        assert panel.ids.qr.texture is not None          # with the page, in its first frame
        assert panel.choices[0].payload not in made      # not made at the touch
        assert _decode(ui, panel, tmp_path, "prepared") == panel.choices[0].payload
    finally:
        del app.qr.rgba_image


def test_a_touched_choice_brings_its_code_wholly_into_view_on_a_short_window(ui):
    """A small portrait window (720x900) with the speech controls' row in the bar: the page
    opens with its first code cut by the bottom edge. Touching another choice scrolls just
    enough for the whole new code (a phone cannot read half of one), and the button touched
    stays in view. (A small landscape window shows the code beside the name, at the top of
    the page: whole in view, or too tall for it.)"""
    from kivy.core.window import Window

    from kiosk.ui.cliptest import out_of_view

    size = tuple(Window.size)
    try:
        _open_service(ui, "Municipal nursery")
        Window.size = (720, 900)
        ui.settle()
        ui.app.open_service(ui.screen.detail.id)      # laid out again for this window
        ui.settle()
        ui.app.speech.turn_on()
        page, panel = ui.screen, _panel(ui)
        scroll = page.ids.scroll
        ui.wait_until(lambda: panel.ids.qr.texture is not None, what="the first code")
        ui.settle()
        assert scroll.scroll_y == 1, "the page opens at its top"
        assert out_of_view(panel.ids.qr, scroll), "the first code should start in view and run past the fold"

        button = panel.buttons["call"]
        ui.tap(button)
        ui.wait_until(lambda: panel.ids.qr.payload.startswith("tel:"), what="the call code")
        ui.pump(3)
        assert out_of_view(panel.ids.qr, scroll) == ""
        assert out_of_view(button, scroll) == ""
        assert scroll.scroll_y < 1
    finally:
        ui.app.speech.turn_off()
        Window.size = size
        ui.settle()


@pytest.mark.parametrize("size", [(1280, 600), (1280, 720)])
def test_with_speech_on_the_first_code_is_whole_above_the_fold(ui, size):
    """Speech on, its controls a row of the bar, and every one of them in view: the first code
    of a service page is whole without scrolling on a small landscape window (1280x600, the
    name and status above the choices, beside the code) and a short one (1280x720, the
    choices in a row, the explanation under the code). Before, 1280x600 needed a scroll."""
    from kivy.core.window import Window

    from kiosk.ui.cliptest import out_of_view, window_rect

    old = tuple(Window.size)
    try:
        _open_service(ui, "Municipal nursery")
        Window.size = size
        ui.settle()
        ui.app.open_service(ui.screen.detail.id)
        ui.settle()
        ui.app.speech.turn_on()
        page, panel = ui.screen, _panel(ui)
        ui.wait_until(lambda: panel.ids.qr.texture is not None, what="the first code")
        ui.settle()
        bar = ui.app.top_bar.ids.speech_bar
        for name in ("off", "pause", "repeat", "slower", "faster", "softer", "louder"):
            assert ui.is_visible(bar.ids[name]), name
        assert page.ids.scroll.scroll_y == 1, "the page opens at its top"
        assert out_of_view(panel.ids.qr, page.ids.scroll) == ""
        if panel.side_by_side:
            # the name heads the column of choices, and the code starts level with it
            assert page.ids.head.parent.__self__ is panel.ids.head.__self__
            assert window_rect(panel.ids.code_box)[3] >= window_rect(page.ids.title)[3] - 1
        else:
            assert window_rect(panel.ids.explanation)[3] <= window_rect(panel.ids.qr)[1] + 1
    finally:
        ui.app.speech.turn_off()
        Window.size = old
        ui.settle()

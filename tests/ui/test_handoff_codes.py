"""How the service screen gets its QR codes on screen quickly: sized before they are made, kept
once made, the panel's other choices made ahead."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "handoff"))


def test_the_size_of_a_code_is_known_before_it_is_made():
    from handofflib import make_detail

    from kiosk.handoff import qr
    from kiosk.handoff.links import short_code
    from kiosk.handoff.payloads import service_choices
    from kiosk.ui.handoff import code_modules, code_size

    payloads = ["tel:112", short_code("3f2b8c1e-7a9d-4e6f-8b1c-2d3e4f5a6b7c"), "ELB-0"]
    for lang in ("sq", "en"):
        for detail in (make_detail(), make_detail(org_name="Ë" * 120, address=("Rruga " + "ç" * 90, "3001 Elbasan"))):
            payloads += [c.payload for c in service_choices(detail, lang, "https://sherbime.elbasan.gov.al")]
    rng = random.Random(4)
    alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-:/.ëçËÇ"
    for length in list(range(1, 40)) + [rng.randint(40, 1500) for _ in range(60)]:
        payloads.append("".join(rng.choice(alphabet) for _ in range(length)))
    for payload in payloads:
        assert code_modules(payload) == qr.make_matrix(payload).size, payload
    px, side = code_size("tel:+35554123456", 500)
    assert side == qr.make_matrix("tel:+35554123456").size * px


def _panel(ui):
    from kiosk.ui.handoff import HandoffPanel

    panels = ui.find_all(ui.screen, cls=HandoffPanel, visible=False)
    assert len(panels) == 1
    return panels[0]


def _open_nursery(ui):
    """Open the nursery's page; its hand-off panel once it is built (the page's one panel,
    refilled for the nursery)."""
    from factories import uid

    from kiosk.ui.handoff import HandoffPanel

    app = ui.app
    service = app.sm.get_screen("service")
    service.clear()            # the page before is gone: the panel found is the new page's
    app.open_service(uid("svc:nursery"))

    def built():
        if app.sm.current != "service" or ui.screen.detail is None:
            return None
        panels = ui.find_all(ui.screen, cls=HandoffPanel, visible=False)
        return panels[0] if panels and panels[0].detail is ui.screen.detail else None

    ui.wait_until(lambda: built() is not None, what="the service")
    return built()


def test_codes_are_sized_ahead_kept_and_made_ahead(ui, monkeypatch):
    from kiosk.ui import handoff

    ui.app.qr_textures.clear()
    ui.app.qr.cache.clear()
    ui.tap(ui.button("English"))
    panel = _open_nursery(ui)
    view = panel.ids.qr
    contact = panel.choice("contact")
    # room for the code before it is there: the page does not move when it comes
    px, side = handoff.code_size(contact.payload, int(panel.max_side_px) or None)
    if view.texture is None:
        assert tuple(view.size) == (side, side)
    ui.wait_until(lambda: view.texture is not None, what="the contact code")
    assert tuple(view.size) == tuple(view.texture.size) == (side, side)
    assert view.payload == contact.payload
    # the other choices are made in the background: choosing one shows it at once, no frame needed
    keys = [(c.payload, int(panel.max_side_px) or None) for c in panel.choices]
    ui.wait_until(lambda: all(k in ui.app.qr_textures for k in keys), what="the other codes")
    call = panel.choice("call")
    panel.select("call")
    assert view.payload == call.payload
    assert view.texture is ui.app.qr_textures[(call.payload, int(panel.max_side_px) or None)]
    # the same service opened again shows its code with the page, from the kept texture
    made = []
    render_async = ui.app.qr.render_async
    monkeypatch.setattr(ui.app.qr, "render_async", lambda *a, **k: made.append(a) or render_async(*a, **k))
    ui.app.go_home()
    ui.settle()
    again = _open_nursery(ui)
    assert again is panel          # the page's panel is refilled, not made again
    assert again.ids.qr.texture is not None and again.ids.qr.payload == contact.payload
    ui.run_for(again.PREPARE_AFTER + 0.2)
    assert made == []


def test_a_code_too_slow_for_the_first_frame_follows_on_its_own(ui, monkeypatch):
    import threading

    ui.app.qr_textures.clear()
    ui.app.qr.cache.clear()
    gate = threading.Event()
    rgba_image = ui.app.qr.rgba_image

    def slow(*args, **kwargs):
        gate.wait(5)
        return rgba_image(*args, **kwargs)

    monkeypatch.setattr(ui.app.qr, "rgba_image", slow)
    ui.tap(ui.button("English"))
    panel = _open_nursery(ui)
    ui.settle()
    view = panel.ids.qr
    assert view.texture is None and view.side > 0          # not made yet; its room is kept
    assert ui.app.sm.current == "service"                  # the page did not wait for it
    gate.set()
    ui.wait_until(lambda: view.texture is not None, what="the code")
    assert view.payload == panel.choice("contact").payload

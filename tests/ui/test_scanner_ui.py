"""The barcode scanner at the kiosk, driven by synthetic key presses on the real window.

Keys arrive as SDL delivers them to Kivy: the unshifted character with ``shift`` in the
modifiers (``;`` for ``:``, ``e`` for ``E``) after a key press of Shift itself. The app's clock is
the fake one, moved between keys: a scanner types a key every few milliseconds, a person every
150 ms or so.
"""
from __future__ import annotations

import pytest

from factories import uid
from kiosk.handoff.links import short_code
from kiosk.handoff.scanner import ScanDetector
from kiosk.ui.lockdown import KEY_ESCAPE, KEY_F4

pytestmark = pytest.mark.ui

BASE = "https://sherbime.elbasan.gov.al"
NURSERY = uid("svc:nursery")
LINK = f"{BASE}/services/{NURSERY}"
KEY_SHIFT, KEY_ENTER = 304, 13
SHIFTED = dict(zip("~!@#$%^&*()_+{}|:\"<>?", "`1234567890-=[]\\;',./"))


@pytest.fixture
def ui(ui, monkeypatch):
    """The kiosk with a public base URL for the scanner (the UI tests' config has none)."""
    monkeypatch.setattr(ui.app.scanner, "detector", ScanDetector(BASE))
    yield ui
    ui.app.scanner.notice.hide()


def keystrokes(char: str) -> list[tuple[int, str, list[str]]]:
    """The on_key_down events a US keyboard (or a scanner emulating one) sends for ``char``."""
    if char.isupper() or char in SHIFTED:
        base = char.lower() if char.isalpha() else SHIFTED[char]
        return [(KEY_SHIFT, chr(KEY_SHIFT), ["shift"]), (ord(base), base, ["shift"])]
    return [(ord(char), char, [])]


def scan(ui, text: str, *, interval: float = 0.004, enter: bool = True) -> None:
    """Type ``text`` one character every ``interval`` seconds (then Enter), as key events."""
    handled = []
    for char in text:
        for key, codepoint, mods in keystrokes(char):
            handled.append(ui.window.dispatch("on_key_down", key, 0, codepoint, mods))
            ui.window.dispatch("on_key_up", key, 0)
        ui.clock.advance(interval)
    if enter:
        handled.append(ui.window.dispatch("on_key_down", KEY_ENTER, 0, None, []))
    assert all(h is True for h in handled), "a key got past the kiosk"


def settled_on_service(ui, service_id: str) -> None:
    app = ui.app
    ui.wait_until(lambda: app.sm.current == "service" and ui.screen.params.get("service_id") == service_id
                  and ui.screen.detail is not None, what="the scanned service")
    ui.settle()


def nothing_happens(ui, screen: str) -> None:
    ui.run_for(0.3)
    ui.settle()
    assert ui.app.sm.current == screen
    assert not ui.app.scanner.notice.showing


def test_a_fast_scan_of_the_public_link_opens_the_service_in_english(ui):
    app = ui.app
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Housing"))
    assert app.lang == "en"
    scan(ui, LINK)
    settled_on_service(ui, NURSERY)
    assert app.lang == "en"
    assert ui.screen.heading == "Municipal nursery"
    assert not app.scanner.notice.showing
    ui.tap(ui.button("Back"))               # Back returns to where the visitor was
    assert app.sm.current == "category"


def test_the_short_code_from_a_slip_opens_the_service_from_the_welcome_screen(ui):
    app = ui.app
    assert app.sm.current == "welcome"
    scan(ui, short_code(NURSERY), interval=0.012)
    settled_on_service(ui, NURSERY)
    assert app.lang == "sq" == app.default_language
    assert ui.screen.heading == "Çerdhe e Bashkisë"
    ui.tap(ui.button("Kthehu"))
    assert app.sm.current == "home"
    # in lower case too (a scanner with Caps Lock on, say)
    scan(ui, short_code(NURSERY).lower())
    settled_on_service(ui, NURSERY)


def test_the_same_text_typed_at_human_speed_does_nothing(ui):
    ui.tap(ui.button("English"))
    before = ui.app.scanner.scans
    for interval in (0.150, 0.060):
        scan(ui, LINK, interval=interval)
        nothing_happens(ui, "home")
        scan(ui, short_code(NURSERY), interval=interval)
        nothing_happens(ui, "home")
    assert ui.app.scanner.scans == before


@pytest.mark.parametrize("text", [
    "https://evil.example/services/" + NURSERY,
    "http://sherbime.elbasan.gov.al/services/" + NURSERY,
    f"{BASE}.evil.example/services/{NURSERY}",
    f"{BASE}/services/{NURSERY}?next=https://evil.example",
    f"{BASE}/organizations/{NURSERY}",
    "https://www.openstreetmap.org/?mlat=41.11250&mlon=20.08220",
    "tel:+35554200100",
    "xterm -e sh",
])
def test_a_scan_of_anything_else_does_nothing(ui, text):
    ui.tap(ui.button("English"))
    before = ui.app.scanner.scans
    scan(ui, text)
    nothing_happens(ui, "home")
    assert ui.app.scanner.scans == before


def test_escape_and_alt_f4_still_do_nothing_even_inside_a_scan(ui):
    ui.tap(ui.button("English"))
    scan(ui, LINK[:30], enter=False)
    assert ui.key(KEY_ESCAPE) is True
    assert ui.key(KEY_F4, None, ["alt"]) is True
    assert ui.window.dispatch("on_request_close", source="keyboard") is True
    scan(ui, LINK[30:])          # the rest of the link: the Escape broke the scan
    nothing_happens(ui, "home")
    assert ui.loop.status == "started" and not ui.loop.quit
    # a whole scan with Escape in it is no scan either; a clean one afterwards is
    scan(ui, LINK[:10], enter=False)
    ui.window.dispatch("on_key_down", KEY_ESCAPE, 0, None, [])
    scan(ui, LINK[10:])
    nothing_happens(ui, "home")
    scan(ui, LINK)
    settled_on_service(ui, NURSERY)


@pytest.mark.parametrize("lang,button", [("en", "English"), ("sq", "Shqip")])
def test_a_service_not_in_the_catalogue_gets_a_message_in_the_visitors_language(ui, lang, button):
    from kivy.uix.label import Label

    from kiosk.i18n import translator

    app = ui.app
    ui.tap(ui.button(button))
    unknown = "0b8e3f6a-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
    scan(ui, f"{BASE}/services/{unknown}")
    notice = app.scanner.notice
    ui.wait_until(lambda: notice.showing, what="the message")
    expected = translator.in_language(lang, "This code is not in the kiosk's catalogue. Please ask at the desk.")
    texts = [w.text for w in notice.walk() if isinstance(w, Label)]
    assert expected in texts
    if lang == "sq":
        assert "ë" in expected
    assert notice.parent is ui.window and ui.is_visible(notice.ids.message)
    assert app.sm.current == "home"
    # the visitor's next touch goes where it was aimed, and puts the message away
    ui.tap(ui.button("Housing" if lang == "en" else "Strehim"))
    assert app.sm.current == "category"
    assert not notice.showing and notice.parent is None
    # a hidden (inactive) service is not in the catalogue either, nor is an unknown short code
    scan(ui, short_code(uid("svc:closed")))
    ui.wait_until(lambda: notice.showing, what="the message")
    ui.go_welcome()                           # the next visitor does not see it
    assert not notice.showing


def test_the_message_goes_away_by_itself(ui, monkeypatch):
    from kiosk.ui.scanning import ScanNotice

    monkeypatch.setattr(ScanNotice, "SECONDS", 0.3)
    ui.tap(ui.button("English"))
    scan(ui, short_code("0b8e3f6a-1c2d-4e5f-8a9b-0c1d2e3f4a5b"))
    notice = ui.app.scanner.notice
    ui.wait_until(lambda: notice.showing, what="the message")
    ui.wait_until(lambda: not notice.showing, what="the message to go")
    assert notice.parent is None


def test_a_scan_is_activity_for_the_idle_reset(ui):
    app = ui.app
    ui.tap(ui.button("English"))
    ui.clock.advance(app.idle.timeout + 2)    # "are you still there?"
    app.tick()
    ui.settle()
    assert app.idle.prompting
    scan(ui, LINK)
    assert not app.idle.prompting
    assert app.idle.idle_for() < 1
    settled_on_service(ui, NURSERY)
    ui.clock.advance(app.idle.timeout - 5)
    app.tick()
    assert app.sm.current == "service" and not app.idle.prompting

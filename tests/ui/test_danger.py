"""Visitors in danger (issue 14), by touch: urgent help one tap from every screen, a quick exit that
forgets the visit and leaves no way back, and a sensitive service's discreet take-aways.

The test catalogue (tests/factories.py) has one urgent line (the help line, 24/7) and one
sensitive service (the night shelter, neutral title "Mbështetje" / "Support").
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui

HOTLINE_NUMBER = "+355 54 111 222"


def _visit(ui, name: str) -> None:
    """Reach the visitor screen ``name`` by touch, in English, with a non-default look."""
    if name == "welcome":
        return
    ui.tap(ui.button("English"))
    ui.tap(ui.bar.ids.contrast)
    ui.tap(ui.bar.ids.text_size.ids.size2)
    if name == "home":
        return
    if name == "search":
        ui.type_search("night")
        return
    if name == "urgent":
        ui.tap(ui.bar.ids.urgent)
        return
    ui.tap(ui.button("Housing"))
    if name == "category":
        return
    ui.tap(ui.row("Night shelter"))
    if name == "service":
        return
    ui.tap(ui.button("About this organization"))
    assert name == "organization"


def _urgent_button(ui):
    screen = ui.screen
    return screen.ids.urgent if screen.name == "welcome" else ui.bar.ids.urgent


SCREENS = ("welcome", "home", "category", "service", "organization", "search")


@pytest.mark.parametrize("name", SCREENS)
def test_urgent_help_is_one_tap_from_every_screen(ui, name, tmp_path):
    _visit(ui, name)
    assert ui.app.sm.current == name
    button = _urgent_button(ui)
    assert button.text.replace("\n", " ") in ("Urgent help", "Ndihmë urgjente")
    ui.tap(button)
    assert ui.app.sm.current == "urgent"
    urgent = ui.screen
    from kiosk.ui.urgent import UrgentLineCard

    cards = ui.find_all(urgent, cls=UrgentLineCard, visible=False)
    assert [c.number for c in cards] == [HOTLINE_NUMBER]
    assert cards[0].always
    assert cards[0].answers in ("Answers day and night, every day.", "Përgjigjet ditë e natë, çdo ditë.")
    assert urgent.demo is True          # the test lines are demo data: the notice says so
    assert urgent.ids.demo_notice.height > 0 and ui.is_visible(urgent.ids.demo_notice)
    if name != "welcome":
        # Back returns to where the visitor was
        ui.tap(ui.bar.ids.back)
        assert ui.app.sm.current == name


def test_urgent_screen_call_code_scans_and_number_is_large(ui, tmp_path):
    import zxingcpp
    from PIL import Image

    from kiosk.ui.urgent import UrgentLineCard

    ui.tap(ui.button("Shqip"))
    ui.tap(ui.bar.ids.urgent)
    urgent = ui.screen
    assert urgent.heading == "Ndihmë urgjente"
    ui.wait_until(lambda: urgent.codes_shown, what="the call codes")
    card = ui.find(urgent, cls=UrgentLineCard)
    ui.pump(2)
    path = tmp_path / "call.png"
    card.ids.qr.export_to_png(str(path))
    results = zxingcpp.read_barcodes(Image.open(path).convert("RGB"))
    assert [r.text for r in results] == ["tel:+35554111222"]
    # the number is the largest text on the screen
    from kiosk.ui.widgets import KLabel

    sizes = [w.font_size for w in ui.find_all(urgent, cls=KLabel) if w.text]
    assert card.ids.number.font_size == max(sizes)
    assert ui.is_visible(card.ids.number)


@pytest.mark.parametrize("name", SCREENS[1:] + ("urgent",))
def test_quick_exit_from_every_screen_forgets_the_visit_and_leaves_no_way_back(ui, name):
    from kiosk.ui.lockdown import KEY_ESCAPE
    from kiosk.ui.theme import SCALES, theme

    app = ui.app
    _visit(ui, name)
    assert app.sm.current == name
    assert app.lang == "en" and theme.contrast and theme.scale == SCALES[2]
    exit_button = ui.bar.ids.quick_exit
    # always the same place: the top bar's top-right corner
    right, top = exit_button.to_window(exit_button.right, exit_button.top)
    assert ui.window.width - right < 40 and ui.window.height - top < 40
    previous = ui.screen
    ui.tap(exit_button)
    assert app.sm.current == "welcome"
    assert app.history == []
    assert app.lang == app.default_language
    assert not theme.contrast and theme.scale == SCALES[0]
    assert app.open_now is False and app.discreet is False
    assert previous.params == {} and previous.heading == ""
    search = app.sm.get_screen("search")
    assert search.query == "" and search.ids.rv.data == []
    # no way back: the hardware back key (Escape) and Back do nothing; the visit is gone
    ui.key(KEY_ESCAPE)
    app.go_back()
    ui.settle()
    assert app.sm.current == "welcome" and app.history == []


def test_quick_exit_is_prominent_on_a_sensitive_service_and_its_contact_is_discreet(ui, tmp_path):
    import zxingcpp
    from PIL import Image

    from kiosk.ui.handoff import HandoffPanel

    app = ui.app
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Housing"))
    exit_button = ui.bar.ids.quick_exit
    assert exit_button.prominent is False and exit_button.variant == "bar"
    normal_width = exit_button.width
    ui.tap(ui.row("Night shelter"))
    service = ui.screen
    assert service.detail.sensitive and service.sensitive and app.discreet
    exit_button = ui.bar.ids.quick_exit
    assert exit_button.prominent is True and exit_button.variant == "exit"
    assert exit_button.width > normal_width
    panel = ui.find_all(service, cls=HandoffPanel, visible=False)[0]
    assert panel.privacy_note == "For your privacy, the saved contact and the slip are called “Support”."
    assert panel.selected == "contact"
    ui.wait_until(lambda: panel.ids.qr.texture is not None, what="the contact code")
    ui.pump(2)
    path = tmp_path / "contact.png"
    panel.ids.qr.export_to_png(str(path))
    vcard = zxingcpp.read_barcodes(Image.open(path).convert("RGB"))[0].text
    assert "FN:Support\r\n" in vcard
    for secret in ("Night shelter", "Strehëz", "Municipal Social Centre", "Qendra Sociale"):
        assert secret not in vcard, secret
    # speech hears of it: nothing reads the page aloud unless told headphones are more private
    preface = service.speech_preface("en")
    assert preface and "headphones" in preface[0].text.lower() and preface[0].lang == "en"
    # a screen that is not sensitive puts the quick exit back to its usual look
    ui.tap(ui.bar.ids.back)
    assert app.discreet is False
    assert ui.bar.ids.quick_exit.variant == "bar"


def test_sensitive_slip_prints_without_address_unless_asked(ui, monkeypatch, tmp_path):
    from kiosk.config import PrinterSection
    from kiosk.handoff.printer import SlipPrinter
    from kiosk.ui.handoff import HandoffPanel

    out = tmp_path / "printer.bin"
    monkeypatch.setattr(ui.app, "printer", SlipPrinter(PrinterSection(kind="file", path=str(out))))
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Housing"))
    ui.tap(ui.row("Night shelter"))
    panel = ui.find_all(ui.screen, cls=HandoffPanel, visible=False)[0]
    address = "Rruga Korçë 5".encode("cp858")

    def printed(button_text: str) -> bytes:
        if out.exists():
            out.unlink()
        ui.tap(ui.button(button_text))
        ui.wait_until(lambda: out.exists() and panel.print_status.startswith("Your slip"), 10, "the slip")
        return out.read_bytes()

    plain = printed("Print")
    assert b"Support" in plain and b"Night shelter" not in plain and address not in plain
    with_address = printed("Print with address")
    assert b"Support" in with_address and b"Night shelter" not in with_address
    assert address in with_address


def test_speech_is_stopped_on_quick_exit(ui, monkeypatch, tmp_path):
    """Real espeak-ng reading a long text into a sink that plays at a sound card's pace: the
    quick exit silences it at once."""
    import shutil
    import sys
    import time
    from pathlib import Path

    from kiosk.speech import engine as eng
    from kiosk.speech.parts import Part

    assert shutil.which("espeak-ng"), "espeak-ng is not installed: apt-get install espeak-ng"
    counter = tmp_path / "played"
    sink = Path(__file__).resolve().parents[1] / "speech" / "paced_sink.py"
    speech = eng.EspeakEngine(player=[sys.executable, str(sink), "{rate}", str(counter)])

    def played() -> int:
        try:
            return int(counter.read_text() or 0)
        except (OSError, ValueError):
            return 0
    try:
        monkeypatch.setattr(ui.app.speech, "engine", speech)   # the controller keeps its bar; the engine is real
        ui.tap(ui.button("English"))
        speech.speak([Part("Qendra e Informacionit për Shërbimet Sociale, Bashkia Elbasan. " * 30, "sq")])
        ui.wait_until(lambda: played() > 11025, 10, "speech to be heard")
        ui.tap(ui.bar.ids.quick_exit)
        assert ui.app.sm.current == "welcome"
        ui.wait_until(lambda: not speech.status().speaking, 1, "speech to stop")
        heard = played()
        time.sleep(0.3)
        assert played() == heard
    finally:
        speech.close()


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080), (1080, 1920)])
def test_top_bar_keeps_urgent_help_and_a_prominent_quick_exit_whole(ui, size):
    """Nothing of the top bar is cut or overlapped, at 1280x800, 1920x1080 and in portrait,
    with the widest quick exit (a sensitive service's) and the longer Albanian words."""
    ui.tap(ui.button("Shqip"))
    ui.tap(ui.button("Strehim"))
    ui.tap(ui.row("Strehëz nate"))
    original = tuple(ui.window.size)
    ui.window.size = size
    try:
        _check_top_bar(ui)
    finally:   # the next tests (the staff panel's) expect the landscape window back
        ui.window.size = original
        ui.pump(6)
        ui.settle()


def _check_top_bar(ui) -> None:
    ui.pump(6)
    ui.settle()
    bar = ui.bar
    assert bar.ids.quick_exit.prominent
    buttons = [bar.ids[name] for name in ("back", "home", "urgent", "language", "text_size", "contrast",
                                          "quick_exit")]
    edges = [(b.to_window(b.x, b.y)[0], b.to_window(b.right, b.y)[0]) for b in buttons]
    assert edges[0][0] >= 0 and edges[-1][1] <= ui.window.width, edges
    # on a narrow bar language, text size and contrast stand in a second row: compare neighbours
    # within a row, and every button stays on the screen
    assert all(0 <= left and right <= ui.window.width for left, right in edges), edges
    for row in (bar.ids.row, bar.ids.row2):
        in_row = sorted(edge for edge, b in zip(edges, buttons) if b.parent is row)
        for (_left, right), (next_left, _next_right) in zip(in_row, in_row[1:]):
            assert right <= next_left, edges
    for button in (bar.ids.urgent, bar.ids.quick_exit):
        label = button.ids.lbl
        assert label.texture_size[0] <= button.width and label.texture_size[1] <= button.height


def test_quick_exit_cancels_a_slip_not_yet_sent(ui, monkeypatch):
    """Print, then quick exit while the printer (a real socket on 127.0.0.1) is still being
    reached: the slip never goes out, and nothing about it shows on the welcome screen."""
    import socket
    import threading
    import time

    from kiosk.config import PrinterSection
    from kiosk.handoff import devices
    from kiosk.handoff.printer import SlipPrinter

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(60)   # the taps before the print may take a while on a loaded machine
    section = PrinterSection(kind="network", host="127.0.0.1", port=server.getsockname()[1])
    received = bytearray()

    def serve():
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(3)
            try:
                while chunk := conn.recv(65536):
                    received.extend(chunk)     # never answers the paper query: a slow printer
            except OSError:
                pass
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    reach = threading.Event()
    reaching = threading.Event()

    def opener():
        reaching.set()
        reach.wait(10)                         # the printer is slow to answer the connection
        return devices.open_printer(section, timeout=1.5)
    printer = SlipPrinter(section, opener=opener, deadline=5.0)
    monkeypatch.setattr(ui.app, "printer", printer)
    try:
        ui.tap(ui.button("English"))
        ui.tap(ui.button("Housing"))
        ui.tap(ui.row("Night shelter"))
        ui.tap(ui.button("Print"), settle=False)
        assert reaching.wait(5)
        ui.tap(ui.bar.ids.quick_exit)
        assert ui.app.sm.current == "welcome"
        reach.set()
        thread.join(5)
        time.sleep(0.2)
        assert bytes(received) == b"\x10\x04\x04"   # the paper query reached it, and no slip
        assert b"Support" not in received
        assert printer.limiter.retry_after() == 0.0
    finally:
        reach.set()
        server.close()


def test_quick_exit_is_one_tap_while_are_you_still_there_is_asked(ui):
    """The idle question covers the screen with a scrim; the quick exit under it still leaves
    at the first tap (the question's own "any touch means still here" must not swallow it),
    and any other touch outside the question still only answers it."""
    app = ui.app
    _visit(ui, "category")
    ui.clock.advance(app.idle.timeout + 1)
    ui.wait_until(lambda: app.idle_prompt.showing, 3, "the idle prompt")
    # a touch beside the question (not on the quick exit) answers it and stays on the page
    ui.tap_at(5, 5)
    assert not app.idle_prompt.showing and app.sm.current == "category" and app.history
    ui.clock.advance(app.idle.timeout + 1)
    ui.wait_until(lambda: app.idle_prompt.showing, 3, "the idle prompt again")
    ui.tap(ui.bar.ids.quick_exit)
    assert app.sm.current == "welcome" and app.history == []
    assert not app.idle_prompt.showing and app.lang == app.default_language


def test_a_sensitive_service_opens_with_its_privacy_notice_only_and_reads_on_request(ui):
    """With speech on, a sensitive page says the headphone notice and how to hear the rest, and
    not its name: the loudspeaker is heard by everyone in the lobby."""
    app, speech = ui.app, ui.app.speech
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Housing"))
    speech.turn_on()
    ui.settle()             # the speech controls' row is drawn before the visitor touches a row
    ui.tap(ui.row("Night shelter"))
    assert ui.screen.detail.sensitive
    opening = speech.last_text
    assert opening.startswith("This information is private.")
    assert opening.endswith("To hear this page, touch Listen, or move through it with the keypad.")
    assert "Night shelter" not in opening and "shelter" not in opening.lower()
    ui.tap(ui.bar.ids.listen)                          # asked for: the whole page
    assert "Night shelter." in speech.last_text
    speech.turn_off()


def test_the_urgent_screen_holds_still_with_speech_on(ui):
    """1280x800 in English with the speech controls' row in the bar: the urgent lines are a
    little taller side by side in the room the scroll buttons leave than under them, and the
    buttons came and went every frame (the lines jumping 30 px) once the demo notice left the
    band for the bar's row and gave the page that room. Shown, they now go only when the page
    fits with room to spare."""
    from kivy.core.window import Window

    from kiosk.ui.urgent import UrgentLineCard
    from kiosk.ui.widgets import ScrollButtons

    old = tuple(Window.size)
    try:
        Window.size = (1280, 800)
        ui.settle()
        ui.tap(ui.button("English"))
        ui.app.speech.turn_on()
        ui.settle()
        ui.tap(ui.bar.ids.urgent)
        assert ui.app.sm.current == "urgent"
        card = ui.find(ui.screen, cls=UrgentLineCard)
        buttons = next(w for w in ui.screen.walk(restrict=True) if isinstance(w, ScrollButtons))
        seen = set()
        for _ in range(8):
            ui.pump(1)
            seen.add((buttons.width, tuple(card.to_window(card.x, card.y)), tuple(card.size)))
        assert len(seen) == 1, seen
    finally:
        ui.app.speech.turn_off()
        Window.size = old
        ui.settle()


def _at_size(ui, size) -> tuple:
    original = tuple(ui.window.size)
    ui.window.size = size
    ui.pump(6)
    ui.settle()
    return original


@pytest.mark.parametrize("size", [(800, 480), (1280, 800), (1920, 1080), (1080, 1920)])
def test_the_sensitive_quick_exit_is_half_as_large_again_and_whole(ui, size):
    """Albanian (the longer words): on a sensitive service the quick exit's touch target is at
    least 1.5 times the usual one's, larger than any other bar button, its label no smaller and
    never cut, still in the top-right corner."""
    original = _at_size(ui, size)
    try:
        ui.tap(ui.button("Shqip"))
        ui.tap(ui.button("Strehim"))
        usual = ui.bar.ids.quick_exit
        usual_area, usual_font = usual.width * usual.height, usual.ids.lbl.font_size
        ui.tap(ui.row("Strehëz nate"))
        ui.pump(3)
        bar, button = ui.bar, ui.bar.ids.quick_exit
        assert button.prominent
        assert button.width * button.height >= 1.5 * usual_area
        for name in ("back", "home", "urgent", "listen", "language", "contrast"):
            other = bar.ids[name]
            assert button.width * button.height > other.width * other.height, name
        label = button.ids.lbl
        assert label.font_size >= usual_font
        assert label.texture_size[0] <= button.width and label.texture_size[1] <= button.height
        left, bottom = button.to_window(button.x, button.y)
        right, top = button.to_window(button.right, button.top)
        assert 0 <= left and right <= ui.window.width and 0 <= bottom and top <= ui.window.height
        assert ui.window.width - right < 40 and ui.window.height - top < 40
    finally:
        ui.window.size = original
        ui.pump(6)
        ui.settle()


def test_a_portrait_totem_has_the_quick_exit_within_reach_at_the_bottom(ui):
    """1080x1920: the quick exit also stands in the bottom third, bottom right, with the top
    one's look; the page ends above it; the keypad ring reaches one quick exit; a finger landing
    on it leaves at once and forgets the visit."""
    from kiosk.ui.theme import theme

    original = _at_size(ui, (1080, 1920))
    app = ui.app
    try:
        ui.tap(ui.button("English"))
        ui.tap(ui.bar.ids.contrast)
        ui.tap(ui.button("Housing"))
        ui.tap(ui.row("Night shelter"))
        ui.pump(3)
        assert app.stage.foot_shown
        low = app.stage.foot.ids.quick_exit
        top = ui.bar.ids.quick_exit
        assert ui.is_visible(low)
        assert (low.variant, low.prominent, low.text) == (top.variant, top.prominent, top.text)
        right, upper = low.to_window(low.right, low.top)
        assert upper <= ui.window.height / 3 and ui.window.width - right < 40
        scroll = ui.screen.ids.scroll
        assert scroll.to_window(scroll.x, scroll.y)[1] >= app.stage.foot.top
        found = app.speech.focus.refresh()
        assert sum(1 for t in found if "quick exit" in t.label.lower().replace("\n", " ")) == 1
        x, y = ui.center_of(low)
        touch = ui.touch_down(x, y)
        ui.pump(2)
        assert app.sm.current == "welcome"        # on the touch itself, before the finger lifts
        ui.touch_up(touch)
        ui.settle()
        assert app.sm.current == "welcome" and app.history == []
        assert app.lang == app.default_language and not theme.contrast and app.discreet is False
    finally:
        ui.window.size = original
        ui.pump(6)
        ui.settle()


def _urgent_buttons_on_view(ui) -> list:
    """Every Urgent help button a visitor can touch now (the stage's: screen, top bar, foot)."""
    from kiosk.ui.focus import shown
    from kiosk.ui.widgets import UrgentButton

    return [w for w in ui.app.root.walk(restrict=True) if isinstance(w, UrgentButton) and shown(w)]


def test_urgent_help_stands_in_the_foot_only_where_the_foot_is(ui):
    """Landscape and a 7" portrait panel: no foot, one Urgent help (the top bar's); a 1080x1920
    totem: the foot's too, with the top bar's label and look."""
    app = ui.app
    original = tuple(ui.window.size)
    try:
        for size in ((1920, 1080), (720, 1280), (1080, 1920)):
            ui.go_welcome()
            _at_size(ui, size)
            ui.tap(ui.button("English"))
            ui.tap(ui.button("Housing"))
            ui.pump(3)
            buttons = _urgent_buttons_on_view(ui)
            top = ui.bar.ids.urgent
            if size != (1080, 1920):
                assert not app.stage.foot_shown and buttons == [top], size
                continue
            assert app.stage.foot_shown
            low = app.stage.foot.ids.urgent
            assert buttons == [top, low] and ui.is_visible(low)
            assert (low.variant, low.icon, low.text, low.compact) == (top.variant, top.icon, top.text, top.compact)
            label = low.ids.lbl
            assert label.texture_size[0] <= low.width and label.texture_size[1] <= low.height
    finally:
        ui.window.size = original
        ui.pump(6)
        ui.settle()


def test_a_portrait_totem_has_urgent_help_within_reach_at_the_bottom_left(ui):
    """1080x1920: the foot's Urgent help is in the bottom-left corner, the quick exit's whole
    foot apart; the keypad ring reaches Urgent help once (the top bar's); the page ends above it,
    here and on the urgent screen, where it stays as the top bar's does; one touch opens the
    lines, even while "are you still there?" is asked."""
    from kiosk.ui.screenshots import under_foot

    original = _at_size(ui, (1080, 1920))
    app = ui.app
    try:
        ui.tap(ui.button("English"))
        ui.tap(ui.button("Housing"))
        ui.tap(ui.row("Night shelter"))
        ui.pump(3)
        foot = app.stage.foot
        low, leave = foot.ids.urgent, foot.ids.quick_exit
        left, bottom = low.to_window(low.x, low.y)
        right, upper = low.to_window(low.right, low.top)
        assert left < 40 and upper <= ui.window.height / 3 and bottom < 40
        exit_left = leave.to_window(leave.x, leave.y)[0]
        assert exit_left - right >= ui.window.width / 2      # far apart: one is not hit for the other
        assert under_foot(app) == []
        space = ui.screen.ids.exit_space               # without the room kept for it, the check sees it
        space.height = 0
        ui.pump(3)
        assert any("under the foot" in problem for problem in under_foot(app))
        space.height = app.foot_height
        ui.pump(3)
        assert under_foot(app) == []
        found = app.speech.focus.refresh()
        assert sum(1 for t in found if t.label.replace("\n", " ").lower() == "urgent help") == 1
        ui.clock.advance(app.idle.timeout + 1)
        ui.wait_until(lambda: app.idle_prompt.showing, 3, "the idle prompt")
        ui.tap(low)
        assert app.sm.current == "urgent" and not app.idle_prompt.showing
        ui.pump(3)
        # the top bar keeps its Urgent help on the urgent screen: so does the foot
        assert _urgent_buttons_on_view(ui) == [ui.bar.ids.urgent, low]
        assert under_foot(app) == []
        scroll = ui.screen.ids.scroll
        assert scroll.to_window(scroll.x, scroll.y)[1] >= foot.top
        ui.tap(low)                                          # as the top bar's: it stays
        assert app.sm.current == "urgent"
        ui.tap(ui.bar.ids.back)
        assert app.sm.current == "service"
    finally:
        ui.window.size = original
        ui.pump(6)
        ui.settle()


def test_the_spoken_help_names_the_foot_where_it_is_shown(ui):
    """The keypad's help key: on a totem (the foot on show) it says that urgent help and the quick
    exit are also at the bottom, left and right, in the screen's language; not in landscape, nor
    on the welcome screen, which has no foot."""
    from kiosk.speech.keys import KEYCODES

    help_key = KEYCODES["numpaddecimal"]
    said = {"English": ("How to use this kiosk.",
                        "The Urgent help and Quick exit buttons are also at the bottom of the screen: "
                        "Urgent help on the left, Quick exit on the right."),
            "Shqip": ("Si të përdorni këtë kioskë.",
                      "Butonat Ndihmë urgjente dhe Dil shpejt janë edhe në fund të ekranit: "
                      "Ndihmë urgjente në të majtë, Dil shpejt në të djathtë.")}
    speech = ui.app.speech
    original = tuple(ui.window.size)
    try:
        for size, lang in (((1080, 1920), "English"), ((1080, 1920), "Shqip"), ((1920, 1080), "English")):
            ui.go_welcome()
            _at_size(ui, size)
            title, foot = said[lang]
            ui.key(help_key)                 # the first key turns speech on (and reads the screen)
            ui.key(help_key)                 # the welcome screen: no foot
            assert speech.last_text.startswith("Si të përdorni këtë kioskë.")
            assert not any(f in speech.last_text for _t, f in said.values())
            ui.tap(ui.button(lang))
            ui.key(help_key)
            heard = speech.last_text.splitlines()
            assert heard[0] == title
            if size == (1080, 1920):
                assert ui.app.stage.foot_shown and heard[-1] == foot, (size, lang)
            else:
                assert not ui.app.stage.foot_shown and foot not in heard
            speech.turn_off()
    finally:
        speech.turn_off()
        ui.window.size = original
        ui.pump(6)
        ui.settle()


def test_the_urgent_lines_of_a_row_line_up_at_the_top(ui):
    """Two lines a row: a line that lists its hours (or whose name or number takes more lines)
    makes a taller card, and the grid put the shorter one at the bottom of the row. Now both are
    as tall, their tops level."""
    import dataclasses

    from kiosk.ui.urgent import UrgentLineCard

    original = _at_size(ui, (1920, 1080))
    app = ui.app
    try:
        ui.tap(ui.button("English"))
        ui.tap(ui.bar.ids.urgent)
        line = app.reads.urgent_lines("en")[0]
        # a line that answers on weekdays only (the nursery's hours): its card lists them
        nursery = app.reads.search("nursery", "en")[0].id
        where = app.reads.service(nursery, "en").locations[0]
        weekdays = dataclasses.replace(line, id=line.id + "-2", name="Legal advice line",
                                       status=where.status, week=where.week)
        screen = ui.screen
        screen.apply([weekdays, line, line])
        ui.wait_until(lambda: screen.codes_shown, what="the call codes")
        ui.pump(4)
        assert screen.ids.lines.cols == 2
        first, second, _third = reversed(screen.ids.lines.children)     # in the order added
        assert isinstance(first, UrgentLineCard) and (first.line, second.line) == (weekdays, line)
        assert first.hours is not None and first.minimum_height > second.minimum_height + 40
        tops = [c.to_window(c.x, c.top)[1] for c in (first, second)]
        assert abs(tops[0] - tops[1]) <= 1, tops
        assert first.height == second.height
    finally:
        ui.window.size = original
        ui.pump(6)
        ui.settle()

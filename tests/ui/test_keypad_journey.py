"""Speech without sight: a whole visit with the keypad alone, real key events under Xvfb.

Each step asserts what has the focus ring and the text fed to the engine (espeak-ng playing to
ALSA's null device: real synthesis, no sound card). Keys are those of a standard USB numeric
keypad as SDL reports them (kiosk.speech.keys.KEYCODES).
"""
from __future__ import annotations

import pytest

from kiosk.speech import keypad as kp
from kiosk.speech.keys import KEYCODES

pytestmark = pytest.mark.ui

UP, DOWN, ENTER, BACK, HELP, HOME = (KEYCODES[k] for k in (
    "numpad8", "numpad2", "numpad5", "numpad0", "numpaddecimal", "numpad1"))
LOUDER, FASTER, PAUSE = KEYCODES["numpadadd"], KEYCODES["numpadmul"], KEYCODES["numpad9"]


def press(ui, key, settle: bool = True):
    """One key press; what it made the kiosk say ("" for nothing)."""
    said = ui.app.speech.said
    assert ui.key(key) is True          # swallowed in the end: the lockdown still holds every key
    if settle:
        ui.settle()
    return ui.app.speech.last_text if ui.app.speech.said != said else ""


def focus_to(ui, starts: str, limit: int = 80) -> str:
    """Up or Down (whichever way it is) until the focused item's label starts with ``starts``,
    as a visitor who has heard the screen would; what the last move said."""
    focus = ui.app.speech.focus
    labels = [t.label for t in focus.refresh()]
    goal = next((i for i, label in enumerate(labels) if label.startswith(starts)), None)
    assert goal is not None, f"no {starts!r} among {labels}"
    text = ""
    for _ in range(limit):
        index = focus.ring.index
        if index == goal:
            return text
        text = press(ui, DOWN if index is None or index < goal else UP, settle=False)
        focus.refresh()
    raise AssertionError(f"never reached {starts!r}; last: {focus.focused}")


def ring_on(ui, widget) -> bool:
    """The focus frame is drawn, around ``widget``, on top of everything."""
    hl = ui.app.speech.focus.highlight
    if hl.parent is None or hl.opacity <= 0 or ui.window.children[0] is not hl:
        return False
    x, y = widget.to_window(widget.x, widget.y)
    return hl.x <= x and hl.y <= y and hl.right >= x + widget.width and hl.top >= y + widget.height


@pytest.fixture
def printer(ui, tmp_path, monkeypatch):
    """A real slip printer writing its ESC/POS bytes to a file."""
    from kiosk.config import Config
    from kiosk.handoff.printer import SlipPrinter

    out = tmp_path / "slips.bin"
    config = Config.model_validate({"kiosk": {"data_dir": str(tmp_path)},
                                    "printer": {"kind": "file", "path": str(out)}})
    monkeypatch.setattr(ui.app, "printer", SlipPrinter.from_config(config))
    return out


def test_a_whole_visit_with_the_keypad_alone(ui, printer):
    app, speech = ui.app, ui.app.speech
    assert speech.available and not speech.on

    # Welcome: any key turns speech on and reads the welcome, in both languages, with the keys
    # (the keypad is this visitor's way in), not how to listen: they are listening.
    text = press(ui, DOWN)
    assert speech.on and app.sm.current == "welcome"
    assert "Për të dëgjuar, shtypni çdo tast të tastierës, ose prekni Dëgjo." not in text
    assert "To listen, press any key on the keypad, or touch Listen." not in text
    assert "Në tastierë, shtypni dy për elementin tjetër, tetë për elementin e mëparshëm" in text

    # Help: how to use the keys.
    assert press(ui, HELP).startswith("Si të përdorni këtë kioskë.\nShtypni dy ose shigjetën poshtë për "
                                      "elementin tjetër")

    # Language: Down to English, Enter.
    assert press(ui, DOWN) == "Shqip, buton"
    assert ring_on(ui, speech.focus.focused.locate())
    assert press(ui, DOWN) == "English"
    assert kp.announce(speech.focus.focused.item, "sq").lang == "en"    # in the English voice
    text = press(ui, ENTER)
    assert app.sm.current == "home" and app.lang == "en"
    assert text.startswith("How can we help you?\nOr choose a topic:\n")

    # Home: the search bar first, then Open now, then the topics with their counts.
    assert press(ui, DOWN) == "Search for a service or organization, button"
    assert press(ui, DOWN) == "Open now, button"
    assert focus_to(ui, "Children and family") == "Children and family. three services, link"
    tile = speech.focus.focused.locate()
    assert ring_on(ui, tile)
    text = press(ui, ENTER)
    assert app.sm.current == "category" and ui.screen.heading == "Children and family"
    assert text.startswith("Children and family.")

    # A narrower topic, then the row of a service, reached through the list's data, with
    # today's status.
    assert focus_to(ui, "Nurseries") == "Nurseries, one service, button"
    text = press(ui, ENTER)
    assert ui.screen.heading == "Nurseries" and text.startswith("Nurseries.")
    text = focus_to(ui, "Municipal nursery")
    assert text == "Municipal nursery. Municipal Social Centre. Open now, link"
    row = speech.focus.focused.locate()
    assert row is not None and row.name == "Municipal nursery" and ring_on(ui, row)
    text = press(ui, ENTER)
    assert app.sm.current == "service" and ui.screen.heading == "Municipal nursery"
    assert text.splitlines()[0] == "Municipal nursery."
    # the opening: name, status, phone, where to go, take-away, then how to hear the rest
    assert text.splitlines()[-1] == "To hear the whole screen, touch Listen, or press five."
    assert "Phone:" in text and "About this service." not in text

    # A QR choice: it stays on the page and says so; the code on screen changes.
    from kiosk.ui.handoff import HandoffPanel

    panel = next(w for w in ui.walk() if isinstance(w, HandoffPanel))
    second = panel.choices[1]
    from kiosk.speech.normalise import normalise

    said = f"{second.title}, button. {normalise(second.explanation, 'en')}"   # what scanning gives
    assert focus_to(ui, second.title) == said
    assert press(ui, ENTER) == said
    assert panel.selected == second.kind

    # Print: the outcome, then what the slip says.
    assert focus_to(ui, "Print") == "Print, button"
    press(ui, ENTER)
    ui.wait_until(lambda: "Your slip says:" in speech.last_text, timeout=10, what="the slip read out")
    assert printer.stat().st_size > 0
    lines = speech.last_text.splitlines()
    assert lines[1] == "Your slip says:" and lines[-1] == "End of the slip."
    assert "Municipal nursery." in lines

    # Back to the narrower topic, then Home.
    text = press(ui, BACK)
    assert app.sm.current == "category" and text.startswith("Nurseries.")
    text = press(ui, HOME)
    assert app.sm.current == "home" and text.startswith("How can we help you?")

    # Search by picking letters: the search bar, then the on-screen keys.
    press(ui, DOWN)
    text = press(ui, ENTER)
    assert app.sm.current == "search" and text.startswith("What are you looking for?")
    for letter in "nur":
        assert focus_to(ui, letter.upper()) == f"{letter.upper()}, key"
        text = press(ui, ENTER)
        assert text.splitlines()[0] == letter.upper()
        assert speech.focus.focused.label == letter.upper()    # the focus stays on the key
    assert ui.screen.query == "nur"
    assert text.splitlines()[1] == "Search results for nur."
    assert text.splitlines()[2] == "one result."
    # the result row, then Enter opens it
    assert focus_to(ui, "Municipal nursery").startswith("Municipal nursery.")
    press(ui, ENTER)
    assert app.sm.current == "service"

    # Volume, speed and pause from the keypad, with spoken feedback.
    assert press(ui, LOUDER) == "Volume four of five."
    assert press(ui, FASTER) == "Speed three of three."
    assert (speech.volume, speech.rate) == (3, 2)

    # The idle reset: speech off, silence, default rate and volume.
    app.reset_session()
    ui.settle()
    assert not speech.on and (speech.volume, speech.rate) == (2, 1)
    assert speech.engine.status().speaking is False


def test_the_ring_stops_at_both_ends_and_back_always_leaves(ui):
    app, speech = ui.app, ui.app.speech
    press(ui, DOWN)                      # speech on
    press(ui, ENTER)                     # nothing focused: Enter reads the screen
    press(ui, HOME)                      # from the welcome: start, in the default language
    assert app.sm.current == "home" and app.lang == "sq"
    assert press(ui, UP) != ""           # the first Up goes to the last item
    last = speech.focus.focused.id
    assert press(ui, DOWN) == "Fundi i listës."
    assert speech.focus.focused.id == last
    speech.focus.ring.index = 0
    assert press(ui, UP) == "Fillimi i listës."
    press(ui, BACK)                      # no trap: Back leaves the home screen for the welcome
    assert app.sm.current == "welcome"


def test_the_staff_pin_is_never_spoken(ui):
    app, speech = ui.app, ui.app.speech
    press(ui, DOWN)
    app.start("en")
    app.open_staff()
    ui.settle()
    assert app.sm.current == "staff"
    assert focus_to(ui, "PIN key") == "PIN key, key"          # the first key of the pad, 1
    spoken = [press(ui, ENTER) for _ in range(4)]
    assert spoken == ["Digit entered. one digit.", "Digit entered. two digits.",
                      "Digit entered. three digits.", "Digit entered. four digits."]
    assert len(ui.screen.pin) == 4
    assert not any(ch.isdigit() for lang, text in speech.history for ch in text)


def test_other_keys_are_still_swallowed_and_the_scanner_still_scans(ui, monkeypatch):
    from factories import uid
    from kiosk.handoff.links import short_code
    from kiosk.handoff.scanner import ScanDetector

    app, speech = ui.app, ui.app.speech
    monkeypatch.setattr(app.scanner, "detector", ScanDetector("https://sherbime.elbasan.gov.al"))
    press(ui, DOWN)
    assert speech.on
    said = speech.said
    assert ui.key(27) is True and ui.key(285, modifiers=["alt"]) is True     # Escape, Alt+F4
    assert ui.key(ord("a"), "a") is True
    assert app.sm.current == "welcome" and speech.said == said             # swallowed, nothing done
    # a second later, a scan: a character every 4 ms, then Enter, which belongs to the scanner,
    # not to Activate
    ui.clock.advance(1.0)
    said, scans = speech.said, app.scanner.scans    # the app is shared: other files scan too
    for char in short_code(uid("svc:nursery")):
        key = ord(char.lower()) if char.isalpha() else ord(char)
        mods = ["shift"] if char.isupper() else []
        assert ui.window.dispatch("on_key_down", key, 0, char.lower(), mods) is True
        ui.clock.advance(0.004)
    assert ui.window.dispatch("on_key_down", 13, 0, None, []) is True
    ui.wait_until(lambda: app.sm.current == "service" and ui.screen.detail is not None, what="the scan")
    ui.settle()
    assert speech.said > said and speech.last_text.startswith("Çerdhe e Bashkisë.")
    assert app.scanner.scans == scans + 1


def test_the_ring_scrolls_a_long_list_to_a_row_out_of_view(ui):
    """A row of a long list out of view, which the RecycleView has made no widget for, is
    scrolled into view when the ring lands on it (a key, or the touch of a row cut by the list's
    edge), and framed."""
    app, speech = ui.app, ui.app.speech
    press(ui, DOWN)                      # speech on
    ui.tap(ui.button("English"))
    app.open_search()
    ui.settle()
    screen = ui.screen
    for char in "elbasan":               # in nearly every address
        screen.type_key(char)
    ui.wait_until(lambda: screen.state == "results" and screen.searched == "elbasan"
                  and not app.reads.pending, what="results for elbasan")
    rv = screen.ids.rv
    assert rv.layout_manager.height > rv.height * 1.5, "more results than the list shows"
    last = rv.data[-1]
    assert not [w for w in rv.layout_manager.children if getattr(w, "item_id", "") == last["item_id"]]
    focus = speech.focus
    focus.refresh()
    focus.ring.focus(f"row:{last['item_id']}")
    focus.show()
    ui.settle()
    row = focus.focused.locate()
    assert row is not None and row.item_id == last["item_id"]
    assert ring_on(ui, row)
    bottom = rv.to_window(rv.x, rv.y)[1]
    assert bottom - 1 <= row.to_window(row.x, row.y)[1] <= bottom + rv.height - row.height + 1


def test_urgent_help_by_keypad_says_each_line_with_its_number_to_dial(ui):
    """The urgent screen says a line whole when it opens, and the ring stops at every line
    (before, it held no line at all: the first Down said "Back, button")."""
    from kiosk.ui.urgent import UrgentLineCard

    app, speech = ui.app, ui.app.speech
    press(ui, ENTER)                                    # speech on, from the welcome screen
    ui.tap(ui.button("English"))
    ui.tap(ui.bar.ids.urgent)
    assert app.sm.current == "urgent"
    card = ui.find(ui.screen, cls=UrgentLineCard)
    opening = speech.last_text.splitlines()
    # the heading, how to call, every line (one here), the demo notice
    assert opening[0] == "Urgent help." and len(opening) == 4 and opening[3].startswith("Demo data")
    assert opening[2].startswith(card.line.name.split(" ")[0])
    assert "Number: plus three five five, five four, one one one, two two two." in opening[2]
    focus = speech.focus
    labels = [t.label for t in focus.refresh()]
    assert labels[0] == card.spoken_label(), labels
    text = press(ui, DOWN)
    assert text == opening[2].rstrip(".") and ring_on(ui, card)
    assert press(ui, ENTER) == text                     # Enter says it again


def test_a_touch_on_print_is_not_cut_off_by_the_buttons_name(ui, printer):
    """With speech on, touching Print says that the slip is printing (then the slip); the name
    of the button touched, said after it, cut that off."""
    app, speech = ui.app, ui.app.speech
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Children and family"))
    ui.tap(ui.row("Municipal nursery"))
    speech.turn_on()
    ui.settle()
    start = speech.said                 # (the history keeps the last few texts only)
    ui.tap(ui.button("Print"))
    ui.wait_until(lambda: "Your slip says:" in speech.last_text, timeout=10, what="the slip read out")
    count = speech.said - start
    said = [text for _lang, text in list(speech.history)[-count:]] if count else []
    assert said and not any(text.startswith("Print, button") for text in said), said
    speech.turn_off()


def test_the_dash_key_says_its_name(ui):
    app = ui.app
    press(ui, ENTER)                                    # speech on, from the welcome screen
    ui.tap(ui.button("English"))
    ui.tap(ui.screen.ids.search)
    assert app.sm.current == "search"
    assert focus_to(ui, "Dash") == "Dash, key"
    press(ui, ENTER)
    assert ui.screen.query == "-"


PREVIOUS, NEXT = KEYCODES["numpad4"], KEYCODES["numpad6"]


def type_with_keypad(ui, word: str) -> str:
    """The word typed key by key on the on-screen keyboard with 8/2 and 5; what the keys said,
    one after the other."""
    said = []
    for letter in word:
        focus_to(ui, letter.upper())
        said.append(press(ui, ENTER))
    assert ui.screen.query == word
    ui.wait_until(lambda: ui.screen.state in ("results", "none") and not ui.app.reads.pending,
                  what="the results")
    return "\n".join(said)


def said_once(text: str, line: str) -> bool:
    """``line`` was said once while typing: after the first key that found something."""
    return text.splitlines().count(line) == 1


def test_search_6_jumps_from_the_keys_to_the_results_and_the_kiosk_says_so(ui):
    """Typed on the on-screen keys, a word's results come after 43 keys; 6 goes there at once,
    saying how many, then the first result; after each key the kiosk says which key that is."""
    from kiosk.speech.normalise import normalise

    app, speech = ui.app, ui.app.speech
    press(ui, DOWN)                                     # speech on
    press(ui, HOME)                                     # home, in Albanian
    assert focus_to(ui, "Kërko").startswith("Kërko")
    press(ui, ENTER)
    assert app.sm.current == "search"
    text = type_with_keypad(ui, "çer")
    # the count, then how to reach what was found, once: not again after each key
    assert said_once(text, "Shtypni gjashtë ose shigjetën djathtas për rezultatet."), text
    rows = ui.screen.ids.rv.data
    assert len(rows) >= 1
    assert speech.focus.focused.label == "R"            # the focus stays on the key
    text = press(ui, NEXT)
    services = sum(1 for row in rows if row["kind"] == "service")
    assert services == len(rows)
    count = "një shërbim" if services == 1 else normalise(f"{services} shërbime", "sq")
    lines = text.splitlines()
    assert lines[0] == f"Rezultatet, {count}", text
    assert lines[1].startswith(normalise(rows[0]["name"], "sq").rstrip(".")) and lines[1].endswith(", lidhje")
    assert speech.focus.focused.id == f"row:{rows[0]['item_id']}"
    assert ring_on(ui, speech.focus.focused.locate())
    # 4 goes back to the first key of the keyboard, saying how many keys it has (42 in Albanian)
    keys = sum(1 for t in speech.focus.refresh() if t.role == "key")
    assert keys == 42
    assert press(ui, PREVIOUS).splitlines() == ["Tastiera e ekranit, dyzet e dy taste", "një, tast"]
    press(ui, NEXT)
    press(ui, ENTER)                                    # the result opens
    assert app.sm.current == "service"


def test_a_service_page_6_goes_card_by_card_and_4_back_and_the_last_part_says_so(ui):
    from kiosk.ui.widgets import SectionCard

    app, speech = ui.app, ui.app.speech
    press(ui, DOWN)                                     # speech on
    ui.tap(ui.button("English"))
    app.open_search()
    ui.settle()
    for char in "nursery":
        ui.screen.type_key(char)
    ui.wait_until(lambda: ui.screen.state == "results" and not app.reads.pending, what="results")
    app.open_item("service", ui.screen.ids.rv.data[0]["item_id"])
    ui.settle()
    assert app.sm.current == "service" and ui.screen.heading == "Municipal nursery"
    focus = speech.focus
    cards = [t for t in focus.refresh() if t.card]
    assert len(cards) >= 5                              # the page's cards, in reading order
    titles = [t.locate().title for t in cards]
    assert titles[:4] == ["About this service", "Who can apply", "How to apply", "Documents to bring"]

    heard, landed = [], []
    for _ in range(40):
        text = press(ui, NEXT)
        heard.append(text)
        if text == "This is the last part of the screen.":
            break
        landed.append(focus.focused)
    else:
        raise AssertionError(f"never reached the end: {heard}")
    # every card is landed on once, in order, the card itself first, saying its place and title
    on_cards = [t for t in landed if t.card]
    assert [t.id for t in on_cards] == [t.id for t in cards]
    first = heard[0].splitlines()
    assert first[0] == f"Card one of {_words(len(cards))}." and first[1].startswith("About this service. ")
    assert heard[1].splitlines()[0] == f"Card two of {_words(len(cards))}."
    assert heard[1].splitlines()[1].startswith("Who can apply. ")
    # a card is one line: an address's lines joined with commas, as the page is read
    assert all(len(h.splitlines()) == 2 for h in heard[:-1] if h.startswith("Card ")), heard
    # the take-away choices and the bars are sections too; the speech bar is the last
    said = [h.splitlines()[0] for h in heard]
    assert any(s.startswith("Take it with you, ") for s in said), said
    assert said[-3].startswith("Top bar, ") and said[-2].startswith("Speech controls, seven buttons")
    assert focus.focused.label == "Speech off"          # the end: the focus stays where it was
    # and back, card by card, from the page's last section
    for _ in range(len(landed) - 1):
        press(ui, PREVIOUS)
    assert focus.focused.id == landed[0].id
    assert ring_on(ui, landed[0].locate())
    text = press(ui, PREVIOUS)
    assert text == "This is the first part of the screen." and focus.focused.id == landed[0].id
    press(ui, NEXT)
    assert focus.focused.id == cards[1].id
    assert isinstance(cards[1].locate(), SectionCard) and ring_on(ui, cards[1].locate())
    assert press(ui, PREVIOUS).splitlines()[0] == f"Card one of {_words(len(cards))}."


def _words(n: int) -> str:
    from kiosk.speech.normalise import normalise

    return normalise(str(n), "en")


def test_the_keys_that_jump_follow_the_key_map_and_the_hint_names_them(ui, monkeypatch):
    """A kiosk whose keypad gives "next section" to Page Down: the hint names that key, it
    jumps, and 6 no longer does."""
    from kiosk.speech.keys import KeyMap

    app, speech = ui.app, ui.app.speech
    monkeypatch.setattr(speech, "keymap", KeyMap({"next_section": ["pagedown"]}))
    press(ui, DOWN)                                     # speech on
    ui.tap(ui.button("English"))
    app.open_search()
    ui.settle()
    text = type_with_keypad(ui, "nur")
    assert said_once(text, "Press the Page Down key for the results."), text
    assert press(ui, NEXT) == "" and speech.focus.focused.label == "R"     # 6 is no keypad key now
    text = press(ui, KEYCODES["pagedown"])
    assert text.splitlines() == ["Results, one service", "Municipal nursery. Municipal Social Centre. Open now, link"]


def test_on_a_remapped_keypad_the_help_names_the_keys_that_really_work(ui, monkeypatch):
    """Staff swapped the quick exit and pause (9 and 3), took repeat away and gave Help to F1
    alone: the welcome and the help, fed to the voice in both languages, name those keys."""
    from kiosk.speech.keys import KeyMap

    app, speech = ui.app, ui.app.speech
    monkeypatch.setattr(speech, "keymap", KeyMap({"quick_exit": ["numpad9"], "pause": ["numpad3"],
                                                  "repeat": [], "help": ["f1"]}))
    text = press(ui, DOWN)                              # speech on: the welcome
    assert "dhe tastin F një për të dëgjuar çfarë bën secili tast." in text, text
    assert "and the F one key to hear what each key does." in text, text
    assert "tastin me pikë" not in text and "dot key" not in text
    assert press(ui, HELP) == ""                        # the dot is no keypad key on this kiosk
    help_sq = press(ui, KEYCODES["f1"])
    assert speech.history[-1] == ("sq", help_sq)
    lines = help_sq.splitlines()
    assert lines[0] == "Si të përdorni këtë kioskë."
    assert lines[2].startswith("Shtypni nëntë për të dalë menjëherë, pa folur"), help_sq
    assert "Shtypni tre për të ndaluar ose për të vazhduar, dhe tastin F një për ta dëgjuar sërish" in help_sq
    assert "shtatë" not in help_sq and "përsëritur" not in help_sq and "tastin me pikë" not in help_sq
    assert app.sm.current == "welcome"                  # 3 paused nothing and left nowhere: help only

    ui.tap(ui.button("English"))
    ui.settle()
    help_en = press(ui, KEYCODES["f1"])
    assert speech.history[-1] == ("en", help_en)
    assert help_en.splitlines()[2].startswith("Press nine to leave at once, silently"), help_en
    assert "Press three to pause or go on, and the F one key to hear this help again." in help_en
    assert "seven" not in help_en and "repeat" not in help_en and "dot key" not in help_en


def test_on_a_portrait_panel_the_results_are_above_the_keys_and_the_hint_says_4(ui):
    app, speech = ui.app, ui.app.speech
    original = ui.window.size
    ui.window.size = (800, 1000)                        # portrait: the results above the keyboard
    try:
        ui.pump(3)
        press(ui, DOWN)                                 # speech on
        ui.tap(ui.button("English"))
        app.open_search()
        ui.settle()
        assert not ui.screen.landscape
        text = type_with_keypad(ui, "nur")
        assert said_once(text, "Press four or the Left arrow for the results."), text
        assert press(ui, NEXT).splitlines()[0] == "Top bar, ten buttons"   # 6 goes on to the bar
        focus_to(ui, "R")
        text = press(ui, PREVIOUS)
        assert text.splitlines() == ["Results, one service",
                                     "Municipal nursery. Municipal Social Centre. Open now, link"]
    finally:   # the next tests expect the landscape window back
        ui.window.size = original
        ui.pump(6)
        ui.settle()


def test_a_key_that_answers_the_idle_question_only_answers_it(ui):
    """ "Are you still there? ... To stay, press any key": the key that answers does nothing
    else. Before, Back also went back, Enter opened the focused row and Down moved the focus."""
    app, speech, clock = ui.app, ui.app.speech, ui.clock
    press(ui, ENTER)                                    # speech on, from the welcome screen
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Housing"))
    assert app.sm.current == "category"
    focus_to(ui, "Legal advice")
    focused = speech.focus.focused.id

    def asked() -> bool:
        prompt = app.idle_prompt
        return prompt is not None and prompt.showing

    for key in (BACK, ENTER, DOWN, ENTER):
        speech.stop()                                   # silence: the countdown runs
        clock.advance(95)
        ui.wait_until(asked, 3, "the idle question")
        ui.run_for(0.2)
        said = speech.said
        assert press(ui, key) == ""                     # nothing said of a key or a page
        ui.run_for(0.3)
        assert not asked() and app.sm.current == "category" and speech.focus.focused.id == focused
        assert speech.said == said and not speech.reading_aloud()
    # with speech off, the key that answers does not turn it on either
    speech.turn_off()
    clock.advance(95)
    ui.wait_until(asked, 3, "the idle question")
    press(ui, ENTER)
    assert not asked() and not speech.on and app.sm.current == "category"
    # the next key is an ordinary key again: it turns speech on and reads the screen
    assert "Housing." in press(ui, ENTER).splitlines() and speech.on

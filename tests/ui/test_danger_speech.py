"""Visitors in danger who cannot see: what speech and the keypad say and do near a sensitive
service, real key events and touches under Xvfb.

The test catalogue (tests/factories.py): the night shelter is sensitive, neutral title
"Mbështetje" / "Support"; it is in Housing, which is not.
"""
from __future__ import annotations

import pytest

from kiosk.speech.keys import KEYCODES

pytestmark = pytest.mark.ui

ENTER, DOWN, QUICK_EXIT = KEYCODES["numpad5"], KEYCODES["numpad2"], KEYCODES["numpad3"]
NOTICE = ("This information is private. Headphones are more private: plug them into the headphone "
          "socket, and speech will play in them only.")


def press(ui, key) -> str:
    said = ui.app.speech.said
    assert ui.key(key) is True
    ui.settle()
    return ui.app.speech.last_text if ui.app.speech.said != said else ""


def _speech_on_in_english(ui) -> None:
    press(ui, ENTER)                            # any key: speech on, the welcome screen read
    ui.tap(ui.button("English"))
    assert ui.app.speech.on and ui.app.lang == "en"


def _row_label(ui, item_id: str) -> str:
    targets = ui.app.speech.focus.refresh()
    return next(t.label for t in targets if t.id == f"row:{item_id}")


def test_a_list_with_a_sensitive_row_says_the_notice_first_and_the_row_by_its_neutral_title(ui):
    from kiosk.ui import spoken

    app = ui.app
    _speech_on_in_english(ui)
    ui.tap(ui.button("Housing"))
    assert app.sm.current == "category" and not ui.screen.sensitive
    shelter = next(r for r in ui.screen.spoken_data[0].services if r.name == "Night shelter")
    assert shelter.sensitive
    opening = spoken.opening_parts(app, "en", 6)
    assert opening[0].text == NOTICE
    heard = " ".join(p.text for p in opening)
    assert "Night shelter" not in heard and "Support." in heard, heard
    # the focus ring says it so too; Enter opens its page, which names it only when asked
    assert _row_label(ui, shelter.id).startswith("Support."), _row_label(ui, shelter.id)
    assert "Night shelter" not in " ".join(p.text for p in spoken.screen_parts(app, "en"))

    app.go_home()
    ui.settle()
    ui.type_search("night")
    assert app.sm.current == "search" and ui.screen.state == "results"
    opening = spoken.opening_parts(app, "en", 6)
    heard = " ".join(p.text for p in opening)
    assert opening[0].text == NOTICE and "Night shelter" not in heard and "Support." in heard, heard
    assert _row_label(ui, shelter.id).startswith("Support.")
    ui.tap(ui.row("Night shelter"))
    assert app.sm.current == "service"
    said = [p.text for p in spoken.opening_parts(app, "en", 6)]
    assert said[0] == NOTICE and not any("Night shelter" in s for s in said)
    assert any("Night shelter" in p.text for p in spoken.screen_parts(app, "en"))   # Listen: asked


def test_a_sensitive_page_opens_with_the_notice_whatever_screen_it_is(ui):
    """``screen.sensitive`` (an organization page of a sensitive provider, a report of a
    sensitive service) holds its text back as a sensitive service does."""
    from kiosk.ui import spoken

    app = ui.app
    _speech_on_in_english(ui)
    ui.tap(ui.button("Housing"))
    ui.tap(ui.row("Night shelter"))
    ui.tap(ui.button("About this organization"))
    screen = ui.screen
    # it provides the shelter, so its page is sensitive itself (the pages' fix): the notice only
    assert screen.name == "organization" and screen.sensitive
    said = [p.text for p in spoken.opening_parts(app, "en", 6)]
    assert said[0] == NOTICE and len(said) == 2 and "Listen" in said[1], said
    # asked for (Listen), the page is read after the notice, its services by name
    parts = [p.text for p in spoken.screen_parts(app, "en")]
    assert parts[0] == NOTICE and any(p.startswith("Night shelter.") for p in parts), parts


def test_the_keypad_3_is_the_quick_exit_and_says_nothing(ui):
    app, speech = ui.app, ui.app.speech
    _speech_on_in_english(ui)
    ui.tap(ui.button("Housing"))
    ui.tap(ui.row("Night shelter"))
    assert app.sm.current == "service" and ui.screen.sensitive
    said = speech.said
    assert ui.key(QUICK_EXIT) is True            # one key, at once
    ui.settle()
    assert app.sm.current == "welcome" and app.lang == "sq"
    assert speech.said == said and not speech.on and not speech.speaking   # silence
    assert not app.history
    # from the welcome screen with speech off it stays silent too (it is no "any key")
    assert ui.key(QUICK_EXIT) is True
    ui.settle()
    assert speech.said == said and not speech.on



def test_a_sensitive_page_starts_over_sooner_with_the_countdown_as_usual(ui):
    app = ui.app
    idle = app.idle
    assert idle.sensitive_timeout == idle.normal_timeout // 3 == 30    # the default: a third of 90
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Housing"))
    # a page that is not sensitive: still the full time
    assert not ui.screen.sensitive and idle.timeout == idle.normal_timeout
    ui.clock.advance(idle.sensitive_timeout + 1)
    ui.run_for(0.6)
    assert not app.idle_prompt or not app.idle_prompt.showing
    ui.tap(ui.row("Night shelter"))
    assert app.sm.current == "service" and ui.screen.sensitive and idle.timeout == idle.sensitive_timeout
    ui.clock.advance(idle.sensitive_timeout + 1)
    ui.wait_until(lambda: app.idle_prompt is not None and app.idle_prompt.showing, 3, "the idle prompt")
    assert app.idle_prompt.seconds == idle.countdown - 1 and app.sm.current == "service"
    ui.clock.advance(idle.countdown)
    ui.wait_until(lambda: app.sm.current == "welcome", 3, "the reset")
    assert app.lang == app.default_language and not app.history
    assert idle.timeout == idle.normal_timeout          # the welcome screen is not sensitive


def test_urgent_help_is_one_tap_while_are_you_still_there_is_asked(ui):
    app = ui.app
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Housing"))
    ui.clock.advance(app.idle.timeout + 1)
    ui.wait_until(lambda: app.idle_prompt.showing, 3, "the idle prompt")
    ui.tap(ui.bar.ids.urgent)
    assert app.sm.current == "urgent" and not app.idle_prompt.showing
    assert app.lang == "en"              # urgent help keeps the visit: Back returns to the topic
    ui.tap(ui.bar.ids.back)
    assert app.sm.current == "category"

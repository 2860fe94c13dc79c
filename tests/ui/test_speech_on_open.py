"""With speech on, a screen that opens says what a visitor who cannot read it needs to choose:
home every topic with its count, a category every service's name and status, the search
results (back on the search screen), a service its name, status, phone, where to go and what
to take away, then how to hear the whole screen. (Before, each said its first three lines:
home one topic, a category no service, a service not its phone.)"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui

REST = "To hear the whole screen, touch Listen, or press five."


def listen(ui):
    button = ui.bar.ids.listen if ui.screen.top_bar else ui.screen.ids.listen
    ui.tap(button)
    return ui.app.speech.last_text


def said(ui) -> list[str]:
    ui.pump(2)
    return ui.app.speech.last_text.splitlines()


def test_home_says_every_topic_with_its_count(ui):
    listen(ui)                                  # speech on, on the welcome screen
    ui.tap(ui.button("English"))
    assert ui.app.sm.current == "home"
    assert said(ui) == ["How can we help you?", "Or choose a topic:", "Children and family. three services.",
                        "Housing. two services.", "Elderly. one service."]


def test_a_touched_topic_opens_saying_its_name_and_every_service(ui):
    listen(ui)
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Children and family"))
    assert ui.app.sm.current == "category"
    # the touched topic's name first, its narrower topic (a button above the list), then each
    # service (providers left for Listen)
    assert said(ui) == ["Children and family.", "Narrower topics:", "Nurseries. one service.",
                        "three services.", "Help line. Open now.",
                        "Legal advice for families. Closed for today.", "Municipal nursery. Open now.", REST]
    listen(ui)
    whole = said(ui)
    assert "Municipal nursery. Municipal Social Centre. Open now." in whole and REST not in whole


def test_a_touched_service_opens_saying_how_to_reach_it_and_take_it_away(ui):
    listen(ui)
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Children and family"))
    ui.tap(ui.button("Nurseries  (1)"))
    ui.tap(ui.row("Municipal nursery"))
    assert ui.app.sm.current == "service"
    lines = said(ui)
    assert lines[:3] == ["Municipal nursery.", "Open until four PM.",
                         "Phone: plus three five five, five four, one one one, two two two."]
    assert lines[3] == "Where to go." and "Sheshi Qemal Stafa" in lines[5]
    assert lines[6].startswith("Take it with you: Save contact") and lines[-1] == REST
    assert "About this service." not in lines and "Provided by." not in lines
    assert "Take it with you:" in " ".join(lines)


def test_back_on_the_search_screen_says_its_results(ui):
    listen(ui)
    ui.tap(ui.button("English"))
    ui.type_search("nurs")                      # from home: its search field, then the keys
    assert ui.app.sm.current == "search" and ui.screen.state == "results"
    ui.tap(ui.row("Municipal nursery"))
    assert ui.app.sm.current == "service"
    ui.app.go_back()
    ui.settle()
    assert ui.app.sm.current == "search"
    assert said(ui) == ["Search results for nurs.", "one result.", "Municipal nursery. Open now.", REST]

"""The idle reset and a visitor who listens: no "are you still there?" while the kiosk reads
(it cut off Listen before the phone number came), the touch that answers the question does
nothing else, and the welcome after Listen goes straight to what it has to say.

Real window under Xvfb, real espeak-ng; where a reading must last, audio goes to a player that
takes it at a sound card's pace (tests/speech/paced_sink.py). The idle clock is the app's fake
one, which the test moves.
"""
from __future__ import annotations

import pytest

from kiosk.speech.keys import KEYCODES
from kiosk.ui.idle import IdleWatcher

pytestmark = pytest.mark.ui

HOW_TO_LISTEN = ("Për të dëgjuar, shtypni çdo tast të tastierës, ose prekni Dëgjo.",
                 "To listen, press any key on the keypad, or touch Listen.")
KEYS = ("Në tastierë, shtypni dy për elementin tjetër", "On the keypad, press two for the next item")


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_the_watcher_does_not_count_while_speech_plays():
    clock, events, speaking = Clock(), [], [True]
    watcher = IdleWatcher(90, 10, now=clock, on_prompt=lambda r: events.append("prompt"),
                          on_reset=lambda: events.append("reset"), busy=lambda: speaking[0])
    watcher.enable(True)
    for _ in range(4):                 # four minutes of a service page read aloud
        clock.t += 60
        watcher.tick()
    assert events == [] and not watcher.prompting
    speaking[0] = False                # the reading ends: the countdown starts from zero
    watcher.tick()
    clock.t += 89.9
    watcher.tick()
    assert events == []
    clock.t += 0.2
    watcher.tick()
    assert events == ["prompt"]
    speaking[0] = True                 # the question itself is said: it still counts down
    clock.t += 10
    watcher.tick()
    assert events == ["prompt", "reset"]


def test_a_reading_holds_the_countdown_for_ten_minutes_at_most():
    """A sound device that never finishes must not keep a page up for ever."""
    clock, events = Clock(), []
    watcher = IdleWatcher(90, 10, now=clock, on_prompt=lambda r: events.append("prompt"),
                          busy=lambda: True, max_hold=600)
    watcher.enable(True)
    watcher.tick()                     # speech plays from here...
    clock.t += 599
    watcher.tick()
    clock.t += 2
    watcher.tick()                     # ...and has held it for ten minutes: no longer
    clock.t += 87
    watcher.tick()
    assert events == []
    clock.t += 1
    watcher.tick()
    assert events == ["prompt"]
    watcher.activity()                 # a touch: the next reading may hold it again
    clock.t += 300
    watcher.tick()
    assert events == ["prompt"]


def open_prompt(ui):
    prompt = ui.app.idle_prompt
    return prompt if prompt is not None and prompt.showing else None


def listen(ui) -> str:
    button = ui.bar.ids.listen if ui.screen.top_bar else ui.screen.ids.listen
    ui.tap(button)
    return ui.app.speech.last_text


def test_no_idle_question_while_a_page_is_read_aloud(ui, paced):
    app, speech, clock = ui.app, ui.app.speech, ui.clock
    list(ui.visit("service"))
    listen(ui)
    ui.wait_until(lambda: paced.status().speaking and paced.latencies, 10, "the reading to start")
    # Minutes without a touch while the page is read: nobody asks "are you still there?"
    clock.advance(95)
    ui.run_for(0.6)
    assert open_prompt(ui) is None and speech.reading_aloud()
    clock.advance(300)
    ui.run_for(0.6)
    assert open_prompt(ui) is None and paced.status().speaking and app.sm.current == "service"

    # Paused, the reading holds nothing: a visitor who paused and left is still forgotten.
    ui.tap(ui.bar.ids.speech_bar.ids.pause, settle=False)
    assert paced.status().paused and not speech.reading_aloud()
    clock.advance(89)
    ui.run_for(0.6)
    assert open_prompt(ui) is None
    clock.advance(2)
    ui.wait_until(lambda: open_prompt(ui) is not None, 3, "the idle prompt")
    # the question is said, and counts down while it is said
    assert speech.last_text.startswith("Are you still there?")
    clock.advance(10)
    ui.wait_until(lambda: app.sm.current == "welcome", 3, "the reset")
    assert not speech.on and not paced.status().speaking


def test_a_stopped_reading_counts_down_from_zero_and_quick_exit_acts_at_once(ui, paced):
    app, speech, clock = ui.app, ui.app.speech, ui.clock
    list(ui.visit("service"))
    listen(ui)
    ui.wait_until(lambda: paced.status().speaking and paced.latencies, 10, "the reading to start")
    clock.advance(200)
    ui.run_for(0.6)
    assert open_prompt(ui) is None
    # Stopped (the keypad's pause key is not a stop; speech off is): from zero, 90 s
    ui.tap(ui.bar.ids.speech_bar.ids.off, settle=False)
    ui.wait_until(lambda: not paced.status().speaking, 2, "silence")
    ui.run_for(0.3)
    clock.advance(89)
    ui.run_for(0.6)
    assert open_prompt(ui) is None
    clock.advance(2)
    ui.wait_until(lambda: open_prompt(ui) is not None, 3, "the idle prompt")
    ui.tap(open_prompt(ui).ids.stay, settle=False)
    ui.run_for(0.4)

    # Reading again, the quick exit still leaves at once, in silence.
    listen(ui)
    ui.wait_until(lambda: paced.status().speaking, 10, "the reading to start")
    clock.advance(120)
    ui.run_for(0.3)
    ui.tap(ui.bar.ids.quick_exit, settle=False)
    ui.pump(2)
    assert app.sm.current == "welcome" and not speech.on
    ui.wait_until(lambda: not paced.status().speaking, 2, "silence")


def test_the_touch_that_answers_the_question_says_nothing_of_the_card_below(ui):
    app, speech, clock = ui.app, ui.app.speech, ui.clock
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Housing"))
    listen(ui)
    ui.wait_until(lambda: not speech.reading_aloud(), 30, "the reading to end")
    clock.advance(95)
    ui.wait_until(lambda: open_prompt(ui) is not None, 3, "the idle prompt")
    ui.run_for(0.3)
    assert speech.last_text.startswith("Are you still there?")
    said, question = speech.said, speech.last_text
    # a button of the top bar, outside the question's box, that says itself when touched
    contrast = ui.button("Contrast", root=ui.bar)
    box = open_prompt(ui).ids.box
    x, y = ui.center_of(contrast)
    bx, by = box.to_window(box.x, box.y)
    assert not (bx <= x <= bx + box.width and by <= y <= by + box.height), "the button is under the question"
    ui.tap_at(x, y)
    ui.run_for(0.5)
    assert open_prompt(ui) is None and app.sm.current == "category"
    assert speech.said == said and speech.last_text == question, speech.last_text
    # the next touch on it is an ordinary touch: it says the button (and presses it)
    ui.tap_at(x, y)
    ui.run_for(0.5)
    assert speech.said == said + 1 and speech.last_text == "Contrast, button"
    ui.tap_at(x, y)


def test_the_welcome_after_listen_skips_how_to_listen_and_the_keys(ui):
    speech = ui.app.speech
    text = listen(ui)                              # on the welcome screen, Listen touched
    lines = text.splitlines()
    assert speech.way_in == "touch"
    assert "Prekni ekranin për të filluar." in lines and "Touch the screen to start." in lines
    assert not set(HOW_TO_LISTEN) & set(lines)
    assert not any(line.startswith(KEYS) for line in lines)
    assert lines[4] == "Social Services Information Centre."      # English, fifth line
    ui.go_welcome()

    # a visitor whose way in is the keypad: the keys stay, how to listen goes
    said = speech.said
    assert ui.key(KEYCODES["numpad2"]) is True
    ui.settle()
    assert speech.said == said + 1 and speech.way_in == "keypad"
    lines = speech.last_text.splitlines()
    assert not set(HOW_TO_LISTEN) & set(lines)
    assert sum(line.startswith(KEYS) for line in lines) == 2

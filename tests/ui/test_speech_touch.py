"""Speech on the touch screen: Listen, cards read when touched, every touch interrupts, the
controls (pause, repeat, speed, volume), the idle reset, and speech never blocking a frame.

The engine is the real espeak-ng; its audio goes to ALSA's null device, or, where speech must
last, to a player that takes audio at a sound card's pace (tests/speech/paced_sink.py).
"""
from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui



def listen(ui):
    """Touch the Listen button of the screen on show."""
    button = ui.bar.ids.listen if ui.screen.top_bar else ui.screen.ids.listen
    ui.tap(button)
    return ui.app.speech.last_text


def test_listen_reads_the_screen_and_a_touched_card(ui):
    app, speech = ui.app, ui.app.speech
    assert not speech.on and ui.screen.ids.speech_bar.opacity == 0
    text = listen(ui)                                        # on the welcome screen
    assert speech.on and ui.screen.ids.speech_bar.opacity == 1
    assert "Touch the screen to start." in text and "Prekni ekranin për të filluar." in text
    ui.tap(ui.button("English"))
    # opening home says its heading and every topic (tests/ui/test_speech_on_open.py)
    assert app.sm.current == "home" and speech.last_text.startswith("How can we help you?\n")
    assert len(speech.last_text.splitlines()) == 2 + len(app.reads.categories("en"))
    ui.tap(ui.button("Children and family"))
    ui.tap(ui.button("Nurseries  (1)"))
    ui.tap(ui.row("Municipal nursery"))
    assert app.sm.current == "service"
    text = listen(ui)                                        # the whole service
    assert text.startswith("Municipal nursery.\n") and "Provided by." in text
    # touching a card says that card
    from kiosk.ui.widgets import SectionCard

    card = next(c for c in ui.find_all(ui.screen, cls=SectionCard) if c.title == "About this service")
    ui.tap(card)
    ui.pump(2)
    assert speech.last_text.splitlines()[0] == "About this service."
    assert len(speech.last_text.splitlines()) >= 2
    # touching a button that stays on the page says the button
    ui.tap(ui.button("Contrast", root=ui.bar))
    ui.pump(2)
    assert speech.last_text == "Contrast, button"
    ui.tap(ui.button("Contrast", root=ui.bar))


def test_the_speech_controls_by_touch(ui, paced):
    app, speech = ui.app, ui.app.speech
    ui.tap(ui.button("Shqip"))
    text = listen(ui)
    assert text.startswith("Si mund t'ju ndihmojmë?")
    bar = ui.bar.ids.speech_bar
    ui.wait_until(lambda: speech.speaking and paced.latencies, timeout=10, what="speech to start")
    ui.tap(bar.ids.pause, settle=False)
    assert speech.paused and bar.ids.pause.speech_label == "Vazhdo" and paced.status().paused
    ui.tap(bar.ids.pause, settle=False)
    assert not speech.paused and not paced.status().paused
    said = speech.said
    ui.tap(bar.ids.louder, settle=False)
    assert speech.volume == 3 and paced.status().volume == 3 and bar.ids.volume.text == "Volumi\n4/5"
    assert speech.last_text == "Volumi katër nga pesë." and speech.said == said + 1
    ui.tap(bar.ids.slower, settle=False)
    assert speech.rate == 0 and paced.status().rate == 0 and bar.ids.slower.disabled
    assert bar.ids.rate.text == "Shpejtësia\n1/3"
    ui.tap(bar.ids.repeat, settle=False)
    assert speech.last_text == "Shpejtësia një nga tre."
    ui.tap(bar.ids.off, settle=False)
    assert not speech.on and bar.opacity == 0
    ui.wait_until(lambda: not paced.status().speaking, timeout=2, what="silence")
    # the idle reset puts speech, rate and volume back to the defaults
    listen(ui)
    app.reset_session()
    ui.settle()
    assert (speech.on, speech.rate, speech.volume) == (False, 1, 2)
    assert (paced.status().rate, paced.status().volume, paced.status().speaking) == (1, 2, False)


def test_a_touch_during_long_speech_is_handled_within_two_frames(ui, paced, monkeypatch, request):
    """Speech runs off the main thread: the service page, read whole (about two minutes of
    audio at a sound card's pace), never holds a frame, and a touch interrupts it at once."""
    app, speech = ui.app, ui.app.speech
    # A frame's buffer swap is llvmpipe drawing it on this machine's CPU: 30 ms when quiet, half a
    # second when other tests share the cores. It is timed apart, so a frame's own work is read.
    swaps = []
    flip = ui.window.flip

    def timed_flip():
        started = time.perf_counter()
        flip()
        swaps.append(time.perf_counter() - started)

    monkeypatch.setattr(ui.window, "flip", timed_flip)
    # A garbage collection is timed apart too: the full one the kiosk makes once the visitor has
    # paused on a complete page (kiosk.ui.collector) walks every test's objects in this worker
    # and took 0.76 s in CI. It is the collector's pause, not speech's, and has tests of its own.
    collecting, collections = [], []

    def timed_collection(phase, _info):
        if phase == "start":
            collecting.append(time.perf_counter())
        elif collecting:
            collections.append(time.perf_counter() - collecting.pop())

    gc.callbacks.append(timed_collection)         # gc reads its own list, not the attribute
    request.addfinalizer(lambda: gc.callbacks.remove(timed_collection))
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Children and family"))
    ui.tap(ui.button("Nurseries  (1)"))
    ui.tap(ui.row("Municipal nursery"))
    listen(ui)
    ui.wait_until(lambda: paced.latencies and paced.status().speaking, timeout=10, what="speech")
    frames = []
    for _ in range(10):               # frames while it speaks, less buffer swap and collection
        swaps.clear()
        collections.clear()
        started = time.perf_counter()
        ui.pump(1)
        frames.append(time.perf_counter() - started - sum(swaps) - sum(collections))
    assert paced.status().speaking
    back = ui.bar.ids.back
    x, y = ui.center_of(back)
    touch = ui.touch_down(x, y)
    ui.pump(1)
    assert not paced.status().speaking        # the touch itself stopped speech
    ui.touch_up(touch)
    ui.pump(1)                                # the frame after the finger lifts
    assert app.sm.current == "category"
    ui.settle()
    assert speech.last_text.startswith("Nurseries.")
    # no frame waited for speech: each did its few milliseconds of work (speech that ran in the
    # frame would hold it for a sentence's synthesis at least, or for the whole two minutes)
    assert max(frames) < 0.25, frames


def test_no_other_sound_is_played():
    """EN 301 549 5.1.3.10: nothing in the kiosk plays sound but the speech engine."""
    root = Path(__file__).resolve().parents[2] / "kiosk"
    players = ("SoundLoader", "kivy.core.audio", "paplay", "playsound", "simpleaudio",
               "sounddevice", "pygame.mixer", "ffpyplayer")
    found = []
    for path in root.rglob("*.py"):
        if path.parent.name == "speech":
            continue                      # the engine: the one voice
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(root)}: {word}" for word in players if word in text]
        # kiosk doctor lists the sound cards (aplay -l) and plays nothing
        if text.replace('["aplay", "-l"]', "").count('"aplay"'):
            found.append(f"{path.relative_to(root)}: aplay")
    assert found == [], found


def test_a_report_says_thank_you_and_the_touched_button_does_not_cut_it_off(ui):
    app, speech = ui.app, ui.app.speech
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Children and family"))
    ui.tap(ui.row("Municipal nursery"))
    listen(ui)
    ui.tap(ui.button("Report a mistake"))
    assert app.sm.current == "report"
    ui.tap(ui.button("The phone does not answer"))
    ui.pump(3)
    assert ui.screen.done
    assert speech.last_text == "Thank you!\nThe staff of the centre will check this information."
    speech.turn_off()

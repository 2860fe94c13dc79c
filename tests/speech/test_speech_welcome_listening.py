"""The welcome read to a visitor who is already listening: nothing of how to listen, and the
keys only for one whose way in is the keypad, so the next language is not kept waiting."""
from __future__ import annotations

from kiosk.speech import screens
from kiosk.speech.engine import EspeakEngine


def test_the_welcome_does_not_tell_a_listener_how_to_listen():
    def said(listening):
        return [p.text for p in screens.welcome(["sq", "en"], listening=listening)]

    how = {"Për të dëgjuar, shtypni çdo tast të tastierës, ose prekni Dëgjo.",
           "To listen, press any key on the keypad, or touch Listen."}
    everything, touch, keypad = said(""), said(screens.BY_TOUCH), said(screens.BY_KEYPAD)
    assert how <= set(everything)
    # Listen was touched: nothing of how to listen or of the keys; English comes fifth
    assert not how & set(touch) and not any("keypad" in t or "tastierë" in t for t in touch)
    assert touch[4] == "Social Services Information Centre."
    # a key was pressed: the keys stay, the keypad is their way in
    assert not how & set(keypad)
    assert any(t.startswith("Në tastierë, shtypni dy") for t in keypad)
    assert any(t.startswith("On the keypad, press two") for t in keypad)


def test_english_starts_sooner_in_the_welcome_after_listen(espeak):
    engine = EspeakEngine(probe=False).probe_voices()

    def seconds(parts):
        rate, pcm = engine.synthesise(parts)
        return len(pcm) / 2 / rate

    def albanian_block(listening):
        return [p for p in screens.welcome(["sq", "en"], listening=listening) if p.lang == "sq"]

    before, after = seconds(albanian_block("")), seconds(albanian_block(screens.BY_TOUCH))
    assert after < 16 < before, (before, after)

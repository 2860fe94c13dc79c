"""The keypad's key map, the focus ring it moves, and what each key says."""
from __future__ import annotations

import re

import pytest

from kiosk.speech import keypad as kp


def test_default_keys_of_a_numeric_keypad_and_the_arrows():
    keys = kp.KeyMap()
    expected = {"numpad8": kp.UP, "up": kp.UP, "numpad2": kp.DOWN, "down": kp.DOWN,
                "numpad5": kp.ACTIVATE, "numpadenter": kp.ACTIVATE, "enter": kp.ACTIVATE,
                "numpad0": kp.BACK, "backspace": kp.BACK, "numpaddecimal": kp.HELP,
                "numpadadd": kp.LOUDER, "numpadsubstract": kp.SOFTER, "numpadmul": kp.FASTER,
                "numpaddivide": kp.SLOWER, "numpad7": kp.REPEAT, "numpad9": kp.PAUSE}
    for name, action in expected.items():
        assert keys.action(name) == action
        assert keys.action(kp.KEYCODES[name]) == action      # Kivy's keycode as well
    assert keys.action(97) is None and keys.action("escape") is None
    assert keys.is_keypad_key(264) and not keys.is_keypad_key(97)


def test_configured_keys_replace_an_action_and_bad_ones_are_refused():
    keys = kp.KeyMap({"help": ["f1"], "home": ["pageup"]})
    assert keys.action("f1") == kp.HELP and keys.action("numpaddecimal") is None
    assert keys.action("pageup") == kp.HOME
    with pytest.raises(kp.KeyMapError, match="unknown keypad action"):
        kp.KeyMap({"jump": ["f1"]})
    with pytest.raises(kp.KeyMapError, match="unknown key"):
        kp.KeyMap({"help": ["hyper"]})
    with pytest.raises(kp.KeyMapError, match="both"):
        kp.KeyMap({"help": ["numpad8"]})


def items(*labels):
    return [kp.FocusItem(f"id{i}", label) for i, label in enumerate(labels)]


def test_focus_ring_moves_stops_at_the_ends_and_keeps_focus_on_refresh():
    ring = kp.FocusRing(items("Shqip", "English", "Kontrasti"))
    assert ring.focused is None
    assert ring.move(+1).item.label == "Shqip"
    assert ring.move(+1).item.label == "English"
    assert ring.move(+1).item.label == "Kontrasti"
    end = ring.move(+1)
    assert end.edge and end.item.label == "Kontrasti"         # stops, says so
    assert kp.announce(end, "sq", +1).text == "Fundi i listës."
    assert ring.move(-1).item.label == "English"
    ring.set_items(items("Shqip", "English", "Kontrasti", "Ndihmë"))
    assert ring.focused.label == "English"
    ring.set_items(items("Other"))
    assert ring.focused is None and ring.move(-1).item.label == "Other"
    assert kp.announce(ring.move(-1), "en", -1).text == "Top of the list."
    assert ring.focus("id0").label == "Other" and ring.activate().id == "id0"
    assert kp.FocusRing().move(1) == kp.Move(None, True)


def test_focused_items_are_announced_with_their_role_for_the_ear():
    assert kp.announce(kp.FocusItem("p", "Printo"), "sq").text == "Printo, buton"
    assert kp.announce(kp.FocusItem("p", "Print"), "en").text == "Print, button"
    assert kp.announce(kp.FocusItem("c", "Open until 16:00.", "text"), "en").text == \
        "Open until four PM"
    assert kp.announce(kp.FocusItem("k", "A", "key"), "sq").text == "A, tast"


@pytest.mark.parametrize("lang", ("sq", "en"))
def test_the_staff_pin_is_never_spoken(lang):
    texts = [kp.masked_entry(n, lang).text for n in range(1, 9)]
    texts += [kp.masked_entry(n, lang, deleted=True).text for n in range(0, 8)]
    for text in texts:
        assert not re.search(r"\d", text)
    assert texts[0] == {"sq": "U fut një shifër. një shifër.", "en": "Digit entered. one digit."}[lang]
    assert "4" not in kp.masked_entry(4, lang).text


def test_control_feedback():
    assert kp.volume_feedback(2, 5, "sq").text == "Volumi tre nga pesë."
    assert kp.speed_feedback(0, 3, "en").text == "Speed one of three."
    assert kp.paused("sq").text == "Në pauzë."

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


def test_4_6_and_left_right_jump_by_section_and_can_be_given_other_keys():
    keys = kp.KeyMap()
    for name, action in {"numpad4": kp.PREVIOUS_SECTION, "left": kp.PREVIOUS_SECTION,
                         "numpad6": kp.NEXT_SECTION, "right": kp.NEXT_SECTION}.items():
        assert keys.action(name) == action and keys.action(kp.KEYCODES[name]) == action
    moved = kp.KeyMap({"next_section": ["pagedown"], "previous_section": ["pageup"]})
    assert moved.action("pagedown") == kp.NEXT_SECTION and moved.action("numpad6") is None
    # a config written before 4 and 6 jumped still starts: its key leaves the section key's
    # defaults, which keep the arrow; Up's and Back's keys are never taken (test above)
    older = kp.KeyMap({"repeat": ["numpad4"]})
    assert older.action("numpad4") == kp.REPEAT and older.action("numpad7") is None
    assert older.action("left") == kp.PREVIOUS_SECTION and older.names(kp.PREVIOUS_SECTION) == ("left",)
    with pytest.raises(kp.KeyMapError, match="both") as refused:
        kp.KeyMap({"repeat": ["numpad6"], "next_section": ["numpad6"]})   # given twice by the config
    assert refused.value.kind == "twice" and {refused.value.facts["first"], refused.value.facts["second"]} == {
        "repeat", "next_section"}
    with pytest.raises(kp.KeyMapError, match="unknown key"):
        kp.KeyMap({"next_section": ["hyper"]})
    with pytest.raises(kp.KeyMapError, match="unknown keypad action"):
        kp.KeyMap({"next_part": ["numpad3"]})


def sectioned():
    """The search screen's ring: three keys, two results (a service, an organization), a bar."""
    items = [kp.FocusItem(f"k{i}", label, "key", section="kb") for i, label in enumerate("ABC")]
    items += [kp.FocusItem("r1", "Çerdhe", "link", section="res"), kp.FocusItem("r2", "Qendra", "link", section="res"),
              kp.FocusItem("alone", "Shfleto temat"),
              kp.FocusItem("b1", "Kthehu", section="bar"), kp.FocusItem("b2", "Kreu", section="bar")]
    sections = [kp.Section("kb", "keyboard", counts=(("key", 3),)),
                kp.Section("res", "results", counts=(("service", 1), ("organization", 1))),
                kp.Section("bar", "bar", counts=(("button", 2),))]
    return kp.FocusRing(items, sections)


def test_a_jump_lands_on_the_first_item_of_the_next_section_and_stops_at_the_ends():
    ring = sectioned()
    assert ring.jump(+1).item.id == "k0"                  # nothing focused: the first section
    ring.focus("k2")
    move = ring.jump(+1)
    assert move.item.id == "r1" and not move.edge and move.section.kind == "results"
    assert [p.text for p in kp.announce_jump(move, "sq", +1)] == [
        "Rezultatet, një shërbim dhe një organizatë", "Çerdhe, lidhje"]
    assert [p.text for p in kp.announce_jump(move, "en", +1)] == [
        "Results, one service and one organization", "Çerdhe, link"]
    ring.focus("r2")
    move = ring.jump(+1)                                  # an item of no section is one by itself
    assert move.item.id == "alone" and kp.announce_jump(move, "en", +1)[0].text == "Shfleto temat, button"
    assert ring.jump(+1).item.id == "b1"
    end = ring.jump(+1)
    assert end.edge and ring.focused.id == "b1"           # stays, and says so: no silent wrap
    assert [p.text for p in kp.announce_jump(end, "sq", +1)] == ["Kjo është pjesa e fundit e ekranit."]
    assert ring.jump(-1).item.id == "alone" and ring.jump(-1).item.id == "r1"
    ring.focus("k1")
    start = ring.jump(-1)
    assert start.edge and ring.focused.id == "k1"
    assert kp.announce_jump(start, "en", -1)[0].text == "This is the first part of the screen."
    assert kp.announce_jump(ring.jump(+1), "sq", +1)[0].text == "Rezultatet, një shërbim dhe një organizatë"
    assert kp.FocusRing().jump(1) == kp.Move(None, True)
    # the first jump backwards goes to the last section
    assert kp.FocusRing(*[sectioned().items, sectioned().sections.values()]).jump(-1).item.id == "b1"


@pytest.mark.parametrize("lang, keyboard, bar, card", [
    ("sq", "Tastiera e ekranit, dyzet e tre taste", "Shiriti i sipërm, dhjetë butona", "Karta dy nga tre."),
    ("en", "Keyboard, forty-three keys", "Top bar, ten buttons", "Card two of three."),
])
def test_a_section_says_its_name_and_size_and_a_card_its_place(lang, keyboard, bar, card):
    assert kp.announce_section(kp.Section("k", "keyboard", counts=(("key", 43),)), lang).text == keyboard
    assert kp.announce_section(kp.Section("b", "bar", counts=(("button", 10),)), lang).text == bar
    assert kp.announce_section(kp.Section("c", "card", "Dokumentet"), lang, (2, 3)).text == card
    assert kp.announce_section(kp.Section("x"), lang) is None      # no name: its item says itself
    ring = kp.FocusRing([kp.FocusItem("a", "A", section="c1"), kp.FocusItem("s", "Kthehu", section="bar"),
                         kp.FocusItem("b", "B", section="c2")],
                        [kp.Section("c1", "card", "Kush"), kp.Section("bar", "bar"), kp.Section("c2", "card", "Ku")])
    assert ring.position(ring.sections["c2"]) == (2, 2)


def test_the_results_hint_names_the_configured_keys():
    assert kp.results_hint(kp.KeyMap(), "sq").text == "Shtypni gjashtë ose shigjetën djathtas për rezultatet."
    assert kp.results_hint(kp.KeyMap(), "en").text == "Press six or the Right arrow for the results."
    assert kp.results_hint(kp.KeyMap(), "en", -1).text == "Press four or the Left arrow for the results."
    moved = kp.KeyMap({"next_section": ["pagedown", "numpad3"]})
    assert kp.results_hint(moved, "sq").text == "Shtypni tre ose tastin Page Down për rezultatet."
    assert kp.key_names(moved, kp.NEXT_SECTION, "en") == "3 or the Page Down key"
    assert kp.key_names(kp.KeyMap({"next_section": ["f1"], "help": ["numpaddecimal"]}), kp.NEXT_SECTION,
                        "sq") == "tastin F1"


def test_a_key_is_named_once_and_the_keypads_digit_first():
    """Enter and the keypad's Enter are one "Enter key" to a listener; the digit comes first."""
    assert kp.key_names(kp.KeyMap(), kp.ACTIVATE, "en") == "5 or the Enter key"
    assert kp.key_names(kp.KeyMap(), kp.ACTIVATE, "sq") == "5 ose tastin Enter"
    assert kp.key_names(kp.KeyMap(), kp.ACTIVATE, "en", limit=1) == "5"
    assert kp.key_names(kp.KeyMap({"activate": ["enter", "numpadenter"]}), kp.ACTIVATE, "en") == "the Enter key"
    assert kp.key_names(kp.KeyMap(), kp.HELP, "en") == "the dot key or the F1 key"
    assert kp.key_names(kp.KeyMap({"repeat": []}), kp.REPEAT, "en") == ""


def test_3_is_the_quick_exit_and_a_config_that_gave_3_away_still_starts():
    from kiosk.speech.keys import KeyMap, QUICK_EXIT as ACTION

    keymap = KeyMap({"pause": ["numpad3"]})
    assert keymap.action("numpad3") == "pause" and keymap.names(ACTION) == ()
    assert KeyMap().action("numpad3") == ACTION
    assert KeyMap({"quick_exit": ["numpad3", "escape"]}).action("escape") == ACTION

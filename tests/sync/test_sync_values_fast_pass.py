"""The value step's fast pass never misses what its second pass would say.

``check_values`` walks a feed twice only when its fast pass (``_suspect``) finds something worth
a closer look; a fast pass that says "nothing here" wrongly would let a control character, an
override, a bad address or an unknown field through unchecked. Here hostile values are put at
random places of a real feed, and whatever the second pass alone finds, the fast pass must
have flagged.
"""
from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synclib import clean_feed

from sync.feed import values
from sync.feed.values import DEFAULT_LIMITS, Limits

HOSTILE_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["A\x00B", "\x1b[31m", "x\u202ey", "zero\u200bwidth", "\ufeffbom", "\ud800",
                     "\uffff", "javascript:alert(1)", "http://example.org/", "www.example.org",
                     "https://bashkiaelbasan.gov.al/", "tel:+35554111222", "n" * 501, "x" * 20_001,
                     "Familja 👩\u200d👩\u200d👧", "Emër " + "shumë i gjatë " * 12]),
)
KEYS = st.sampled_from(["name", "description", "url", "website", "logo", "x_icon_url", "email", "id",
                        "uri", "x_translations", "pc_target_audience", "k" * 65, "bad\x00key",
                        "x\u202ekey", "notes", "number"])
VALUES = st.recursive(
    st.one_of(HOSTILE_TEXT, st.integers(), st.booleans(), st.none(),
              st.floats(allow_nan=True, allow_infinity=False)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)),
    max_leaves=8,
)


def _second_pass_alone(doc, limits: Limits):
    """What check_values finds when the fast pass is told there is always something to see."""
    real = values._suspect
    values._suspect = lambda *args: True
    try:
        return values.check_values(doc, limits)
    finally:
        values._suspect = real


def _places(doc):
    """Dicts of the feed a value may be put in, with the path to them."""
    svc = doc["services"][0]
    return [doc, svc, svc["organization"], svc["phones"][0], svc["service_at_locations"][0]["location"],
            svc["required_documents"][0], doc["taxonomy_terms"][0],
            svc.setdefault("x_translations", {}).setdefault("en", {})]


FEED = clean_feed(2)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(place=st.integers(0, 7), key=KEYS, value=VALUES)
def test_the_fast_pass_flags_whatever_the_second_pass_finds(place, key, value):
    doc = copy.deepcopy(FEED)
    _places(doc)[place][key] = value
    findings = _second_pass_alone(copy.deepcopy(doc), DEFAULT_LIMITS)
    if len(findings):
        assert values._suspect(doc, "", 0, DEFAULT_LIMITS, values.known_keys()), list(findings)


def test_a_clean_feed_is_not_suspect():
    assert not values._suspect(copy.deepcopy(FEED), "", 0, DEFAULT_LIMITS, values.known_keys())
    assert len(values.check_values(copy.deepcopy(FEED))) == 0


@pytest.mark.parametrize("limits", [Limits(max_depth=4), Limits(max_list_items=1), Limits(max_key_chars=3),
                                    Limits(max_text_chars=10, max_short_chars=5)])
def test_tighter_limits_are_seen_by_the_fast_pass(limits):
    doc = copy.deepcopy(FEED)
    assert len(_second_pass_alone(copy.deepcopy(doc), limits))
    assert values._suspect(doc, "", 0, limits, values.known_keys())


def test_a_key_seen_in_translations_is_still_judged_as_a_field():
    """Inside translations any field name passes (languages and fields); the same name outside
    them must still be a known field."""
    doc = copy.deepcopy(FEED)
    doc["services"][0]["x_translations"] = {"en": {"pc_target_audience": "Adults"}}
    doc["services"][1]["pc_target_audience"] = "Adults"
    assert values._suspect(doc, "", 0, DEFAULT_LIMITS, values.known_keys())
    assert any(f.code == "unknown_field" for f in _second_pass_alone(copy.deepcopy(doc), DEFAULT_LIMITS))

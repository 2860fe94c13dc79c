"""The wire contract: what a server accepts, what it refuses before it costs memory, and that kiosks
and servers of different versions keep talking (unknown fields ignored)."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from sync.feed import telemetry as t

REPORT = {"id": "0b7f5c1e-2d4a-4c3b-9e8f-1a2b3c4d5e6f", "subject": "service",
          "subject_id": "6f1c2b9e-1111-4222-8333-444455556666", "reason": "phone",
          "catalogue_version": 12, "hour": "2026-03-02T09:00:00Z"}
HOUR = {"id": "2026-03-02T09Z/0a1b2c3d", "hour": "2026-03-02T09:00:00Z",
        "counts": {"category:strehim": 3, "visit": 2, "visit:1-3m": 2}, "unmet_searches": {"bono ###": 3}}


def letters(i: int) -> str:
    """Three letters for ``i`` (terms may not carry digits)."""
    return chr(97 + i % 26) + chr(97 + i // 26 % 26) + chr(97 + i // 676 % 26)


def body(**payload) -> bytes:
    return json.dumps(payload).encode()


def test_a_good_post_parses_and_round_trips():
    post = t.parse_usage(body(hours=[HOUR]))
    assert post.hours[0].counts == HOUR["counts"] and post.hours[0].span == "hour"
    assert t.parse_usage(t.encode(post)) == post
    reports = t.parse_reports(body(reports=[REPORT]))
    assert str(reports.reports[0].id) == REPORT["id"]
    assert json.loads(t.encode(reports))["reports"][0]["hour"] == "2026-03-02T09:00:00Z"


def test_unknown_fields_are_ignored_both_ways():
    newer = dict(HOUR, screen_sizes={"big": 1}, counts=dict(HOUR["counts"]))
    post = t.parse_usage(body(hours=[newer], kiosk_build="2027.1"))
    assert "screen_sizes" not in t.encode(post).decode()
    answer = t.parse_accepted(body(accepted=["a"], duplicates=["a"]))
    assert answer.accepted == ["a"]


def test_the_hour_is_cut_to_the_hour_and_must_carry_its_zone():
    post = t.parse_reports(body(reports=[dict(REPORT, hour="2026-03-02T10:41:07.5+01:00")]))
    assert post.reports[0].hour == datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    assert post.reports[0].hour.minute == 0
    with pytest.raises(t.TelemetryError, match="time zone"):
        t.parse_reports(body(reports=[dict(REPORT, hour="2026-03-02T10:00:00")]))


@pytest.mark.parametrize("change", [
    {"subject": "person"}, {"reason": "rude"}, {"subject_id": "not-a-uuid"},
    {"catalogue_version": -1}, {"catalogue_version": True}, {"catalogue_version": "12"},
])
def test_bad_reports_are_refused(change):
    with pytest.raises(t.TelemetryError) as err:
        t.parse_reports(body(reports=[dict(REPORT, **change)]))
    assert err.value.code == "invalid"


@pytest.mark.parametrize("change", [
    {"counts": {"visit": -1}}, {"counts": {"visit": 1.5}}, {"counts": {"visit": True}},
    {"counts": {"visit": t.MAX_COUNT + 1}}, {"counts": {"Visit": 1}}, {"counts": {"visit\n": 1}},
    {"counts": {"service:" + "x" * t.MAX_KEY_LENGTH: 1}}, {"counts": {"service id": 1}},
    {"unmet_searches": {"bono 123": 3}}, {"unmet_searches": {" Bono": 3}}, {"unmet_searches": {"bono": 0}},
    {"unmet_searches": {"x" * 41: 3}}, {"id": ""}, {"id": "a b"}, {"id": "x" * 81}, {"span": "week"},
])
def test_bad_hours_are_refused(change):
    with pytest.raises(t.TelemetryError) as err:
        t.parse_usage(body(hours=[dict(HOUR, **change)]))
    assert err.value.code == "invalid"


def test_caps_on_items_and_keys():
    with pytest.raises(t.TelemetryError, match="hours"):
        t.parse_usage(body(hours=[HOUR] * (t.MAX_HOURS_PER_POST + 1)))
    many = {f"service:{i}": 1 for i in range(t.MAX_COUNT_KEYS + 1)}
    with pytest.raises(t.TelemetryError, match="counts"):
        t.parse_usage(body(hours=[dict(HOUR, counts=many)]))
    terms = {"term " + letters(i): 3 for i in range(t.MAX_TERMS + 1)}
    with pytest.raises(t.TelemetryError, match="unmet_searches"):
        t.parse_usage(body(hours=[dict(HOUR, unmet_searches=terms)]))


def test_a_body_over_the_cap_is_refused_before_parsing():
    huge = b"{" + b" " * t.MAX_USAGE_BYTES + b"}"
    with pytest.raises(t.TelemetryError) as err:
        t.parse_usage(huge)
    assert err.value.code == "too_large"
    with pytest.raises(t.TelemetryError):
        t.parse_reports(b"[" * (t.MAX_REPORTS_BYTES + 1))


def test_the_largest_allowed_record_fits_one_post():
    # What the kiosk's store can hold in one record must fit the byte cap of one post.
    key = "service:" + "a" * (t.MAX_KEY_LENGTH - 8)
    counts = {key[:-5] + f"{i:05d}": t.MAX_COUNT for i in range(t.MAX_COUNT_KEYS)}
    terms = {"t" * 37 + letters(i): t.MAX_COUNT for i in range(t.MAX_TERMS)}
    record = dict(HOUR, counts=counts, unmet_searches=terms)
    assert len(body(hours=[record])) < t.MAX_USAGE_BYTES
    parsed = t.parse_usage(body(hours=[record])).hours[0]
    assert len(parsed.counts) == t.MAX_COUNT_KEYS and len(parsed.unmet_searches) == t.MAX_TERMS


@pytest.mark.parametrize("typed, kept", [
    ("  Strehim   Emergjence ", "strehim emergjence"), ("Pension 2026", "pension ####"),
    ("tel ٣٤٥", "tel ###"), ("ç" * 40, "ç" * 40), ("x" * 41, None), ("", None), ("   ", None),
    ("bono\x00", None), ("ZË", "zë"),
])
def test_normalise_term(typed, kept):
    assert t.normalise_term(typed) == kept


def test_valid_count_key():
    assert t.valid_count_key("visit:<1m") and t.valid_count_key("qr:phone") and t.valid_count_key("visit")
    assert not t.valid_count_key("visit\n") and not t.valid_count_key("Visit") and not t.valid_count_key(3)

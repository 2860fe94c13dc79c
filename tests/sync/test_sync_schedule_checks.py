"""Schedules the kiosk cannot show right are said, naming the record and the field (warnings,
never errors), and mended where the warning says so."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from synclib import clean_feed

from sync.feed import document as feedmod
from sync.feed import signing, verify
from sync.feed.findings import MESSAGES

NOW = datetime(2026, 11, 23, 10, tzinfo=timezone.utc)
KEY = signing.generate()
SID = "00000000-0000-4000-8000-0000000000aa"


def checked(schedule, where="service"):
    """The feed with ``schedule`` on its first service (or its first place), verified as a
    kiosk does: (the findings, the schedules left where it was put)."""
    doc = clean_feed(2)
    service = doc["services"][0]
    schedule = dict({"id": SID}, **schedule)
    owner = service if where == "service" else service["service_at_locations"][0]["location"]
    owner["schedules"] = [schedule]
    raw = feedmod.dumps(doc)
    findings = verify.Findings()
    out = verify.verify_feed(raw, signing.sign(raw, KEY).to_text(), [KEY.public.b64], now=NOW,
                             findings=findings)
    out_service = out["services"][0]
    left = out_service if where == "service" else out_service["service_at_locations"][0]["location"]
    assert not findings.errors
    for f in findings:
        assert f.record.id == service["id"] and f.record.kind == "service"
    return findings, left.get("schedules", [])


WEEKLY = {"freq": "WEEKLY", "byday": "MO", "opens_at": "09:00", "closes_at": "17:00"}


def test_a_plain_weekly_schedule_says_nothing():
    findings, left = checked(WEEKLY)
    assert list(findings) == [] and left[0]["opens_at"] == "09:00"


@pytest.mark.parametrize("opens, closes", [("09:00", "09:00"), ("09:00:00", "09:00"), ("08:00Z", "09:00+01:00")])
def test_opens_equal_to_closes_is_said_and_its_hours_dropped(opens, closes):
    findings, left = checked(dict(WEEKLY, opens_at=opens, closes_at=closes))
    assert [(f.code, f.field) for f in findings] == [("schedule_no_length", "schedules[0].closes_at")]
    assert "opens_at" not in left[0] and "closes_at" not in left[0]
    assert "24 orë" in findings.items[0].message("sq")


@pytest.mark.parametrize("closes", ["00:00", "24:00"])
def test_midnight_to_midnight_is_the_whole_day_and_says_nothing(closes):
    findings, left = checked(dict(WEEKLY, opens_at="00:00", closes_at=closes))
    assert list(findings) == [] and left[0]["closes_at"] == closes


def test_no_freq_and_no_byday_is_said_as_every_day():
    findings, left = checked({"opens_at": "09:00", "closes_at": "17:00"}, where="location")
    assert [(f.code, f.field) for f in findings] == [
        ("schedule_every_day", "service_at_locations[0].location.schedules[0].byday")]
    assert left[0]["opens_at"] == "09:00"      # kept: said, not changed
    assert "çdo ditë" in findings.items[0].message("sq")


@pytest.mark.parametrize("extra, field", [
    ({"interval": 2}, "interval"), ({"count": 3}, "count"), ({"byweekno": "1,2"}, "byweekno"),
    ({"bymonthday": "15"}, "bymonthday"), ({"freq": "MONTHLY"}, "freq"),
    ({"byday": "2MO"}, "byday")])
def test_rules_the_kiosk_does_not_honour_are_said(extra, field):
    findings, left = checked(dict(WEEKLY, **extra))
    assert [(f.code, f.field) for f in findings] == [("schedule_unhonoured", f"schedules[0].{field}")]
    assert "description" in findings.items[0].message("en") and "përshkrimi" in findings.items[0].message("sq")
    assert len(left) == 1


def test_an_interval_of_one_is_weekly():
    findings, _left = checked(dict(WEEKLY, interval=1))
    assert list(findings) == []


@pytest.mark.parametrize("value", ["25:00", "9am", "24:30", "09:60", "09:00+15:00", "9"])
def test_a_time_that_is_no_time_is_said_and_dropped(value):
    findings, left = checked(dict(WEEKLY, opens_at=value))
    assert [(f.code, f.field) for f in findings] == [("bad_time", "schedules[0].opens_at")]
    assert "opens_at" not in left[0] and left[0]["closes_at"] == "17:00"
    assert value in findings.items[0].message("sq") and "u hoq" in findings.items[0].message("sq")


@pytest.mark.parametrize("value", ["08:30", "8:30", "08:30:00", "08:30Z", "08:30+02:00", "08:30-0100", "24:00"])
def test_times_the_kiosk_reads_pass(value):
    findings, left = checked(dict(WEEKLY, opens_at=value, closes_at="23:00"))
    assert list(findings) == [] and left[0]["opens_at"] == value


def test_valid_from_after_valid_to_drops_the_schedule():
    findings, left = checked(dict(WEEKLY, valid_from="2026-01-01", valid_to="2025-01-01"))
    assert [(f.code, f.field) for f in findings] == [("schedule_inverted", "schedules[0].valid_from")]
    assert left == []
    assert "2026-01-01" in findings.items[0].message("sq")


def test_every_schedule_message_has_both_languages():
    for code in ("schedule_no_length", "schedule_every_day", "schedule_unhonoured", "bad_time",
                 "schedule_inverted"):
        en, sq = MESSAGES[code]
        assert en and sq and en != sq

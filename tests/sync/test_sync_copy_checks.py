"""Records that share an id but differ are never merged in silence: a finding names both
services and says whose copy the kiosk would show (an error for an organization or a place)."""
from __future__ import annotations

import copy
import uuid

import pytest

from synclib import clean_feed

from sync.feed import verify
from sync.feed.findings import FeedRefused


def two_services():
    """The factory feed's first service and a second one with the same organization, place,
    phone and schedule (the same copies, as a nested feed repeats them)."""
    doc = clean_feed(2)
    first = doc["services"][0]
    second = copy.deepcopy(first)
    second["id"] = str(uuid.uuid4())
    second["name"] = "Shërbimi i dytë"
    for i, sal in enumerate(second["service_at_locations"]):
        sal["id"] = str(uuid.uuid4())
        sal.pop("schedules", None)
    for attr in second.get("attributes") or []:
        attr["id"] = str(uuid.uuid4())
    second.pop("schedules", None)
    doc["services"].insert(1, second)
    return doc, first, second


def test_identical_copies_say_nothing():
    doc, _first, _second = two_services()
    assert [f.code for f in verify.conform(doc)] == []


def test_a_place_that_differs_is_refused_naming_both_services():
    """hostile/09: a service in Cërrik shown at «Qendra A, Elbasan»."""
    doc, first, second = two_services()
    place = second["service_at_locations"][0]["location"]
    place["name"] = "Qendra B, Cërrik"
    findings = verify.conform(doc)
    [error] = findings.errors
    assert error.code == "copy_differs_location" and error.record.id == second["id"]
    assert error.field == "service_at_locations[0].location"
    text = error.message("en")
    assert place["id"] in text and first["id"] in text and first["name"] in text
    assert "first copy" in text
    assert first["id"] in error.message("sq") and "vendndodhja" in error.message("sq")
    with pytest.raises(FeedRefused):
        verify.check_content(doc)


def test_an_organization_that_differs_is_refused():
    """hostile/10: the provider replaced."""
    doc, first, second = two_services()
    second["organization"]["name"] = "Një tjetër organizatë"
    findings = verify.conform(doc)
    assert [(f.code, f.field, f.record.id) for f in findings.errors] == [
        ("copy_differs_organization", "organization", second["id"])]
    assert first["organization"]["id"] in findings.errors[0].message("sq")
    assert "organizata" in findings.errors[0].message("sq")


def test_copies_of_one_phone_under_different_owners_are_not_compared():
    """The kiosk keeps a phone (and a contact) per owner since catalogue schema 12: two services
    giving one phone id different numbers each show their own, so nothing is said."""
    doc, first, second = two_services()
    phone = dict(first["phones"][0]) if first.get("phones") else {"id": str(uuid.uuid4()), "number": "054 111 111"}
    first["phones"] = [phone]
    second["phones"] = [dict(phone, number="054 999 999")]
    assert [f.code for f in verify.conform(doc)] == []


def test_copies_of_one_schedule_under_different_owners_are_not_compared():
    """The kiosk keeps a schedule per owner (service, place, location): no merge, no finding."""
    doc, first, second = two_services()
    sid = str(uuid.uuid4())
    first["schedules"] = [{"id": sid, "freq": "WEEKLY", "byday": "MO", "opens_at": "09:00", "closes_at": "12:00"}]
    second["schedules"] = [{"id": sid, "freq": "WEEKLY", "byday": "TU", "opens_at": "09:00", "closes_at": "12:00"}]
    assert [f.code for f in verify.conform(doc)] == []


def test_stand_in_organizations_are_not_copies():
    doc, first, second = two_services()
    org_id = first["organization"]["id"]
    for s in (first, second):
        s.pop("organization")
        s["organization_id"] = org_id
    findings = verify.conform(doc)
    assert not findings.errors and {f.code for f in findings} == {"no_organization"}

"""Privacy: what may leave the kiosk is counts per hour and search terms three visits typed; no
visit id, no time finer than an hour, no term typed by one or two visits (not even on disk)."""
from __future__ import annotations

import json
import re
from datetime import datetime

from sync.feed import telemetry

SERVICE = "6f1c2b9e-1111-4222-8333-444455556666"


def visits_typing(store, clock, term: str, visits: int) -> None:
    for _ in range(visits):
        store.visit_started()
        store.count("search")
        store.unmet_search(term)
        clock.mono += 45
        store.visit_ended()


def sent_terms(store, clock) -> dict[str, int]:
    clock.advance(hours=1)
    terms: dict[str, int] = {}
    for hour in store.pending().hours:
        for term, n in hour["unmet_searches"].items():
            terms[term] = terms.get(term, 0) + n
    return terms


def test_a_term_typed_in_one_or_two_visits_never_leaves_nor_touches_the_disk(make_store, clock):
    store = make_store()
    visits_typing(store, clock, "Strehim per nenen", 1)
    visits_typing(store, clock, "Bono ushqimi", 2)
    store.flush()
    assert sent_terms(store, clock) == {}
    assert store.waiting().hours == 1  # the searches were counted, as counts
    while_open = b"".join(p.read_bytes() for p in store.path.parent.iterdir())   # the WAL too
    store.close()
    for raw in (while_open, store.path.read_bytes()):
        assert b"strehim" not in raw.lower() and b"bono" not in raw.lower()
    assert b"search:none" in while_open   # what was written is there to be searched


def test_the_same_visit_typing_a_term_three_times_is_one_visit(make_store, clock):
    store = make_store()
    store.visit_started()
    for _ in range(3):
        store.unmet_search("bono ushqimi")
    store.visit_ended()
    visits_typing(store, clock, "bono ushqimi", 1)
    assert sent_terms(store, clock) == {}


def test_three_visits_make_a_term_leave_with_its_digits_masked(make_store, clock):
    store = make_store()
    visits_typing(store, clock, "  Pension 2026 ", 3)
    visits_typing(store, clock, "PENSION 2019", 1)   # the same term once masked: a fourth visit
    assert sent_terms(store, clock) == {"pension ####": 4}


def test_a_41_character_term_is_never_kept_a_40_character_one_is(make_store, clock):
    store = make_store()
    visits_typing(store, clock, "a" * 41, 5)
    visits_typing(store, clock, "b" * 40, 3)
    assert sent_terms(store, clock) == {"b" * 40: 3}


def test_visits_on_different_days_do_not_add_up(make_store, clock):
    store = make_store()
    visits_typing(store, clock, "karta e moshuarit", 2)
    assert len(store.visits._seen) == 1
    clock.advance(days=1)
    store.flush()                      # the sender's round after midnight ends the day
    assert store.visits._seen == {}
    visits_typing(store, clock, "karta e moshuarit", 1)
    assert sent_terms(store, clock) == {}


def test_nothing_finer_than_an_hour_and_no_visit_id_in_any_payload(make_store, clock):
    store = make_store()
    for minute in (3, 17, 44, 58):
        clock.now = clock.now.replace(minute=minute, second=minute)
        visits_typing(store, clock, "punesim", 1)
        store.count(f"service:{SERVICE}")
        store.record_report("service", SERVICE, "hours", 7)
    store.flush()
    assert store.pending().hours == [] and store.pending().reports == []   # the hour is not over yet
    clock.advance(hours=1)
    pending = store.pending()
    hours = telemetry.UsagePost.model_validate({"hours": pending.hours})
    reports = telemetry.ReportsPost.model_validate({"reports": pending.reports})
    stamps = [h.hour for h in hours.hours] + [r.hour for r in reports.reports]
    assert len(reports.reports) == 4 and len(hours.hours) == 1
    assert all(s.minute == s.second == s.microsecond == 0 for s in stamps)
    wire = (telemetry.encode(hours) + telemetry.encode(reports)).decode()
    moments = re.findall(r'"hour":"([^"]+)"', wire)
    assert len(moments) == 5
    for text in moments:
        assert datetime.fromisoformat(text.replace("Z", "+00:00")).minute == 0
    # the record ids name the hour and a random tag, nothing finer
    assert re.fullmatch(r"2026-03-02T08Z/[0-9a-f]{8}", pending.hours[0]["id"])
    assert set(json.loads(telemetry.encode(hours))["hours"][0]) == {"id", "hour", "span", "counts",
                                                                     "unmet_searches"}
    assert set(pending.reports[0]) == {"id", "subject", "subject_id", "reason", "catalogue_version", "hour",
                                       "span"}
    assert set(pending.hours[0]["counts"]) == {"search", "search:none", f"service:{SERVICE}", "visit",
                                               "visit:<1m"}
    assert pending.hours[0]["counts"]["visit"] == 4


def test_visit_lengths_are_buckets_and_the_idle_wait_is_not_part_of_the_visit(make_store, clock):
    store = make_store()
    for seconds, idle in ((30, 0), (150, 0), (400, 120), (700, 0), (200, 150)):
        store.visit_started()
        clock.mono += seconds
        store.visit_ended(trailing_idle=idle)
    store.visit_ended()   # no visit going on: nothing counted
    clock.advance(hours=1)
    counts = store.pending().hours[0]["counts"]
    assert counts == {"visit": 5, "visit:<1m": 2, "visit:1-3m": 1, "visit:3-10m": 1, "visit:>10m": 1}

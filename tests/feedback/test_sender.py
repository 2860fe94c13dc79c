"""The sender against a real HTTP server on 127.0.0.1: a send that fails half-way (connection
dropped after the server stored, a partial answer, a 500) is retried, and the server ends up with
every count exactly once; a kiosk offline for 30 days then online loses nothing."""
from __future__ import annotations

import logging
import sqlite3
import time
from collections import Counter

import pytest

from feedbackserver import FeedbackServer
from kiosk.feedback import Sender, api_base
from kiosk.feedback.store import FeedbackStore
from simulate import COMMON_TERMS, Simulation
from sync.feed.telemetry import normalise_term

SERVICE = "6f1c2b9e-1111-4222-8333-444455556666"


@pytest.fixture
def server():
    with FeedbackServer() as srv:
        yield srv


def record_a_morning(store: FeedbackStore, clock, hours: int = 5) -> Counter:
    expected: Counter = Counter()
    for hour in range(hours):
        for key, n in ((f"service:{SERVICE}", hour + 1), ("qr:phone", 1), ("lang:en", 2)):
            store.count(key, n)
            expected[key] += n
        store.record_report("service", SERVICE, ("phone", "hours", "closed")[hour % 3], 4)
        clock.advance(hours=1)
    return expected


def test_api_base_sits_beside_the_heartbeat():
    assert api_base("https://bashkia.example/kiosk/api/heartbeat") == "https://bashkia.example/kiosk/api/"


def test_failures_half_way_are_retried_without_double_counting(make_store, clock, server):
    store = make_store()
    expected = record_a_morning(store, clock)
    sender = Sender(store, server.api, server.token, clock=clock)

    server.faults = ["drop_after_commit"]          # reports stored, the answer lost
    first = sender.send_once()
    assert first.error.startswith("connection_error") and len(server.reports) == 5
    assert store.waiting().reports == 5            # the kiosk cannot know: it keeps them

    server.faults = ["", "accept:2"]               # reports again (not counted again); 2 of 5 hours
    second = sender.send_once()
    assert second.reports == 5 and second.hours == 2 and second.error.startswith("partial")
    assert len(server.reports) == 5 and store.waiting().reports == 0 and store.waiting().hours == 3

    server.faults = ["drop_before"]
    assert sender.send_once().error.startswith("connection_error")
    server.faults = ["500"]
    assert sender.send_once().error == "http_status: HTTP 500 from " + server.api + "usage"
    last = sender.send_once()
    assert last.ok and last.hours == 3

    assert server.counts == expected and len(server.records) == 5
    assert sorted(r.reason for r in server.reports) == ["closed", "hours", "hours", "phone", "phone"]
    status = sender.status()
    assert (status.reports_waiting, status.hours_waiting, status.last_error) == (0, 0, None)
    assert status.last_sent == status.last_attempt == "2026-03-02T13:05:00Z"
    assert server.user_agents == {"elbasan-kiosk-sync"}     # the project's session factory


def test_a_wrong_token_sends_nothing_and_keeps_everything(make_store, clock, server):
    store = make_store()
    record_a_morning(store, clock, hours=2)
    result = Sender(store, server.api, "stolen", clock=clock).send_once()
    assert result.error.startswith("http_status: HTTP 401")
    assert store.waiting().reports == 2 and store.waiting().hours == 2 and not server.seen


def test_unconfigured_sends_nothing(make_store, clock):
    store = make_store()
    record_a_morning(store, clock, hours=1)
    assert Sender(store, None, None, clock=clock).send_once().error == "not_configured"
    assert store.waiting().reports == 1


def test_a_record_the_contract_refuses_is_found_and_dropped_alone(make_store, clock, server, caplog):
    store = make_store()
    expected = record_a_morning(store, clock, hours=4)
    with sqlite3.connect(store.path) as db:   # a record a buggy older kiosk wrote
        db.execute("INSERT INTO usage VALUES ('old/1', 1772430000, 'hour', '{\"Bad Key\": 1}', '{}')")
    result = Sender(store, server.api, server.token, clock=clock).send_once()
    assert result.ok and result.dropped == 1 and result.hours == 4
    assert server.counts == expected and "refused 1 feedback records" in caplog.text


def test_a_kiosk_offline_for_thirty_days_then_online_loses_nothing(make_store, clock, server, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.feedback.store")
    store = make_store()
    sim = Simulation(store, clock, seed=30)
    clock.now = clock.now.replace(hour=7, minute=0)
    for _ in range(30):
        sim.day()
    assert store.bytes_on_disk() <= store.max_bytes and "merged" in caplog.text
    sender = Sender(store, server.api, server.token, clock=clock)
    server.faults = ["", "accept:7", "drop_after_commit"]
    while not sender.send_once().ok:
        pass
    assert server.counts == sim.expected
    common = {normalise_term(term) for term in COMMON_TERMS}
    assert set(server.terms) == common and len(sim.unique_terms) > 1500   # none of those left
    assert store.waiting().hours == 0 and server.posts >= 4


def test_the_own_schedule_retries_with_back_off_until_sent(make_store, clock, server):
    store = make_store()
    expected = record_a_morning(store, clock, hours=2)
    server.faults = ["500", "drop_before", "500"]
    sender = Sender(store, server.api, server.token, clock=clock)
    sender.start(interval=0.05, retry_first=0.05, retry_max=0.2)
    try:
        deadline = time.monotonic() + 10
        while (store.waiting().reports or store.waiting().hours) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        sender.stop()
    assert server.counts == expected and len(server.reports) == 2 and server.posts >= 5

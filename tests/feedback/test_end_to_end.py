"""The kiosk's store and sender against the real staff server (sync.server under uvicorn on
127.0.0.1), through a proxy that loses answers: nothing is lost and nothing is counted twice, a
30-day offline kiosk delivers every count within its size bound, and what it sent is what the
demand page and its CSV show."""
from __future__ import annotations

import csv
import io
import logging
from collections import Counter

import pytest

from kiosk.feedback import Sender
from realserver import FaultyProxy, RealServer
from simulate import COMMON_TERMS, Simulation
from sync.feed.telemetry import normalise_term

SERVICE = "6f1c2b9e-1111-4222-8333-444455556666"
pytestmark = pytest.mark.filterwarnings("ignore:Using .httpx. with .starlette.testclient.")


@pytest.fixture
def real(tmp_path):
    with RealServer(tmp_path / "server") as srv:
        yield srv


def test_a_send_that_fails_half_way_is_retried_without_double_counting(make_store, clock, real):
    store = make_store()
    expected: Counter = Counter()
    for hour in range(4):
        for key, n in ((f"service:{SERVICE}", hour + 1), ("qr:contact", 1), ("visit", 2)):
            store.count(key, n)
            expected[key] += n
        store.record_report("service", SERVICE, ("phone", "hours")[hour % 2], 7)
        clock.advance(hours=1)
    with FaultyProxy(real.live.url) as proxy:
        sender = Sender(store, proxy.url + "/api/", real.token, clock=clock)
        proxy.faults = ["drop_after_commit"]          # the reports were stored, the answer lost
        assert sender.send_once().error.startswith("connection_error")
        assert real.totals()[2] == 4 and store.waiting().reports == 4
        proxy.faults = ["", "drop_after_commit"]      # reports again (not counted again), usage lost
        assert sender.send_once().error.startswith("connection_error")
        assert store.waiting().reports == 0 and store.waiting().hours == 4
        proxy.faults = ["drop_before"]
        assert not sender.send_once().ok
        assert sender.send_once().ok
    counts, _terms, reports = real.totals()
    assert counts == dict(expected) and reports == 4
    assert store.waiting().hours == 0 and sender.status().last_error is None


def test_thirty_offline_days_reach_the_server_and_its_demand_page(make_store, clock, real, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.feedback.store")
    store = make_store()
    sim = Simulation(store, clock, seed=31)
    clock.now = clock.now.replace(hour=7, minute=0)
    largest = 0
    for _ in range(30):
        sim.day()
        largest = max(largest, store.bytes_on_disk())
    assert largest <= store.max_bytes and "merged" in caplog.text
    with FaultyProxy(real.live.url) as proxy:
        sender = Sender(store, proxy.url + "/api/", real.token, clock=clock)
        proxy.faults = ["", "drop_after_commit", "", "drop_before"]
        for _ in range(10):
            if sender.send_once().ok:
                break
    counts, terms, _reports = real.totals()
    assert counts == dict(sim.expected)
    assert set(terms) == {normalise_term(t) for t in COMMON_TERMS}
    assert not any(t.startswith("zz ") for t in terms) and len(sim.unique_terms) > 1500
    assert store.waiting().hours == 0 and store.waiting().days == 0

    from fastapi.testclient import TestClient
    from sqlalchemy import select

    from sync.server.models import Account
    from sync.server.security import hash_password

    with real.state.db.session() as db:
        admin = db.scalar(select(Account).where(Account.username == "admin"))
        admin.password_hash, admin.must_change_password = hash_password("Elbasan-admin-2026!"), False
    client = TestClient(real.app, base_url="http://127.0.0.1")
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"csrf_token": token, "username": "admin", "password": "Elbasan-admin-2026!"})
    period = "from=2026-03-01&to=2026-04-05"
    rows = list(csv.reader(io.StringIO(client.get(f"/admin/demand?{period}&format=csv").content.decode("utf-8-sig"))))
    per_day = [int(r[3]) for r in rows if r[0] == "visits_per_day"]
    assert sum(per_day) == sim.expected["visit"] == sim.visits
    assert sum(1 for n in per_day if n) == 30           # merged days land on their own date
    shown = {r[1]: int(r[3]) for r in rows if r[0] == "unmet_search"}
    assert shown == terms
    html = client.get(f"/admin/demand?{period}&lang=en").text
    assert f"<b>{sim.visits}</b>Visits" in html.replace("\n", "")

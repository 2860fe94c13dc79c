"""The kiosk's feedback store: crash-safe (SIGKILL at any moment loses nothing committed), survives
restarts, stays within its size bound by merging hours into days, then dropping the oldest days."""
from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.feedback import store as storemod
from simulate import Simulation

HERE = Path(__file__).resolve().parent
SERVICE = "6f1c2b9e-1111-4222-8333-444455556666"


def totals(pending) -> Counter:
    out: Counter = Counter()
    for hour in pending.hours:
        out.update(hour["counts"])
    return out


def test_the_file_is_wal_with_full_sync_in_the_data_dir(make_store, tmp_path):
    store = make_store()
    assert store.path == tmp_path / "data" / "feedback.sqlite3"
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2   # FULL
    assert db.execute("PRAGMA auto_vacuum").fetchone()[0] == 2          # INCREMENTAL
    db.close()


def test_records_survive_reopening(make_store, clock):
    store = make_store()
    report = store.record_report("service", SERVICE, "closed", 9)
    store.count("category:strehim", 3)
    store.close()
    clock.advance(hours=2)
    again = make_store()
    pending = again.pending()
    assert [r["id"] for r in pending.reports] == [report]
    assert totals(pending) == {"category:strehim": 3}


def test_sigkill_loses_nothing_committed(tmp_path):
    """A child writes as fast as it can and is killed at once after some commits: every report and
    flush it saw committed is there, the file is whole, and at most the one write in flight differs."""
    later = storemod.utcnow() + timedelta(hours=2)
    for round_, wanted in enumerate((10, 37, 64)):
        data = tmp_path / f"data{round_}"
        child = subprocess.Popen([sys.executable, str(HERE / "writer_child.py"), str(data)],
                                 stdout=subprocess.PIPE, text=True)
        reports, flushed = set(), 0

        def read(line: str) -> None:
            nonlocal flushed
            kind, value = line.split()
            if kind == "R":
                reports.add(value)
            else:
                flushed = int(value)

        for line in child.stdout:
            read(line)
            if flushed >= wanted:
                os.kill(child.pid, signal.SIGKILL)   # most likely inside the next write
                break
        child.wait()
        for line in child.stdout.read().splitlines():   # what it printed before the kill landed
            read(line)
        child.stdout.close()
        assert child.returncode == -signal.SIGKILL
        store = storemod.FeedbackStore.in_dir(data)
        assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        pending = store.pending(later)
        kept = {r["id"] for r in pending.reports}
        assert reports <= kept and len(kept - reports) <= 1
        assert flushed <= totals(pending)["visit"] <= flushed + 2
        store.close()


def fill_hours(store, clock, days: int, keys_per_hour: int, fresh_keys: bool) -> Counter:
    """Ten open hours a day; ``fresh_keys``: every hour its own keys (nothing to gain by merging)."""
    expected: Counter = Counter()
    for day in range(days):
        for hour in range(10):
            for k in range(keys_per_hour):
                key = f"service:d{day}h{hour}k{k}" if fresh_keys else f"service:{SERVICE[:-3]}{k:03d}"
                store.count(key, k + 1)
                expected[key] += k + 1
            clock.advance(hours=1)
            store.flush()
        clock.advance(hours=14)
    return expected


def test_when_full_the_oldest_hours_are_merged_into_days(make_store, clock, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.feedback.store")
    store = make_store(max_bytes=200 * 1024)
    expected = fill_hours(store, clock, days=6, keys_per_hour=100, fresh_keys=False)
    assert store.bytes_on_disk() <= store.max_bytes
    pending = store.pending()
    assert totals(pending) == expected                       # nothing lost
    days = [h for h in pending.hours if h["span"] == "day"]
    hours = [h for h in pending.hours if h["span"] == "hour"]
    assert days and hours and pending.hours == days + hours  # the oldest went first
    first = days[0]
    assert first["hour"] == "2026-03-02T00:00:00+01:00" and first["id"].startswith("2026-03-02/")
    assert "merged 10 hours of 2026-03-02 into one day" in caplog.text
    assert "dropped" not in caplog.text
    store.close()
    reopened = make_store(max_bytes=200 * 1024)
    assert totals(reopened.pending()) == expected            # and it survives a restart


def test_then_the_oldest_days_are_dropped_with_a_log_line(make_store, clock, caplog):
    store = make_store(max_bytes=160 * 1024)
    fill_hours(store, clock, days=8, keys_per_hour=60, fresh_keys=True)
    assert store.bytes_on_disk() <= store.max_bytes
    assert "dropped the usage counts of 2026-03-02" in caplog.text
    pending = store.pending()
    kept_days = {h["hour"][:10] for h in pending.hours}
    assert "2026-03-02" not in kept_days and "2026-03-09" in kept_days
    assert totals(pending)["service:d7h9k59"] == 60          # the newest hour is whole


def test_a_merged_day_is_sent_only_once_it_is_over(make_store, clock):
    store = make_store(max_bytes=200 * 1024)
    fill_hours(store, clock, days=1, keys_per_hour=150, fresh_keys=False)
    clock.now = clock.now.replace(hour=7)     # the next day, 08:xx in Elbasan
    for _ in range(5):
        store.count("visit", 1)
        clock.advance(hours=1)
        store.flush()
        store._merge_oldest_day()             # as when full: today's closed hours too
    pending = store.pending()
    assert [h["hour"] for h in pending.hours] == ["2026-03-02T00:00:00+01:00"]
    clock.advance(days=1)
    assert len(store.pending().hours) == 2


def test_acknowledge_forgets_exactly_what_the_server_stored(make_store, clock):
    store = make_store()
    first = store.record_report("service", SERVICE, "phone", 1)
    second = store.record_report("organization", SERVICE.replace("6f", "7a"), "other", 1)
    store.count("visit")
    clock.advance(hours=1)
    pending = store.pending()
    assert store.waiting().last_sent is None
    assert store.acknowledge([first, pending.hours[0]["id"], "unknown-id"]) == 2
    assert [r["id"] for r in store.pending().reports] == [second] and store.pending().hours == []
    assert store.waiting().last_sent == "2026-03-02T09:05:00Z"


def test_reports_are_checked_and_capped_per_hour(make_store, clock, caplog):
    store = make_store()
    for bad in (("person", SERVICE, "phone", 1), ("service", "nope", "phone", 1),
                ("service", SERVICE, "rude", 1), ("service", SERVICE, "phone", -1)):
        with pytest.raises(ValueError):
            store.record_report(*bad)
    ids = [store.record_report("service", SERVICE, "phone", 1)
           for _ in range(storemod.MAX_REPORTS_PER_HOUR + 5)]
    assert ids.count(None) == 5 and "not kept" in caplog.text
    clock.advance(hours=1)
    assert store.record_report("service", SERVICE, "phone", 1) is not None


def test_a_damaged_file_is_set_aside_and_the_kiosk_goes_on(make_store, tmp_path, caplog):
    path = tmp_path / "data" / storemod.FILENAME
    path.parent.mkdir()
    path.write_bytes(b"not a database at all" * 100)
    store = make_store()
    assert store.waiting().reports == 0 and store.record_report("service", SERVICE, "hours", 2)
    assert (tmp_path / "data" / "feedback.sqlite3.damaged").read_bytes().startswith(b"not a database")
    assert "damaged" in caplog.text


def test_thirty_offline_days_of_a_busy_kiosk_stay_within_two_megabytes(make_store, clock, caplog, capsys):
    """300 visits a day of 40 events each, 30 days, never sent: measured, and nothing lost."""
    caplog.set_level(logging.INFO, logger="kiosk.feedback.store")
    store = make_store()
    sim = Simulation(store, clock)
    clock.now = clock.now.replace(hour=7, minute=0)
    sizes = []
    for _ in range(30):
        sim.day()
        sizes.append(store.bytes_on_disk())
    pending = store.pending()
    assert max(sizes) <= storemod.MAX_BYTES
    assert "dropped" not in caplog.text
    assert totals(pending) == sim.expected and sim.visits == 9000
    store.close()
    raw = store.path.read_bytes()
    assert not [term for term in sim.unique_terms if term.encode() in raw]   # typed once: never on disk
    with capsys.disabled():
        spans = Counter(h["span"] for h in pending.hours)
        print(f"\n30 offline days, 9000 visits, {sum(sim.expected.values())} events: "
              f"{store.bytes_on_disk()} bytes on disk (largest {max(sizes)}), {spans['day']} days and "
              f"{spans['hour']} hours waiting")

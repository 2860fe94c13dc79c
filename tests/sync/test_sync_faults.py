"""The fault matrix: every case runs the real sync against a local server on 127.0.0.1 and ends
with the previous catalogue (version 1) intact and usable, and the reason recorded."""
from __future__ import annotations

import json
import sqlite3
import time
import tracemalloc

import pytest
from sqlalchemy import event, select

import synclib as sl
from synclib import make_kiosk
from synclib import FAST, clean_feed

from kiosk.catalogue import models as m
from kiosk.catalogue.store import check_database
from sync.feed import signing


def assert_intact(kiosk, code):
    """The catalogue is still version 1, whole and queryable, and the failure is on record."""
    kiosk.catalogue.engine.dispose()
    assert check_database(kiosk.catalogue.db_path) is None
    info = kiosk.catalogue.info()
    assert info.version == 1
    assert info.service_count == 6
    with kiosk.catalogue.session() as s:
        names = s.scalars(select(m.Service.name).order_by(m.Service.name)).all()
    assert "Çerdhe e Bashkisë" in names
    status = json.loads((kiosk.config.kiosk.data_dir / "sync" / "status.json").read_text())
    assert status["last_outcome"] == "failed"
    assert status["last_error"]["code"] == code, status["last_error"]
    assert kiosk.service.status().last_error["code"] == code
    assert kiosk.service.status().version == 1


def run(kiosk):
    t0 = time.monotonic()
    result = kiosk.service.run_sync()
    return result, time.monotonic() - t0


@pytest.fixture
def v2(publisher):
    publisher.publish(clean_feed(2))


# --------------------------------------------------------------------------- HTTP and network


def test_http_500_is_retried_with_backoff_then_recorded(kiosk, server, v2):
    server.faults["/feed.json.gz"] = sl.status(500)
    result, _ = run(kiosk)
    assert result.code == "http_status" and "500" in result.detail
    assert server.count("/feed.json.gz") == FAST.retries + 1  # retried, bounded
    assert_intact(kiosk, "http_status")


def test_http_503_retry_after_is_honoured(kiosk, server, v2):
    server.faults["/feed.json.gz"] = sl.status(503, retry_after="1", times=1)
    result, seconds = run(kiosk)
    assert result.outcome == "updated", result
    assert seconds >= 1.0  # waited as the server asked
    assert server.count("/feed.json.gz") == 2
    assert kiosk.catalogue.info().version == 2


def test_http_503_retry_after_is_bounded_and_recorded(kiosk, server, v2):
    server.faults["/feed.json.gz"] = sl.status(503, retry_after="3600")
    result, seconds = run(kiosk)
    # retry_after_max (2 s) bounds each wait and the deadline bounds the whole attempt.
    assert seconds < FAST.deadline + 1
    assert result.code in ("http_status", "deadline")
    assert_intact(kiosk, result.code)


def test_connection_refused(tmp_path, publisher, v2):
    k = make_kiosk(tmp_path, f"http://127.0.0.1:{sl.refused_port()}/feed.json", [publisher.public_b64])
    try:
        result, seconds = run(k)
        assert result.code == "connection_error"
        assert seconds < 3
        assert_intact(k, "connection_error")
    finally:
        k.catalogue.dispose()


def test_read_timeout(kiosk, server, v2):
    server.faults["/feed.json.gz"] = sl.hang
    result, seconds = run(kiosk)
    assert result.code == "timeout"
    assert seconds < FAST.deadline + 1
    assert_intact(kiosk, "timeout")


def test_trickling_body_cannot_hold_the_sync(kiosk, server, v2):
    from dataclasses import replace

    kiosk.service.client.options = replace(FAST, deadline=3.0)
    server.faults["/feed.json.gz"] = sl.trickle_body(0.5)  # under the read timeout: no timeout fires
    result, seconds = run(kiosk)
    assert result.code == "deadline"
    assert 2.5 <= seconds < 3.0 + 1.5
    assert_intact(kiosk, "deadline")


def test_one_byte_per_second_trickle_in_the_headers(kiosk, server, v2):
    from dataclasses import replace

    kiosk.service.client.options = replace(FAST, read_timeout=1.5, deadline=3.0)
    server.faults["/feed.json.gz"] = sl.trickle_headers(1.0)
    result, seconds = run(kiosk)
    assert result.code == "deadline"
    assert seconds < 3.0 + 1.5
    assert_intact(kiosk, "deadline")


def test_the_deadline_counts_the_network_not_the_check_and_build(kiosk, server, v2, monkeypatch):
    """On a busy box the idle-priority child may wait long for a core: a feed fetched in time is
    not thrown away because checking and building it took longer than the network deadline."""
    from dataclasses import replace

    from kiosk import buildproc

    kiosk.service.client.options = replace(FAST, deadline=1.5)
    slow = buildproc.ChildJob.verify

    def verify_on_a_busy_box(self, *args, **kwargs):
        time.sleep(2.5)                 # as long as the child waits for a free core
        return slow(self, *args, **kwargs)
    monkeypatch.setattr(buildproc.ChildJob, "verify", verify_on_a_busy_box)
    result, seconds = run(kiosk)
    assert result.outcome == "updated", (result.code, result.detail)
    assert seconds > 2.5 and kiosk.catalogue.info().version == 2


def test_a_paused_deadline_still_trips_on_the_network_after_it_and_a_cancel_stops_it():
    from sync.client.http import Guard, SyncError

    with Guard(0.6) as guard:
        with guard.paused():
            time.sleep(0.9)             # more than the whole deadline: not counted
        guard.check()
        assert 0.3 < guard.remaining() <= 0.6
        time.sleep(0.7)
        with pytest.raises(SyncError) as caught:
            guard.check()
        assert caught.value.code == "deadline"
    with Guard(5.0) as guard:
        with pytest.raises(SyncError) as caught:
            with guard.paused():
                guard.cancel()
                guard.check()
        assert caught.value.code == "cancelled"


def test_connection_reset_mid_body(kiosk, server, v2):
    server.faults["/feed.json.gz"] = sl.reset_mid_body
    result, _ = run(kiosk)
    assert result.code == "connection_error", result
    assert_intact(kiosk, "connection_error")


def test_truncated_body(kiosk, server, v2):
    server.faults["/feed.json.gz"] = sl.truncated
    result, _ = run(kiosk)
    assert result.code == "truncated", result
    assert_intact(kiosk, "truncated")


def test_truncated_body_without_content_length(kiosk, server, v2):
    server.faults["/feed.json.gz"] = sl.truncated_no_length
    result, _ = run(kiosk)
    assert result.code == "truncated", result
    assert_intact(kiosk, "truncated")


def test_body_over_the_cap_is_refused_from_its_length(kiosk, server, v2):
    server.faults["/feed.json.gz"] = sl.oversized(FAST.max_feed_bytes + 1)
    result, _ = run(kiosk)
    assert result.code == "too_large"
    assert_intact(kiosk, "too_large")


def test_body_over_the_cap_without_length(kiosk, server, v2):
    server.faults["/feed.json.gz"] = sl.oversized(3 * FAST.max_feed_bytes, declare=False)
    result, _ = run(kiosk)
    assert result.code == "too_large"
    assert_intact(kiosk, "too_large")


def test_endless_body_keeps_memory_flat(kiosk, server, v2):
    server.faults["/feed.json.gz"] = sl.endless
    tracemalloc.start()
    try:
        result, seconds = run(kiosk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.code == "too_large"
    assert seconds < 5
    # Nothing beyond the cap (4 MiB) plus a chunk is ever held.
    assert peak < 2.5 * FAST.max_feed_bytes, peak
    assert_intact(kiosk, "too_large")


def test_gzip_bomb_stops_at_the_cap(kiosk, server, v2):
    server.faults["/feed.json.gz"] = sl.gzip_bomb(50 * FAST.max_feed_bytes)
    tracemalloc.start()
    try:
        result, _ = run(kiosk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.code == "too_large"
    assert peak < 2.5 * FAST.max_feed_bytes, peak
    assert_intact(kiosk, "too_large")


def test_missing_signature_file(kiosk, server, publisher, v2):
    (publisher.root / "feed.json.sig").unlink()
    result, _ = run(kiosk)
    assert result.code == "http_status" and "404" in result.detail
    assert_intact(kiosk, "http_status")


# --------------------------------------------------------------------------- signed content


def test_bad_signature(kiosk, server, publisher, v2):
    data = (publisher.root / "feed.json").read_bytes().replace(b"Strehim", b"Strehin")
    sl.write_atomic(publisher.root / "feed.json.gz", __import__("gzip").compress(data))
    result, _ = run(kiosk)
    assert result.code == "bad_signature"
    assert server.count("/feed.json.gz") == 2  # fetched once more, in case of a publish race
    assert_intact(kiosk, "bad_signature")


def test_signature_by_another_key(kiosk, server, publisher):
    publisher.publish(clean_feed(2), key=signing.generate())
    result, _ = run(kiosk)
    assert result.code == "unknown_key"
    assert_intact(kiosk, "unknown_key")


def test_rolled_back_version(kiosk, server, publisher):
    publisher.publish(clean_feed(3))
    assert run(kiosk)[0].version == 3
    # An attacker (or a restored server backup) serves an older, validly signed feed.
    kiosk.catalogue.load(clean_feed(1), source="test")  # even after a rebuild from an old file
    kiosk.service._version = 1
    publisher.publish(clean_feed(2))
    result, _ = run(kiosk)
    assert result.code == "rollback"
    assert_intact(kiosk, "rollback")


def test_same_version_writes_nothing(kiosk, server, publisher):
    publisher.publish(clean_feed(1))
    writes = []
    event.listen(kiosk.catalogue.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *a: writes.append(statement)
                 if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) else None)
    before = kiosk.catalogue.db_path.stat().st_mtime_ns
    result, _ = run(kiosk)
    assert result.outcome == "unchanged" and result.ok
    assert writes == []
    assert kiosk.catalogue.db_path.stat().st_mtime_ns == before


def test_expired_feed(kiosk, server, publisher):
    publisher.publish(clean_feed(2, expires_at="2020-01-01T00:00:00Z"))
    result, _ = run(kiosk)
    assert result.code == "expired"
    assert_intact(kiosk, "expired")


def test_unknown_schema_version(kiosk, server, publisher):
    publisher.publish(clean_feed(2, schema_version=99))
    result, _ = run(kiosk)
    assert result.code == "unknown_schema_version"
    assert_intact(kiosk, "unknown_schema_version")


@pytest.mark.parametrize("case", ["huge_string", "control_character", "not_hsds", "no_name"])
def test_schema_and_sense_errors_are_refused(kiosk, server, publisher, case):
    doc = clean_feed(2)
    svc = doc["services"][0]
    if case == "huge_string":
        svc["description"] = "a" * (1024 * 1024)
    elif case == "control_character":
        svc["name"] = "Strehë\x1b[2J"
    elif case == "not_hsds":
        svc["status"] = "maybe"
    elif case == "no_name":
        del svc["name"]
    publisher.publish(doc)
    result, _ = run(kiosk)
    assert result.code == "invalid", result
    assert_intact(kiosk, "invalid")


@pytest.mark.parametrize("case", ["javascript_url", "dangling_category", "bidi_override"])
def test_what_the_kiosk_can_mend_it_mends_and_applies(kiosk, server, publisher, case):
    """Issue 15: warnings, not errors. The kiosk applies the same rules as the publisher: the
    javascript: address is dropped, the link to a category that is nowhere is dropped, the
    override character is removed; the rest of the catalogue updates."""
    doc = clean_feed(2)
    svc = doc["services"][0]
    if case == "javascript_url":
        svc["url"] = "javascript:alert(document.cookie)"
    elif case == "dangling_category":
        svc["attributes"][0]["taxonomy_term_id"] = "00000000-0000-4000-8000-000000000000"
        del svc["attributes"][0]["taxonomy_term"]
    elif case == "bidi_override":
        svc["name"] = "Strehë\u202e ilanigiro"
    publisher.publish(doc)
    result, _ = run(kiosk)
    assert result.outcome == "updated" and kiosk.catalogue.info().version == 2, result
    with kiosk.catalogue.session() as s:
        row = s.get(m.Service, svc["id"])
        links = s.scalars(select(m.ServiceTerm.term_id).where(m.ServiceTerm.service_id == svc["id"])).all()
    kept = json.loads(kiosk.catalogue.feed_path.read_bytes())["services"][0]   # what a rebuild reads
    if case == "javascript_url":
        assert row.url is None and "url" not in kept
    elif case == "dangling_category":
        assert "00000000-0000-4000-8000-000000000000" not in links
        assert len(links) == len(svc["attributes"]) - 1
    else:
        assert row.name == kept["name"] == "Strehë ilanigiro"


def test_asset_with_wrong_hash_falls_back_and_the_catalogue_still_updates(kiosk, server, publisher):
    """Issue 12 item 5: one bad asset no longer stops the kiosk from updating; it is kept out
    of the cache (the bundled icon shows), recorded, and tried again on the next attempt."""
    doc = clean_feed(2)
    good = b"\x89PNG logo"
    sha = __import__("hashlib").sha256(good).hexdigest()
    doc["services"][0]["organization"].update(logo=f"assets/{sha}", x_logo_sha256=sha)
    publisher.publish(doc, assets={sha: b"\x89PNG another logo"})
    result, _ = run(kiosk)
    assert result.outcome == "updated" and kiosk.catalogue.info().version == 2
    assert [(a["sha256"], a["code"]) for a in result.failed_assets] == [(sha, "asset_failed")]
    assert not kiosk.service.assets.has(sha) and kiosk.service.asset_path(sha) is None
    status = json.loads((kiosk.config.kiosk.data_dir / "sync" / "status.json").read_text())
    assert status["last_outcome"] == "updated" and status["failed_assets"][0]["sha256"] == sha
    assert status["history"][0]["failed_assets"] == 1
    publisher.publish(doc, assets={sha: good})  # the publisher mends the file, same feed version
    result, _ = run(kiosk)
    assert result.outcome == "unchanged" and result.assets_downloaded == 1 and not result.failed_assets
    assert kiosk.service.asset_path(sha).read_bytes() == good
    status = json.loads((kiosk.config.kiosk.data_dir / "sync" / "status.json").read_text())
    assert status["failed_assets"] == []


# --------------------------------------------------------------------------- applying


def _limit_database(monkeypatch, pragma):
    """The new database file a feed is built into fills up at a few pages, or refuses writes
    (SQLite's own errors: max_page_count, query_only); the catalogue in use is not touched."""
    import kiosk.catalogue.store as store

    make_engine = store.make_engine

    def limited(db_path, *, building=False):
        engine = make_engine(db_path, building=building)
        if building:
            @event.listens_for(engine, "connect")
            def _limit(dbapi_conn, _record):
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA max_page_count=8" if pragma == "full" else "PRAGMA query_only=ON")
                cur.close()
        return engine

    monkeypatch.setattr(store, "make_engine", limited)


def test_disk_full_during_apply(kiosk, server, publisher, monkeypatch):
    kiosk.service.isolate = False   # the build on the sync thread, where the patch reaches it
    publisher.publish(sl.scaled_feed(60, version=2))
    _limit_database(monkeypatch, "full")
    result, _ = run(kiosk)
    assert result.code == "apply_failed" and "full" in result.detail
    monkeypatch.undo()
    assert_intact(kiosk, "apply_failed")
    assert not list(kiosk.catalogue.db_path.parent.glob("*.next-*"))   # the half-built file is gone


def test_read_only_database_during_apply(kiosk, server, publisher, monkeypatch):
    kiosk.service.isolate = False   # the build on the sync thread, where the patch reaches it
    publisher.publish(clean_feed(2))
    _limit_database(monkeypatch, "readonly")
    result, _ = run(kiosk)
    assert result.code == "apply_failed" and "readonly" in result.detail.replace("-", "").replace(" ", "")
    monkeypatch.undo()
    assert_intact(kiosk, "apply_failed")


def test_no_space_for_the_kept_feed_file(kiosk, server, publisher, monkeypatch):
    import errno

    import kiosk.catalogue.store as store

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    kiosk.service.isolate = False   # the build on the sync thread, where the patch reaches it
    monkeypatch.setattr(store, "write_atomic", full)
    publisher.publish(clean_feed(2))
    result, _ = run(kiosk)
    assert result.code == "apply_failed" and "No space" in result.detail
    monkeypatch.undo()
    assert_intact(kiosk, "apply_failed")


def test_after_a_failure_the_next_sync_recovers(kiosk, server, publisher):
    publisher.publish(clean_feed(2))
    server.faults["/feed.json.gz"] = sl.status(500)
    assert run(kiosk)[0].code == "http_status"
    server.faults.clear()
    result, _ = run(kiosk)
    assert result.outcome == "updated" and result.version == 2
    status = kiosk.service.status()
    assert status.last_error is None and status.version == 2 and status.consecutive_failures == 0
    with sqlite3.connect(kiosk.catalogue.db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM service").fetchone()[0] == 6


def test_a_new_feed_of_the_same_size_in_the_same_second_gets_a_later_mtime(tmp_path):
    """nginx's ETag is whole-second mtime plus size: a republished feed of the same size within
    the same second must not look unchanged to a kiosk holding the old ETag."""
    import os

    from sync.feed.files import write_atomic_later

    path = tmp_path / "feed.json"
    write_atomic_later(path, b'{"version": 2}')
    first = os.stat(path).st_mtime_ns // 1_000_000_000
    write_atomic_later(path, b'{"version": 3}')
    assert path.read_bytes() == b'{"version": 3}'
    assert os.stat(path).st_mtime_ns // 1_000_000_000 > first

"""The kiosk side: conditional GET, staging until the welcome screen, scheduler, status, heartbeat,
assets, ``kiosk sync``."""
from __future__ import annotations

import hashlib
import json
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event

import synclib as sl
from synclib import make_kiosk
from synclib import FAST, clean_feed

from kiosk.catalogue.store import Catalogue
from kiosk.cli import run_once
from kiosk.updates import Updates
from sync.feed import signing


def db_writes(catalogue):
    writes = []
    event.listen(catalogue.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *a: writes.append(statement)
                 if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) else None)
    return writes


def test_update_then_unchanged_costs_one_small_request(kiosk, server, publisher):
    publisher.publish(clean_feed(2))
    first = kiosk.service.run_sync()
    assert first.outcome == "updated" and first.applied and first.version == 2
    assert kiosk.catalogue.info().version == 2
    server.requests.clear()
    writes = db_writes(kiosk.catalogue)
    second = kiosk.service.run_sync()
    assert second.outcome == "unchanged" and second.ok
    assert [(m, p) for m, p, _h in server.requests] == [("GET", "/feed.json.gz")]
    assert server.requests[0][2].get("If-None-Match")
    assert second.wire_bytes == 0
    assert writes == []
    assert kiosk.service.status().last_success is not None


def test_if_modified_since_for_servers_without_etags(kiosk, server, publisher):
    server.etags = False  # like python -m http.server
    publisher.publish(clean_feed(2))
    assert kiosk.service.run_sync().outcome == "updated"
    server.requests.clear()
    assert kiosk.service.run_sync().outcome == "unchanged"
    assert len(server.requests) == 1 and server.requests[0][2].get("If-Modified-Since")


def test_plain_feed_url_and_content_encoding(kiosk, server, publisher):
    """A server that sends the .gz with Content-Encoding: gzip (some CDNs) works too."""
    publisher.publish(clean_feed(2))

    def encoded(h):
        data = (publisher.root / "feed.json.gz").read_bytes()
        h.send_response(200)
        h.send_header("Content-Encoding", "gzip")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    server.faults["/feed.json.gz"] = encoded
    assert kiosk.service.run_sync().outcome == "updated"


def test_staged_until_the_welcome_screen(tmp_path, server, publisher):
    pending = []
    k = make_kiosk(tmp_path, server.url + "feed.json", [publisher.public_b64], deferred=True)
    k.service.on_pending = pending.append
    try:
        publisher.publish(clean_feed(2))
        result = k.service.run_sync()
        assert result.outcome == "updated" and not result.applied
        assert pending == [2]
        assert k.service.has_pending()
        assert k.catalogue.info().version == 1  # visitors still see version 1
        assert k.service.status().pending_version == 2
        # A sync while staged does not download it again.
        server.requests.clear()
        assert k.service.run_sync().outcome == "unchanged"
        assert len(server.requests) == 1
        applied = k.service.apply_pending()
        assert applied.ok and applied.version == 2 and applied.services == 6
        assert k.catalogue.info().version == 2
        assert not k.service.has_pending() and k.service.apply_pending() is None
        st = k.service.status()
        assert st.version == 2 and st.pending_version is None
    finally:
        k.catalogue.dispose()


def test_apply_pending_async_and_failed_apply_refetches(tmp_path, server, publisher, monkeypatch):
    k = make_kiosk(tmp_path, server.url + "feed.json", [publisher.public_b64], deferred=True)
    try:
        publisher.publish(clean_feed(2))
        k.service.run_sync()

        assert list(k.catalogue.db_path.parent.glob("*.next-*"))   # built beside, waiting

        def broken(*a, **kw):
            raise OSError(30, "Read-only file system")

        monkeypatch.setattr(k.catalogue, "swap", broken)    # the welcome screen's rename fails
        done = threading.Event()
        results = []
        k.service.apply_pending_async(lambda r: (results.append(r), done.set()))
        assert done.wait(5)
        assert not results[0].ok and results[0].code == "apply_failed"
        assert k.catalogue.info().version == 1
        assert k.service.status().last_error["code"] == "apply_failed"
        assert not list(k.catalogue.db_path.parent.glob("*.next-*"))   # thrown away
        monkeypatch.undo()
        server.requests.clear()
        assert k.service.run_sync().outcome == "updated"  # downloaded again, not "unchanged"
        assert k.service.apply_pending().ok
        assert k.catalogue.info().version == 2
    finally:
        k.catalogue.dispose()


def test_scheduler_and_sync_now(tmp_path, server, publisher):
    k = make_kiosk(tmp_path, server.url + "feed.json", [publisher.public_b64], deferred=True)
    k.service.initial_delay = 3600  # only sync_now wakes it in this test
    publisher.publish(clean_feed(2))
    results, done = [], threading.Event()
    try:
        k.service.start()
        assert k.service.status().next_attempt is not None
        t0 = time.monotonic()
        k.service.sync_now(lambda r: (results.append((r, threading.current_thread().name)), done.set()))
        assert time.monotonic() - t0 < 0.1  # the caller (the UI thread) never waits
        assert done.wait(10)
        result, thread = results[0]
        assert result.outcome == "updated" and thread == "catalogue-sync"
        assert k.service.has_pending()
    finally:
        k.service.stop()
        k.catalogue.dispose()
    assert k.service._thread is None


def test_sync_now_without_scheduler_runs_on_a_thread(kiosk, server, publisher):
    publisher.publish(clean_feed(2))
    done, results = threading.Event(), []
    kiosk.service.sync_now(lambda r: (results.append(r), done.set()))
    assert done.wait(10) and results[0].outcome == "updated"


def test_stop_cancels_a_sync_in_progress(kiosk, server, publisher):
    from dataclasses import replace

    kiosk.service.client.options = replace(FAST, read_timeout=30, deadline=60)
    publisher.publish(clean_feed(2))
    server.faults["/feed.json.gz"] = sl.hang
    kiosk.service.initial_delay = 0
    kiosk.service.start()
    time.sleep(0.5)
    t0 = time.monotonic()
    kiosk.service.stop()
    assert time.monotonic() - t0 < 3
    assert kiosk.service.status().last_error["code"] == "cancelled"


def test_interval_has_jitter(kiosk):
    values = {round(kiosk.service._interval()) for _ in range(20)}
    assert len(values) > 1 and all(810 <= v <= 990 for v in values)


def test_status_goes_stale_after_the_configured_days(tmp_path, server, publisher):
    clock = {"now": datetime(2026, 11, 23, 10, tzinfo=timezone.utc)}
    k = make_kiosk(tmp_path, server.url + "feed.json", [publisher.public_b64])
    try:
        service = Updates(k.config, k.catalogue, now=lambda: clock["now"], deferred=False, options=FAST)
        publisher.publish(clean_feed(2))
        assert service.run_sync().ok
        st = service.status()
        assert not st.stale and st.stale_since is None
        synced_at = st.last_success
        # Weeks without a network: the kiosk keeps its catalogue and says since when it dates.
        server.faults["*"] = sl.status(503)
        clock["now"] += timedelta(days=8)
        result = service.run_sync()
        assert not result.ok
        st = service.status()
        assert st.stale and st.stale_since == synced_at
        assert st.version == 2 and k.catalogue.info().version == 2
        assert st.last_attempt == clock["now"].replace(microsecond=0)
        assert st.history[0]["outcome"] == "failed" and st.history[1]["outcome"] == "updated"
    finally:
        k.catalogue.dispose()


def test_expired_catalogue_counts_as_stale(tmp_path, server, publisher):
    """A server that keeps saying "unchanged" about a feed nobody re-signs is a freeze."""
    clock = {"now": datetime(2026, 11, 23, 10, tzinfo=timezone.utc)}
    k = make_kiosk(tmp_path, server.url + "feed.json", [publisher.public_b64])
    try:
        service = Updates(k.config, k.catalogue, now=lambda: clock["now"], deferred=False, options=FAST)
        publisher.publish(clean_feed(2, expires_at="2026-11-25T00:00:00Z"))
        assert service.run_sync().ok and not service.status().stale
        clock["now"] += timedelta(days=3)
        assert service.run_sync().outcome == "unchanged"  # a 304 every time
        st = service.status()
        assert st.catalogue_expired and st.stale
        assert st.stale_since == datetime(2026, 11, 1, 8, tzinfo=timezone.utc)  # its generated_at
    finally:
        k.catalogue.dispose()


def test_status_survives_a_restart(kiosk, server, publisher):
    publisher.publish(clean_feed(2))
    kiosk.service.run_sync()
    again = Updates(kiosk.config, kiosk.catalogue, deferred=False, options=FAST)
    st = again.status()
    assert st.version == 2 and st.last_success is not None and st.last_outcome == "updated"
    server.requests.clear()
    assert again.run_sync().outcome == "unchanged"
    assert len(server.requests) == 1


def test_not_configured(tmp_path):
    k = make_kiosk(tmp_path, None, [])
    try:
        result = k.service.run_sync()
        assert result.code == "not_configured"
        assert not k.service.status().stale  # a standalone kiosk never claims to be stale
    finally:
        k.catalogue.dispose()


def test_heartbeat_after_each_attempt(tmp_path, server, publisher):
    k = make_kiosk(tmp_path, server.url + "feed.json", [publisher.public_b64],
                   heartbeat_url=server.url + "heartbeat", token="s3cret")
    k.service.printer_state = lambda: "ok"
    try:
        publisher.publish(clean_feed(2))
        k.service.run_sync(heartbeat_wait=5)
        server.faults["/feed.json.gz"] = sl.status(500)
        k.service.run_sync(heartbeat_wait=5)
        beats = [json.loads(b) for b in server.heartbeats]
        assert len(beats) == 2
        assert beats[0]["kiosk_id"] == "test-kiosk" and beats[0]["catalogue_version"] == 2
        assert beats[0]["printer"] == "ok" and beats[0]["app_version"]
        assert beats[0]["last_sync"] and beats[0]["uptime_seconds"] >= 0
        assert beats[1]["last_error"] == "http_status"
        posts = [h for m, p, h in server.requests if m == "POST"]
        assert posts[0]["Authorization"] == "Bearer s3cret"
    finally:
        k.catalogue.dispose()


def test_heartbeat_never_blocks(tmp_path, server, publisher):
    """A heartbeat endpoint that never answers does not delay the sync."""
    from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

    answered = threading.Event()

    class Hang(BaseHTTPRequestHandler):
        def do_POST(self):
            time.sleep(10)
            answered.set()

        def log_message(self, *a):
            pass

    hang = ThreadingHTTPServer(("127.0.0.1", 0), Hang)
    hang.daemon_threads = True
    threading.Thread(target=hang.serve_forever, daemon=True).start()
    k = make_kiosk(tmp_path, server.url + "feed.json", [publisher.public_b64],
                   heartbeat_url=f"http://127.0.0.1:{hang.server_address[1]}/hb")
    try:
        publisher.publish(clean_feed(2))
        assert k.service.run_sync().ok
        assert not answered.is_set()     # the sync did not wait for the heartbeat's answer
    finally:
        hang.shutdown()
        hang.server_close()
        k.catalogue.dispose()


def test_key_rotation(tmp_path, server, publisher):
    new_key = signing.generate()
    k = make_kiosk(tmp_path, server.url + "feed.json", [publisher.public_b64, new_key.public.b64])
    try:
        publisher.publish(clean_feed(2))
        assert k.service.run_sync().version == 2
        publisher.publish(clean_feed(3), key=new_key)  # the staff switched to the new key
        assert k.service.run_sync().version == 3
    finally:
        k.catalogue.dispose()


def test_assets_are_downloaded_by_hash_and_pruned(kiosk, server, publisher):
    logo, icon = b"\x89PNG logo v1", b"\x89PNG icon"
    sha_logo, sha_icon = (hashlib.sha256(x).hexdigest() for x in (logo, icon))
    doc = clean_feed(2)
    for svc in doc["services"]:
        if svc["organization"]["name"].startswith("Qendra"):
            svc["organization"].update(logo=f"assets/{sha_logo}", x_logo_sha256=sha_logo)
    doc["taxonomy_terms"][0].update(x_icon_url=f"assets/{sha_icon}", x_icon_sha256=sha_icon)
    publisher.publish(doc, assets={sha_logo: logo, sha_icon: icon})
    result = kiosk.service.run_sync()
    assert result.outcome == "updated" and result.assets_downloaded == 2
    assert kiosk.service.asset_path(sha_logo).read_bytes() == logo
    assert server.count(f"/assets/{sha_logo}") == 1  # once, though several services share it
    # Next version drops the logo: it leaves the cache; the unchanged icon is not fetched again.
    doc["version"] = 3
    for svc in doc["services"]:
        svc["organization"].pop("logo", None), svc["organization"].pop("x_logo_sha256", None)
    publisher.publish(doc)
    result = kiosk.service.run_sync()
    assert result.outcome == "updated" and result.assets_downloaded == 0
    assert kiosk.service.asset_path(sha_logo) is None and kiosk.service.asset_path(sha_icon)
    assert kiosk.service.asset_path("../../etc/passwd") is None


def test_run_once_exit_codes(tmp_path, server, publisher, capsys):
    config = sl.kiosk_config(tmp_path, server.url + "feed.json", [publisher.public_b64])
    config.kiosk.data_dir.mkdir(parents=True)
    cat = Catalogue(config.kiosk.database)
    cat.create_schema()
    cat.load(clean_feed(1), source="test")
    cat.dispose()
    publisher.publish(clean_feed(2))
    code, message = run_once(config, options=FAST)
    assert code == 0 and "2" in message
    code, message = run_once(config, options=FAST)
    assert code == 0  # nothing to do
    server.faults["/feed.json.gz"] = sl.status(500)
    code, message = run_once(config, options=FAST)
    assert code == 1 and "http_status" in message
    config.sync.feed_url = None
    assert run_once(config, options=FAST)[0] == 2


def test_two_processes_never_sync_at_once(kiosk, server, publisher):
    from sync.client import ProcessLock

    other = ProcessLock(kiosk.config.kiosk.data_dir / "sync" / "lock")
    assert other.acquire()
    try:
        publisher.publish(clean_feed(2))
        assert kiosk.service.run_sync().code == "busy"
    finally:
        other.release()
    assert kiosk.service.run_sync().ok


def test_real_config_object(tmp_path, server, publisher):
    """The service reads the project's own Config (kiosk.config) as well as test namespaces."""
    config_mod = pytest.importorskip("kiosk.config")
    try:
        config = config_mod.Config(
            kiosk=config_mod.KioskSection(data_dir=tmp_path / "data"),
            sync=config_mod.SyncSection(feed_url=server.url + "feed.json", public_keys=[publisher.public_b64]))
    except Exception as exc:  # noqa: BLE001 - the config module is being written elsewhere
        pytest.skip(f"kiosk.config API differs: {exc}")
    (tmp_path / "data").mkdir()
    cat = Catalogue(config.kiosk.database)
    cat.create_schema()
    cat.load(clean_feed(1), source="test")
    cat.dispose()
    publisher.publish(clean_feed(2))
    assert run_once(config, options=FAST)[0] == 0


def test_information_date_for_the_home_screen(tmp_path, server, publisher):
    """The home screen's line: after stale_after_days without a success, since when the
    information dates (before any sync: the catalogue's generated_at); never without a feed."""
    from kiosk.reads import Reads

    generated = datetime(2026, 11, 1, 8, tzinfo=timezone.utc)  # clean_feed's generated_at
    clock = {"now": generated + timedelta(days=6)}
    k = make_kiosk(tmp_path, server.url + "feed.json", [publisher.public_b64])
    services = Reads(k.catalogue)
    try:
        assert services.information_date() is None  # no sync wired: nothing to say
        service = Updates(k.config, k.catalogue, now=lambda: clock["now"], deferred=False, options=FAST)
        services.sync_status = service.status
        assert services.information_date() is None  # 6 days old
        clock["now"] = generated + timedelta(days=8)
        assert services.information_date() == generated
        k.config.kiosk.stale_after_days = 10
        assert services.information_date() is None
        k.config.kiosk.stale_after_days = 7
        publisher.publish(clean_feed(2))
        assert service.run_sync().ok
        synced = service.status().last_success
        assert services.information_date() is None
        server.faults["*"] = sl.status(503)
        clock["now"] += timedelta(days=7, hours=1)
        assert not service.run_sync().ok
        assert services.information_date() == synced
        services.sync_status = lambda: 1 / 0  # a broken status never breaks the home screen
        assert services.information_date() is None
    finally:
        services.close()
        k.catalogue.dispose()


def test_information_date_never_for_a_kiosk_without_a_feed(tmp_path):
    from kiosk.reads import Reads

    k = make_kiosk(tmp_path, None, [])
    services = Reads(k.catalogue)
    try:
        late = datetime(2030, 1, 1, tzinfo=timezone.utc)
        services.sync_status = Updates(k.config, k.catalogue, now=lambda: late).status
        assert services.information_date() is None
    finally:
        services.close()
        k.catalogue.dispose()


def test_an_empty_feed_leaves_the_catalogue_in_place(kiosk, server, publisher):
    """Review item 1: a signed feed with no services is refused and the old catalogue stays."""
    publisher.publish(clean_feed(2))
    assert kiosk.service.run_sync().outcome == "updated"
    empty = clean_feed(3)
    empty["services"] = []
    publisher.publish(empty)
    result = kiosk.service.run_sync()
    assert not result.applied and result.code == "invalid" and "no services" in result.detail, result
    info = kiosk.catalogue.info()
    assert info.version == 2 and info.service_count == 6

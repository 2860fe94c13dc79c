"""Sync figures at scale (``pytest -m bench tests/sync -s``; never in the default run).

Prints: a full sync of N services (time, bytes, phases), an unchanged sync (time, bytes), an
incremental sync (one service changed), and how long the apply holds SQLite's write lock, with
the longest a concurrent reader waited meanwhile (WAL: readers are never blocked)."""
from __future__ import annotations

import os
import threading
import time

import pytest
from sqlalchemy import event, text

from synclib import make_kiosk, FeedServer, Publisher, scaled_feed

from sync.client import ClientOptions

SIZE = int(os.environ.get("SYNC_BENCH_SERVICES", "10000"))


@pytest.mark.bench
def test_sync_figures(tmp_path):
    publisher = Publisher(tmp_path / "www")
    server = FeedServer(publisher.root).start()
    options = ClientOptions(max_feed_bytes=256 * 1024 * 1024, deadline=600)
    k = make_kiosk(tmp_path, server.url + "feed.json", [publisher.public_b64], options=options,
                   max_feed_bytes=256 * 1024 * 1024)
    lock = {"start": None, "spans": []}

    def on_execute(conn, cursor, statement, *a):
        if lock["start"] is None and statement.lstrip().upper().startswith(("DELETE", "INSERT", "UPDATE")):
            lock["start"] = time.perf_counter()

    def on_commit(conn):
        if lock["start"] is not None:
            lock["spans"].append(time.perf_counter() - lock["start"])
            lock["start"] = None

    event.listen(k.catalogue.engine, "before_cursor_execute", on_execute)
    event.listen(k.catalogue.engine, "commit", on_commit)
    try:
        t0 = time.perf_counter()
        doc = scaled_feed(SIZE, version=2)
        raw = publisher.publish(doc)
        gz = (publisher.root / "feed.json.gz").stat().st_size
        print(f"\nfeed of {SIZE} services: {len(raw):,} bytes, {gz:,} gzipped (made in {time.perf_counter() - t0:.1f} s)")

        # A reader keeps querying while the catalogue is applied.
        stop, waits = threading.Event(), []

        def reader():
            while not stop.is_set():
                t = time.perf_counter()
                with k.catalogue.engine.connect() as conn:
                    conn.execute(text("SELECT count(*) FROM service")).scalar()
                waits.append(time.perf_counter() - t)
                time.sleep(0.005)

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        result = k.service.run_sync()
        stop.set()
        thread.join()
        assert result.outcome == "updated", result
        print(f"full sync: {result.duration:.2f} s, {result.wire_bytes:,} bytes on the wire, "
              f"{result.requests} requests")
        print(f"write lock held (first write to commit): longest {max(lock['spans'], default=0.0) * 1000:.0f} ms; "
              f"longest read meanwhile {max(waits) * 1000:.1f} ms over {len(waits)} reads")

        server.requests.clear()
        result = k.service.run_sync()
        assert result.outcome == "unchanged"
        print(f"unchanged sync: {result.duration * 1000:.1f} ms, {result.wire_bytes} body bytes, "
              f"{len(server.requests)} request (a 304)")

        doc["version"] = 3
        doc["services"][17]["name"] = "Emër i ndryshuar"
        publisher.publish(doc)
        lock["spans"].clear()
        result = k.service.run_sync()
        assert result.outcome == "updated"
        print(f"incremental sync (1 service changed): {result.duration:.2f} s, {result.wire_bytes:,} bytes; "
              f"write lock {max(lock['spans'], default=0.0) * 1000:.0f} ms")

        from sync.feed import verify

        parsed = verify.parse_document(raw)
        for label, fn in (("parse", lambda: verify.parse_document(raw)),
                          ("values", lambda: verify.check_values(parsed)),
                          ("references", lambda: verify.check_references(parsed)),
                          ("HSDS schema", lambda: verify.validate_schema(parsed)),
                          ("apply (Catalogue.load)", lambda: k.catalogue.load(parsed, raw=raw, source="bench"))):
            t = time.perf_counter()
            fn()
            print(f"  {label}: {time.perf_counter() - t:.2f} s")
    finally:
        k.catalogue.dispose()
        server.stop()

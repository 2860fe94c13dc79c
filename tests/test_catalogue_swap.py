"""A new catalogue is built beside the one in use and swapped in by a rename: readers never wait,
a reader already in the middle of a read finishes on the old file, the next one reads the new."""
from __future__ import annotations

import threading
import time

from factories import make_feed
from sqlalchemy import func, select, text

from kiosk.catalogue import models as m
from kiosk.catalogue.store import Catalogue, open_catalogue


def version(session) -> int:
    return int(session.scalar(select(m.Meta.value).where(m.Meta.key == "feed_version")))


def bigger_feed(v: int, extra: int) -> dict:
    doc = make_feed(v)
    base = doc["services"][0]
    doc["services"] = doc["services"] + [dict(base, id=f"svc:extra-{i}", name=f"Shërbim {i}")
                                         for i in range(extra)]
    return doc


def test_readers_never_wait_while_a_new_catalogue_is_built(tmp_path):
    db = tmp_path / "catalogue.sqlite3"
    catalogue = Catalogue(db)
    catalogue.create_schema()
    catalogue.load(make_feed(1), source="t")
    stop, reads, seen = threading.Event(), [], set()

    def reader():
        while not stop.is_set():
            t = time.perf_counter()
            with catalogue.session() as s:
                seen.add(version(s))
                s.scalar(select(func.count()).select_from(m.Service))
            reads.append(time.perf_counter() - t)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        prepared = catalogue.prepare(bigger_feed(2, 3000), source="t")
        during = len(reads)
        with catalogue.session() as s:
            assert version(s) == 1                          # built beside: nothing changed yet
        with catalogue.session() as old_reader:              # a reader in the middle of a read
            assert version(old_reader) == 1
            catalogue.swap(prepared)
            with catalogue.session() as s:
                assert version(s) == 2                       # the next one reads the new file
            # the one that began before the swap still reads the old file, whole
            assert old_reader.scalar(select(func.count()).select_from(m.Service)) == len(make_feed(1)["services"])
        deadline = time.monotonic() + 10     # the reader's next reads find the new file
        while 2 not in seen and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
    assert during > 10 and seen == {1, 2}
    assert catalogue.last_swap_seconds < prepared.seconds / 5   # the swap is the renames only
    print(f"build beside: {prepared.seconds * 1000:.0f} ms, {during} reads meanwhile, longest "
          f"{max(reads) * 1000:.1f} ms; swap {catalogue.last_swap_seconds * 1000:.1f} ms")
    assert not list(tmp_path.glob("*.next-*"))
    catalogue.dispose()


def test_the_live_file_has_no_write_ahead_log(tmp_path):
    """An older kiosk's WAL database is turned into a plain one, so nothing beside the file
    belongs to it when a new file takes its name."""
    import sqlite3

    db = tmp_path / "catalogue.sqlite3"
    catalogue = Catalogue(db)
    catalogue.create_schema()
    catalogue.load(make_feed(1), source="t")
    catalogue.dispose()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    catalogue = open_catalogue(db)
    with catalogue.session() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "delete"
    catalogue.load(make_feed(2), source="t")
    assert not (tmp_path / "catalogue.sqlite3-wal").exists()
    with catalogue.session() as s:
        assert version(s) == 2
    catalogue.dispose()


def test_a_discarded_or_interrupted_build_leaves_nothing(tmp_path):
    db = tmp_path / "catalogue.sqlite3"
    catalogue = open_catalogue(db)
    prepared = catalogue.prepare(make_feed(5), source="t")
    catalogue.discard(prepared)
    assert not list(tmp_path.glob("*.next-*"))
    catalogue.prepare(make_feed(6), source="t")               # the kiosk stops before the swap
    catalogue.dispose()
    again = open_catalogue(db)
    assert not list(tmp_path.glob("*.next-*")) and again.info().version == 1
    again.dispose()

"""The catalogue on disk: the SQLite index and the verified feed file it is derived from.

``<db>`` is the SQLite database; ``<db>.feed.json`` beside it is the last feed that was loaded.
The database is rebuilt from that file (or from the bundled sample catalogue on first start) when
it is missing, was made by another schema version, or fails ``PRAGMA quick_check``.

**A new catalogue never holds a lock on the one in use.** The database is derived, so a feed is
not written into it: :meth:`Catalogue.prepare` builds a whole new file beside it
(``<db>.next-<version>``, no journal, then ``quick_check``, its version checked, fsync), and
:meth:`Catalogue.swap` puts it in place with one atomic rename (milliseconds; the kiosk does it on
its welcome screen). Readers never wait: a session opened after the rename reads the new file
(every session checks the file's inode), one already open finishes on the old file, which the
system keeps until its last reader closes it. The live file is never written, so it has no
write-ahead log (``journal_mode=DELETE``): nothing beside it belongs to the old file when the new
one takes its name. A kill at any moment leaves the old or the new catalogue; leftovers of a
build are removed at the next start (:func:`open_catalogue`).
"""
from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
import time
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from kiosk.catalogue import models as m
from kiosk.catalogue.build import build, compact
from kiosk.catalogue.search import create_index
from kiosk.paths import SAMPLE_FEED
from sync.feed import document as feedmod
from sync.feed.files import write_atomic

log = logging.getLogger(__name__)


def feed_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".feed.json")


def _compact_json(value: Any) -> str:
    """JSON columns (translations, extra) as written without spaces and with their letters as
    UTF-8, not ``\\u00eb`` escapes: a third less room for a short translation. Four in five are
    empty (a record without translations or fields of its own): those skip the encoder."""
    if value == {} and type(value) is dict:
        return "{}"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def make_engine(db_path: Path, *, building: bool = False) -> Engine:
    """An engine on ``db_path``. ``building``: a new file nobody reads yet, written in one go and
    fsynced afterwards (no journal, no syncs: a build that dies is thrown away whole)."""
    engine = create_engine(f"sqlite:///{db_path}", future=True, json_serializer=_compact_json)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN decide transactions; apply pragmas on every new connection.
        cur = dbapi_conn.cursor()
        if building:
            cur.execute("PRAGMA journal_mode=OFF")
            cur.execute("PRAGMA synchronous=OFF")
        else:
            # (turns a write-ahead log left by an older kiosk back into the file, when alone)
            cur.execute("PRAGMA journal_mode=DELETE")
            cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.close()

    return engine


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _fsync_path(path: Path, directory: bool = False) -> None:
    fd = os.open(path, (os.O_RDONLY | os.O_DIRECTORY) if directory else os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Prepared:
    """A catalogue built beside the one in use, checked and on disk, waiting for :meth:`Catalogue.swap`."""

    version: int
    services: int
    db_path: Path
    feed_path: Path
    seconds: float


class PrepareError(Exception):
    """The new database failed its own check (it is thrown away; the catalogue in use stays)."""


def _schema_version(db_path: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError):
        return None


def check_database(db_path: Path) -> str | None:
    """Why the database must be rebuilt, or None when it is sound and current."""
    if not db_path.exists():
        return "missing"
    version = _schema_version(db_path)
    if version is None:
        return "unreadable"
    if version != m.SCHEMA_VERSION:
        return f"schema {version} != {m.SCHEMA_VERSION}"
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            # quick_check reads every page and checks the b-trees, as integrity_check does, but
            # not that each index matches its table: 0.65 s instead of 4.8 s at 100k services,
            # at every start of the kiosk. SQLite's atomic commit keeps indexes and tables in step.
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            has_meta = conn.execute("SELECT count(*) FROM meta WHERE key='feed_version'").fetchone()[0]
        finally:
            conn.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # garbage decodes as garbage text
        return f"unreadable: {exc}"
    if result != "ok":
        return f"quick_check: {result}"
    if not has_meta:
        return "empty"
    return None


def _remove_database(db_path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = Path(str(db_path) + suffix)
        if p.exists():
            p.unlink()


@dataclass
class CatalogueInfo:
    version: int
    generated_at: str
    expires_at: str
    loaded_at: str
    source: str
    demo: bool
    service_count: int


class Catalogue:
    """An open catalogue database; hand out one session per unit of work."""

    def __init__(self, db_path: Path):
        self.db_path = Path(db_path)
        self.feed_path = feed_path_for(self.db_path)
        self._switch = threading.Lock()    # guards engine, sessions, _inode
        self._writes = threading.Lock()    # one prepare or swap at a time
        self.engine = make_engine(self.db_path)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._inode = _inode(self.db_path)
        #: seconds the last swap took (the rename and the switch of engines)
        self.last_swap_seconds: float | None = None

    def _follow(self) -> None:
        """Open the file now at ``db_path`` if it is not the one the engine reads (after a swap
        here, or a ``kiosk load-feed`` / ``kiosk sync`` in another process)."""
        current = _inode(self.db_path)
        if current is None or current == self._inode:
            return
        with self._switch:
            if current == self._inode:
                return
            old = self.engine
            self.engine = make_engine(self.db_path)
            self.sessions = sessionmaker(self.engine, expire_on_commit=False)
            self._inode = current
        # idle connections close now; one still in use finishes on the old file, then closes
        old.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        self._follow()
        with self.sessions() as session:
            yield session

    def create_schema(self) -> None:
        m.Base.metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            conn.execute(text(f"PRAGMA user_version={m.SCHEMA_VERSION}"))
        with self.session() as session, session.begin():
            create_index(session)

    def load(self, doc: dict[str, Any], raw: bytes | None = None, source: str = "") -> int:
        """Replace the catalogue with ``doc`` now (:meth:`prepare`, then :meth:`swap`) and keep
        its file for rebuilds; the number of services."""
        prepared = self.prepare(doc, raw, source)
        self.swap(prepared)
        return prepared.services

    def prepare(self, doc: dict[str, Any], raw: bytes | None = None, source: str = "") -> Prepared:
        """Build ``doc`` into a new database file beside the one in use (which nobody waits
        for meanwhile), check it and make it durable; call from a worker thread."""
        t0 = time.monotonic()
        version = int(doc["version"])
        data = raw if raw is not None else feedmod.dumps(doc)
        db_next, feed_next = self.next_paths(version)
        with self._writes:
            _remove_database(db_next)
            try:
                write_atomic(feed_next, data)
                engine = make_engine(db_next, building=True)
                try:
                    m.Base.metadata.create_all(engine)
                    with engine.begin() as conn:
                        conn.execute(text(f"PRAGMA user_version={m.SCHEMA_VERSION}"))
                    with sessionmaker(engine)() as session, session.begin():
                        create_index(session)
                        count = build(session, doc, source)
                    compact(engine)
                finally:
                    engine.dispose()
                _fsync_path(db_next)
                problem = check_database(db_next)
                if problem is None and _committed_version(db_next) != version:
                    problem = f"holds version {_committed_version(db_next)}, not {version}"
                if problem is not None:
                    raise PrepareError(f"new catalogue database {db_next.name}: {problem}")
            except BaseException:
                _remove_database(db_next)
                feed_next.unlink(missing_ok=True)
                raise
        return Prepared(version, count, db_next, feed_next, round(time.monotonic() - t0, 3))

    def next_paths(self, version: int) -> tuple[Path, Path]:
        """Where :meth:`prepare` builds ``version``: the new database file and its feed file."""
        return (self.db_path.with_name(f"{self.db_path.name}.next-{version}"),
                self.feed_path.with_name(f"{self.feed_path.name}.next-{version}"))

    def discard_build(self, version: int) -> None:
        """Remove what a build of ``version`` that did not finish left (its process was killed)."""
        db_next, feed_next = self.next_paths(version)
        with self._writes:
            _remove_database(db_next)
            feed_next.unlink(missing_ok=True)
            for tmp in feed_next.parent.glob(f".{feed_next.name}.*.tmp"):
                tmp.unlink(missing_ok=True)

    def swap(self, prepared: Prepared) -> None:
        """Put a prepared catalogue in place: renames only (call it where nobody is looking).

        Order, so that a kill anywhere leaves the old or the new catalogue with its own feed file
        (:func:`_settle_staged_feed` finishes or undoes the last step at the next start): the feed
        becomes ``.feed.json.new``, the database takes its name, then the feed takes its own."""
        t0 = time.monotonic()
        staged = self.feed_path.with_name(self.feed_path.name + ".new")
        with self._writes:
            self._no_write_ahead_log()
            os.replace(prepared.feed_path, staged)
            os.replace(prepared.db_path, self.db_path)
            _fsync_path(self.db_path.parent, directory=True)
            os.replace(staged, self.feed_path)
            _fsync_path(self.db_path.parent, directory=True)
        self._follow()
        self.last_swap_seconds = time.monotonic() - t0

    def discard(self, prepared: Prepared) -> None:
        """Throw away a prepared catalogue that will not be used (a newer one replaced it)."""
        with self._writes:
            _remove_database(prepared.db_path)
            prepared.feed_path.unlink(missing_ok=True)

    def _no_write_ahead_log(self) -> None:
        """A write-ahead log beside the database (left by an older kiosk's WAL mode) would be
        read into the new file that takes its name: fold it into the old file first."""
        wal = Path(str(self.db_path) + "-wal")
        if not wal.exists():
            return
        conn = sqlite3.connect(str(self.db_path))
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
        for suffix in ("-wal", "-shm"):
            Path(str(self.db_path) + suffix).unlink(missing_ok=True)

    def info(self) -> CatalogueInfo:
        with self.session() as session:
            meta = dict(session.execute(select(m.Meta.key, m.Meta.value)).all())
            count = session.scalar(select(text("count(*)")).select_from(m.Service)) or 0
        return CatalogueInfo(
            version=int(meta.get("feed_version", "0")), generated_at=meta.get("generated_at", ""),
            expires_at=meta.get("expires_at", ""), loaded_at=meta.get("loaded_at", ""),
            source=meta.get("source", ""), demo=meta.get("demo") == "1", service_count=count)

    def dispose(self) -> None:
        self.engine.dispose()


def _committed_version(db_path: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key='feed_version'").fetchone()
            return int(row[0]) if row else None
        finally:
            conn.close()
    except (sqlite3.DatabaseError, ValueError):
        return None


def _remove_leftovers(db_path: Path) -> None:
    """Builds a kill interrupted (``<db>.next-*``, ``<feed>.next-*``): never used, removed."""
    feed = feed_path_for(db_path)
    # (and the temporary file of the feed's copy, ``.<feed>.next-<v>.<random>.tmp``, see write_atomic)
    for pattern, directory in ((db_path.name + ".next-*", db_path.parent), (feed.name + ".next-*", feed.parent),
                               ("." + feed.name + ".next-*.tmp", feed.parent)):
        for leftover in directory.glob(pattern):
            log.warning("removing an unfinished catalogue build: %s", leftover.name)
            leftover.unlink(missing_ok=True)


def _settle_staged_feed(db_path: Path) -> None:
    """Finish or undo a load that was interrupted between its commit and its rename.

    The staged ``.feed.json.new`` becomes the kept feed when the database committed that version,
    and is dropped when it did not, so the kept file always matches the database.
    """
    kept = feed_path_for(db_path)
    staged = kept.with_name(kept.name + ".new")
    if not staged.exists():
        return
    committed = None
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key='feed_version'").fetchone()
            committed = int(row[0]) if row else None
        finally:
            conn.close()
        staged_version = feedmod.loads(staged.read_bytes())["version"]
    except (sqlite3.DatabaseError, UnicodeDecodeError, OSError, ValueError, feedmod.FeedError):
        staged_version = None
    if committed is not None and committed == staged_version:
        os.replace(staged, kept)
    else:
        staged.unlink(missing_ok=True)


def open_catalogue(db_path: Path | str, fallback_feed: Path = SAMPLE_FEED) -> Catalogue:
    """Open the catalogue, rebuilding it first from its feed file (or the sample) when needed."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(db_path)
    if db_path.exists():
        _settle_staged_feed(db_path)
    reason = check_database(db_path)
    if reason is None:
        return Catalogue(db_path)
    log.warning("rebuilding catalogue database %s (%s)", db_path, reason)
    _remove_database(db_path)
    catalogue = Catalogue(db_path)
    catalogue.create_schema()
    stored = feed_path_for(db_path)
    source = "stored"
    raw = None
    if stored.exists():
        try:
            raw = stored.read_bytes()
            doc = feedmod.loads(raw)
        except (OSError, feedmod.FeedError) as exc:
            log.error("stored feed %s unusable (%s); loading the sample catalogue", stored, exc)
            raw = None
    if raw is None:
        raw, source = fallback_feed.read_bytes(), "sample"
        doc = feedmod.loads(raw)
    catalogue.load(doc, raw=raw, source=source if source == "sample" else _stored_source(doc))
    return catalogue


def _stored_source(doc: dict[str, Any]) -> str:
    return f"stored feed v{doc['version']}"

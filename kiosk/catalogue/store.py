"""The catalogue on disk: the SQLite index and the verified feed file it is derived from.

``<db>`` is the SQLite database (WAL, ``synchronous=FULL``); ``<db>.feed.json`` beside it is the
last feed that was loaded. The database is rebuilt from that file (or from the bundled sample
catalogue on first start) when it is missing, was made by another schema version, or fails
``PRAGMA quick_check``.
"""
from __future__ import annotations

import logging
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from kiosk.catalogue import models as m
from kiosk.catalogue.build import build
from kiosk.catalogue.search import create_index
from kiosk.paths import SAMPLE_FEED
from sync.feed import document as feedmod
from sync.feed.files import write_atomic

log = logging.getLogger(__name__)


def feed_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".feed.json")


def make_engine(db_path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{db_path}", future=True)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN decide transactions; apply pragmas on every new connection.
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.close()

    return engine


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
        self.engine = make_engine(self.db_path)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    def create_schema(self) -> None:
        m.Base.metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            conn.execute(text(f"PRAGMA user_version={m.SCHEMA_VERSION}"))
        with self.session() as session, session.begin():
            create_index(session)

    def load(self, doc: dict[str, Any], raw: bytes | None = None, source: str = "") -> int:
        """Replace the catalogue with ``doc`` in one transaction and keep its file for rebuilds.

        The feed file is staged first and moved into place only after the commit, so the file
        beside the database always matches a committed catalogue.
        """
        data = raw if raw is not None else feedmod.dumps(doc)
        staged = self.feed_path.with_name(self.feed_path.name + ".new")
        write_atomic(staged, data)
        with self.session() as session:
            with session.begin():
                session.connection().exec_driver_sql("PRAGMA synchronous=FULL")
                count = build(session, doc, source)
        os.replace(staged, self.feed_path)
        return count

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

"""What the kiosk keeps for the staff: "this is wrong" reports and anonymous usage counts per hour.

``<data dir>/feedback.sqlite3`` (SQLite, WAL, ``synchronous=FULL``, checked with ``quick_check`` at
open and set aside when damaged, like the catalogue) holds three small tables: ``report`` (one row a
report), ``usage`` (one row an hour, or a day once merged, its counts and unmet searches as JSON) and
``meta`` (when something was last sent). It is written with the standard library's ``sqlite3``: the
rows are a handful of short upserts whose bounded size is the point, and no ORM object is needed.

Counting (:meth:`FeedbackStore.count` and the visit calls) touches memory only, so the UI thread may
call it; :meth:`FeedbackStore.flush` writes the buffered counts in one transaction (the sender does
before each send, the app at shutdown; a crash loses at most the counts since the last flush).
:meth:`FeedbackStore.record_report` writes at once. Nothing finer than an hour is ever written: no
visit id, no time of a touch.

Sensitive subjects (``sensitive``, a predicate on a catalogue id, says which: a shelter's service,
its category, its provider) are never counted in an hour: their keys go to the day's record, once a
visit, under ``sensitive:<family>`` and, once three separate visits of the day opened the subject,
under their own key (:meth:`Visits.sensitive` keeps the visits in memory until then); a report on
one keeps its subject but only its day (``span`` ``day``), and is sent once the day is over.

Bounded: when the file would pass ``max_bytes`` the oldest closed hours are merged into one record
per local day (the record takes the day's id), then the oldest days are dropped, with a log line.
Only records whose hour (or day) is over are :meth:`pending`; :meth:`acknowledge` deletes what the
server has stored.
"""
from __future__ import annotations

import json
import logging
import os
import secrets
import sqlite3
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time as dtime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from kiosk.feedback.visits import Visits
from sync.feed.document import format_timestamp, utcnow
from sync.feed.telemetry import (MAX_COUNT, MAX_COUNT_KEYS, MAX_TERMS, OVERFLOW_KEY, REASONS,
                                 SENSITIVE_FAMILY, SUBJECTS, subject_of, valid_count_key)

log = logging.getLogger(__name__)

FILENAME = "feedback.sqlite3"
MIB = 1024 * 1024
MAX_BYTES = 2 * MIB                # the database and its WAL together
WAL_LIMIT = 256 * 1024             # the WAL is checkpointed and cut back near this (or max_bytes / 8)
MAX_REPORTS_PER_HOUR = 30          # more in one hour is a game, not feedback
HOUR = 3600
TZ = ZoneInfo("Europe/Tirane")     # where the kiosk's day begins and ends

SCHEMA = """
CREATE TABLE IF NOT EXISTS report (
    id TEXT PRIMARY KEY, subject TEXT NOT NULL, subject_id TEXT NOT NULL, reason TEXT NOT NULL,
    catalogue_version INTEGER NOT NULL, hour INTEGER NOT NULL,
    span TEXT NOT NULL DEFAULT 'hour' CHECK (span IN ('hour', 'day')));
CREATE TABLE IF NOT EXISTS usage (
    id TEXT PRIMARY KEY, start INTEGER NOT NULL, span TEXT NOT NULL CHECK (span IN ('hour', 'day')),
    counts TEXT NOT NULL, terms TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS usage_start ON usage (start);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Pending:
    """What may be sent now, in wire form (see :mod:`sync.feed.telemetry`)."""

    reports: list[dict[str, Any]]
    hours: list[dict[str, Any]]


@dataclass(frozen=True)
class Waiting:
    reports: int
    hours: int
    days: int
    last_sent: str | None
    bytes_on_disk: int


def hour_start(moment: datetime) -> int:
    """The UTC epoch second at which ``moment``'s hour began."""
    return int(moment.timestamp()) // HOUR * HOUR


def _connect(path: Path, wal_limit: int) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    db.execute("PRAGMA auto_vacuum=INCREMENTAL")   # takes effect on a new file only
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute(f"PRAGMA journal_size_limit={int(wal_limit)}")
    db.execute(f"PRAGMA wal_autocheckpoint={max(8, wal_limit // 4096)}")
    return db


def _dump(data: Mapping[str, int]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _merge(into: dict[str, int], add: Mapping[str, int], cap: int, overflow: str | None) -> dict[str, int]:
    """Add ``add`` to ``into``; a key beyond ``cap`` keys goes to ``overflow`` (or is dropped)."""
    for key, n in add.items():
        if key not in into and len(into) >= cap:
            if overflow is None:
                continue
            key = overflow
        into[key] = min(MAX_COUNT, into.get(key, 0) + n)
    return into


def _upgrade(db: sqlite3.Connection) -> None:
    """A store made before reports had a ``span`` gets the column (its reports are hourly)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(report)")}
    if "span" not in columns:
        db.execute("ALTER TABLE report ADD COLUMN span TEXT NOT NULL DEFAULT 'hour' "
                   "CHECK (span IN ('hour', 'day'))")


class FeedbackStore:
    """Thread-safe. ``clock`` gives the current UTC time; ``tz`` says where a day begins."""

    def __init__(self, path: str | Path, *, max_bytes: int = MAX_BYTES, tz: ZoneInfo = TZ,
                 clock: Callable[[], datetime] = utcnow, visits: Visits | None = None,
                 sensitive: Callable[[str], bool] | None = None):
        self.path = Path(path)
        self.max_bytes = max_bytes
        self._wal_limit = min(WAL_LIMIT, max_bytes // 8)
        self.tz = tz
        self.clock = clock
        self.visits = visits or Visits()
        self.sensitive = sensitive
        self._lock = threading.RLock()
        self._counts: dict[int, Counter[str]] = {}
        self._terms: dict[int, Counter[str]] = {}
        self._days: dict[int, Counter[str]] = {}     # local midnight -> sensitive subjects' counts
        self._db = self._open()
        self._closed = False

    @classmethod
    def in_dir(cls, data_dir: str | Path, **kwargs: Any) -> "FeedbackStore":
        return cls(Path(data_dir) / FILENAME, **kwargs)

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = _connect(self.path, self._wal_limit)
            if db.execute("PRAGMA quick_check").fetchone()[0] == "ok":
                db.executescript(SCHEMA)
                _upgrade(db)
                return db
            db.close()
        except sqlite3.OperationalError:
            raise   # locked, read-only, no space: the file may be fine, so it is not set aside
        except sqlite3.DatabaseError as exc:
            log.error("feedback store %s unreadable: %s", self.path, exc)
        aside = self.path.with_name(self.path.name + ".damaged")
        log.error("feedback store %s is damaged; set aside as %s, starting afresh", self.path, aside)
        os.replace(self.path, aside)
        for suffix in ("-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        db = _connect(self.path, self._wal_limit)
        db.executescript(SCHEMA)
        return db

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # ------------------------------------------------------------------ recording

    def record_report(self, subject: str, subject_id: str | UUID, reason: str, catalogue_version: int,
                      now: datetime | None = None) -> str | None:
        """Keep one report (written at once); its id, or None past the hourly cap."""
        if subject not in SUBJECTS or reason not in REASONS:
            raise ValueError(f"unknown report subject or reason: {subject!r}, {reason!r}")
        if type(catalogue_version) is not int or catalogue_version < 0:
            raise ValueError(f"bad catalogue version {catalogue_version!r}")
        subject_id = str(UUID(str(subject_id)))
        now = now or self.clock()
        span = "day" if self.is_sensitive(subject_id) else "hour"
        hour = self._day_bounds(hour_start(now))[1] if span == "day" else hour_start(now)
        with self._tx() as db:
            if db.execute("SELECT count(*) FROM report WHERE hour = ? AND span = ?",
                          (hour, span)).fetchone()[0] >= MAX_REPORTS_PER_HOUR:
                log.warning("more than %d reports this %s; this one is not kept", MAX_REPORTS_PER_HOUR, span)
                return None
            report_id = str(uuid4())
            db.execute("INSERT INTO report (id, subject, subject_id, reason, catalogue_version, hour, span) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (report_id, subject, subject_id, reason, catalogue_version, hour, span))
        self._bound()
        return report_id

    def is_sensitive(self, subject_id: str) -> bool:
        """Whether ``subject_id`` is a sensitive subject of the loaded catalogue (see the module)."""
        if self.sensitive is None:
            return False
        try:
            return bool(self.sensitive(subject_id))
        except Exception:  # noqa: BLE001 - unknown: treated as sensitive rather than counted hourly
            log.exception("is %r sensitive", subject_id)
            return True

    def count(self, key: str, n: int = 1, now: datetime | None = None) -> None:
        """Count ``n`` events under ``key`` in the current hour (memory only until :meth:`flush`);
        a sensitive subject's key in the day instead, under the rule of the module."""
        if not valid_count_key(key) or not isinstance(n, int) or n < 0:
            log.warning("usage key %r (n=%r) is not in the contract; not counted", key, n)
            return
        now = now or self.clock()
        subject = subject_of(key)
        if subject is not None and self.is_sensitive(subject[1]):
            self._count_sensitive(key, subject[0], now)
            return
        start = hour_start(now)
        with self._lock:
            self._counts.setdefault(start, Counter())[key] += n

    def _count_sensitive(self, key: str, family: str, now: datetime) -> None:
        day = now.astimezone(self.tz).date()
        first, own = self.visits.sensitive(key, day)
        if not first and not own:
            return
        start = int(datetime.combine(day, dtime(0), self.tz).timestamp())
        with self._lock:
            counts = self._days.setdefault(start, Counter())
            if first:
                counts[f"{SENSITIVE_FAMILY}:{family}"] += 1
            if own:
                counts[key] += own

    def visit_started(self) -> None:
        self.visits.start()

    def visit_ended(self, trailing_idle: float = 0.0, now: datetime | None = None) -> None:
        """Count the visit and its length bucket (``trailing_idle``: untouched time before an idle reset)."""
        bucket = self.visits.end(trailing_idle)
        if bucket is not None:
            self.count("visit", 1, now)
            self.count(bucket, 1, now)

    def unmet_search(self, term: str, now: datetime | None = None) -> None:
        """A settled search that found nothing: counted, its term kept only under the contract's rule."""
        if not isinstance(term, str) or not term.strip():
            return
        now = now or self.clock()
        self.count("search:none", 1, now)
        kept = self.visits.unmet(term, now.astimezone(self.tz).date())
        if kept is not None:
            with self._lock:
                self._terms.setdefault(hour_start(now), Counter())[kept[0]] += kept[1]

    # ------------------------------------------------------------------ writing

    def flush(self) -> None:
        """Write the buffered counts (one transaction), then keep the file within its bound.

        Also ends the day of the search filter when the day is over (see :meth:`Visits.roll`).
        """
        self.visits.roll(self.clock().astimezone(self.tz).date())
        with self._lock:
            counts, terms, days = self._counts, self._terms, self._days
            self._counts, self._terms, self._days = {}, {}, {}
            if not counts and not terms and not days:
                return
            try:
                with self._tx() as db:
                    for start in sorted(set(counts) | set(terms)):
                        self._add_to_hour(db, start, counts.get(start, {}), terms.get(start, {}))
                    for start in sorted(days):
                        self._add_to_day(db, start, days[start])
            except sqlite3.Error as exc:
                log.warning("cannot save usage counts (kept in memory): %s", exc)
                for source, buffer in ((counts, self._counts), (terms, self._terms), (days, self._days)):
                    for start, add in source.items():
                        buffer.setdefault(start, Counter()).update(add)
                return
            self._bound()

    def _add_to_hour(self, db: sqlite3.Connection, start: int, counts: Mapping[str, int],
                     terms: Mapping[str, int]) -> None:
        row = db.execute("SELECT id, counts, terms FROM usage WHERE span = 'hour' AND start = ?",
                         (start,)).fetchone()
        if row is None:
            label = datetime.fromtimestamp(start, timezone.utc).strftime("%Y-%m-%dT%HZ")
            row = (f"{label}/{secrets.token_hex(4)}", "{}", "{}")
            db.execute("INSERT INTO usage VALUES (?, ?, 'hour', '{}', '{}')", (row[0], start))
        merged = _merge(json.loads(row[1]), counts, MAX_COUNT_KEYS, OVERFLOW_KEY)
        kept = _merge(json.loads(row[2]), terms, MAX_TERMS, None)
        db.execute("UPDATE usage SET counts = ?, terms = ? WHERE id = ?",
                   (_dump(merged), _dump(kept), row[0]))

    def _add_to_day(self, db: sqlite3.Connection, start: int, counts: Mapping[str, int]) -> None:
        """Add to the day record that begins at local midnight ``start`` (made if need be)."""
        row = db.execute("SELECT id, counts FROM usage WHERE span = 'day' AND start = ?", (start,)).fetchone()
        if row is None:
            day = datetime.fromtimestamp(start, self.tz).date()
            row = (f"{day.isoformat()}/{secrets.token_hex(4)}", "{}")
            db.execute("INSERT INTO usage VALUES (?, ?, 'day', '{}', '{}')", (row[0], start))
        merged = _merge(json.loads(row[1]), counts, MAX_COUNT_KEYS, OVERFLOW_KEY)
        db.execute("UPDATE usage SET counts = ? WHERE id = ?", (_dump(merged), row[0]))

    # ------------------------------------------------------------------ the bound

    def _used_bytes(self) -> int:
        page = self._db.execute("PRAGMA page_size").fetchone()[0]
        pages = self._db.execute("PRAGMA page_count").fetchone()[0]
        free = self._db.execute("PRAGMA freelist_count").fetchone()[0]
        return page * (pages - free)

    def _bound(self) -> None:
        limit = self.max_bytes - 2 * self._wal_limit
        with self._lock:
            shrunk = False
            while self._used_bytes() > limit:
                if not (self._merge_oldest_day() or self._drop_oldest_day() or self._drop_oldest_report()):
                    break
                shrunk = True
            if shrunk or self.bytes_on_disk() > self.max_bytes - self._wal_limit:
                self._db.execute("PRAGMA incremental_vacuum")
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _day_bounds(self, start: int) -> tuple[date, int, int]:
        day = datetime.fromtimestamp(start, self.tz).date()
        lo = datetime.combine(day, dtime(0), self.tz)
        hi = datetime.combine(day + timedelta(days=1), dtime(0), self.tz)
        return day, int(lo.timestamp()), int(hi.timestamp())

    def _merge_oldest_day(self) -> bool:
        current = hour_start(self.clock())
        first = self._db.execute("SELECT min(start) FROM usage WHERE span = 'hour' AND start < ?",
                                 (current,)).fetchone()[0]
        if first is None:
            return False
        day, lo, hi = self._day_bounds(first)
        with self._tx() as db:
            hours = db.execute("SELECT id, counts, terms FROM usage WHERE span = 'hour' AND start >= ? "
                               "AND start < ? AND start < ?", (lo, hi, current)).fetchall()
            target = db.execute("SELECT id, counts, terms FROM usage WHERE span = 'day' AND start = ?",
                                (lo,)).fetchone()
            if target is None:
                target = (f"{day.isoformat()}/{secrets.token_hex(4)}", "{}", "{}")
                db.execute("INSERT INTO usage VALUES (?, ?, 'day', '{}', '{}')", (target[0], lo))
            counts, terms = json.loads(target[1]), json.loads(target[2])
            for _id, hour_counts, hour_terms in hours:
                _merge(counts, json.loads(hour_counts), MAX_COUNT_KEYS, OVERFLOW_KEY)
                _merge(terms, json.loads(hour_terms), MAX_TERMS, None)
            db.execute("UPDATE usage SET counts = ?, terms = ? WHERE id = ?",
                       (_dump(counts), _dump(terms), target[0]))
            db.executemany("DELETE FROM usage WHERE id = ?", [(h[0],) for h in hours])
        log.info("feedback store full: merged %d hours of %s into one day", len(hours), day)
        return True

    def _drop_oldest_day(self) -> bool:
        row = self._db.execute("SELECT id, start, counts FROM usage WHERE start < ? ORDER BY start LIMIT 1",
                               (hour_start(self.clock()),)).fetchone()
        if row is None:
            return False
        with self._tx() as db:
            db.execute("DELETE FROM usage WHERE id = ?", (row[0],))
        day = datetime.fromtimestamp(row[1], self.tz).date()
        log.warning("feedback store full: dropped the usage counts of %s (%d events never sent)",
                    day, sum(json.loads(row[2]).values()))
        return True

    def _drop_oldest_report(self) -> bool:
        row = self._db.execute("SELECT id FROM report ORDER BY hour LIMIT 1").fetchone()
        if row is None:
            return False
        with self._tx() as db:
            db.execute("DELETE FROM report WHERE id = ?", (row[0],))
        log.warning("feedback store full: dropped report %s, never sent", row[0])
        return True

    # ------------------------------------------------------------------ sending

    def _wire_hour(self, start: int, span: str) -> str:
        if span == "day":
            return datetime.fromtimestamp(start, self.tz).isoformat()
        return format_timestamp(datetime.fromtimestamp(start, timezone.utc))

    def pending(self, now: datetime | None = None) -> Pending:
        """Flush, then every report and record whose hour (or day) is over, oldest first."""
        self.flush()
        now_s = int((now or self.clock()).timestamp())
        with self._lock:
            reports = self._db.execute("SELECT id, subject, subject_id, reason, catalogue_version, hour, span "
                                       "FROM report WHERE hour + ? <= ? ORDER BY hour", (HOUR, now_s)).fetchall()
            rows = self._db.execute("SELECT id, start, span, counts, terms FROM usage "
                                    "ORDER BY start").fetchall()
        fields = ("id", "subject", "subject_id", "reason", "catalogue_version")
        reports = [dict(zip(fields, r[:5]), hour=self._wire_hour(r[5], r[6]), span=r[6]) for r in reports
                   if r[6] == "hour" or self._day_bounds(r[5])[2] <= now_s]
        hours = []
        for record_id, start, span, counts, terms in rows:
            end = self._day_bounds(start)[2] if span == "day" else start + HOUR
            if end <= now_s:
                hours.append({"id": record_id, "hour": self._wire_hour(start, span), "span": span,
                              "counts": json.loads(counts), "unmet_searches": json.loads(terms)})
        return Pending(reports, hours)

    def acknowledge(self, ids: Iterable[str], now: datetime | None = None) -> int:
        """Forget what the server has stored; how many rows went."""
        ids = [(i,) for i in set(ids)]
        if not ids:
            return 0
        with self._tx() as db:
            gone = db.executemany("DELETE FROM report WHERE id = ?", ids).rowcount
            gone += db.executemany("DELETE FROM usage WHERE id = ?", ids).rowcount
            db.execute("INSERT OR REPLACE INTO meta VALUES ('last_sent', ?)",
                       (format_timestamp(now or self.clock()),))
        return gone

    def drop(self, ids: Iterable[str], why: str) -> None:
        """Forget records the server refused one by one (they would be refused for ever)."""
        ids = [(i,) for i in set(ids)]
        with self._tx() as db:
            db.executemany("DELETE FROM report WHERE id = ?", ids)
            db.executemany("DELETE FROM usage WHERE id = ?", ids)
        log.error("the server refused %d feedback records, dropped: %s", len(ids), why)

    def waiting(self) -> Waiting:
        with self._lock:
            reports = self._db.execute("SELECT count(*) FROM report").fetchone()[0]
            spans = dict(self._db.execute("SELECT span, count(*) FROM usage GROUP BY span").fetchall())
            last = self._db.execute("SELECT value FROM meta WHERE key = 'last_sent'").fetchone()
        return Waiting(reports, spans.get("hour", 0), spans.get("day", 0), last[0] if last else None,
                       self.bytes_on_disk())

    def bytes_on_disk(self) -> int:
        return sum(p.stat().st_size for p in (self.path, Path(str(self.path) + "-wal")) if p.exists())

    def close(self) -> None:
        """Flush and close; a second call does nothing."""
        with self._lock:
            if self._closed:
                return
            self.flush()
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.close()
            self._closed = True

"""Storing what a kiosk posts to ``/api/reports`` and ``/api/usage`` (contract:
:mod:`sync.feed.telemetry`), idempotent by id, in one transaction per post.

For each item a receipt row ``(kiosk, kind, id)`` is inserted with ``ON CONFLICT DO NOTHING
RETURNING``: only an item whose receipt is new is counted, so a repeat (the kiosk never got the
answer) is accepted and not counted again. Two posts of the same id at once: the second insert
waits for the first to commit, then does nothing. Counts are added with ``ON CONFLICT DO UPDATE
SET n = n + excluded.n``. Both statements are the same SQL on SQLite (3.35+) and PostgreSQL; the
dialect's ``insert`` is picked by the engine's name.
"""
from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sync.feed.telemetry import ReportsPost, TelemetryError, UsagePost
from sync.server.feedback_models import FeedbackReceipt, FeedbackReport, UnmetSearch, UsageCount
from sync.server.models import Kiosk, utcnow
from sync.server.security import token_digest

TIRANE = ZoneInfo("Europe/Tirane")
FUTURE = timedelta(days=1)
PAST = timedelta(days=400)
#: Receipts are kept longer than any kiosk keeps a record (it drops what is older than its bound).
RECEIPT_DAYS = 450
_PRUNE_EVERY = 3600.0
_last_prune = [0.0]


def kiosk_for(db: Session, authorization: str) -> Kiosk | None:
    """The live kiosk a ``Bearer`` token belongs to (the heartbeat's scheme), or None."""
    if authorization[:7].lower() != "bearer " or len(authorization) > 300:
        return None
    token = authorization[7:].strip()
    if not token:
        return None
    return db.scalar(select(Kiosk).where(Kiosk.token_sha256 == token_digest(token), Kiosk.revoked_at.is_(None)))


def _insert(db: Session, model: Any):
    """The dialect's INSERT on the model's table (Core, not the ORM's slower bulk path)."""
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model.__table__)


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def local_day(moment: datetime) -> date:
    """The Europe/Tirane date of an aware time (or of naive UTC as stored)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(TIRANE).date()


def check_hours(hours: Iterable[datetime], now: datetime | None = None) -> None:
    """Refuse (422) a record more than a day ahead or more than 400 days old: a kiosk's clock gone
    wrong, or a game; nothing of that post is stored."""
    now = now or datetime.now(timezone.utc)
    for hour in hours:
        if hour > now + FUTURE:
            raise TelemetryError("invalid", f"{hour.isoformat()} is in the future")
        if hour < now - PAST:
            raise TelemetryError("invalid", f"{hour.isoformat()} is more than 400 days old")


def _new_receipts(db: Session, kiosk_id: int, kind: str, ids: list[str]) -> set[str]:
    """Insert a receipt per id; the ids whose receipt is new (the ones to count)."""
    fresh: set[str] = set()
    now = utcnow()
    for item_id in dict.fromkeys(ids):  # a post naming an id twice counts it once
        stmt = _insert(db, FeedbackReceipt).values(kiosk_id=kiosk_id, kind=kind, item_id=item_id, received_at=now)
        stmt = stmt.on_conflict_do_nothing(index_elements=["kiosk_id", "kind", "item_id"]).returning(
            FeedbackReceipt.__table__.c.item_id)
        if db.connection().execute(stmt).scalar() is not None:
            fresh.add(item_id)
    return fresh


def store_reports(db: Session, kiosk: Kiosk, post: ReportsPost) -> list[str]:
    """Store a reports post; the ids to answer (every id of the post)."""
    check_hours(r.hour for r in post.reports)
    ids = [str(r.id) for r in post.reports]
    fresh = _new_receipts(db, kiosk.id, "report", ids)
    now = utcnow()
    for report in post.reports:
        rid = str(report.id)
        if rid not in fresh:
            continue
        fresh.discard(rid)
        db.add(FeedbackReport(kiosk_id=kiosk.id, id=rid, subject=report.subject, subject_id=str(report.subject_id),
                              reason=report.reason, catalogue_version=report.catalogue_version,
                              hour=_naive_utc(report.hour), received_at=now, status="new"))
    db.flush()
    return list(dict.fromkeys(ids))


def _add_counts(db: Session, rows: list[dict[str, Any]], model: Any, keys: list[str]) -> None:
    if not rows:
        return
    stmt = _insert(db, model)
    stmt = stmt.on_conflict_do_update(index_elements=keys, set_={"n": model.__table__.c.n + stmt.excluded.n})
    db.connection().execute(stmt, rows)


def store_usage(db: Session, kiosk: Kiosk, post: UsagePost) -> list[str]:
    """Store a usage post; the ids to answer (every id of the post)."""
    check_hours(h.hour for h in post.hours)
    ids = [h.id for h in post.hours]
    fresh = _new_receipts(db, kiosk.id, "usage", ids)
    counts: dict[tuple[datetime, str, str], int] = {}
    terms: dict[tuple[date, str], int] = {}
    for record in post.hours:
        if record.id not in fresh:
            continue
        fresh.discard(record.id)
        hour = _naive_utc(record.hour)
        for key, n in record.counts.items():
            if n:
                counts[(hour, record.span, key)] = counts.get((hour, record.span, key), 0) + n
        day = local_day(record.hour)
        for term, n in record.unmet_searches.items():
            terms[(day, term)] = terms.get((day, term), 0) + n
    _add_counts(db, [{"kiosk_id": kiosk.id, "hour": h, "span": s, "key": k, "n": n}
                     for (h, s, k), n in counts.items()], UsageCount, ["kiosk_id", "hour", "span", "key"])
    _add_counts(db, [{"kiosk_id": kiosk.id, "day": d, "term": t, "n": n} for (d, t), n in terms.items()],
                UnmetSearch, ["kiosk_id", "day", "term"])
    _prune(db)
    return list(dict.fromkeys(ids))


def _prune(db: Session) -> None:
    """Once an hour per process: forget receipts older than any kiosk could resend."""
    if time.monotonic() - _last_prune[0] < _PRUNE_EVERY:
        return
    _last_prune[0] = time.monotonic()
    db.execute(delete(FeedbackReceipt).where(FeedbackReceipt.received_at < utcnow() - timedelta(days=RECEIPT_DAYS)))

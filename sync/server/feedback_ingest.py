"""Storing what a kiosk posts to ``/api/reports`` and ``/api/usage`` (contract:
:mod:`sync.feed.telemetry`), idempotent by id, in one transaction per post.

For each item a receipt row ``(kiosk, kind, id)`` is inserted with ``ON CONFLICT DO NOTHING
RETURNING``: only an item whose receipt is new is counted, so a repeat (the kiosk never got the
answer) is accepted and not counted again. Two posts of the same id at once: the second insert
waits for the first to commit, then does nothing. Counts are added with ``ON CONFLICT DO UPDATE
SET n = n + excluded.n``. Both statements are the same SQL on SQLite (3.35+) and PostgreSQL; the
dialect's ``insert`` is picked by the engine's name.

Sensitive subjects (:func:`sensitive_subjects`: the services, categories and providers a kiosk
counts per day only, see :mod:`sync.feed.telemetry`) are held to the same rule here, whatever a
kiosk of an older version sends: a key naming one in an hour record is stored only as
``sensitive:<family>`` in the day's row, and a report on one keeps only its day (its ``hour``, its
``received_at`` and its receipt's are the local midnight). What was stored before a subject was
marked sensitive is folded the same way by :func:`fold_sensitive` (at start, at each publish, and
once an hour).
"""
from __future__ import annotations

import time
from datetime import date, datetime, time as dtime, timedelta, timezone
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from sync.feed.telemetry import (SENSITIVE_FAMILY, SUBJECT_FAMILIES, ReportsPost, TelemetryError, UsagePost,
                                 sensitive_categories, subject_of)
from sync.server.feedback_models import FeedbackReceipt, FeedbackReport, UnmetSearch, UsageCount
from sync.server.models import Category, Kiosk, Service, ServiceCategory, utcnow
from sync.server.security import token_digest

TIRANE = ZoneInfo("Europe/Tirane")
FUTURE = timedelta(days=1)
PAST = timedelta(days=400)
#: Receipts are kept longer than any kiosk keeps a record (it drops what is older than its bound).
RECEIPT_DAYS = 450
_PRUNE_EVERY = 3600.0
_last_prune = [float("-inf")]   # monotonic time starts near 0 at boot: the first post prunes


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


def local_midnight(moment: datetime) -> datetime:
    """The local (Europe/Tirane) midnight that begins ``moment``'s day, as naive UTC."""
    return _naive_utc(datetime.combine(local_day(moment), dtime(0), TIRANE))


def sensitive_subjects(db: Session) -> set[str]:
    """The ids whose counts and reports must not place a visitor: every category marked sensitive
    and those below it, every service marked or in such a category, and their organizations (the
    kiosk's ``kiosk.catalogue.queries.sensitive_subjects``, on the server's tables)."""
    parents = dict(db.execute(select(Category.id, Category.parent_id)).all())
    terms = sensitive_categories(parents, db.scalars(select(Category.id).where(Category.sensitive.is_(True))))
    services = dict(db.execute(select(Service.id, Service.organization_id).where(Service.sensitive.is_(True))).all())
    if terms:
        services.update(db.execute(select(Service.id, Service.organization_id).join(
            ServiceCategory, ServiceCategory.service_id == Service.id).where(ServiceCategory.category_id.in_(terms))).all())
    return terms | set(services) | set(services.values())


def check_hours(hours: Iterable[datetime], now: datetime | None = None) -> None:
    """Refuse (422) a record more than a day ahead or more than 400 days old: a kiosk's clock gone
    wrong, or a game; nothing of that post is stored."""
    now = now or datetime.now(timezone.utc)
    for hour in hours:
        if hour > now + FUTURE:
            raise TelemetryError("invalid", f"{hour.isoformat()} is in the future")
        if hour < now - PAST:
            raise TelemetryError("invalid", f"{hour.isoformat()} is more than 400 days old")


def _new_receipts(db: Session, kiosk_id: int, kind: str, ids: list[str],
                  at: dict[str, datetime] | None = None) -> set[str]:
    """Insert a receipt per id (received now, or at ``at[id]``); the ids whose receipt is new."""
    fresh: set[str] = set()
    now = utcnow()
    at = at or {}
    for item_id in dict.fromkeys(ids):  # a post naming an id twice counts it once
        stmt = _insert(db, FeedbackReceipt).values(kiosk_id=kiosk_id, kind=kind, item_id=item_id,
                                                   received_at=at.get(item_id, now))
        stmt = stmt.on_conflict_do_nothing(index_elements=["kiosk_id", "kind", "item_id"]).returning(
            FeedbackReceipt.__table__.c.item_id)
        if db.connection().execute(stmt).scalar() is not None:
            fresh.add(item_id)
    return fresh


def store_reports(db: Session, kiosk: Kiosk, post: ReportsPost) -> list[str]:
    """Store a reports post; the ids to answer (every id of the post)."""
    check_hours(r.hour for r in post.reports)
    ids = [str(r.id) for r in post.reports]
    sensitive = sensitive_subjects(db) if post.reports else set()
    # a report on a sensitive subject keeps its subject (staff must fix the data) and only its day
    days = {str(r.id): local_midnight(r.hour) for r in post.reports
            if r.span == "day" or str(r.subject_id) in sensitive}
    fresh = _new_receipts(db, kiosk.id, "report", ids, days)
    now = utcnow()
    for report in post.reports:
        rid = str(report.id)
        if rid not in fresh:
            continue
        fresh.discard(rid)
        day = days.get(rid)
        db.add(FeedbackReport(kiosk_id=kiosk.id, id=rid, subject=report.subject, subject_id=str(report.subject_id),
                              reason=report.reason, catalogue_version=report.catalogue_version,
                              hour=day or _naive_utc(report.hour), received_at=day or now, status="new"))
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
    sensitive = sensitive_subjects(db) if post.hours else set()
    for record in post.hours:
        if record.id not in fresh:
            continue
        fresh.discard(record.id)
        hour = _naive_utc(record.hour)
        for key, n in record.counts.items():
            if not n:
                continue
            where = (hour, record.span, key)
            subject = subject_of(key)
            if record.span == "hour" and subject is not None and subject[1] in sensitive:
                # an older kiosk's hour record names a sensitive subject: only its day, all together
                where = (local_midnight(record.hour), "day", f"{SENSITIVE_FAMILY}:{subject[0]}")
            counts[where] = counts.get(where, 0) + n
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
    """Once an hour per process: forget receipts older than any kiosk could resend, and fold what
    became sensitive since (:func:`fold_sensitive`)."""
    if time.monotonic() - _last_prune[0] < _PRUNE_EVERY:
        return
    _last_prune[0] = time.monotonic()
    db.execute(delete(FeedbackReceipt).where(FeedbackReceipt.received_at < utcnow() - timedelta(days=RECEIPT_DAYS)))
    fold_sensitive(db)


def _chunks(items: list[str], size: int = 400) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def fold_sensitive(db: Session) -> int:
    """Hold what is already stored to the rule for sensitive subjects (a subject staff marked
    sensitive after kiosks had counted it, rows stored before this rule): their hour rows become
    ``sensitive:<family>`` in the day's row, their reports keep only their day. How many rows
    changed."""
    sensitive = sorted(sensitive_subjects(db))
    keys = [f"{family}:{i}" for i in sensitive for family in SUBJECT_FAMILIES]
    moved: dict[tuple[int, datetime, str], int] = {}
    changed = 0
    table = UsageCount.__table__.c
    for chunk in _chunks(keys):
        where = (table.span == "hour", table.key.in_(chunk))
        for kiosk_id, hour, key, n in db.execute(select(table.kiosk_id, table.hour, table.key, table.n).where(*where)):
            at = (kiosk_id, local_midnight(hour), f"{SENSITIVE_FAMILY}:{key.partition(':')[0]}")
            moved[at] = moved.get(at, 0) + n
            changed += 1
        db.execute(delete(UsageCount.__table__).where(*where))
    _add_counts(db, [{"kiosk_id": k, "hour": h, "span": "day", "key": key, "n": n}
                     for (k, h, key), n in moved.items()], UsageCount, ["kiosk_id", "hour", "span", "key"])
    for chunk in _chunks(sensitive):
        for report in db.scalars(select(FeedbackReport).where(FeedbackReport.subject_id.in_(chunk))).all():
            day = local_midnight(report.hour)
            if report.hour == day and report.received_at == day:
                continue
            report.hour = report.received_at = day
            db.execute(update(FeedbackReceipt).where(FeedbackReceipt.kiosk_id == report.kiosk_id,
                                                     FeedbackReceipt.kind == "report",
                                                     FeedbackReceipt.item_id == report.id).values(received_at=day))
            changed += 1
    db.flush()
    return changed

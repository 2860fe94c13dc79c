"""The server's tables for what kiosks report (issue 16): "this is wrong" reports, anonymous usage
counts per kiosk and hour (or day), searches that found nothing, and the receipts that make both
posts idempotent by id. Registered on :class:`sync.server.models.Base` (imported at the end of
:mod:`sync.server.models`); migration 0004. Portable SQL: plain types, composite primary keys,
no SQLite-only constructs. Times are naive UTC, like every other table.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from sync.server.models import Base, utcnow

REPORT_STATUSES = ("new", "resolved", "dismissed")


class FeedbackReceipt(Base):
    """One item (a report or a usage record) a kiosk posted and the server stored: a repeat of
    the same (kiosk, kind, id) is accepted again and counted no more."""

    __tablename__ = "feedback_receipts"
    __table_args__ = (Index("ix_feedback_receipts_received_at", "received_at"),)

    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosks.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # report | usage
    item_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FeedbackReport(Base):
    __tablename__ = "feedback_reports"
    __table_args__ = (Index("ix_feedback_reports_subject", "subject_id", "status"),
                      Index("ix_feedback_reports_status_hour", "status", "hour"))

    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosks.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subject: Mapped[str] = mapped_column(String(16))        # service | organization
    subject_id: Mapped[str] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(String(16))         # phone | address | hours | closed | other
    catalogue_version: Mapped[int] = mapped_column(BigInteger)
    hour: Mapped[datetime] = mapped_column(DateTime)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="new")
    resolved_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    resolved_by: Mapped[Optional[str]] = mapped_column(String(64))


class UsageCount(Base):
    """``n`` events of ``key`` at one kiosk in one hour (``span`` hour) or one local day (``span``
    day, ``hour`` = that day's local midnight in UTC)."""

    __tablename__ = "usage_counts"
    __table_args__ = (Index("ix_usage_counts_hour_key", "hour", "key"),)

    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosks.id", ondelete="CASCADE"), primary_key=True)
    hour: Mapped[datetime] = mapped_column(DateTime, primary_key=True)
    span: Mapped[str] = mapped_column(String(4), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0)


class UnmetSearch(Base):
    """A search term that found nothing, typed in ``n`` visits of one local day at one kiosk (kiosks
    send a term only once three separate visits of that day typed it)."""

    __tablename__ = "unmet_searches"
    __table_args__ = (Index("ix_unmet_searches_day", "day"),)

    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosks.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    term: Mapped[str] = mapped_column(String(40), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)

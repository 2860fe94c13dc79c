"""The server's database: the source of truth of the catalogue, migrated with Alembic.

The catalogue is kept as one HSDS 3.0 JSON document per organization, location, category and
service (``doc``), with the columns the pages list, sort and filter on copied out of it, and link
tables for the references between them. A service document is a fully nested HSDS service minus
the objects that have their own table: ``organization`` becomes ``organization_id``, each
``service_at_locations[].location`` becomes its ``location_id`` and each
``attributes[].taxonomy_term`` its ``taxonomy_term_id``; :mod:`sync.server.catalogue` puts them
back together when a feed is published. HSDS fields the editor does not know are kept as they
came (an import from another Open Referral tool loses nothing).

Times are naive UTC.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES = ("admin", "editor")


def utcnow() -> datetime:
    """Naive UTC, as stored."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON}


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped when the password changes or the account is disabled: older sessions stop working.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    password_changed_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    last_login_at: Mapped[Optional[datetime]] = mapped_column(DateTime)


class StaffSession(Base):
    """A logged-in browser. Its cookie holds only a random token; this row, found by the token's
    SHA-256, is the session: logging out deletes it, so a copied cookie stops working."""

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    epoch: Mapped[int] = mapped_column(Integer)  # the account's session_epoch at login
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ip: Mapped[Optional[str]] = mapped_column(String(64))


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_username_at", "username", "at"),
                      Index("ix_login_attempts_ip_at", "ip", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean, default=False)


class CatalogueMeta(Base):
    """Small catalogue-wide documents: the HSDS ``taxonomy`` and the feed's ``publisher``."""

    __tablename__ = "catalogue_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)


class Category(Base):
    """An HSDS taxonomy_term of the catalogue's category tree (with ``x_icon`` and ``x_order``)."""

    __tablename__ = "categories"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    parent_id: Mapped[Optional[str]] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"),
                                                     index=True)
    name: Mapped[str] = mapped_column(String(500))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # x_sensitive (sync.server.danger): its services' take-aways carry a neutral title
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    doc: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(500), index=True)
    doc: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Location(Base):
    __tablename__ = "locations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(500), default="", index=True)
    doc: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Service(Base):
    __tablename__ = "services"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"),
                                                 index=True)
    name: Mapped[str] = mapped_column(String(500), index=True)
    status: Mapped[str] = mapped_column(String(32), default="active")
    assured_date: Mapped[Optional[str]] = mapped_column(String(10), index=True)
    # x_urgent and x_sensitive (sync.server.danger), copied out of ``doc`` for the list's filters
    urgent_order: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    doc: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ServiceCategory(Base):
    __tablename__ = "service_categories"

    service_id: Mapped[str] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[str] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"),
                                             primary_key=True, index=True)


class ServiceLocation(Base):
    __tablename__ = "service_locations"

    service_id: Mapped[str] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), primary_key=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id", ondelete="RESTRICT"),
                                             primary_key=True, index=True)


class FeedVersion(Base):
    """One published, signed feed. The gzipped bytes are kept so any version can be published
    again (as a new, higher version) or downloaded."""

    __tablename__ = "feed_versions"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    republished_from: Mapped[Optional[int]] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    services: Mapped[int] = mapped_column(Integer)
    terms: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[str] = mapped_column(String(32))
    key_id: Mapped[str] = mapped_column(String(16))
    feed_gz: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[str] = mapped_column(Text)


class Kiosk(Base):
    __tablename__ = "kiosks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    token_hint: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    last_seen_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    last_ip: Mapped[Optional[str]] = mapped_column(String(64))
    reported_id: Mapped[Optional[str]] = mapped_column(String(100))
    app_version: Mapped[Optional[str]] = mapped_column(String(64))
    catalogue_version: Mapped[Optional[int]] = mapped_column(Integer)
    last_sync: Mapped[Optional[str]] = mapped_column(String(40))
    printer_state: Mapped[Optional[str]] = mapped_column(String(64))
    uptime_seconds: Mapped[Optional[int]] = mapped_column(Integer)
    last_outcome: Mapped[Optional[str]] = mapped_column(String(32))
    last_error: Mapped[Optional[str]] = mapped_column(String(200))
    last_payload: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    heartbeats: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """Who changed what, when. Written in the same transaction as the change itself."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    account_id: Mapped[Optional[int]] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32), index=True)
    entity_type: Mapped[str] = mapped_column(String(32), default="")
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    summary: Mapped[str] = mapped_column(String(500), default="")
    details: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    ip: Mapped[Optional[str]] = mapped_column(String(64))

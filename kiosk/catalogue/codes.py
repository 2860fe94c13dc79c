"""Which service a scanned code opens: a link to the kiosk's public page or a slip's short code.

The scanner (:mod:`kiosk.handoff.scanner`) recognises the text; this finds the visible service it
names, or None (unknown, hidden, or a short code that more than one service starts with).
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from kiosk.catalogue import models as m
from kiosk.catalogue.queries import VISIBLE_STATUSES


def find_service_id(session: Session, service_id: str) -> Optional[str]:
    """``service_id`` if a visible service has it."""
    return session.scalar(select(m.Service.id).where(m.Service.id == service_id,
                                                     m.Service.status.in_(VISIBLE_STATUSES)))


_UUID_SHAPE = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"


def _uuid_range(prefix: str) -> Optional[tuple[bytes, bytes]]:
    """The keys (16 bytes, :func:`kiosk.catalogue.models.pack_key`) of the UUIDs that start with
    ``prefix``, as a range ``[low, high)``; None when no canonical UUID starts so."""
    prefix = prefix.lower()
    if not prefix or len(prefix) > len(_UUID_SHAPE) or any(
            (c != "-") if shape == "-" else (c not in "0123456789abcdef")
            for c, shape in zip(prefix, _UUID_SHAPE)):
        return None
    digits = prefix.replace("-", "")
    shift = 4 * (32 - len(digits))
    low = int(digits, 16) << shift
    high = (int(digits, 16) + 1) << shift
    # past the last UUID: any 16 bytes compare below 17 bytes that begin with them
    return low.to_bytes(16, "big"), high.to_bytes(16, "big") if high < 1 << 128 else b"\xff" * 16 + b"\0"


def service_with_prefix(session: Session, prefix: str) -> Optional[str]:
    """The one visible service whose id starts with ``prefix`` (in either case), else None."""
    # Ranges on the primary key use its index: UUIDs kept as bytes that start with the prefix,
    # and ids kept as text that start with it in either case (a blob never falls in a text range).
    ranges = []
    blobs = _uuid_range(prefix)
    if blobs is not None:
        ranges.append(and_(m.Service.id >= blobs[0], m.Service.id < blobs[1]))
    for start in dict.fromkeys((prefix.lower(), prefix.upper())):
        end = start[:-1] + chr(ord(start[-1]) + 1)
        ranges.append(and_(m.Service.id >= start, m.Service.id < end))
    ids = session.scalars(select(m.Service.id).where(
        or_(*ranges), m.Service.status.in_(VISIBLE_STATUSES)).limit(2)).all()
    return ids[0] if len(ids) == 1 else None


def scanned_service(session: Session, kind: str, value: str) -> Optional[str]:
    """The id of the visible service a scan points to: ``kind`` ``link`` (``value`` is a service
    id) or ``code`` (``value`` is the id prefix of a short code); None otherwise."""
    if kind == "link":
        return find_service_id(session, value)
    if kind == "code":
        return service_with_prefix(session, value)
    return None

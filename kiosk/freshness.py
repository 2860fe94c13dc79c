"""How current the catalogue is: the one rule the home screen, the staff panel and the heartbeat
read. No Kivy here.

* :func:`catalogue_age_days`: whole days since the visible catalogue was generated (the staff
  panel warns once it is over ``kiosk.stale_after_days``);
* :func:`staleness`: whether a kiosk that syncs must say that its information is old, and since
  when: no successful sync (or, before any, no catalogue generated) for ``stale_after_days``, or a
  catalogue past its ``expires_at``. A kiosk that does not sync never claims to be stale;
* :class:`SyncStatus`: the persisted sync status with that judgement, as
  :meth:`kiosk.updates.Updates.status` returns it.

Every timestamp is read with :func:`sync.feed.document.parse_timestamp` (via :func:`moment`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Optional

from sync.feed.document import parse_timestamp


def moment(text: Any) -> Optional[datetime]:
    """An ISO timestamp (``Z`` or an offset; none means UTC) as an aware datetime; None for an
    empty or unreadable one."""
    if not text or not isinstance(text, str):
        return None
    try:
        return parse_timestamp(text)
    except ValueError:
        return None


def catalogue_age_days(generated_at: Optional[datetime], now: datetime) -> Optional[int]:
    """Whole days from ``generated_at`` to ``now`` (never negative); None when unknown."""
    if generated_at is None:
        return None
    return max(0, (now - generated_at).days)


def staleness(*, now: datetime, syncing: bool, last_success: Optional[datetime],
              generated_at: Optional[datetime], expires_at: Optional[datetime],
              stale_after_days: int) -> tuple[bool, Optional[datetime], bool]:
    """(stale, what the information dates from when stale, expired)."""
    expired = expires_at is not None and now >= expires_at
    if not syncing:
        return False, None, expired
    reference = last_success or generated_at
    limit = timedelta(days=int(stale_after_days or 7))
    if reference is None or now - reference > limit or expired:
        # An expired catalogue means the server keeps answering "unchanged" with a feed nobody
        # re-signed (a freeze): the information dates from when it was generated.
        return True, (generated_at if expired else reference), expired
    return False, None, expired


@dataclass(frozen=True)
class SyncStatus:
    """What the staff panel shows (and the home screen's discreet "information as of" line)."""

    configured: bool                  # a feed URL and a public key are set
    running: bool                     # an attempt is in progress
    version: int                      # the catalogue visitors see
    pending_version: int | None       # verified, waiting for the welcome screen
    last_attempt: datetime | None
    last_success: datetime | None     # the last attempt that ended updated or unchanged
    last_outcome: str | None          # "updated" | "unchanged" | "failed"
    last_error: dict[str, Any] | None  # {"code", "detail", "at"} of the last failure, None after a success
    consecutive_failures: int
    stale: bool                       # no success for more than kiosk.stale_after_days, or expired
    stale_since: datetime | None      # when stale: what the information dates from
    catalogue_generated_at: datetime | None
    catalogue_expired: bool           # the visible catalogue is past its expires_at (a frozen feed)
    next_attempt: datetime | None
    history: list[dict[str, Any]] = field(default_factory=list)

"""What the kiosk tells the server it is alive and current with (built on the sync thread). No Kivy."""
from __future__ import annotations

import logging
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Optional

from kiosk import __version__
from kiosk.freshness import SyncStatus
from sync.feed.document import format_timestamp

log = logging.getLogger(__name__)

PROCESS_STARTED = time.monotonic()


def heartbeat_payload(config: Any, st: SyncStatus, printer_state: Optional[Callable[[], str]],
                      now: datetime) -> dict[str, Any]:
    """What the heartbeat says. ``printer_state`` may ask the printer (a second or two): call
    this on the sync thread, as :meth:`kiosk.updates.Updates.run_sync` does."""
    printer = "unknown"
    if printer_state is not None:
        try:
            printer = str(printer_state())
        except Exception:  # noqa: BLE001 - best effort
            printer = "error"
    return {
        "kiosk_id": config.kiosk.id, "app_version": __version__,
        "catalogue_version": st.version, "pending_version": st.pending_version,
        "last_sync": _iso(st.last_success), "last_attempt": _iso(st.last_attempt),
        "last_outcome": st.last_outcome,
        "last_error": (st.last_error or {}).get("code") if st.last_error else None,
        "stale": st.stale, "printer": printer,
        "uptime_seconds": int(time.monotonic() - PROCESS_STARTED),
        "system_uptime_seconds": _system_uptime(), "sent_at": format_timestamp(now),
    }


def _iso(moment: datetime | None) -> str | None:
    return format_timestamp(moment) if moment else None


def _system_uptime() -> int | None:
    try:
        return int(float(Path("/proc/uptime").read_text().split()[0]))
    except (OSError, ValueError, IndexError):
        return None

"""What the staff panel asks of this machine, and what it shows about it. No Kivy here.

:class:`Operations` syncs now (through the kiosk's :class:`~kiosk.updates.Updates`), prints a
test slip (on the kiosk's one :class:`~kiosk.handoff.printer.SlipPrinter`) and gathers the
panel's facts (:class:`PanelFacts`): the catalogue, its age, the persisted sync status and the
printer. It never pretends: a kiosk without a feed URL or a printer says ``not_configured``.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Optional

from kiosk.catalogue.store import CatalogueInfo
from kiosk.freshness import SyncStatus, catalogue_age_days, moment
from sync.feed.document import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ActionResult:
    """The outcome of a staff action.

    ``code`` is one of ``ok``, ``not_configured``, ``failed``; the UI turns it into a sentence in
    the staff's language. ``detail`` is technical text for staff (English, from the underlying
    error), may be empty.
    """

    ok: bool
    code: str
    detail: str = ""
    at: float = 0.0


@dataclass(frozen=True)
class PanelFacts:
    """What the staff panel shows besides the configuration."""

    info: Optional[CatalogueInfo]    # None: the catalogue could not be read
    age_days: Optional[int]          # days since the visible catalogue was generated
    too_old: bool                    # older than kiosk.stale_after_days
    sync: Optional[SyncStatus]       # the persisted sync status; None: this kiosk does not sync
    printer: str                     # "not_configured" or "configured"
    feedback: Any = None             # kiosk.feedback.FeedbackStatus: what waits to be sent, last sent


class Operations:
    """The staff panel's actions on this machine; ``updates`` is None on a kiosk that does not sync."""

    def __init__(self, config: Any, *, printer: Any, updates: Any = None, reads: Any = None,
                 clock: Callable[[], float] = time.time, now: Callable[[], datetime] = utcnow,
                 sender: Any = None):
        self.config = config
        self.sender = sender
        self.printer = printer
        self.updates = updates
        self.reads = reads
        self._clock = clock
        self._now = now
        self.last_sync: Optional[ActionResult] = None

    def sync_now(self, on_done: Callable[[ActionResult], None]) -> None:
        """Fetch, verify and apply the catalogue feed as soon as possible; returns at once and
        calls ``on_done(result)`` afterwards, from the sync thread (or at once when not configured)."""
        self.send_feedback()
        if self.updates is None:
            self._synced(on_done, ActionResult(False, "not_configured", at=self._clock()))
            return

        def finished(outcome: Any) -> None:
            ok = bool(getattr(outcome, "ok", False))
            detail = getattr(outcome, "detail", "") or getattr(outcome, "code", "") or ""
            self._synced(on_done, ActionResult(ok, "ok" if ok else "failed", str(detail), at=self._clock()))

        self.updates.sync_now(finished)

    def send_feedback(self) -> None:
        """One round of the feedback sender now, on a thread of its own (staff pressed "sync now")."""
        if self.sender is not None and self.sender.api_url:
            threading.Thread(target=self.sender.send_once, name="feedback-now", daemon=True).start()

    def _synced(self, on_done: Callable[[ActionResult], None], result: ActionResult) -> None:
        self.last_sync = result
        on_done(result)

    def print_test_slip(self) -> ActionResult:
        """Print a test slip (blocking, up to the printer's deadline: call it from a worker)."""
        if not self.printer.enabled:
            return ActionResult(False, "not_configured", at=self._clock())
        try:
            printed = self.printer.test_slip(self.config.kiosk.default_language)
        except Exception as exc:  # noqa: BLE001 - any failure is reported to staff
            log.exception("test slip failed")
            return ActionResult(False, "failed", f"{type(exc).__name__}: {exc}", at=self._clock())
        if printed.ok:
            return ActionResult(True, "ok", at=self._clock())
        detail = f"{printed.code}: {printed.detail}" if printed.detail else printed.code
        return ActionResult(False, "failed", detail, at=self._clock())

    def printer_state(self) -> str:
        """``not_configured`` (kind ``none``) or ``configured``."""
        return "configured" if self.printer.enabled else "not_configured"

    def panel(self) -> PanelFacts:
        """The panel's facts (blocking: reads the catalogue and the sync status; call it from a worker)."""
        try:
            info = self.reads.info()
        except Exception:  # noqa: BLE001 - the panel says so instead
            log.exception("catalogue info")
            info = None
        age = catalogue_age_days(moment(info.generated_at), self._now()) if info else None
        limit = self.config.kiosk.stale_after_days
        return PanelFacts(info, age, age is not None and age > limit,
                          self.updates.status() if self.updates is not None else None,
                          self.printer_state(), self._feedback_status())

    def _feedback_status(self) -> Any:
        try:
            return self.sender.status() if self.sender is not None else None
        except Exception:  # noqa: BLE001 - the panel shows the rest
            log.exception("feedback status")
            return None

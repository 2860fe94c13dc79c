"""The one wiring point: every piece of the kiosk made once, before the Kivy app. No Kivy here.

:func:`build_kiosk` opens the catalogue and makes, in this order, the printer (it holds the
per-minute limit), the catalogue updates (only with ``[sync] feed_url``; they report the printer
in heartbeats), the read facade (it finds the icons and logos the updates downloaded and their
status), the staff operations, the PIN guard, the scanner's detector, the QR code maker and the
speech engine (espeak-ng; silent when ``[speech] enabled`` is false or no sound device answers). :mod:`kiosk.app` hands
the resulting :class:`Kiosk` to the Kivy app; the feedback store (reports and anonymous usage counts,
kept in the data directory) and its sender (to ``[sync] heartbeat_url``'s ``/api``, with the
heartbeat's token; it sends nothing when that is not configured) come last; the screenshots and the tests build one the same
way. Nothing is set on these objects afterwards.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Optional

from kiosk.catalogue.store import Catalogue, open_catalogue
from kiosk.feedback import FeedbackStore, Sender, api_base
from kiosk.handoff.printer import SlipPrinter
from kiosk.handoff.qr import QrCodes
from kiosk.handoff.scanner import ScanDetector
from kiosk.operations import Operations
from kiosk.pin import PinGuard
from kiosk.reads import Reads
from kiosk.speech.engine import SpeechEngine, make_speech
from kiosk.updates import Updates

PIN_STATE_FILE = "staff-pin.json"


@dataclass(frozen=True)
class Kiosk:
    """The wired pieces the app runs on."""

    config: Any
    catalogue: Catalogue
    reads: Reads
    operations: Operations
    pin_guard: PinGuard
    printer: SlipPrinter
    scanner: ScanDetector
    qr: QrCodes                     # the codes shown, cached, made off the main thread
    updates: Optional[Updates]      # None: this kiosk does not sync (no feed URL)
    speech: SpeechEngine            # reads the screens aloud; every call returns at once
    feedback: Optional[FeedbackStore] = None   # reports and usage counts (kiosk.feedback)
    sender: Optional[Sender] = None            # sends them; its api is None without heartbeat_url

    def start_sending(self) -> None:
        """Send the feedback on the sync schedule (with back-off after failures), from its own thread."""
        if self.sender is not None and self.sender.api_url:
            self.sender.start(interval=self.config.sync.interval_minutes * 60)

    def close(self) -> None:
        """Stop the updates, speech, the sender and the read facade's threads; write the counts
        kept in memory (the catalogue stays open)."""
        self.speech.close()
        if self.updates is not None:
            self.updates.stop(timeout=2.0)
        if self.sender is not None:
            self.sender.stop(timeout=2.0)
        if self.feedback is not None:
            self.feedback.close()
        self.reads.close()


def build_kiosk(config: Any, *, catalogue: Optional[Catalogue] = None,
                now: Optional[Callable[[], Optional[datetime]]] = None,
                wall_clock: Callable[[], float] = time.time,
                updates_factory: Callable[..., Updates] = Updates,
                speech_factory: Optional[Callable[[Any], SpeechEngine]] = None) -> Kiosk:
    """Make every piece for ``config``. ``now`` fixes the moment opening hours are judged at
    (screenshots, tests); ``wall_clock`` is the time the PIN lockout uses (it survives restarts)."""
    if catalogue is None:
        catalogue = open_catalogue(config.kiosk.database)
    printer = SlipPrinter.from_config(config)
    updates = None
    if getattr(config.sync, "feed_url", None):
        updates = updates_factory(config, catalogue, deferred=True, printer_state=printer.heartbeat_state)
    reads = Reads(catalogue, now=now,
                  asset_path=updates.asset_path if updates is not None else None,
                  sync_status=updates.status if updates is not None else None)
    # a shelter's page is counted per day, never per hour (kiosk.feedback.store)
    feedback = FeedbackStore.in_dir(config.kiosk.data_dir, sensitive=reads.is_sensitive)
    heartbeat_url = getattr(config.sync, "heartbeat_url", None)
    sender = Sender(feedback, api_base(heartbeat_url) if heartbeat_url else None, getattr(config.sync, "token", None))
    operations = Operations(config, printer=printer, updates=updates, reads=reads, clock=wall_clock, sender=sender)
    guard = PinGuard(config.staff.pin_hash, Path(config.kiosk.data_dir) / PIN_STATE_FILE, now=wall_clock)
    scanner = ScanDetector(config.handoff.public_base_url)
    speech = (speech_factory or make_speech)(config)
    return Kiosk(config, catalogue, reads, operations, guard, printer, scanner, QrCodes(), updates, speech,
                 feedback, sender)

"""The kiosk application: wires the configuration, the catalogue, the service layer, the staff
operations and the PIN guard into the Kivy UI, and runs it locked down.

Nothing here imports Kivy at module level: Kivy reads its home directory and configuration when it
is first imported, so :func:`create_app` prepares both (under the kiosk's data directory) before
importing any of it.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Optional

log = logging.getLogger(__name__)

PIN_STATE_FILE = "staff-pin.json"


def create_app(config: Any, *, windowed: bool, catalogue: Any = None,
               now: Optional[Callable[[], Optional[datetime]]] = None,
               clock: Callable[[], float] = time.monotonic, wall_clock: Callable[[], float] = time.time,
               strict: Optional[bool] = None, animate: bool = True,
               size: Optional[tuple[int, int]] = None, operations: Any = None):
    """Build the :class:`~kiosk.ui.application.KioskApp` (not yet running).

    ``now`` fixes the moment opening hours are judged at (screenshots, tests); ``clock`` is the
    monotonic time the idle reset and the staff corner use; ``wall_clock`` the time the PIN
    lockout uses (it must survive a restart). ``strict`` refuses every window close (default:
    when not windowed).
    """
    from kiosk.ui import lockdown

    data_dir = Path(config.kiosk.data_dir)
    lockdown.prepare_kivy(data_dir, windowed=windowed, size=size, console_log=windowed)

    from kivy.core.window import Window

    lockdown.apply_window_mode(Window, windowed=windowed, size=size)

    from kiosk.catalogue.store import open_catalogue
    from kiosk.services import KioskServices, Operations, PinGuard
    from kiosk.ui.application import KioskApp

    if catalogue is None:
        catalogue = open_catalogue(config.kiosk.database)
    services = KioskServices(catalogue, now=now)
    custom_operations = operations is not None
    operations = operations or Operations(config, clock=wall_clock)
    guard = PinGuard(config.staff.pin_hash, data_dir / PIN_STATE_FILE, now=wall_clock)
    app = KioskApp(config, services, operations, guard, clock=clock,
                   strict=(not windowed) if strict is None else strict,
                   windowed=windowed, animate=animate)
    from kiosk.ui.handoff import service_handoff_factory

    app.service_actions.append(service_handoff_factory(app))
    attach_sync(app, config, catalogue, replace_operations=not custom_operations, clock=wall_clock)
    return app


def attach_sync(app: Any, config: Any, catalogue: Any, *, replace_operations: bool = True,
                clock: Callable[[], float] = time.time, service_factory: Any = None):
    """Wire the catalogue sync into ``app`` when ``config.sync.feed_url`` is set (else None).

    The scheduler starts with the app and stops with it; a feed it verified is staged and made
    visible when the welcome screen shows (nobody is using the kiosk); the staff panel's
    "Sync now" runs through it. The screens find the icons and logos it downloaded, and the
    home screen its status; heartbeats carry the printer's state. Returns the
    :class:`~kiosk.sync_service.SyncService`.
    """
    if not getattr(config.sync, "feed_url", None):
        return None
    from kivy.clock import mainthread

    if service_factory is None:
        from kiosk.sync_service import SyncService as service_factory

    @mainthread
    def applied(result: Any) -> None:
        if result is not None and getattr(result, "ok", False):
            app.catalogue_changed()

    def apply_pending() -> None:
        if sync.has_pending():
            sync.apply_pending_async(applied)

    @mainthread
    def on_pending(_version: Any) -> None:
        sm = getattr(app, "sm", None)
        if sm is not None and sm.current == "welcome":
            apply_pending()

    from kiosk.handoff.printer import printer_state_for

    sync = service_factory(config, catalogue, deferred=True, on_pending=on_pending,
                           printer_state=printer_state_for(config))
    app.sync_service = sync
    app.services.asset_path = getattr(sync, "asset_path", None)
    app.services.sync_status = getattr(sync, "status", None)
    app.welcome_hooks.append(apply_pending)
    app.bind(on_start=lambda *_a: sync.start(), on_stop=lambda *_a: sync.stop(timeout=2.0))
    if replace_operations:
        app.operations = _sync_operations(config, sync, clock)
    return sync


def _sync_operations(config: Any, sync: Any, clock: Callable[[], float]):
    """:class:`~kiosk.services.Operations` whose ``sync_now`` goes through ``sync`` (blocking,
    as the staff panel calls it from a worker; the panel shows the result on the main thread)."""
    import threading

    from kiosk.services import ActionResult, Operations

    class SyncedOperations(Operations):
        SYNC_TIMEOUT = 300.0

        def sync_now(self) -> ActionResult:
            done = threading.Event()
            results: list[Any] = []

            def finished(result: Any) -> None:
                results.append(result)
                done.set()

            sync.sync_now(finished)
            if not done.wait(self.SYNC_TIMEOUT) or not results:
                result = ActionResult(False, "failed", "the sync did not finish in time", at=self._clock())
            else:
                outcome = results[0]
                ok = bool(getattr(outcome, "ok", False))
                detail = getattr(outcome, "detail", "") or getattr(outcome, "code", "") or ""
                result = ActionResult(ok, "ok" if ok else "failed", str(detail), at=self._clock())
            self.last_sync = result
            return result

    return SyncedOperations(config, clock=clock)


def run(config: Any, windowed: bool = False) -> int:
    """Start the kiosk and block until staff close it; the exit status for the command."""
    try:
        app = create_app(config, windowed=windowed)
    except Exception:  # noqa: BLE001 - reported to whoever started the kiosk, then exit
        log.exception("the kiosk could not start")
        return 1
    from kivy.clock import Clock

    from kiosk.ui.lockdown import install_exception_guard

    # After an unexpected error the kiosk starts again from a clean welcome screen.
    install_exception_guard(on_error=lambda exc: Clock.schedule_once(lambda _dt: app.reset_session(), 0))
    try:
        app.run()
    finally:
        sync = getattr(app, "sync_service", None)
        if sync is not None:
            sync.stop(timeout=2.0)
        app.services.close()
    return 0

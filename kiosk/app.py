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
    operations = operations or Operations(config, clock=wall_clock)
    guard = PinGuard(config.staff.pin_hash, data_dir / PIN_STATE_FILE, now=wall_clock)
    return KioskApp(config, services, operations, guard, clock=clock,
                    strict=(not windowed) if strict is None else strict,
                    windowed=windowed, animate=animate)


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
        app.services.close()
    return 0

"""The kiosk application: the pieces :func:`kiosk.bootstrap.build_kiosk` wires, handed to the Kivy
app, run locked down.

Nothing here imports Kivy at module level: Kivy reads its home directory and configuration when it
is first imported, so :func:`create_app` prepares both (under the kiosk's data directory) before
importing any of it.

:func:`run` shows the welcome screen before the rest is wired: the window and the welcome screen
need only the configuration, Kivy and the UI's own modules, so the catalogue, SQLAlchemy, the
sync and the feedback sender (:func:`kiosk.bootstrap.build_kiosk`, about 0.35 s of imports and
opening) are made on the clock tick after the first frame, once the welcome screen is on the
panel and before the next frame reads a touch (:meth:`kiosk.ui.application.KioskApp.attach_kiosk`).
If they cannot be made the app stops and :func:`run` returns 1, as when the start failed before.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from kiosk import display

if TYPE_CHECKING:
    from kiosk.bootstrap import Kiosk

log = logging.getLogger(__name__)


def create_app(config: Any, *, windowed: bool, catalogue: Any = None,
               now: Optional[Callable[[], Optional[datetime]]] = None,
               clock: Callable[[], float] = time.monotonic, wall_clock: Callable[[], float] = time.time,
               strict: Optional[bool] = None, animate: bool = True,
               size: Optional[tuple[int, int]] = None, kiosk: Optional["Kiosk"] = None,
               panel: Any = None, welcome_first: bool = False):
    """Build the :class:`~kiosk.ui.application.KioskApp` (not yet running).

    ``now`` fixes the moment opening hours are judged at (screenshots, tests); ``clock`` is the
    monotonic time the idle reset and the staff corner use; ``wall_clock`` the time the PIN
    lockout uses (it must survive a restart). ``strict`` refuses every window close (default:
    when not windowed). ``kiosk``: pieces already built (else :func:`build_kiosk` makes them).
    ``panel``: the :class:`kiosk.display.Panel` to size text and targets for (else the one the
    display reports, see :func:`panel_sizing`). ``welcome_first``: with no ``kiosk`` given, make
    the pieces only once the welcome screen is first drawn (:func:`run` does; see above).
    """
    from kiosk import glyphs, memory
    from kiosk.ui import lockdown

    memory.steady_heap()        # before Kivy's window and the first textures
    glyphs.use_cache(Path(config.kiosk.data_dir) / "cache")
    sizing = panel_sizing(config, windowed=windowed, size=size, panel=panel)
    output = lockdown.prepare_kivy(Path(config.kiosk.data_dir), windowed=windowed, size=size,
                                   console_log=windowed, density=sizing.density if sizing else None)

    from kivy.core.window import Window

    keeper = lockdown.apply_window_mode(Window, windowed=windowed, size=size, output=output)
    from kiosk.ui import textpixels, unseen  # Kivy's graphics: only once Kivy is configured

    unseen.install()            # before any widget: what is hidden draws nothing
    textpixels.install()        # a label's pixels kept once, in its texture
    if sizing is not None:
        from kiosk.ui.theme import theme

        theme.min_target = sizing.min_target_px
        theme.mm_per_px = sizing.panel.mm_per_px
        log.info("display: %s", display.describe(sizing))

    from kiosk.ui.application import KioskApp

    strict = (not windowed) if strict is None else strict
    if kiosk is None and welcome_first:
        from kiosk.speech.engine import make_speech

        # the speech engine first (the welcome screen's controls show whether it can speak)
        speech = make_speech(config)
        app = KioskApp(None, config=config, speech=speech, clock=clock, strict=strict,
                       windowed=windowed, animate=animate,
                       make_kiosk=lambda: build_pieces(config, catalogue=catalogue, now=now,
                                                       wall_clock=wall_clock, speech=speech))
    else:
        if kiosk is None:
            kiosk = build_pieces(config, catalogue=catalogue, now=now, wall_clock=wall_clock)
        app = KioskApp(kiosk, clock=clock, strict=strict, windowed=windowed, animate=animate)
    app.fullscreen_keeper = keeper
    return app


def build_pieces(config: Any, *, catalogue: Any = None,
                 now: Optional[Callable[[], Optional[datetime]]] = None,
                 wall_clock: Callable[[], float] = time.time, speech: Any = None) -> "Kiosk":
    """:func:`kiosk.bootstrap.build_kiosk` (imported here, not at start: it brings SQLAlchemy,
    the catalogue and the sync); ``speech``, an engine already made, is used as it is."""
    from kiosk.bootstrap import build_kiosk

    return build_kiosk(config, catalogue=catalogue, now=now, wall_clock=wall_clock,
                       speech_factory=(lambda _config: speech) if speech is not None else None)


def panel_sizing(config: Any, *, windowed: bool, size: Optional[tuple[int, int]] = None,
                 panel: Any = None):
    """The :class:`kiosk.display.Sizing` the kiosk draws with: the panel's millimetres (from
    ``[display] diagonal_inches``, the EDID or the display server) and the window's pixels
    (the whole panel when fullscreen). None when there is no display to ask."""
    panel = panel or display.probe(display.configured_diagonal(config))
    if panel is None:
        return None
    window = (size or (1280, 800)) if windowed else None
    return display.sizing(panel, window)


def screenshot_app(config: Any, *, catalogue: Any = None, size: tuple[int, int] = (1920, 1080),
                   diagonal_inches: Optional[float] = None):
    """The app :func:`kiosk.ui.screenshots.render_all` draws: windowed, ``size`` (1920x1080), no
    animation, opening hours judged at :data:`~kiosk.ui.screenshots.FIXED_NOW`, QR codes pointing
    at :data:`~kiosk.ui.screenshots.PUBLIC_BASE_URL` unless the configuration names a server.
    Text and targets are sized for a panel of that size with ``diagonal_inches`` (else
    ``[display] diagonal_inches``, else the usual panel of that size, :data:`kiosk.display.KNOWN_PANELS`)."""
    from kiosk.ui.screenshots import FIXED_NOW, screenshot_config

    panel = display.assumed_panel(size[0], size[1], diagonal_inches or display.configured_diagonal(config))
    return create_app(screenshot_config(config), windowed=True, catalogue=catalogue,
                      now=lambda: FIXED_NOW, strict=True, animate=False, size=size, panel=panel)


def run(config: Any, windowed: bool = False) -> int:
    """Start the kiosk and block until staff close it; the exit status for the command."""
    try:
        app = create_app(config, windowed=windowed, welcome_first=True)
    except Exception:  # noqa: BLE001 - reported to whoever started the kiosk, then exit
        log.exception("the kiosk could not start")
        return 1
    from kiosk.ui.lockdown import install_exception_guard
    from kiosk.ui.threads import on_main

    # After an unexpected error the kiosk starts again from a clean welcome screen.
    install_exception_guard(on_error=on_main(lambda _exc: app.reset_session()))
    try:
        app.run()
    finally:
        if app.kiosk is not None:      # None: closed before its first frame, or failed to start
            app.kiosk.close()
        else:
            app.speech.engine.close()
    return 1 if app.start_failed else 0

"""When Python's full garbage collections run: between frames, with no finger down, on a
complete page (the policy is :mod:`kiosk.memory`'s; this is its Kivy side).

Each page built (:meth:`KioskScreen.page_built`) asks :func:`page_built`. A full collection that is
due waits for the visitor to pause (:data:`QUIET` seconds with nobody touching and the same page
on screen), and such a pause gives the freed memory back to the system even when none is due;
one long overdue (a lobby that never pauses) runs just after the next frame is drawn, as long as
no finger is down. Once the service page's widgets are prepared (:func:`prepared`),
what lives then is set aside (:func:`kiosk.memory.set_aside_once`).
"""
from __future__ import annotations

import time
from typing import Any, Optional

from kivy.clock import Clock

from kiosk import memory

#: seconds without a touch (and on the same page) before a due full collection runs
QUIET = 0.8

_held = False
_pending: Optional[Any] = None
#: seconds each full collection made here took (the bench reads them)
pauses: list[float] = []


def finger_down() -> bool:
    """Is a finger (or a pressed mouse button) on the screen? A mouse's hover event stays in
    Kivy's list of touches for good and is no finger: without this, a panel whose touch
    controller speaks as a mouse would never see a quiet moment."""
    from kivy.base import EventLoop

    return any(getattr(touch, "is_touch", True) for touch in EventLoop.touches)


def _busy(app: Any, screen: Any) -> bool:
    sm = getattr(app, "sm", None)
    return finger_down() or sm is None or sm.current_screen is not screen \
        or not getattr(screen, "complete", True)


def _collect() -> None:
    t = time.perf_counter()
    memory.collect_full()
    pauses.append(time.perf_counter() - t)
    del pauses[:-200]


def prepared() -> bool:
    """The service page's widgets are made: set aside what lives now, unless a finger is down
    (False: ask again on a later frame)."""
    if finger_down():
        return False
    t = time.perf_counter()
    if memory.set_aside_once():
        pauses.append(time.perf_counter() - t)
    return True


def page_built(screen: Any) -> None:
    """``screen`` has just completed its page."""
    global _held, _pending
    app = screen.app
    if app is None:
        return
    if not _held:
        memory.hold_full_collections()
        _held = True
    if _pending is not None:
        _pending.cancel()
    _pending = Clock.schedule_once(lambda _dt: _when_quiet(app, screen), QUIET)
    if memory.full_due(overdue=True):
        from kivy.core.window import Window

        def after_frame(*_args) -> None:
            Window.unbind(on_flip=after_frame)
            Clock.schedule_once(lambda _dt: _overdue(app, screen), 0)

        Window.bind(on_flip=after_frame)


def _overdue(app: Any, screen: Any) -> None:
    if memory.full_due(overdue=True) and not finger_down():
        _collect()


def _when_quiet(app: Any, screen: Any) -> None:
    global _pending
    _pending = None
    if _busy(app, screen):
        return            # the visitor goes on: the next page asks again
    if memory.full_due():
        _collect()
    else:
        memory.give_back()    # what the young collections freed since: 1-3 ms while nobody waits

"""The one way back to the main thread: widgets are touched there only.

Work that blocks (the catalogue, the sync, the printer, QR codes) runs on worker threads and
hands its result to a function wrapped with :func:`on_main`, which runs it on Kivy's main thread:
in the next frame, or (``before_frame``) before the next frame is drawn, so that what it shows is
in that very frame.
"""
from __future__ import annotations

from functools import partial, wraps
from typing import Any, Callable

from kivy.clock import Clock


def on_main(fn: Callable[..., Any], *, before_frame: bool = False) -> Callable[..., None]:
    """``fn``, callable from any thread; it runs on the main thread with the same arguments."""
    timeout = -1 if before_frame else 0

    @wraps(fn)
    def call(*args: Any, **kwargs: Any) -> None:
        Clock.schedule_once(lambda _dt: fn(*args, **kwargs), timeout)

    return call


def call_on_main(fn: Callable[..., Any], *args: Any, before_frame: bool = False) -> None:
    """Run ``fn(*args)`` on the main thread (see :func:`on_main`)."""
    on_main(partial(fn, *args), before_frame=before_frame)()

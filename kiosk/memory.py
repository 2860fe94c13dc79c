"""The garbage collector's policy: the one module that calls ``gc`` (no Kivy here).

Python's full collections walk every object alive; with a catalogue's pages cached and a thousand
widgets built they took 250-470 ms, and one landing between a touch and the next screen is a
visible stall. So the kiosk:

* **sets aside** what will live for the visit (:func:`set_aside`: a page just built, the pages
  prepared in advance): ``gc.freeze`` only moves lists, it costs nothing, and later collections
  then walk only what the last touch made;
* **tidies** while nobody waits, on the welcome screen (:func:`tidy`): thaw what the last tidy
  set aside (so nothing that died meanwhile is kept for good), collect, set the survivors aside;
* **holds the collector off** while a property many widgets watch changes (:func:`quiet`).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


def set_aside() -> None:
    """Keep every object alive now out of later collections (until the next :func:`tidy`)."""
    gc.freeze()


def tidy() -> None:
    """Collect garbage now and set what survives aside from later collections."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


@contextmanager
def quiet() -> Iterator[None]:
    """Keep the collector out for the block.

    Every widget's kv rules bind to the shared ``theme``, ``tr`` and app properties; a page's old
    widgets are garbage until the collector runs. Should it run in the middle of dispatching such
    a change, the widgets it destroys unbind themselves too late: the dispatch still calls their
    rules and Kivy raises ReferenceError. Outside a dispatch they unbind cleanly, so holding the
    collector off for its duration is enough.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

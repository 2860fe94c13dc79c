"""The garbage collector's policy: the one module that calls ``gc`` (no Kivy here).

Python's full collections walk every object alive; with a catalogue's pages cached and a thousand
widgets built they took 250-470 ms, and one landing between a touch and the next screen is a
visible stall. So the kiosk:

* **tidies** while nobody waits, on the welcome screen (:func:`tidy`, after start-up and after
  each visit): thaw what the last tidy set aside, collect, and set the survivors aside
  (``gc.freeze``): Python, Kivy, the screens and the prepared pages are then out of every later
  collection, which walks only what the visit made since;
* **never sets aside during a visit**: a page's widgets die when the next page replaces them, and
  freezing them (as the kiosk once did after every page) kept every dead page until the next
  quiet welcome screen, which a busy lobby may not reach for hours: 600 MB in a minute of
  continuous use. Collections during a visit are the collector's own, over the visit's objects
  only, so the memory stays flat and the full ones stay short;
* **holds the collector off** while a property many widgets watch changes (:func:`quiet`).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


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

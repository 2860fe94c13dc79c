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
* **holds the collector off** while a property many widgets watch changes (:func:`quiet`);
* **makes the full collections itself, between frames** (:func:`hold_full_collections`,
  :func:`full_due`, :func:`collect_full`): Python's own come whenever the tenth middle collection
  does, often in the frame that answers a touch, and they walked everything made since the last
  tidy (200,000 objects after forty pages: a tenth of a second quiet, half a second and more on a
  loaded machine). The UI (:mod:`kiosk.ui.collector`) runs them when a page is complete and no
  finger is down, and once the first page of a visit has made the service page's widgets ahead,
  sets aside what lives then (:func:`set_aside_once`: the screens' prepared widgets, the caches),
  so a full collection walks only what later pages made. Setting aside once keeps at most a few
  pages' garbage, once, never one per page;
* **gives the freed memory back** after each of those collections (:func:`give_back`, glibc's
  ``malloc_trim``): what the collection freed otherwise stays with the process as free pages
  inside the allocator (30 MB of 440 in a 20,000-event soak), counted in its RSS; handing it
  back took 1-3 ms;
* **keeps big blocks out of the heap** (:func:`steady_heap`, at start-up): blocks of 128 kB and
  more get pages of their own, returned whole when freed, instead of leaving holes in the heap
  that no trim can hand back (the soak ended 22-25 MB lower, each touch about 2 ms slower).

What the collector then finds is little, because the pages make little garbage: every Kivy
widget refers to itself through its own bindings, so a widget dropped is garbage only a full
collection frees, and the pages refill the widgets they showed before rather than make new
ones (:mod:`kiosk.ui.pool`, the hand-off panels, the keyboard's rows, the urgent lines).
"""
from __future__ import annotations

import ctypes
import gc
import os
from contextlib import contextmanager
from typing import Callable, Iterator, Optional


#: a full collection is due after this many middle ones (Python's own threshold)
FULL_EVERY = 10
#: past this many, one is made even without a quiet moment (a lobby that never pauses)
FULL_OVERDUE = 20
_set_aside = False


def _c_function(name: str, *argtypes: type) -> Optional[Callable[..., int]]:
    """A function of the process's own C library (no search for it: that runs ``ldconfig``),
    returning an int; None where the library has none (``malloc_trim`` is glibc's)."""
    try:
        function = ctypes.CDLL(None)[name]
    except (OSError, AttributeError):
        return None
    function.argtypes = list(argtypes)
    function.restype = ctypes.c_int
    return function


_trim: Optional[Callable[[int], int]] = None
_looked_up = False

#: mallopt's parameter number for the mmap threshold (glibc's <malloc.h>)
_M_MMAP_THRESHOLD = -3
#: blocks at least this big get pages of their own, handed back to the system when freed
#: (glibc's starting value, which it would otherwise raise as the process runs)
MAP_FROM = 128 * 1024


def steady_heap() -> bool:
    """Keep big blocks out of the heap for good.

    glibc gives blocks of 128 kB and more pages of their own, but each time one of them is freed
    it raises that threshold to the block's size (up to 32 MB). In the kiosk the first pages'
    textures and lists raise it within seconds, and from then on blocks of hundreds of kB come
    from the heap, between small ones that outlive them: free memory inside the heap that
    ``malloc_trim`` cannot return (12 -> 35 MB over 12,000 monkey events, while the memory in use
    stayed flat). Fixing the threshold stops the climb. False where the C library is not glibc,
    or where ``MALLOC_MMAP_THRESHOLD_`` in the environment already chose a threshold."""
    if "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    mallopt = _c_function("mallopt", ctypes.c_int, ctypes.c_int)
    return mallopt is not None and mallopt(_M_MMAP_THRESHOLD, MAP_FROM) == 1


def give_back() -> bool:
    """Return the allocator's free pages to the system; False where that cannot be done."""
    global _trim, _looked_up
    if not _looked_up:
        _trim, _looked_up = _c_function("malloc_trim", ctypes.c_size_t), True
    if _trim is None:
        return False
    _trim(0)
    return True


def tidy() -> None:
    """Collect garbage now, set what survives aside from later collections and give the freed
    memory back."""
    global _set_aside
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _set_aside = False        # the next visit's prepared widgets are set aside in their turn
    give_back()


def set_aside() -> None:
    """Set everything alive now aside from later collections without collecting first: for a
    process whose objects are known to hold no garbage cycles (the build child's parsed feed,
    a million containers, where a collection to find none took 0.28 s at 10k services)."""
    gc.freeze()


def hold_full_collections() -> None:
    """Python makes no full collection by itself any more: :func:`collect_full` does, when asked."""
    young, middle, _old = gc.get_threshold()
    gc.set_threshold(young, middle, 1 << 30)


def full_pending() -> int:
    """Middle collections since the last full one."""
    return gc.get_count()[2]


def full_due(overdue: bool = False) -> bool:
    return gc.isenabled() and full_pending() >= (FULL_OVERDUE if overdue else FULL_EVERY)


def collect_full() -> None:
    gc.collect()
    give_back()


def set_aside_once() -> bool:
    """The first time since start-up or the last tidy: collect the young garbage (a few
    milliseconds, not a full collection) and set everything alive aside from later collections.
    What has already grown old and died since the last full collection is set aside with it:
    at most what a few pages left, once, never once per page. False when done already."""
    global _set_aside
    if _set_aside:
        return False
    gc.collect(1)
    gc.freeze()
    _set_aside = True
    return True


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

"""The kiosk gives freed memory back to the system instead of keeping it in the allocator."""
import os
import platform

import pytest

from kiosk import memory


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_freed_memory_between_live_objects_goes_back_to_the_system():
    # 2 kB strings come from malloc's heap, not Python's small-object arenas; keeping one in 64
    # alive pins the heap, so free() alone cannot shrink it: only trimming returns the pages
    # between them, as after a full collection freed the widgets of many dropped pages
    blocks = [b"x" * 2000 + i.to_bytes(4, "little") for i in range(60_000)]
    kept = blocks[::64]
    assert len(kept) == 938
    before = _rss_mb()
    del blocks
    held = _rss_mb()
    assert memory.give_back() is True
    after = _rss_mb()
    assert held - before > -10, (before, held)           # free() alone kept nearly all of it
    assert held - after > 60, (before, held, after)      # of the ~115 MB the blocks took


def test_giving_back_twice_is_harmless():
    first = memory.give_back()
    assert memory.give_back() is first

"""The kiosk gives freed memory back to the system instead of keeping it in the allocator."""
import os
import platform
import subprocess
import sys
from pathlib import Path

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


_HEAP_PROBE = r"""
import ctypes, sys
from kiosk import memory

class Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks",
                "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.mallinfo2.restype = Mallinfo2
steady = memory.steady_heap() if sys.argv[1] == "steady" else None
libc.free(libc.malloc(4 << 20))     # a big block mapped and freed, as a page's first textures are
blocks = [libc.malloc(512 << 10) for _ in range(40)]
mapped = libc.mallinfo2().hblkhd >> 20
for block in blocks:
    libc.free(block)
print(steady, mapped, libc.mallinfo2().hblkhd >> 20)
"""


def _heap_probe(mode: str, **env: str) -> list[str]:
    root = Path(__file__).resolve().parents[1]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    environment.update(env, PYTHONPATH=str(root))
    done = subprocess.run([sys.executable, "-c", _HEAP_PROBE, mode], env=environment, cwd=root,
                          capture_output=True, text=True, timeout=60, check=True)
    return done.stdout.split()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the mmap threshold is glibc's")
def test_big_blocks_keep_pages_of_their_own_after_a_bigger_one_was_freed():
    # glibc alone: freeing the 4 MB block raised its threshold, and forty 512 kB blocks then came
    # from the heap (where, between small blocks that outlive them, they leave holes for good)
    assert _heap_probe("glibc") == ["None", "0", "0"]
    # the kiosk's heap: each 512 kB block has pages of its own, all handed back when freed
    assert _heap_probe("steady") == ["True", "20", "0"]


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the mmap threshold is glibc's")
def test_a_threshold_chosen_in_the_environment_is_left_alone():
    # an operator's MALLOC_MMAP_THRESHOLD_ (here 8 MB: the 512 kB blocks stay in the heap) wins
    assert _heap_probe("steady", MALLOC_MMAP_THRESHOLD_=str(8 << 20)) == ["False", "0", "0"]

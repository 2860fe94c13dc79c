"""Page figures that hold under load: frames from a touch to the page complete, to the service's
first QR code, widgets per page, and the longest full garbage collection under a touch.

``page_probe.py`` runs in a child process per size (one Kivy app per process), on a private copy
of that size's catalogue. Nothing here asserts anything about speed.
"""
from __future__ import annotations

import os
import statistics
from pathlib import Path

import pytest

from benchlib import SIZES, judge, record, run_json

pytestmark = pytest.mark.bench

HERE = Path(__file__).resolve().parent
ROUNDS = int(os.environ.get("BENCH_PAGE_ROUNDS", "6"))


@pytest.fixture(autouse=True)
def _display():
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        pytest.skip("no display: run under xvfb-run (make bench does)")


@pytest.mark.parametrize("size", SIZES)
def test_page_frames(kiosk_data_dir, catalogue_facts, size):
    facts = catalogue_facts(size)
    out = run_json([HERE / "page_probe.py", kiosk_data_dir(size), facts["top_id"], ROUNDS],
                   what="page_probe.py")
    for name, target in (("home->category", None), ("category->service", 2), ("service->first_qr", 1)):
        frames = [f for f in out[name]["frames"] if f is not None]
        record(f"touch frames: {name}", size, "frames", median=statistics.median(frames),
               max=max(frames), n=len(frames),
               **(judge(max(frames), target, "max", "<=") if target is not None else {}),
               median_ms=out[name].get("median_ms"))
    made = out["widgets"].pop("made_at_the_touch", [])
    for page, counts in out["widgets"].items():
        record(f"touch frames: widgets on the {page} page", size, "widgets",
               median=statistics.median(counts["widgets"]), labels=statistics.median(counts["labels"]))
    if made:
        record("touch frames: widgets made at the touch of a service row", size, "widgets",
               median=statistics.median(made), max=max(made), n=len(made))
    gc_figures = out["gc"]
    record("touch frames: full gc under a touch (longest)", size, "ms",
           median=gc_figures["gen2_under_a_touch"]["max_ms"], n=gc_figures["gen2_under_a_touch"]["n"],
           full_collections=gc_figures["gen2"]["n"], full_max_ms=gc_figures["gen2"]["max_ms"])
    assert out["category->service"]["frames"], "no service page was opened"

"""The alternative side by side: the same catalogue as a static HTML directory in headless Chromium.

For each size, htmlpage.py writes the home page (categories with their counts), the biggest
category's page (every one of its services) and its first services' pages from the catalogue
database, and

* ``test_chromium``: chromium_probe.py starts Debian's Chromium on the home and the category page
  (one warm-up, then ``BENCH_RUNS`` runs): start to first contentful paint, and the peak memory of
  all its processes;
* ``test_chromium_navigation``: chromium_nav_probe.py clicks, in one Chromium, the biggest
  category's card on the home page and the first row of the category page, ``BENCH_ROUNDS`` rounds
  (as the kiosk's touch -> next screen bench taps them): mouseup to the next page painted;
* ``test_chromium_idle``: chromium_nav_probe.py leaves a fresh Chromium on each page, nobody
  touching, and takes the CPU of all its processes over 3 x ``BENCH_IDLE_SECONDS`` (as the kiosk's
  idle bench).

The comparison with the kiosk's own figures (``ours vs chromium`` rows) is made when the table is
written (benchlib.compare), from the figures both sides recorded in the same run.
"""
from __future__ import annotations

import os
import shutil
import statistics

import pytest

from benchlib import HERE, RUNS, SIZES, record, run_json, summarize

pytestmark = pytest.mark.bench

CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
#: the same knobs as test_bench_ui.py's touch and idle benches
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
IDLE_SECONDS = float(os.environ.get("BENCH_IDLE_SECONDS", "10"))


@pytest.fixture
def site(kiosk_data_dir, catalogue_facts, tmp_path):
    """``site(size)``: the static directory of that size's catalogue, and what htmlpage.py said."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from htmlpage import write_site

    def make(size: int):
        facts = catalogue_facts(size)
        info = write_site(kiosk_data_dir(size) / "catalogue.sqlite3", tmp_path / "site", facts["top_id"])
        assert info["service_id"] == facts["service_id"]     # the row the kiosk's bench taps
        return tmp_path / "site", info

    return make


def med(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 1) if values else None


@pytest.mark.parametrize("size", SIZES)
def test_chromium(size, site):
    folder, info = site(size)
    for page, label in (("index.html", "home page"), ("category.html", "category page")):
        out = run_json([HERE / "chromium_probe.py", folder / page, RUNS], timeout=1800,
                       what=f"chromium_probe.py {page}")
        runs = out["runs"]
        kb = info["index_kb"] if page == "index.html" else info["category_kb"]
        record(f"chromium: {label}, spawn to first paint", size, "ms",
               **summarize([r["fcp_ms"] for r in runs if r["fcp_ms"] is not None]),
               lcp=med([r["lcp_ms"] for r in runs]), load=med([r["load_ms"] for r in runs]),
               navigation_start=med([r["navigation_start_ms"] for r in runs]),
               html_kb=kb, **({"rows": info["rows"]} if page == "category.html" else {}))
        record(f"chromium: {label}, peak memory (sum RSS)", size, "MB",
               **summarize([r["peak_rss_kb"] / 1024 for r in runs]),
               pss_mb=med([r["peak_pss_kb"] / 1024 for r in runs]),
               sum_vmhwm_mb=med([r["sum_hwm_kb"] / 1024 for r in runs]),
               processes=med([r["processes"] for r in runs]))


@pytest.mark.parametrize("size", SIZES)
def test_chromium_navigation(size, site):
    folder, info = site(size)
    out = run_json([HERE / "chromium_nav_probe.py", "nav", folder, ROUNDS], timeout=3600,
                   what="chromium_nav_probe.py nav")
    for step, m in out["nav"].items():
        page = "category" if step == "home->category" else "service"
        record(f"chromium: click to painted: {step}", size, "ms",
               **summarize([v for v in m["painted"] if v is not None]), fcp=med(m["fcp"]),
               lcp=med(m["lcp"]), load=med(m["load"]), complete=med(m["complete"]),
               nodes=med(m["nodes"]), html_kb=info[f"{page}_kb"], clock=out["clock"],
               **({"rows": info["rows"]} if page == "category" else {}),
               how="mouseup to the later of FCP and the task after the first frame after load")


@pytest.mark.parametrize("size", SIZES)
def test_chromium_idle(size, site):
    folder, _ = site(size)
    out = run_json([HERE / "chromium_nav_probe.py", "idle", folder, IDLE_SECONDS], timeout=1800,
                   what="chromium_nav_probe.py idle")
    for page, m in out["idle"].items():
        record(f"chromium: idle CPU, {page} page", size, "%", **summarize(m["cpu_percent"]),
               processes=m["processes"],
               how=f"CPU time of every process / wall time, 3 x {IDLE_SECONDS:g} s")

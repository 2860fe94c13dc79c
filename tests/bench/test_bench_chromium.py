"""The alternative side by side: the same catalogue as a static HTML directory in headless Chromium.

For each size, htmlpage.py writes the home page (categories with their counts) and the biggest
category's page (every one of its services) from the catalogue database, and chromium_probe.py
starts Debian's Chromium on each page (one warm-up, then ``BENCH_RUNS`` runs): start to first
contentful paint, and the peak memory of all its processes. The comparison with the kiosk's own
figures (``ours vs chromium`` rows) is made when the table is written (benchlib.compare).
"""
from __future__ import annotations

import os
import shutil
import statistics

import pytest

from benchlib import HERE, RUNS, SIZES, record, run_json, summarize

pytestmark = pytest.mark.bench

CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")


def med(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 1) if values else None


@pytest.mark.parametrize("size", SIZES)
def test_chromium(size, kiosk_data_dir, catalogue_facts, tmp_path):
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from htmlpage import write_site

    facts = catalogue_facts(size)
    site = write_site(kiosk_data_dir(size) / "catalogue.sqlite3", tmp_path / "site", facts["top_id"])
    for page, label in (("index.html", "home page"), ("category.html", "category page")):
        out = run_json([HERE / "chromium_probe.py", tmp_path / "site" / page, RUNS], timeout=1800,
                       what=f"chromium_probe.py {page}")
        runs = out["runs"]
        kb = site["index_kb"] if page == "index.html" else site["category_kb"]
        record(f"chromium: {label}, spawn to first paint", size, "ms",
               **summarize([r["fcp_ms"] for r in runs if r["fcp_ms"] is not None]),
               lcp=med([r["lcp_ms"] for r in runs]), load=med([r["load_ms"] for r in runs]),
               navigation_start=med([r["navigation_start_ms"] for r in runs]),
               html_kb=kb, **({"rows": site["rows"]} if page == "category.html" else {}))
        record(f"chromium: {label}, peak memory (sum RSS)", size, "MB",
               **summarize([r["peak_rss_kb"] / 1024 for r in runs]),
               pss_mb=med([r["peak_pss_kb"] / 1024 for r in runs]),
               sum_vmhwm_mb=med([r["sum_hwm_kb"] / 1024 for r in runs]),
               processes=med([r["processes"] for r in runs]))

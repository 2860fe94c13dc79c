"""Benchmarks: run by `make bench`, never by `make test`. They print figures and ratios and
assert nothing about speed, so a slow machine never fails them."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import RESULTS, SIZES, write_table  # noqa: E402


@pytest.fixture(scope="session")
def feeds():
    """Synthetic feeds by size, generated once (seed 1) and cached in bench-results/feeds."""
    from sync import synth
    from sync.feed import dumps

    cache = RESULTS / "feeds"
    cache.mkdir(parents=True, exist_ok=True)
    out = {}
    for size in SIZES:
        path = cache / f"synthetic-{size}.json"
        if not path.exists():
            path.write_bytes(dumps(synth.generate(size, seed=1)))
        out[size] = path
    return out


def pytest_sessionfinish(session, exitstatus):
    table = write_table()
    if table:
        print("\n\n" + table)

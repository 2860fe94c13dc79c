"""Catalogue figures: search latency alone, FTS5 against a plain LIKE scan of the same text.

(The build time and memory from a feed are recorded by the ``catalogue_dbs`` fixture in conftest.py.)
"""
from __future__ import annotations

import random
import time

import pytest

from benchlib import SIZES, record, summarize

pytestmark = pytest.mark.bench


def typed_prefixes(session, count: int = 200, seed: int = 7) -> list[str]:
    """What visitors type: words of real service names, growing one key at a time."""
    from sqlalchemy import select

    from kiosk.catalogue import models as m

    rng = random.Random(seed)
    names = session.scalars(select(m.Service.name).limit(2000)).all()
    words = [w for n in names for w in n.split() if len(w) >= 5]
    prefixes: list[str] = []
    while len(prefixes) < count:
        word = rng.choice(words).lower()
        for n in range(1, 6):
            prefixes.append(word[:n])
    return prefixes[:count]


@pytest.mark.parametrize("size", SIZES)
def test_search_latency(kiosk_data_dir, size):
    from kiosk.catalogue import queries as q
    from kiosk.catalogue import search as fts
    from kiosk.catalogue.store import Catalogue

    cat = Catalogue(kiosk_data_dir(size) / "catalogue.sqlite3")
    with cat.session() as s:
        prefixes = typed_prefixes(s)
        q.search(s, "warm up", "sq")
        full, fts_only, like = [], [], []
        for p in prefixes:
            t0 = time.perf_counter()
            q.search(s, p, "sq")
            full.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            fts.match(s, p)
            fts_only.append((time.perf_counter() - t0) * 1000)
        for p in prefixes[:40]:
            t0 = time.perf_counter()
            fts.like_match(s, p)
            like.append((time.perf_counter() - t0) * 1000)
    a, b, c = summarize(full), summarize(fts_only), summarize(like)
    record("search: typed prefix to results (queries.search)", size, "ms", **a)
    record("search: FTS5 match alone", size, "ms", **b)
    record("search: LIKE scan of the same text", size, "ms", **c,
           ratio_like_over_fts=round(c["median"] / max(b["median"], 1e-6), 1))
    cat.dispose()

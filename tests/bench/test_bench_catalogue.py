"""Catalogue figures: search latency alone, FTS5 against a plain LIKE scan of the same text; a
keystroke's query and a category's list with two big categories marked sensitive, beside the same
catalogue unmarked.

(The build time and memory from a feed are recorded by the ``catalogue_dbs`` fixture in conftest.py.)
"""
from __future__ import annotations

import random
import time
from datetime import datetime

import pytest

from benchlib import FIXED_NOW, SIZES, record, summarize

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


def _side_by_side(marked: list[float], plain: list[float]) -> dict:
    """The marked catalogue's median and p95, the unmarked one's, and marked / unmarked."""
    a, b = summarize(marked), summarize(plain)
    return {**a, "unmarked_median": b["median"], "unmarked_p95": b["p95"],
            "ratio_median": round(a["median"] / max(b["median"], 1e-6), 2),
            "ratio_p95": round(a["p95"] / max(b["p95"], 1e-6), 2)}


#: The size the sensitive rows are measured at: where a keystroke took 180-330 ms with two
#: sensitive categories (1,950 services) while every list read every sensitive service (before
#: 59cabac; on that code this row's ratios are about 20 for a keystroke and 7 for a list).
SENSITIVE_SIZE = 10_000
LIST_REPEATS = 10


@pytest.mark.parametrize("size", [SENSITIVE_SIZE])
def test_sensitive_categories_cost(kiosk_data_dir, sensitive_data_dir, size):
    """Search keystrokes and category lists, each on the catalogue whose two biggest top-level
    categories are sensitive and on the same one unmarked, interleaved, through what the kiosk
    calls: ``Reads.search`` (a session per keystroke) and a category page before it is cached
    (``Reads._category_static``, then ``queries.rows_at``)."""
    if size not in SIZES:
        pytest.skip(f"BENCH_SIZES has no {size}")
    from kiosk.catalogue import queries as q
    from kiosk.catalogue.store import Catalogue
    from kiosk.reads import Reads

    marked_dir, marked_ids = sensitive_data_dir(size)
    cats = {"plain": Catalogue(kiosk_data_dir(size) / "catalogue.sqlite3"),
            "marked": Catalogue(marked_dir / "catalogue.sqlite3")}
    reads = {k: Reads(c) for k, c in cats.items()}
    now = datetime.fromisoformat(FIXED_NOW)
    try:
        with cats["plain"].session() as s:
            prefixes = typed_prefixes(s)
            assert not q.sensitive_services(s, "sq"), "the synthetic feed marks nothing"
            tops = sorted(q.top_categories(s, "sq"), key=lambda c: (-c.service_count, c.id))
            ordinary = next(c.id for c in tops if c.id not in marked_ids)
        with cats["marked"].session() as s:
            sensitive = len(q.sensitive_services(s, "sq"))
        assert sensitive > 0, "the variant's categories are sensitive"

        def keystroke(which: str, text: str) -> tuple[float, bool]:
            t0 = time.perf_counter()
            results = reads[which].search(text, "sq")
            return (time.perf_counter() - t0) * 1000, any(r.sensitive for r in results)

        def category(which: str, term_id: str) -> tuple[float, tuple[int, int]]:
            t0 = time.perf_counter()
            with cats[which].session() as s:
                static = Reads._category_static(s, term_id, "sq")
                rows = q.rows_at(s, static[3], now)
            return (time.perf_counter() - t0) * 1000, (sum(r.sensitive for r in rows), len(rows))

        for which in cats:                       # the first query of each file reads its pages
            keystroke(which, "warm up")
            for term_id in (*marked_ids, ordinary):
                category(which, term_id)
        search = {"plain": [], "marked": []}
        with_sensitive = 0
        for i, text in enumerate(prefixes):
            for which in (("plain", "marked") if i % 2 == 0 else ("marked", "plain")):
                ms, any_sensitive = keystroke(which, text)
                search[which].append(ms)
                with_sensitive += which == "marked" and any_sensitive
        lists = {key: {"plain": [], "marked": []} for key in ("sensitive", "ordinary")}
        sensitive_rows = {}
        for i in range(LIST_REPEATS):
            for key, term_ids in (("sensitive", marked_ids), ("ordinary", [ordinary])):
                for term_id in term_ids:
                    for which in (("plain", "marked") if i % 2 == 0 else ("marked", "plain")):
                        ms, rows = category(which, term_id)
                        lists[key][which].append(ms)
                        sensitive_rows[(key, which, term_id)] = rows
    finally:
        for r in reads.values():
            r.close()
        for c in cats.values():
            c.dispose()
    # the marks reach the rows: every row of a marked category is sensitive, none unmarked (a
    # service filed in an ordinary category too is sensitive there as well)
    seen = {(key, which): [n for (k, w, _t), n in sensitive_rows.items() if (k, w) == (key, which)]
            for key in lists for which in cats}
    assert all(marked == total > 0 for marked, total in seen[("sensitive", "marked")])
    assert not any(marked for key in lists for marked, _total in seen[(key, "plain")])
    record("search: keystroke, 2 top categories sensitive", size, "ms",
           **_side_by_side(search["marked"], search["plain"]), sensitive_services=sensitive,
           keystrokes_with_sensitive_hits=with_sensitive)
    record("category list: a sensitive one, uncached", size, "ms",
           **_side_by_side(lists["sensitive"]["marked"], lists["sensitive"]["plain"]),
           rows="+".join(str(total) for _marked, total in seen[("sensitive", "marked")]))
    record("category list: an ordinary one beside them", size, "ms",
           **_side_by_side(lists["ordinary"]["marked"], lists["ordinary"]["plain"]),
           rows=seen[("ordinary", "marked")][0][1], sensitive_rows=seen[("ordinary", "marked")][0][0])

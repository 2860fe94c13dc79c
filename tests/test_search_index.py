"""The slim search index finds the same services, in the same order, as the full one it replaced.

The full one (schema 6) kept a copy of every indexed text and prefix indexes of 1, 2 and 3
letters; the slim one keeps tokens only (contentless FTS5) and a first-letter prefix index.
Both are built here in the same database from the same text (:data:`kiosk.catalogue.search.SOURCE`), and every
query visitors type (each word of the catalogue's names growing key by key, several words,
diacritics left off) must give the same hits, scores and order.
"""
from __future__ import annotations

import json
import re
import sqlite3

import pytest
from factories import make_feed
from sqlalchemy import text

from kiosk.catalogue import search as fts
from kiosk.catalogue.models import key_text
from kiosk.catalogue.store import Catalogue
from kiosk.paths import SAMPLE_FEED
from sync.publish import synth

FULL = "search_full"


def _full_index(session) -> None:
    """The index as schema 6 built it: content kept, prefix indexes, kind and ref as columns."""
    session.execute(text(f"""CREATE VIRTUAL TABLE {FULL} USING fts5(
        kind UNINDEXED, ref UNINDEXED, name, org, category, body,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"""))
    session.execute(text(f"INSERT INTO {FULL} (kind, ref, name, org, category, body) "
                         f"SELECT kind, ref, name, org, category, body FROM ({fts.SOURCE})"))
    session.execute(text(f"INSERT INTO {FULL}({FULL}) VALUES ('optimize')"))
    session.commit()


def _full_match(session, query: str, limit: int) -> list[tuple[str, str, float]]:
    """Schema 6's :func:`kiosk.catalogue.search.match`, on the full index (the same tiers)."""
    hits, seen = [], set()
    for tier in fts.tiers(query):
        for kind, ref, score in session.execute(text(
                f"SELECT kind, ref, bm25({FULL}, 0.0, 0.0, 10.0, 4.0, 3.0, 1.0) AS score FROM {FULL} "
                f"WHERE {FULL} MATCH :expr ORDER BY score LIMIT :limit"),
                {"expr": tier, "limit": limit}):
            ref = key_text(ref)
            if ref not in seen:
                seen.add(ref)
                hits.append((kind, ref, score))
        if len(hits) >= limit:
            break
    return hits[:limit]


def _queries(session) -> list[str]:
    names = [n for (n,) in session.execute(text(
        "SELECT name FROM service UNION ALL SELECT name FROM organization "
        "UNION ALL SELECT name FROM taxonomy_term"))]
    words = sorted({w.lower() for n in names for w in re.findall(r"\w+", n) if len(w) >= 3})
    queries = {w[:n] for w in words for n in range(1, min(len(w), 6) + 1)}
    queries |= {" ".join(n.lower().split()[:2]) for n in names[:200]}
    queries |= {"cerdh", "korce", "femije", "Çerdhe", "FËMIJË", "strehim elbasan", "ndihm psiko",
                "health", "shelter", "zzzz", "a b", "", "!!"}
    return sorted(queries)


@pytest.fixture(params=["test-feed", "sample", "synthetic-400"])
def corpus(request, tmp_path):
    if request.param == "test-feed":
        doc = make_feed()
    elif request.param == "sample":
        doc = json.loads(SAMPLE_FEED.read_text(encoding="utf-8"))
    else:
        doc = synth.generate(400, seed=3)
    cat = Catalogue(tmp_path / "catalogue.sqlite3")
    cat.create_schema()
    cat.load(doc, source="test")
    with cat.session() as session:
        _full_index(session)
        yield session
    cat.dispose()


def test_slim_index_gives_the_same_hits_in_the_same_order(corpus):
    queries = _queries(corpus)
    assert len(queries) > 50
    found = 0
    for query in queries:
        for limit in (40, 5):
            ours = [(h.kind, h.id, round(h.score, 9)) for h in fts.match(corpus, query, limit=limit)]
            full = [(k, ref, round(score, 9)) for k, ref, score in _full_match(corpus, query, limit)]
            assert ours == full, query
            found += bool(ours)
    assert found > len(queries)       # most queries find something: the comparison is not empty


def test_kind_filter_and_like_scan_match_the_full_index(corpus):
    compared = 0
    for query in ("qe", "sh", "ndihm", "el", "a", "s", "qendr"):
        full = _full_match(corpus, query, 200)
        services = [(h.kind, h.id) for h in fts.match(corpus, query, limit=200, kind="service")]
        full_services = [(k, ref) for k, ref, _ in full if k == "service"]
        common = min(len(services), len(full_services))
        assert services[:common] == full_services[:common], query
        compared += common
        assert {h.id for h in fts.like_match(corpus, query, limit=5000)} == {
            key_text(ref) for (ref,) in corpus.execute(text(
                f"SELECT ref FROM {FULL} WHERE (name || ' ' || org || ' ' || category || ' ' || body) "
                "LIKE :w"), {"w": f"%{query}%"})}
    assert compared > 0


def test_index_keeps_no_copy_of_the_text(catalogue):
    conn = sqlite3.connect(catalogue.db_path)
    try:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        assert f"{fts.FTS_TABLE}_data" in tables and f"{fts.FTS_TABLE}_content" not in tables
        docs = conn.execute(f"SELECT count(*) FROM {fts.DOC_TABLE}").fetchone()[0]
        assert docs == conn.execute("SELECT (SELECT count(*) FROM service) + "
                                    "(SELECT count(*) FROM organization)").fetchone()[0]
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0   # vacuumed
    finally:
        conn.close()


def _folded_first_word(name: str) -> str:
    import unicodedata

    words = re.findall(r"\w+", unicodedata.normalize("NFKD", name.lower()))
    word = words[0] if words else ""
    return "".join(c for c in word if not unicodedata.combining(c))


def test_two_letters_rank_names_that_begin_with_them_first(corpus):
    """Typed two letters, names beginning with them come first ("ce": Çerdhe before a name with
    "për" or "qendër" in the middle), then names with a word so beginning, then other text."""
    mixed = 0
    for query in ("qe", "sh", "ce", "nd", "pe", "ko", "ba"):
        hits = fts.match(corpus, query, limit=200)
        names = {key_text(ref): name for ref, name in corpus.execute(text(
            f"SELECT ref, name FROM {FULL}"))}
        begins = [_folded_first_word(names[h.id]).startswith(query) for h in hits]
        assert begins == sorted(begins, reverse=True), (query, [names[h.id] for h in hits][:12])
        mixed += any(begins) and not all(begins)
    assert mixed > 0          # both kinds of names turned up: the order was tested

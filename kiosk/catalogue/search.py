"""Full-text search with SQLite FTS5, in every language of the catalogue at once.

The index folds case and diacritics (``unicode61 remove_diacritics 2``), so ``cerdh`` finds
``Çerdhe``, ``korce`` finds ``Korçë`` and ``femije`` finds ``fëmijë``. Each word the visitor types
is matched as a prefix, so results follow the keyboard key by key. Hits are ranked with BM25, a
service's name weighing more than its provider, its categories and then its description and
addresses.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from sqlalchemy import Float, Integer, String, text
from sqlalchemy.orm import Session

from kiosk.catalogue.models import Key

FTS_TABLE = "search_index"
#: What each row of the index is: ``id`` is the index's rowid, ``kind`` and ``ref`` the record.
DOC_TABLE = "search_doc"
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# bm25 weights per column: name, org, category, body.
_WEIGHTS = "10.0, 4.0, 3.0, 1.0"

# Contentless (``content=''``): the index keeps its tokens, not a second copy of the text, which
# the catalogue's rows hold already (at 100k services the copy was 80 MB). Ranking needs only the
# tokens and the column sizes, so hits and their order are the same. One prefix index, of first
# letters: a one-letter query (``^"a"*``, names that begin with it) would otherwise merge the lists
# of every word that begins with that letter (36 ms instead of 27 at 100k); from two letters on
# FTS5 reads the few terms that begin with them as fast as a prefix index would, so the 2- and
# 3-letter indexes (about 80 MB at 100k) are gone (see tests/bench/test_bench_catalogue.py).
CREATE_FTS = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
    name, org, category, body,
    tokenize = 'unicode61 remove_diacritics 2',
    content = '',
    prefix = '1'
)"""

CREATE_DOC = f"""
CREATE TABLE IF NOT EXISTS {DOC_TABLE} (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL
)"""


# Every language's value of a field of a translatable row: the column plus each translation.
def _all_languages(alias: str, field: str) -> str:
    return (f"coalesce({alias}.{field}, '') || ' ' || coalesce((SELECT group_concat("
            f"json_extract(tr.value, '$.{field}'), ' ') FROM json_each({alias}.translations) tr), '')")


# The indexed text of a service (``s``, its provider ``o``) and of an organization (``o``).
_SERVICE_TEXT = f"""
       {_all_languages('s', 'name')} || ' ' || coalesce(s.alternate_name, '') AS name,
       {_all_languages('o', 'name')} || ' ' || coalesce(o.alternate_name, '') AS org,
       coalesce((SELECT group_concat({_all_languages('t', 'name')} || ' ' ||
                                     coalesce({_all_languages('p', 'name')}, ''), ' ')
                 FROM service_term st JOIN taxonomy_term t ON t.id = st.term_id
                 LEFT JOIN taxonomy_term p ON p.id = t.parent_id
                 WHERE st.service_id = s.id), '') AS category,
       {_all_languages('s', 'description')} || ' ' ||
       coalesce((SELECT group_concat(coalesce(l.name, '') || ' ' || coalesce(a.address_1, '') || ' ' ||
                                     coalesce(a.city, ''), ' ')
                 FROM service_at_location sal JOIN location l ON l.id = sal.location_id
                 LEFT JOIN address a ON a.location_id = l.id
                 WHERE sal.service_id = s.id), '') AS body"""

_ORGANIZATION_TEXT = f"""
       {_all_languages('o', 'name')} || ' ' || coalesce(o.alternate_name, '') AS name, '' AS org,
       '' AS category, {_all_languages('o', 'description')} AS body"""

#: Every indexed record with its text (kind, ref, name, org, category, body), in index order:
#: services as loaded, then organizations (hits of equal score come in this order).
SOURCE = f"""
SELECT * FROM (SELECT 'service' AS kind, s.id AS ref, {_SERVICE_TEXT}
               FROM service s JOIN organization o ON o.id = s.organization_id ORDER BY s.rowid)
UNION ALL
SELECT * FROM (SELECT 'organization' AS kind, o.id AS ref, {_ORGANIZATION_TEXT}
               FROM organization o ORDER BY o.rowid)
"""

_INDEX_DOCS = f"""
INSERT INTO {DOC_TABLE} (kind, ref)
SELECT 'service', s.id FROM service s JOIN organization o ON o.id = s.organization_id
ORDER BY s.rowid;
INSERT INTO {DOC_TABLE} (kind, ref) SELECT 'organization', o.id FROM organization o ORDER BY o.rowid
"""

_INDEX_SERVICES = f"""
INSERT INTO {FTS_TABLE} (rowid, name, org, category, body)
SELECT d.id, {_SERVICE_TEXT}
FROM {DOC_TABLE} d JOIN service s ON s.id = d.ref JOIN organization o ON o.id = s.organization_id
WHERE d.kind = 'service'
"""

_INDEX_ORGANIZATIONS = f"""
INSERT INTO {FTS_TABLE} (rowid, name, org, category, body)
SELECT d.id, {_ORGANIZATION_TEXT}
FROM {DOC_TABLE} d JOIN organization o ON o.id = d.ref
WHERE d.kind = 'organization'
"""


def create_index(session: Session) -> None:
    session.execute(text(CREATE_FTS))
    session.execute(text(CREATE_DOC))


def clear_index(session: Session) -> None:
    """Empty the index (a contentless FTS5 table is emptied with ``delete-all``, not DELETE)."""
    session.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')"))
    session.execute(text(f"DELETE FROM {DOC_TABLE}"))


def index_rows(session: Session) -> None:
    """(Re)fill the index from the catalogue tables; runs inside the build's transaction."""
    clear_index(session)
    for statement in _INDEX_DOCS.split(";"):
        session.execute(text(statement))
    session.execute(text(_INDEX_SERVICES))
    session.execute(text(_INDEX_ORGANIZATIONS))
    session.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"))


_WORD = re.compile(r"\w+", re.UNICODE)


def terms(query: str) -> list[str]:
    """The words of what the visitor typed, lower-cased, at most :data:`MAX_TERMS`."""
    words = [w[:MAX_TERM_LENGTH] for w in _WORD.findall(query.lower().replace("_", " "))]
    return words[:MAX_TERMS]


class Hit(NamedTuple):
    kind: str  # "service" or "organization"
    id: str
    score: float


def _run(session: Session, expr: str, limit: int, kind: str | None) -> list[Hit]:
    if kind:
        sql = (f"SELECT d.kind, d.ref, bm25({FTS_TABLE}, {_WEIGHTS}) AS score FROM {FTS_TABLE} "
               f"JOIN {DOC_TABLE} d ON d.id = {FTS_TABLE}.rowid "
               f"WHERE {FTS_TABLE} MATCH :expr AND d.kind = :kind ORDER BY score LIMIT :limit")
        rows = session.execute(text(sql).columns(kind=String, ref=Key, score=Float),
                               {"expr": expr, "limit": limit, "kind": kind}).all()
        return [Hit(k, ref, score) for k, ref, score in rows]
    # Rank in the index alone, in the order it gives, then name the few rows kept.
    ranked = session.execute(text(
        f"SELECT rowid, bm25({FTS_TABLE}, {_WEIGHTS}) AS score FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH :expr ORDER BY score LIMIT :limit"),
        {"expr": expr, "limit": limit}).all()
    if not ranked:
        return []
    docs = {i: (k, ref) for i, k, ref in session.execute(
        text(f"SELECT id, kind, ref FROM {DOC_TABLE} WHERE id IN ({','.join(str(r) for r, _ in ranked)})")
        .columns(id=Integer, kind=String, ref=Key))}
    return [Hit(*docs[rowid], score) for rowid, score in ranked]


def tiers(query: str) -> list[str]:
    """The FTS5 expressions :func:`match` ranks in turn for ``query`` (none when it has no words)."""
    words = terms(query)
    if not words:
        return []
    expr = " ".join(f'"{w}"*' for w in words)
    if len(words) == 1 and len(words[0]) == 1:
        return [f'name : ^"{words[0]}"*']
    if len(words) == 1 and len(words[0]) == 2:
        return [f'name : ^"{words[0]}"*', f"name : ({expr})", expr]
    return [f"name : ({expr})", expr]


def match(session: Session, query: str, limit: int = 50, kind: str | None = None) -> list[Hit]:
    """Ranked hits for ``query``; an empty or punctuation-only query has none.

    Names come first, in tiers, because ranking is what costs: BM25 scores every matching row,
    and a two-letter prefix can match most of a 100k catalogue. The first tier ranks only rows
    whose *name* matches (a single letter or two: names that begin with them, the visitor's
    likeliest meaning and a third of the cost: 18 ms against 47 for "pe" at 100,000 services,
    where "për" in the middle of thousands of names matches too); each further tier (names
    matching anywhere, then every column) runs only while fewer than ``limit`` hits are found.
    """
    hits: list[Hit] = []
    seen: set[str] = set()
    for tier in tiers(query):
        for hit in _run(session, tier, limit, kind):
            if hit.id not in seen:
                seen.add(hit.id)
                hits.append(hit)
        if len(hits) >= limit:
            break
    return hits[:limit]


def like_match(session: Session, query: str, limit: int = 50) -> list[Hit]:
    """The obvious alternative, a ``LIKE`` scan of the same text, names first: for benchmarks.

    Ranking (names first) makes it read every row, as any ranked search must without an index;
    it also cannot fold diacritics (``cerdhe`` misses ``Çerdhe``), one more reason for FTS5.
    The index keeps no copy of the text, so the scan also assembles it from the rows (:data:`SOURCE`).
    """
    words = terms(query)
    if not words:
        return []
    where = " AND ".join(f"(name || ' ' || org || ' ' || category || ' ' || body) LIKE :w{i}"
                         for i in range(len(words)))
    name_first = " + ".join(f"(name LIKE :w{i})" for i in range(len(words)))
    params = {f"w{i}": f"%{w}%" for i, w in enumerate(words)}
    rows = session.execute(text(f"SELECT kind, ref FROM ({SOURCE}) WHERE {where} "
                                f"ORDER BY {name_first} DESC LIMIT :limit").columns(kind=String, ref=Key),
                           {**params, "limit": limit}).all()
    return [Hit(k, ref, 0.0) for k, ref in rows]

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

from sqlalchemy import text
from sqlalchemy.orm import Session

FTS_TABLE = "search_index"
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# bm25 weights per column: kind, ref (unindexed), name, org, category, body.
_WEIGHTS = "0.0, 0.0, 10.0, 4.0, 3.0, 1.0"

CREATE_FTS = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
    kind UNINDEXED, ref UNINDEXED, name, org, category, body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
)"""

# Every language's value of a field of a translatable row: the column plus each translation.
def _all_languages(alias: str, field: str) -> str:
    return (f"coalesce({alias}.{field}, '') || ' ' || coalesce((SELECT group_concat("
            f"json_extract(tr.value, '$.{field}'), ' ') FROM json_each({alias}.translations) tr), '')")


_INDEX_SERVICES = f"""
INSERT INTO {FTS_TABLE} (kind, ref, name, org, category, body)
SELECT 'service', s.id,
       {_all_languages('s', 'name')} || ' ' || coalesce(s.alternate_name, ''),
       {_all_languages('o', 'name')} || ' ' || coalesce(o.alternate_name, ''),
       coalesce((SELECT group_concat({_all_languages('t', 'name')} || ' ' ||
                                     coalesce({_all_languages('p', 'name')}, ''), ' ')
                 FROM service_term st JOIN taxonomy_term t ON t.id = st.term_id
                 LEFT JOIN taxonomy_term p ON p.id = t.parent_id
                 WHERE st.service_id = s.id), ''),
       {_all_languages('s', 'description')} || ' ' ||
       coalesce((SELECT group_concat(coalesce(l.name, '') || ' ' || coalesce(a.address_1, '') || ' ' ||
                                     coalesce(a.city, ''), ' ')
                 FROM service_at_location sal JOIN location l ON l.id = sal.location_id
                 LEFT JOIN address a ON a.location_id = l.id
                 WHERE sal.service_id = s.id), '')
FROM service s JOIN organization o ON o.id = s.organization_id
"""

_INDEX_ORGANIZATIONS = f"""
INSERT INTO {FTS_TABLE} (kind, ref, name, org, category, body)
SELECT 'organization', o.id,
       {_all_languages('o', 'name')} || ' ' || coalesce(o.alternate_name, ''), '', '',
       {_all_languages('o', 'description')}
FROM organization o
"""


def create_index(session: Session) -> None:
    session.execute(text(CREATE_FTS))


def index_rows(session: Session) -> None:
    """(Re)fill the index from the catalogue tables; runs inside the build's transaction."""
    session.execute(text(f"DELETE FROM {FTS_TABLE}"))
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
    kind_filter = "AND kind = :kind" if kind else ""
    rows = session.execute(text(
        f"SELECT kind, ref, bm25({FTS_TABLE}, {_WEIGHTS}) AS score FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH :expr {kind_filter} ORDER BY score LIMIT :limit"),
        {"expr": expr, "limit": limit, "kind": kind}).all()
    return [Hit(k, ref, score) for k, ref, score in rows]


def match(session: Session, query: str, limit: int = 50, kind: str | None = None) -> list[Hit]:
    """Ranked hits for ``query``; an empty or punctuation-only query has none.

    Names come first, in two tiers, because ranking is what costs: BM25 scores every matching
    row, and a two-letter prefix can match most of a 100k catalogue. The first tier ranks only
    rows whose *name* matches (a single letter: names that begin with it); only when that gives
    fewer than ``limit`` hits does the second tier rank every column and fill the rest.
    """
    words = terms(query)
    if not words:
        return []
    expr = " ".join(f'"{w}"*' for w in words)
    if len(words) == 1 and len(words[0]) == 1:
        tiers = [f'name : ^"{words[0]}"*']
    else:
        tiers = [f"name : ({expr})", expr]
    hits: list[Hit] = []
    seen: set[str] = set()
    for tier in tiers:
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
    """
    words = terms(query)
    if not words:
        return []
    where = " AND ".join(f"(name || ' ' || org || ' ' || category || ' ' || body) LIKE :w{i}"
                         for i in range(len(words)))
    name_first = " + ".join(f"(name LIKE :w{i})" for i in range(len(words)))
    params = {f"w{i}": f"%{w}%" for i, w in enumerate(words)}
    rows = session.execute(text(f"SELECT kind, ref FROM {FTS_TABLE} WHERE {where} "
                                f"ORDER BY {name_first} DESC LIMIT :limit"),
                           {**params, "limit": limit}).all()
    return [Hit(k, ref, 0.0) for k, ref in rows]

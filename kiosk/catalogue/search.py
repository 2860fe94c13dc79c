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


def fts_query(query: str) -> str | None:
    """An FTS5 MATCH expression: every typed word as a quoted prefix, all required."""
    words = terms(query)
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


class Hit(NamedTuple):
    kind: str  # "service" or "organization"
    id: str
    score: float


def match(session: Session, query: str, limit: int = 50, kind: str | None = None) -> list[Hit]:
    """Ranked hits for ``query``; an empty or punctuation-only query has none."""
    expr = fts_query(query)
    if expr is None:
        return []
    kind_filter = "AND kind = :kind" if kind else ""
    rows = session.execute(text(
        f"SELECT kind, ref, bm25({FTS_TABLE}, {_WEIGHTS}) AS score FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH :expr {kind_filter} ORDER BY score LIMIT :limit"),
        {"expr": expr, "limit": limit, "kind": kind}).all()
    return [Hit(k, ref, score) for k, ref, score in rows]


def like_match(session: Session, query: str, limit: int = 50) -> list[Hit]:
    """The obvious alternative, a ``LIKE`` scan of the same text: for benchmarks only.

    It cannot fold diacritics, which is one more reason the kiosk uses FTS5.
    """
    words = terms(query)
    if not words:
        return []
    where = " AND ".join(f"(name || ' ' || org || ' ' || category || ' ' || body) LIKE :w{i}"
                         for i in range(len(words)))
    params = {f"w{i}": f"%{w}%" for i, w in enumerate(words)}
    rows = session.execute(text(f"SELECT kind, ref FROM {FTS_TABLE} WHERE {where} LIMIT :limit"),
                           {**params, "limit": limit}).all()
    return [Hit(k, ref, 0.0) for k, ref in rows]

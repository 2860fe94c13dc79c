"""Engine, sessions and migrations of the server's database: SQLite (the embedded default, one
file in the data directory) or PostgreSQL (``database_url``, psycopg 3) for several workers.

Both behave the same where the pages can tell: :func:`folded` lowers text by Unicode on both
(SQLite's own ``lower()`` knows only ASCII, so each SQLite connection gets Python's), and
:func:`alphabetical` orders names by the Albanian alphabet, case-insensitively (c < ç < d < dh <
e < ë ...): PostgreSQL's ICU collation ``sq-x-icu`` and, on SQLite, a collation with the same
rules (:func:`albanian_key`).

The server migrates its database itself on every start (``alembic upgrade head``). A developer who
changes :mod:`sync.server.models` writes the next migration with::

    python -m sync.server.db revision "what changed"

which autogenerates it (against a scratch database at the current head) into migrations/versions/
for review.
"""
from __future__ import annotations

import functools
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import String, create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.functions import FunctionElement

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: PostgreSQL's ICU collations (Debian builds PostgreSQL with ICU): the Albanian alphabet, and
#: the root locale for lower-casing whatever the database's own locale is.
PG_ALPHABETICAL = '"sq-x-icu"'
PG_FOLD = '"und-x-icu"'
#: Every worker process takes this advisory lock while it migrates, one after the other.
MIGRATION_LOCK = 7_401_190


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def make_engine(database: Path | str) -> Engine:
    url = database if isinstance(database, str) and "://" in database else f"sqlite:///{database}"
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=8, max_overflow=8, pool_recycle=1800)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.create_function("lower", 1, _lower, deterministic=True)
        dbapi_conn.create_collation("sq", _albanian_compare)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return engine


# ------------------------------------------------------------------------------- text the same on both


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


class folded(FunctionElement):  # noqa: N801 - reads as SQL
    """``lower(text)`` by Unicode: Ë -> ë, Ç -> ç on SQLite as on PostgreSQL."""

    type = String()
    inherit_cache = True
    name = "lower"


@compiles(folded)
def _folded_sqlite(element: folded, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(folded, "postgresql")
def _folded_pg(element: folded, compiler: Any, **kw: Any) -> str:
    return f"lower(({compiler.process(element.clauses, **kw)}) COLLATE {PG_FOLD})"


class alphabetical(FunctionElement):  # noqa: N801
    """A name to ORDER BY in the Albanian alphabet, capitals beside small letters."""

    type = String()
    inherit_cache = True
    name = "alphabetical"


@compiles(alphabetical)
def _alphabetical_sqlite(element: alphabetical, compiler: Any, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)}) COLLATE sq"


@compiles(alphabetical, "postgresql")
def _alphabetical_pg(element: alphabetical, compiler: Any, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)}) COLLATE {PG_ALPHABETICAL}"


def like_pattern(words: str) -> str:
    """``%words%`` for ``folded(column).like(pattern, escape="\\")``: lowered as :func:`folded`
    lowers, and a ``%`` or ``_`` typed by a person matches only itself."""
    escaped = words.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


#: The Albanian alphabet (CLDR's order, which ICU's ``sq`` collation follows), with w where the
#: Latin alphabet has it; the digraphs are single letters.
ALBANIAN_LETTERS = ("a b c ç d dh e ë f g gj h i j k l ll m n nj o p q r rr s sh t th u v w x xh y z zh"
                    .split())
_RANK = {letter: i for i, letter in enumerate(ALBANIAN_LETTERS)}


@functools.lru_cache(maxsize=4096)
def albanian_key(value: str) -> tuple:
    """Sort key in three levels, as ICU compares: letters (digraphs as one, ç and ë their own),
    then other accents, then case (small before capital). Spaces and punctuation come before
    digits, digits before letters; letters outside Latin after z, by code point."""
    text = unicodedata.normalize("NFC", value)
    primary: list[tuple[int, int]] = []
    secondary: list[str] = []
    tertiary: list[int] = []
    i = 0
    while i < len(text):
        pair = text[i:i + 2].lower()
        if len(pair) == 2 and pair in _RANK:
            unit, size = pair, 2
        else:
            unit, size = text[i].lower(), 1
        original = text[i:i + size]
        if unit in _RANK:
            primary.append((3, _RANK[unit]))
            secondary.append("")
        else:
            base = unicodedata.normalize("NFD", unit)
            letter, marks = base[:1], base[1:]
            if letter in _RANK:
                primary.append((3, _RANK[letter]))
            elif letter.isdigit():
                primary.append((2, int(letter) if letter.isdecimal() else ord(letter)))
            elif letter.isalpha():
                primary.append((4, ord(letter)))
            else:
                primary.append((1, ord(letter)))
            secondary.append(marks)
        tertiary.append(0 if original == original.lower() else 1)
        i += size
    return tuple(primary), tuple(secondary), tuple(tertiary)


def _albanian_compare(a: str, b: str) -> int:
    ka, kb = albanian_key(a), albanian_key(b)
    return (ka > kb) - (ka < kb)


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # The URL without its password, escaped for ConfigParser (a socket path is %-quoted).
    cfg.set_main_option("sqlalchemy.url", str(engine.url).replace("%", "%%"))
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (creating the database on first start)."""
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as connection:
        if is_postgresql(engine):  # several workers starting at once migrate one after the other
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


class Database:
    def __init__(self, database: Path | str):
        self.engine = make_engine(database)
        self.postgresql = is_postgresql(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def migrate(self) -> None:
        migrate(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on an exception."""
        with self.sessions() as session:
            with session.begin():
                yield session

    def dispose(self) -> None:
        self.engine.dispose()


def make_revision(message: str) -> None:
    """Autogenerate the next migration from the models (a developer's tool)."""
    import tempfile

    from alembic import command
    from alembic.script import ScriptDirectory

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(Path(tmp) / "scratch.sqlite3")
        migrate(engine)
        cfg = alembic_config(engine)
        head = ScriptDirectory.from_config(cfg).get_current_head()
        next_id = f"{int(head or 0) + 1:04d}"
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.revision(cfg, message=message, autogenerate=True, rev_id=next_id)
        engine.dispose()


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "revision":
        make_revision(sys.argv[2])
    else:
        print('usage: python -m sync.server.db revision "what changed"', file=sys.stderr)
        raise SystemExit(2)

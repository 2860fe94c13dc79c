"""Engine, sessions and migrations of the server's SQLite database.

The server migrates its database itself on every start (``alembic upgrade head``). A developer who
changes :mod:`sync.server.models` writes the next migration with::

    python -m sync.server.db revision "what changed"

which autogenerates it (against a scratch database at the current head) into migrations/versions/
for review.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(database: Path | str) -> Engine:
    url = database if isinstance(database, str) and "://" in database else f"sqlite:///{database}"
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return engine


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", str(engine.url))
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (creating the database on first start)."""
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


class Database:
    def __init__(self, database: Path | str):
        self.engine = make_engine(database)
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

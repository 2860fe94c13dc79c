"""Fixtures of the catalogue server tests: a server data directory seeded with the sample
catalogue (published as version 2, the server's first), an app on it, and logged-in TestClients.

``KIOSK_TEST_DATABASE=postgresql`` runs the same tests on a real PostgreSQL (:mod:`pgkit`: a
cluster of its own on a Unix socket, one database per test); ``make test`` runs them once on
SQLite and once on PostgreSQL."""
from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pgkit import DATABASE  # noqa: E402
from serverkit import ADMIN_PASSWORD, EDITOR_PASSWORD, SAMPLE, login  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives headless Chromium through Playwright")
    # Starlette's TestClient asks for httpx2; httpx works and is what FastAPI documents.
    config.addinivalue_line("filterwarnings", "ignore:Using .httpx. with .starlette.testclient.")


@pytest.fixture(scope="session")
def pg_cluster():
    """The PostgreSQL cluster of this session, or None when the tests run on SQLite."""
    if DATABASE == "sqlite":
        yield None
        return
    assert DATABASE == "postgresql", f"KIOSK_TEST_DATABASE={DATABASE!r}: sqlite or postgresql"
    from pgkit import PgCluster, server_bin

    bin_dir = server_bin()
    assert bin_dir, "KIOSK_TEST_DATABASE=postgresql needs Debian's postgresql package (make sysdeps)"
    cluster = PgCluster(bin_dir).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def new_database(pg_cluster):
    """``new_database(template=None)``: the database_url of a new, empty (or cloned) PostgreSQL
    database, dropped after the test; None on SQLite (the data directory's own file)."""
    made: list[str] = []

    def make(template: str | None = None) -> str | None:
        if pg_cluster is None:
            return None
        made.append(pg_cluster.create(template))
        return pg_cluster.url(made[-1])

    yield make
    for name in made:
        pg_cluster.drop(name)


@pytest.fixture
def fresh_config(new_database):
    """``fresh_config(data_dir, **settings)``: a ServerConfig on an empty data directory and database."""
    from sync.server.config import ServerConfig

    return lambda data_dir, **kw: ServerConfig(data_dir=data_dir, database_url=new_database(), **kw)


@pytest.fixture(scope="session")
def seeded_database(pg_cluster) -> str | None:
    """The PostgreSQL template database of :func:`seeded_template` (None on SQLite)."""
    return pg_cluster.create(name="seeded") if pg_cluster else None


@pytest.fixture
def seeded_copy(seeded_template, seeded_database, new_database, monkeypatch):
    """``seeded_copy(data_dir, **settings)``: a copy of the seeded data directory (and database)
    and its ServerConfig. The test's KIOSK_SERVER_DATABASE_URL names the copy's database, so a
    ``kiosk-server --data-dir`` run by the test (in process or not) finds the same catalogue."""
    from sync.server.config import ServerConfig

    def copy(data_dir: Path, **kw):
        shutil.copytree(seeded_template, data_dir)
        url = new_database(seeded_database) if seeded_database else None
        if url:
            monkeypatch.setenv("KIOSK_SERVER_DATABASE_URL", url)
        return ServerConfig(data_dir=data_dir, database_url=url, **kw)

    return copy


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory, pg_cluster, seeded_database) -> Path:
    """A data directory made once per session: sample imported, published as v2, an admin with
    a known password and an editor."""
    from sync.server import bootstrap, publishing
    from sync.server.audit import SYSTEM
    from sync.server.config import ServerConfig
    from sync.server.imports.run import run_import
    from sync.server.models import Account
    from sync.server.security import hash_password

    data = tmp_path_factory.mktemp("server-template") / "data"
    url = pg_cluster.url(seeded_database) if pg_cluster else None
    state = bootstrap.start(ServerConfig(data_dir=data, database_url=url))
    with state.db.session() as db:
        run_import(db, SAMPLE.name, SAMPLE.read_bytes(), SYSTEM, replace=True)
    with state.db.session() as db:
        publishing.publish_catalogue(db, state.feed_target, actor=SYSTEM, note="seed")
    with state.db.session() as db:
        admin = db.query(Account).filter_by(username="admin").one()
        admin.password_hash = hash_password(ADMIN_PASSWORD)
        admin.must_change_password = False
        db.add(Account(username="editor", full_name="Redaktore", role="editor",
                       password_hash=hash_password(EDITOR_PASSWORD), must_change_password=False, active=True))
    state.db.dispose()
    return data


@dataclass
class Server:
    app: object
    state: object
    data_dir: Path

    def client(self):
        from fastapi.testclient import TestClient

        return TestClient(self.app, base_url="http://127.0.0.1")


@pytest.fixture
def server(seeded_copy, tmp_path) -> Server:
    from sync.server.app import app_for

    data = tmp_path / "data"
    app, state = app_for(seeded_copy(data))
    yield Server(app, state, data)
    state.db.dispose()


@pytest.fixture
def admin(server):
    client = server.client()
    login(client, "admin", ADMIN_PASSWORD)
    return client


@pytest.fixture
def editor(server):
    client = server.client()
    login(client, "editor", EDITOR_PASSWORD)
    return client

"""Fixtures of the catalogue server tests: a server data directory seeded with the sample
catalogue (published as version 2, the server's first), an app on it, and logged-in TestClients."""
from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serverkit import ADMIN_PASSWORD, EDITOR_PASSWORD, SAMPLE, login  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives headless Chromium through Playwright")
    # Starlette's TestClient asks for httpx2; httpx works and is what FastAPI documents.
    config.addinivalue_line("filterwarnings", "ignore:Using .httpx. with .starlette.testclient.")


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """A data directory made once per session: sample imported, published as v2, an admin with
    a known password and an editor."""
    from sync.server import bootstrap, publishing
    from sync.server.audit import SYSTEM
    from sync.server.config import ServerConfig
    from sync.server.imports.run import run_import
    from sync.server.models import Account
    from sync.server.security import hash_password

    data = tmp_path_factory.mktemp("server-template") / "data"
    state = bootstrap.start(ServerConfig(data_dir=data))
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
def server(seeded_template, tmp_path) -> Server:
    from sync.server.app import app_for
    from sync.server.config import ServerConfig

    data = tmp_path / "data"
    shutil.copytree(seeded_template, data)
    app, state = app_for(ServerConfig(data_dir=data))
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

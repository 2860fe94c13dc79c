"""First start, configuration, migrations, the kiosks page, the translations."""
from __future__ import annotations

import re
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from serverkit import form_of
from sqlalchemy import select

from sync.server.models import Account, Kiosk, utcnow


def test_first_start_creates_everything_owner_only(tmp_path, capsys, new_database, monkeypatch):
    from sync.server.cli import main

    data = tmp_path / "srv"
    url = new_database()
    if url:  # PostgreSQL: the database is elsewhere, the rest stays in the data directory
        monkeypatch.setenv("KIOSK_SERVER_DATABASE_URL", url)
    assert main(["--data-dir", str(data), "init"]) == 0
    out = capsys.readouterr().out
    password = re.search(r"one-time password / fjalëkalimi: (\S+)", out).group(1)
    for name in ("secrets/feed-signing.key", "secrets/session.secret") + (() if url else ("server.sqlite3",)):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "secrets").stat().st_mode) == 0o700
    assert (data / "feed" / "pubkey").is_file()
    from sync.server.bootstrap import start
    from sync.server.config import ServerConfig
    from sync.server.security import verify_password

    state = start(ServerConfig(data_dir=data, database_url=url))  # a second start: no new admin, same key
    assert state.first_admin_password is None
    with state.db.session() as db:
        accounts = list(db.scalars(select(Account)))
    assert [(a.username, a.role, a.must_change_password) for a in accounts] == [("admin", "admin", True)]
    assert verify_password(accounts[0].password_hash, password)
    assert accounts[0].password_hash.startswith("$argon2id$")
    assert state.signing_key.public.b64 in out
    state.db.dispose()
    assert main(["--data-dir", str(data), "reset-password", "admin"]) == 0
    assert main(["--data-dir", str(data), "reset-password", "nobody"]) == 1
    assert main(["--data-dir", str(data), "pubkey"]) == 0


def test_migrations_match_the_models(tmp_path, new_database):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from sync.server.db import Database, alembic_config, current_revision
    from sync.server.models import Base

    db = Database(new_database() or tmp_path / "m.sqlite3")
    db.migrate()
    head = ScriptDirectory.from_config(alembic_config(db.engine)).get_current_head()
    assert current_revision(db.engine) == head
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    db.migrate()  # idempotent
    db.dispose()


@pytest.mark.one_engine
def test_config_precedence(tmp_path):
    from sync.server.config import ServerConfigError, load_config

    toml = tmp_path / "server.toml"
    toml.write_text('[server]\nport = 9000\nhost = "0.0.0.0"\ndata_dir = "data"\nreview_months = 6\n', encoding="utf-8")
    config = load_config(toml, env={})
    assert (config.port, config.host, config.review_months) == (9000, "0.0.0.0", 6)
    assert config.data_dir == tmp_path / "data"
    config = load_config(toml, env={"KIOSK_SERVER_PORT": "9100", "KIOSK_SERVER_SILENT_MINUTES": "30"}, port=None)
    assert config.port == 9100 and config.silent_minutes == 30
    assert load_config(toml, env={"KIOSK_SERVER_PORT": "9100"}, port=9200).port == 9200
    defaults = load_config(None, env={})
    assert (defaults.host, defaults.port) == ("127.0.0.1", 8080)
    for bad in ('[server]\nport = "x"\n', '[server]\nportt = 1\n', '[server]\nreview_months = 0\n', "port = ["):
        toml.write_text(bad, encoding="utf-8")
        with pytest.raises(ServerConfigError):
            load_config(toml, env={})


def test_kiosks_page_shows_heartbeats_and_flags_silent_ones(server, admin):
    html, token = form_of(admin, "/admin/kiosks")
    page = admin.post("/admin/kiosks", data={"csrf_token": token, "name": "lobby-1", "description": "Holli"})
    kiosk_token = re.search(r'token = "(kt_[^"]+)"', page.text).group(1)
    assert "feed_url = \"http://127.0.0.1/feed/feed.json\"" in page.text
    assert server.state.signing_key.public.b64 in page.text
    admin.post("/admin/kiosks", data={"csrf_token": token, "name": "library-2"})
    # the token is shown once: not on the next page load, and not stored
    assert kiosk_token not in admin.get("/admin/kiosks").text
    with server.state.db.session() as db:
        assert all(kiosk_token not in (k.token_sha256, k.token_hint) for k in db.scalars(select(Kiosk)))
    payload = {"kiosk_id": "lobby-1", "app_version": "0.1.0", "catalogue_version": 2,
               "last_sync": "2026-11-23T10:00:00Z", "printer": "paper_out", "uptime_seconds": 7200,
               "last_outcome": "updated", "stale": False}
    response = server.client().post("/api/heartbeat", headers={"Authorization": f"Bearer {kiosk_token}"}, json=payload)
    assert response.json() == {"ok": True, "kiosk": "lobby-1", "published_version": 2}
    page = admin.get("/admin/kiosks?lang=en").text
    lobby = page.split("<b>lobby-1</b>", 1)[1].split("</tr>", 1)[0]
    assert "0.1.0" in lobby and "v2" in lobby and "paper_out" in lobby and "2 h 0 min" in lobby
    assert "silent" not in lobby
    library = page.split("<b>library-2</b>", 1)[1].split("</tr>", 1)[0]
    assert "never" in library
    with server.state.db.session() as db:
        k = db.scalar(select(Kiosk).where(Kiosk.name == "lobby-1"))
        k.last_seen_at = utcnow() - timedelta(minutes=server.state.config.silent_minutes + 5)
    page = admin.get("/admin/kiosks?lang=en").text
    lobby = page.split("<b>lobby-1</b>", 1)[1].split("</tr>", 1)[0]
    assert "silent for more than 60 minutes" in lobby
    assert "lobby-1" in admin.get("/admin?lang=en").text  # on the overview too


@pytest.mark.one_engine
def test_every_message_has_an_albanian_translation():
    from sync.server import i18n

    root = Path(__file__).resolve().parents[2] / "sync" / "server"
    ids: dict[str, str] = {}
    call = re.compile(r"""\b(?:_|t|tv)\(\s*(["'])((?:(?!\1).)+)\1""")
    for path in (root / "templates").glob("*.html"):
        for m in call.finditer(path.read_text(encoding="utf-8")):
            ids.setdefault(m.group(2), path.name)
    patterns = [r"""flash\(request,\s*"([^"]+)\"""", r"""CatalogueError\(\s*"([^"]+)\"""",
                r"""c\.add\(\s*\w+(?:\s*\+\s*\d+)?,\s*(?:"[^"]*"|\w+|None),\s*"([^"]+)\"""",
                r"""errors\[[^\]]+\]\s*=\s*\(?\s*"([^"]+)\"""", r"""Forbidden\("([^"]+)"\)""",
                r"""PublishError\("([^"]+)\"""", r"""(?:Rows|RowField|Text)\("\w+",\s*"([^"]+)\"""",
                r"""help="([^"]+)\"""", r"""(?:message|"error"|form_error)"?\s*[:=]\s*\(?"([A-Z][^"]+)\"""",
                r"""Problem\([^()]*?,\s*"([A-Z][^"]+)\"""", r"""_page\([^"]*?"([A-Z][^"]+)\"""",
                r"""return \(?"([A-Z][^"]+\.)\"""", r"""\bproblem\(\s*"([A-Z][^"]+)\"""",
                r"""MESSAGE = "([^"]+)\""""]
    for path in root.rglob("*.py"):
        if path.name in ("cli.py", "config.py") or "migrations" in path.parts:
            continue  # command-line output and operator errors are English
        text = re.sub(r'"\s*\n\s*"', "", path.read_text(encoding="utf-8"))
        for pattern in patterns:
            for m in re.finditer(pattern, text):
                ids.setdefault(m.group(1), path.name)
    for generated in ("day-MO", "day-SU", "action-login", "action-publish", "action-import_refused"):
        ids[generated] = "generated"
    for word in ("active", "inactive", "defunct", "temporarily closed", "voice", "cell", "fax", "admin", "editor",
                 "service", "organization", "location", "category", "account", "kiosk", "feed", "catalogue",
                 "Categories", "Organizations", "Locations", "Services"):
        ids[word] = "values"
    ids = {k: v for k, v in ids.items() if "{{" not in k and k not in ("action-", "day-")}
    assert len(ids) > 300
    missing = sorted(f"{k!r} ({v})" for k, v in ids.items() if k not in i18n.SQ)
    assert not missing, "no Albanian for:\n" + "\n".join(missing)
    for key, text in i18n.SQ.items():
        assert set(re.findall(r"\{(\w+)\}", key)) == set(re.findall(r"\{(\w+)\}", text)), key


@pytest.mark.one_engine
def test_the_server_never_imports_the_kiosk():
    import subprocess
    import sys

    code = ("import sys, pkgutil, importlib, sync.server\n"
            "for m in pkgutil.iter_modules(sync.server.__path__):\n"
            "    if m.name != '__main__': importlib.import_module('sync.server.' + m.name)\n"
            "bad = sorted(n for n in sys.modules if n == 'kiosk' or n.startswith('kiosk.') or n == 'kivy')\n"
            "print(bad); raise SystemExit(1 if bad else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stdout + result.stderr

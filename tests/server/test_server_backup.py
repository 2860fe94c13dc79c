"""``kiosk-server backup`` and ``restore`` (issue 19 item 5): a backup taken from a running
server, restored into an empty data directory (and an empty database on PostgreSQL), serves the
same signed feed with the same key, and the staff can log in as before."""
from __future__ import annotations

import stat
import tarfile

from serverkit import ADMIN_PASSWORD, login


def test_backup_restored_into_an_empty_data_directory_serves_the_same_feed(server, admin, tmp_path, new_database,
                                                                           monkeypatch, capsys):
    from fastapi.testclient import TestClient

    from sync.server.app import app_for
    from sync.server.cli import main
    from sync.server.config import ServerConfig

    archive = tmp_path / "backups" / "server.tar.gz"
    assert main(["--data-dir", str(server.data_dir), "backup", str(archive)]) == 0
    assert "keep it safe" in capsys.readouterr().out
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "secrets/feed-signing.key", "secrets/session.secret", "feed/feed.json",
            "feed/feed.json.gz", "feed/feed.json.sig"} <= names
    assert ("database/postgresql.dump" if server.state.db.postgresql else "database/server.sqlite3") in names

    old = server.client().get("/feed/feed.json", headers={"Accept-Encoding": "identity"})
    restored = tmp_path / "elsewhere"
    url = new_database()  # None on SQLite: the file in the new data directory
    if url:
        monkeypatch.setenv("KIOSK_SERVER_DATABASE_URL", url)
    assert main(["--data-dir", str(restored), "restore", str(archive)]) == 0
    # Not twice: the directory is no longer empty.
    assert main(["--data-dir", str(restored), "restore", str(archive)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert stat.S_IMODE((restored / "secrets" / "feed-signing.key").stat().st_mode) == 0o600

    app, state = app_for(ServerConfig(data_dir=restored, database_url=url))
    try:
        assert state.first_admin_password is None  # the accounts came back, no new admin
        assert state.signing_key.public.b64 == server.state.signing_key.public.b64
        client = TestClient(app, base_url="http://127.0.0.1")
        new = client.get("/feed/feed.json", headers={"Accept-Encoding": "identity"})
        assert new.status_code == 200 and new.content == old.content and new.headers["ETag"] == old.headers["ETag"]
        login(client, "admin", ADMIN_PASSWORD)
        assert client.get("/admin/services?q=sportel").status_code == 200
        from sync.server.publishing import history

        with state.db.session() as db:
            assert [(v.version, v.note) for v in history(db)] == [(2, "seed")]
    finally:
        state.db.dispose()


def test_restore_refuses_what_is_not_a_backup(tmp_path, fresh_config, capsys, monkeypatch):
    import io

    from sync.server.backup import BackupError, restore

    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        for name in ("manifest.json", "../outside", "secrets/../../x"):
            info = tarfile.TarInfo(name)
            data = b'{"format": 1, "database": "sqlite"}'
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    config = fresh_config(tmp_path / "d")
    try:
        restore(config, evil)
        raise AssertionError("restored a hostile archive")
    except BackupError as exc:
        assert "unexpected member" in str(exc)
    assert not (tmp_path / "outside").exists() and not (tmp_path / "d").exists()

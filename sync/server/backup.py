"""``kiosk-server backup FILE`` and ``restore FILE``: everything a server needs to come back on
another machine, in one owner-only ``.tar.gz``.

Inside: ``manifest.json`` (what, when, which schema revision and feed version), the database as a
consistent copy taken while the server runs (SQLite's online backup API, or ``pg_dump`` in its
custom format for PostgreSQL), ``secrets/`` (the feed signing key and the session secret: keep
the backup as safe as the server), ``uploads/`` and ``feed/`` (the published files).

A restore goes only into an empty data directory and an empty database, so it never mixes two
servers; the server's next start writes the feed back from the database if the files are behind.
Members are checked before anything is written: regular files and folders under the expected
names only, no links, no absolute or ``..`` paths.
"""
from __future__ import annotations

import glob
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from sync.server.config import ServerConfig
from sync.server.models import utcnow

FORMAT = 1
SQLITE_MEMBER = "database/server.sqlite3"
PG_MEMBER = "database/postgresql.dump"
FOLDERS = ("secrets", "uploads", "feed")


class BackupError(Exception):
    pass


def pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore``: the newest server version's own, else the one on PATH."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3]))
    tool = found[-1] if found else shutil.which(name)
    if not tool:
        raise BackupError(f"{name} not found: install PostgreSQL's client programs (postgresql-client)")
    return tool


def _libpq(database_url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and the environment carrying it."""
    url = make_url(database_url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _add_file(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(utcnow().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _add_tree(tar: tarfile.TarFile, root: Path, prefix: str) -> int:
    count = 0
    if not root.is_dir():
        return 0
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.name.endswith(".tmp"):
            _add_file(tar, f"{prefix}/{path.relative_to(root).as_posix()}", path.read_bytes())
            count += 1
    return count


def backup(config: ServerConfig, out: Path) -> dict[str, Any]:
    """Write the backup to ``out`` (0600); returns its manifest."""
    from sync.server.db import Database, current_revision
    from sync.server.publishing import current

    db = Database(config.database_target)
    try:
        revision = current_revision(db.engine)
        with db.session() as s:
            row = current(s)
            feed_version = row.version if row else None
    finally:
        db.dispose()
    manifest: dict[str, Any] = {"format": FORMAT, "created_at": utcnow().isoformat() + "Z",
                                "database": "sqlite" if config.uses_sqlite else "postgresql",
                                "revision": revision, "feed_version": feed_version}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix="." + out.name + ".", suffix=".tmp")
    os.fchmod(fd, 0o600)
    try:
        with tempfile.TemporaryDirectory(prefix="kiosk-backup-") as work, \
                os.fdopen(fd, "wb") as fh, tarfile.open(fileobj=fh, mode="w:gz") as tar:
            if config.uses_sqlite:
                copy = Path(work) / "server.sqlite3"
                source = sqlite3.connect(f"file:{config.database}?mode=ro", uri=True)
                target = sqlite3.connect(copy)
                with target:
                    source.backup(target)  # a consistent snapshot, while the server writes
                source.close()
                target.close()
                _add_file(tar, SQLITE_MEMBER, copy.read_bytes())
            else:
                dump = Path(work) / "postgresql.dump"
                uri, env = _libpq(config.database_url or "")
                result = subprocess.run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                                         f"--file={dump}", f"--dbname={uri}"], env=env, capture_output=True,
                                        text=True)
                if result.returncode:
                    raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
                _add_file(tar, PG_MEMBER, dump.read_bytes())
            counts = {name: _add_tree(tar, folder, name) for name, folder in
                      (("secrets", config.secrets_dir), ("uploads", config.uploads_dir), ("feed", config.feed_dir))}
            manifest["files"] = counts
            _add_file(tar, "manifest.json", json.dumps(manifest, indent=2).encode("utf-8"))
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return manifest


def _members(tar: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    members = {}
    for info in tar.getmembers():
        path = PurePosixPath(info.name)
        if (path.is_absolute() or ".." in path.parts or not info.isfile()
                or not (info.name in ("manifest.json", SQLITE_MEMBER, PG_MEMBER) or path.parts[0] in FOLDERS)
                or len(path.parts) > 4):
            raise BackupError(f"not a kiosk-server backup: unexpected member {info.name!r}")
        members[info.name] = info
    if "manifest.json" not in members:
        raise BackupError("not a kiosk-server backup: no manifest.json")
    return members


def _is_empty_dir(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def restore(config: ServerConfig, archive: Path) -> dict[str, Any]:
    """Put the backup into ``config``'s (empty) data directory and (empty) database."""
    from sync.server.db import make_engine

    try:
        tar = tarfile.open(archive, mode="r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive}: cannot read it as a backup ({exc})") from None
    with tar:
        members = _members(tar)
        manifest = json.loads(tar.extractfile(members["manifest.json"]).read())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"backup format {manifest.get('format')!r}, this server reads {FORMAT}")
        for folder in (config.data_dir, config.feed_dir):
            if not _is_empty_dir(folder):
                raise BackupError(f"{folder} is not empty: restore only into an empty data directory")
        if not config.uses_sqlite:  # (a SQLite database is a file of the empty data directory)
            engine = make_engine(config.database_target)
            try:
                if inspect(engine).get_table_names():
                    raise BackupError("the database is not empty: restore only into a new, empty database")
            finally:
                engine.dispose()
        db_member = SQLITE_MEMBER if manifest["database"] == "sqlite" else PG_MEMBER
        if db_member not in members:
            raise BackupError("the backup holds no database")
        config.data_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(config.data_dir, 0o700)
        with tempfile.TemporaryDirectory(prefix="kiosk-restore-") as work:
            db_copy = Path(work) / "database"
            db_copy.write_bytes(tar.extractfile(members[db_member]).read())
            _load_database(config, manifest["database"], db_copy)
        targets = {"secrets": config.secrets_dir, "uploads": config.uploads_dir, "feed": config.feed_dir}
        for name, info in members.items():
            top, *rest = PurePosixPath(name).parts
            if top not in targets:
                continue
            path = targets[top].joinpath(*rest)
            path.parent.mkdir(parents=True, exist_ok=True)
            mode = 0o600 if top == "secrets" else 0o644
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            with os.fdopen(fd, "wb") as fh:
                fh.write(tar.extractfile(info).read())
        os.chmod(config.secrets_dir, 0o700)
    return manifest


def _load_database(config: ServerConfig, kind: str, copy: Path) -> None:
    if kind == "sqlite":
        if not config.uses_sqlite:
            # A SQLite backup into PostgreSQL would need a migration of the data, not a restore.
            raise BackupError("this backup is of a SQLite database; restore it with no database_url set")
        shutil.copyfile(copy, config.database)
        os.chmod(config.database, 0o600)
        return
    if config.uses_sqlite:
        raise BackupError("this backup is of a PostgreSQL database; set database_url to an empty one")
    uri, env = _libpq(config.database_url or "")
    result = subprocess.run([pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                             "--single-transaction", f"--dbname={uri}", str(copy)], env=env, capture_output=True,
                            text=True)
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")

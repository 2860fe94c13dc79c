"""First start and every start: data directory, database migrations, secrets, first admin."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from sync.feed import signing
from sync.server import publishing
from sync.server.audit import SYSTEM, record
from sync.server.config import ServerConfig
from sync.server.db import Database
from sync.server.models import Account, utcnow
from sync.server.security import hash_password, one_time_password, write_secret_file

ADMIN_USERNAME = "admin"


@dataclass
class ServerState:
    config: ServerConfig
    db: Database
    signing_key: signing.SecretKey
    session_secret: str
    feed_files: publishing.FeedFiles
    first_admin_password: str | None = None  # set only on the start that created the admin


def _session_secret(path: Path) -> str:
    if not path.exists():
        write_secret_file(path, secrets.token_hex(32).encode("ascii"))
    text = path.read_text(encoding="ascii").strip()
    if len(text) < 32:
        raise RuntimeError(f"{path}: the session secret is too short; delete the file to make a new one")
    return text


def create_admin(state_db: Database, username: str = ADMIN_USERNAME) -> str:
    password = one_time_password()
    with state_db.session() as db:
        db.add(Account(username=username, full_name="Administrator", role="admin",
                       password_hash=hash_password(password), must_change_password=True, active=True,
                       created_at=utcnow()))
        record(db, SYSTEM, "account_create", entity_type="account", entity_id=username,
               summary=f"{username} (admin), first start")
    return password


def reset_password(state_db: Database, username: str) -> str:
    """A new one-time password for ``username`` (the command-line way back in)."""
    password = one_time_password()
    with state_db.session() as db:
        account = db.scalar(select(Account).where(func.lower(Account.username) == username.lower()))
        if account is None:
            raise LookupError(username)
        account.password_hash = hash_password(password)
        account.must_change_password = True
        account.active = True
        account.session_epoch += 1
        record(db, SYSTEM, "password_reset", entity_type="account", entity_id=account.username,
               summary=f"{account.username}: one-time password from the command line")
    return password


def start(config: ServerConfig) -> ServerState:
    data_dir = config.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(data_dir, 0o700)
    except OSError:
        pass
    session_secret = _session_secret(config.session_secret_file)
    db = Database(config.database)
    db.migrate()
    try:
        os.chmod(config.database, 0o600)
    except OSError:
        pass
    key = publishing.load_or_create_key(config.signing_key_file)
    admin_password = None
    with db.session() as s:
        has_accounts = s.scalar(select(func.count()).select_from(Account))
    if not has_accounts:
        admin_password = create_admin(db)
    with db.session() as s:
        publishing.restore_directory(s, config.feed_dir, key)
    return ServerState(config, db, key, session_secret, publishing.FeedFiles(config.feed_dir), admin_password)

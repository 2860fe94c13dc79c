"""First start and every start: data directory, database migrations, secrets, first admin."""
from __future__ import annotations

import hashlib
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from sync.feed import signing
from sync.server import feedback_ingest, publishing
from sync.server.audit import SYSTEM, record
from sync.server.config import ServerConfig
from sync.server.db import Database
from sync.server.models import Account, utcnow
from sync.server.security import hash_password, one_time_password, write_secret_file

ADMIN_USERNAME = "admin"
#: Where the secrets lived before they moved into ``secrets/`` (a one-time move on start).
OLD_SECRET_NAMES = ("session.secret", "feed-signing.key", "feed-signing.pub")
log = logging.getLogger("kiosk-server")


@dataclass
class ServerState:
    config: ServerConfig
    db: Database
    signing_key: signing.SecretKey
    session_secret: str
    feed_files: publishing.FeedFiles
    first_admin_password: str | None = None  # set only on the start that created the admin

    @property
    def feed_target(self) -> publishing.FeedTarget:
        return publishing.FeedTarget(self.config.feed_dir, self.config.uploads_dir, self.signing_key,
                                     self.config.feed_expires_days)


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


def _owner_only_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path, 0o700)
    except OSError:
        pass


def move_secrets(config: ServerConfig) -> None:
    """Secrets from the data directory's top into ``secrets/`` (0700, files 0600), once."""
    _owner_only_dir(config.secrets_dir)
    for name in OLD_SECRET_NAMES:
        old, new = config.data_dir / name, config.secrets_dir / name
        if not old.exists():
            continue
        if new.exists():
            raise RuntimeError(f"{old} and {new} both exist; keep the one in use and delete the other")
        os.replace(old, new)
        log.info("moved %s into %s", name, config.secrets_dir)


def warn_published_secrets(config: ServerConfig) -> None:
    """A server that ran before local file paths were refused may have published a secret as an
    asset: delete such a file from the feed directory and say that the secret must change."""
    for path in (config.session_secret_file, config.signing_key_file):
        leaked = config.feed_dir / "assets" / hashlib.sha256(path.read_bytes()).hexdigest()
        if leaked.is_file():
            leaked.unlink()
            log.warning("%s had been published as %s (deleted now): make a new one (see docs/security-notes.md)",
                        path.name, leaked)


def start(config: ServerConfig) -> ServerState:
    _owner_only_dir(config.data_dir)
    move_secrets(config)
    session_secret = _session_secret(config.session_secret_file)
    db = Database(config.database_target)
    db.migrate()
    if not db.postgresql:
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
    with db.session() as s:   # what kiosks counted of a subject marked sensitive since: by the day
        feedback_ingest.fold_sensitive(s)
    for path in config.secrets_dir.iterdir():
        os.chmod(path, 0o600)
    warn_published_secrets(config)
    return ServerState(config, db, key, session_secret, publishing.FeedFiles(config.feed_dir), admin_password)

"""The catalogue server's settings: defaults, a TOML file, environment variables, command-line options.

Later sources win: defaults < ``--config FILE`` (section ``[server]``) < ``KIOSK_SERVER_<KEY>``
environment variables < command-line options. Every key::

    [server]
    host = "127.0.0.1"          # listen address; put a TLS reverse proxy in front for the internet
    port = 8080
    data_dir = "/var/lib/kiosk-server"   # database, secrets/, uploads/, the published feed/
    database_url = "postgresql://kiosk@/kiosk?host=/run/postgresql"   # SQLAlchemy URL (psycopg 3);
                                # unset: SQLite in data_dir/server.sqlite3 (the embedded default)
    workers = 1                 # worker processes (uvicorn); more than 1 wants PostgreSQL
    publish_dir = "/srv/kiosk-feed"   # where the signed feed is written (default data_dir/feed),
                                # outside the owner-only data directory so nginx can serve it
    https_only = false          # true: session cookies only over https (behind the TLS proxy)
    public_base_url = "https://services.example.org"   # shown in kiosk settings snippets
    review_months = 12          # services last checked (assured_date) longer ago are listed
    silent_minutes = 60         # kiosks without a heartbeat for longer are flagged
    feed_expires_days = 60      # kiosks refuse a feed older than this: publish at least this often
    session_hours = 8           # a login lasts this long
    login_max_failures = 5      # failed logins per account from one address (and 4x per address)
    login_window_minutes = 15   # within this many minutes before that address waits 30 s, then
                                # twice as long after each further failure, up to this window
    password_min_length = 10
    trust_proxy_headers = false # true: take the visitor's address from X-Forwarded-For ...
    trusted_proxies = ["127.0.0.1", "::1"]   # ... as the proxies listed here (addresses or
                                # networks) saw it: the right-most address that is not one of them
"""
from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

ENV_PREFIX = "KIOSK_SERVER_"


class ServerConfigError(ValueError):
    pass


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("kiosk-server", "elbasan")


@dataclass(frozen=True)
class ServerConfig:
    data_dir: Path = field(default_factory=default_data_dir)
    host: str = "127.0.0.1"
    port: int = 8080
    https_only: bool = False
    public_base_url: str | None = None
    review_months: int = 12
    silent_minutes: int = 60
    feed_expires_days: int = 60
    session_hours: int = 8
    login_max_failures: int = 5
    login_window_minutes: int = 15
    password_min_length: int = 10
    trust_proxy_headers: bool = False
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    database_url: str | None = None
    workers: int = 1
    publish_dir: Path | None = None

    # -- files in the data directory
    @property
    def database(self) -> Path:
        return self.data_dir / "server.sqlite3"

    @property
    def database_target(self) -> Path | str:
        """What :class:`sync.server.db.Database` opens: the URL when one is set, else the SQLite file."""
        return self.database_url or self.database

    @property
    def uses_sqlite(self) -> bool:
        return self.database_url is None or self.database_url.startswith("sqlite")

    @property
    def secrets_dir(self) -> Path:
        """Owner-only (0700, files 0600); nothing that publishing reads is inside it."""
        return self.data_dir / "secrets"

    @property
    def session_secret_file(self) -> Path:
        return self.secrets_dir / "session.secret"

    @property
    def signing_key_file(self) -> Path:
        return self.secrets_dir / "feed-signing.key"

    @property
    def uploads_dir(self) -> Path:
        """The server's own logo and icon files, each named by the SHA-256 of its bytes: the only
        files a published feed carries besides its document."""
        return self.data_dir / "uploads"

    @property
    def feed_dir(self) -> Path:
        """What kiosks download; any static web server or CDN can serve a copy of it."""
        return self.publish_dir or self.data_dir / "feed"

    def with_overrides(self, **values: Any) -> "ServerConfig":
        return _build(self, {k: v for k, v in values.items() if v is not None}, "option")


_BOUNDS = {"port": (1, 65535), "review_months": (1, 120), "silent_minutes": (1, 60 * 24 * 30),
           "feed_expires_days": (2, 3650), "session_hours": (1, 24 * 30),
           "login_max_failures": (1, 1000), "login_window_minutes": (1, 24 * 60),
           "password_min_length": (8, 256), "workers": (1, 64)}


def _convert(name: str, kind: Any, value: Any, where: str) -> Any:
    if kind in (bool, "bool"):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ServerConfigError(f"{where}: {name} must be true or false, found {value!r}")
    if kind in (int, "int"):
        try:
            number = int(value) if not isinstance(value, bool) else None
        except (TypeError, ValueError):
            number = None
        if number is None:
            raise ServerConfigError(f"{where}: {name} must be a whole number, found {value!r}")
        low, high = _BOUNDS.get(name, (0, 10**9))
        if not low <= number <= high:
            raise ServerConfigError(f"{where}: {name} must be from {low} to {high}, found {number}")
        return number
    if kind in (Path, "Path"):
        return Path(str(value)).expanduser()
    if name == "trusted_proxies":
        return _networks(value, where)
    if name == "publish_dir":
        return Path(str(value)).expanduser() if str(value).strip() else None
    if name == "database_url":
        return database_url(value, where)
    if name == "public_base_url":
        text = str(value).strip().rstrip("/")
        if text and not text.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise ServerConfigError(f"{where}: public_base_url must start with https://, found {value!r}")
        return text or None
    return str(value)


def database_url(value: Any, where: str) -> str | None:
    """An SQLAlchemy URL for PostgreSQL (driven by psycopg 3) or SQLite; ``postgresql://`` and
    ``postgres://`` mean psycopg 3. The password, if any, is never repeated in a message."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = str(value).strip()
    if not text:
        return None
    try:
        url = make_url(text)
    except ArgumentError:
        raise ServerConfigError(f"{where}: database_url is not a database URL "
                                "(postgresql://user@host/name or sqlite:///path)") from None
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        url = url.set(drivername="postgresql+psycopg")
    elif url.drivername not in ("sqlite", "sqlite+pysqlite"):
        raise ServerConfigError(f"{where}: database_url must be postgresql://... or sqlite:///..., "
                                f"found {url.drivername}://")
    return url.render_as_string(hide_password=False)


def _networks(value: Any, where: str) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        raise ServerConfigError(f"{where}: trusted_proxies must be a list of addresses, found {value!r}")
    out = []
    for item in items:
        try:
            out.append(str(ipaddress.ip_network(str(item).strip(), strict=False)))
        except ValueError:
            raise ServerConfigError(f"{where}: trusted_proxies: not an address or network: {item!r}") from None
    return tuple(out)


def _build(base: ServerConfig, values: Mapping[str, Any], where: str) -> ServerConfig:
    known = {f.name: f.type for f in fields(ServerConfig)}
    changes = {}
    for key, value in values.items():
        if key not in known:
            raise ServerConfigError(f"{where}: unknown setting {key!r} (known: {', '.join(sorted(known))})")
        changes[key] = _convert(key, known[key], value, where)
    return replace(base, **changes)


def load_config(path: str | Path | None = None, env: Mapping[str, str] | None = None,
                **options: Any) -> ServerConfig:
    """Defaults, then the TOML file, then the environment, then ``options`` (None = not given)."""
    env = os.environ if env is None else env
    config = ServerConfig()
    path = path or env.get(ENV_PREFIX + "CONFIG")
    if path:
        file = Path(path).expanduser()
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise ServerConfigError(f"{file}: configuration file not found") from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ServerConfigError(f"{file}: {exc}") from None
        section = data.get("server", data)
        if not isinstance(section, dict):
            raise ServerConfigError(f"{file}: [server] must be a table")
        if "data_dir" in section and not Path(str(section["data_dir"])).expanduser().is_absolute():
            section = dict(section, data_dir=str(file.parent / str(section["data_dir"])))
        config = _build(config, section, str(file))
    from_env = {}
    known = {f.name for f in fields(ServerConfig)}
    for key, value in env.items():
        if key.startswith(ENV_PREFIX) and key != ENV_PREFIX + "CONFIG":
            name = key[len(ENV_PREFIX):].lower()
            if name in known:
                from_env[name] = value
    config = _build(config, from_env, "environment")
    return config.with_overrides(**options)

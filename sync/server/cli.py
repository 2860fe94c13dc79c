"""The municipal catalogue server: ``kiosk-server``.

    kiosk-server [run] [--host H] [--port P] [--data-dir DIR] [--config FILE] [--seed FILE] [--workers N]
    kiosk-server init          create the data directory, database, keys and admin, then exit
    kiosk-server reset-password USER     print a new one-time password for USER
    kiosk-server import FILE [--merge]   import a catalogue (.xlsx, HSDS .json, CSV .zip)
    kiosk-server publish [--note TEXT]   build and sign a new feed version
    kiosk-server pubkey        print the public key for the kiosks' kiosk.toml
    kiosk-server add-kiosk NAME [--description TEXT]   add a kiosk; print its token and kiosk.toml lines
    kiosk-server backup FILE   a consistent copy of database, keys, uploads and feed (.tar.gz)
    kiosk-server restore FILE  put a backup into an empty data directory (and empty database)

Starts on 127.0.0.1:8080 with its data in the user's data directory unless told otherwise (see
:mod:`sync.server.config`). On first start it creates the database, the feed signing key
(owner-only) and an ``admin`` account, and prints the admin's one-time password.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from sync.server import bootstrap
from sync.server.app import create_app
from sync.server.bootstrap import ServerState
from sync.server.config import ServerConfigError, load_config


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk-server", description="The municipal catalogue server (staff side).")
    p.add_argument("--config", help="TOML file with a [server] section")
    p.add_argument("--data-dir", type=Path, help="database, keys and the published feed")
    p.add_argument("--host", help="listen address (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="listen port (default 8080)")
    p.add_argument("--workers", type=int, help="worker processes (default 1; several want PostgreSQL)")
    sub = p.add_subparsers(dest="command")
    run = sub.add_parser("run", help="start the server (the default)")
    for parser in (p, run):
        parser.add_argument("--seed", type=Path, help="on an empty catalogue: import this file and publish it")
    sub.add_parser("init", help="create the data directory, database, keys and admin account, then exit")
    r = sub.add_parser("reset-password", help="print a new one-time password for an account")
    r.add_argument("username")
    i = sub.add_parser("import", help="import a catalogue file (.xlsx, HSDS .json, CSV datapackage .zip)")
    i.add_argument("file", type=Path)
    i.add_argument("--merge", action="store_true", help="add and update only; keep what the file does not name")
    pub = sub.add_parser("publish", help="build and sign a new feed version")
    pub.add_argument("--note", default="")
    sub.add_parser("pubkey", help="print the public key (base64) for kiosk.toml")
    k = sub.add_parser("add-kiosk", help="add a kiosk and print its token and kiosk.toml lines (shown once)")
    k.add_argument("name")
    k.add_argument("--description", default="")
    b = sub.add_parser("backup", help="write database, keys, uploads and the published feed to FILE (.tar.gz)")
    b.add_argument("file", type=Path)
    rs = sub.add_parser("restore", help="restore a backup into an empty data directory and empty database")
    rs.add_argument("file", type=Path)
    return p


def _print_admin(state: ServerState) -> None:
    if state.first_admin_password:
        print("", flush=True)
        print("First start: created the administrator account.  /  Nisja e parë: u krijua llogaria e administratorit.")
        print("  user name / përdoruesi:          admin")
        print(f"  one-time password / fjalëkalimi: {state.first_admin_password}")
        print("  Change it at the first login.  /  Ndryshojeni në hyrjen e parë.")
        print("", flush=True)


def _import_file(state: ServerState, path: Path, merge: bool) -> int:
    from sync.server.audit import SYSTEM
    from sync.server.imports.problems import ImportRefused
    from sync.server.imports.run import run_import

    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"{path}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        with state.db.session() as db:
            outcome = run_import(db, path.name, data, SYSTEM, replace=not merge)
    except ImportRefused as exc:
        print(f"{path}: nothing was imported ({len(exc.problems)} problem(s)):", file=sys.stderr)
        for problem in exc.problems[:200]:
            d = problem.as_dict()
            where = " ".join(x for x in (d["sheet"], f"row {d['row']}" if d["row"] else "",
                                         f"column {d['column']}" if d["column"] else "") if x)
            print(f"  {where}: {d['message']}", file=sys.stderr)
        return 1
    for kind, what in sorted(outcome.report.items()):
        print(f"{kind}: " + ", ".join(f"{len(v)} {k}" for k, v in sorted(what.items())))
    for warning in outcome.warnings[:200]:
        d = warning.as_dict()
        print(f"  warning: {d['sheet']} {d['column'] or ''}: {d['message']}")
    return 0


def _publish(state: ServerState, note: str) -> int:
    from sync.server import publishing
    from sync.server.audit import SYSTEM

    try:
        with state.db.session() as db:
            result = publishing.publish_catalogue(db, state.feed_target, actor=SYSTEM, note=note)
    except publishing.PublishError as exc:
        print(f"not published: {exc}", file=sys.stderr)
        return 1
    print(f"published version {result.version} ({result.services} services) in {state.config.feed_dir}")
    return 0


def _seed(state: ServerState, path: Path) -> None:
    from sqlalchemy import func, select

    from sync.server.models import Service

    with state.db.session() as db:
        empty = not db.scalar(select(func.count()).select_from(Service))
    if empty:
        if _import_file(state, path, merge=False) == 0:
            _publish(state, f"seed: {path.name}")


def _add_kiosk(state: ServerState, name: str, description: str) -> int:
    """Like the kiosks page: the token is stored as its SHA-256 only, and printed this once."""
    import re

    from sqlalchemy import select

    from sync.server.audit import SYSTEM, record
    from sync.server.models import Kiosk, utcnow
    from sync.server.security import new_kiosk_token, token_digest

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", name):
        print("a kiosk name has letters, digits, '.', '_' and '-' only (like its [kiosk] id)", file=sys.stderr)
        return 2
    token = new_kiosk_token()
    with state.db.session() as db:
        if db.scalar(select(Kiosk.id).where(Kiosk.name == name)) is not None:
            print(f"there is already a kiosk called {name}", file=sys.stderr)
            return 1
        db.add(Kiosk(name=name, description=description[:500], token_sha256=token_digest(token),
                     token_hint=token[3:9], created_at=utcnow(), created_by=SYSTEM.username, heartbeats=0))
        record(db, SYSTEM, "kiosk_create", entity_type="kiosk", entity_id=name, summary=description[:200])
    base = (state.config.public_base_url or f"http://{state.config.host}:{state.config.port}").rstrip("/")
    print(f"# kiosk.toml of {name}: the token is shown only this once")
    print(f'[kiosk]\nid = "{name}"\n')
    print(f'[sync]\nfeed_url = "{base}/feed/feed.json"\npublic_keys = ["{state.signing_key.public.b64}"]')
    print(f'heartbeat_url = "{base}/api/heartbeat"\ntoken = "{token}"')
    return 0


def _backup(config, path: Path) -> int:
    from sync.server.backup import BackupError, backup

    try:
        manifest = backup(config, path)
    except (BackupError, OSError) as exc:
        print(f"no backup written: {exc}", file=sys.stderr)
        return 1
    print(f"backup written to {path} ({manifest['database']}, schema {manifest['revision']}, "
          f"feed version {manifest['feed_version']}); it holds the signing key: keep it safe")
    return 0


def _restore(config, path: Path) -> int:
    from sync.server.backup import BackupError, restore

    try:
        manifest = restore(config, path)
    except (BackupError, OSError) as exc:
        print(f"nothing restored: {exc}", file=sys.stderr)
        return 1
    print(f"restored the backup of {manifest['created_at']} (feed version {manifest['feed_version']}) "
          f"into {config.data_dir}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        config = load_config(args.config, data_dir=args.data_dir, host=args.host, port=args.port,
                             workers=args.workers)
    except ServerConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.command == "restore":  # before anything creates a database or keys of its own
        return _restore(config, args.file)
    try:
        state = bootstrap.start(config)
    except (OSError, RuntimeError, ValueError) as exc:
        print(f"kiosk-server cannot start: {exc}", file=sys.stderr)
        return 2
    command = args.command or "run"
    if command == "init":
        _print_admin(state)
        print(f"data directory: {config.data_dir}")
        print(f"public key for kiosk.toml: {state.signing_key.public.b64}")
        return 0
    if command == "reset-password":
        try:
            password = bootstrap.reset_password(state.db, args.username)
        except LookupError:
            print(f"no account {args.username}", file=sys.stderr)
            return 1
        print(f"one-time password for {args.username}: {password} (to be changed at the next login)")
        return 0
    if command == "import":
        return _import_file(state, args.file, args.merge)
    if command == "publish":
        return _publish(state, args.note)
    if command == "backup":
        return _backup(config, args.file)
    if command == "pubkey":
        print(state.signing_key.public.b64)
        return 0
    if command == "add-kiosk":
        return _add_kiosk(state, args.name, args.description)
    _print_admin(state)
    if getattr(args, "seed", None):
        _seed(state, args.seed)
    import uvicorn

    print(f"kiosk-server: http://{config.host}:{config.port}/admin  (data: {config.data_dir}, "
          f"{config.workers} worker(s))", flush=True)
    proxies = ",".join(config.trusted_proxies) if config.trust_proxy_headers else None
    options = dict(host=config.host, port=config.port, proxy_headers=config.trust_proxy_headers,
                   forwarded_allow_ips=proxies, log_level="info")
    if config.workers == 1:
        uvicorn.run(create_app(state), **options)
        return 0
    # Each worker builds its app from the environment: the options of this command go with it.
    state.db.dispose()
    given = {"DATA_DIR": str(config.data_dir), "HOST": config.host, "PORT": str(config.port),
             "DATABASE_URL": config.database_url or ""}
    os.environ.update({f"KIOSK_SERVER_{k}": v for k, v in given.items() if v})
    if args.config:
        os.environ["KIOSK_SERVER_CONFIG"] = str(Path(args.config).resolve())
    uvicorn.run("sync.server.asgi:app_from_environment", factory=True, workers=config.workers, **options)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

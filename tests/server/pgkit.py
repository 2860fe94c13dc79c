"""A real PostgreSQL for the server tests: Debian's server binaries, a cluster made with initdb
in a temporary directory, listening only on a Unix socket in that directory, run by the
unprivileged ``postgres`` account when the tests run as root (PostgreSQL refuses to run as
root), stopped and deleted afterwards. Each test gets its own database, cloned from a template
in a few milliseconds (``CREATE DATABASE ... TEMPLATE``) and dropped after it.

The cluster is made with the C locale on purpose: the server must not depend on the database's
locale for case-insensitive search or Albanian ordering (it uses ICU collations explicitly).
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

#: ``sqlite`` (the default) or ``postgresql``: the database the server tests run on.
DATABASE = os.environ.get("KIOSK_TEST_DATABASE", "sqlite")


def server_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory (``/usr/lib/postgresql/<major>/bin``)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


class PgCluster:
    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self.user = "postgres" if os.geteuid() == 0 else None
        self._names = itertools.count(1)
        if self.user:
            account = pwd.getpwnam(self.user)
            os.chown(self.root, account.pw_uid, account.pw_gid)
        os.chmod(self.root, 0o755)

    def _run(self, *args: str, **kw) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, cwd=self.root, **kw)

    def start(self) -> "PgCluster":
        self._run("initdb", "-D", str(self.data), "--auth=trust", "--username=postgres", "--encoding=UTF8",
                  "--locale=C", "--no-sync")
        # No TCP at all; durability traded for speed (a test database is thrown away).
        options = (f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options, "-w",
                  "-t", "60", "start")
        return self

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@/{name}?host={self.socket_dir}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), user="postgres", dbname="postgres", autocommit=True) as c:
            c.execute(sql)

    def create(self, template: str | None = None, name: str | None = None) -> str:
        name = name or f"t{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template or "template0"}"')
        return name

    def drop(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def tool(self, name: str) -> Path:
        return self.bin / name

"""Several server processes on one database (issue 19 item 3): what one worker learns, every
worker knows. Real ``kiosk-server`` processes on 127.0.0.1, on SQLite or PostgreSQL as the run
chooses (KIOSK_TEST_DATABASE)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from serverkit import ADMIN_PASSWORD, EDITOR_PASSWORD, csrf_of
from serverlib import free_port

REPO = Path(__file__).resolve().parents[2]


class Process:
    """``kiosk-server`` with ``args`` in its own process, on 127.0.0.1 and a free port."""

    def __init__(self, data_dir: Path, *args: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([sys.executable, "-m", "sync.server", "--data-dir", str(data_dir),
                                      "--port", str(self.port), *args, "run"], cwd=REPO, env=dict(os.environ),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline and self.proc.poll() is None, "the server did not start"
            time.sleep(0.2)

    def workers(self) -> list[int]:
        """The worker processes (multiprocessing's spawned children, not its resource tracker)."""
        pids = []
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            for pid in (task / "children").read_text().split():
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                if b"spawn_main" in cmdline:
                    pids.append(int(pid))
        return pids

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(20)


def login(session: requests.Session, url: str, username: str, password: str) -> requests.Response:
    page = session.get(url + "/login", timeout=10)
    return session.post(url + "/login", data={"csrf_token": csrf_of(page.text), "username": username,
                                              "password": password}, allow_redirects=False, timeout=30)


def fresh_connection(session: requests.Session) -> requests.Session:
    """The same cookies on a new connection (a new connection may land on another worker)."""
    other = requests.Session()
    other.cookies.update(session.cookies)
    return other


@pytest.fixture
def two_servers(seeded_copy, tmp_path):
    data = tmp_path / "data"
    seeded_copy(data)  # sets KIOSK_SERVER_DATABASE_URL on PostgreSQL: both processes use it
    first = Process(data)
    try:
        second = Process(data)
    except BaseException:
        first.stop()
        raise
    yield first, second
    first.stop()
    second.stop()


def test_a_login_throttle_and_a_logout_hold_across_two_server_processes(two_servers):
    first, second = two_servers
    attacker = requests.Session()
    for _ in range(5):  # login_max_failures, all on the first process
        assert login(attacker, first.url, "editor", "not the password").status_code == 401
    blocked = login(attacker, second.url, "editor", EDITOR_PASSWORD)  # the right password, elsewhere
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0

    admin = requests.Session()
    assert login(admin, first.url, "admin", ADMIN_PASSWORD).status_code == 303
    copied = fresh_connection(admin)
    assert copied.get(second.url + "/admin", allow_redirects=False, timeout=10).status_code == 200
    # A form opened on one process is accepted by the other: the CSRF token is in the signed cookie.
    token = csrf_of(admin.get(second.url + "/admin", timeout=10).text)
    assert admin.post(first.url + "/logout", data={"csrf_token": token}, allow_redirects=False,
                      timeout=10).status_code == 303
    for url in (first.url, second.url):
        response = copied.get(url + "/admin", allow_redirects=False, timeout=10)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_workers_option_starts_that_many_processes_that_share_sessions(seeded_copy, tmp_path):
    data = tmp_path / "data"
    seeded_copy(data)
    server = Process(data, "--workers", "2")
    try:
        deadline = time.monotonic() + 30
        while len(server.workers()) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(server.workers()) == 2
        admin = requests.Session()
        assert login(admin, server.url, "admin", ADMIN_PASSWORD).status_code == 303
        token = csrf_of(admin.get(server.url + "/admin", timeout=10).text)
        copies = [fresh_connection(admin) for _ in range(12)]
        assert all(c.get(server.url + "/admin", allow_redirects=False, timeout=10).status_code == 200 for c in copies)
        assert admin.post(server.url + "/logout", data={"csrf_token": token}, allow_redirects=False,
                          timeout=10).status_code == 303
        for c in copies:  # new connections, spread over both workers by the kernel
            c.close()
            response = requests.get(server.url + "/admin", cookies=c.cookies, allow_redirects=False, timeout=10)
            assert response.status_code == 303 and re.match(r"/login", response.headers["location"])
    finally:
        server.stop()

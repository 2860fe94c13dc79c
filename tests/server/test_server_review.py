"""The weaknesses a security review found in the staff server, each reproduced as it was found,
and what the server does now (numbered as in the review)."""
from __future__ import annotations

import contextlib
import io
import re
import sqlite3
import threading
import time
import tracemalloc
import zipfile

import pytest
import requests
from serverkit import ADMIN_PASSWORD, EDITOR_PASSWORD, SAMPLE, csrf_of, form_of, login
from serverlib import LiveServer
from sqlalchemy import func, select, text
from test_server_attacks import age_attempts, from_address, try_login
from test_server_danger import DV_TERM
from test_server_import import catalogue_state, upload

from sync.server.models import AuditEntry, LoginAttempt
from sync.server.security import ACCOUNT_FACTOR


def audit(server, action: str, **where) -> list[AuditEntry]:
    with server.state.db.session() as db:
        query = select(AuditEntry).where(AuditEntry.action == action,
                                         *(getattr(AuditEntry, k) == v for k, v in where.items()))
        rows = list(db.scalars(query))
        for row in rows:
            db.expunge(row)
        return rows


# ------------------------------------------------------------------------------- 1: many addresses


def test_1_many_addresses_guessing_one_account_wait_but_the_owner_does_not(server):
    limit = server.state.config.login_max_failures
    office = from_address(server, "198.51.100.10")
    assert try_login(office, "editor", EDITOR_PASSWORD).status_code == 303   # the owner's usual place
    statuses = []
    for i in range(1, 11):   # 10 addresses, each staying under its own limit
        guesser = from_address(server, f"203.0.113.{i}")
        statuses += [try_login(guesser, "editor", f"guess-{n}").status_code for n in range(limit)]
    checked = ACCOUNT_FACTOR * limit
    assert statuses == [401] * checked + [429] * (10 * limit - checked)
    assert len(audit(server, "login_failed", entity_id="editor")) == checked   # no more password checks
    # A new address waits even with the right password; the owner's known address does not.
    assert try_login(from_address(server, "192.0.2.50"), "editor", EDITOR_PASSWORD).status_code == 429
    assert try_login(office, "editor", EDITOR_PASSWORD).status_code == 303
    # Another account is not touched.
    assert try_login(from_address(server, "192.0.2.51"), "admin", ADMIN_PASSWORD).status_code == 303


def test_1_ipv6_addresses_of_one_network_count_as_one(server):
    limit = server.state.config.login_max_failures
    for n in range(limit):   # a new address of the same /64 for every guess
        assert try_login(from_address(server, f"2001:db8:7:1::{n + 1:x}"), "editor", "guess").status_code == 401
    blocked = try_login(from_address(server, "2001:db8:7:1:abcd::99"), "editor", EDITOR_PASSWORD)
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers
    with server.state.db.session() as db:
        assert set(db.scalars(select(LoginAttempt.ip))) == {"2001:db8:7:1::/64"}
    # The next network, and an IPv4 address, are others.
    assert try_login(from_address(server, "2001:db8:7:2::1"), "editor", EDITOR_PASSWORD).status_code == 303
    assert try_login(from_address(server, "::ffff:192.0.2.9"), "admin", ADMIN_PASSWORD).status_code == 303
    with server.state.db.session() as db:
        assert "192.0.2.9" in set(db.scalars(select(LoginAttempt.ip)))


def test_1_the_throttle_stores_what_it_counts_by(server):
    """The throttle stores what it counts by (an address group, an account's own name)."""
    try_login(from_address(server, "2001:db8:9:9:1:2:3:4"), "Editor", "guess")
    with server.state.db.session() as db:
        assert db.scalar(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.username == "editor", LoginAttempt.ip == "2001:db8:9:9::/64")) == 1


# ------------------------------------------------------------------------------- 2: the event loop


@contextlib.contextmanager
def database_held(server, seconds: float):
    """Another connection holds the database's write lock for ``seconds``: a request that writes
    waits for it, where the server runs it."""
    taken, done = threading.Event(), threading.Event()

    def hold() -> None:
        if server.state.db.postgresql:
            with server.state.db.engine.connect() as conn:
                tables = ", ".join(sorted(server.state.db.engine.dialect.get_table_names(conn)))
                conn.execute(text(f"LOCK TABLE {tables} IN EXCLUSIVE MODE"))
                taken.set()
                time.sleep(seconds)
                conn.rollback()
        else:
            conn = sqlite3.connect(server.state.config.database, timeout=30)
            conn.execute("BEGIN IMMEDIATE")
            taken.set()
            time.sleep(seconds)
            conn.rollback()
            conn.close()
        done.set()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert taken.wait(10)
    try:
        yield
    finally:
        holder.join(seconds + 10)


def staff_session(url: str, username: str, password: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    token = csrf_of(session.get(url + "/login", timeout=10).text)
    response = session.post(url + "/login", data={"csrf_token": token, "username": username, "password": password},
                            allow_redirects=False, timeout=30)
    assert response.status_code == 303
    return session, csrf_of(session.get(url + "/admin/import", timeout=10).text)


def slow_request(url: str, action: str):
    """The request of ``action``, made ready to send (logged in first where it needs a login)."""
    if action == "login":
        session = requests.Session()
        token = csrf_of(session.get(url + "/login", timeout=10).text)
        return lambda: session.post(url + "/login", data={"csrf_token": token, "username": "admin",
                                                         "password": ADMIN_PASSWORD}, allow_redirects=False, timeout=60)
    session, token = staff_session(url, "editor", EDITOR_PASSWORD)
    if action == "password":
        return lambda: session.post(url + "/account/password", allow_redirects=False, timeout=60, data={
            "csrf_token": token, "current_password": EDITOR_PASSWORD, "new_password": "Shkumbini-2026-x",
            "new_password_again": "Shkumbini-2026-x"})
    if action == "import":
        return lambda: session.post(url + "/admin/import", data={"csrf_token": token}, timeout=60,
                                    files={"file": ("catalogue.json", SAMPLE.read_bytes())})
    return lambda: session.post(url + "/admin/publish", data={"csrf_token": token}, allow_redirects=False,
                                timeout=60)


@pytest.mark.parametrize("action", ["login", "password", "import", "publish"])
def test_2_slow_work_leaves_the_event_loop_free(server, action):
    """One worker, one event loop: while a login, a password change, an import or a publish
    waits for the database (or runs argon2, or reads a catalogue), /healthz still answers."""
    live = LiveServer(server.app).start()
    try:
        send = slow_request(live.url, action)
        answers: list = []
        with database_held(server, 4):
            worker = threading.Thread(target=lambda: answers.append(send()), daemon=True)
            worker.start()
            time.sleep(0.5)   # the request is in the server, waiting for the database
            start = time.monotonic()
            health = requests.get(live.url + "/healthz", timeout=30)
            seconds = time.monotonic() - start
        worker.join(60)
        print(f"\n{action}: /healthz answered in {seconds:.2f} s while the request waited")
        assert health.status_code == 200
        assert seconds < 2, f"/healthz waited {seconds:.1f} s for the {action}"
        assert answers and answers[0].status_code in (200, 303), answers
    finally:
        live.stop()


# ------------------------------------------------------------------------------- 3: JSON import memory


def test_3_a_json_import_of_millions_of_values_is_refused_unparsed(server, admin):
    from sync.server.imports.problems import MAX_JSON_VALUES

    bomb = b"[" + b"[]," * MAX_JSON_VALUES + b"[]]"   # 6 MB; 2 million lists when parsed
    before = catalogue_state(server)
    _html, token = form_of(admin, "/admin/import")
    for lang, words in (("sq", "më shumë se sa ka çdo katalog"), ("en", "more than any catalogue has")):
        tracemalloc.start()
        try:
            response = admin.post(f"/admin/import?lang={lang}", data={"csrf_token": token},
                                  files={"file": ("katalogu.json", bomb, "application/json")})
            _now, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        print(f"\n{len(bomb) / 2**20:.1f} MB of empty lists: {response.status_code}, peak {peak / 2**20:.0f} MB")
        assert response.status_code == 422 and words in response.text, response.text[-3000:]
        assert peak < 80 * 2**20   # parsed, the lists alone take 140 MB
    assert catalogue_state(server) == before


@pytest.mark.one_engine   # counting bytes: no database
def test_3_real_catalogues_are_well_under_the_value_caps():
    from sync.publish.sources import MAX_JSON_VALUES as CLI_VALUES
    from sync.publish.sources import json_values
    from sync.server.imports.problems import MAX_JSON_VALUES, MAX_UPLOAD

    sample = SAMPLE.read_bytes()
    density = len(sample) / json_values(sample)   # bytes a value in a real catalogue
    assert density > 25
    assert MAX_UPLOAD / density < MAX_JSON_VALUES < CLI_VALUES


# ------------------------------------------------------------------------------- 4: password form


def test_4_the_password_form_is_no_way_to_guess_the_current_password(server, editor):
    limit = server.state.config.login_max_failures
    for n in range(limit):
        _html, token = form_of(editor, "/account/password")
        wrong = editor.post("/account/password", data={"csrf_token": token, "current_password": f"guess-{n}",
                                                       "new_password": "Shkumbini-2026-x",
                                                       "new_password_again": "Shkumbini-2026-x"})
        assert wrong.status_code == 422
    _html, token = form_of(editor, "/account/password")
    blocked = editor.post("/account/password?lang=en", follow_redirects=False, data={
        "csrf_token": token, "current_password": EDITOR_PASSWORD, "new_password": "Shkumbini-2026-x",
        "new_password_again": "Shkumbini-2026-x"})   # even the right one, now
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers
    assert "Too many failed attempts" in blocked.text
    assert len(audit(server, "password_change_failed", entity_id="editor")) == limit
    assert len(audit(server, "password_change_blocked", entity_id="editor")) == 1
    login(server.client(), "editor", EDITOR_PASSWORD, expect=429)   # the same throttle as the login's
    # The wait over, the right password changes it.
    age_attempts(server, 15 * 60)
    _html, token = form_of(editor, "/account/password")
    ok = editor.post("/account/password", follow_redirects=False, data={
        "csrf_token": token, "current_password": EDITOR_PASSWORD, "new_password": "Shkumbini-2026-x",
        "new_password_again": "Shkumbini-2026-x"})
    assert ok.status_code == 303


# ------------------------------------------------------------------------------- 5: the audit log


def test_5_a_blocked_address_knocking_again_and_again_is_noted_once(server):
    limit = server.state.config.login_max_failures
    stranger = from_address(server, "203.0.113.99")
    for _ in range(limit):
        try_login(stranger, "editor", "guess")
    for _ in range(40):
        assert try_login(stranger, "editor", "guess").status_code == 429
    for name in ("admin", "nobody"):   # other names from there: still the same wait of that address
        try_login(stranger, name, "guess")
    assert len(audit(server, "login_blocked", ip="203.0.113.99")) == 1
    # The next wait (after one more failure) is noted again, once.
    age_attempts(server, 31)
    assert try_login(stranger, "editor", "guess").status_code == 401
    for _ in range(10):
        assert try_login(stranger, "editor", "guess").status_code == 429
    assert len(audit(server, "login_blocked", ip="203.0.113.99")) == 2


def test_5_a_user_name_that_matches_no_account_is_not_stored(server, admin):
    typed = "Kalaja-Sekrete-77"   # a password typed into the user name box
    assert try_login(server.client(), typed, "whatever").status_code == 401
    [row] = audit(server, "login_failed")
    assert (row.actor, row.entity_id, row.summary) == ("?", "", "a user name that matches no account")
    with server.state.db.session() as db:
        stored = [a.username for a in db.scalars(select(LoginAttempt))]
        texts = [str(v) for e in db.scalars(select(AuditEntry)) for v in (e.actor, e.entity_id, e.summary, e.details)]
    assert stored and all(typed.lower() not in s for s in stored) and all(typed.lower() not in t.lower() for t in texts)
    page = admin.get("/admin/audit?action=login_failed").text
    assert typed not in page and "një emër përdoruesi që nuk i përket asnjë llogarie" in page
    assert "a user name that matches no account" in admin.get("/admin/audit?action=login_failed&lang=en").text
    # A wrong password for a real account still names it.
    try_login(server.client(), "editor", "guess")
    assert [r.entity_id for r in audit(server, "login_failed")] == ["", "editor"]


def test_5_unknown_names_are_throttled_like_known_ones(server):
    """A 429 must not tell which names exist: each unknown name has its own counter."""
    limit = server.state.config.login_max_failures
    client = from_address(server, "203.0.113.42")
    statuses = [try_login(client, "no-such-user", "guess").status_code for _ in range(limit + 1)]
    assert statuses == [401] * limit + [429]
    assert try_login(client, "no-such-other", "guess").status_code == 401
    assert try_login(client, "editor", EDITOR_PASSWORD).status_code == 303


# ------------------------------------------------------------------------------- 6: damaged sheets


def damaged_workbook(admin, sheet_xml: bytes) -> bytes:
    """The server's own template with the services sheet replaced by ``sheet_xml``."""
    template = zipfile.ZipFile(io.BytesIO(admin.get("/admin/export/template.xlsx").content))
    names = template.namelist()
    workbook = template.read("xl/workbook.xml").decode()
    rels = template.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet [^>]*name="services"[^>]*>', workbook).group(0).split('r:id="', 1)[1].split('"')[0]
    rel = next(r for r in re.findall(r"<Relationship [^>]*>", rels) if f'Id="{rid}"' in r)
    member = "xl/" + re.search(r'Target="([^"]+)"', rel).group(1).lstrip("/").removeprefix("xl/")
    assert member in names, (member, names)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as damaged:
        for name in names:
            damaged.writestr(name, sheet_xml if name == member else template.read(name))
    return out.getvalue()


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<dimension ref="A1:A1"/><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
BROKEN = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          b'<dimension ref="A1:A1"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row><row')


@pytest.mark.parametrize("sheet_xml", [LAUGHS, BROKEN], ids=["nested-entities", "malformed"])
def test_6_a_damaged_spreadsheet_is_a_422_in_the_staff_language(server, admin, sheet_xml):
    data = damaged_workbook(admin, sheet_xml)
    before = catalogue_state(server)
    for lang, words in (("sq", "Fletëllogaritja është e dëmtuar"), ("en", "The spreadsheet is damaged")):
        admin.get(f"/admin/import?lang={lang}")
        response = upload(admin, "katalogu.xlsx", data)
        assert response.status_code == 422 and words in response.text, response.text.split("<main", 1)[1][:1500]
    assert catalogue_state(server) == before


# ------------------------------------------------------------------------------- 7: the public home page


def test_7_the_public_home_page_shows_a_sensitive_category_by_its_neutral_title(server):
    client = server.client()
    for lang, neutral in (("sq", "Këshillim"), ("en", "Counselling")):
        html = client.get(f"/?lang={lang}", headers={"Accept": "text/html"}).text
        item = html.split(f'href="/services?category={DV_TERM}&lang={lang}"', 1)[1].split("</li>", 1)[0]
        assert f"<span>{neutral}</span>" in item and 'src="/static/icons/category.png"' in item, item
        for hidden in ("Dhuna", "violence", "domestic-violence"):
            assert hidden not in html, hidden
        assert "/static/icons/children.png" in html   # the others keep their own


# ------------------------------------------------------------------------------- 8: names in messages


@pytest.mark.parametrize("name,data", [("katalogu-im.json", b"[" * 100_000 + b"]" * 100_000),
                                       ("katalogu-im.json", b"{not json"),
                                       ("katalogu-im.json", b"[1, 2]")])
def test_8_import_messages_name_the_uploaded_file_not_the_server_s_folders(admin, name, data):
    response = upload(admin, name, data)
    assert response.status_code == 422
    assert "katalogu-im.json" in response.text
    for word in ("/tmp", "kiosk-server-import-", "upload.json"):
        assert word not in response.text, word


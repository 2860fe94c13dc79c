"""Security: logins, sessions, CSRF on every form, roles, rate limiting, kiosk tokens."""
from __future__ import annotations

import json
import re

import pytest
from serverkit import ADMIN_PASSWORD, DESK_ID, EDITOR_PASSWORD, csrf_of, form_of, login
from sqlalchemy import func, select

from sync.server.models import Account, AuditEntry, Kiosk, Service

# Paths for the {parameters} of POST routes.
PARAMS = {"service_id": DESK_ID, "org_id": "090bc249-37cb-5329-99fb-569a0ac0ee91",
          "loc_id": "fde8b26a-7576-5ccd-bad6-3f1de511eca0", "cat_id": "247a281a-a1aa-52eb-8259-8c91d0e20ce1",
          "version": "2", "kiosk_id": "1", "account_id": "1"}
# Writes that do not use a login: the login form itself (CSRF only) and what kiosks post (token).
KIOSK_API = {"/api/heartbeat", "/api/reports", "/api/usage"}
NO_LOGIN = {"/login"} | KIOSK_API


def all_routes(routes, prefix: str = ""):
    """Every route, through included routers (FastAPI >= 0.16x keeps them nested)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from all_routes(inner.routes, prefix + (getattr(context, "prefix", "") or ""))
        else:
            yield prefix, route


def post_routes(app) -> list[str]:
    paths = []
    for prefix, route in all_routes(app.routes):
        methods = getattr(route, "methods", None) or set()
        if {"POST", "PUT", "PATCH", "DELETE"} & methods:
            path = prefix + route.path
            for key, value in PARAMS.items():
                path = path.replace("{" + key + "}", value)
            assert "{" not in path, f"add a value for {route.path} to PARAMS"
            paths.append(path)
    return sorted(paths)


def snapshot(server) -> tuple:
    """Everything a write could change, to prove that refused requests changed nothing."""
    with server.state.db.session() as db:
        services = {s.id: json.dumps(s.doc, sort_keys=True) for s in db.scalars(select(Service))}
        accounts = [(a.username, a.role, a.password_hash, a.active) for a in db.scalars(select(Account))]
        kiosks = db.scalar(select(func.count()).select_from(Kiosk))
        audit_changes = db.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action.notin_(["login", "login_failed", "login_blocked", "logout"])))
    feed = (server.data_dir / "feed" / "feed.json").read_bytes()
    return services, accounts, kiosks, audit_changes, feed


def test_every_write_needs_a_login(server):
    client = server.client()
    before = snapshot(server)
    paths = post_routes(server.app)
    assert len(paths) >= 20
    page = client.get("/login")  # an anonymous session with a valid CSRF token
    token = csrf_of(page.text)
    for path in paths:
        if path in NO_LOGIN:
            continue
        response = client.post(path, data={"csrf_token": token, "name": "x", "note": "x"}, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login"), path
    assert snapshot(server) == before


def test_every_write_needs_the_csrf_token(server, admin):
    before = snapshot(server)
    for path in post_routes(server.app):
        if path in KIOSK_API:
            continue
        for data in ({}, {"csrf_token": "forged-" + "x" * 40}):
            response = admin.post(path, data={**data, "name": "x", "username": "admin",
                                               "password": ADMIN_PASSWORD}, follow_redirects=False)
            assert response.status_code == 403, (path, response.status_code)
    assert snapshot(server) == before
    # Still logged in: the refusals did not log the user out, and a real form works.
    assert admin.get("/admin").status_code == 200


def test_csrf_token_of_another_session_is_refused(server, admin, editor):
    _html, editor_token = form_of(editor, "/admin/publish")
    response = admin.post("/admin/publish", data={"csrf_token": editor_token}, follow_redirects=False)
    assert response.status_code == 403


def test_login_logout_and_pages_need_login(server):
    client = server.client()
    response = client.get("/admin/services", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/admin/services"
    login(client, "admin", "wrong password", expect=401)
    response = login(client, "admin", ADMIN_PASSWORD)
    assert response.headers["location"] == "/admin"
    assert client.get("/admin/services").status_code == 200
    html, token = form_of(client, "/admin")
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/admin/services", follow_redirects=False).status_code == 303


def test_login_redirect_stays_on_this_site(server):
    client = server.client()
    page = client.get("/login?next=https://evil.example/")
    assert 'value="https://evil.example/"' not in page.text
    response = client.post("/login", data={"csrf_token": csrf_of(page.text), "username": "admin",
                                           "password": ADMIN_PASSWORD, "next": "//evil.example/x"},
                           follow_redirects=False)
    assert response.headers["location"] == "/admin"


def test_login_attempts_are_rate_limited(server):
    client = server.client()
    for _ in range(server.state.config.login_max_failures):
        login(client, "editor", "not the password", expect=401)
    blocked = login(client, "editor", EDITOR_PASSWORD, expect=429)  # even the right password now
    assert "Retry-After" in blocked.headers
    # Another account is not blocked by these failures.
    login(server.client(), "admin", ADMIN_PASSWORD)
    with server.state.db.session() as db:
        actions = list(db.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == "editor")))
    assert actions.count("login_failed") == server.state.config.login_max_failures
    assert "login_blocked" in actions


def test_first_login_must_change_the_one_time_password(fresh_config, tmp_path):
    from sync.server.app import app_for

    app, state = app_for(fresh_config(tmp_path / "fresh"))
    assert state.first_admin_password
    from fastapi.testclient import TestClient

    client = TestClient(app, base_url="http://127.0.0.1")
    response = login(client, "admin", state.first_admin_password)
    assert response.headers["location"] == "/account/password"
    # Every page sends the admin back to the password form until it is changed.
    assert client.get("/admin/services", follow_redirects=False).headers["location"] == "/account/password"
    html, token = form_of(client, "/account/password")
    weak = client.post("/account/password", data={"csrf_token": token, "current_password": state.first_admin_password,
                                                  "new_password": "short", "new_password_again": "short"})
    assert weak.status_code == 422
    assert "at least 10" in weak.text or "të paktën 10" in weak.text
    ok = client.post("/account/password", data={
        "csrf_token": token, "current_password": state.first_admin_password,
        "new_password": "Kalaja-e-Elbasanit-1", "new_password_again": "Kalaja-e-Elbasanit-1"}, follow_redirects=False)
    assert ok.status_code == 303
    assert client.get("/admin/services").status_code == 200
    # The one-time password no longer works.
    login(TestClient(app, base_url="http://127.0.0.1"), "admin", state.first_admin_password, expect=401)
    state.db.dispose()


def test_password_change_ends_other_sessions(server):
    first, second = server.client(), server.client()
    login(first, "editor", EDITOR_PASSWORD)
    login(second, "editor", EDITOR_PASSWORD)
    html, token = form_of(first, "/account/password")
    first.post("/account/password", data={"csrf_token": token, "current_password": EDITOR_PASSWORD,
                                          "new_password": "Shkumbini-2026-x", "new_password_again": "Shkumbini-2026-x"})
    assert first.get("/admin").status_code == 200
    assert second.get("/admin", follow_redirects=False).status_code == 303


def test_editor_cannot_manage_accounts_or_kiosks(server, editor):
    before = snapshot(server)
    assert editor.get("/admin/accounts").status_code == 403
    html, token = form_of(editor, "/admin/services")
    for path, data in (("/admin/accounts", {"username": "mallory", "role": "admin"}),
                       ("/admin/accounts/1", {"action": "reset"}),
                       ("/admin/accounts/2", {"action": "role", "role": "admin"}),
                       ("/admin/kiosks", {"name": "k1"}),
                       ("/admin/kiosks/1/token", {}), ("/admin/kiosks/1/revoke", {})):
        response = editor.post(path, data={"csrf_token": token, **data}, follow_redirects=False)
        assert response.status_code == 403, path
    assert snapshot(server) == before
    # Editors can see the kiosks, without the buttons that change them.
    page = editor.get("/admin/kiosks")
    assert page.status_code == 200 and 'action="/admin/kiosks"' not in page.text
    # ... and edit and publish.
    assert editor.get(f"/admin/services/{DESK_ID}").status_code == 200
    html, token = form_of(editor, "/admin/publish")
    assert editor.post("/admin/publish", data={"csrf_token": token}, follow_redirects=False).status_code == 303


def make_kiosk(admin, name: str = "lobby-1") -> str:
    html, token = form_of(admin, "/admin/kiosks")
    page = admin.post("/admin/kiosks", data={"csrf_token": token, "name": name, "description": "Holli"})
    assert page.status_code == 200
    match = re.search(r'token = "(kt_[^"]+)"', page.text)
    assert match, page.text[:1000]
    return match.group(1)


def test_kiosk_token_can_only_send_heartbeats(server, admin):
    token = make_kiosk(admin)
    bearer = {"Authorization": f"Bearer {token}"}
    before = snapshot(server)
    anonymous = server.client()
    ok = anonymous.post("/api/heartbeat", headers=bearer, json={"kiosk_id": "lobby-1", "catalogue_version": 2})
    assert ok.status_code == 200 and ok.json()["ok"] is True
    for path in post_routes(server.app):
        if path in KIOSK_API:
            continue
        response = anonymous.post(path, headers=bearer, data={"name": "x"}, follow_redirects=False)
        assert response.status_code in (303, 403), path
        if response.status_code == 303:
            assert response.headers["location"].startswith("/login")
    for path in ("/admin", "/admin/services", "/admin/kiosks", "/admin/export/catalogue.json",
                 "/admin/feed-versions/2/feed.json"):
        response = anonymous.get(path, headers=bearer, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login"), path
    after = snapshot(server)
    assert after[:4] == before[:4] and after[4] == before[4]
    # A staff session is no kiosk token.
    assert admin.post("/api/heartbeat", json={"kiosk_id": "x"}).status_code == 401
    assert admin.post("/api/reports", json={"reports": []}).status_code == 401
    assert admin.post("/api/usage", json={"hours": []}).status_code == 401


def test_heartbeat_refuses_bad_tokens_and_bodies(server, admin):
    token = make_kiosk(admin)
    client = server.client()
    assert client.post("/api/heartbeat", json={}).status_code == 401
    assert client.post("/api/heartbeat", headers={"Authorization": "Bearer kt_wrong"}, json={}).status_code == 401
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/heartbeat", headers=headers, content=b"not json").status_code == 400
    assert client.post("/api/heartbeat", headers=headers, content=b"[1]").status_code == 400
    assert client.post("/api/heartbeat", headers=headers, content=b"{" + b" " * 20000 + b"}").status_code == 413
    # Revoked: refused.
    with server.state.db.session() as db:
        kiosk_id = db.scalar(select(Kiosk.id).where(Kiosk.name == "lobby-1"))
    html, csrf = form_of(admin, "/admin/kiosks")
    admin.post(f"/admin/kiosks/{kiosk_id}/revoke", data={"csrf_token": csrf})
    assert client.post("/api/heartbeat", headers=headers, json={"kiosk_id": "lobby-1"}).status_code == 401


def test_session_cookie_and_headers(server):
    client = server.client()
    page = client.get("/login")
    cookie = page.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    # Public pages set no cookie at all.
    public = server.client().get(f"/services/{DESK_ID}", headers={"accept": "text/html"})
    assert "set-cookie" not in public.headers


def test_https_only_cookie(seeded_copy, tmp_path):
    from fastapi.testclient import TestClient

    from sync.server.app import app_for

    app, state = app_for(seeded_copy(tmp_path / "d", https_only=True))
    page = TestClient(app, base_url="https://127.0.0.1").get("/login")
    assert "secure" in page.headers["set-cookie"].lower()
    state.db.dispose()


@pytest.mark.parametrize("path", ["/admin/services/nope", "/admin/organizations/nope", "/admin/locations/nope",
                                  "/admin/categories/nope"])
def test_missing_items_are_404(admin, path):
    assert admin.get(path).status_code == 404

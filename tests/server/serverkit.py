"""Constants and helpers shared by the server tests (kept out of conftest.py so that test modules
import them by a name no other test directory uses)."""
from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "assets" / "sample" / "catalogue.json"
ADMIN_PASSWORD = "Elbasan-admin-2026!"
EDITOR_PASSWORD = "Elbasan-editor-2026!"
# A service of the sample catalogue: the information desk of the centre.
DESK_ID = "ffe503ab-f7a1-5259-b374-d8ce42e4a60d"

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def login(client, username: str, password: str, *, expect: int = 303):
    page = client.get("/login")
    response = client.post("/login", data={"csrf_token": csrf_of(page.text), "username": username,
                                           "password": password}, follow_redirects=False)
    assert response.status_code == expect, response.text[:500]
    return response


def form_of(client, path: str) -> tuple[str, str]:
    """(page HTML, its CSRF token)."""
    page = client.get(path)
    assert page.status_code == 200, page.text[:500]
    return page.text, csrf_of(page.text)

"""deploy/nginx/kiosk-server.conf with Debian's real nginx in front of a real server (issue 19
item 4): TLS, the feed served by nginx (gzip_static, strong ETag, 304, no-cache), hashed assets
cached for good, the app behind proxy_pass with the visitor's address forwarded, body limits."""
from __future__ import annotations

import gzip
import hashlib
import http.client
import json
import shutil
import socket
import ssl

import pytest
import requests
from nginxkit import Nginx, world_readable_dir
from serverkit import ADMIN_PASSWORD, csrf_of
from serverlib import LiveServer
from sqlalchemy import select

from sync.server.models import Kiosk, utcnow
from sync.server.security import new_kiosk_token, token_digest

#: nginx in front: files, TLS, headers and limits; the app's database plays no part
pytestmark = pytest.mark.one_engine


@pytest.fixture
def behind_nginx(seeded_copy, tmp_path):
    from sync.server.app import app_for

    publish_dir = world_readable_dir("kiosk-feed-")
    config = seeded_copy(tmp_path / "data", publish_dir=publish_dir / "feed", trust_proxy_headers=True,
                         trusted_proxies=("127.0.0.1",), https_only=True)
    app, state = app_for(config)  # writes the published feed into publish_dir on start
    live = LiveServer(app).start()
    nginx = Nginx(feed_dir=config.feed_dir, app_port=live.port)
    yield nginx, state, live
    nginx.stop()
    live.stop()
    state.db.dispose()
    shutil.rmtree(publish_dir, ignore_errors=True)


def https(nginx: Nginx) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would win over verify; no proxy for loopback
    session.verify = str(nginx.cert)
    return session


def test_feed_served_by_nginx_with_gzip_static_strong_etag_and_304(behind_nginx):
    nginx, state, live = behind_nginx
    client = https(nginx)
    on_disk = (state.config.feed_dir / "feed.json").read_bytes()
    plain = client.get(nginx.url + "/feed/feed.json", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and plain.content == on_disk
    assert plain.headers["Cache-Control"] == "no-cache"
    assert plain.headers["Content-Type"].startswith("application/json")
    etag = plain.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    raw = client.get(nginx.url + "/feed/feed.json", headers={"Accept-Encoding": "gzip"}, stream=True)
    zipped = raw.raw.read()
    assert raw.headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped) == on_disk
    assert zipped == (state.config.feed_dir / "feed.json.gz").read_bytes()  # the server's own .gz file
    assert not raw.headers["ETag"].startswith("W/")
    for headers in ({"Accept-Encoding": "identity", "If-None-Match": etag},
                    {"Accept-Encoding": "gzip", "If-None-Match": raw.headers["ETag"]}):
        again = client.get(nginx.url + "/feed/feed.json", headers=headers)
        assert again.status_code == 304 and again.content == b""
    sig = client.get(nginx.url + "/feed/feed.json.sig")
    assert sig.status_code == 200 and sig.content == (state.config.feed_dir / "feed.json.sig").read_bytes()
    assert client.get(nginx.url + "/feed/pubkey").text.strip() == state.signing_key.public.to_text().strip()
    assert client.get(nginx.url + "/feed/server.sqlite3").status_code == 404
    assert client.get(nginx.url + "/feed/../secrets/session.secret").status_code in (400, 404)

    # A new version published through the app: nginx serves it at once, and an old ETag gets it.
    admin = https(nginx)
    page = admin.get(nginx.url + "/login")
    assert admin.post(nginx.url + "/login", data={"csrf_token": csrf_of(page.text), "username": "admin",
                                                  "password": ADMIN_PASSWORD}, allow_redirects=False).status_code == 303
    token = csrf_of(admin.get(nginx.url + "/admin/publish").text)
    assert admin.post(nginx.url + "/admin/publish", data={"csrf_token": token},
                      allow_redirects=False).status_code == 303
    newer = client.get(nginx.url + "/feed/feed.json", headers={"Accept-Encoding": "identity", "If-None-Match": etag})
    assert newer.status_code == 200 and json.loads(newer.content)["version"] == 3
    assert newer.headers["ETag"] != etag


def test_hashed_assets_are_cached_for_good_and_http_goes_to_https(behind_nginx):
    nginx, state, _live = behind_nginx
    icon = b"\x89PNG\r\n\x1a\n an icon's bytes"
    assets = state.config.feed_dir / "assets"
    assets.mkdir(exist_ok=True)
    name = hashlib.sha256(icon).hexdigest()
    (assets / name).write_bytes(icon)
    response = https(nginx).get(f"{nginx.url}/feed/assets/{name}")
    assert response.status_code == 200 and response.content == icon
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert https(nginx).get(f"{nginx.url}/feed/assets/{name[:-1]}").status_code == 404
    plain = https(nginx).get(nginx.http_url + "/admin", allow_redirects=False)
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
    page = https(nginx).get(nginx.url + "/login")
    assert page.status_code == 200 and "secure" in page.headers["Set-Cookie"].lower()
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_app_sees_the_visitors_address_not_a_forged_one(behind_nginx):
    """A kiosk at 127.0.0.5 sends a heartbeat through nginx with a forged X-Forwarded-For: the
    server records 127.0.0.5 (the address nginx saw), not the forgery, not nginx's 127.0.0.1."""
    nginx, state, _live = behind_nginx
    token = new_kiosk_token()
    with state.db.session() as db:
        db.add(Kiosk(name="lobby-9", description="", token_sha256=token_digest(token), token_hint=token[3:9],
                     created_at=utcnow(), created_by="admin", heartbeats=0))
    context = ssl.create_default_context(cafile=str(nginx.cert))
    conn = http.client.HTTPSConnection("127.0.0.1", nginx.https_port, context=context,
                                       source_address=("127.0.0.5", 0), timeout=10)
    body = json.dumps({"kiosk_id": "lobby-9", "app_version": "0.1.0", "catalogue_version": 2})
    conn.request("POST", "/api/heartbeat", body=body, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json",
        "X-Forwarded-For": "198.51.100.7"})
    response = conn.getresponse()
    assert response.status == 200, response.read()[:300]
    with state.db.session() as db:
        kiosk = db.scalar(select(Kiosk).where(Kiosk.name == "lobby-9"))
        assert kiosk.last_ip == "127.0.0.5"


def test_bodies_over_the_limits_are_refused_before_they_are_sent(behind_nginx):
    nginx, _state, _live = behind_nginx
    context = ssl.create_default_context(cafile=str(nginx.cert))
    with socket.create_connection(("127.0.0.1", nginx.https_port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            tls.sendall(b"POST /admin/import HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/zip\r\n"
                        b"Content-Length: 60000000\r\n\r\n")  # 60 MB announced, not a byte sent
            head = tls.recv(4096).decode("latin-1")
    assert head.startswith("HTTP/1.1 413"), head[:200]
    # Under nginx's cap, over the route's: the server's own 413 comes back through the proxy.
    response = https(nginx).post(nginx.url + "/api/heartbeat", data=b"x" * 40_000,
                                 headers={"Content-Type": "application/json"})
    assert response.status_code == 413

"""Issue 12 item 5: the kiosk checks every URL and every redirect hop before it asks for it.

The policy is tested directly with a resolver table (no DNS), and end to end against local
servers on 127.0.0.1: an asset that answers 302 to another local service (the attack of the
issue: ``http://127.0.0.1:<port>/internal-admin/reboot``) is refused before that service hears
anything, and the catalogue still updates with the bundled icon in place of the asset."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import synclib as sl
from synclib import FeedServer, clean_feed

from sync.client.hops import HopPolicy, is_public, resolve
from sync.client.http import SyncError

TABLE = {
    "feeds.example.org": ["93.184.216.34"],
    "cdn.example.net": ["151.101.1.1", "2a04:4e42::1"],
    "evil.example": ["127.0.0.1"],
    "mixed.example": ["151.101.1.1", "10.0.0.1"],
    "metadata.example": ["169.254.169.254"],
    "mapped.example": ["::ffff:127.0.0.1"],
    "localhost": ["127.0.0.1", "::1"],
    "nothing.example": [],
}


def table_resolver(host, port):
    if host not in TABLE and not host[0].isdigit() and ":" not in host:
        raise SyncError("url_refused", f"cannot resolve {host}")
    return TABLE.get(host, [host])


def refused(policy, url):
    with pytest.raises(SyncError) as info:
        policy.check(url)
    assert info.value.code == "url_refused"
    return info.value.detail


def test_public_feed_allows_public_https_only():
    policy = HopPolicy("https://feeds.example.org/feed.json", resolver=table_resolver)
    policy.check("https://feeds.example.org/assets/" + "a" * 64)
    policy.check("https://cdn.example.net/icons/x.png")
    policy.check("https://151.101.1.1/x.png")
    assert "only https" in refused(policy, "http://cdn.example.net/x.png")  # no downgrade
    assert "only https" in refused(policy, "file:///etc/passwd")
    assert "only https" in refused(policy, "ftp://cdn.example.net/x")
    for url in ("https://evil.example/x", "https://127.0.0.1/x", "https://127.0.0.2/", "https://[::1]/x",
                "https://mixed.example/x", "https://metadata.example/latest", "https://169.254.169.254/",
                "https://10.1.2.3/", "https://192.168.1.1/", "https://172.16.0.1/", "https://100.64.0.1/",
                "https://224.0.0.1/", "https://0.0.0.0/", "https://mapped.example/", "https://[fe80::1]/"):
        assert "not a public address" in refused(policy, url), url
    assert "no address" in refused(policy, "https://nothing.example/")
    assert "cannot resolve" in refused(policy, "https://unknown.example/")
    assert "no host" in refused(policy, "https:///x")


def test_local_feed_allows_only_its_own_server_among_local_addresses():
    policy = HopPolicy("http://localhost:8080/feed.json", resolver=table_resolver)
    policy.check("http://localhost:8080/assets/x")          # the configured origin
    policy.check("http://127.0.0.1:8080/assets/x")          # one of its addresses, its port
    policy.check("http://[::1]:8080/assets/x")
    policy.check("http://cdn.example.net/x.png")            # http: the feed itself is http
    policy.check("https://cdn.example.net/x.png")
    for url in ("http://127.0.0.1:631/admin", "http://localhost:9/", "http://127.0.0.2:8080/",
                "http://192.168.1.1:8080/", "http://evil.example/x"):
        assert "not a public address" in refused(policy, url), url


def test_the_feed_origin_needs_no_name_resolution():
    def offline(host, port):
        raise SyncError("url_refused", "no DNS here")

    policy = HopPolicy("https://kiosk-feed.bashkia.example/feed.json", resolver=offline)
    policy.check("https://kiosk-feed.bashkia.example/assets/" + "b" * 64)
    assert "no DNS" in refused(policy, "https://cdn.example.net/x.png")


def test_is_public_and_the_real_resolver_on_literals():
    import ipaddress

    assert is_public(ipaddress.ip_address("93.184.216.34"))
    assert not is_public(ipaddress.ip_address("::ffff:10.0.0.1"))
    assert not is_public(ipaddress.ip_address("ff02::1"))
    assert resolve("127.0.0.1", 80) == ["127.0.0.1"]  # a literal: no lookup, no network


# --------------------------------------------------------------------------- end to end


@pytest.fixture
def internal():
    """Another local service the kiosk must never be steered to (a printer admin, say)."""
    srv = FeedServer(Path("/nonexistent")).start()
    yield srv
    srv.stop()


def _feed_with_logo(publisher, logo=b"\x89PNG logo"):
    sha = hashlib.sha256(logo).hexdigest()
    doc = clean_feed(2)
    doc["services"][0]["organization"].update(logo=f"assets/{sha}", x_logo_sha256=sha)
    publisher.publish(doc, assets={sha: logo})
    return sha, logo


def test_asset_redirect_to_a_local_service_is_refused_and_the_sync_goes_on(kiosk, server, publisher, internal):
    sha, _logo = _feed_with_logo(publisher)
    target = f"http://127.0.0.1:{internal.server_address[1]}/internal-admin/reboot"
    server.faults[f"/assets/{sha}"] = sl.redirect(target)
    result = kiosk.service.run_sync()
    assert internal.requests == []                      # the hop was refused before any request
    assert result.outcome == "updated" and kiosk.catalogue.info().version == 2
    [failed] = result.failed_assets
    assert failed["sha256"] == sha and failed["code"] == "url_refused"
    assert "internal-admin" in failed["detail"]
    assert kiosk.service.asset_path(sha) is None        # the kiosk shows the bundled icon
    assert kiosk.service.status().last_error is None


def test_asset_redirects_on_the_feed_server_are_followed_hop_by_hop(kiosk, server, publisher):
    sha, logo = _feed_with_logo(publisher)
    server.faults[f"/assets/{sha}"] = sl.redirect(f"/moved/{sha}", 301)
    server.faults[f"/moved/{sha}"] = sl.redirect(f"{server.url}assets/{sha}?v=2", 307)
    server.faults[f"/assets/{sha}"] = _once(server.faults[f"/assets/{sha}"])
    result = kiosk.service.run_sync()
    assert result.outcome == "updated" and result.assets_downloaded == 1, result
    assert kiosk.service.asset_path(sha).read_bytes() == logo
    assert server.count(f"/moved/{sha}") == 1


def test_a_redirect_loop_stops_at_the_cap(kiosk, server, publisher):
    sha, _logo = _feed_with_logo(publisher)
    server.faults[f"/assets/{sha}"] = sl.redirect(f"/assets/{sha}")
    result = kiosk.service.run_sync()
    assert result.outcome == "updated"
    assert result.failed_assets[0]["code"] == "too_many_redirects"
    assert server.count(f"/assets/{sha}") == sl.FAST.max_redirects + 1


def test_a_feed_redirected_to_a_local_service_fails_the_sync(kiosk, server, publisher, internal):
    publisher.publish(clean_feed(2))
    server.faults["/feed.json.gz"] = sl.redirect(f"http://127.0.0.1:{internal.server_address[1]}/feed.json.gz")
    result = kiosk.service.run_sync()
    assert result.code == "url_refused" and internal.requests == []
    assert kiosk.catalogue.info().version == 1


def _once(fault):
    left = {"n": 1}

    def wrapped(h):
        if left["n"] <= 0:
            return False
        left["n"] -= 1
        return fault(h)
    return wrapped


def test_the_session_itself_never_follows_a_redirect(server, internal):
    from sync.client import make_session

    server.faults["/r"] = sl.redirect(f"http://127.0.0.1:{internal.server_address[1]}/x")
    with make_session(sl.FAST) as session:
        resp = session.get(server.url + "r", timeout=2)  # allow_redirects left at its default
    assert resp.status_code == 302 and internal.requests == []

"""Issue 12 item 1, build side: a path that comes from the data is read only from inside the build's
explicit assets folder, after resolving it; with no folder (the server) no local file is read.

The attack of the issue is reproduced: catalogue data naming the server's session secret and
feed-signing key as an organization's logo or a category's icon, then publishing."""
from __future__ import annotations

import hashlib
import json
import os

import pytest

from synclib import clean_feed

from sync.feed import document as feedmod
from sync.feed import signing
from sync.publish import build
from sync.publish.cli import main

SECRET = b"session-secret-0123456789abcdef"
ICON = b"\x89PNG icon"


@pytest.fixture
def place(tmp_path):
    """A data dir holding secrets, and beside it the build's assets folder."""
    data = tmp_path / "data"
    (data / "assets" / "icons").mkdir(parents=True)
    (data / "session.secret").write_bytes(SECRET)
    (data / "feed-signing.key").write_bytes(SECRET + b"-key")
    (data / "assets" / "icons" / "children.png").write_bytes(ICON)
    os.symlink(data / "session.secret", data / "assets" / "icons" / "link.png")
    return data


def _source(tmp_path, *, logo=None, icon_file=None):
    doc = clean_feed(1)
    if logo is not None:
        doc["services"][0]["organization"]["x_logo_file"] = logo
    if icon_file is not None:
        doc["taxonomy_terms"][0]["x_icon_file"] = icon_file
    path = tmp_path / "src.json"
    path.write_bytes(feedmod.dumps(doc))
    return path


def _no_secret_published(out):
    assets = list((out / "assets").glob("*")) if (out / "assets").exists() else []
    assert all(SECRET not in p.read_bytes() for p in assets)
    assert not (out / "feed.json").exists()


@pytest.mark.parametrize("ref, why", [
    ("/etc/passwd", "absolute path"),
    ("../session.secret", "outside the assets folder"),
    ("icons/../../feed-signing.key", "outside the assets folder"),
    ("icons/link.png", "outside the assets folder"),          # a symlink out of the folder
    ("~/.ssh/id_ed25519", "absolute path"),
    ("icons/missing.png", "not found"),
])
def test_data_references_outside_the_assets_folder_are_refused(tmp_path, place, ref, why):
    out = tmp_path / "www"
    for kind in ("logo", "icon_file"):
        with pytest.raises(feedmod.FeedError) as info:
            build.build_feed(_source(tmp_path, **{kind: ref}), out, signing.generate(),
                             asset_root=place / "assets")
        assert why in info.value.detail
        field = "organization.x_logo_file" if kind == "logo" else "taxonomy_terms[0].x_icon_file"
        assert field in info.value.detail
        _no_secret_published(out)


def test_an_absolute_path_inside_the_data_dir_is_refused(tmp_path, place):
    out = tmp_path / "www"
    for ref in (str(place / "session.secret"), str(place / "assets" / "icons" / "children.png")):
        with pytest.raises(feedmod.FeedError) as info:
            build.build_feed(_source(tmp_path, logo=ref), out, signing.generate(), asset_root=place)
        assert "absolute path" in info.value.detail
    _no_secret_published(out)


def test_without_an_assets_folder_no_local_file_is_read(tmp_path, place):
    """The server publishes with asset_root=None: the secrets named by edited data stay put."""
    out = tmp_path / "www"
    for kind, ref in (("logo", str(place / "session.secret")), ("icon_file", str(place / "feed-signing.key")),
                      ("logo", "assets/icons/children.png")):
        with pytest.raises(feedmod.FeedError) as info:
            build.build_feed(_source(tmp_path, **{kind: ref}), out, signing.generate())
        assert "reads none" in info.value.detail
    doc = clean_feed(1)
    doc["services"][0]["organization"]["logo"] = str(place / "session.secret")  # the URL field too
    (tmp_path / "src.json").write_bytes(feedmod.dumps(doc))
    with pytest.raises(feedmod.FeedError, match="organization.logo"):
        build.build_feed(tmp_path / "src.json", out, signing.generate())
    _no_secret_published(out)


def test_an_icon_inside_the_assets_folder_becomes_an_asset(tmp_path, place):
    out = tmp_path / "www"
    result = build.build_feed(_source(tmp_path, icon_file="icons/children.png"), out, signing.generate(),
                              asset_root=place / "assets")
    sha = hashlib.sha256(ICON).hexdigest()
    assert result.assets == 1 and (out / "assets" / sha).read_bytes() == ICON
    term = json.loads((out / "feed.json").read_bytes())["taxonomy_terms"][0]
    assert term["x_icon_url"] == f"assets/{sha}" and "x_icon_file" not in term


def test_cli_reads_only_the_assets_folder(tmp_path, place, capsys):
    assert main(["keygen", "--dir", str(tmp_path / "keys")]) == 0
    key = str(tmp_path / "keys" / "kiosk-feed.key")
    out = tmp_path / "www"
    src = _source(tmp_path, logo="../data/session.secret")   # inside --from's folder, outside --assets
    assert main(["build", "--from", str(src), "--out", str(out), "--key", key,
                 "--assets", str(place / "assets")]) == 1
    assert "x_logo_file" in capsys.readouterr().err
    _no_secret_published(out)
    src = _source(tmp_path, icon_file="icons/children.png")
    assert main(["build", "--from", str(src), "--out", str(out), "--key", key,
                 "--assets", str(place / "assets")]) == 0
    assert main(["build", "--from", str(src), "--out", str(out), "--key", key,
                 "--assets", str(tmp_path / "nowhere")]) == 2


@pytest.mark.parametrize("logo, scheme", [
    ("data:image/png;base64,iVBORw0KGgo=", "data:"), ("file:///etc/passwd", "file:"),
    ("FILE:session.secret", "file:"), ("javascript:alert(1)", "javascript:")])
def test_a_logo_with_another_scheme_is_dropped_with_its_warning(tmp_path, place, logo, scheme, capsys):
    """Review item 7: a data: or file: logo is an address, not a file name: the build does not
    stop on it, the kiosks' checks drop it and say so, and nothing is read from the disk."""
    doc = clean_feed(1)
    doc["services"][0]["organization"]["logo"] = logo
    src = tmp_path / "src.json"
    src.write_bytes(feedmod.dumps(doc))
    out = tmp_path / "www"
    result = build.build_feed(src, out, signing.generate(), asset_root=place / "assets")
    assert [(f.code, f.field, f.params) for f in result.findings] == [
        ("url_dropped", "organization.logo", {"scheme": scheme})]
    built = json.loads((out / "feed.json").read_bytes())
    assert all("logo" not in s["organization"] for s in built["services"]
               if s["organization"]["id"] == doc["services"][0]["organization"]["id"])
    assert not (out / "assets").exists()
    for lang, words in (("en", "dropped"), ("sq", "u hoq")):
        assert main(["check", str(src), "--lang", lang, "--assets", str(place / "assets")]) == 0
        assert "logo: " in (text := capsys.readouterr().out) and words in text, text

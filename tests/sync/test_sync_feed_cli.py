"""``kiosk-feed``: keygen, build (JSON, CSV datapackage, .xlsx), verify; its output served by a plain
static server and synced by a kiosk."""
from __future__ import annotations

import gzip
import hashlib
import json
import stat

import pytest

from synclib import make_kiosk, FeedServer, clean_feed

from factories import make_feed
from sync.feed import document as feedmod
from sync.feed import signing
from sync.publish import sources
from sync.publish.cli import main


@pytest.fixture
def keys(tmp_path):
    assert main(["keygen", "--dir", str(tmp_path / "keys")]) == 0
    return tmp_path / "keys" / "kiosk-feed.key", tmp_path / "keys" / "kiosk-feed.pub"


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_bytes(feedmod.dumps(make_feed(1)))  # as `kiosk export-hsds --feed` writes it (nulls too)
    return path


def test_keygen(keys, capsys, tmp_path):
    secret, public = keys
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    key = signing.load_secret_key(secret)
    assert signing.load_public_key(public).key == key.public.key
    assert main(["keygen", "--dir", str(tmp_path / "keys")]) == 2  # never overwrites by accident
    assert signing.load_secret_key(secret) == key


def test_build_and_verify(tmp_path, keys, source, capsys):
    secret, public = keys
    out = tmp_path / "www"
    assert main(["build", "--from", str(source), "--out", str(out), "--key", str(secret)]) == 0
    assert {p.name for p in out.iterdir()} >= {"feed.json", "feed.json.gz", "feed.json.sig", "pubkey"}
    raw = (out / "feed.json").read_bytes()
    assert gzip.decompress((out / "feed.json.gz").read_bytes()) == raw
    doc = json.loads(raw)
    assert doc["version"] == 1 and doc["schema_version"] == 1 and doc["expires_at"] > doc["generated_at"]
    assert len(doc["services"]) == 6
    capsys.readouterr()
    assert main(["verify", str(out), "--pubkey", str(public)]) == 0
    assert "OK version 1" in capsys.readouterr().out
    # Versions go up by themselves; going back is refused.
    assert main(["build", "--from", str(source), "--out", str(out), "--key", str(secret)]) == 0
    assert json.loads((out / "feed.json").read_bytes())["version"] == 2
    assert main(["build", "--from", str(source), "--out", str(out), "--key", str(secret), "--version", "2"]) == 1
    assert main(["build", "--from", str(source), "--out", str(out), "--key", str(secret), "--version", "10"]) == 0
    # The same content built twice gives byte-identical .gz files apart from the envelope.
    assert (out / "feed.json.gz").read_bytes()[:10] == gzip.compress(b"", mtime=0)[:10]


def test_verify_catches_tampering(tmp_path, keys, source, capsys):
    secret, public = keys
    out = tmp_path / "www"
    main(["build", "--from", str(source), "--out", str(out), "--key", str(secret)])
    other = signing.generate()
    assert main(["verify", str(out), "--pubkey", other.public.b64]) == 1
    assert "unknown_key" in capsys.readouterr().err
    raw = (out / "feed.json").read_bytes()
    (out / "feed.json").write_bytes(raw.replace(b"Strehim", b"Strehin"))
    assert main(["verify", str(out), "--pubkey", str(public)]) == 1
    assert "bad_signature" in capsys.readouterr().err
    (out / "feed.json").write_bytes(raw)
    (out / "feed.json.gz").write_bytes(gzip.compress(b"{}"))
    assert main(["verify", str(out), "--pubkey", str(public)]) == 1


def test_build_refuses_what_kiosks_would_refuse(tmp_path, keys, capsys):
    secret, _ = keys
    doc = clean_feed(1)
    doc["services"][0]["name"] = "Strehë\x00"
    src = tmp_path / "bad.json"
    src.write_bytes(feedmod.dumps(doc))
    assert main(["build", "--from", str(src), "--out", str(tmp_path / "www"), "--key", str(secret),
                 "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "U+0000" in err and doc["services"][0]["id"] in err and "1 errors" in err
    assert not (tmp_path / "www" / "feed.json").exists()


def test_build_mends_what_kiosks_would_mend_and_says_so(tmp_path, keys, capsys):
    """Issue 15: a javascript: address is dropped with a warning, and the feed is built."""
    secret, public = keys
    doc = clean_feed(1)
    doc["services"][0]["url"] = "javascript:alert(1)"
    src = tmp_path / "mended.json"
    src.write_bytes(feedmod.dumps(doc))
    assert main(["build", "--from", str(src), "--out", str(tmp_path / "www"), "--key", str(secret),
                 "--lang", "sq"]) == 0
    out = capsys.readouterr().out
    assert "paralajmërim: url: adresë javascript:: u hoq" in out and "0 gabime, 1 paralajmërime" in out
    built = json.loads((tmp_path / "www" / "feed.json").read_bytes())
    assert "url" not in built["services"][0]


def test_local_logo_becomes_an_asset(tmp_path, keys, capsys):
    secret, public = keys
    doc = clean_feed(1)
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "social.png").write_bytes(b"\x89PNG social")
    for svc in doc["services"]:
        if svc["organization"]["name"].startswith("Qendra"):
            svc["organization"]["logo"] = "logos/social.png"
    src = tmp_path / "src.json"
    src.write_bytes(feedmod.dumps(doc))
    out = tmp_path / "www"
    assert main(["build", "--from", str(src), "--out", str(out), "--key", str(secret)]) == 0
    sha = hashlib.sha256(b"\x89PNG social").hexdigest()
    assert (out / "assets" / sha).read_bytes() == b"\x89PNG social"
    built = json.loads((out / "feed.json").read_bytes())
    logos = {s["organization"].get("logo") for s in built["services"]}
    assert f"assets/{sha}" in logos
    assert main(["verify", str(out), "--pubkey", str(public)]) == 0


def test_published_directory_feeds_a_kiosk(tmp_path, keys, source):
    """The output of build, served by a plain static server, is what a kiosk syncs from."""
    secret, public = keys
    out = tmp_path / "www"
    main(["build", "--from", str(source), "--out", str(out), "--key", str(secret), "--version", "5"])
    server = FeedServer(out).start()
    pub_b64 = signing.load_public_key(public).b64
    k = make_kiosk(tmp_path, server.url + "feed.json", [pub_b64])
    try:
        result = k.service.run_sync()
        assert result.outcome == "updated" and result.version == 5
        assert k.catalogue.info().version == 5 and k.catalogue.info().service_count == 6
    finally:
        k.catalogue.dispose()
        server.stop()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_build_from_csv_datapackage_and_spreadsheet(tmp_path, keys, kind, capsys):
    secret, public = keys
    doc = clean_feed(1)
    if kind == "csv":
        src = sources.write_datapackage(doc, tmp_path / "package")
    else:
        src = sources.write_template(tmp_path / "catalogue.xlsx", doc)
    out = tmp_path / "www"
    assert main(["build", "--from", str(src), "--out", str(out), "--key", str(secret)]) == 0, capsys.readouterr()
    assert main(["verify", str(out), "--pubkey", str(public)]) == 0
    built = json.loads((out / "feed.json").read_bytes())
    assert len(built["services"]) == 6
    assert {s["name"] for s in built["services"]} == {s["name"] for s in doc["services"]}


def test_template_and_export_commands(tmp_path, source, capsys):
    assert main(["template", str(tmp_path / "blank.xlsx")]) == 0
    assert main(["template", str(tmp_path / "filled.xlsx"), "--from", str(source)]) == 0
    assert main(["export-csv", str(source), str(tmp_path / "csv")]) == 0
    assert (tmp_path / "csv" / "datapackage.json").is_file()
    blank = sources.read_template(tmp_path / "blank.xlsx")
    assert blank.services == [] and blank.taxonomy_terms == []


@pytest.mark.parametrize("content", ["[]", '{"contents": []}', '{"services": []}'])
def test_an_empty_catalogue_is_an_error_in_check_and_build(tmp_path, keys, capsys, content):
    """Review item 1: zero services fails `check` and is never signed (both languages)."""
    secret, _ = keys
    src = tmp_path / "empty.json"
    src.write_text(content)
    assert main(["check", str(src), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "error: services: the catalogue has no services" in out and "1 errors" in out
    assert main(["check", str(src), "--lang", "sq"]) == 1
    assert "gabim: services: katalogu nuk ka asnjë shërbim" in capsys.readouterr().out
    assert main(["build", "--from", str(src), "--out", str(tmp_path / "www"), "--key", str(secret),
                 "--lang", "en"]) == 1
    assert "no services" in capsys.readouterr().err
    assert not (tmp_path / "www" / "feed.json").exists()


def test_check_escapes_control_and_bidi_characters_in_its_report(tmp_path, capsys):
    """Review item 6: a name holding terminal escapes or U+202E is shown, never obeyed."""
    doc = clean_feed(1)
    doc["services"][0]["name"] = "Ndihm\x1b[2J\x1b]0;owned\x07a"
    doc["services"][1]["name"] = "Ndihmë \u202eelbasan.exe\u202c"
    doc["services"][1]["x_bad\u202ekey"] = "x"
    src = tmp_path / "hostile.json"
    src.write_bytes(feedmod.dumps(doc))
    for lang in ("en", "sq"):
        assert main(["check", str(src), "--lang", lang]) == 1
        out = capsys.readouterr().out
        assert not any(ch in out for ch in "\x1b\x07\u202e\u202c"), repr(out)
        assert "«Ndihm\\x1b[2J\\x1b]0;owned\\x07a»" in out
        assert "«Ndihmë \\u202eelbasan.exe\\u202c»" in out and "x_bad\\u202ekey" in out

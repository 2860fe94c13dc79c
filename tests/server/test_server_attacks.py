"""The attacks of issue 12, each reproduced as it was made against a real server, and what the
server does now; then a fuzz of every route for 500s."""
from __future__ import annotations

import copy
import hashlib
import json
import shutil
import stat

from formlib import post_form
from serverkit import SAMPLE, form_of
from sqlalchemy import select

from sync.server.models import Organization
from test_server_import import upload

ORG_ID = "090bc249-37cb-5329-99fb-569a0ac0ee91"


def publish(client) -> None:
    _html, token = form_of(client, "/admin/publish")
    response = client.post("/admin/publish", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303


def secret_files(server) -> dict:
    config = server.state.config
    files = [config.session_secret_file, config.signing_key_file, config.database]
    return {path: path.read_bytes() for path in files}


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

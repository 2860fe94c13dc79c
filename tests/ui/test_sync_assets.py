"""What the sync brings to the screens: a category icon and an organization logo downloaded from a
feed server on 127.0.0.1 (with the bundled icon whenever the file is missing or damaged), and the
home screen's discreet line about old information."""
from __future__ import annotations

import copy
import hashlib
import io
import sys
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

pytestmark = pytest.mark.ui

RED, GREEN = (220, 20, 20), (20, 160, 60)


def png(colour, size=(64, 64)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "PNG")
    return buf.getvalue()


def home_tile(ui, name):
    from kiosk.ui.home import HomeTile

    tiles = [t for t in ui.screen.ids.grid.children if isinstance(t, HomeTile) and t.name == name]
    assert tiles, f"no tile {name!r}"
    return tiles[0]


def centre_pixel(widget, inside, tmp_path) -> tuple[int, int, int]:
    """The colour drawn at the centre of ``inside`` in a picture of ``widget`` and its children."""
    from PIL import Image

    out = tmp_path / "widget.png"
    widget.export_to_png(str(out))
    cx, cy = inside.to_window(*inside.center)
    wx, wy = widget.to_window(widget.x, widget.y)
    with Image.open(out) as image:
        return image.convert("RGB").getpixel((int(cx - wx), image.height - 1 - int(cy - wy)))


def near(colour, expected, tolerance=30) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected))


@pytest.fixture
def synced(ui, tmp_path, monkeypatch):
    """The UI kiosk wired to a feed server on 127.0.0.1 whose version 2 has a published icon for
    "Children and family" and a logo for the Municipal Social Centre; put back afterwards."""
    from factories import make_feed, uid
    from synclib import FeedServer, Publisher, clean_feed, kiosk_config

    from kiosk.ui.threads import on_main
    from kiosk.updates import Updates

    app = ui.app
    catalogue = app.reads.catalogue
    publisher = Publisher(tmp_path / "www")
    server = FeedServer(publisher.root).start()
    icon, logo = png(RED), png(GREEN, (160, 80))
    icon_sha, logo_sha = (hashlib.sha256(x).hexdigest() for x in (icon, logo))
    doc = copy.deepcopy(clean_feed(2))
    for term in doc["taxonomy_terms"]:
        if term["id"] == uid("cat:children"):
            term.update(x_icon_url=f"assets/{icon_sha}", x_icon_sha256=icon_sha)
    for svc in doc["services"]:
        if svc["organization"]["id"] == uid("org:social"):
            svc["organization"].update(logo=f"assets/{logo_sha}", x_logo_sha256=logo_sha)
    publisher.publish(doc, assets={icon_sha: icon, logo_sha: logo})
    config = kiosk_config(tmp_path, server.url + "feed.json", [publisher.public_b64])
    config.kiosk.data_dir.mkdir(parents=True)
    # the pieces kiosk.bootstrap makes for a kiosk with a feed URL, in place of the test kiosk's
    sync = Updates(config, catalogue, deferred=True, on_pending=on_main(app.catalogue_waiting))
    monkeypatch.setattr(app, "updates", sync)
    monkeypatch.setattr(app.reads, "asset_path", sync.asset_path)
    monkeypatch.setattr(app.reads, "sync_status", sync.status)
    app.reads.pictures.clear()
    try:
        yield SimpleNamespace(sync=sync, icon_sha=icon_sha, logo_sha=logo_sha, uid=uid)
    finally:
        sync.stop(timeout=2)
        server.stop()
        catalogue.load(make_feed(), source="tests/factories.py")
        app.reads.pictures.clear()
        ui.go_welcome()


def test_home_tile_and_organization_show_the_downloaded_pictures(ui, synced, tmp_path):
    from kiosk.ui.picture import AssetPicture
    from kiosk.ui.widgets import Icon

    app = ui.app
    result = synced.sync.run_sync()
    assert result.outcome == "updated" and result.assets_downloaded == 2
    assert synced.sync.asset_path(synced.icon_sha).read_bytes()[:4] == b"\x89PNG"
    # verified and staged; applied at once because the kiosk idles on its welcome screen
    ui.wait_until(lambda: app.reads.catalogue.info().version == 2, what="the new catalogue")
    ui.settle()
    ui.tap(ui.button("English"))
    tile = home_tile(ui, "Children and family")
    assert tile.picture_sha256 == synced.icon_sha
    picture = ui.find(tile, cls=AssetPicture)
    assert picture.sha256 == synced.icon_sha and not picture.glyph
    icon = [w for w in tile.walk(restrict=True) if isinstance(w, Icon)][0]
    assert icon.opacity == 0
    assert near(centre_pixel(tile, picture, tmp_path), RED)
    # a tile without a published icon keeps its bundled one
    housing = home_tile(ui, "Housing")
    assert housing.picture_sha256 == "" and not ui.find_all(housing, cls=AssetPicture)

    app.go("organization", {"org_id": synced.uid("org:social")})
    ui.settle()
    logos = ui.find_all(ui.screen, cls=AssetPicture, visible=False)
    assert [p.sha256 for p in logos] == [synced.logo_sha]
    assert near(centre_pixel(logos[0], logos[0], tmp_path), GREEN)


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_missing_or_damaged_icon_falls_back_to_the_bundled_one(ui, synced, damage):
    """(A file whose hash matches but which does not decode: tests/test_images.py.)"""
    from kiosk.ui.picture import AssetPicture
    from kiosk.ui.widgets import Icon

    app = ui.app
    assert synced.sync.run_sync().ok
    ui.wait_until(lambda: app.reads.catalogue.info().version == 2, what="the new catalogue")
    path = synced.sync.asset_path(synced.icon_sha)
    if damage == "missing":
        path.unlink()
    else:
        path.write_bytes(path.read_bytes()[:100])     # cut short on disk: the hash no longer matches
    app.reads.pictures.clear()
    ui.settle()
    ui.tap(ui.button("English"))
    tile = home_tile(ui, "Children and family")
    assert tile.picture_sha256 == ""
    assert not ui.find_all(tile, cls=AssetPicture, visible=False)
    icon = [w for w in tile.walk(restrict=True) if isinstance(w, Icon)][0]
    assert icon.opacity == 1 and icon.file.endswith("children.png")
    assert not ui.screen.failed


def test_home_says_since_when_old_information_dates(ui):
    from kiosk.ui.home import information_date_text

    app = ui.app
    since = datetime(2026, 11, 12, 9, 30, tzinfo=timezone.utc)
    status = {"value": SimpleNamespace(stale=True, stale_since=since)}
    app.reads.sync_status = lambda: status["value"]
    try:
        ui.tap(ui.button("Shqip"))
        line = ui.screen.ids.information_date
        assert line.text == ("Informacioni këtu është i datës 12 nëntor 2026. "
                             "Disa të dhëna mund të kenë ndryshuar që atëherë.")
        assert ui.is_visible(line)
        ui.tap(ui.bar.ids.language)   # to English, staying on the home screen
        assert app.lang == "en"
        assert line.text.startswith("The information here dates from November 12, 2026.")
        # current again: the line goes away on the next visit
        status["value"] = SimpleNamespace(stale=False, stale_since=None)
        ui.go_welcome()
        ui.tap(ui.button("English"))
        line = ui.screen.ids.information_date
        assert line.text == "" and line.height == 0 and line.opacity == 0
    finally:
        app.reads.sync_status = None
    assert information_date_text(None, "sq") == ""

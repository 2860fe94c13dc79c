"""Icons drawn from textures made at the size they are shown (kiosk/ui/icons.py)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui


def _shown_icons(ui):
    from kiosk.ui.widgets import IconImage

    return [w for w in ui.find_all(cls=IconImage) if w.file and w.opacity > 0]


def test_the_ladder_is_fine_enough_that_no_icon_is_drawn_much_smaller_than_its_texture():
    from kiosk.ui.icons import LADDER, step

    assert list(LADDER) == sorted(set(LADDER))
    assert all(b / a <= 1.2 for a, b in zip(LADDER, LADDER[1:]))
    assert LADDER[-1] == 256                    # the icons' own size: never made larger than the file
    for px in (1, 12, 12.5, 27.2, 28, 29, 100, 255.5):
        assert step(px) >= px and step(px) <= max(12, px * 1.2)
    assert step(300) == 256


def test_a_shrunk_icon_keeps_its_white_edges(ui):
    """Shrinking on premultiplied pixels: the half-transparent edge pixels stay white, not grey."""
    from kiosk.ui import icons
    from kiosk.ui.theme import icon_path

    texture = icons._make(icon_path("children"), 40)
    assert max(texture.size) == 40 and not texture.mipmap
    pixels = texture.pixels
    edge = [pixels[i:i + 4] for i in range(0, len(pixels), 4) if 40 <= pixels[i + 3] <= 215]
    assert len(edge) > 20, "an icon at 40 px has anti-aliased edges"
    assert min(min(p[:3]) for p in edge) >= 245


def test_an_icon_saved_with_a_palette_or_in_grey_is_drawn_the_same(ui, tmp_path):
    """PNG optimisers save icons as palette or grey-and-alpha pictures; Pillow premultiplies
    only RGB(A) ones."""
    from PIL import Image

    from kiosk.ui import icons
    from kiosk.ui.theme import icon_path

    original = Image.open(icon_path("children")).convert("RGBA")
    reference = icons._make(icon_path("children"), 40).pixels
    for mode in ("P", "LA"):
        path = tmp_path / f"children-{mode}.png"
        (original.convert("LA") if mode == "LA" else original.quantize(64)).save(path)
        texture = icons._make(str(path), 40)
        assert texture.size == (40, 40)
        alpha = bytes(texture.pixels[3::4])
        assert sum(a > 128 for a in alpha) == pytest.approx(sum(a > 128 for a in reference[3::4]), rel=0.1)


def test_every_icon_on_screen_has_a_texture_for_its_size(ui):
    from kiosk.ui.icons import step

    def check(name: str) -> None:
        shown = _shown_icons(ui)
        assert shown or name == "category", name
        for icon in shown:
            side = min(icon.size)
            assert icon.texture is not None, (name, icon.file)
            assert not icon.texture.mipmap
            assert max(icon.texture.size) == step(side), (name, icon.file, icon.size, icon.texture.size)
            # drawn at its own pixels or up to a sixth smaller: as sharp as mipmapping would be
            if 12 <= side <= 256:
                ratio = max(icon.texture.size) / max(icon.norm_image_size)
                assert 1.0 <= ratio <= 1.2 + 1e-6, (name, icon.file, icon.size, ratio)

    ui.settle()
    check("welcome")
    for name in ui.visit("home", "category", "service", "organization", "search"):
        check(name)


def test_one_texture_per_icon_and_size_and_a_new_one_when_the_size_changes(ui):
    from kiosk.ui.theme import theme

    app = ui.app
    list(ui.visit("service"))
    tiles = [w for w in _shown_icons(ui) if w.parent is not None and w.file.endswith(".png")]
    by_key: dict = {}
    for icon in tiles:
        by_key.setdefault((icon.file, tuple(icon.texture.size)), set()).add(id(icon.texture))
    assert all(len(ids) == 1 for ids in by_key.values()), by_key

    before = {id(icon): (icon.texture, min(icon.size)) for icon in tiles}
    bar = ui.bar.ids
    ui.tap(bar.text_size.ids.size2, settle=False)
    try:
        ui.settle()
        assert theme.scale == 1.5
        grown = [icon for icon in _shown_icons(ui) if id(icon) in before
                 and min(icon.size) > before[id(icon)][1] * 1.25]
        assert grown, "the largest text size makes the section and info icons larger"
        for icon in grown:
            assert icon.texture is not before[id(icon)][0]
            assert max(icon.texture.size) >= min(icon.size)
    finally:
        ui.tap(bar.text_size.ids.size0, settle=False)
        ui.settle()
    assert app.sm.current == "service"


def test_a_nameless_or_unsized_icon_makes_no_texture(ui):
    from kiosk.ui.widgets import IconImage

    icon = IconImage(size_hint=(None, None), size=(0, 0))
    icon.name = "children"
    ui.pump(2)
    assert icon.file.endswith("children.png") and icon.opacity == 1
    assert icon.texture is None                 # nothing to draw at 0 x 0
    icon.size = (48, 48)
    ui.pump(2)
    assert icon.texture is not None and max(icon.texture.size) == 48
    icon.name = ""
    assert icon.file == "" and icon.opacity == 0 and icon.texture is None


def test_an_unreadable_icon_file_is_left_blank_and_logged_once(ui, tmp_path, caplog):
    """A damaged file under assets/icons must not stop the kiosk's clock (it raised there)."""
    import logging

    from kiosk.ui import icons
    from kiosk.ui.widgets import IconImage

    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a picture" * 10)
    caplog.set_level(logging.ERROR, logger="kiosk.ui.icons")
    try:
        assert icons.icon_texture(str(broken), 40) is None
        assert icons.icon_texture(str(broken), 80) is None
        assert len([r for r in caplog.records if "broken.png" in r.getMessage()]) == 1
        icon = IconImage(size_hint=(None, None), size=(48, 48))
        icon.file = str(broken)
        icons.repick(icon)
        ui.pump(2)                                   # the shared trigger ran and did not raise
        assert icon.texture is None and icon.opacity == 0
    finally:
        icons.forget()

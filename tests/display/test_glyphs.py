"""Characters the UI font lacks: handed to the fallback font, or removed with the rest kept."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("fontTools")

from kiosk.glyphs import SYMBOLA, Glyphs, cmap, escape_markup  # noqa: E402

KIVY_FONTS = Path(importlib.util.find_spec("kivy").origin).parent / "data" / "fonts"
ROBOTO = KIVY_FONTS / "Roboto-Regular.ttf"
BABY = "\U0001F476"


def test_roboto_lacks_emoji_but_has_albanian():
    points = cmap(str(ROBOTO))
    assert all(ord(c) in points for c in "ÇçËë Bashkia Elbasan")
    assert ord(BABY) not in points


def test_without_a_fallback_the_emoji_is_removed_and_the_name_kept():
    glyphs = Glyphs(ROBOTO)
    assert glyphs.missing(f"Çerdhe {BABY}") == {BABY}
    assert glyphs.clean(f"Çerdhe {BABY}") == "Çerdhe"
    assert glyphs.clean(f"Nënë {BABY} dhe fëmijë") == "Nënë dhe fëmijë"
    assert glyphs.markup(f"Çerdhe {BABY} [A&B]") == "Çerdhe &bl;A&amp;B&br;"


@pytest.mark.skipif(not SYMBOLA.is_file(), reason="needs fonts-symbola")
def test_symbola_draws_the_emoji_in_its_own_run():
    glyphs = Glyphs(ROBOTO, [SYMBOLA])
    assert glyphs.missing(f"Çerdhe {BABY}") == set()
    assert glyphs.runs(f"Çerdhe {BABY}\uFE0F!") == [(0, "Çerdhe "), (1, BABY), (0, "!")]
    assert glyphs.markup(f"Çerdhe {BABY}") == f"Çerdhe [font={SYMBOLA}]{BABY}[/font]"
    # a family emoji is joined with ZWJ: each person is drawn, the joiners dropped
    family = "\U0001F468\u200D\U0001F469\u200D\U0001F467"
    assert glyphs.runs(family) == [(1, "\U0001F468\U0001F469\U0001F467")]
    # a script neither font has (Ol Chiki) is removed, the rest kept
    assert glyphs.clean("Qendra \u1C5A\u1C5B") == "Qendra"


def test_escape_matches_kivy():
    from kivy.utils import escape_markup as kivy_escape

    text = "a [b] & c"
    assert escape_markup(text) == kivy_escape(text)


def test_character_maps_are_kept_and_read_back_only_for_the_same_font_file(tmp_path, monkeypatch):
    import kiosk.glyphs as glyphs

    font = tmp_path / "Roboto.ttf"
    font.write_bytes(ROBOTO.read_bytes())
    read = []
    real = glyphs._read_cmap
    monkeypatch.setattr(glyphs, "_read_cmap", lambda f: read.append(f) or real(f))
    glyphs.use_cache(tmp_path / "cache")
    try:
        first = cmap(str(font))
        assert read == [str(font)] and len(list((tmp_path / "cache").glob("cmap-*.json"))) == 1
        glyphs.use_cache(tmp_path / "cache")          # a new start: nothing in memory
        assert cmap(str(font)) == first and read == [str(font)]      # from the file, same points
        # another font at the same path (an upgrade): read again, not the old map
        font.write_bytes((KIVY_FONTS / "RobotoMono-Regular.ttf").read_bytes())
        glyphs.use_cache(tmp_path / "cache")
        assert cmap(str(font)) != first and len(read) == 2
        # a damaged cache file is read past
        kept = next((tmp_path / "cache").glob("cmap-*.json"))
        kept.write_text("{not json")
        glyphs.use_cache(tmp_path / "cache")
        assert cmap(str(font)) and len(read) == 3 and kept.read_text().startswith("{\"font\"")
    finally:
        glyphs.use_cache(None)

"""Downloaded icons and logos are decoded safely: PNG and JPEG only, bounded, checked by hash."""
from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from kiosk import images


def encode(image: Image.Image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt)
    return buf.getvalue()


def stored(tmp_path, data: bytes):
    sha = hashlib.sha256(data).hexdigest()
    path = tmp_path / sha
    path.write_bytes(data)
    return path, sha


@pytest.fixture
def pictures():
    return images.Pictures()


def test_colour_png_rows_come_bottom_up(pictures, tmp_path):
    image = Image.new("RGB", (40, 20), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 40, 10))          # top half red, bottom half blue
    path, sha = stored(tmp_path, encode(image))
    picture = pictures.load(path, sha)
    assert (picture.width, picture.height, picture.glyph, picture.sha256) == (40, 20, False, sha)
    assert len(picture.rgba) == 40 * 20 * 4
    assert picture.rgba[:4] == bytes((0, 0, 255, 255))     # first row: the bottom one
    assert picture.rgba[-4:] == bytes((255, 0, 0, 255))
    assert pictures.load(path, sha) is picture        # cached by hash


def test_one_colour_shape_on_transparency_is_a_glyph_made_white(pictures, tmp_path):
    image = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    image.paste((20, 20, 20, 255), (8, 8, 24, 24))
    path, sha = stored(tmp_path, encode(image))
    picture = pictures.load(path, sha)
    assert picture.glyph
    pixels = {picture.rgba[i:i + 4] for i in range(0, len(picture.rgba), 4)}
    assert pixels == {bytes((255, 255, 255, 0)), bytes((255, 255, 255, 255))}


def test_large_pictures_are_shrunk_for_the_screen(pictures, tmp_path):
    path, sha = stored(tmp_path, encode(Image.new("RGB", (1200, 600), (10, 200, 10)), "JPEG"))
    picture = pictures.load(path, sha)
    assert max(picture.width, picture.height) <= images.DISPLAY_SIDE and not picture.glyph


@pytest.mark.parametrize("make", [
    lambda: encode(Image.new("RGB", (8, 8)), "GIF"),               # not PNG or JPEG
    lambda: encode(Image.new("RGB", (8, 8)), "BMP"),
    lambda: b"\x89PNG icon",                                       # not an image at all
    lambda: encode(Image.new("RGB", (64, 64), (1, 2, 3)))[:60],    # truncated
    lambda: encode(Image.new("L", (images.MAX_SIDE + 1, 4))),      # too wide
    lambda: encode(Image.new("L", (2100, 2100))),                  # too many pixels
    lambda: b"<svg xmlns='http://www.w3.org/2000/svg'/>",
])
def test_refused_files_give_none(pictures, tmp_path, make):
    path, sha = stored(tmp_path, make())
    assert pictures.load(path, sha) is None


def test_hash_mismatch_missing_and_oversized_files_give_none(pictures, tmp_path):
    data = encode(Image.new("RGB", (8, 8), (255, 0, 0)))
    path, sha = stored(tmp_path, data)
    path.write_bytes(data + b"damage")                             # changed on disk
    assert pictures.load(path, sha) is None
    assert pictures.load(tmp_path / ("0" * 64), "0" * 64) is None
    assert pictures.load(None, sha) is None
    big = data + b"\0" * images.MAX_FILE_BYTES
    path, sha = stored(tmp_path, big)
    assert pictures.load(path, sha) is None


def test_a_decompression_bomb_is_refused_before_decoding(pictures, tmp_path, monkeypatch):
    """The header's dimensions are checked before a single pixel is decoded."""
    data = encode(Image.new("L", (3000, 3000)))
    from PIL import ImageFile

    loaded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: loaded.append(self))
    with pytest.raises(images.PictureError):
        images.decode(data)
    assert loaded == []

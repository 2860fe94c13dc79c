"""Downloaded category icons and organization logos, decoded safely for the screens. No Kivy here.

Icons and logos travel in the feed by URL and SHA-256; the sync keeps them content-addressed as
``<data_dir>/assets/<sha256>``, written only after the hash matched (see :mod:`sync.client`).
Before a screen shows one, :meth:`Pictures.load`:

* reads at most :data:`MAX_FILE_BYTES` and checks the SHA-256 again, so a file damaged on disk is
  refused;
* lets Pillow open PNG and JPEG only, and refuses an image whose header declares more than
  :data:`MAX_SIDE` pixels a side or :data:`MAX_PIXELS` in all, before a pixel is decoded;
* decodes it, shrinks it to at most ``max_side`` pixels a side, and hands back RGBA bytes with the
  bottom row first, ready for a texture.

Whatever goes wrong gives ``None`` (and a log line), and the screen shows the bundled icon named
in the feed instead. A picture that is one flat colour on a transparent background (like the
bundled icons) is marked ``glyph``: it is turned white, so the screen can tint it in the theme's
colours (high contrast included). Decoded pictures are cached, keyed by their hash.
"""
from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from kiosk.lru import Lru

log = logging.getLogger(__name__)

FORMATS = ("PNG", "JPEG")
MAX_FILE_BYTES = 4 * 1024 * 1024    # the sync's own cap on one asset
MAX_SIDE = 4096                     # pixels a side, as declared by the file's header
MAX_PIXELS = 2048 * 2048            # pixels in all
DISPLAY_SIDE = 256                  # what the screens need (a 120 dp logo on a dense screen)
GLYPH_SPREAD = 48                   # colour channels within this range: a one-colour glyph
CACHE_SIZE = 64


@dataclass(frozen=True)
class Picture:
    """Decoded pixels: ``width * height * 4`` RGBA bytes, bottom row first (Kivy's order)."""

    sha256: str
    width: int
    height: int
    rgba: bytes
    glyph: bool = False


class PictureError(ValueError):
    """A file that must not be shown (wrong format, too large, damaged)."""


def decode(data: bytes, max_side: int = DISPLAY_SIDE) -> tuple[int, int, bytes, bool]:
    """(width, height, RGBA bottom row first, glyph) of a PNG or JPEG; raises PictureError."""
    from PIL import Image, ImageStat

    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            width, height = image.size
            if (width < 1 or height < 1 or width > MAX_SIDE or height > MAX_SIDE
                    or width * height > MAX_PIXELS):
                raise PictureError(f"{width}x{height} pixels is too large")
            if image.format == "JPEG":
                image.draft("RGB", (max_side, max_side))  # decode at a reduced scale
            image.load()
            picture = image.convert("RGBA")
    except PictureError:
        raise
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for a bad file
        raise PictureError(f"{type(exc).__name__}: {exc}") from exc
    picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    alpha = picture.getchannel("A")
    low, high = alpha.getextrema()
    glyph = False
    if low < 128 <= high:  # transparent and opaque parts: maybe a one-colour glyph
        mask = alpha.point(lambda a: 255 if a >= 64 else 0)
        extrema = ImageStat.Stat(picture.convert("RGB"), mask).extrema
        glyph = all(hi - lo <= GLYPH_SPREAD for lo, hi in extrema)
    if glyph:
        white = Image.new("L", picture.size, 255)
        picture = Image.merge("RGBA", (white, white, white, alpha))
    picture = picture.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    return picture.width, picture.height, picture.tobytes(), glyph


class Pictures:
    """Decoded pictures, kept by hash (the read facade holds the kiosk's one set)."""

    def __init__(self, size: int = CACHE_SIZE):
        self._kept: Lru[Picture] = Lru(size)

    def load(self, path: Optional[Path], sha256: str, max_side: int = DISPLAY_SIDE) -> Optional[Picture]:
        """The picture in ``path`` if it is a sound PNG or JPEG whose SHA-256 is ``sha256``, else None.

        Blocking (file and decoding): call it from a worker thread.
        """
        if path is None or not sha256 or not Path(path).is_file():
            return None  # not downloaded (yet), or removed
        key = (sha256, max_side)
        picture = self._kept.get(key)
        if picture is None:
            picture = _read_picture(Path(path), sha256, max_side)   # a refusal is not kept
            if picture is not None:
                self._kept.put(key, picture)
        return picture

    def clear(self) -> None:
        self._kept.clear()


def _read_picture(path: Path, sha256: str, max_side: int) -> Optional[Picture]:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_FILE_BYTES:
        log.warning("picture %s refused: over %d bytes", path, MAX_FILE_BYTES)
        return None
    if hashlib.sha256(data).hexdigest() != sha256:
        log.warning("picture %s refused: its content does not match its SHA-256", path)
        return None
    try:
        width, height, rgba, glyph = decode(data, max_side)
    except PictureError as exc:
        log.warning("picture %s refused: %s", path, exc)
        return None
    return Picture(sha256, width, height, rgba, glyph)

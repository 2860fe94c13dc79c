"""The bundled icons, each drawn from a texture made at the size it is shown.

The icons in ``assets/icons`` are 256-pixel PNGs, white on transparent, shown at 28 to about 100
pixels. Kivy's way (``Image(source=..., mipmap=True)``) uploads every icon whole and has OpenGL
build its mipmaps: under Mesa's llvmpipe, where the kiosk runs without a GPU, the first
mipmapped texture of the process costs about 50 ms (before the welcome screen can be drawn) and
each one after it 2 ms, and each icon keeps 350 kB of texture and 260 kB of decoded pixels.

Here Pillow shrinks the icon once, with Lanczos filtering on premultiplied alpha (so the
transparent pixels' colour does not darken the edges), to the step of :data:`LADDER` at or just
above the size it is drawn at; that small texture is drawn with linear filtering, at most a
sixth smaller than its own pixels, so it stays as sharp as a mipmap would draw it. A texture is
kept per (file, step): the same icon at the same size on every page is one texture.
"""
from __future__ import annotations

import logging
import math
import weakref
from typing import Optional

from kivy.clock import Clock
from kivy.graphics.texture import Texture

from kiosk.lru import Lru

log = logging.getLogger(__name__)

#: the sizes (pixels a side) icon textures are made at; each step at most 1.2x the one before
LADDER = (12, 14, 16, 18, 20, 24, 28, 32, 36, 40, 44, 48, 54, 60, 66, 72, 80, 88, 96, 106, 116, 128,
          144, 160, 176, 192, 212, 232, 256)
#: textures kept: about 40 icons at two or three sizes each (a text-size change adds a set)
_textures: Lru[Texture] = Lru(320)
#: icon files that could not be read, so each is logged once
_unreadable: set[str] = set()


def step(px: float) -> int:
    """The size of :data:`LADDER` an icon drawn ``px`` pixels wide is made at."""
    for size in LADDER:
        if size >= px:
            return size
    return LADDER[-1]


def icon_texture(path: str, px: float) -> Optional[Texture]:
    """The texture of the icon file ``path`` for drawing ``px`` pixels a side, or None when the
    file cannot be read as a picture (logged once; the icon is left blank). Main thread only."""
    size = step(px)
    key = (path, size)
    if path in _unreadable:
        return None
    try:
        return _textures.get_or_make(key, lambda: _make(path, size))
    except (OSError, ValueError) as error:       # PIL's UnidentifiedImageError is an OSError
        _unreadable.add(path)
        log.error("icon %s cannot be drawn (%s); it is left blank", path, error)
        return None


def _make(path: str, size: int) -> Texture:
    from PIL import Image

    with Image.open(path) as image:
        # premultiplied (see the module's docstring), from any mode: Pillow makes RGBa only from RGB(A)
        image = image.convert("RGBA").convert("RGBa")
    scale = min(size / image.width, size / image.height)
    if scale < 1:
        image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                             Image.Resampling.LANCZOS)
    image = image.convert("RGBA").transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    texture = Texture.create(size=image.size, colorfmt="rgba")
    texture.blit_buffer(image.tobytes(), colorfmt="rgba", bufferfmt="ubyte")
    return texture


# Icons whose texture must be picked again (a new name or size). A widget's size settles over
# several layout passes of one frame; one shared trigger, run before the frame is drawn, picks
# the texture once for the size it settled at.
_pending: "weakref.WeakSet" = weakref.WeakSet()


def _pick_all(_dt=None) -> None:
    while _pending:
        icon = _pending.pop()
        icon.pick_texture()


_trigger = Clock.create_trigger(_pick_all, -1)


def repick(icon) -> None:
    """Pick ``icon``'s texture (``icon.pick_texture()``) before the next frame is drawn."""
    _pending.add(icon)
    _trigger()


def drawn_px(width: float, height: float) -> Optional[int]:
    """The pixels a side a square icon in a ``width`` x ``height`` box is drawn at (None: not drawn)."""
    side = min(width, height)
    return math.ceil(side) if side >= 2 else None


def forget() -> None:
    """Drop the kept textures and what was found unreadable (tests)."""
    _textures.clear()
    _unreadable.clear()

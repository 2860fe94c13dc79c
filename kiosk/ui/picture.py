"""A downloaded icon or logo on screen (see :mod:`kiosk.images`, which decodes and checks it).

The pixels are decoded off the main thread by Pillow; here they only become a texture, so Kivy's
own image loaders never read a downloaded file. A ``glyph`` (one flat colour on a transparent
background, like the bundled icons) is tinted with a theme tone and follows the high-contrast
switch; any other picture keeps its own colours.
"""
from __future__ import annotations

from kivy.graphics.texture import Texture
from kivy.properties import BooleanProperty, StringProperty

from kiosk.images import Picture
from kiosk.ui.theme import theme
from kiosk.ui.widgets import FlatImage

WHITE = (1, 1, 1, 1)


def picture_texture(picture: Picture) -> Texture:
    """A texture of ``picture`` (its rows are already bottom-up). Main thread only."""
    texture = Texture.create(size=(picture.width, picture.height), colorfmt="rgba")
    texture.blit_buffer(picture.rgba, colorfmt="rgba", bufferfmt="ubyte")
    return texture


class AssetPicture(FlatImage):
    """A :class:`~kiosk.images.Picture`, fitted into the widget's box."""

    sha256 = StringProperty("")
    glyph = BooleanProperty(False)
    tone = StringProperty("accent_text")   # a glyph's colour (see Theme.colour_of)

    def __init__(self, picture: Picture, **kwargs):
        kwargs.setdefault("fit_mode", "contain")
        super().__init__(**kwargs)
        self.sha256 = picture.sha256
        self.glyph = picture.glyph
        self.texture = picture_texture(picture)
        theme.bind(palette_version=self._tint)  # a weak reference: the widget may go away
        self.bind(tone=self._tint)
        self._tint()

    def _tint(self, *_args) -> None:
        self.color = theme.colour_of(self.tone, theme.palette_version) if self.glyph else WHITE

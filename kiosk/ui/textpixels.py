"""A label's text pixels are kept once: in its texture.

Kivy's SDL2 text provider renders a label's text into an SDL surface of the label's size, copies
the pixels out of it for the texture, and then keeps the surface on the core label until the
text is rendered again (``LabelSDL2._render_begin`` replaces it; nothing else reads it; Kivy's
old pygame provider dropped its surface at once). Every label on every built screen thus holds a
second copy of its pixels, four bytes each, in C memory: measured on the kiosk at 10,000
services after home and the biggest category, 5 MB of a 249 MB peak at 1280x800 and 6 of 262 at
1920x1080 (large text makes more).

:func:`install` (once, when Kivy's window is made: :func:`kiosk.app.create_app`) makes the
provider let go of the surface as soon as the pixels are copied. What is drawn is the same: the
texture is made from the copy, and a new text renders into a new surface as before. With any
other text provider nothing changes.
"""
from __future__ import annotations

_installed = False


def install() -> bool:
    """Make the SDL2 text provider free each surface once its pixels are copied (once per
    process); False when Kivy renders text with another provider, which is left as it is."""
    global _installed
    if _installed:
        return True
    from kivy.core.text import Label as CoreLabel

    try:
        from kivy.core.text.text_sdl2 import LabelSDL2
    except ImportError:
        return False
    if not issubclass(CoreLabel, LabelSDL2):
        return False
    kivy_render_end = LabelSDL2._render_end

    def _render_end(self):
        try:
            return kivy_render_end(self)
        finally:
            self._surface = None

    _render_end.__doc__ = kivy_render_end.__doc__
    LabelSDL2._render_end = _render_end
    _installed = True
    return True


def holds_surface(core_label) -> bool:
    """Whether a core label still keeps the surface its text was rendered into."""
    return getattr(core_label, "_surface", None) is not None

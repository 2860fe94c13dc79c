"""Images fitted into their box draw without a stencil (kiosk.ui.widgets.FlatImage): checked on
the running kiosk's top bar and pages, and in pixels drawn off-screen by the real GL."""
import pytest
from kivy.core.window import Window
from kivy.graphics import StencilPop, StencilPush
from kivy.graphics.instructions import InstructionGroup
from kivy.graphics.texture import Texture
from kivy.uix.image import Image
from offscreen import drawn

from kiosk.ui.widgets import FlatImage, IconImage


def _outer_stencils(canvas) -> int:
    """How many stencils the canvas opens outside any other, in drawing order: each makes the GL
    clear the whole stencil buffer first."""
    level = outer = 0

    def walk(group):
        nonlocal level, outer
        for item in group.children:
            if isinstance(item, StencilPush):
                level += 1
                outer += level == 1
            elif isinstance(item, StencilPop):
                level -= 1
            elif isinstance(item, InstructionGroup):
                walk(item)

    walk(canvas)
    return outer


def _pushes(canvas) -> int:
    found = 0

    def walk(group):
        nonlocal found
        for item in group.children:
            found += isinstance(item, StencilPush)
            if isinstance(item, InstructionGroup):
                walk(item)

    walk(canvas)
    return found


def test_the_pages_open_one_stencil_a_frame_however_many_icons_they_show(ui):
    app = ui.app
    for name in ui.visit("home", "service", "search"):
        icons = [w for w in app.root.walk(restrict=True) if isinstance(w, IconImage) and w.texture]
        in_bar = set(app.top_bar.walk(restrict=True))
        assert len([w for w in icons if w in in_bar]) >= 5, "the bar shows its icons"
        assert len([w for w in icons if w not in in_bar]) > 0, f"the {name} screen shows icons"
        assert not [w for w in app.root.walk(restrict=True) if type(w) is Image], name
        assert all(_pushes(w.canvas) == 0 for w in icons)
        # the screen manager's stencil is the only one outside any other
        assert _outer_stencils(Window.canvas) == 1, name


def _square_of_two_colours() -> Texture:
    """A 4x2 texture: its left half red, its right half blue (rows from the bottom)."""
    red, blue = bytes((255, 0, 0, 255)), bytes((0, 0, 255, 255))
    texture = Texture.create(size=(4, 2), colorfmt="rgba")
    texture.mag_filter = texture.min_filter = "nearest"
    texture.blit_buffer((red * 2 + blue * 2) * 2, colorfmt="rgba", bufferfmt="ubyte")
    return texture


def _pixel(pixels: bytes, width: int, x: int, y: int) -> tuple:
    i = (y * width + x) * 4
    return tuple(pixels[i:i + 3])


def test_a_flat_image_is_drawn_whole_and_centred_in_its_box(ui):
    image = FlatImage(fit_mode="contain", size=(200, 200), pos=(0, 0))
    image.texture = _square_of_two_colours()
    ui.pump(1)
    assert _pushes(image.canvas) == 0
    pixels = drawn(image.canvas, 200, 200)
    # 4:2 in a square box: 200 x 100 in the middle, red on the left and blue on the right
    assert _pixel(pixels, 200, 10, 100) == (255, 0, 0)
    assert _pixel(pixels, 200, 190, 100) == (0, 0, 255)
    assert _pixel(pixels, 200, 100, 20) == (0, 0, 0)      # below the picture: nothing
    assert _pixel(pixels, 200, 100, 180) == (0, 0, 0)     # above it: nothing
    # where Kivy's own Image draws it
    kivy_image = Image(fit_mode="contain", size=(200, 200), pos=(0, 0))
    kivy_image.texture = image.texture
    ui.pump(1)
    assert drawn(kivy_image.canvas, 200, 200) == pixels


def test_a_flat_image_refuses_to_crop():
    with pytest.raises(ValueError, match="cover"):
        FlatImage(fit_mode="cover")

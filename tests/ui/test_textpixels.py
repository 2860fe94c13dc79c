"""A label's text pixels are kept once, in its texture (kiosk.ui.textpixels): checked on real
labels of the running kiosk and in pixels drawn off-screen by the real GL."""
from kivy.uix.label import Label
from offscreen import drawn

from kiosk.ui import textpixels


def _ink(label: Label) -> int:
    """How many pixels of the label's drawing are not the black background."""
    width, height = (int(v) for v in label.size)
    pixels = drawn(label.canvas, width, height)
    return sum(1 for i in range(0, len(pixels), 4) if max(pixels[i:i + 3]) > 64)


def _label(ui, text: str) -> Label:
    label = Label(text=text, font_size=40, color=(1, 1, 1, 1), size=(900, 80), pos=(0, 0))
    ui.pump(1)                            # the text renders and its rectangle takes its size
    return label


def test_the_kiosk_runs_with_the_provider_letting_go_of_its_surfaces(ui):
    assert textpixels.install()           # create_app installed it; a second call is the same
    labels = [w for w in ui.app.root.walk(restrict=True) if isinstance(w, Label) and w.text]
    assert labels, "the welcome screen has labels"
    assert not any(textpixels.holds_surface(w._label) for w in labels)


def test_a_label_keeps_no_surface_and_still_draws_its_text(ui):
    label = _label(ui, "Shërbime sociale")
    assert label.texture is not None and label.texture.size[0] > 100
    assert not textpixels.holds_surface(label._label)
    first = _ink(label)
    assert first > 200, "the text is drawn from the texture"

    label.text = "Ndihmë urgjente — shërbime sociale"   # a longer text renders anew, still inside
    ui.pump(1)
    assert not textpixels.holds_surface(label._label)
    assert _ink(label) > first

    label.text = ""
    ui.pump(1)
    assert _ink(label) == 0

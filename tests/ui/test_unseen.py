"""What the visitor cannot see costs no drawing (kiosk.ui.unseen), and the window's clear is the
screens' background (KioskApp.build): both checked in pixels drawn off-screen by the real GL."""
from kivy.graphics import Color, Rectangle
from kivy.uix.widget import Widget
from offscreen import drawn

from kiosk.ui import unseen

RED, BLUE, BLACK = (255, 0, 0), (0, 0, 255), (0, 0, 0)


def _square(widget: Widget, rgb, x: float) -> Widget:
    with widget.canvas:
        Color(*(c / 255 for c in rgb), 1)
        Rectangle(pos=(x, 0), size=(20, 20))
    return widget


def _scene():
    """A box holding a red square (its child), and after it a blue square beside it."""
    root, box = Widget(), Widget()
    box.add_widget(_square(Widget(), RED, 0))
    root.add_widget(box)
    root.add_widget(_square(Widget(), BLUE, 20))     # drawn after the box
    return root, box


def _drawn(root: Widget) -> dict:
    pixels = drawn(root.canvas, 40, 20)

    def at(x: int, y: int):
        i = (y * 40 + x) * 4
        return tuple(pixels[i:i + 3])

    return {"red square": at(10, 10), "blue square": at(30, 10)}


def test_a_concealed_box_draws_nothing_of_its_own_and_the_rest_still_draws(ui):
    root, box = _scene()
    assert _drawn(root) == {"red square": RED, "blue square": BLUE}
    unseen.conceal(box, True)          # even at full opacity: the scissor alone discards it
    assert unseen.concealed(box)
    assert _drawn(root) == {"red square": BLACK, "blue square": BLUE}
    unseen.conceal(box, True)          # twice is once
    unseen.conceal(box, False)
    assert not unseen.concealed(box)
    assert _drawn(root) == {"red square": RED, "blue square": BLUE}


def test_opacity_zero_conceals_and_any_opacity_above_it_draws_again(ui):
    root, box = _scene()
    box.opacity = 0
    assert unseen.concealed(box)
    assert _drawn(root) == {"red square": BLACK, "blue square": BLUE}
    box.opacity = 0.5                  # a fade on its way in is drawn from its first step
    assert not unseen.concealed(box)
    red, green, blue = _drawn(root)["red square"]
    assert 100 < red < 160 and green == 0 and blue == 0
    box.opacity = 1
    assert _drawn(root)["red square"] == RED
    # a widget made hidden (as a kv rule makes it) starts concealed
    hidden = Widget(opacity=0)
    assert unseen.concealed(hidden)


def test_the_speech_controls_are_drawn_only_while_speech_is_on(ui):
    app = ui.app
    app.start("sq")
    ui.settle()
    bar = app.top_bar.ids.speech_bar
    assert not app.speech.on and bar.opacity == 0 and unseen.concealed(bar)
    try:
        app.speech.turn_on()
        ui.pump(2)
        assert bar.opacity == 1 and not unseen.concealed(bar) and bar.height > 0
    finally:
        app.speech.turn_off()
    ui.pump(2)
    assert unseen.concealed(bar)


def test_the_window_is_cleared_to_the_screens_background(ui):
    from kivy.core.window import Window
    from kivy.graphics import Rectangle as Rect

    from kiosk.ui.theme import theme

    app = ui.app
    ui.wait_until(lambda: not app.sm.waiting, timeout=30, what="every screen built")
    assert list(Window.clearcolor) == list(theme.bg)
    # no screen paints that background again over the whole window
    for screen in app.sm.screens:
        for group in (screen.canvas.before, screen.canvas):
            whole = [i for i in group.children if isinstance(i, Rect) and tuple(i.size) == tuple(screen.size)]
            assert whole == [], screen.name
    app.toggle_contrast()
    try:
        assert list(Window.clearcolor) == list(theme.bg) == [0, 0, 0, 1]
    finally:
        app.toggle_contrast()
    assert list(Window.clearcolor) == list(theme.bg) != [0, 0, 0, 1]

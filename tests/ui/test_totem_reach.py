"""On a portrait totem (1080x1920), what a visitor touches sits where a hand reaches.

The review found everything at the top of a 43" totem: home's topics filled the top 40% of the
screen and left the rest empty, as hard to reach as the top bar, and on the search screen the
typed words sat about 60 cm above the on-screen keys. Here home's tiles end at the bottom of the
room above the foot, and the search's typed words sit just above the keys with the results
just above them, at the normal and the largest text. A landscape window keeps its layout.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui

TOTEM = (1080, 1920)


@pytest.fixture
def totem(ui):
    from kivy.core.window import Window

    size = tuple(Window.size)
    Window.size = TOTEM
    ui.settle()
    yield ui
    ui.app.set_text_scale(1.0)
    Window.size = size
    ui.settle()


def _rect(widget):
    from kiosk.ui.cliptest import window_rect

    return window_rect(widget)


def _reach_bottom(ui) -> float:
    """The lowest window y a screen's content may use: the top of the foot (urgent help and
    the quick exit at the bottom of a totem), else the window's bottom edge."""
    stage = ui.app.stage
    return _rect(stage.foot)[3] if stage.foot_shown else 0.0


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_home_tiles_end_at_the_bottom_of_the_reachable_room(totem, scale):
    from kiosk.ui.home import HomeTile
    from kiosk.ui.theme import theme

    ui = totem
    ui.tap(ui.button("English"))
    ui.app.set_text_scale(scale)
    ui.settle()
    screen = ui.screen
    assert screen.name == "home" and theme.portrait
    tiles = [w for w in screen.ids.grid.children if isinstance(w, HomeTile)]
    assert tiles
    lowest = min(_rect(t)[1] for t in tiles)
    bottom = _reach_bottom(ui) + screen.ids.information_date.height
    gap = lowest - bottom
    assert 0 <= gap <= theme.pad * 2 + 2, f"the lowest tile ends {gap:.0f} px above the foot"
    # and the tiles are all on view, the search bar above them
    assert all(ui.is_visible(t) for t in tiles)
    assert _rect(screen.ids.search)[1] > max(_rect(t)[3] for t in tiles)


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_search_typed_words_and_results_sit_just_above_the_keys(totem, scale):
    from kiosk.ui.theme import theme
    from kiosk.ui.widgets import ItemRow

    ui = totem
    ui.tap(ui.button("English"))
    ui.app.set_text_scale(scale)
    ui.settle()
    ui.app.open_search()
    ui.settle()
    screen = ui.screen
    assert not screen.landscape
    field, keyboard = screen.ids.field, screen.ids.keyboard
    near = theme.gap * 2 + 2

    def above_keys() -> float:
        return _rect(field)[1] - _rect(keyboard)[3]

    assert 0 <= above_keys() <= near, f"the typed words end {above_keys():.0f} px above the keys"
    for char in "nurs":
        ui.tap(keyboard.key_for(char), settle=False)
    ui.run_for(0.4)
    ui.settle()
    assert screen.state == "results"
    assert 0 <= above_keys() <= near, "the typed words stay where they were"
    rows = [w for w in screen.ids.rv.layout_manager.children if isinstance(w, ItemRow)]
    assert rows and all(ui.is_visible(r) for r in rows)
    lowest = min(_rect(r)[1] for r in rows)
    assert 0 <= lowest - _rect(field)[3] <= near + theme.pad, \
        f"the last result ends {lowest - _rect(field)[3]:.0f} px above the typed words"
    screen.clear_query()
    ui.settle()


def test_a_landscape_window_keeps_its_layout(ui):
    """On the usual landscape window the search keeps its keys beside the results and home its
    heading at the top."""
    ui.tap(ui.button("English"))
    home = ui.screen
    top = ui.window.height - ui.app.bar_height
    assert 0 <= top - _rect(home.ids.title)[3] <= 120
    ui.app.open_search()
    ui.settle()
    screen = ui.screen
    assert screen.landscape
    assert _rect(screen.ids.keyboard)[2] <= _rect(screen.ids.rv)[0]
    assert _rect(screen.ids.field)[1] > _rect(screen.ids.keyboard)[3]

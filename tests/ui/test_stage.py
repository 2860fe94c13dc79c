"""The one top bar every screen but the welcome shares (kiosk.ui.stage), watched frame by frame."""
import time

from kivy.uix.widget import Widget


def _frames_of_transition(ui, timeout: float = 5.0):
    """Pump frames while the screen manager's transition runs; yield after each."""
    deadline = time.monotonic() + timeout
    ui.pump(1)
    while ui.app.sm.transition.is_active:
        assert time.monotonic() < deadline, "the transition never ended"
        yield
        ui.pump(1)


def test_one_bar_serves_every_screen(ui):
    from kiosk.ui.widgets import TopBar

    app = ui.app
    ui.wait_until(lambda: not app.sm.waiting, timeout=30, what="every screen built")
    everything = list(app.root.walk(restrict=True))
    for screen in app.sm.screens:
        inside = [w for w in screen.walk(restrict=True) if isinstance(w, TopBar)]
        assert inside == [], screen.name
        if screen.name != "welcome":
            assert screen.top_bar and screen.ids.bar_space.height == app.top_bar.height > 0
    # on the welcome screen the bar is off the stage: it draws nothing and takes no touch
    assert app.sm.current == "welcome" and not app.stage.bar_shown
    assert app.top_bar not in everything and app.top_bar.parent is None


def test_the_bar_slides_in_with_the_first_screen_then_stays_put(ui):
    app, stage = ui.app, ui.app.stage
    home = app.sm.get_screen("home")
    app.start("en")
    moving = []
    for _ in _frames_of_transition(ui):
        moving.append((stage.bar.x, home.x))
        assert stage.bar_shown and stage.bar.top == stage.top
    # it came in from the right beside the home screen, at the home screen's place every frame
    assert len(moving) >= 3 and max(x for _bar, x in moving) > stage.width / 4
    assert all(bar == x for bar, x in moving), moving
    assert app.sm.current == "home" and stage.bar.pos == [0, stage.top - stage.bar.height]
    # the home screen keeps the bar's room: its first widget below the bar
    assert home.ids.bar_space.top == stage.top and home.ids.bar_space.height == stage.bar.height

    # from one screen with the bar to another: the pages slide, the bar never moves
    category = app.sm.get_screen("category")
    app.open_category(app.reads.categories("en")[0].id)
    slid = []
    for _ in _frames_of_transition(ui):
        slid.append(category.x)
        assert stage.bar.pos == [0, stage.top - stage.bar.height] and stage.children[0] is stage.bar
    assert slid and max(slid) > stage.width / 4
    # drawn above the sliding page and touched first: the last child added to the stage
    assert stage.children[0] is stage.bar


def test_quick_exit_takes_the_bar_off_at_once(ui):
    app, stage = ui.app, ui.app.stage
    for _name in ui.visit("home", "category"):
        pass
    ui.tap(ui.bar.ids.quick_exit, settle=False)
    assert app.sm.current == "welcome"
    ui.pump(1)
    assert not stage.bar_shown
    # what was under the bar is the welcome screen's again
    x, y = ui.center_of(ui.bar.ids.back)
    assert not any(w.collide_point(x, y) for w in stage.children if isinstance(w, Widget)
                   and w is not app.sm)


def test_the_focus_ring_reaches_the_bar_after_the_page(ui):
    app, stage = ui.app, ui.app.stage
    for _name in ui.visit("home"):
        pass
    assert stage.bar.width == stage.width == ui.window.width
    ids = [t.id for t in app.speech.focus.refresh()]
    first_tile = app.sm.current_screen.ids.grid.children[-1]
    for name in ("back", "quick_exit", "listen"):
        button = ui.bar.ids[name].__self__      # ids holds weak proxies
        assert f"w{id(button)}" in ids, button
        assert ids.index(f"w{id(button)}") > ids.index(f"w{id(first_tile)}")
    # on the welcome screen the bar is off the stage, and out of the ring
    ui.go_welcome()
    ids = [t.id for t in app.speech.focus.refresh()]
    assert ids and f"w{id(ui.bar.ids.back.__self__)}" not in ids

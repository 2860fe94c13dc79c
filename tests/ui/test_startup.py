"""Start-up: only the welcome screen exists before the first frame; the other screens are built
after it, one per frame, and a touch that comes before they are built still gets its screen.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui


def test_only_the_welcome_screen_is_built_before_the_first_frame(ui):
    assert ui.app.screens_at_first_frame == ("welcome",)


def test_the_other_screens_are_built_after_the_first_frame(ui):
    from kiosk.ui.screens import ON_DEMAND, ORDER

    ui.wait_until(lambda: not ui.app.sm.waiting, timeout=30, what="every screen built")
    ahead = set(ORDER) - set(ON_DEMAND)
    # (the staff screen too, once an earlier test of this session opened it)
    assert ahead <= {s.name for s in ui.app.sm.screens} and ahead <= set(ui.app.sm.build_seconds)
    assert set(ui.app.sm.unbuilt) <= set(ON_DEMAND)


def test_screens_are_built_one_per_step_in_order():
    from kivy.uix.screenmanager import Screen

    from kiosk.ui.screens import LazyScreens

    made = []

    def make(name):
        made.append(name)
        return Screen(name=name)

    seen = []
    sm = LazyScreens(names=("welcome", "home", "search"), make=make)
    sm.when_built("search", lambda screen: seen.append(screen.name))
    sm.build("welcome")
    assert made == ["welcome"] and sm.current == "welcome" and sm.waiting == ("home", "search")
    assert sm.has_screen("search") and seen == []
    assert sm.get_screen("search").name == "search"        # asked for: built at once
    assert made == ["welcome", "search"] and seen == ["search"]
    assert sm.build_next() == "home" and sm.build_next() is None
    assert made == ["welcome", "search", "home"]


def test_a_screen_on_demand_is_built_only_when_asked_for():
    from kivy.uix.screenmanager import Screen

    from kiosk.ui.screens import LazyScreens

    made = []
    sm = LazyScreens(names=("welcome", "home", "staff"), on_demand=("staff",),
                     make=lambda name: made.append(name) or Screen(name=name))
    sm.build_all()
    assert made == ["welcome", "home"] and sm.waiting == () and sm.unbuilt == ("staff",)
    assert sm.has_screen("staff")
    sm.current = "staff"                                  # asked for: built then
    assert made == ["welcome", "home", "staff"] and sm.current_screen.name == "staff"
    assert sm.unbuilt == ()


def _swap_in_fresh_screens(app):
    """A new stage and screen manager with only the welcome screen, as the app has before its
    first frame."""
    from kivy.core.window import Window

    from kiosk.ui.screens import LazyScreens
    from kiosk.ui.stage import Stage

    old = app.sm, app.stage
    fresh = LazyScreens(transition=app.sm.transition.__class__(), prepare=app._screen_built)
    app.sm = fresh
    fresh.build("welcome")
    fresh.bind(current=app._screen_changed)
    Window.remove_widget(app.root)
    app.stage = app.root = Stage(fresh, make_bar=app._make_top_bar)
    Window.add_widget(app.root)
    return old, fresh


def _restore(app, old, fresh):
    from kivy.core.window import Window

    Window.remove_widget(app.root)
    app.sm, app.stage = old
    app.root = app.stage
    Window.add_widget(app.root)


def test_a_touch_on_welcome_before_the_screens_are_built_reaches_home(ui):
    app = ui.app
    # the app's own building after its first frame must be over, or it goes on in the fresh
    # manager and builds home before the touch (a loaded machine: the session just started)
    ui.wait_until(lambda: not app.sm.waiting, timeout=30, what="the app's screens built")
    old, fresh = _swap_in_fresh_screens(app)
    try:
        ui.pump(2)
        assert fresh.waiting and "home" in fresh.waiting
        ui.tap_at(ui.window.width / 2, ui.window.height / 2)
        ui.wait_until(lambda: fresh.current == "home", what="the home screen")
        assert "home" not in fresh.waiting
        home = fresh.get_screen("home")
        ui.wait_until(lambda: not app.reads.pending and home.complete, what="home drawn")
        assert fresh.current_screen is home
        assert "category" in fresh.waiting                  # only what the touch needed was built
        from kiosk.ui.widgets import CategoryTile

        assert ui.find_all(home, cls=CategoryTile)          # the categories are on it
    finally:
        app.reset_session()
        _restore(app, old, fresh)
        ui.settle()


def test_the_staff_screen_waits_for_the_corner_hold(ui):
    """Built ahead are the screens a visitor reaches; the staff screen only when staff hold the
    corner, and the hold that asks for it finds it working."""
    app = ui.app
    ui.wait_until(lambda: not app.sm.waiting, timeout=30, what="the app's screens built")
    old, fresh = _swap_in_fresh_screens(app)
    try:
        while fresh.waiting:
            app._build_rest()
        assert fresh.unbuilt == ("staff",) and "staff" not in {s.name for s in fresh.screens}
        from test_staff import hold_corner

        hold_corner(ui, app.kiosk_config.staff.corner_hold_seconds)
        staff = fresh.current_screen
        assert staff.name == "staff" and staff.mode == "pin" and fresh.unbuilt == ()
        assert ui.bar.parent is app.stage                     # with the shared top bar over it
    finally:
        app.reset_session()
        _restore(app, old, fresh)
        ui.settle()

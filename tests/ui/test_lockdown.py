"""Visitors cannot leave: keys, close requests, right and middle clicks, debug modules."""
from __future__ import annotations

import pytest

from kiosk.ui.lockdown import KEY_E, KEY_ESCAPE, KEY_F1, KEY_F4, KEY_F11, KEY_F12

pytestmark = pytest.mark.ui


def still_running(ui) -> bool:
    return ui.loop.status == "started" and not ui.loop.quit and ui.app.root.parent is ui.window


def test_kivy_is_configured_locked_down(kiosk):
    from kivy.config import Config

    assert Config.getint("kivy", "exit_on_escape") == 0
    assert Config.options("modules") == []           # no inspector, keybinding, monitor...
    assert Config.get("input", "mouse") == "mouse,disable_multitouch"
    assert Config.options("input") == ["mouse"]
    from kivy.modules import Modules

    assert not any(m.get("activated") for m in Modules.mods.values())


@pytest.mark.parametrize("key,modifiers", [
    (KEY_ESCAPE, []), (KEY_F4, ["alt"]), (KEY_F11, []), (KEY_F12, []), (KEY_E, ["ctrl"]),
    (KEY_F1, []), (ord("q"), ["ctrl"]), (ord("w"), ["meta"]),
])
def test_keys_do_nothing(ui, key, modifiers):
    app = ui.app
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Housing"))
    before = (app.sm.current, ui.screen.params, list(ui.window.children))
    handled = ui.key(key, None, modifiers)
    ui.pump(5)
    assert handled is True                        # swallowed before Kivy's own handlers
    assert still_running(ui)
    assert (app.sm.current, ui.screen.params, list(ui.window.children)) == before
    assert app._app_settings is None              # F1 opened no settings panel


def test_typed_text_is_swallowed_too(ui):
    """SDL sends typed text apart from key presses; it stops at the lockdown as well, so a
    text field added one day never receives what a keyboard or a scanner types."""
    assert ui.window.dispatch("on_textinput", "x") is True
    assert still_running(ui)


def test_close_requests_are_refused(ui):
    assert ui.window.dispatch("on_request_close") is True
    assert ui.window.dispatch("on_request_close", source="keyboard") is True
    ui.pump(3)
    assert still_running(ui)
    assert ui.app.lockdown.blocked_closes >= 2


@pytest.mark.parametrize("button", ["right", "middle"])
def test_right_and_middle_clicks_do_nothing(ui, button):
    app = ui.app
    ui.tap(ui.button("English"))
    tile = ui.button("Housing")
    ui.tap(tile, button=button)
    ui.run_for(0.3)
    assert app.sm.current == "home"
    assert tile.state == "normal"
    # the same place with a finger does open the category
    ui.tap(tile)
    assert app.sm.current == "category"


def test_mouse_right_click_through_the_real_mouse_provider(ui):
    """Right button on the real mouse input: no multitouch red dot, no press, nothing left behind."""
    app = ui.app
    ui.tap(ui.button("English"))
    tile = ui.button("Housing")
    x, y = ui.center_of(tile)
    sy = ui.window.height - y                     # SDL's mouse y counts from the top
    after_before = len(ui.window.canvas.after.children)
    ui.window.dispatch("on_mouse_down", x, sy, "right", [])
    ui.pump(3)
    ui.window.dispatch("on_mouse_up", x, sy, "right", [])
    ui.run_for(0.3)
    assert app.sm.current == "home"
    assert ui.loop.me_list == []                  # no touch kept alive as a red dot
    assert len(ui.window.canvas.after.children) == after_before
    # a left click on the same place works like a finger
    ui.window.dispatch("on_mouse_down", x, sy, "left", [])
    ui.pump(3)
    ui.window.dispatch("on_mouse_up", x, sy, "left", [])
    ui.run_for(0.2)
    ui.settle()
    assert app.sm.current == "category"

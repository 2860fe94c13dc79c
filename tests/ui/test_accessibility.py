"""Language switch, text size and contrast from any screen; touch targets and type sizes."""
from __future__ import annotations

import pytest
from kivy.metrics import dp, sp

pytestmark = pytest.mark.ui

# 12 mm on a 24-inch 1920x1080 monitor (92 px per inch) is 43.5 px; on a 15.6-inch 1280x800
# one (97 px per inch) 45.8 px. Kivy's dp is 1 px on both.
MIN_TARGET = dp(46)


def visible_buttons(ui):
    from kivy.uix.behaviors import ButtonBehavior

    return [w for w in ui.find_all(cls=ButtonBehavior)]


def test_language_switch_changes_visible_strings(ui):
    app = ui.app
    ui.tap(ui.button("Shqip"))
    home = ui.screen
    bar = ui.bar.ids
    assert (home.ids.title.text, bar.back.text, bar.home.text, bar.language.text) == (
        "Si mund t'ju ndihmojmë?", "Kthehu", "Kreu", "English")
    assert "Fëmijë dhe familje" in {t.name for t in home.ids.grid.children}
    ui.tap(ui.button("Fëmijë dhe familje"))
    ui.tap(ui.bar.ids.language)
    assert app.lang == "en"
    ui.settle()
    # the screen's own words and the catalogue's text both change, the visitor stays put
    assert app.sm.current == "category"
    assert ui.screen.heading == "Children and family"
    assert ui.screen.count_text == "3 services"
    assert ui.bar.ids.back.text == "Back"
    assert ui.bar.ids.language.text == "Shqip"
    ui.tap(ui.bar.ids.back)
    assert ui.screen.ids.title.text == "How can we help you?"
    assert "Children and family" in {t.name for t in ui.screen.ids.grid.children}
    ui.tap(ui.bar.ids.language)
    assert app.lang == "sq"
    assert ui.screen.ids.title.text == "Si mund t'ju ndihmojmë?"


def test_text_size_and_contrast_from_every_screen(ui):
    from kiosk.ui.theme import theme

    # the welcome screen has the controls too
    welcome = ui.screen
    ui.tap(welcome.ids.text_size.ids.size1, settle=False)
    assert theme.scale == 1.25
    ui.tap(welcome.ids.contrast, settle=False)
    assert theme.contrast is True
    assert list(theme.bg) == [0, 0, 0, 1]
    ui.tap(welcome.ids.contrast, settle=False)
    assert theme.contrast is False
    for name in ui.visit("home", "category", "service", "search"):
        bar = ui.bar.ids
        title = ui.screen.ids.get("title")
        for index, scale in enumerate((1.0, 1.25, 1.5)):
            ui.tap(bar.text_size.ids[f"size{index}"], settle=False)
            ui.pump(2)
            assert theme.scale == scale
            assert bar.text_size.ids[f"size{index}"].variant == "bar_on"
            if title is not None:
                assert title.font_size == pytest.approx(sp(44) * scale)
        ui.tap(bar.contrast, settle=False)
        ui.pump(2)
        assert theme.contrast is True and bar.contrast.variant == "bar_on"
        assert list(theme.text) == [1, 1, 1, 1]
        # a card on the page follows the theme
        ui.tap(bar.contrast, settle=False)
        ui.pump(2)
        assert theme.contrast is False
        ui.tap(bar.text_size.ids.size0, settle=False)
        assert theme.scale == 1.0


def test_touch_targets_and_type_sizes_on_every_screen(ui):
    from kivy.uix.label import Label

    from kiosk.ui.keyboard import KeyButton

    for name in ui.visit("home", "category", "service", "organization", "search"):
        buttons = visible_buttons(ui)
        assert buttons, name
        for button in buttons:
            assert min(button.width, button.height) >= MIN_TARGET, (name, button, button.size)
        if name == "search":
            assert all(k.height >= dp(72) for k in ui.find_all(cls=KeyButton))
        for label in ui.find_all(cls=Label):
            if label.text.strip():
                assert label.font_size >= sp(20), (name, label.text, label.font_size)
    # body text is at least 22 sp at the smallest step
    from kiosk.ui.theme import theme

    assert theme.body >= sp(22) and theme.title >= sp(40)

"""A visitor's whole visit, by touch: welcome, language, category, service, organization, back, home."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui


def test_visit_by_touch(ui):
    app = ui.app
    assert app.sm.current == "welcome"

    # Welcome: choose English.
    ui.tap(ui.button("English"))
    assert app.sm.current == "home"
    assert app.lang == "en"
    assert ui.screen.ids.title.text == "How can we help you?"
    assert ui.bar.ids.back.text == "Back"

    # Home: the category tiles carry names and counts in English.
    tile = ui.button("Children and family")
    assert tile.count_text == "3 services"
    assert {"Housing", "Elderly"} <= {t.name for t in ui.screen.ids.grid.children}
    assert "Empty category" not in {t.name for t in ui.screen.ids.grid.children}
    ui.tap(tile)
    assert app.sm.current == "category"
    category = ui.screen
    assert category.heading == "Children and family"
    assert category.count_text == "3 services"
    # its sub-category, then the services with today's status (Wednesday 10:30)
    assert ui.button("Nurseries  (1)")
    nursery_row = ui.row("Municipal nursery")
    assert nursery_row.subtitle == "Municipal Social Centre"
    assert (nursery_row.chip_kind, nursery_row.chip_text) == ("open", "Open now")
    saturday = ui.row("Legal advice for families")
    assert (saturday.chip_kind, saturday.chip_text) == ("closed", "Closed for today")

    # Service page.
    ui.tap(nursery_row)
    assert app.sm.current == "service"
    service = ui.screen
    assert service.heading == "Municipal nursery"
    assert (service.chip_kind, service.chip_text) == ("open", "Open now")
    assert service.status_text == "Open until 16:00."
    texts = ui.texts(service, visible=False)
    for expected in ("Day care for children aged 1 to 3.", "Documents to bring", "Identity card",
                     "Certifikatë familjare",  # no English translation: falls back to Albanian
                     "Who can apply", "Banorët e Elbasanit", "Languages spoken", "Albanian",
                     "Step-free entrance", "Bus 1", "Information checked on September 1, 2026.",
                     "Wednesday (today)", "+355 54 200 100", "social@example.org"):
        assert any(expected in t for t in texts), expected
    # this week's hours: today highlighted, Saturday closed
    from kiosk.ui.widgets import HoursRow

    rows = ui.find_all(service, cls=HoursRow, visible=False)
    today = [r for r in rows if r.today]
    assert [r.day for r in today] == ["Wednesday (today)"]
    assert today[0].hours == "08:00–16:00"
    assert any(r.day == "Saturday" and r.hours == "Closed" for r in rows)
    # the hand-off area shows the QR code choices (tests/ui/test_handoff_ui.py)
    assert service.ids.actions.has_actions is True
    assert service.ids.actions.height > 0

    # Organization page, reached from the provider card.
    ui.tap(ui.button("About this organization"))
    assert app.sm.current == "organization"
    org = ui.screen
    assert org.heading == "Municipal Social Centre"
    from kiosk.ui.widgets import StaticItemRow

    names = {r.name for r in ui.find_all(org, cls=StaticItemRow, visible=False)}
    # (the night shelter is sensitive: its provider's page lists it by its neutral title)
    assert names == {"Municipal nursery", "Support", "Club for older people"}

    # Back, back, home.
    ui.tap(ui.bar.ids.back)
    assert app.sm.current == "service" and ui.screen.heading == "Municipal nursery"
    ui.tap(ui.bar.ids.back)
    assert app.sm.current == "category" and ui.screen.heading == "Children and family"
    ui.tap(ui.bar.ids.home)
    assert app.sm.current == "home"
    assert app.history == []
    # Back from home returns to the welcome screen.
    ui.tap(ui.bar.ids.back)
    assert app.sm.current == "welcome"


def test_subcategory_and_open_now_filter(ui):
    app = ui.app
    ui.tap(ui.button("Shqip"))
    assert app.lang == "sq"
    ui.tap(ui.button("Fëmijë dhe familje"))
    ui.tap(ui.button("Çerdhe e kopshte  (1)"))
    assert ui.screen.heading == "Çerdhe e kopshte"
    assert ui.screen.parent_name == "Fëmijë dhe familje"
    assert [r["name"] for r in ui.screen.ids.rv.data] == ["Çerdhe e Bashkisë"]
    # Back returns to the parent category (same screen, other content).
    ui.tap(ui.bar.ids.back)
    assert ui.screen.heading == "Fëmijë dhe familje"
    assert len(ui.screen.ids.rv.data) == 3

    # "Open now" keeps only what is open on Wednesday 10:30.
    ui.tap(ui.screen.ids.open_now)
    assert app.open_now is True
    assert sorted(r["name"] for r in ui.screen.ids.rv.data) == ["Linja e ndihmës", "Çerdhe e Bashkisë"]
    assert ui.screen.count_text == "2 shërbime të hapura tani"
    ui.tap(ui.bar.ids.home)
    counts = {t.name: t.count_text for t in ui.screen.ids.grid.children}
    assert "Strehim" not in counts  # nothing about housing is open on Wednesday at 10:30
    assert counts["Fëmijë dhe familje"] == "2 shërbime të hapura tani"
    ui.tap(ui.screen.ids.open_now)
    assert app.open_now is False
    assert {t.name: t.count_text for t in ui.screen.ids.grid.children}["Strehim"] == "2 shërbime"


def test_missing_service_shows_a_message_not_a_crash(ui):
    app = ui.app
    ui.tap(ui.button("English"))
    app.open_service("00000000-0000-0000-0000-000000000000")
    ui.settle()
    assert app.sm.current == "service"
    assert ui.screen.missing is True
    assert "This service is no longer in the catalogue." in ui.texts()


def test_back_returns_to_the_same_place_in_a_list(ui):
    app = ui.app
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Children and family"))
    category = ui.screen
    rv = category.ids.rv
    assert rv.scroll_y == 1
    row = ui.row("Municipal nursery")          # presses "Down" until the row shows
    scrolled = rv.scroll_y
    assert scrolled < 1
    ui.tap(row)
    assert app.sm.current == "service"
    ui.tap(ui.bar.ids.back)
    ui.run_for(0.2)
    assert app.sm.current == "category"
    assert rv.scroll_y == pytest.approx(scrolled, abs=0.02)
    # Home, then the category again from its tile: a fresh visit starts at the top
    ui.tap(ui.bar.ids.home)
    ui.tap(ui.button("Children and family"))
    ui.run_for(0.2)
    assert ui.screen.ids.rv.scroll_y == pytest.approx(1)


def _rows_in_each_frame(ui) -> list[list[str]]:
    """Open "Children and family" in English; the rows of its list in each frame drawn."""
    app = ui.app
    rv = app.sm.get_screen("category").ids.rv
    drawn = []

    def frame(*_args):
        if app.sm.current == "category" and rv.data:
            drawn.append([r["name"] for r in rv.data])

    ui.tap(ui.button("English"))
    ui.window.bind(on_flip=frame)
    try:
        ui.tap(ui.button("Children and family"))
    finally:
        ui.window.unbind(on_flip=frame)
    return drawn


def test_a_list_is_whole_in_the_frame_that_answers_the_touch(ui):
    drawn = _rows_in_each_frame(ui)
    assert drawn[0] == ["Help line", "Legal advice for families", "Municipal nursery"]


def test_a_long_list_shows_a_screenful_at_once_and_the_rest_right_after(ui, monkeypatch):
    """Kivy sizes every row when a list's data is set; a category longer than ALL_ROWS shows
    its first rows in the frame that answers the touch and gets the rest after that frame."""
    from kiosk.ui.category import CategoryScreen

    monkeypatch.setattr(CategoryScreen, "ALL_ROWS", 1)
    monkeypatch.setattr(CategoryScreen, "FIRST_ROWS", 1)
    drawn = _rows_in_each_frame(ui)
    assert ui.screen.complete
    assert drawn[0] == ["Help line"]
    assert drawn[-1] == ["Help line", "Legal advice for families", "Municipal nursery"]


def test_back_returns_to_the_same_place_in_a_list_shown_in_steps(ui, monkeypatch):
    from kiosk.ui.category import CategoryScreen

    monkeypatch.setattr(CategoryScreen, "ALL_ROWS", 1)
    monkeypatch.setattr(CategoryScreen, "FIRST_ROWS", 1)
    test_back_returns_to_the_same_place_in_a_list(ui)


def test_memory_is_tidied_when_the_welcome_screen_shows(ui):
    """A full garbage collection mid-visit stalled a touch by up to half a second; the kiosk
    collects while nobody waits and sets the survivors aside, and the next tidy thaws them so
    what died meanwhile is still collected."""
    import gc
    import weakref

    from kiosk.memory import tidy as tidy_memory

    class Node:
        pass

    cycle = Node()
    cycle.me = cycle
    alive = weakref.ref(cycle)
    gc.unfreeze()
    ui.tap(ui.button("English"))
    ui.go_welcome()
    ui.run_for(ui.app.TIDY_DELAY + 0.3)
    assert gc.get_freeze_count() > 0
    del cycle                       # frozen, then garbage
    tidy_memory()
    assert alive() is None


def test_a_service_in_view_opens_in_the_frame_of_the_touch(ui):
    """The category screen prepares the pages of the services in view; the one touched is
    drawn in the first frame after the finger lifts, with no worker round trip."""
    app = ui.app
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Children and family"))
    ui.run_for(0.5)                                   # the pages in view are prepared meanwhile
    service = app.sm.get_screen("service")
    drawn = []

    def frame(*_args):
        drawn.append((app.sm.current, service.heading))

    row = ui.row("Municipal nursery")
    touch = ui.touch_down(*ui.center_of(row))
    ui.pump(1)
    ui.window.bind(on_flip=frame)
    try:
        ui.touch_up(touch)
        ui.pump(1)
    finally:
        ui.window.unbind(on_flip=frame)
    assert drawn[0] == ("service", "Municipal nursery")
    ui.settle()
    assert service.complete

"""A service page is built from the previous page's widgets (kiosk.ui.pool), made ahead while the
visitor reads the page before; full garbage collections wait for a quiet moment (kiosk.ui.collector)."""
from __future__ import annotations

from kivy.uix.label import Label


def _open_services(ui, count: int) -> list[str]:
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Children and family"))
    ui.run_for(0.6)                      # the service page's widgets are made meanwhile
    return [row["item_id"] for row in ui.screen.ids.rv.data[:count]]


def _page_texts(screen) -> set[str]:
    return {w.text for part in ("main", "side") for w in screen.ids[part].walk(restrict=True)
            if isinstance(w, Label) and w.text}


def test_service_pages_refill_the_widgets_made_ahead(ui):
    app = ui.app
    ids = _open_services(ui, 2)
    service = app.sm.get_screen("service")
    assert service.prepared, "the service page's widgets are made while the category is read"
    made_before = service.pool.made
    app.open_service(ids[0])
    ui.settle()
    first = _page_texts(service)
    first_heading = service.heading
    assert service.pool.reused > 0
    app.go_back()
    ui.settle()
    app.open_service(ids[1])
    ui.settle()
    second = _page_texts(service)
    assert service.heading != first_heading
    # nothing of the first service is left on the second (its name, its own lines)
    assert first_heading not in second
    own_first = first - second
    assert own_first and not (own_first & _page_texts(service))
    # the second page made few or no widgets of its own: it refilled the first page's
    assert service.pool.made - made_before <= 10, service.pool.made - made_before
    # the provider's button still opens the provider of the service on screen
    org = service.detail.organization
    button = service.about_button()
    assert button.parent is not None
    ui.scroll_to(button)
    ui.tap(button)
    assert app.sm.current == "organization" and ui.screen.params["org_id"] == org.id


def test_a_language_change_refills_the_page_in_the_new_language(ui):
    app = ui.app
    ids = _open_services(ui, 1)
    app.open_service(ids[0])
    ui.settle()
    service = app.sm.get_screen("service")
    english = _page_texts(service)
    ui.tap(ui.button("Shqip"))
    ui.settle()
    albanian = _page_texts(service)
    assert albanian and albanian != english
    assert "Provided by" not in albanian and "Provided by" in english


def test_full_collections_wait_for_a_quiet_moment_on_a_complete_page(ui, monkeypatch):
    from kiosk import memory
    from kiosk.ui import collector

    calls = []
    monkeypatch.setattr(memory, "collect_full", lambda: calls.append("full"))
    monkeypatch.setattr(memory, "set_aside_once", lambda: False)
    monkeypatch.setattr(memory, "full_due", lambda overdue=False: not overdue)
    from kivy.base import EventLoop

    _open_services(ui, 1)
    ui.run_for(collector.QUIET + 0.3)
    assert calls, "a due full collection runs once the visitor pauses on a complete page"
    calls.clear()
    ui.screen.page_built()
    EventLoop.touches.append(object())         # a finger is down: nothing runs under it
    try:
        ui.run_for(collector.QUIET + 0.3)
    finally:
        EventLoop.touches.pop()
    assert calls == []
    ui.screen.page_built()
    ui.run_for(collector.QUIET + 0.3)
    assert calls == ["full"]


def test_a_new_visitor_finds_nothing_of_the_last_service_in_the_kept_widgets(ui):
    from kivy.uix.label import Label

    app = ui.app
    ids = _open_services(ui, 1)
    app.open_service(ids[0])
    ui.settle()
    service = app.sm.get_screen("service")
    name = service.heading
    ui.go_welcome()
    kept = [w for free in service.pool._free.values() for w in free]
    assert kept
    texts = {getattr(w, attr, "") for w in kept for attr in ("text", "title", "day", "hours")}
    texts |= {lbl.text for w in kept for lbl in w.walk(restrict=True) if isinstance(lbl, Label)}
    assert name and not any(texts), texts
    # the hand-off panel and the report button kept for the next page hold nothing of this one
    panel = app.handoff_panels["service"]
    assert panel.parent is None and panel.detail is None and panel.choices == []
    assert panel.ids.qr.texture is None and panel.ids.qr.payload == ""
    assert panel.selected == panel.print_status == panel.explanation == ""
    shown = " ".join(lbl.text for lbl in panel.walk(restrict=True) if isinstance(lbl, Label))
    assert name not in shown, shown
    assert service._report is None or service._report.report_name == ""


def test_a_new_visitor_finds_nothing_of_the_last_organization_in_the_kept_widgets(ui):
    from kivy.uix.label import Label

    app = ui.app
    ids = _open_services(ui, 1)
    org = app.reads.service(ids[0], "en").organization
    app.open_organization(org.id)
    ui.settle()
    page = app.sm.get_screen("organization")
    ui.go_welcome()
    kept = [w for free in page.pool._free.values() for w in free]
    assert kept
    texts = {getattr(w, attr, "") for w in kept for attr in ("text", "title", "name", "subtitle")}
    texts |= {lbl.text for w in kept for lbl in w.walk(restrict=True) if isinstance(lbl, Label)}
    assert org.name and not any(texts), texts
    assert page._report is None or page._report.report_name == ""


def _widget_garbage() -> list[str]:
    """The widgets only a full collection would free now (collected, then listed by class)."""
    import gc

    from kivy.uix.widget import Widget

    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
    finally:
        gc.set_debug(0)
    # type(), not isinstance(), first: a dead weak proxy in the pile raises on __class__
    names = sorted(type(o).__name__ for o in gc.garbage
                   if type(o).__module__ not in ("weakref", "kivy.weakproxy") and isinstance(o, Widget))
    gc.garbage.clear()
    gc.collect()
    return names


def test_pages_refill_their_widgets_rather_than_leave_them_for_the_collector(ui):
    """Every Kivy widget refers to itself through its own bindings, so a widget a page drops is
    garbage only a full collection frees: in a busy lobby, whose full collections wait for quiet
    moments, those piled up (84 MB over the 20,000-event soak). A second round of services, an
    organization, the urgent lines and a language switch makes no widget garbage at all: the
    cards, the hand-off panels, the report buttons, the keyboard's rows and the urgent lines'
    cards are refilled."""
    import gc

    app = ui.app
    ids = _open_services(ui, 3)
    org = app.reads.service(ids[0], "en").organization.id

    def visit() -> None:
        for service_id in ids:
            app.open_service(service_id)
            ui.settle()
        app.open_organization(org)
        ui.settle()
        app.open_urgent()
        ui.settle()
        for lang in ("Shqip", "English"):
            app.open_search()
            ui.settle()
            ui.tap(ui.button(lang))
            ui.settle()

    gc.unfreeze()          # set-aside objects are never collected: this test must see them all
    visit()                # the first round makes what the page kinds need
    _widget_garbage()
    pools = {name: app.sm.get_screen(name).pool for name in ("service", "organization", "urgent")}
    made = {name: pool.made for name, pool in pools.items()}
    visit()
    assert _widget_garbage() == []
    assert {name: pool.made for name, pool in pools.items()} == made   # nothing made anew

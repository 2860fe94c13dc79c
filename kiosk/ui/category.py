"""A category: its narrower topics, then its services with today's opening status."""
from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.ui import format as fmt
from kiosk.ui.base import KioskScreen
from kiosk.ui.widgets import KButton


def service_rows(rows, today=None) -> list[dict]:
    """RecycleView data for a list of ServiceRow."""
    data = []
    for row in rows:
        kind, text = fmt.status_chip(row.status, row.service_status)
        data.append({"kind": "service", "item_id": row.id, "name": row.name, "subtitle": row.provider,
                     "chip_kind": kind, "chip_text": text})
    return data


class CategoryScreen(KioskScreen):
    #: how many services at the top of the list have their pages prepared in the background
    PREFETCH = 8
    icon = StringProperty("category")
    parent_name = StringProperty("")
    count_text = StringProperty("")
    empty = BooleanProperty(False)
    missing = BooleanProperty(False)

    def fetch(self, services, lang, params, open_now):
        page = services.category_page(params.get("term_id", ""), lang, open_now=open_now)
        # The rows' text is made here, off the main thread.
        return page, open_now, service_rows(page.services) if page is not None else []

    def fetch_ready(self, services, lang, params, open_now):
        page = services.category_page(params.get("term_id", ""), lang, open_now=open_now, cached_only=True)
        return (page, open_now, service_rows(page.services)) if page is not None else None

    def clear(self) -> None:
        self.cancel_steps()
        self.heading = ""
        self.parent_name = ""
        self.count_text = ""
        self.empty = False
        self.missing = False
        self.sensitive = False
        self.ids.subs.clear_widgets()
        self.ids.rv.data = []
        self.spoken_data = None

    def apply(self, data) -> None:
        page, open_now, rows = data
        self.clear()
        if page is None:
            self.missing = True
            return
        self.heading = page.category.name
        self.sensitive = page.category.sensitive
        self.spoken_data = (page, open_now)
        self.icon = page.category.icon or "category"
        self.parent_name = page.parent.name if page.parent else ""
        subs = self.ids.subs
        # beside the list (a small landscape panel) the sub-topics fill the column's width and wrap
        beside = self.ids.body.orientation == "horizontal"
        for sub in page.subcategories:
            button = self._sub_button()
            button.auto_width = not beside
            button.text = f"{sub.name}  ({sub.service_count})"
            # said as words, not "Nurseries, one, button"
            button.speech_label = f"{sub.name}, {fmt.services_count(sub.service_count)}"
            button.icon = sub.icon or "category"
            button.term_id = sub.id
            subs.add_widget(button)
        n = len(page.services)
        self.count_text = fmt.open_services_count(n) if open_now else fmt.services_count(n)
        self.set_rows(self.ids.rv, rows)
        # the services in view are the likely next touch: prepare their pages meanwhile
        app = self.app
        if app is not None and rows:
            ids = [r["item_id"] for r in rows[:self.PREFETCH]]
            read = app.reads.prefetch_services(ids, app.lang)
            if getattr(app, "qr", None) is not None:
                from kiosk.ui.handoff import prepare_first_codes

                prepare_first_codes(app, ids, app.lang, read)
        self.empty = n == 0

    def _sub_button(self) -> KButton:
        """A sub-category button, reused from earlier pages when one is free (making a button
        costs milliseconds; a category page is opened at every other touch)."""
        pool = self.__dict__.setdefault("_sub_pool", [])
        for button in pool:
            if button.parent is None:
                return button
        button = KButton(variant="secondary")
        button.term_id = ""
        button.bind(on_release=self._open_sub)
        pool.append(button)
        return button

    def _open_sub(self, button, *_args) -> None:
        self.app.open_category(button.term_id)

    def scroll_views(self):
        return [self.ids.rv]

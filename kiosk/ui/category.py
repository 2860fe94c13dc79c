"""A category: its narrower topics, then its services with today's opening status."""
from __future__ import annotations

from functools import partial

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
    icon = StringProperty("category")
    parent_name = StringProperty("")
    count_text = StringProperty("")
    empty = BooleanProperty(False)
    missing = BooleanProperty(False)

    def fetch(self, services, lang, params, open_now):
        return services.category_page(params.get("term_id", ""), lang, open_now=open_now), open_now

    def clear(self) -> None:
        self.heading = ""
        self.parent_name = ""
        self.count_text = ""
        self.empty = False
        self.missing = False
        self.ids.subs.clear_widgets()
        self.ids.rv.data = []

    def apply(self, data) -> None:
        page, open_now = data
        self.clear()
        if page is None:
            self.missing = True
            return
        self.heading = page.category.name
        self.icon = page.category.icon or "category"
        self.parent_name = page.parent.name if page.parent else ""
        subs = self.ids.subs
        for sub in page.subcategories:
            button = KButton(text=f"{sub.name}  ({sub.service_count})", icon=sub.icon or "category",
                             variant="secondary")
            button.term_id = sub.id
            button.bind(on_release=partial(self._open_sub, sub.id))
            subs.add_widget(button)
        n = len(page.services)
        self.count_text = fmt.open_services_count(n) if open_now else fmt.services_count(n)
        self.ids.rv.data = service_rows(page.services)
        self.empty = n == 0

    def _open_sub(self, term_id: str, *_args) -> None:
        self.app.open_category(term_id)

    def scroll_views(self):
        return [self.ids.rv]

"""Home: the search bar, the "open now" filter and one tile per category with its service count."""
from __future__ import annotations

from functools import partial

from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty

from kiosk.ui import format as fmt
from kiosk.ui.base import KioskScreen
from kiosk.ui.widgets import CategoryTile, even_rows


class HomeScreen(KioskScreen):
    empty = BooleanProperty(False)
    count = NumericProperty(0)

    def fetch(self, services, lang, params, open_now):
        return services.categories(lang, open_now=open_now), open_now

    def clear(self) -> None:
        self.ids.grid.clear_widgets()

    def apply(self, data) -> None:
        cards, open_now = data
        grid = self.ids.grid
        grid.clear_widgets()
        for card in cards:
            count = (fmt.open_services_count(card.service_count) if open_now
                     else fmt.services_count(card.service_count))
            tile = CategoryTile(term_id=card.id, name=card.name, icon=card.icon, count_text=count)
            tile.bind(on_release=partial(self._open, card.id))
            grid.add_widget(tile)
        even_rows(grid)
        self.count = len(cards)
        self.empty = not cards

    def _open(self, term_id: str, *_args) -> None:
        self.app.open_category(term_id)

    @staticmethod
    def columns(width: float) -> int:
        return max(2, min(4, int(width // dp(330))))

    def scroll_views(self):
        return [self.ids.scroll]

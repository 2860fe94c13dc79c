"""Home: the search bar, the "open now" filter and one tile per category with its service count.

A tile shows the category's published icon when the sync has downloaded it and it decodes
cleanly (see :mod:`kiosk.images`), else the bundled icon the feed names. When the sync has not
succeeded for ``stale_after_days``, a discreet line at the bottom says since when the information
dates.
"""
from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Optional

from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk.catalogue.hours import TZ
from kiosk.images import Picture
from kiosk.ui import format as fmt
from kiosk.ui.base import KioskScreen
from kiosk.ui.i18n import tr
from kiosk.ui.picture import AssetPicture
from kiosk.ui.theme import theme
from kiosk.ui.widgets import CategoryTile, Icon, even_rows


def information_date_text(moment: Optional[datetime], lang: str) -> str:
    """The home screen's line about old information ("" when there is nothing to say)."""
    if moment is None:
        return ""
    day = moment.astimezone(TZ).date() if moment.tzinfo else moment.date()
    return tr._("The information here dates from {date}. Some details may have changed since then."
                ).format(date=fmt.long_date(day, lang))


class HomeTile(CategoryTile):
    """A category tile; :meth:`show_picture` puts a downloaded icon in place of the bundled one.

    ``grow`` makes it that much taller than its words and icon (half above them, half below):
    on a tall portrait panel the tiles fill the lower part of the screen (:meth:`HomeScreen.anchor`)."""

    picture_sha256 = StringProperty("")   # the downloaded icon shown ("": the bundled icon)
    grow = NumericProperty(0)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for index in (len(self.children), 0):          # one above everything, one below
            room = Widget(size_hint_y=None, height=0)
            self.bind(grow=lambda _tile, grow, room=room: setattr(room, "height", grow / 2))
            self.add_widget(room, index=index)

    def show_picture(self, picture: Optional[Picture]) -> None:
        icon = next((w for w in self.walk(restrict=True) if isinstance(w, Icon)), None)
        if picture is None or icon is None:
            return
        image = AssetPicture(picture, tone="accent_text", size_hint=(None, None), size=icon.size,
                             pos=icon.pos)
        icon.bind(size=image.setter("size"), pos=image.setter("pos"))
        icon.parent.add_widget(image)
        icon.opacity = 0
        self.picture_sha256 = picture.sha256


class HomeScreen(KioskScreen):
    empty = BooleanProperty(False)
    count = NumericProperty(0)
    #: when the information dates from, while the sync has not succeeded for a while (else None)
    information_date = ObjectProperty(None, allownone=True)
    #: the room above the page on a tall portrait panel, so that its topics end at the bottom
    #: of the screen, where a hand reaches (0 elsewhere, and when the page fills the view)
    lift = NumericProperty(0)
    #: in portrait, the page fills at least this lower share of the view: its tiles grow to
    #: (a 43" totem's lower 60% is within reach, about 0.85 to 1.4 m from the floor) ...
    REACH = 0.6
    #: ... by at most this share of their own height
    MOST_GROWTH = 0.8

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        anchor = Clock.create_trigger(self.anchor, -1)
        self.ids.page.bind(minimum_height=anchor)
        self.ids.scroll.bind(height=anchor)
        theme.bind(portrait=anchor)

    def anchor(self, *_args) -> None:
        """On a portrait panel, the page at the bottom of the view (a totem's top is 1.8 m up,
        as hard to reach as its top bar), its tiles grown to fill the lower :attr:`REACH` of
        it; at the top elsewhere, the tiles as tall as their words."""
        page, grid, view = self.ids.page, self.ids.grid, self.ids.scroll.height
        tiles = [t for t in reversed(grid.children) if isinstance(t, HomeTile)]
        cols = max(1, grid.cols or 1)
        rows = [tiles[i:i + cols] for i in range(0, len(tiles), cols)]
        # the rows as tall as their words, and the page above and around the grid
        natural_rows = [max(t.minimum_height - t.grow for t in row) for row in rows]
        grid_natural = sum(natural_rows) + grid.spacing[1] * max(0, len(rows) - 1)
        head = page.minimum_height - self.lift - grid.height
        grow = 0.0
        if theme.portrait and rows:
            short = self.REACH * view - head - grid_natural
            grow = max(0.0, min(short / len(rows), self.MOST_GROWTH * min(natural_rows)))
        for tile in tiles:
            tile.grow = grow
        natural = head + grid_natural + grow * len(rows)
        self.lift = max(0.0, view - natural) if theme.portrait else 0.0

    def fetch(self, services, lang, params, open_now):
        return self._with_extras(services, services.categories(lang, open_now=open_now), open_now)

    def fetch_ready(self, services, lang, params, open_now):
        cards = services.categories(lang, open_now=open_now, cached_only=True)
        return None if cards is None else self._with_extras(services, cards, open_now)

    @staticmethod
    def _with_extras(services, cards, open_now):
        pictures = {c.id: services.picture(c.icon_sha256) for c in cards if c.icon_sha256}
        return cards, open_now, pictures, services.information_date()

    #: what the tiles on screen were made from: the same cards are not made again
    _tiles_key: Optional[tuple] = None

    def clear(self) -> None:
        """Nothing to forget: the tiles say nothing about the visitor, and keeping them lets the
        next visitor's home screen appear without making a dozen tiles again."""

    def apply(self, data) -> None:
        cards, open_now, pictures, self.information_date = data
        self.spoken_data = (tuple(cards), open_now)
        grid = self.ids.grid
        key = (tuple(cards), open_now, tuple(sorted((k, p.sha256) for k, p in pictures.items() if p)))
        if key == self._tiles_key and grid.children:
            return
        self._tiles_key = key
        grid.clear_widgets()
        for card in cards:
            count = (fmt.open_services_count(card.service_count) if open_now
                     else fmt.services_count(card.service_count))
            tile = HomeTile(term_id=card.id, name=card.name, icon=card.icon, count_text=count)
            tile.show_picture(pictures.get(card.id))
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

"""Urgent help: the lines staff marked ``x_urgent``, one tap from every visitor screen.

Each line shows its number in large type, when it answers, and a QR code that calls it
(``tel:``); where they go two a row, the two cards of a row are as tall as each other. While
the lines are demo data (not yet confirmed by staff) a notice says so. The screen is always
sensitive (:attr:`KioskScreen.sensitive`): its quick exit stands out.
The codes are made off the main thread like the service screen's (:mod:`kiosk.ui.handoff`).
"""
from __future__ import annotations

import logging
from functools import partial
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.catalogue.cards import UrgentLine
from kiosk.handoff.links import is_allowed, tel_uri
from kiosk.ui import blocks
from kiosk.ui import format as fmt
from kiosk.ui.base import KioskScreen
from kiosk.ui.i18n import tr
from kiosk.ui.threads import on_main
from kiosk.ui.pool import WidgetPool
from kiosk.ui.widgets import Card, even_rows

log = logging.getLogger(__name__)


def answers_text(line: UrgentLine) -> str:
    """When the line answers, as one sentence: day and night, or its status now."""
    status = line.status
    if status is not None and status.always:
        return tr._("Answers day and night, every day.")
    return fmt.status_detail(status) or tr._("Call to ask when it is open.")


class UrgentLineCard(Card):
    """One urgent line: its name, its number in large type, when it answers, a Call QR code."""

    name = StringProperty("")
    number = StringProperty("")
    answers = StringProperty("")
    provider = StringProperty("")
    payload = StringProperty("")
    always = BooleanProperty(False)
    line = ObjectProperty(None, allownone=True)
    #: the line's opening hours this week, when it is not always open (from the screen's pool)
    hours = None

    def spoken_label(self) -> str:
        """What the keypad's focus ring and a touch say of this line: name, number digit by
        digit, when it answers (:func:`kiosk.speech.screens.urgent_line`)."""
        from kiosk.speech.screens import urgent_line

        return urgent_line(self.line, tr.lang).text if self.line is not None else ""


class UrgentScreen(KioskScreen):
    """The urgent lines in staff's order; ``demo`` while any of them is unconfirmed demo data."""

    demo = BooleanProperty(False)
    empty = BooleanProperty(False)

    def __init__(self, **kwargs) -> None:
        # the cards (and their hours) are refilled for the next time the screen is shown,
        # not made again (see kiosk.ui.pool)
        self._cards: list[UrgentLineCard] = []
        self.pool = WidgetPool()
        super().__init__(**kwargs)
        # whoever needs these lines may be watched: the quick exit always stands out here
        self.sensitive = True

    def reset_session(self) -> None:
        super().reset_session()
        self.sensitive = True

    def fetch(self, services, lang, params, open_now):
        return services.urgent_lines(lang)

    def clear(self) -> None:
        self.heading = ""
        self.spoken_data = None
        self.demo = False
        self.empty = False
        for card in self.ids.lines.children:
            if card.hours is not None:
                self.pool.release(card.hours)
                card.hours = None
        self.ids.lines.clear_widgets()

    def apply(self, lines: list[UrgentLine]) -> None:
        self.clear()
        self.heading = tr._("Urgent help")
        self.demo = any(line.demo for line in lines)
        self.empty = not lines
        self.spoken_data = tuple(lines)
        for index, line in enumerate(lines):
            self.ids.lines.add_widget(self._card(line, index))
        # two lines a row on a wide page: the cards of a row as tall as each other, so their
        # tops line up (a grid puts a shorter card at the bottom of its row)
        even_rows(self.ids.lines)

    def _card(self, line: UrgentLine, index: int) -> UrgentLineCard:
        payload = tel_uri(line.number) or ""
        if index == len(self._cards):
            self._cards.append(UrgentLineCard())
        card = self._cards[index]
        card.name, card.number, card.answers = line.name, line.number, answers_text(line)
        card.provider = line.provider if line.provider != line.name else ""
        card.payload = payload if payload and is_allowed(payload) else ""
        card.always = bool(line.status and line.status.always)
        card.line = line
        view = card.ids.qr
        view.texture, view.payload, view.side = None, "", 0
        if not card.always and any(day.intervals for day in line.week):
            card.hours = blocks.hours_block(line.week, pool=self.pool)
            card.ids.text.add_widget(card.hours)
        if card.payload:
            self._show_code(card)
        return card

    def _show_code(self, card: UrgentLineCard) -> None:
        from kiosk.ui.handoff import code_size

        app = self.app
        max_side = code_side()
        key = (card.payload, max_side)
        view = card.ids.qr
        texture = app.qr_textures.get(key)
        if texture is not None:
            view.texture, view.payload = texture, card.payload
            return
        try:
            px, view.side = code_size(card.payload, max_side)
        except Exception:  # noqa: BLE001 - no code is better than a broken screen
            log.exception("sizing a call code failed")
            return
        future = app.qr.render_async(card.payload, px, bottom_up=True)
        future.add_done_callback(partial(self._made, self._generation, card, key))

    def _made(self, generation: int, card: UrgentLineCard, key: tuple, future) -> None:
        on_main(self._rendered, before_frame=True)(generation, card, key, future)

    def _rendered(self, generation: int, card: UrgentLineCard, key: tuple, future, *_dt) -> None:
        from kiosk.ui.handoff import make_texture

        if generation != self._generation:
            return   # the visitor has left (or the page was rebuilt)
        texture = self.app.qr_textures.get(key)
        if texture is None:
            try:
                texture = make_texture(future.result())
            except Exception:  # noqa: BLE001
                log.exception("rendering a call code failed")
                return
            self.app.qr_textures.put(key, texture)
        card.ids.qr.texture, card.ids.qr.payload = texture, card.payload

    @property
    def codes_shown(self) -> bool:
        """Every line's call code is on screen (tests and screenshots wait for it)."""
        cards = [c for c in self.ids.lines.children if isinstance(c, UrgentLineCard) and c.payload]
        return all(c.ids.qr.payload == c.payload for c in cards)

    def scroll_views(self):
        return [self.ids.scroll]


def code_side() -> int:
    """The most pixels a call code may take: a quarter of the screen's height."""
    from kivy.core.window import Window

    return int(Window.height * 0.25)


"""Urgent help: the lines staff marked ``x_urgent``, one tap from every visitor screen.

Each line shows its number in large type, when it answers, and a QR code that calls it
(``tel:``); where they go two a row, the two cards of a row are as tall as each other. While
the lines are demo data (not yet confirmed by staff) a notice says so. The screen is always
sensitive (:attr:`KioskScreen.sensitive`): its quick exit stands out.

Whoever opens it may be in danger, so the numbers are read at a glance at every text size
(:meth:`UrgentScreen.arrange`): the lines go two a row only where each card keeps its number
on one line and its words whole (never at the largest text), its code under its text where
beside it the text would be too narrow; a number is one run whose type shrinks to fit its
card rather than break (:func:`number_font`); and the explanation, then the notice too, go
under the lines where they would push the first number out of view
(:meth:`UrgentScreen.place_head`).
The codes are made off the main thread like the service screen's (:mod:`kiosk.ui.handoff`).
"""
from __future__ import annotations

import functools
import logging
import re
from functools import partial
from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty

from kiosk.catalogue.cards import UrgentLine
from kiosk.handoff.links import is_allowed, tel_uri
from kiosk.ui import blocks
from kiosk.ui import format as fmt
from kiosk.ui.base import KioskScreen
from kiosk.ui.i18n import tr
from kiosk.ui.threads import on_main
from kiosk.ui.pool import WidgetPool
from kiosk.ui.theme import SCALES, theme
from kiosk.ui.widgets import Card, even_rows

log = logging.getLogger(__name__)

#: a number's type, at most, against the display size: the largest text on the screen
NUMBER_SCALE = 1.3
#: the narrowest a card's column of text may be, in ems of the body text (about twenty
#: letters): "when it answers" keeps a few words a line, never one
MEASURE_EMS = 10


@functools.lru_cache(maxsize=2048)
def text_width(text: str, font_size: float, bold: bool = False,
               font_name: str = "Roboto") -> float:
    """The width in pixels of ``text`` set on one line."""
    from kivy.core.text import Label as CoreLabel

    if not text:
        return 0.0
    core = CoreLabel(text=text, font_size=font_size, bold=bold, font_name=font_name)
    core.refresh()
    return float(core.texture.size[0]) if core.texture else 0.0


def number_font(number: str, largest: float, room: float, bold: bool = True,
                font_name: str = "Roboto") -> float:
    """The font size that sets ``number`` on one line in ``room`` pixels: ``largest`` where it
    fits, else as much smaller as it takes (a number is never broken across lines)."""
    room -= 2          # a pixel each side for rounding: a text exactly as wide would wrap
    if not number or room <= 0 or text_width(number, largest, bold, font_name) <= room:
        return largest
    size = largest * room / text_width(number, largest, bold, font_name)
    size = int(size * 2) / 2             # half pixels: fewer sizes to measure and cache
    while size > 1 and text_width(number, size, bold, font_name) > room:
        size -= 0.5
    return max(size, 1.0)


_DIGIT_SPACE = re.compile(r"(?<=\d) (?=\d)")


def keep_numbers(text: str) -> str:
    """``text`` with the spaces inside a number (the "116 117" of "Linja ... – 116 117") made
    no-break spaces: a line ends before or after the number, never inside it."""
    return _DIGIT_SPACE.sub("\u00a0", text)


def longest_word(text: str, font_size: float, bold: bool = False,
                 font_name: str = "Roboto") -> float:
    """The width of the widest word of ``text`` (words part at spaces, not at no-break spaces):
    a column narrower would split it."""
    words = (word for word in text.split(" ") if word.strip())
    return max((text_width(word, font_size, bold, font_name) for word in words), default=0.0)


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
    #: the call code beside the text (False: under it, where beside it the text would be too
    #: narrow); set by :meth:`UrgentScreen.arrange`
    side = BooleanProperty(True)
    #: the number's largest font size where the page is too short to show the first number at
    #: its full size (0: no such limit); set by :meth:`UrgentScreen.place_head`
    number_cap = NumericProperty(0)
    #: the number's font size without that limit (its width's fit)
    fitted = 0.0
    #: the line's opening hours this week, when it is not always open (from the screen's pool)
    hours = None

    def __init__(self, **kwargs) -> None:
        self._refit = Clock.create_trigger(self.fit_number, -1)
        super().__init__(**kwargs)
        self.ids.text.fbind("width", self._refit)
        self.fbind("number", self._refit)
        self.fbind("number_cap", self._refit)
        # after the label's own rule has set the display size for the new text size
        theme.fbind("sizes_version", self._refit)
        self.fit_number()

    def fit_number(self, *_args) -> None:
        """The number as large as :data:`NUMBER_SCALE` times the display size, on one line
        in the width of the card's text: smaller where that is too narrow for it (or the page
        too short, :attr:`number_cap`)."""
        label = self.ids.number
        self.fitted = number_font(self.number, theme.display * NUMBER_SCALE, self.ids.text.width,
                                  label.bold, label.font_name)
        label.font_size = min(self.fitted, self.number_cap) if self.number_cap else self.fitted

    def number_height(self) -> float:
        """The number's height at :attr:`fitted` (text is as tall as its font is large)."""
        label = self.ids.number
        return label.height * self.fitted / label.font_size if label.font_size > 0 else label.height

    def text_room(self, number_size: float) -> float:
        """The narrowest column of text this card may have: its number on one line at
        ``number_size``, no word of its name, hours or provider split, and at least
        :data:`MEASURE_EMS` of the body text."""
        ids = self.ids
        answers = ids.answers
        icon = answers.children[-1].width + answers.spacing if answers.children else 0
        return max(MEASURE_EMS * theme.body,
                   text_width(self.number, number_size, ids.number.bold, ids.number.font_name),
                   longest_word(ids.name.text, ids.name.font_size, ids.name.bold,
                                ids.name.font_name),
                   icon + longest_word(self.answers, answers.ids.lbl.font_size, answers.bold,
                                       answers.ids.lbl.font_name),
                   longest_word(ids.provider.text, ids.provider.font_size, False,
                                ids.provider.font_name))

    def width_beside(self, number_size: float) -> float:
        """The card's least width with the code beside the text (:meth:`text_room`)."""
        pad = self.padding[0] + self.padding[2]
        return pad + self.text_room(number_size) + self.spacing + self.ids.code_box.width

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
        self._arrange = Clock.create_trigger(self.arrange, -1)
        self._place = Clock.create_trigger(self.place_head, -1)
        super().__init__(**kwargs)
        # whoever needs these lines may be watched: the quick exit always stands out here
        self.sensitive = True

    def on_kv_post(self, base_widget) -> None:
        super().on_kv_post(base_widget)
        ids = self.ids
        ids.lines.fbind("width", self._arrange)
        theme.fbind("sizes_version", self._arrange)
        for widget in (ids.title_row, ids.explain, ids.notice_box, ids.scroll):
            widget.fbind("height", self._place)
        self.fbind("demo", self._place)

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
        self.arrange()
        # two lines a row on a wide page: the cards of a row as tall as each other, so their
        # tops line up (a grid puts a shorter card at the bottom of its row)
        even_rows(self.ids.lines)

    def arrange(self, *_args) -> None:
        """Two lines a row where each card, half the page wide, keeps its number whole at the
        display size at least and its words whole (:meth:`UrgentLineCard.text_room`); never at
        the largest text. One a row otherwise, each code beside its text where the text still
        has that room, else every code under its text."""
        grid = self.ids.lines
        cards = self.line_cards()
        if not cards:
            return
        least = theme.display
        half = (grid.width - grid.spacing[0]) / 2
        two = theme.scale < SCALES[-1] and all(card.width_beside(least) <= half for card in cards)
        side = two or all(card.width_beside(least) <= grid.width for card in cards)
        for card in cards:
            card.side = side
        grid.cols = 2 if two else 1
        self._place()

    def place_head(self, *_args) -> None:
        """The explanation and the demo notice above the lines, or under them where they would
        push the first line's number out of view: the explanation first (each code says "Scan
        to call"), then the notice too. Where even then the page is too short for the number
        at its size (a 7" panel at the largest text), the numbers are made smaller to fit.

        Decided on the number's height at its full size, so that the choice does not change
        the sizes it is made from."""
        ids, page = self.ids, self.ids.page
        cards = self.line_cards()
        layouts = ([ids.explain, ids.notice_box], [ids.notice_box], [])
        above, cap = layouts[0], 0.0
        if cards:
            card = cards[0]
            tall = card.number_height()
            number_low = card.padding[1] + card.ids.name.height + card.ids.text.spacing + tall
            room = ids.scroll.height
            for above in layouts:
                shown = [ids.title_row, *above]
                low = sum(w.height for w in shown) + page.spacing * len(shown) + number_low
                if low <= room:
                    break
            else:
                if tall > 0:
                    # the first number whole on view, as large as what is above it leaves room
                    cap = max(theme.body, card.fitted * (tall - (low - room) - 2) / tall)
        for card in cards:
            card.number_cap = cap
        below = [w for w in (ids.notice_box, ids.explain) if w not in above]
        order = [ids.title_row, *above, ids.lines, *below]
        if list(reversed(page.children)) != order:
            for widget in order:
                page.remove_widget(widget)
            for widget in order:
                page.add_widget(widget)

    def line_cards(self) -> list[UrgentLineCard]:
        """The lines' cards, in staff's order."""
        return [c for c in reversed(self.ids.lines.children) if isinstance(c, UrgentLineCard)]

    def _card(self, line: UrgentLine, index: int) -> UrgentLineCard:
        payload = tel_uri(line.number) or ""
        if index == len(self._cards):
            card = UrgentLineCard()
            # its words and its code's width decide one or two a row; its first lines' height
            # where the explanation goes
            for name in ("number", "name", "answers", "provider"):
                card.fbind(name, self._arrange)
            card.ids.code_box.fbind("width", self._arrange)
            for label in (card.ids.name, card.ids.number):
                label.fbind("height", self._place)
            self._cards.append(card)
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


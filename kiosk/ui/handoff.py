"""The service screen's hand-off actions: one large QR code at a time, chosen by large buttons
with icons, and (with a printer) a "Print" button.

The codes are made off the main thread (:meth:`kiosk.handoff.qr.QrCodes.render_async`) and turned into a
texture back on it; the texture is drawn at exactly its pixel size with nearest-neighbour
filtering, so every module is a whole number of screen pixels.

The first code should be on screen with the page (``tests/bench/qr_latency.py`` measures it):

- its size is known before it is made (:func:`code_modules` reads the QR version off the data's
  length, without encoding), so the page is laid out once with room for it and is encoded only
  once (the module size is chosen beforehand);
- the worker starts while the page is being built, and just before the page's first frame is
  drawn the main thread waits for it, at most :attr:`HandoffPanel.FIRST_FRAME_WAIT`: a code made
  in that time is in the first frame, a slower one follows as soon as it is made (the frame it
  lands in only redraws);
- textures are kept (the app's ``qr_textures``): a code shown before appears at once,
  and shortly after the first code is up the panel's other choices are made in the background, so
  that the visitor's next choice shows its code at once.
"""
from __future__ import annotations

import functools
import logging
from functools import partial
from typing import Any, Optional

import qrcode
from kivy.clock import Clock
from kivy.graphics.texture import Texture
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.handoff import in_lang
from kiosk.lru import Lru
from kiosk.handoff import qr
from kiosk.handoff.payloads import HandoffChoice, organization_choices, service_choices
from kiosk.handoff.printer import CANCELLED, PRINT_BUTTON, PRINTING
from kiosk.ui import usage
from kiosk.ui.i18n import tr
from kiosk.ui.layout import scroll_into_view, scroll_parent
from kiosk.ui.threads import on_main
from kiosk.ui.widgets import KButton

log = logging.getLogger(__name__)

#: The icon on each choice's button, so that it reads without reading.
CHOICE_ICONS = {"contact": "contact", "link": "website", "call": "phone", "directions": "location"}

#: How the choices may stand, best first, by where the panel is (:attr:`HandoffPanel.place`):
#: (columns, icon above the word, the font's role, the padding each side in dp). The first
#: whose every label wraps between words only, in at most :data:`MOST_LINES` lines, is used
#: (:func:`arrange_choices`): at the largest text a row of four becomes two rows of two
#: (1366x768: "kontaktin" and "Telefono" were cut in two), a word beside its icon goes under it.
ARRANGEMENTS = {
    # a small landscape panel: a column beside the code
    "beside": ((1, False, "button", 22), (1, True, "button", 8), (1, False, "small", 12),
               (1, True, "small", 8)),
    # a short landscape window (1366x768, 1280x800): one row of four, icon above word
    "row": ((4, True, "small", 8), (2, False, "small", 12), (2, True, "small", 8),
            (1, False, "small", 22), (1, True, "small", 8)),
    # anywhere else: two columns above the code
    "grid": ((2, False, "button", 22), (2, True, "button", 8), (1, False, "button", 22),
             (1, True, "button", 8)),
}
#: lines a choice's label may take before the next arrangement is tried
MOST_LINES = 2


def code_modules(payload: str) -> int:
    """Modules per side, quiet zone included, of the code :func:`kiosk.handoff.qr.make_matrix`
    makes for ``payload``, without making it: the version follows from the data's length."""
    code = qrcode.QRCode(error_correction=qr.ERROR_CORRECTION, border=qr.QUIET_ZONE)
    code.add_data(qrcode.util.QRData(payload.encode("utf-8")), optimize=0)
    return 4 * code.best_fit() + 17 + 2 * qr.QUIET_ZONE


def code_size(payload: str, max_side: Optional[int]) -> tuple[int, int]:
    """(pixels per module, side in pixels) of ``payload``'s code on screen."""
    from kiosk.ui.theme import theme

    modules = code_modules(payload)
    px = qr.px_per_module(modules, pitch_mm=theme.mm_per_px, max_side_px=max_side,
                          min_module_mm=theme.qr_module_mm)
    return px, modules * px


def make_texture(image: "qr.QrImage") -> Texture:
    """A Kivy texture of ``image`` (RGBA, bottom row first), sharp when magnified."""
    texture = Texture.create(size=(image.width, image.height), colorfmt="rgba")
    texture.mag_filter = "nearest"
    texture.min_filter = "nearest"
    buf = image.rgba
    if not image.bottom_up:
        row = image.width * 4
        buf = b"".join(buf[i:i + row] for i in range(len(buf) - row, -1, -row))
    texture.blit_buffer(buf, colorfmt="rgba", bufferfmt="ubyte")
    return texture


def wrapped_lines(text: str, width: float, font_size: float, font_name: str,
                  bold: bool = True) -> list[str]:
    """The lines a button's label (centred, ``bold``) breaks ``text`` into at ``width``."""
    from kivy.core.text import Label as CoreLabel

    core = CoreLabel(text=text, font_size=font_size, font_name=font_name, bold=bold,
                     halign="center", text_size=(width, None))
    core.render()
    return ["".join(word.text for word in line.words) for line in core._cached_lines]


def whole_words(text: str, lines: list[str]) -> bool:
    """``lines`` break ``text`` between its words only (no word cut in two)."""
    return [w for line in lines for w in line.split()] == text.split()


@functools.lru_cache(maxsize=64)
def arrange_choices(texts: tuple[str, ...], place: str, width: float, spacing: float, icon_size: float,
                    small: float, button: float, font_name: str) -> tuple[int, bool, str, int]:
    """The first of ``ARRANGEMENTS[place]`` in which each of ``texts`` breaks only
    between words, in at most :data:`MOST_LINES` lines, across ``width`` (spaced by
    ``spacing``); else the first that breaks no word; else the last. ``small`` and ``button``
    are the two fonts' sizes; the label's room follows KButton's rule (widgets.kv)."""
    candidates = ARRANGEMENTS[place]
    fonts = {"small": small, "button": button}
    unbroken = None
    for arrangement in candidates:
        cols, stack, role, hpad = arrangement
        shown = max(1, min(cols, len(texts)))
        column = (width - spacing * (shown - 1)) / shown
        room = max(dp(20), column - 2 * dp(hpad) - (0 if stack else icon_size + dp(12)))
        wrapped = [wrapped_lines(text, room, fonts[role], font_name) for text in texts]
        if all(whole_words(t, lines) for t, lines in zip(texts, wrapped)):
            if all(len(lines) <= MOST_LINES for lines in wrapped):
                return arrangement
            unbroken = unbroken or arrangement
    return unbroken or candidates[-1]


class QrView(Widget):
    """A QR code texture shown at exactly its pixel size; ``side`` keeps its room meanwhile."""

    texture = ObjectProperty(None, allownone=True)
    payload = StringProperty("")
    side = NumericProperty(0)


class HandoffPanel(BoxLayout):
    """Choice buttons, the selected choice's QR code and explanation, and the Print button."""

    explanation = StringProperty("")
    selected = StringProperty("")
    can_print = BooleanProperty(False)
    print_status = StringProperty("")
    print_text = StringProperty("")
    max_side_px = NumericProperty(0)
    #: seconds the frame that shows a choice may wait for its code, rather than show it without
    FIRST_FRAME_WAIT = 0.05
    #: seconds after the first code is shown before the other choices' codes are made
    PREPARE_AFTER = 0.3
    #: the tallest code shown so far: the panel keeps its room so nothing below jumps
    qr_room = NumericProperty(0)
    #: a sensitive service: what its take-aways are called instead of its names
    privacy_note = StringProperty("")
    #: the choices beside the code rather than above it (a small landscape panel)
    side_by_side = BooleanProperty(False)
    #: a short landscape window (1366x768): the choices in one row of four, icon above word,
    #: where their words fit (:data:`ARRANGEMENTS`)
    one_row = BooleanProperty(False)
    #: the columns the choices stand in (:meth:`_arrange`)
    cols = NumericProperty(2)
    #: the code would end below the fold with its explanation above it (:meth:`_check_fold`):
    #: the explanation goes under the code
    code_past_fold = BooleanProperty(False)
    #: the explanation under the code rather than above it (set in handoff.kv: a small or
    #: short window with the speech controls taking a row of the bar)
    caption_below = BooleanProperty(False)

    def __init__(self, detail: Any, lang: str, choices: list[HandoffChoice], *, codes: Any,
                 textures: Lru, printer: Any = None, now: Any = None, max_side_px: float = 0, **kwargs):
        super().__init__(**kwargs)
        self.codes = codes
        self.textures = textures
        self._generation = 0
        self._choice_buttons: list[KButton] = []
        self._print_buttons: Optional[tuple[KButton, KButton]] = None
        self._arrangement: tuple = ()
        self._scroll: Any = None
        self._arrange_soon = Clock.create_trigger(self._arrange, -1)
        self._fit_heights_soon = Clock.create_trigger(self._fit_heights, -1)
        self._check_fold_soon = Clock.create_trigger(self._check_fold, -1)
        from kiosk.ui.theme import theme

        theme.bind(sizes_version=self._arrange_soon, min_target=self._arrange_soon)
        self.ids.choices.bind(width=self._arrange_soon)
        for widget in (self, self.ids.code_box, self.ids.explanation):
            widget.bind(pos=self._check_fold_soon, size=self._check_fold_soon)
        self.bind(qr_room=self._check_fold_soon, parent=self._check_fold_soon)
        self.refill(detail, lang, choices, printer=printer, now=now, max_side_px=max_side_px)

    def refill(self, detail: Any, lang: str, choices: list[HandoffChoice], *, printer: Any = None,
               now: Any = None, max_side_px: float = 0) -> None:
        """Show ``detail``'s choices: the page's panel is refilled, not made again (a panel is
        thirty widgets, and one made per page was the most of what a service page left for the
        garbage collector). Nothing of the last page stays: its code, its print status, its note."""
        from kiosk.ui.theme import theme

        self._generation += 1          # a code still being made for the last page is not shown
        self._others_asked = False
        self.side_by_side = theme.compact and not theme.portrait
        self.one_row = not self.side_by_side and theme.short
        self.detail = detail
        self.lang = lang
        self.choices = list(choices)
        self.printer = printer
        self.now = now
        self.max_side_px = max_side_px
        self.qr_room = 0
        self.selected = ""
        self.explanation = ""
        self.print_status = ""
        view = self.ids.qr
        view.texture, view.payload, view.side = None, "", 0
        self.can_print = bool(printer is not None and printer.enabled)
        self.print_text = in_lang(lang, PRINT_BUTTON)
        box = self.ids.choices
        while len(self._choice_buttons) < len(self.choices):
            button = KButton(variant="secondary", auto_width=False)
            button.bind(on_release=partial(self._chosen_at, len(self._choice_buttons)),
                        content_height=self._fit_heights_soon)
            self._choice_buttons.append(button)
        box.clear_widgets()
        self.buttons: dict[str, KButton] = {}
        for choice, button in zip(self.choices, self._choice_buttons):
            button.text = choice.title
            # the keypad's ring and a touch with speech on say what scanning it gives
            button.speech_detail = choice.explanation
            button.icon = CHOICE_ICONS.get(choice.kind, "")
            button.variant = "secondary"
            box.add_widget(button)
            self.buttons[choice.kind] = button
        self._arrangement = ()
        self._arrange()
        # a sensitive service, or an organization that offers one
        self.discreet = bool(getattr(detail, "sensitive", False))
        self.privacy_note = ""
        if self.discreet:
            # the visitor knows what the phone and the slip will call it (an organization's
            # page makes no slip)
            from kiosk.handoff.vcard import neutral_title

            note = (tr._("For your privacy, the saved contact and the slip are called “{title}”.")
                    if self.service_id else tr._("For your privacy, the saved contact is called “{title}”."))
            self.privacy_note = note.format(title=neutral_title(detail, lang))
        self.ids.print_box.clear_widgets()
        if self.can_print:
            print_button, with_address = self._print_pair()
            print_button.text = self.print_text
            self.ids.print_box.add_widget(print_button)
            if self.discreet:
                # a sensitive service's slip leaves the address out unless the visitor asks for it
                with_address.text = tr._("Print with address")
                self.ids.print_box.add_widget(with_address)
        if self.choices:
            self.select(self.choices[0].kind)

    def _print_pair(self) -> tuple[KButton, KButton]:
        """The Print button and the "Print with address" button: made once, bound once."""
        if self._print_buttons is None:
            print_button = KButton(icon="print", variant="primary")
            print_button.bind(on_release=self.print_slip)
            with_address = KButton(icon="location", variant="secondary")
            with_address.bind(on_release=partial(self.print_slip, with_address=True))
            self._print_buttons = (print_button, with_address)
        return self._print_buttons

    def on_caption_below(self, *_args) -> None:
        if "code_box" not in self.ids:
            return           # the rule is still being applied: placed when its ids exist
        box, label = self.ids.code_box, self.ids.explanation
        if (box.children.index(label) == 0) == self.caption_below:
            return
        box.remove_widget(label)
        # children run bottom-up: index 0 is the last, under the code
        box.add_widget(label, index=0 if self.caption_below else len(box.children))

    @property
    def place(self) -> str:
        """Where the choices stand: "beside" the code, in a "row" over it, or a "grid"."""
        return "beside" if self.side_by_side else ("row" if self.one_row else "grid")

    def _arrange(self, *_args) -> None:
        """The choices' columns, icon placement, font and padding for the width they have and
        the text size (:func:`arrange_choices`), then their height (:meth:`_fit_heights`)."""
        from kiosk.ui.theme import theme

        buttons = self.ids.choices.children[::-1]
        width = self.ids.choices.width
        if not buttons or width <= 1:
            return
        sample = buttons[0]
        arrangement = arrange_choices(
            tuple(b.text for b in buttons), self.place, width, self.ids.choices.spacing[0],
            sample.icon_size, theme.small, theme.button, sample.ids.lbl.font_name)
        self._arrangement = arrangement
        cols, stack, role, hpad = arrangement
        self.cols = cols
        for button in buttons:
            button.stack = stack
            # the theme's button size is followed by the button itself (0)
            button.font_size = theme.small if role == "small" else 0
            button.hpad = dp(hpad)
        self._fit_heights()

    def _fit_heights(self, *_args) -> None:
        """Every choice as tall as the tallest one's icon and words need (a grid's rows line
        up), and never under a finger's target: the icon and the words always inside."""
        from kiosk.ui.theme import theme

        buttons = self.ids.choices.children[::-1]
        if not buttons or not self._arrangement:
            return
        cols, stack, _role, _hpad = self._arrangement
        if self.side_by_side or self.one_row:
            # room is short: the smallest target (or the row of four's designed height), and a
            # narrower margin above and below the words
            least = dp(124) if (self.one_row and cols >= 4 and stack) else theme.min_target
            margin = dp(12)
        else:
            least, margin = theme.touch, dp(24)      # KButton's own rule (widgets.kv)
        height = max(least, max(b.content_height for b in buttons) + margin)
        for button in buttons:
            button.fixed_height = height

    def _check_fold(self, *_args) -> None:
        """Where the code, with its explanation above it, would end below the page's fold (the
        largest text on 1366x768 puts the choices in two rows), the explanation goes under the
        code, so the code is whole in view when the page opens. Measured from the top of what
        the page scrolls, so the same wherever it is scrolled to."""
        sv = scroll_parent(self)
        if sv is not self._scroll:
            if self._scroll is not None:
                self._scroll.unbind(height=self._check_fold_soon)
            self._scroll = sv
            if sv is not None:
                sv.bind(height=self._check_fold_soon)
        if sv is None or not sv.children:
            self.code_past_fold = False
            return
        content, box = sv.children[0], self.ids.code_box
        top = content.to_window(content.x, content.top)[1]
        box_top = box.to_window(box.x, box.top)[1]
        code = max(self.ids.qr.height, self.qr_room)
        need = (top - box_top) + self.ids.explanation.height + box.spacing + code
        self.code_past_fold = need > sv.height + 1

    def head_slot(self) -> Optional[Widget]:
        """Where the page may put its name and status: above the choices, beside the code, while
        they stand side by side (a small landscape panel); None otherwise."""
        return self.ids.head if self.side_by_side else None

    # ------------------------------------------------------------ QR code

    def choice(self, kind: str) -> Optional[HandoffChoice]:
        return next((c for c in self.choices if c.kind == kind), None)

    def _chosen_at(self, index: int, *_args) -> None:
        if index < len(self.choices):
            self._chosen(self.choices[index].kind)

    def _chosen(self, kind: str, *_args) -> None:
        self.select(kind)
        usage.note(f"qr:{kind}", *([f"qr_service:{self.detail.id}"] if self.service_id else []))
        # on the next frame, once the new explanation and code are laid out
        Clock.schedule_once(self._bring_code_into_view, 0)

    def _bring_code_into_view(self, *_dt) -> None:
        """After a touch on a choice, its code wholly in view, with its explanation when there is
        room for it and the button just touched: on a short window (or with the speech
        controls' row in the bar) the code can start below the fold, and a phone cannot read a
        code cut in half. The page scrolls no more than that, so the button stays in view beside
        or above the code (an explanation under the code is left below the fold rather than
        scroll the button away)."""
        sv = scroll_parent(self)
        if sv is None or self.parent is None:
            return
        box, code = self.ids.code_box, self.ids.qr
        pad = dp(24)
        whole = box.height + 2 * pad <= sv.height
        button = self.buttons.get(self.selected)
        if whole and button is not None:
            # with the explanation under the code, the box reaches further down: shown whole
            # only if the button touched stays in view above it
            top = button.to_window(button.x, button.top)[1]
            bottom = box.to_window(box.x, box.y)[1]
            whole = max(top, box.to_window(box.x, box.top)[1]) - bottom + 2 * pad <= sv.height
        scroll_into_view(sv, box if whole else code, pad)

    def select(self, kind: str) -> None:
        choice = self.choice(kind)
        if choice is None:
            return
        self.selected = kind
        self.explanation = choice.explanation
        for k, button in self.buttons.items():
            button.variant = "selected" if k == kind else "secondary"
        self._generation += 1
        view = self.ids.qr
        key = (choice.payload, int(self.max_side_px) or None)
        texture = self.textures.get(key)
        if texture is not None:
            self._show(choice.payload, texture)
            return
        view.texture = None
        view.payload = ""
        try:
            px, view.side = code_size(*key)
        except Exception:  # noqa: BLE001 - no code is better than a broken kiosk
            log.exception("sizing a QR code failed")
            return
        self.qr_room = max(self.qr_room, view.side)
        future = self.codes.render_async(key[0], px, bottom_up=True)
        future.add_done_callback(partial(self._made, self._generation, key))
        Clock.schedule_once(partial(self._wait_briefly, self._generation, key, future), -1)

    def _show(self, payload: str, texture: Texture) -> None:
        view = self.ids.qr
        view.texture = texture
        view.side = texture.width
        view.payload = payload
        self.qr_room = max(self.qr_room, texture.height)
        if not self._others_asked:
            self._others_asked = True
            Clock.schedule_once(self._prepare_others, self.PREPARE_AFTER)

    def _wait_briefly(self, generation: int, key: tuple[str, Optional[int]], future, *_dt) -> None:
        """Just before the frame that shows the choice: a code that is nearly made goes in it."""
        if generation != self._generation:
            return
        try:
            future.result(timeout=self.FIRST_FRAME_WAIT)
        except Exception:  # noqa: BLE001 - not made in time (or failed): it follows on its own
            return
        self._rendered(generation, key, future)

    def _made(self, generation: int, key: tuple[str, Optional[int]], future) -> None:
        # on the worker: back on the main thread before the next frame is drawn
        on_main(self._rendered, before_frame=True)(generation, key, future)

    def _rendered(self, generation: int, key: tuple[str, Optional[int]], future, *_dt) -> None:
        texture = self.textures.get(key)
        if texture is None:
            try:
                texture = make_texture(future.result())
            except Exception:  # noqa: BLE001 - no code is better than a broken kiosk
                log.exception("rendering a QR code failed")
                return
            self.textures.put(key, texture)
        if generation == self._generation and self.ids.qr.payload != key[0]:
            self._show(key[0], texture)

    def _prepare_others(self, *_dt) -> None:
        """Make the other choices' codes in the background, so that choosing one shows it at once."""
        max_side = int(self.max_side_px) or None
        for choice in self.choices:
            key = (choice.payload, max_side)
            if key in self.textures:
                continue
            try:
                px, _side = code_size(*key)
            except Exception:  # noqa: BLE001
                log.exception("sizing a QR code failed")
                continue
            self.codes.render_async(key[0], px, bottom_up=True).add_done_callback(partial(self._made, -1, key))

    # ------------------------------------------------------------ printing

    def print_slip(self, *_args, with_address: Optional[bool] = None) -> None:
        if not self.can_print:
            return
        self.print_status = in_lang(self.lang, PRINTING)
        _speak_printing("printing")
        try:
            refused = self.printer.submit(self.detail, self.lang, self.now, on_done=on_main(self._printed),
                                          with_address=with_address)
        except Exception:  # noqa: BLE001
            log.exception("printing failed to start")
            refused = None
            self.print_status = in_lang(self.lang, "The slip could not be printed. Please scan a QR code instead.")
        if refused is not None:
            self.print_status = refused.message(self.lang)
            usage.note("slip:failed")
            _speak_printing(refused.code)

    def _printed(self, result: Any) -> None:
        if result.code == CANCELLED:
            return   # the visitor has left (quick exit): nothing to say, nobody to say it to
        self.print_status = result.message(self.lang)
        usage.note("slip:ok" if result.ok else "slip:failed",
                   *([f"slip_service:{self.detail.id}"] if result.ok and self.service_id else []))
        _speak_printing(result.code, self.detail if result.ok else None, self.lang)

    @property
    def service_id(self) -> str:
        """The service this panel is for ('' on an organization's)."""
        return str(getattr(self.detail, "id", "") or "") if hasattr(self.detail, "organization") else ""


def _speak_printing(code: str, detail: Any = None, lang: str = "sq") -> None:
    """With speech on, the printing outcome, then what a printed slip says (the receipt)."""
    from kivy.app import App

    app = App.get_running_app()
    speech = getattr(app, "speech", None)
    if speech is None or not speech.on:
        return
    slip = None
    if detail is not None:
        from kiosk.handoff.slip import build_slip

        config = app.kiosk_config
        try:
            slip = build_slip(detail, lang, centre_name=config.kiosk.centre_name,
                              public_base_url=config.handoff.public_base_url)
        except Exception:  # noqa: BLE001 - the outcome is said even if the slip cannot be
            log.exception("the slip could not be made for speech")
    speech.printing(code, slip)


def service_handoff(app: Any, detail: Any) -> Optional[HandoffPanel]:
    """The service screen's codes and Print button (one of ``app.service_actions``); None when
    there is nothing to offer."""
    lang = tr.lang
    choices = service_choices(detail, lang, app.kiosk_config.handoff.public_base_url)
    printer = app.printer
    if not choices and not printer.enabled:
        return None
    return page_panel(app, "service", detail, lang, choices, printer=printer, now=app.reads.now())


def prepare_first_codes(app: Any, service_ids: list[str], lang: str, pages_read: Any) -> None:
    """The first code of each of these services' pages, made ahead while the visitor looks at
    the list that shows them, so a service nobody opened before has its code in the page's
    first frame without making it at the touch (about 30 ms of Python that would share the
    frame's time). ``pages_read`` is the future of :meth:`kiosk.reads.Reads.prefetch_services`:
    once the pages are read, the codes are made in list order on the codes' worker and turned
    into textures on the main thread, one per callback, between frames."""
    max_side = code_room() or None
    base_url = app.kiosk_config.handoff.public_base_url
    textures, codes = app.qr_textures, app.qr

    def texture_made(key: tuple[str, Optional[int]], future) -> None:
        if key in textures or future.exception() is not None:
            return
        textures.put(key, make_texture(future.result()))

    def pages_ready(future) -> None:             # on the reads' worker
        if future.cancelled() or future.exception() is not None:
            return
        for service_id in service_ids:
            page = app.reads.service_page(service_id, lang, cached_only=True)
            if page is None or page[0] is None:
                continue
            try:
                choices = service_choices(page[0], lang, base_url)
                if not choices:
                    continue
                key = (choices[0].payload, max_side)
                if key in textures:
                    continue
                px, _side = code_size(*key)
            except Exception:  # noqa: BLE001 - the code is made at the touch instead
                log.exception("preparing a QR code failed")
                continue
            codes.render_async(key[0], px, bottom_up=True).add_done_callback(
                on_main(partial(texture_made, key)))

    pages_read.add_done_callback(pages_ready)


def organization_handoff(app: Any, detail: Any) -> Optional[HandoffPanel]:
    """The organization screen's codes (contact, its public page, call, directions); no slip,
    which is made for one service. None when there is nothing to offer."""
    lang = tr.lang
    choices = organization_choices(detail, lang, app.kiosk_config.handoff.public_base_url, org_pages=True)
    if not choices:
        return None
    return page_panel(app, "organization", detail, lang, choices, now=app.reads.now())


def page_panel(app: Any, page: str, detail: Any, lang: str, choices: list[HandoffChoice], *,
               printer: Any = None, now: Any = None) -> HandoffPanel:
    """The ``page`` screen's hand-off panel showing ``detail``: the one the screen showed
    before, refilled (taken off its old place), or a new one the first time."""
    panels = getattr(app, "handoff_panels", None)
    panel = panels.get(page) if panels is not None else None
    if panel is None:
        panel = HandoffPanel(detail, lang, choices, codes=app.qr, textures=app.qr_textures,
                             printer=printer, now=now, max_side_px=code_room())
        if panels is not None:
            panels[page] = panel
        return panel
    if panel.parent is not None:
        panel.parent.remove_widget(panel)
    panel.refill(detail, lang, choices, printer=printer, now=now, max_side_px=code_room())
    return panel


def forget_panels(app: Any) -> None:
    """The next visitor: the panels kept for the next page forget the last one's codes and names."""
    for panel in getattr(app, "handoff_panels", {}).values():
        if panel.parent is not None:
            panel.parent.remove_widget(panel)
        panel.refill(None, panel.lang, [], printer=None, now=None, max_side_px=panel.max_side_px)


def code_room() -> int:
    """The most screen pixels a code may take: beside the page, and in view under the choices
    on a 1280x800 screen."""
    from kivy.core.window import Window

    from kiosk.ui.theme import theme

    if theme.compact and not theme.portrait:
        # beside the choices, under the name: what is left of the height once the bar,
        # the name and the status are drawn
        return int(min(Window.width * 0.45, Window.height * 0.45))
    return int(min(Window.width * 0.4, Window.height * 0.4))

"""The service screen's hand-off actions: one large QR code at a time, chosen by large buttons,
and (with a printer) a "Print" button.

The codes are rendered off the main thread (:mod:`kiosk.handoff.qr`) and turned into a texture
back on it; the texture is drawn at exactly its pixel size with nearest-neighbour filtering, so
every module is a whole number of screen pixels.
"""
from __future__ import annotations

import logging
import threading
from functools import partial
from typing import Any, Optional

from kivy.clock import mainthread
from kivy.graphics.texture import Texture
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.handoff import in_lang
from kiosk.handoff import qr
from kiosk.handoff.payloads import HandoffChoice, service_choices
from kiosk.handoff.printer import PRINT_BUTTON, PRINTING, shared_printer
from kiosk.ui.i18n import tr
from kiosk.ui.widgets import KButton

log = logging.getLogger(__name__)


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


class QrView(Widget):
    """A QR code texture shown at exactly its pixel size."""

    texture = ObjectProperty(None, allownone=True)
    payload = StringProperty("")


class HandoffPanel(BoxLayout):
    """Choice buttons, the selected choice's QR code and explanation, and the Print button."""

    explanation = StringProperty("")
    selected = StringProperty("")
    can_print = BooleanProperty(False)
    print_status = StringProperty("")
    print_text = StringProperty("")
    max_side_px = NumericProperty(0)

    def __init__(self, detail: Any, lang: str, choices: list[HandoffChoice], printer: Any = None,
                 now: Any = None, **kwargs):
        super().__init__(**kwargs)
        self.detail = detail
        self.lang = lang
        self.choices = list(choices)
        self.printer = printer
        self.now = now
        self.can_print = bool(printer is not None and printer.enabled)
        self.print_text = in_lang(lang, PRINT_BUTTON)
        self.buttons: dict[str, KButton] = {}
        self._generation = 0
        box = self.ids.choices
        for choice in self.choices:
            button = KButton(text=choice.title, variant="secondary", auto_width=False)
            button.bind(on_release=partial(self._chosen, choice.kind))
            box.add_widget(button)
            self.buttons[choice.kind] = button
        if self.can_print:
            self.print_button = KButton(text=self.print_text, icon="print", variant="primary")
            self.print_button.bind(on_release=self.print_slip)
            self.ids.print_box.add_widget(self.print_button)
        if self.choices:
            self.select(self.choices[0].kind)

    # ------------------------------------------------------------ QR code

    def choice(self, kind: str) -> Optional[HandoffChoice]:
        return next((c for c in self.choices if c.kind == kind), None)

    def _chosen(self, kind: str, *_args) -> None:
        self.select(kind)

    def select(self, kind: str) -> None:
        choice = self.choice(kind)
        if choice is None:
            return
        self.selected = kind
        self.explanation = choice.explanation
        for k, button in self.buttons.items():
            button.variant = "selected" if k == kind else "secondary"
        self._generation += 1
        generation = self._generation
        view = self.ids.qr
        view.texture = None
        view.payload = ""
        max_side = int(self.max_side_px) or None
        threading.Thread(target=self._render, args=(generation, choice.payload, max_side),
                         name="qr-render", daemon=True).start()

    def _render(self, generation: int, payload: str, max_side: Optional[int]) -> None:
        try:
            modules = qr.make_matrix(payload).size
            px = qr.px_per_module(modules, max_side_px=max_side)
            image = qr.rgba_image(payload, px, bottom_up=True)
        except Exception:  # noqa: BLE001 - no code is better than a broken kiosk
            log.exception("rendering a QR code failed")
            return
        self._rendered(generation, payload, image)

    @mainthread
    def _rendered(self, generation: int, payload: str, image: "qr.QrImage") -> None:
        if generation != self._generation:
            return   # the visitor chose another code meanwhile
        view = self.ids.qr
        view.texture = make_texture(image)
        view.payload = payload

    # ------------------------------------------------------------ printing

    def print_slip(self, *_args) -> None:
        if not self.can_print:
            return
        self.print_status = in_lang(self.lang, PRINTING)
        try:
            refused = self.printer.submit(self.detail, self.lang, self.now, on_done=self._printed)
        except Exception:  # noqa: BLE001
            log.exception("printing failed to start")
            refused = None
            self.print_status = in_lang(self.lang, "The slip could not be printed. Please scan a QR code instead.")
        if refused is not None:
            self.print_status = refused.message(self.lang)

    @mainthread
    def _printed(self, result: Any) -> None:
        self.print_status = result.message(self.lang)


def service_handoff_factory(app: Any):
    """The factory for ``app.service_actions``: detail -> :class:`HandoffPanel` (or None)."""
    config = app.kiosk_config

    def factory(detail: Any) -> Optional[HandoffPanel]:
        lang = tr.lang
        choices = service_choices(detail, lang, config.handoff.public_base_url)
        try:
            printer = shared_printer(config)
        except Exception:  # noqa: BLE001
            log.exception("the printer could not be set up")
            printer = None
        if not choices and (printer is None or not printer.enabled):
            return None
        now = app.services.now()
        from kivy.core.window import Window

        max_side = int(min(Window.width * 0.4, Window.height * 0.6))
        return HandoffPanel(detail, lang, choices, printer, now, max_side_px=max_side)

    return factory

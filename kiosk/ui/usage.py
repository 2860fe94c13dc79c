"""The anonymous usage counts, heard from the app's own state (screens, language, text size,
contrast, the search screen) and counted in :class:`kiosk.feedback.FeedbackStore`, memory only
until the store's next flush. Nothing here knows the visitor: a visit is begun and ended, and the
store keeps only per-hour counts, and per-day ones for a sensitive service, category or provider,
which the store recognises itself (see docs/feedback.md for the rules).

- A screen opened: ``category:<id>``, ``service:<id>``, ``organization:<id>``, ``search`` each time
  it comes on screen (the staff panel and the report screen are not counted).
- A visit begins when the welcome screen is left for a visitor's screen, or with a touch on a
  visitor's screen after the home button ended the last one; it ends with the home button or
  the idle reset (:meth:`UsageTracker.visit_over`).
- Language (``lang:<code>``) at the start of a visit and at each change during it; larger text
  (``text:large``), high contrast (``contrast:high``) and read aloud (``speech:on``) once a visit.
- A search that found nothing is given to the store once it settled: when the visitor leaves the
  search screen (or the visit ends) with nothing found for the words typed. Not a timer: a slow
  finger would count every prefix ("s", "st", "str") as a search of its own.
- QR codes chosen and slips (``qr:<kind>``, ``qr_service:<id>``, ``slip:ok|failed``,
  ``slip_service:<id>``) come from the hand-off panel through :func:`note`.
"""
from __future__ import annotations

import logging
from typing import Any

from kivy.app import App

from kiosk.ui.theme import SCALES, theme

log = logging.getLogger(__name__)
PAGES = {"category": ("category", "term_id"), "service": ("service", "service_id"),
         "organization": ("organization", "org_id")}
NOT_A_VISIT = ("welcome", "staff")


def note(*keys: str) -> None:
    """Count ``keys`` with the running app's tracker (no tracker: nothing happens)."""
    app = App.get_running_app()
    tracker = getattr(app, "usage", None) if app is not None else None
    if tracker is not None:
        tracker.note(*keys)


class UsageTracker:
    def __init__(self, app: Any, store: Any):
        self.app = app
        self.store = store
        self.in_visit = False
        self._once: set[str] = set()
        self._unmet_given = ""
        self._last_screen = "welcome"

    def install(self) -> "UsageTracker":
        from kivy.core.window import Window

        sm = self.app.sm
        sm.bind(current=self._screen)
        for name in (*PAGES, "search"):
            # the screens are built after the first frame (kiosk.ui.screens): each bound once made
            when_built = getattr(sm, "when_built", None)
            if when_built is not None:
                when_built(name, lambda screen: screen.bind(params=self._params))
            else:
                sm.get_screen(name).bind(params=self._params)
        self.app.bind(lang=self._lang)
        theme.bind(scale=self._scale, contrast=self._contrast)
        Window.bind(on_touch_down=self._touch)
        speech = getattr(self.app, "speech", None)
        if speech is not None:   # read aloud turned on, once a visit
            speech.bind(on=lambda _speech, on: self.speech_on() if on else None)
        return self

    # ------------------------------------------------------------ counting

    def note(self, *keys: str) -> None:
        for key in keys:
            try:
                self.store.count(key)
            except Exception:  # noqa: BLE001 - counting must never break a screen
                log.exception("usage count %r", key)

    def once(self, key: str) -> None:
        if self.in_visit and key not in self._once:
            self._once.add(key)
            self.note(key)

    def _count_page(self, name: str) -> None:
        if name == "search":
            self.note("search")
            return
        family, param = PAGES.get(name, (None, None))
        item = self.app.sm.get_screen(name).params.get(param) if family else None
        if item:
            self.note(f"{family}:{item}")

    # ------------------------------------------------------------ visits

    def visit_begins(self) -> None:
        if not self.in_visit:
            self.in_visit = True
            self._once.clear()
            self._unmet_given = ""
            self.store.visit_started()
            self.note(f"lang:{self.app.lang}")

    def visit_over(self, idle: bool = False) -> None:
        """The home button (``idle`` False) or the idle reset ended the visit."""
        if not self.in_visit:
            return
        self._give_unmet()
        cfg = self.app.kiosk_config.kiosk
        trailing = float(cfg.idle_timeout + cfg.idle_countdown) if idle else 0.0
        try:
            self.store.visit_ended(trailing_idle=trailing)
        except Exception:  # noqa: BLE001
            log.exception("visit end")
        self.in_visit = False

    # ------------------------------------------------------------ what the app says

    def _touch(self, _window: Any, _touch: Any) -> bool:
        if self.app.sm.current not in NOT_A_VISIT:
            self.visit_begins()
        return False

    def _screen(self, _sm: Any, name: str) -> None:
        came_from, self._last_screen = self._last_screen, name
        if name in NOT_A_VISIT:
            return
        if came_from == "welcome":
            self.visit_begins()
        if name != "search":
            self._give_unmet()
        if self.in_visit:
            self._count_page(name)

    def _params(self, screen: Any, _params: Any) -> None:
        if self.app.sm.current == screen.name and self.in_visit:
            self._count_page(screen.name)

    def _lang(self, _app: Any, lang: str) -> None:
        if self.in_visit and self.app.sm.current not in NOT_A_VISIT:
            self.note(f"lang:{lang}")

    def _scale(self, _theme: Any, scale: float) -> None:
        if scale > SCALES[0]:
            self.once("text:large")

    def _contrast(self, _theme: Any, on: bool) -> None:
        if on:
            self.once("contrast:high")

    def speech_on(self) -> None:
        """Read aloud was turned on (for the speech controls)."""
        self.once("speech:on")

    # ------------------------------------------------------------ searches that found nothing

    def _give_unmet(self) -> None:
        search = self.app.sm.get_screen("search")
        term = search.searched if search.state == "none" else ""
        if term and term != self._unmet_given and self.in_visit:
            self._unmet_given = term
            try:
                self.store.unmet_search(term)
            except Exception:  # noqa: BLE001
                log.exception("unmet search")

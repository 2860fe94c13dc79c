"""What every screen has in common: parameters, loading data off the main thread, scroll memory.

A screen is shown with ``show(params)``. It asks the app to run :meth:`KioskScreen.fetch` on a
worker thread (plain service-layer calls, no widgets) and gets the result back on the main thread
in :meth:`KioskScreen.apply`. A generation counter drops answers that arrive after the visitor
has already moved on.
"""
from __future__ import annotations

import logging
from typing import Any, Optional

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, DictProperty, StringProperty
from kivy.uix.screenmanager import Screen
from kivy.uix.scrollview import ScrollView

log = logging.getLogger(__name__)


class KioskScreen(Screen):
    params = DictProperty({})
    loading = BooleanProperty(False)
    failed = BooleanProperty(False)
    #: the screen's title for the top bar and tests (already translated)
    heading = StringProperty("")

    _generation = 0
    _pending_scroll: Optional[dict] = None

    @property
    def app(self):
        return App.get_running_app()

    # ------------------------------------------------------------ showing and loading

    def show(self, params: dict, scroll: Optional[dict] = None) -> None:
        """Show the screen for ``params``; restore ``scroll`` (from history) once loaded."""
        changed = dict(params) != dict(self.params)
        self.params = dict(params)
        self._pending_scroll = scroll
        if changed:
            self.clear()
        if scroll is None:
            self.scroll_to_top()      # a new visit starts at the top; Back restores the place
        self.reload()

    def reload(self) -> None:
        """Fetch the data again (language or filter changed) and apply it when it arrives."""
        app = self.app
        if app is None:
            return
        self._generation += 1
        generation = self._generation
        self.loading = True
        self.failed = False
        lang = app.lang
        params = dict(self.params)
        app.call_async(self.fetch, app.services, lang, params, app.open_now,
                       on_done=lambda data: self._deliver(generation, data),
                       on_error=lambda exc: self._fail(generation, exc))

    def _deliver(self, generation: int, data: Any) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.apply(data)
        if self._pending_scroll is not None:
            scroll, self._pending_scroll = self._pending_scroll, None
            Clock.schedule_once(lambda _dt: self.restore_scroll(scroll), 0)

    def _fail(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        log.error("%s could not load %s: %r", self.name, self.params, exc)
        self.loading = False
        self.failed = True

    # ------------------------------------------------------------ for subclasses

    def fetch(self, services, lang: str, params: dict, open_now: bool) -> Any:
        """Runs on a worker thread: read what the screen needs through the service layer."""
        return None

    def apply(self, data: Any) -> None:
        """Runs on the main thread with what :meth:`fetch` returned."""

    def clear(self) -> None:
        """Forget the previous content before other content loads (no flash of the old one)."""

    def scroll_views(self) -> list[ScrollView]:
        return []

    def scroll_state(self) -> dict:
        return {i: sv.scroll_y for i, sv in enumerate(self.scroll_views())}

    def restore_scroll(self, state: dict) -> None:
        for i, sv in enumerate(self.scroll_views()):
            if i in state:
                sv.scroll_y = state[i]

    def scroll_to_top(self) -> None:
        for sv in self.scroll_views():
            sv.scroll_y = 1

    def reset_session(self) -> None:
        """Forget everything about the visitor who just left."""
        self._generation += 1
        self.params = {}
        self._pending_scroll = None
        self.loading = False
        self.failed = False
        self.clear()
        self.scroll_to_top()

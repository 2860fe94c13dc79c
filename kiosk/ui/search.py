"""Search: an on-screen keyboard, the typed words, and results that follow every key.

Each key press restarts a short timer; when it runs out the search runs on a worker thread and
the newest answer replaces the list (older answers that arrive late are dropped). On a wide
screen the keyboard sits on the left and the results on the right; on a portrait screen the
results are above the keyboard.
"""
from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, OptionProperty, StringProperty

from kiosk.ui import format as fmt
from kiosk.ui.base import KioskScreen

MAX_QUERY = 40
DEBOUNCE = 0.15


class SearchScreen(KioskScreen):
    query = StringProperty("")
    #: "idle" (nothing typed), "searching", "results" or "none"
    state = OptionProperty("idle", options=["idle", "searching", "results", "none"])
    count = NumericProperty(0)
    count_text = StringProperty("")
    landscape = BooleanProperty(True)
    searched = StringProperty("")  # the text the shown results are for

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._trigger = Clock.create_trigger(self._run_search, DEBOUNCE)
        self._search_generation = 0
        self.bind(size=self._arrange)
        Clock.schedule_once(self._arrange, 0)

    # ------------------------------------------------------------ keyboard

    def type_key(self, char: str) -> None:
        if len(self.query) >= MAX_QUERY:
            return
        if char == " " and (not self.query or self.query.endswith(" ")):
            return
        self.query += char

    def backspace(self) -> None:
        self.query = self.query[:-1]

    def clear_query(self) -> None:
        self.query = ""

    def on_query(self, *_args) -> None:
        if not self.query.strip():
            self._search_generation += 1
            self._trigger.cancel()
            self.ids.rv.data = []
            self.count = 0
            self.searched = ""
            self.state = "idle"
            return
        self.state = "searching" if self.state in ("idle", "searching") else self.state
        self._trigger()

    def _run_search(self, *_args) -> None:
        app = self.app
        if app is None:
            return
        self._search_generation += 1
        generation = self._search_generation
        text = self.query
        app.call_async(app.services.search, text, app.lang,
                       on_done=lambda results: self._show(generation, text, results),
                       on_error=lambda exc: self._show(generation, text, []))

    def _show(self, generation: int, text: str, results) -> None:
        if generation != self._search_generation:
            return
        data = []
        for r in results:
            kind, chip = fmt.status_chip(r.status) if r.kind == "service" else ("none", "")
            data.append({"kind": r.kind, "item_id": r.id, "name": r.name, "subtitle": r.subtitle,
                         "chip_kind": kind, "chip_text": chip})
        self.ids.rv.data = data
        self.count = len(data)
        self.count_text = fmt.results_count(len(data))
        self.searched = text
        self.state = "results" if data else "none"

    # ------------------------------------------------------------ screen life

    def reload(self) -> None:
        """Language changed or the screen was shown again: run the search again."""
        self.loading = False
        if self.query.strip():
            self._trigger()

    def scroll_views(self):
        return [self.ids.rv]

    def reset_session(self) -> None:
        super().reset_session()
        self.query = ""
        self.ids.rv.data = []
        self.state = "idle"

    def _arrange(self, *_args) -> None:
        """Keyboard left and results right when wide; title, results, keyboard when tall."""
        ids = self.ids
        if not hasattr(self, "_parts"):
            # strong references: ids are weak, and these widgets leave the tree for a while
            self._parts = {name: ids[name].__self__ for name in ("body", "left", "head", "spacer",
                                                                 "keyboard", "right")}
        p = self._parts
        landscape = self.width >= self.height * 1.15
        if landscape == self.landscape and getattr(self, "_arranged", False):
            return
        self._arranged = True
        self.landscape = landscape
        for name in ("head", "spacer", "keyboard", "left", "right"):
            widget = p[name]
            if widget.parent is not None:
                widget.parent.remove_widget(widget)
        body, left = p["body"], p["left"]
        if landscape:
            body.orientation = "horizontal"
            left.add_widget(p["head"])
            left.add_widget(p["spacer"])
            left.add_widget(p["keyboard"])
            body.add_widget(left)
            body.add_widget(p["right"])
        else:
            body.orientation = "vertical"
            body.add_widget(p["head"])
            body.add_widget(p["right"])
            body.add_widget(p["keyboard"])


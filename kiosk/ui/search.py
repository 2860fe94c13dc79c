"""Search: an on-screen keyboard, the typed words, and results that follow every key.

Every key press searches at once. While the catalogue answers within :data:`READY_SECONDS` the
search runs in the frame of the key press, so the key, the typed words and the results appear
together; while searches take longer they run on a worker thread, one at a time: keys typed
meanwhile are searched together as soon as it returns. Which way the next search goes follows
what the last ones cost (:data:`COST_WEIGHT`), inline or on the worker alike: one slow search (the
first letter of a word, matching thousands of names at 100,000 services) sends the next to the
worker, and searches as fast as the budget bring it back, instead of the rest of the visit
costing a second frame for every key. On a wide
screen the keyboard sits on the left and the results on the right; on a portrait screen the
typed words sit just above the keys and the results just above them, at the bottom of the room
left (on a totem the top of the screen is out of reach, and the words 60 cm above the keys).
"""
from __future__ import annotations

from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, OptionProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk.ui import format as fmt
from kiosk.ui.base import KioskScreen
from kiosk.ui.theme import theme

import logging
import time

MAX_QUERY = 40
#: while searches take longer than this (the estimate below), they run off the UI thread
READY_SECONDS = 0.03
#: the estimate of the next search's cost: this share of the last one's, the rest the estimate
#: before it (so one slow search counts for half, and two fast ones bring it back under budget)
COST_WEIGHT = 0.5

log = logging.getLogger(__name__)


class SearchScreen(KioskScreen):
    query = StringProperty("")
    #: "idle" (nothing typed), "searching", "results" or "none"
    state = OptionProperty("idle", options=["idle", "searching", "results", "none"])
    count = NumericProperty(0)
    count_text = StringProperty("")
    landscape = BooleanProperty(True)
    searched = StringProperty("")  # the text the shown results are for
    #: the smallest a key may get (set in search.kv: 9 mm on a 7" panel, else a touch target)
    key_floor = NumericProperty(0)
    #: what the left column holds above the keyboard in landscape: "all" (title and field);
    #: "field" (no title); "right" (neither: the field heads the results column), for a short
    #: panel whose keyboard, at its smallest, leaves too little room (the speech controls open
    #: under the top bar at 1280x720 and below); :meth:`_fit_head` chooses
    head_room = OptionProperty("all", options=["all", "field", "right"])
    #: in portrait, the keys' height (0: not yet measured): :meth:`_fit_portrait` lowers it, down
    #: to :attr:`key_floor`, when the results would otherwise get less than a row and a half
    portrait_key = NumericProperty(0)
    #: the "type something" and "nothing found" messages lose their icon and sit at the top of
    #: the results when the room there is shorter than they are (:meth:`_fit_head`)
    hint_tight = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._search_generation = 0
        self._in_flight = False     # a search is running on a worker
        self._again = False         # the words changed while it ran
        self.cost = 0.0             # what the next search is expected to take, in seconds
        self.bind(size=self._arrange)
        Clock.schedule_once(self._arrange, 0)
        self._fit = Clock.create_trigger(self._fit_head, -1)
        self.bind(key_floor=self._fit, landscape=self._fit)
        ids = self.ids
        ids.left.bind(height=self._fit)
        ids.field.bind(height=self._fit)
        ids.title.bind(texture_size=self._fit)
        ids.keyboard.bind(children=self._fit)
        ids.body.bind(height=self._fit)
        ids.hint.bind(height=self._fit)
        ids.nothing.bind(height=self._fit)
        theme.bind(key_font=self._fit, min_target=self._fit, row_height=self._fit)
        self._results_spacer = Widget()     # above the results in portrait (_fit_results)
        refit = Clock.create_trigger(self._fit_results, -1)
        self._refit_results = refit
        self.bind(state=refit, landscape=refit)
        ids.right.bind(height=refit)
        ids.count.bind(height=refit)
        ids.rv.layout_manager.bind(height=refit)
        ids.hint.bind(height=refit)
        ids.nothing.bind(height=refit)

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
            self._again = False
            self.ids.rv.data = []
            self.spoken_data = None
            self.count = 0
            self.searched = ""
            self.state = "idle"
            return
        self.state = "searching" if self.state in ("idle", "searching") else self.state
        self._search()

    def _search(self, *_args) -> None:
        app = self.app
        if app is None:
            return
        if self._in_flight:
            self._again = True
            return
        self._search_generation += 1
        generation = self._search_generation
        text = self.query
        if not self.slow:
            started = time.perf_counter()
            try:
                results = app.reads.search(text, app.lang)
            except Exception:  # noqa: BLE001 - a failed search shows "nothing found", never a crash
                log.exception("search failed")
                results = []
            self._measured(time.perf_counter() - started)
            self._show(generation, text, results)
            return
        self._in_flight = True
        search = app.reads.search

        def timed(*args):
            started = time.perf_counter()
            results = search(*args)
            return time.perf_counter() - started, results

        def done(answer) -> None:
            took, results = answer
            self._measured(took)
            self._answered(generation, text, results)

        app.call_async(timed, text, app.lang, on_done=done,
                       on_error=lambda exc: self._answered(generation, text, []))

    @property
    def slow(self) -> bool:
        """The next search goes to the worker: the last ones took longer than the budget."""
        return self.cost > READY_SECONDS

    def _measured(self, seconds: float) -> None:
        self.cost = COST_WEIGHT * seconds + (1 - COST_WEIGHT) * self.cost

    def _answered(self, generation: int, text: str, results) -> None:
        self._in_flight = False
        if self._again:            # newer words are waiting: search them instead of drawing these
            self._again = False
            self._search()
            return
        self._show(generation, text, results)

    def _show(self, generation: int, text: str, results) -> None:
        if generation != self._search_generation or text != self.query:
            return
        data = []
        for r in results:
            kind, chip = fmt.status_chip(r.status) if r.kind == "service" else ("none", "")
            data.append({"kind": r.kind, "item_id": r.id, "name": r.name, "subtitle": r.subtitle,
                         "chip_kind": kind, "chip_text": chip})
        self.ids.rv.data = data
        self.spoken_data = tuple(results)
        self.count = len(data)
        self.count_text = fmt.results_count(len(data))
        self.searched = text
        self.state = "results" if data else "none"

    # ------------------------------------------------------------ screen life

    def reload(self) -> None:
        """Language changed or the screen was shown again: run the search again."""
        self.loading = False
        if self.query.strip():
            Clock.schedule_once(self._search, 0)

    def scroll_views(self):
        return [self.ids.rv]

    def reset_session(self) -> None:
        super().reset_session()
        self._again = False
        self.cost = 0.0
        self.query = ""
        self.ids.rv.data = []
        self.state = "idle"

    def _arrange(self, *_args) -> None:
        """Keyboard left and results right when wide; when tall, from the bottom: the keyboard,
        the typed words, the results and the title over them."""
        ids = self.ids
        if not hasattr(self, "_parts"):
            # strong references: ids are weak, and these widgets leave the tree for a while
            self._parts = {name: ids[name].__self__ for name in ("body", "left", "head", "spacer",
                                                                 "keyboard", "right", "field")}
        p = self._parts
        landscape = self.width >= self.height * 1.15
        if landscape == self.landscape and getattr(self, "_arranged", False):
            return
        self._arranged = True
        self.landscape = landscape
        for name in ("head", "spacer", "keyboard", "left", "right", "field"):
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
            body.add_widget(p["right"])         # (the title in it, over the results: _fit_head)
            body.add_widget(p["keyboard"])      # (the typed words go above it: _fit_head)
        self._fit()

    def _fit_head(self, *_args) -> None:
        """In landscape, keep the typed words in view however short the panel: the keys never
        shrink below :attr:`key_floor`, so when the title, the field and the smallest keyboard
        do not fit in the left column, the title goes (and the room between the field and the
        keys), and then the field moves to the top of the results. Measured at the keyboard's
        smallest, so the choice does not flip as the keys grow into the room it makes."""
        p = getattr(self, "_parts", None)
        if p is None:
            return
        left, head, keyboard, spacer = p["left"], p["head"], p["keyboard"], p["spacer"]
        room = "all"
        tight = False
        if not self.landscape:
            room, tight = self._fit_portrait(p)
        else:
            rows = len(keyboard.children)
            free = left.height - rows * self.key_floor - max(0, rows - 1) * keyboard.spacing
            title = 0 if theme.compact else self.ids.title.texture_size[1]
            field = p["field"].height
            if free - 2 * left.spacing < (title + theme.gap if title else 0) + field:
                room = "field" if free - left.spacing >= field else "right"
            tight = room == "right"
        self.head_room = room
        self.hint_tight = tight
        field, right, body = p["field"], p["right"], p["body"]
        if not self.landscape:
            # the title over the results (none when it went), the words above the keys
            if room == "all" and head.parent is not right:
                if head.parent is not None:
                    head.parent.remove_widget(head)
                right.add_widget(head, index=len(right.children) - 1 if self._results_spacer.parent is right
                                 else len(right.children))
            elif room != "all" and head.parent is not None:
                head.parent.remove_widget(head)
            if field.parent is not body:
                if field.parent is not None:
                    field.parent.remove_widget(field)
                body.add_widget(field, index=body.children.index(keyboard) + 1)
            self._refit_results()
            return
        holder = right if room == "right" else head
        if field.parent is not holder:
            if field.parent is not None:
                field.parent.remove_widget(field)
            # at the top of either: after the title in the head, above the count in the results
            holder.add_widget(field, index=0 if holder is head else len(holder.children))
        # the room between the words and the keys, only while there is room to spare
        wanted = room == "all"
        if wanted and spacer.parent is None:
            left.add_widget(spacer, index=1)          # between the head and the keyboard
        elif not wanted and spacer.parent is left:
            left.remove_widget(spacer)
        self._refit_results()

    def _fit_results(self, *_args) -> None:
        """In portrait, the results (or the message shown instead) as tall as they are, at the
        bottom of their column, just above the typed words, with the count and the title above
        them; in landscape, the whole column. While a search runs they keep their height."""
        ids, right, spacer = self.ids, self.ids.right, self._results_spacer
        box = ids.list_box
        if self.landscape:
            if spacer.parent is not None:
                spacer.parent.remove_widget(spacer)
            box.size_hint_y = 1
            return
        if spacer.parent is None:
            right.add_widget(spacer, index=len(right.children))       # at the top
        fixed = sum(w.height for w in right.children if w is not spacer and w is not box.__self__)
        room = (right.height - right.padding[1] - right.padding[3] - fixed
                - right.spacing * (len(right.children) - 1))
        if self.state == "results":
            need = ids.rv.layout_manager.height
        elif self.state == "idle":
            need = ids.hint.height
        elif self.state == "none":
            need = ids.nothing.parent.height
        else:
            return
        box.size_hint_y = None
        box.height = max(0.0, min(room, need))

    #: the results a tall panel keeps in view above the keys, in rows
    PORTRAIT_ROWS = 1.5

    def _fit_portrait(self, p) -> tuple[str, bool]:
        """In portrait (title, field, results, keys from the top), give the results at least
        :attr:`PORTRAIT_ROWS` rows: lower the keys towards :attr:`key_floor`, then drop the
        title. A 7" portrait panel showed less than one row, and with the speech controls open
        a sliver. Measured from the panel and the text size only (not from what is typed or
        found), so the keys do not move while a visitor types. Returns (head_room, hint_tight)."""
        body, keyboard, right = p["body"], p["keyboard"], p["right"]
        natural = max(dp(84), theme.min_target, theme.key_font * 2.0)
        floor = min(natural, self.key_floor or natural)
        rows = len(keyboard.children) or 5
        # the keyboard's own spacing and padding, which do not change with the keys' height
        around = keyboard.spacing * max(0, rows - 1) + keyboard.padding[1] + keyboard.padding[3]
        # (title), results, typed words, keys: the gaps after the results and the words
        inner = body.height - body.padding[1] - body.padding[3] - body.spacing * 2
        title = self.ids.title.texture_size[1]
        field = p["field"].height
        count = theme.size_of("heading", theme.sizes_version) * 1.4 + right.spacing
        row = theme.row_height * (1.35 if right.width < dp(820) else 1)    # as search.kv's rows
        want = count + row * self.PORTRAIT_ROWS

        def results(key: float, with_title: bool) -> float:
            return inner - (title + body.spacing if with_title else 0) - field - rows * key - around

        def key_for(with_title: bool) -> float:
            spare = results(natural, with_title) - want
            return natural if spare >= 0 else max(floor, natural + spare / rows)

        room, key = "all", key_for(True)
        if results(key, True) < want and title:
            room, key = "field", key_for(False)
        self.portrait_key = key
        # the messages shown instead of results, at their full height (with the icon)
        full = max(w.height + (0 if w.show_icon else w.icon_side) for w in (self.ids.hint, self.ids.nothing))
        return room, results(key, room == "all") - count < full

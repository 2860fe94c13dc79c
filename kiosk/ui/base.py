"""What every screen has in common: parameters, loading data off the main thread, scroll memory.

A screen is shown with ``show(params)``. It asks the app to run :meth:`KioskScreen.fetch` on a
worker thread (plain service-layer calls, no widgets) and gets the result back on the main thread
in :meth:`KioskScreen.apply`. A generation counter drops answers that arrive after the visitor
has already moved on.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Callable, Optional

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
    #: it shows a sensitive service or category (the quick exit then stands out)
    sensitive = BooleanProperty(False)
    #: it shows the shared top bar, and keeps room for it (:mod:`kiosk.ui.stage`)
    top_bar = True

    #: the plain data the page shows, for :mod:`kiosk.ui.spoken` (None until it has some)
    spoken_data: Any = None
    _generation = 0
    _pending_scroll: Optional[dict] = None
    _waiting_frame = False
    #: a list of up to this many rows is given them all at once: sizing them costs Kivy about
    #: 5.5 ms a thousand under llvmpipe, less than the second frame a split costs (25-30 ms)
    ALL_ROWS = 3000
    #: in a longer list, the rows put in it before its screen is first drawn; the rest follow
    #: on the next frame
    FIRST_ROWS = 30
    #: seconds of building per frame once the first frame of a page is drawn
    STEP_BUDGET = 0.02

    def __init__(self, **kwargs: Any) -> None:
        self._steps: list[Callable[[], Any]] = []
        super().__init__(**kwargs)

    @property
    def app(self):
        return App.get_running_app()

    def on_kv_post(self, base_widget) -> None:
        """A screen that keeps room for the top bar at its top (``BarSpace``) keeps room for
        the foot at its bottom too (``ExitSpace``, :mod:`kiosk.ui.stage`): its page then ends
        above the foot's buttons, on every screen, with nothing to add to each one's rule."""
        bar_space = self.ids.get("bar_space")
        column = getattr(bar_space, "parent", None)
        if column is not None and "exit_space" not in self.ids:
            from kivy.factory import Factory

            space = Factory.ExitSpace()
            column.add_widget(space, index=0)     # the last child: the bottom of the column
            self.ids["exit_space"] = space

    def on_sensitive(self, _instance, value: bool) -> None:
        app = self.app
        if app is not None and getattr(app, "sm", None) is not None and app.sm.current == self.name:
            app.discreet = bool(value)

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
        self.failed = False
        lang = app.lang
        params = dict(self.params)
        ready = self.fetch_ready(app.reads, lang, params, app.open_now)
        if ready is not None:
            self.loading = True
            self._deliver(generation, ready)
            return
        self.loading = True
        app.call_async(self.fetch, app.reads, lang, params, app.open_now,
                       on_done=lambda data: self._deliver(generation, data),
                       on_error=lambda exc: self._fail(generation, exc))

    def _deliver(self, generation: int, data: Any) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.apply(data)
        speech = getattr(self.app, "speech", None)
        if speech is not None:
            speech.screen_ready(self)
        if not self._steps:
            self.page_built()
        if self._pending_scroll is not None and not self._steps:
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

    def fetch_ready(self, services, lang: str, params: dict, open_now: bool) -> Any:
        """Runs on the main thread: what :meth:`fetch` would return, if the service layer already
        has it at hand (a few milliseconds of work), else None. The page then appears in the
        very frame that answers the touch, with no worker round trip."""
        return None

    def apply(self, data: Any) -> None:
        """Runs on the main thread with what :meth:`fetch` returned."""

    def clear(self) -> None:
        """Forget the previous content before other content loads (no flash of the old one)."""

    def scroll_views(self) -> list[ScrollView]:
        return []

    def scroll_state(self) -> dict:
        return {i: sv.scroll_y for i, sv in enumerate(self.scroll_views())}

    # ------------------------------------------------------------ building in steps

    def set_rows(self, rv, data: list) -> None:
        """Give the RecycleView ``rv`` its rows, in the frame that answers the touch. Kivy sizes
        every row of a list when its data is set, which for 10,000 services would delay that
        frame by 55 ms: a list longer than :attr:`ALL_ROWS` gets a screenful at once and the
        rest after the frame that shows them is drawn."""
        if len(data) <= self.ALL_ROWS:
            rv.data = data
            return
        rv.data = data[:self.FIRST_ROWS]
        rest = data[self.FIRST_ROWS:]
        if rest:
            self.build_in_steps([lambda: rv.data.extend(rest)], budget=0)

    def build_in_steps(self, steps: list[Callable[[], Any]], budget: float = 0.03) -> None:
        """Run ``steps`` in order: those that fit in ``budget`` seconds now, so they are in the
        next frame, and the rest after it is drawn, ``STEP_BUDGET`` seconds' worth a frame. The visitor sees the top of a
        page at once instead of waiting for all of it; a new page cancels what is left."""
        self._steps.extend(steps)
        deadline = time.perf_counter() + budget
        while self._steps and time.perf_counter() < deadline:
            self._steps.pop(0)()
        if self._steps:
            self._after_next_frame()
        else:
            self.page_built()

    def page_built(self) -> None:
        """The page is complete. (Its widgets are *not* set aside from the garbage collector:
        they die with the next page; see :mod:`kiosk.memory`.) While the visitor reads it, the
        service page's widgets are made ahead, a few milliseconds a frame, so the touch that
        opens a service only fills them (:meth:`ServiceScreen.prepare`). Python's full garbage
        collections wait for a quiet moment on a complete page (:mod:`kiosk.ui.collector`)."""
        from kiosk.ui import collector

        self._prepare_service_page()
        collector.page_built(self)

    _preparing = None

    def _prepare_service_page(self) -> None:
        app = self.app
        sm = getattr(app, "sm", None)
        if sm is None or self.name == "service" or not sm.has_screen("service"):
            return
        service = sm.get_screen("service")
        prepare = getattr(service, "prepare", None)
        if prepare is None or KioskScreen._preparing is not None:
            return

        def step(_dt) -> bool:
            from kiosk.ui import collector

            if prepare() and collector.prepared():
                KioskScreen._preparing = None
                return False       # done: the clock stops calling
            return True

        KioskScreen._preparing = Clock.schedule_interval(step, 0)

    def _after_next_frame(self) -> None:
        from kivy.core.window import Window

        if not self._waiting_frame:
            self._waiting_frame = True
            Window.bind(on_flip=self._frame_drawn)

    def _frame_drawn(self, *_args) -> None:
        from kivy.core.window import Window

        Window.unbind(on_flip=self._frame_drawn)
        self._waiting_frame = False
        Clock.schedule_once(self._next_step, 0)

    def _next_step(self, _dt=None) -> None:
        deadline = time.perf_counter() + self.STEP_BUDGET
        while self._steps:
            self._steps.pop(0)()
            if time.perf_counter() >= deadline:
                break
        if self._steps:
            self._after_next_frame()
            return
        self.page_built()
        if self._pending_scroll is not None and not self.loading:
            scroll, self._pending_scroll = self._pending_scroll, None
            Clock.schedule_once(lambda _dt: self.restore_scroll(scroll), 0)

    def cancel_steps(self) -> None:
        self._steps = []

    @property
    def complete(self) -> bool:
        """False while part of the page is still to be built."""
        return not self._steps and not self.loading

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
        self.cancel_steps()
        self.loading = False
        self.failed = False
        self.sensitive = False
        self.clear()
        self.scroll_to_top()

"""A category: its narrower topics, then its services with today's opening status.

The heading (the topic's name, its narrower topics, the count and "Open now") scrolls away with
the list, so that at a large text size the rows get the screen rather than what is left under
the heading. The heading is not a row of the RecycleView (the keypad's focus ring reaches a
list's rows from its data, and would not reach the buttons of a row): it stands in a scroll view
of its own, :class:`HeadView`, under the list's first rows, and the list, :class:`HeadedList`,
leaves room for it above them and moves it as it scrolls (and follows it when the ring scrolls
the heading to one of its buttons). On a small landscape panel the heading stands beside the
list instead, below the largest text and where it fits in the height (:meth:`CategoryScreen.place_head`).
"""
from __future__ import annotations

from typing import Optional

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.scrollview import ScrollView

from kiosk.ui import format as fmt
from kiosk.ui.base import KioskScreen
from kiosk.ui.theme import theme
from kiosk.ui.widgets import KButton, KRecycleView, SteadyScroll


def _offset(view: ScrollView) -> tuple[float, float]:
    """How far ``view`` is scrolled from its top, and how far it can be, in px."""
    overflow = max(0.0, view.viewport_size[1] - view.height)
    return (1 - min(1.0, max(0.0, view.scroll_y))) * overflow, overflow


class HeadView(SteadyScroll, ScrollView):
    """The heading of a list, moved up by its list (:class:`HeadedList`) as the list scrolls;
    never scrolled by a finger (a touch on it scrolls the list)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("do_scroll_x", False)
        kwargs.setdefault("do_scroll_y", False)
        kwargs.setdefault("bar_width", 0)
        super().__init__(**kwargs)


class HeadedList(KRecycleView):
    """A list whose heading (in :attr:`head_view`, drawn under it) scrolls with its rows.

    :attr:`head_room` (the heading's height and a gap, or 0 with the heading elsewhere) is left
    empty above the first row; the heading shows through it and moves as far as the rows do.
    Rows as far below the view as the heading is tall are made too, so the focus ring, which
    estimates where a row lies from the rows alone, always finds the one it scrolls to."""

    head_view = ObjectProperty(None, allownone=True)
    head_room = NumericProperty(0)
    _leading = False            # moving the heading: its scroll is ours, not the ring's

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fbind("scroll_y", self._lead)
        self.fbind("height", self._lead)
        self.fbind("viewport_size", self._lead)
        self.fbind("head_room", self._lead)

    def on_head_view(self, _instance, view: Optional[HeadView]) -> None:
        if view is not None:
            view.fbind("scroll_y", self._follow)
            view.fbind("viewport_size", self._lead)
            view.fbind("height", self._lead)
            self._lead()

    def _lead(self, *_args) -> None:
        """Move the heading as far up as the rows have gone (up to all of it)."""
        view = self.head_view
        if view is None:
            return
        moved, _most = _offset(self)
        room = max(0.0, view.viewport_size[1] - view.height)
        if room <= 0:
            return
        goal = 1 - min(moved if self.head_room else 0.0, room) / room
        if abs(view.scroll_y - goal) > 1e-6:
            self._leading = True
            try:
                view.scroll_y = goal
            finally:
                self._leading = False

    def _follow(self, *_args) -> None:
        """The heading was scrolled (the focus ring bringing one of its buttons into view):
        take the rows along."""
        view = self.head_view
        if self._leading or view is None or not self.head_room:
            return
        wanted, room = _offset(view)
        moved, most = _offset(self)
        if most <= 0 or abs(min(moved, room) - wanted) <= 0.5:
            return
        self.scroll_y = 1 - min(wanted, most) / most

    def get_viewport(self):
        x, y, w, h = super().get_viewport()
        low = max(0.0, y - self.head_room)
        return x, low, w, h + (y - low)

    def on_touch_down(self, touch):
        # a button of the heading under the finger gets the touch (the heading is under the list)
        view = self.head_view
        if view is not None and self.head_room and self.collide_point(*touch.pos):
            wx, wy = self.to_window(*touch.pos)
            for widget in view.walk(restrict=True):
                if isinstance(widget, ButtonBehavior) and widget.opacity > 0 and not widget.disabled \
                        and widget.collide_point(*widget.to_widget(wx, wy)) and _shown(widget):
                    return False
        return super().on_touch_down(touch)


def _shown(widget) -> bool:
    w = widget
    while w is not None and w.parent is not w:
        if getattr(w, "opacity", 1) <= 0 or w.width <= 0 or w.height <= 0:
            return False
        if isinstance(w, HeadView):
            return True
        w = w.parent
    return True


def service_rows(rows, today=None) -> list[dict]:
    """RecycleView data for a list of ServiceRow."""
    data = []
    for row in rows:
        kind, text = fmt.status_chip(row.status, row.service_status)
        data.append({"kind": "service", "item_id": row.id, "name": row.name, "subtitle": row.provider,
                     "chip_kind": kind, "chip_text": text})
    return data


class CategoryScreen(KioskScreen):
    #: how many services at the top of the list have their pages prepared in the background
    PREFETCH = 8
    icon = StringProperty("category")
    parent_name = StringProperty("")
    count_text = StringProperty("")
    empty = BooleanProperty(False)
    missing = BooleanProperty(False)

    #: the heading stands beside the list (a small landscape panel, where it fits in the height)
    head_beside = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        ids = self.ids
        # a strong reference: ids are weak, and the heading moves from one parent to another
        self._head = ids.head.__self__
        self._too_tall = False          # beside the list, the heading did not fit in the height
        self._judge = Clock.create_trigger(self._judge_beside, 0)
        ids.body.bind(orientation=self._replace_head, size=self._replace_head)
        theme.bind(scale=self._replace_head)
        self._head.bind(height=self._head_room)
        ids.head_page.bind(spacing=self._head_room)
        self.place_head()

    def _replace_head(self, *_args) -> None:
        """Another panel shape or text size: beside the list again where it is wanted, until
        it is measured there."""
        self._too_tall = False
        self.place_head()

    def place_head(self, *_args) -> None:
        """The heading beside the list on a small landscape panel, below the largest text and
        where it fits in the height (at the largest text on a 7" panel "Open now" was under the
        screen's edge); else at the top of the list, scrolling away with it."""
        ids, head = self.ids, self._head
        beside = ids.body.orientation == "horizontal" and theme.scale < 1.5 and not self._too_tall
        holder = (ids.body if beside else ids.head_page).__self__
        if head.parent is not holder:
            if head.parent is not None:
                head.parent.remove_widget(head)
            holder.add_widget(head, index=len(holder.children))     # first: before the list
        self.head_beside = beside
        for button in ids.subs.children:
            # beside the list the sub-topics fill the column's width and wrap
            button.auto_width = not beside
        self._head_room()

    def _head_room(self, *_args) -> None:
        ids, head = self.ids, self._head
        inside = head.parent is ids.head_page.__self__
        ids.rv.head_room = (head.height + ids.head_page.spacing) if inside else 0
        if self.head_beside:
            self._judge()

    def _judge_beside(self, *_args) -> None:
        """Beside the list, once laid out (a frame on): a heading taller than the room goes to
        the top of the list instead."""
        body, head = self.ids.body, self._head
        if self.head_beside and head.height > body.height - body.padding[1] - body.padding[3] + 1:
            self._too_tall = True
            self.place_head()

    def fetch(self, services, lang, params, open_now):
        page = services.category_page(params.get("term_id", ""), lang, open_now=open_now)
        # The rows' text is made here, off the main thread.
        return page, open_now, service_rows(page.services) if page is not None else []

    def fetch_ready(self, services, lang, params, open_now):
        page = services.category_page(params.get("term_id", ""), lang, open_now=open_now, cached_only=True)
        return (page, open_now, service_rows(page.services)) if page is not None else None

    def clear(self) -> None:
        self.cancel_steps()
        self.heading = ""
        self.parent_name = ""
        self.count_text = ""
        self.empty = False
        self.missing = False
        self.sensitive = False
        self.ids.subs.clear_widgets()
        self.ids.rv.data = []
        self.spoken_data = None

    def apply(self, data) -> None:
        page, open_now, rows = data
        self.clear()
        self._replace_head()            # measured again for this page's heading
        if page is None:
            self.missing = True
            return
        self.heading = page.category.name
        self.sensitive = page.category.sensitive
        self.spoken_data = (page, open_now)
        self.icon = page.category.icon or "category"
        self.parent_name = page.parent.name if page.parent else ""
        subs = self.ids.subs
        # beside the list (a small landscape panel) the sub-topics fill the column's width and wrap
        beside = self.head_beside
        for sub in page.subcategories:
            button = self._sub_button()
            button.auto_width = not beside
            button.text = f"{sub.name}  ({sub.service_count})"
            # said as words, not "Nurseries, one, button"
            button.speech_label = f"{sub.name}, {fmt.services_count(sub.service_count)}"
            button.icon = sub.icon or "category"
            button.term_id = sub.id
            subs.add_widget(button)
        n = len(page.services)
        self.count_text = fmt.open_services_count(n) if open_now else fmt.services_count(n)
        self.set_rows(self.ids.rv, rows)
        # the services in view are the likely next touch: prepare their pages meanwhile
        app = self.app
        if app is not None and rows:
            ids = [r["item_id"] for r in rows[:self.PREFETCH]]
            read = app.reads.prefetch_services(ids, app.lang)
            if getattr(app, "qr", None) is not None:
                from kiosk.ui.handoff import prepare_first_codes

                prepare_first_codes(app, ids, app.lang, read)
        self.empty = n == 0

    def _sub_button(self) -> KButton:
        """A sub-category button, reused from earlier pages when one is free (making a button
        costs milliseconds; a category page is opened at every other touch)."""
        pool = self.__dict__.setdefault("_sub_pool", [])
        for button in pool:
            if button.parent is None:
                return button
        button = KButton(variant="secondary")
        button.term_id = ""
        button.bind(on_release=self._open_sub)
        pool.append(button)
        return button

    def _open_sub(self, button, *_args) -> None:
        self.app.open_category(button.term_id)

    def scroll_views(self):
        return [self.ids.rv]

"""The keypad's focus ring on screen (the keys themselves: :mod:`kiosk.ui.keypad`).

:class:`FocusController` finds every actionable item of what is on show (the idle question
when it is up, else the screen: its content first, then its bars), in reading order, as
:class:`Target` objects; it keeps :class:`kiosk.speech.keypad.FocusRing` (which stops at both
ends and says so: no focus trap, Back and Home always leave) and draws :class:`FocusHighlight`,
a thick yellow-and-black frame over the focused item, scrolled into view. The rows of a long
list (RecycleView) are targets from its data, so the ones not drawn yet can be reached too.

Sections (Left and Right jump from one to the next): a widget with a ``focus_section`` (one of
:data:`kiosk.speech.keypad.SECTION_NAMES`: the on-screen keyboard, a list's rows, the top bar,
the speech bar, the take-away choices) makes one of everything under it; every
:class:`~kiosk.ui.widgets.SectionCard` (a card of a service or organization page) is one too,
and the card itself is its first item, saying its title and lines (as a touch on it does), so a
card with nothing to press is reached as well. Any other item is a section of its own.

"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from kivy.clock import Clock
from kivy.graphics import Color, Line
from kivy.metrics import dp
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label
from kivy.uix.recycleview import RecycleView
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from kiosk.speech import keypad as kp
from kiosk.speech.parts import Part, plain, sentence
from kiosk.ui.i18n import tr
from kiosk.ui.layout import scroll_into_view, scroll_parent

log = logging.getLogger(__name__)


def shown(widget: Any) -> bool:
    """Visible and usable: no transparent, disabled or empty widget on the way to the window."""
    w = widget
    while w is not None and not _is_window(w):
        if getattr(w, "opacity", 1) <= 0 or getattr(w, "disabled", False) or w.width <= 0 or w.height <= 0:
            return False
        w = w.parent
    return w is not None


def _is_window(widget: Any) -> bool:
    from kivy.core.window import WindowBase

    return isinstance(widget, WindowBase)


def _labels(widget: Any) -> list[str]:
    return [w.text.strip() for w in widget.walk(restrict=True)
            if isinstance(w, Label) and w.text.strip() and w.opacity > 0]


@dataclass
class Target:
    """One actionable item: what it is called, how to act on it and where it is on screen."""

    id: str
    label: str
    role: str = "button"
    locate: Callable[[], Optional[Widget]] = lambda: None
    act: Callable[[], None] = lambda: None
    masked: bool = False          # a staff PIN key: never said by its digit
    texts: list = field(default_factory=list)   # a card's lines, said when it is touched
    detail: str = ""              # said after the role (a QR choice: what scanning gives)
    lang: str = ""                # the label's own language (a language button)
    section: str = ""             # the id of the section it is in ("" for none)
    noun: str = ""                # what it is counted as in its section ("service", "organization")
    card: bool = False            # a card itself, found after what is pressed on it by a touch

    @property
    def item(self) -> kp.FocusItem:
        return kp.FocusItem(self.id, self.label, self.role, self.detail, self.lang, self.section)

    def speech(self, lang: str) -> list[Part]:
        if self.texts:
            return [plain(lang, sentence(text)) for text in self.texts]
        return [kp.announce(self.item, lang)]


def widget_target(widget: Any, screen: Any) -> Target:
    from kiosk.ui.keyboard import KeyButton
    from kiosk.ui.widgets import CategoryTile, TextSizeControl, _ListRow

    role, masked = "button", False
    if getattr(widget, "speech_label", ""):
        label = widget.speech_label      # an icon-only button says what it does
    elif isinstance(widget, KeyButton):
        label, role = widget.word or widget.label or widget.value, "key"
        if label == "-":
            label = tr._("Dash")        # a bare "-" is dropped by the voice: "tast" alone
    elif isinstance(widget, (CategoryTile, _ListRow)):
        label, role = ". ".join(_labels(widget)), "link"
    elif isinstance(widget.parent, TextSizeControl):
        sizes = [c for c in reversed(widget.parent.children)]
        label = tr._("Text size {n} of {total}").format(n=sizes.index(widget) + 1, total=len(sizes))
    else:
        text = getattr(widget, "text", "")
        label = text if isinstance(text, str) and text.strip() else ". ".join(_labels(widget))
    if getattr(screen, "name", "") == "staff" and _inside(widget, screen.ids.get("keypad")):
        label, role, masked = tr._("PIN key"), "key", True
    ref = widget.proxy_ref

    def act() -> None:
        widget.trigger_action(duration=0)

    return Target(f"w{id(widget)}", label, role, lambda: ref if _alive(ref) else None, act, masked,
                  detail=getattr(widget, "speech_detail", "") or "",
                  lang=getattr(widget, "speech_lang", "") or "")


def text_target(widget: Any, label: str) -> Target:
    """A card with nothing to press that the ring still stops at (an urgent line: its name,
    number and hours), saying ``label``; Enter says it again."""
    ref = widget.proxy_ref
    return Target(f"w{id(widget)}", label, "text", lambda: ref if _alive(ref) else None)


def card_target(card: Any) -> Optional[Target]:
    """A card of a page as an item: its title and lines, without what its buttons say (they
    are items of their own, after it)."""
    # an address's lines as one line, with commas, as the page is read (screens._location)
    texts = [", ".join(x.strip() for x in w.text.strip().splitlines() if x.strip())
             for w in _walk_outside_buttons(card) if isinstance(w, Label) and w.text.strip() and w.opacity > 0]
    if not texts:
        return None
    ref = card.proxy_ref
    return Target(f"w{id(card)}", ". ".join(t.rstrip(".") for t in texts), "text",
                  lambda: ref if _alive(ref) else None, texts=texts, card=True)


def _walk_outside_buttons(widget: Any):
    for child in reversed(widget.children):
        if isinstance(child, ButtonBehavior) or getattr(child, "opacity", 1) <= 0:
            continue
        yield child
        yield from _walk_outside_buttons(child)


def _alive(ref: Any) -> bool:
    try:
        return ref.parent is not None
    except ReferenceError:
        return False


def _inside(widget: Any, ancestor: Any) -> bool:
    if ancestor is None:
        return False
    w = widget
    while w is not None and not _is_window(w):
        if w is ancestor or w is getattr(ancestor, "__self__", None):
            return True
        w = w.parent
    return False


def row_targets(rv: RecycleView, app: Any) -> list[Target]:
    """The rows of a long list from its data: each can be focused before it is drawn. A
    sensitive row says its neutral title and status, as the list is read
    (:func:`kiosk.ui.spoken.private_rows`); its page says its name when the visitor asks."""
    from kiosk.ui.spoken import private_rows

    private = private_rows(app.sm.current_screen, tr.lang) if app.sm is not None else {}
    targets = []
    for index, row in enumerate(rv.data):
        kind, item_id = row.get("kind", "service"), row.get("item_id", "")
        shown_name = (row.get("name", ""), row.get("subtitle", ""))
        if item_id in private:
            shown_name = (private[item_id],)
        label = ". ".join(x for x in (*shown_name, row.get("chip_text", "")) if x)
        targets.append(Target(f"row:{item_id}", label, "link", _row_locator(rv, index),
                              lambda kind=kind, item_id=item_id: app.open_item(kind, item_id),
                              noun=kind))
    return targets


def _row_locator(rv: RecycleView, index: int) -> Callable[[], Optional[Widget]]:
    def locate() -> Optional[Widget]:
        for view in rv.layout_manager.children if rv.layout_manager else ():
            if getattr(view, "index", None) == index:
                return view
        return None
    return locate


#: what the items of a section are counted as, by its kind (the results: by their own kind)
SECTION_NOUNS = {"keyboard": "key", "topics": "topic", "services": "service", "lines": "line",
                 "bar": "button", "speech": "button", "choices": "button"}


def collect(root: Any, app: Any, screen: Any, bars_on_top: tuple = ()) -> list[Target]:
    """The actionable items under ``root``: content first, then the bars (those inside it and
    ``bars_on_top``, the shared top bar standing over it), each in reading order."""
    return collect_sections(root, app, screen, bars_on_top)[0]


def collect_sections(root: Any, app: Any, screen: Any,
                     bars_on_top: tuple = ()) -> tuple[list[Target], list[kp.Section]]:
    """:func:`collect`, and the sections its items are in (see the module docstring)."""
    from kiosk.ui.widgets import ScrollButtons, SectionCard, TopBar

    content: list[Target] = []
    bars: list[Target] = []
    found: dict[str, tuple[str, str]] = {}     # section id -> (kind, name)

    def visit(widget: Any, out: list, section: str) -> None:
        if getattr(widget, "opacity", 1) <= 0 or getattr(widget, "disabled", False) \
                or widget.width <= 0 or widget.height <= 0:
            return
        if isinstance(widget, ScrollButtons):
            return          # the focus scrolls by itself
        if getattr(widget, "focus_skip", False):
            return          # a copy of an item the ring reaches elsewhere (the foot's quick exit)
        if isinstance(widget, TopBar) or getattr(widget, "speech_bar", False):
            out = bars
        kind = getattr(widget, "focus_section", "") or ""
        if kind or isinstance(widget, SectionCard):
            section = f"s{id(widget)}"
            found[section] = (kind or "card", "" if kind else widget.title)
        if isinstance(widget, RecycleView):
            out.extend(_in(section, row_targets(widget, app)))
            return
        if isinstance(widget, ButtonBehavior):
            out.extend(_in(section, [widget_target(widget, screen)]))
            return
        spoken = getattr(widget, "spoken_label", None)
        if callable(spoken):
            out.extend(_in(section, [text_target(widget, spoken())]))
            return
        if isinstance(widget, SectionCard):
            card = card_target(widget)
            if card is not None:
                out.extend(_in(section, [card]))
        for child in reversed(widget.children):
            visit(child, out, section)

    visit(root, content, "")
    for bar in bars_on_top:
        visit(bar, bars, "")
    targets = content + bars
    sections = []
    for key, (kind, name) in found.items():
        inside = [t for t in targets if t.section == key]
        if not inside:
            continue
        noun = SECTION_NOUNS.get(kind)
        if kind == "results":
            counts = tuple((n, sum(1 for t in inside if t.noun == n))
                           for n in dict.fromkeys(t.noun for t in inside))
        else:
            counts = ((noun, len(inside)),) if noun else ()
        sections.append(kp.Section(key, kind, name, counts))
    return targets, sections


def _in(section: str, targets: list[Target]) -> list[Target]:
    for target in targets:
        target.section = section
    return targets


class FocusHighlight(Widget):
    """The focus ring: a thick yellow frame inside a black one, so it shows on any colour."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.size_hint = (None, None)
        with self.canvas:
            Color(0, 0, 0, 1)
            self._outer = Line(width=dp(7), joint="bevel")
            Color(1, 0.84, 0, 1)
            self._inner = Line(width=dp(4), joint="bevel")

    def frame(self, x: float, y: float, w: float, h: float) -> None:
        gap = dp(5)
        self._outer.rounded_rectangle = (x - gap - dp(3), y - gap - dp(3), w + 2 * gap + dp(6),
                                         h + 2 * gap + dp(6), dp(14))
        self._inner.rounded_rectangle = (x - gap, y - gap, w + 2 * gap, h + 2 * gap, dp(12))
        self.pos, self.size = (x - gap, y - gap), (w + 2 * gap, h + 2 * gap)

    def on_touch_down(self, touch):
        return False

    def on_touch_move(self, touch):
        return False

    def on_touch_up(self, touch):
        return False


class FocusController:
    """The focus ring of what is on show, its frame on screen, and touches found as targets."""

    def __init__(self, app: Any, speech: Any, window: Any):
        self.app = app
        self.speech = speech
        self.window = window
        self.ring = kp.FocusRing()
        self.targets: dict[str, Target] = {}
        self.highlight = FocusHighlight()
        self._follow = None
        self._results_hinted = False    # how to reach the results is said once a visit of search

    # ------------------------------------------------------------ what can be focused

    def _root(self) -> tuple[Any, Any]:
        prompt = getattr(self.app, "idle_prompt", None)
        screen = self.app.sm.current_screen
        if prompt is not None and prompt.showing:
            return prompt, screen
        return screen, screen

    def _bars_on_top(self, root: Any) -> tuple:
        """The shared top bar, when it stands over the screen ``root``."""
        stage = getattr(self.app, "stage", None)
        if root is not self.app.sm.current_screen or stage is None or not stage.bar_shown:
            return ()
        return (stage.bar,)

    def refresh(self) -> list[Target]:
        root, screen = self._root()
        found, sections = collect_sections(root, self.app, screen, self._bars_on_top(root))
        self.targets = {t.id: t for t in found}
        self.ring.set_items([t.item for t in found], sections=sections)
        return found

    @property
    def focused(self) -> Optional[Target]:
        item = self.ring.focused
        return self.targets.get(item.id) if item is not None else None

    # ------------------------------------------------------------ keys

    def move(self, step: int) -> None:
        self.refresh()
        move = self.ring.move(step)
        self.show()
        self.speech.say(kp.announce(move, self.app.lang, step))

    def jump(self, step: int) -> None:
        """Left (-1) or Right (+1): the first item of the previous or next section, after the
        section's name and size; at the first or last section, that it is the end."""
        self.refresh()
        move = self.ring.jump(step)
        self.show()
        position = self.ring.position(move.section) if move.section is not None else (0, 0)
        self.speech.say(kp.announce_jump(move, self.app.lang, step, position))

    def results_step(self) -> int:
        """Which way the search results are from the focused item, by section: +1, -1, or 0
        when there are none (or the focus is on them)."""
        order = self.ring.section_ids()
        results = [key for key in order if self.ring.sections.get(key, kp.Section(key)).kind == "results"]
        focused = self.ring.focused
        if not results or focused is None:
            return 0
        here, there = order.index(self.ring.section_of(focused).id), order.index(results[0])
        return (there > here) - (there < here)

    def activate(self) -> bool:
        """Act on the focused item; False when nothing is focused."""
        self.refresh()
        target = self.focused
        if target is None:
            return False
        before = (self.app.sm.current, dict(self.app.sm.current_screen.params))
        said = self.speech.said
        target.act()
        if (self.app.sm.current, dict(self.app.sm.current_screen.params)) == before:
            Clock.schedule_once(lambda _dt: self._after_act(target, said), 0)
        return True

    def _after_act(self, target: Target, said: int) -> None:
        """The item acted on stayed on this page (a toggle, a key, a QR choice): say so, unless
        acting said something itself (Listen, the speed, a PIN key, the page reloading)."""
        screen = self.app.sm.current_screen
        if target.masked or getattr(screen, "loading", False) or self.speech.said != said:
            return
        parts = [kp.announce(target.item, self.app.lang)] if target.role != "key" else \
            [Part(target.label, self.app.lang)]
        if screen.name == "search" and target.role == "key":
            from kiosk.speech import screens as spoken_screens

            parts += spoken_screens.search(screen.query, getattr(screen, "spoken_data", None) or (),
                                           self.app.lang)[:2]
        self.refresh()
        self.ring.focus(target.id)
        self.show()
        if screen.name == "search" and target.role == "key" and getattr(screen, "state", "") == "results" \
                and not self._results_hinted:
            step = self.results_step()     # how to get from the keys to what they found, once
            hint = kp.results_hint(self.speech.keymap, self.app.lang, step) if step else None
            parts += [hint] if hint is not None else []
            self._results_hinted = hint is not None
        self.speech.say(parts)

    # ------------------------------------------------------------ touches

    def touched(self, pos: tuple[float, float]) -> Optional[Target]:
        """What a tap at window ``pos`` touched: a button (which takes the focus) or a card."""
        from kiosk.ui.widgets import Card

        found = self.refresh()
        # what is pressed on a card first, then the card (both are under the finger)
        for target in sorted(found, key=lambda t: t.card):
            widget = target.locate()
            if widget is not None and widget.collide_point(*widget.to_widget(*pos)):
                self.ring.focus(target.id)
                self.show()
                return target
        root, _screen = self._root()
        cards = [w for w in root.walk(restrict=True) if isinstance(w, Card) and shown(w)
                 and w.collide_point(*w.to_widget(*pos))]
        if not cards:
            return None
        card = min(cards, key=lambda w: w.width * w.height)
        return Target(f"w{id(card)}", "", "text", texts=_labels(card))

    # ------------------------------------------------------------ the frame

    def screen_changed(self) -> None:
        self.ring = kp.FocusRing()
        self.targets = {}
        self._results_hinted = False
        self.hide()

    def clear(self) -> None:
        self.screen_changed()

    def show(self) -> None:
        target = self.focused
        if target is None:
            self.hide()
            return
        self._scroll_into_view(target)
        if self.highlight.parent is None:
            self.window.add_widget(self.highlight)
        if self._follow is None:
            self._follow = Clock.schedule_interval(self._place, 0)
        self._place()

    def hide(self) -> None:
        if self._follow is not None:
            self._follow.cancel()
            self._follow = None
        if self.highlight.parent is not None:
            self.highlight.parent.remove_widget(self.highlight)

    def _place(self, *_args) -> None:
        target = self.focused
        widget = target.locate() if target is not None else None
        if widget is None or not shown(widget):
            self.highlight.opacity = 0
            return
        if self.highlight.parent is not None and self.window.children[0] is not self.highlight:
            # something opened over it (the idle question): keep the frame on top
            self.window.remove_widget(self.highlight)
            self.window.add_widget(self.highlight)
        self.highlight.opacity = 1
        x, y = widget.to_window(widget.x, widget.y)
        self.highlight.frame(x, y, widget.width, widget.height)

    def _scroll_into_view(self, target: Target) -> None:
        if target.id.startswith("row:"):
            self._scroll_to_row(target)
            return
        widget = target.locate()
        parent = scroll_parent(widget) if widget is not None else None
        if parent is not None:
            scroll_into_view(parent, widget)

    def _scroll_to_row(self, target: Target) -> None:
        if target.locate() is not None and shown(target.locate()):
            view = target.locate()
            sv = scroll_parent(view)
            if sv is not None and _in_viewport(sv, view):
                return
        for rv in (w for w in self.app.sm.current_screen.walk(restrict=True) if isinstance(w, RecycleView)):
            ids = [f"row:{row.get('item_id', '')}" for row in rv.data]
            if target.id not in ids or rv.layout_manager is None:
                continue
            index, lm = ids.index(target.id), rv.layout_manager
            row_h = (lm.default_size[1] or dp(100)) + lm.spacing
            overflow = lm.height - rv.height
            if overflow > 0:
                top = index * row_h - (rv.height - row_h) / 2
                rv.scroll_y = 1 - max(0.0, min(1.0, top / overflow))
            # make the rows in view now, so the frame goes round the row in this frame (a
            # RecycleView's layout has no do_layout of its own: Kivy's asserts if it is called);
            # rows taller or shorter than the estimate leave it near, then it is scrolled to
            for _ in range(3):
                rv.refresh_from_viewport()
                rv.refresh_views()
                view = target.locate()
                if view is None or _in_viewport(rv, view):
                    break
                scroll_into_view(rv, view)
            return


def _in_viewport(sv: ScrollView, widget: Widget) -> bool:
    left, bottom = sv.to_window(sv.x, sv.y)
    x, y = widget.to_window(widget.x, widget.y)
    return bottom - 1 <= y and y + widget.height <= bottom + sv.height + 1

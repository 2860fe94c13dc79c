"""Widgets every screen shares: buttons, labels, cards, status chips, scroll buttons, the top bar.

Their look lives in ``widgets.kv`` (the global style, loaded once); this module holds their
behaviour. Nothing here knows about the catalogue: screens hand them plain strings.
"""
from __future__ import annotations

import functools
from typing import NamedTuple, Optional

from kivy.animation import Animation
from kivy.metrics import dp, sp
from kivy.properties import (BooleanProperty, ColorProperty, NumericProperty,
                             ObjectProperty, OptionProperty, StringProperty)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.layout import Layout
from kivy.uix.recycleview import RecycleView
from kivy.uix.recycleview.views import RecycleDataViewBehavior
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from kiosk.ui import icons
from kiosk.ui.theme import icon_path, theme


class FlatImage(Image):
    """An image fitted whole into its box (``fit_mode`` "contain", "scale-down" or "fill"), drawn
    without a stencil (its rule in ``widgets.kv`` replaces Kivy's).

    Kivy's ``Image`` clips its texture with a stencil, for ``fit_mode`` "cover" only, on every
    image and every frame. A stencil outside any other (the top bar's icons stand outside the
    screen manager's) makes the GPU clear the whole stencil buffer first; under llvmpipe, with
    the depth and the stencil in one buffer, that clear is a masked pass over every pixel of the
    window. The top bar's 17 icons cost 4 of the 13 ms of a frame at 1280x800. An image that
    fits inside its box needs no clipping."""

    def on_fit_mode(self, _instance, mode: str) -> None:
        if mode == "cover":
            raise ValueError("FlatImage draws no stencil, so it cannot crop: use Image for 'cover'")


class IconImage(FlatImage):
    """A white-on-transparent icon from ``assets/icons``; invisible if the file is missing.

    Its texture is made for the size it is drawn at (:mod:`kiosk.ui.icons`), not loaded whole
    through ``source``."""

    name = StringProperty("")
    #: the icon's file (set from ``name``), "" when there is none
    file = StringProperty("")

    def on_name(self, _instance, name: str) -> None:
        path = icon_path(name) if name else ""
        self.file = path
        self.opacity = 1 if path else 0
        if not path:
            self.texture = None
        else:
            icons.repick(self)

    def on_size(self, _instance, _size) -> None:
        if self.file:
            icons.repick(self)

    def pick_texture(self) -> None:
        """Show the texture of :attr:`file` made for this widget's size (see :mod:`kiosk.ui.icons`)."""
        px = icons.drawn_px(*self.size)
        if self.file and px is not None:
            self.texture = icons.icon_texture(self.file, px)
            if self.texture is None:
                self.opacity = 0


class Icon(IconImage):
    """An icon tinted with a theme tone (``accent``, ``text``, ``accent_text``...)."""

    tone = StringProperty("accent")


@functools.lru_cache(maxsize=1)
def _glyphs():
    """The UI font (Kivy's Roboto) and the fallbacks installed here (Symbola for emoji)."""
    import os

    import kivy

    from kiosk.glyphs import Glyphs, default_fallbacks

    roboto = os.path.join(os.path.dirname(kivy.__file__), "data", "fonts", "Roboto-Regular.ttf")
    return Glyphs(roboto, default_fallbacks())


@functools.lru_cache(maxsize=4096)
def glyph_markup(text: str) -> str:
    """``text`` as Kivy markup that draws every character some font has (emoji in the fallback
    font) and drops the rest; the text itself when it needs no markup at all."""
    if text.isascii() and not any(c in text for c in "&[]"):
        return text
    try:
        return _glyphs().markup(text)
    except Exception:  # noqa: BLE001 - no font file: show the text as it is
        return text


class GlyphText:
    """For a Label: whatever text it is given is drawn without boxes (:func:`glyph_markup`).
    Markup is switched on only for a text that needs it, with the text escaped, so a "[b]" in
    a catalogue name is shown as typed and never read as markup."""

    _shown_text = None

    def on_text(self, _instance, text: str) -> None:
        if text is self._shown_text:
            return
        shown = glyph_markup(text)
        self.markup = shown != text
        self._shown_text = shown
        if shown != text:
            self.text = shown


class KLabel(GlyphText, Label):
    """Text that wraps to its width and is as tall as its text.

    Its size and colour come from ``role`` (display, title, heading, subheading, body, small) and
    ``tone`` (text, muted, accent, alert...), so they follow the text-size and contrast controls.
    """

    role = StringProperty("body")
    tone = StringProperty("text")


_LINE_HEIGHTS: dict[tuple, float] = {}


class ShortLabel(GlyphText, Label):
    """At most ``lines`` lines of ``full_text``: a longer text is cut after a word and ends with
    an ellipsis (never clipped at the top or bottom of its box)."""

    full_text = StringProperty("")
    lines = NumericProperty(2)

    def __init__(self, **kwargs):
        from kivy.clock import Clock

        self._refit = Clock.create_trigger(self._fit, -1)
        super().__init__(**kwargs)
        self.fbind("full_text", self._refit)
        self.fbind("width", self._refit)
        self.fbind("font_size", self._refit)
        self.fbind("lines", self._refit)

    def _measure(self, text: str, wrap: bool = True) -> float:
        from kivy.core.text import Label as CoreLabel
        from kivy.core.text.markup import MarkupLabel

        shown = glyph_markup(text)
        kind = MarkupLabel if shown != text else CoreLabel
        core = kind(text=shown, font_size=self.font_size, font_name=self.font_name, bold=self.bold,
                    text_size=(self.width if wrap else None, None), line_height=self.line_height,
                    halign=self.halign)
        core.refresh()
        return core.texture.size[1] if core.texture else 0

    def _fit(self, *_args) -> None:
        text = " ".join(self.full_text.split())
        if self.width <= 20 or not text:
            self.text = text
            return
        # a line of this very text, unwrapped (a fallback font may make it taller than plain
        # text); measured once per font size and font mix, rows of a list share it
        key = (self.font_size, self.bold, self.line_height, glyph_markup(text) != text)
        line = _LINE_HEIGHTS.get(key)
        if line is None:
            line = _LINE_HEIGHTS[key] = self._measure(text, wrap=False)
        room = line * self.lines * 1.1
        if self._measure(text) <= room:
            self.text = text
            return
        words = text.split(" ")
        lo, hi = 0, len(words)            # words[:lo] + "…" fits, words[:hi] + "…" does not
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self._measure(" ".join(words[:mid]) + "…") <= room:
                lo = mid
            else:
                hi = mid
        if lo:
            self.text = " ".join(words[:lo]).rstrip(" ,;:–-") + "…"
            return
        lo, hi = 0, len(words[0])         # one word longer than the lines: cut inside it
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self._measure(words[0][:mid] + "…") <= room:
                lo = mid
            else:
                hi = mid
        self.text = words[0][:max(1, lo)] + "…"


class KButton(ButtonBehavior, Layout):
    """A large rounded button with an optional icon; ``variant`` picks its colours.

    It places its icon and label itself (:meth:`do_layout`), side by side or stacked, centred as
    a pair: three widgets, where a box in an anchor in a box made five, and the kiosk shows a
    hundred buttons.
    """

    text = StringProperty("")
    icon = StringProperty("")
    variant = OptionProperty("secondary", options=["primary", "secondary", "bar", "bar_on", "selected",
                                                   "danger", "quiet", "exit"])
    auto_width = BooleanProperty(True)
    fixed_width = NumericProperty(0)   # with auto_width False: this width (0: the layout's)
    fixed_height = NumericProperty(0)  # 0: tall enough for the text and a finger
    icon_size = NumericProperty(dp(38))
    font_size = NumericProperty(0)     # 0: the theme's button size
    hpad = NumericProperty(dp(22))
    stack = BooleanProperty(False)     # icon above the text
    bold = BooleanProperty(True)
    colours = ObjectProperty(None, allownone=True)
    #: the icon and the label together, with the gap between them (the button's size follows)
    content_width = NumericProperty(0)
    content_height = NumericProperty(0)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        trigger = self._trigger_layout
        self.fbind("pos", trigger)
        self.fbind("size", trigger)
        self.fbind("stack", trigger)
        self.fbind("icon", trigger)
        self.fbind("text", trigger)

    def do_layout(self, *_args) -> None:
        ids = self.ids
        if "icon" not in ids or "lbl" not in ids:
            return
        icon, lbl = ids.icon, ids.lbl
        gap = dp(12) if (self.icon and self.text) else 0
        if self.stack:
            width, height = max(icon.width, lbl.width), icon.height + lbl.height + gap
        else:
            width, height = icon.width + lbl.width + gap, max(icon.height, lbl.height)
        self.content_width, self.content_height = width, height
        cx, cy = self.center
        if self.stack:
            bottom = cy - height / 2
            lbl.pos = (cx - lbl.width / 2, bottom)
            icon.pos = (cx - icon.width / 2, bottom + lbl.height + gap)
        else:
            left = cx - width / 2
            icon.pos = (left, cy - icon.height / 2)
            lbl.pos = (left + icon.width + gap, cy - lbl.height / 2)


def button_colours(variant: str, state: str, disabled: bool, *_bindings) -> tuple[list, list, list]:
    """(background, text, border) for a button; pressed buttons darken, disabled ones fade."""
    t = theme
    if variant == "primary":
        colours = (t.accent_pressed if state == "down" else t.accent, t.accent_text, t.accent)
    elif variant == "bar":
        colours = (t.bar_button_pressed if state == "down" else t.bar_button, t.bar_text,
                   t.bar_text if t.contrast else t.bar_button)
    elif variant == "selected":
        colours = (t.selected, t.selected_text, t.selected)
    elif variant == "bar_on":
        # a chosen toggle in the top bar: the bar's colours inverted
        colours = ((t.selected, t.selected_text, t.selected) if t.contrast
                   else (t.bar_text, t.bar, t.bar_text))
    elif variant == "danger":
        colours = (t.danger, t.danger_text, t.danger_text if t.contrast else t.danger)
    elif variant == "exit":
        # the prominent quick exit: a bright, contrasting button on the bar
        colours = (t.exit_pressed if state == "down" else t.exit_bg, t.exit_text, t.exit_text)
    elif variant == "quiet":
        colours = (t.key_pressed if state == "down" else t.surface, t.text, t.border)
    else:
        colours = (t.key_pressed if state == "down" else t.surface, t.accent, t.strong_border)
    bg, fg, line = (list(c) for c in colours)
    if disabled:
        bg[3] *= 0.5
        fg[3] *= 0.5
        line[3] *= 0.5
    return bg, fg, line


class Card(BoxLayout):
    """A rounded panel; ``bg`` and ``line_color`` default to the theme's surface and border."""

    bg = ColorProperty([1, 1, 1, 1])
    line_color = ColorProperty([0, 0, 0, 1])
    tone = OptionProperty("plain", options=["plain", "alert", "accent", "flat"])


class SectionCard(Card):
    """A card with a heading (and an icon) above its content."""

    title = StringProperty("")
    icon = StringProperty("")


class InfoLine(BoxLayout):
    """An icon followed by a line (or paragraph) of text: an address, a phone, a note.

    An ``address`` line (an e-mail or web address: one long "word") breaks only before "@", "."
    or "/" (or after "-"), never mid-name as the label alone would ("sherbimet-sociale@ex" /
    "ample.org")."""

    icon = StringProperty("")
    text = StringProperty("")
    bold = BooleanProperty(False)
    role = StringProperty("body")
    address = BooleanProperty(False)
    #: what the label shows: ``text``, or an address's text broken at its own break points
    shown = StringProperty("")

    def __init__(self, **kwargs):
        from kivy.clock import Clock

        self._rebreak = Clock.create_trigger(self._break, -1)
        super().__init__(**kwargs)

    def on_kv_post(self, _base_widget) -> None:
        # its label exists once its kv rule is applied (for a widget a kv rule makes: after
        # its constructor)
        self.ids.lbl.fbind("width", self._width_changed)
        self.ids.lbl.fbind("font_size", self._width_changed)
        self._break()

    def on_text(self, *_args) -> None:
        self._break()

    def on_address(self, *_args) -> None:
        self._break()

    def _width_changed(self, *_args) -> None:
        if self.address:
            self._rebreak()

    def _break(self, *_args) -> None:
        text = self.text
        lbl = self.ids.get("lbl")
        if self.address and text and lbl is not None and lbl.width > 1:
            from kiosk.ui.format import address_lines

            width = lbl.width - 2 * lbl.padding[0]
            text = address_lines(text, lambda line: lbl._label.get_extents(line)[0] <= width)
        if self.shown != text:
            self.shown = text


class CheckItem(BoxLayout):
    """One document of the "bring with you" checklist: a box with a tick, then its name."""

    text = StringProperty("")


class HoursRow(BoxLayout):
    """One day of the opening-hours table; today's row stands out."""

    day = StringProperty("")
    hours = StringProperty("")
    note = StringProperty("")
    today = BooleanProperty(False)


class HoursBlock(BoxLayout):
    """The opening-hours table: its heading line, a :class:`HoursRow` a day, then any notes."""


class StatusChip(BoxLayout):
    """A pill saying "Open now", "Opens at 08:00" or "Closed for today" in green, amber or grey."""

    kind = OptionProperty("none", options=["open", "later", "closed", "none"])
    text = StringProperty("")
    colours = ObjectProperty(None, allownone=True)


def chip_colours(kind: str, *_bindings) -> tuple[list, list, list]:
    """(background, text, dot) of a status chip."""
    t = theme
    return {
        "open": (t.open_bg, t.open_fg, t.open_dot),
        "later": (t.later_bg, t.later_fg, t.later_dot),
        "closed": (t.closed_bg, t.closed_fg, t.closed_dot),
    }.get(kind, (t.closed_bg, t.closed_fg, t.closed_dot))


class Chevron(Widget):
    """A chevron drawn with lines, pointing ``direction``."""

    direction = OptionProperty("down", options=["up", "down", "left", "right"])
    color = ColorProperty([0, 0, 0, 1])
    thickness = NumericProperty(dp(4))

    def points(self) -> list[float]:
        x, y, w, h = self.x, self.y, self.width, self.height
        s = min(w, h) * 0.5
        cx, cy = x + w / 2, y + h / 2
        if self.direction == "up":
            return [cx - s, cy - s / 2, cx, cy + s / 2, cx + s, cy - s / 2]
        if self.direction == "down":
            return [cx - s, cy + s / 2, cx, cy - s / 2, cx + s, cy + s / 2]
        if self.direction == "left":
            return [cx + s / 2, cy + s, cx - s / 2, cy, cx + s / 2, cy - s]
        return [cx - s / 2, cy + s, cx + s / 2, cy, cx - s / 2, cy - s]


class SteadyScroll:
    """A scroll view that keeps one binding for its bar, however much it scrolls.

    Kivy 2.3.1's ``ScrollView.update_from_scroll`` (called on every scroll step and every layout
    of the content) binds ``_change_bar_color`` to ``bar_color`` with ``fbind``, which adds a
    duplicate each call, and takes one away when the bar fades half a second later: a list
    scrolled in one go collects a binding per step, for good (1,459 on one page's scroll view
    after 6,000 monkey events, each called again whenever the colour changes). Unbinding first
    leaves at most one."""

    def update_from_scroll(self, *largs):
        self.funbind("bar_color", self._change_bar_color)
        super().update_from_scroll(*largs)


class KScroll(SteadyScroll, ScrollView):
    """The pages' scroll view (its look in ``widgets.kv``).

    ``stops_from``, when set, is the widget whose children are the rows of the content (home's
    grid of topics): its "Up" and "Down" buttons then move by whole rows (:func:`scroll_stops`)."""

    stops_from = ObjectProperty(None, allownone=True)


class KRecycleView(SteadyScroll, RecycleView):
    """The long lists' RecycleView (category results, search results)."""


def scroll_stops(view: ScrollView) -> list[float]:
    """Where "Up" and "Down" may leave the top edge of ``view``: how far below the top of its
    content each of its rows begins, in pixels, from 0 (the top) down; [] when its content has
    no rows to stop at (a page of text, moved by most of a view at a press).

    The rows are a RecycleView's (their places as its layout has them, drawn or not, so a list
    of thousands costs arithmetic, not widgets) or the children of ``view.stops_from``."""
    content = getattr(view, "_viewport", None)
    if content is None:
        return []
    top = content.to_window(content.x, content.top)[1]
    lm = view.layout_manager if isinstance(view, RecycleView) else None
    tops: list[float] = []
    if lm is not None:
        # a row's place is in the layout's own coordinates, one shift away from the window's
        shift = lm.to_window(0, 0)[1]
        for opt in lm.view_opts:
            pos = opt.get("pos") if opt else None
            if pos is not None:
                tops.append(shift + pos[1] + opt["size"][1])
    else:
        rows = getattr(view, "stops_from", None)
        if rows is None:
            return []
        tops = [child.to_window(child.x, child.top)[1] for child in rows.children]
    offsets = {round(top - t, 1) for t in tops if top - t > 0.5}
    return [0.0] + sorted(offsets)


class ScrollButton(ButtonBehavior, BoxLayout):
    direction = OptionProperty("down", options=["up", "down"])
    text = StringProperty("")
    colours = ObjectProperty(None, allownone=True)


class ScrollButtons(BoxLayout):
    """"Up" and "Down" buttons beside a scrolling area, so nobody has to swipe.

    They show only when the content is taller than the area, and each is enabled only while
    there is more to see in its direction. In a list (:func:`scroll_stops`) a press moves by
    whole rows and leaves the row at the top whole: one row at the largest text, else the rows
    that fit in most of the view; the heading above the rows goes at the first press. A row
    taller than the view, or a page with no rows, moves by most of a view.

    So that the last press also leaves a whole row at the top, :attr:`tail` is the room the
    list needs below its last row (less than a row); the screen adds it under its list.
    """

    target = ObjectProperty(None, allownone=True)
    needed = BooleanProperty(False)
    can_up = BooleanProperty(False)
    can_down = BooleanProperty(False)
    #: the room to add below the content, so that its end is a row's top (see the class)
    tail = NumericProperty(0)
    #: a press moves by most of a view at most: this share of its height
    PAGE = 0.8
    #: from this text size on, a press moves by one row
    ONE_ROW_SCALE = 1.5
    _bound: Optional[ScrollView] = None
    _goal: Optional[float] = None         # where the running animation goes, px from the top
    _move: Optional[Animation] = None     # that animation

    def __init__(self, **kwargs):
        from kivy.clock import Clock

        # on the clock's next tick, not before this frame: a change of the content's height is
        # laid out over several passes before the frame, and rows read half-way through are
        # where they were, so a tail fitted to them changed the height again, every frame
        # (home at the largest text on 720x1280 never came to rest)
        self._retail = Clock.create_trigger(self._fit_tail, 0)
        super().__init__(**kwargs)

    def on_target(self, _instance, target: Optional[ScrollView]) -> None:
        if self._bound is not None:
            self._bound.unbind(scroll_y=self._update, height=self._update, viewport_size=self._update)
            self._bound.unbind(height=self._retail, viewport_size=self._retail)
        self._bound = target
        if target is not None:
            target.bind(scroll_y=self._update, height=self._update, viewport_size=self._update)
            target.bind(height=self._retail, viewport_size=self._retail)
        self._update()
        self._retail()

    def _overflow(self) -> float:
        target = self.target
        if target is None:
            return 0.0
        return max(0.0, target.viewport_size[1] - target.height)

    #: shown, they go only once the content fits with this much room to spare
    HIDE_MARGIN = dp(48)

    def _update(self, *_args) -> None:
        target = self.target
        spare = (target.height - target.viewport_size[1]) if target is not None else 0.0
        # Shown, the buttons take width from the page beside them; a page can be taller in the
        # wider room (the urgent screen's lines go two a row), and hiding them at the first
        # pixel of room would make the page and the buttons take turns, one frame each.
        self.needed = spare < (self.HIDE_MARGIN if self.needed else -dp(4))
        overflow = self._overflow()
        if not self.needed or target is None or overflow <= dp(4):
            self.can_up = self.can_down = False
            return
        y = self.target.scroll_y
        self.can_up = y < 0.999
        self.can_down = y > 0.001

    def _fit_tail(self, *_args) -> None:
        """:attr:`tail`: the least room under the content that makes its end a row's top."""
        target = self.target
        if target is None:
            self.tail = 0
            return
        natural = target.viewport_size[1] - self.tail - target.height   # the overflow without it
        stops = scroll_stops(target) if natural > dp(4) else []
        after = [s for s in stops if s >= natural - 0.5]
        tail = round(after[0] - natural, 1) if after and after[0] - natural < target.height else 0.0
        if abs(tail - self.tail) > 0.5:      # (not for the rounding of the sizes it changes)
            self.tail = max(0.0, tail)

    def _now(self, overflow: float) -> float:
        """How far the content is scrolled from its top, in px (where it is going, if moving)."""
        move = self._move
        if self._goal is not None and move is not None and move.have_properties_to_animate(self.target):
            return self._goal
        return (1 - min(1.0, max(0.0, self.target.scroll_y))) * overflow

    def goal(self, direction: str) -> Optional[float]:
        """Where a press of ``direction`` ("up" or "down") takes the top of the view, in px
        from the content's top (None when there is no further to go)."""
        overflow = self._overflow()
        if overflow <= 0 or self.target is None:
            return None
        view = self.target.height
        now = self._now(overflow)
        most = view * self.PAGE
        stops = [s for s in scroll_stops(self.target) if s < overflow - 0.5] + [overflow]
        one_row = theme.scale >= self.ONE_ROW_SCALE
        if direction == "down":
            if now >= overflow - 0.5:
                return None
            ahead = [s for s in stops if s > now + 0.5]
            if len(stops) < 2 or ahead[0] - now > view:
                return min(overflow, now + most)        # no rows, or one taller than the view
            fit = [s for s in ahead if s - now <= most]
            return ahead[0] if one_row or not fit else fit[-1]
        if now <= 0.5:
            return None
        behind = [s for s in stops if s < now - 0.5] or [0.0]
        if len(stops) < 2 or now - behind[-1] > view:
            return max(0.0, now - most)
        fit = [s for s in behind if now - s <= most]
        return behind[-1] if one_row or not fit else fit[0]

    def page(self, direction: str) -> None:
        goal = self.goal(direction)
        overflow = self._overflow()
        if goal is None or overflow <= 0:
            return
        self._goal = goal
        Animation.cancel_all(self.target, "scroll_y")
        move = Animation(scroll_y=1 - goal / overflow, d=0.25, t="out_quad")
        move.bind(on_complete=self._arrived)
        self._move = move
        move.start(self.target)

    def _arrived(self, *_args) -> None:
        self._goal = self._move = None


class DemoRibbon(Label):
    """The discreet "Demo catalogue" tag shown while invented data is loaded."""

    #: its largest font size (0: the small text's, whatever the text size)
    most = NumericProperty(0)


class TextSizeControl(BoxLayout):
    """Three "A" buttons of growing size; the chosen step is highlighted."""


class BarButton(KButton):
    """A button of a bar (the top bar, the speech controls, the welcome's bar): its label and
    icon follow the text size. ``look``: "auto" (under its icon on a window under 1600 dp,
    ``theme.bar_compact``), or "side" or "stacked" as the top bar chooses (:meth:`TopBar.fit`)."""

    look = OptionProperty("auto", options=["auto", "side", "stacked"])


class Look(NamedTuple):
    """How the top bar stands (:attr:`TopBar.LOOKS`)."""

    #: labels under their icons
    stacked: bool = False
    #: urgent help and the quick exit on two lines
    compact: bool = False
    #: language, text size and contrast in a second row
    narrow: bool = False
    #: Back and Home as their icons alone
    bare: bool = False
    #: Listen in the second row too
    listen_below: bool = False


class TopBar(BoxLayout):
    """Back, Home, urgent help, Listen, the demo tag, language, text size, contrast and the
    quick exit: one bar, shared by every screen but the welcome (:mod:`kiosk.ui.stage` places
    it above them).

    Its labels grow with the visitor's text size, and it takes the roomiest of :data:`LOOKS`
    whose rows fit its width at that size (:meth:`fit`), so nothing runs off the edge and the
    bar is as tall as its labels need. Where its rows leave the demo tag no room it goes between
    the speech controls' groups or to a thin band below the bar.
    """

    show_back = BooleanProperty(True)
    focus_section = "bar"     # one section of the keypad's focus ring (kiosk.ui.focus)
    stacked = BooleanProperty(False)
    compact = BooleanProperty(False)
    narrow = BooleanProperty(False)
    bare = BooleanProperty(False)
    listen_below = BooleanProperty(False)
    row_padding = NumericProperty(dp(16))
    row_spacing = NumericProperty(dp(12))
    #: the demo tag fits in the bar's row (else the second row, the speech bar or a band)
    ribbon_in_row = BooleanProperty(False)
    #: on a narrow bar, the demo tag fits in the second row's room
    ribbon_in_row2 = BooleanProperty(False)
    #: the second row's demo tag's font: what its room fits (:meth:`fit_ribbon`)
    row2_ribbon_font = NumericProperty(0)
    #: the second row's demo tag's font, in sp: no larger than the middle text size's small
    #: text, no smaller than the first (under it: the band below the bar)
    RIBBON_SP = (16, 24)

    #: the first row's buttons, in their order
    ROW = ("back", "home", "urgent", "listen", "language", "text_size", "contrast", "quick_exit")
    #: what leaves the first row for the second on a narrow bar, in their order
    SECOND_ROW = ("language", "text_size", "contrast")
    #: roomiest first. A landscape window is short of height: its bar puts labels under their
    #: icons, then urgent help on two lines, then Back and Home as their icons alone, before it
    #: takes a second row. A portrait one has height to spare: a second row first, with labels
    #: beside their icons; urgent help on two lines only on the narrowest bars, and Listen in the
    #: second row only where a sensitive page's quick exit leaves it no room (720x1280).
    LOOKS = {
        False: (Look(), Look(stacked=True), Look(stacked=True, compact=True),
                Look(stacked=True, compact=True, bare=True), Look(narrow=True),
                Look(stacked=True, narrow=True), Look(stacked=True, compact=True, narrow=True),
                Look(stacked=True, compact=True, narrow=True, bare=True),
                Look(stacked=True, compact=True, narrow=True, bare=True, listen_below=True)),
        True: (Look(), Look(narrow=True), Look(stacked=True, narrow=True),
               Look(stacked=True, compact=True, narrow=True),
               Look(stacked=True, compact=True, narrow=True, bare=True),
               Look(stacked=True, compact=True, narrow=True, bare=True, listen_below=True)),
    }

    def on_kv_post(self, base_widget) -> None:
        from kivy.app import App
        from kivy.clock import Clock

        from kiosk.ui.i18n import tr

        self._refit = Clock.create_trigger(self.fit, -1)
        self.fbind("width", self._refit)
        tr.fbind("lang", self._refit)
        theme.fbind("sizes_version", self._refit)
        theme.fbind("portrait", self._refit)
        app = App.get_running_app()
        if app is not None and hasattr(app, "next_lang"):
            app.fbind("next_lang", self._refit)
            app.fbind("discreet", self._refit)    # the quick exit grows on a sensitive page
        self._refit_ribbon = Clock.create_trigger(self.fit_ribbon, -1)
        self.ids.row2_room.fbind("width", self._refit_ribbon)
        tr.fbind("lang", self._refit_ribbon)
        theme.fbind("sizes_version", self._refit_ribbon)
        self.place_controls()
        self.fit()
        self.fit_ribbon()

    def fit_ribbon(self, *_args) -> None:
        """The second row's demo tag (on two lines) as large as its room fits, between
        :data:`RIBBON_SP` and never larger than the small text."""
        from kivy.core.text import Label as CoreLabel

        ribbon, room = self.ids.row2_ribbon, self.ids.row2_room
        smallest, largest = (sp(size) for size in self.RIBBON_SP)
        largest = min(largest, theme.small)
        lines = ribbon.text.split("\n")
        measure = CoreLabel(font_size=largest, bold=True)
        widest = max((measure.get_extents(line)[0] for line in lines), default=0)
        pad = dp(36)           # the tag's rule: its text's width and dp(36)
        fits = largest * (room.width - pad) / widest if widest > 0 else largest
        self.row2_ribbon_font = max(smallest, min(largest, fits * 0.98))

    def on_narrow(self, *_args) -> None:
        if "row2" in self.ids:
            self.place_controls()

    def on_listen_below(self, *_args) -> None:
        if "row2" in self.ids:
            self.place_controls()

    def _below(self, look: Look) -> tuple[str, ...]:
        """The buttons in the second row in ``look``."""
        if not look.narrow:
            return ()
        return (("listen",) if look.listen_below else ()) + self.SECOND_ROW

    def place_controls(self) -> None:
        """Language, text size and contrast: in the bar's row before the quick exit, or on a
        narrow bar in the second row; Listen after urgent help, or in front of the second row
        (the same widgets, so their ids hold)."""
        # the widgets themselves: ``ids`` holds proxies, never ``is`` a widget's parent
        ids = {name: self.ids[name].__self__ for name in ("row", "row2", "urgent", "listen") + self.SECOND_ROW}
        row, row2 = ids["row"], ids["row2"]
        below = self._below(Look(narrow=self.narrow, listen_below=self.listen_below))
        listen = ids["listen"]
        if ("listen" in below) != (listen.parent is row2):
            listen.parent.remove_widget(listen)
            if "listen" in below:
                row2.add_widget(listen, index=len(row2.children))       # its left end
            else:
                row.add_widget(listen, index=row.children.index(ids["urgent"]))   # after urgent help
        target = row2 if self.narrow else row
        for name in self.SECOND_ROW:
            widget = ids[name]
            if widget.parent is target:
                continue
            if widget.parent is not None:
                widget.parent.remove_widget(widget)
            # row: just before the quick exit (index 0 is the last child); row2: at its end
            target.add_widget(widget, index=1 if target is row else 0)

    # ------------------------------------------------------------ the look that fits

    def _try(self, look: Look) -> None:
        """Give the buttons ``look``'s sizes and words (where they stand is :meth:`place_controls`)."""
        self.stacked, self.compact, self.bare = look.stacked, look.compact, look.bare
        tight = look.stacked or look.compact
        self.row_padding = dp(10) if tight else dp(16)
        self.row_spacing = dp(6) if tight else dp(12)

    @staticmethod
    def _natural_width(widget) -> float:
        """``widget``'s width for the texts and sizes it has now, laid out at once (its label
        drawn, its icon and label placed), not at the next frame."""
        if isinstance(widget, KButton):
            if "lbl" in widget.ids:
                widget.ids.lbl.texture_update()
            widget.do_layout()
            return widget.width
        if isinstance(widget, BoxLayout):
            kids = widget.children
            return (sum(TopBar._natural_width(k) for k in kids) + widget.spacing * max(0, len(kids) - 1)
                    + widget.padding[0] + widget.padding[2])
        return widget.width

    def _rows_fit(self, look: Look) -> bool:
        """Each row of ``look`` within the bar's width, as it would stand: each button at its
        natural width, the demo tag's room at none."""
        below = self._below(look)
        rows = [[n for n in self.ROW if n not in below]] + ([list(below)] if below else [])
        for names in rows:
            # each row also holds a room for the demo tag, which may shrink to nothing: a gap
            # between each two of them all
            need = (sum(self._natural_width(self.ids[n]) for n in names) + self.row_spacing * len(names)
                    + 2 * self.row_padding)
            if need > self.width + 0.5:
                return False
        return True

    def _first_fit(self, looks: tuple[Look, ...]) -> Look:
        for look in looks:
            self._try(look)
            if self._rows_fit(look):
                return look
        return looks[-1]

    def fit(self, *_args) -> None:
        """Take the roomiest of :data:`LOOKS` in which every row fits the bar's width.

        It is judged with the quick exit as large as a sensitive page makes it, so the bar keeps
        its look there; unless that would move buttons to a second row where the usual quick
        exit leaves them room (a small panel at the largest text), then with the quick exit as
        it is."""
        if self.width <= 1 or "quick_exit" not in self.ids:
            return
        exit_button = self.ids.quick_exit
        prominent = exit_button.prominent
        looks = self.LOOKS[bool(theme.portrait)]
        exit_button.prominent = True
        try:
            chosen = self._first_fit(looks)
        finally:
            exit_button.prominent = prominent
        if not prominent:
            as_is = self._first_fit(looks)
            if (as_is.narrow, as_is.listen_below) != (chosen.narrow, chosen.listen_below):
                chosen = as_is
        self._try(chosen)
        self.listen_below = chosen.listen_below
        self.narrow = chosen.narrow         # moves the controls to their row (place_controls)


class UrgentButton(KButton):
    """"Urgent help": one tap opens the urgent lines (in the top bar and on the welcome screen).

    On a tall portrait panel a second one stands in the :class:`ExitFoot`, with ``focus_skip``
    set like the foot's quick exit: the keypad's ring reaches urgent help once, in the top bar."""

    compact = BooleanProperty(False)
    #: the keypad's focus ring passes it by (the foot's copy of the top bar's urgent help)
    focus_skip = BooleanProperty(False)


class QuickExitButton(KButton):
    """"Quick exit": always the top bar's last button (its top-right corner). One press shows the
    welcome screen and forgets the visit (:meth:`KioskApp.quick_exit`); on a sensitive service
    or category (``prominent``) it is in a colour that stands out from the bar and at least half
    as large again as usual (nearly the bar's height, and wider).

    On a tall portrait panel a second one stands in the :class:`ExitFoot`; it has
    ``focus_skip`` set, so the keypad's ring reaches the quick exit once, in the top bar."""

    compact = BooleanProperty(False)
    prominent = BooleanProperty(False)
    #: the keypad's focus ring passes it by (the foot's copy of the top bar's quick exit)
    focus_skip = BooleanProperty(False)


class ExitFoot(BoxLayout):
    """Urgent help and the quick exit again, at the bottom of every screen that shows the top
    bar, where that bar is out of reach: on a portrait panel that is not a small one
    (``wanted``). A 43" totem's top bar is about 95 cm above its bottom edge, so 170 cm or more
    from the floor, past the 40-120 cm a seated visitor or a child can reach; a 7" portrait panel
    is 15 cm tall and short of room. Urgent help (``ids.urgent``) is in the bottom-left corner
    and the quick exit (``ids.quick_exit``) in the bottom-right one, the foot's width apart, so a
    hand reaching for one does not land on the other. Both are the top bar's buttons (the same
    classes, so the same label, look and action), and on the urgent screen both stay, as the
    top bar's do. Placed by :mod:`kiosk.ui.stage`; each screen ends above it (``ExitSpace``)."""

    wanted = BooleanProperty(False)
    compact = BooleanProperty(False)


class CategoryTile(ButtonBehavior, BoxLayout):
    """A category: its icon, name and service count. Its grid makes every row as tall as the
    tallest tile (see :func:`even_rows`), so the tiles of a row line up."""

    term_id = StringProperty("")
    name = StringProperty("")
    icon = StringProperty("")
    count_text = StringProperty("")


def even_rows(grid) -> None:
    """Make each row of ``grid`` as tall as the content of its tallest child, and every child
    of the row that tall (kept up to date as text size, language and columns change)."""
    from kivy.clock import Clock

    def update(*_args) -> None:
        tiles = list(reversed(grid.children))          # in the order they were added
        cols = max(1, grid.cols or 1)
        rows: dict[int, float] = {}
        for index, tile in enumerate(tiles):
            row = index // cols
            rows[row] = max(rows.get(row, 0), getattr(tile, "minimum_height", tile.height))
        for index, tile in enumerate(tiles):
            tile.size_hint_y = None
            tile.height = rows[index // cols]

    trigger = getattr(grid, "_even_rows_trigger", None)
    if trigger is None:
        trigger = Clock.create_trigger(update, -1)
        grid._even_rows_trigger = trigger
        grid.bind(cols=trigger)
    for child in grid.children:
        child.bind(minimum_height=trigger)
    update()


class _ListRow(ButtonBehavior):
    """What a row of a service or organization list shows (name, provider, status chip) and does.

    A row is its list's usual height (``base_height``, set in ``widgets.kv``) unless its words
    need more: at the largest text a name takes up to three lines and its provider two, and the
    row grows to hold them (:attr:`needed_height`)."""

    kind = StringProperty("service")
    item_id = StringProperty("")
    name = StringProperty("")
    subtitle = StringProperty("")
    chip_kind = StringProperty("none")
    chip_text = StringProperty("")
    narrow = BooleanProperty(False)
    #: the list's usual row height
    base_height = NumericProperty(0)
    #: what the row's words and chip need, with its padding
    needed_height = NumericProperty(0)

    def on_base_height(self, *_args) -> None:
        self.fit_height()

    def fit_height(self, *_args) -> None:
        words, chip = self.ids.get("words"), self.ids.get("chip")
        if words is None or chip is None:
            return
        pad = self.padding[1] + self.padding[3]
        self.needed_height = max(words.minimum_height, chip.height if chip.text else 0, dp(48)) + pad

    def on_release(self):
        from kivy.app import App

        app = App.get_running_app()
        if app is not None and self.item_id:
            app.open_item(self.kind, self.item_id)


class ItemRow(RecycleDataViewBehavior, _ListRow, BoxLayout):
    """A row of a long list (RecycleView view). Its list gives it the usual height; when its
    words need more it takes that, and its list's layout makes room (Kivy's RecycleLayout
    follows a view that changes its own size)."""

    index = NumericProperty(-1)

    def refresh_view_attrs(self, rv, index, data):
        self.index = index
        return super().refresh_view_attrs(rv, index, data)

    def refresh_view_layout(self, rv, index, layout, viewport):
        super().refresh_view_layout(rv, index, layout, viewport)
        self.fit_height()

    def on_needed_height(self, *_args) -> None:
        self._grow()

    def on_height(self, *_args) -> None:
        self._grow()

    def _grow(self) -> None:
        if self.base_height and self.needed_height > self.height + 0.5:
            self.height = self.needed_height
        elif self.base_height and self.height > max(self.base_height, self.needed_height) + 0.5:
            self.height = max(self.base_height, self.needed_height)


class StaticItemRow(_ListRow, BoxLayout):
    """The same row outside a RecycleView (short lists inside a scrolling page)."""


class EmptyState(BoxLayout):
    """A friendly message with an icon, shown where a list has nothing to show."""

    icon = StringProperty("information")
    title = StringProperty("")
    message = StringProperty("")
    #: False where room is short (the search screen's results under its field): words only
    show_icon = BooleanProperty(True)
    #: the icon's side while shown (set in widgets.kv); hidden, it is 0 and keeps its spacing
    icon_side = NumericProperty(0)


class ActionArea(BoxLayout):
    """Where the service screen's hand-off actions (QR code, print) go.

    It takes no room and shows nothing until an action is added, so no fake button is ever
    shown; :meth:`set_actions` replaces the buttons for the service on screen.
    """

    title = StringProperty("")
    has_actions = BooleanProperty(False)
    focus_section = "choices"     # one section of the keypad's focus ring (kiosk.ui.focus)

    def set_actions(self, widgets: list[Widget]) -> None:
        box = self.ids.actions
        box.clear_widgets()
        for widget in widgets:
            box.add_widget(widget)
        self.has_actions = bool(widgets)

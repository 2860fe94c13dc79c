"""The window's root: the screen manager, and the one top bar every screen but the welcome shows.

Each screen once built its own top bar, 98 widgets nine times over: more than half of every widget
the kiosk made, and about 30 MB of its memory. Now one :class:`~kiosk.ui.widgets.TopBar` stands
above the screen manager. A screen that shows it (``top_bar`` true, every screen but the welcome)
keeps room for it at its top with a ``BarSpace``, whose height follows the bar's
(:attr:`Stage.bar_height`).

Where the bar stands follows the screens on view, every frame a transition moves them:

* between two screens that show it, the bar stays put and the pages slide beneath it;
* between the welcome screen and another, it slides in or out with the screen that has it;
* on the welcome screen alone it is taken off the stage: it draws nothing and takes no touch.

The bar is made with the first screen that shows it (after the first frame, with the screens
built then), never for the welcome screen's first frame.

On a tall portrait panel the bar's top is out of a seated visitor's or a child's reach (a 43"
totem's is 95 cm above its bottom edge), so a foot (:class:`~kiosk.ui.widgets.ExitFoot`) holds
urgent help again at the bottom left and the quick exit at the bottom right. It is made with the
bar, stands at the bottom of every screen that shows the bar and moves with it; a screen keeps
room for it with an ``ExitSpace`` (:attr:`Stage.foot_height`, 0 wherever the foot is not wanted:
it is then off the stage).
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from kivy.clock import Clock
from kivy.properties import NumericProperty
from kivy.uix.widget import Widget


def shows_bar(screen: Any) -> bool:
    return bool(getattr(screen, "top_bar", False))


class Stage(Widget):
    """The screen manager ``sm``, full size, and above it the shared top bar (``make_bar()``)."""

    #: the top bar's height (0 until it is made): the screens' ``BarSpace`` follows it
    bar_height = NumericProperty(0)
    #: the foot's height (0 until it is made, and where it is not wanted): ``ExitSpace`` follows it
    foot_height = NumericProperty(0)

    def __init__(self, sm: Any, make_bar: Callable[[], Widget],
                 make_foot: Optional[Callable[[], Widget]] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sm = sm
        self._make_bar = make_bar
        self._make_foot = make_foot
        #: the shared top bar, once a screen that shows it exists
        self.bar: Optional[Widget] = None
        #: the foot with the second urgent help and quick exit, made with the bar (None without
        #: ``make_foot``)
        self.foot: Optional[Widget] = None
        self._bound: set[int] = set()
        self.place_trigger = Clock.create_trigger(self.place, -1)    # in the frame that moved them
        self.add_widget(sm)
        self.bind(pos=self._layout, size=self._layout)
        sm.bind(screens=self._screens_changed, current=self.place_trigger)
        self._screens_changed(sm, sm.screens)

    # ------------------------------------------------------------ the screens

    def _screens_changed(self, _sm: Any, screens: list) -> None:
        for screen in screens:
            if id(screen) in self._bound:
                continue
            self._bound.add(id(screen))
            # a transition moves the screens on view; the manager adds and removes them
            screen.bind(pos=self.place_trigger, parent=self.place_trigger)
            if shows_bar(screen):
                self.ensure_bar()
        self.place_trigger()

    def ensure_bar(self) -> Widget:
        """The shared top bar, made now if it was not yet."""
        if self.bar is None:
            self.bar = self._make_bar()
            self.bar.bind(height=self._bar_resized)
            self.bar.size_hint = (None, None)
            self.bar.width = self.width
            self._bar_resized(self.bar, self.bar.height)
            if self._make_foot is not None:
                self.foot = self._make_foot()
                if hasattr(self.foot, "compact") and hasattr(self.bar, "compact"):
                    # the foot's urgent help and quick exit look like the bar's: on one line
                    # or two as the bar's width allows (TopBar.fit)
                    self.foot.compact = self.bar.compact
                    self.bar.bind(compact=self.foot.setter("compact"))
                self.foot.bind(height=self._foot_resized)
                self.foot.size_hint = (None, None)
                self.foot.width = self.width
                self._foot_resized(self.foot, self.foot.height)
        return self.bar

    def _bar_resized(self, _bar: Any, height: float) -> None:
        self.bar_height = height
        self.place_trigger()

    def _foot_resized(self, _foot: Any, height: float) -> None:
        self.foot_height = height
        self.place_trigger()

    # ------------------------------------------------------------ placing

    def _layout(self, *_args) -> None:
        self.sm.pos, self.sm.size = self.pos, self.size
        if self.bar is not None:
            self.bar.width = self.width
        if self.foot is not None:
            self.foot.width = self.width
        self.place_trigger()

    @property
    def bar_shown(self) -> bool:
        return self.bar is not None and self.bar.parent is self

    @property
    def foot_shown(self) -> bool:
        return self.foot is not None and self.foot.parent is self

    def place(self, *_args) -> None:
        """Put the bar where the screens on view want it (or take it off the stage)."""
        on_view = [s for s in self.sm.children if getattr(s, "manager", None) is self.sm]
        with_bar = [s for s in on_view if shows_bar(s)]
        if not with_bar:
            if self.bar_shown:
                self.remove_widget(self.bar)
            if self.foot_shown:
                self.remove_widget(self.foot)
            return
        bar = self.ensure_bar()
        if len(with_bar) == len(on_view):
            dx = dy = 0.0                    # every screen on view has it: it stays put
        else:
            dx, dy = with_bar[0].x - self.sm.x, with_bar[0].y - self.sm.y
        bar.pos = (self.x + dx, self.top - bar.height + dy)
        if not self.bar_shown:
            self.add_widget(bar)             # last added: drawn above the screens, touched first
        foot = self.foot
        if foot is None:
            return
        if foot.height <= 0:                 # not wanted here (landscape, a 7" panel)
            if self.foot_shown:
                self.remove_widget(foot)
            return
        foot.pos = (self.x + dx, self.y + dy)
        if not self.foot_shown:
            self.add_widget(foot)

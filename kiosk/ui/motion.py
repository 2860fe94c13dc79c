"""The welcome screen's gentle motion: rings that ripple from "touch here" and a call that breathes.

The motion must cost almost nothing: a kiosk waits on this screen for hours, and every frame it
draws costs a software-rendered frame (26 ms of CPU under Xvfb's llvmpipe, less on a GPU but never
free). So it is not an animation at 60 fps but a few still pictures: every :attr:`Attract.PERIOD`
seconds one ring widens from the touch circle in :data:`STEPS` steps :attr:`Attract.STEP` seconds
apart while the call to touch brightens, then the screen rests, unchanged, and draws nothing.
About 0.6 frames a second on average. It pauses while the window is hidden or the screen blanked.
"""
from __future__ import annotations

from typing import Optional

from kivy.clock import Clock
from kivy.properties import ColorProperty, NumericProperty
from kivy.uix.label import Label
from kivy.uix.widget import Widget

#: (ring progress, ring shown, call opacity) for each picture of one breath; the last one rests
STEPS: tuple[tuple[float, bool, float], ...] = (
    (0.0, True, 0.75),
    (0.25, True, 0.6),
    (0.5, True, 0.75),
    (0.75, True, 0.9),
    (0.0, False, 1.0),
)


class PulseLabel(Label):
    """The call to touch; :class:`Attract` sets its opacity, one still picture at a time."""


class Ripple(Widget):
    """A ring that widens from a point and fades as ``progress`` goes 0 -> 1 ("touch here")."""

    progress = NumericProperty(0.0)
    color = ColorProperty([1, 1, 1, 1])
    #: how far the ring widens past its start (up to 110 dp): the room its picture leaves
    reach = NumericProperty(110)


class Attract:
    """Steps a :class:`Ripple` and a :class:`PulseLabel` through :data:`STEPS`, every PERIOD s."""

    PERIOD = 10.0
    STEP = 0.3

    def __init__(self, ripple: Ripple, call: PulseLabel):
        self.ripple = ripple
        self.call = call
        self._event = None
        self._index = 0
        self.running = False
        self.paused = False

    def start(self) -> None:
        """Begin with a breath now (a visitor who just arrived sees it at once)."""
        self.running = True
        self._index = 0
        self._schedule(0)

    def stop(self) -> None:
        """Stop and put both widgets back at rest."""
        self.running = False
        self._cancel()
        self._show(STEPS[-1])

    def pause(self, paused: bool) -> None:
        """Hidden window or blanked screen: no pictures at all until unpaused."""
        self.paused = paused
        if paused:
            self._cancel()
            self._show(STEPS[-1])
        elif self.running and self._event is None:
            self._index = 0
            self._schedule(0)

    def _cancel(self) -> None:
        if self._event is not None:
            self._event.cancel()
            self._event = None

    def _schedule(self, delay: float) -> None:
        self._cancel()
        self._event = Clock.schedule_once(self._step, delay)

    def _step(self, _dt=None) -> None:
        self._event = None
        if not self.running or self.paused:
            return
        picture = STEPS[self._index]
        self._show(picture)
        self._index += 1
        if self._index < len(STEPS):
            self._schedule(self.STEP)
        else:
            self._index = 0
            self._schedule(self.PERIOD - self.STEP * (len(STEPS) - 1))

    def _show(self, picture: tuple[float, bool, float]) -> None:
        progress, shown, opacity = picture
        self.ripple.progress = progress
        self.ripple.opacity = 1.0 if shown else 0.0
        self.call.opacity = opacity


def attract_for(screen) -> Optional[Attract]:
    """The screen's :class:`Attract` (made once, from its ``ripple`` and ``call`` ids)."""
    attract = getattr(screen, "_attract", None)
    if attract is None and "ripple" in screen.ids and "call" in screen.ids:
        attract = Attract(screen.ids.ripple, screen.ids.call)
        screen._attract = attract
    return attract

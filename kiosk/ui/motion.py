"""The welcome screen's gentle motion: a label that breathes and rings that ripple ("touch here")."""
from __future__ import annotations

from typing import Optional

from kivy.animation import Animation
from kivy.properties import ColorProperty, NumericProperty
from kivy.uix.label import Label
from kivy.uix.widget import Widget


class _Looping:
    """An animation repeated until :meth:`stop`, which puts the widget back as it was."""

    _anim: Optional[Animation] = None

    def _loop(self) -> Animation:
        raise NotImplementedError

    def _rest(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self.stop()
        anim = self._loop()
        anim.repeat = True
        self._anim = anim
        anim.start(self)

    def stop(self) -> None:
        if self._anim is not None:
            self._anim.cancel(self)
            self._anim = None
        self._rest()


class PulseLabel(_Looping, Label):
    """A label that breathes slowly (the attract screen's call to touch)."""

    def _loop(self) -> Animation:
        self.opacity = 1
        return Animation(opacity=0.45, d=1.2, t="in_out_sine") + Animation(opacity=1, d=1.2, t="in_out_sine")

    def _rest(self) -> None:
        self.opacity = 1


class Ripple(_Looping, Widget):
    """Rings that grow from a point and fade, repeating: "touch here"."""

    progress = NumericProperty(0.0)
    color = ColorProperty([1, 1, 1, 1])

    def _loop(self) -> Animation:
        return Animation(progress=1.0, d=2.0) + Animation(progress=0.0, d=0)

    def _rest(self) -> None:
        self.progress = 0.0

"""Starting over for the next visitor.

:class:`IdleWatcher` is plain logic with an injectable clock: after ``timeout`` seconds without
a touch it asks "are you still there?" and counts ``countdown`` seconds down; any touch cancels
the question; when the countdown ends it calls ``on_reset``. While ``sensitive`` (the screen on
show must not be seen by whoever comes next: a sensitive service, a shelter's provider) it asks
after ``sensitive_timeout`` instead, with the same countdown. The app feeds it touches and calls
:meth:`IdleWatcher.tick` a few times a second; tests call ``tick()`` after moving a fake clock.

While the kiosk reads aloud (``busy``, the speech controller's :meth:`reading_aloud`) the
countdown does not run: a visitor who cannot see is listening, not gone, and a service page
read whole takes minutes (its phone number used to come four minutes in, after a 90 s
timeout). It starts again from zero when the speech ends or is stopped; a paused reading does
not hold it (nobody would ever reset the kiosk), nor one longer than ``max_hold`` seconds (a
stuck sound device); the question itself, once asked, counts down while it is said.

:class:`IdlePrompt` is the question on screen: a big countdown, "Yes, continue" and
"Start over".
"""
from __future__ import annotations

import math
import time
from typing import Callable, Optional

from kivy.animation import Animation
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty
from kivy.uix.modalview import ModalView


def seconds_left(remaining: float) -> int:
    """The whole seconds the countdown shows and says for ``remaining`` (rounded up, as a
    countdown is read). A millisecond is forgiven: the monotonic clock's floats make 91 s after
    a touch at 1000.004 come out as 90.99999999999989, and the question would open at "10"."""
    return max(0, math.ceil(remaining - 0.001))


class IdleWatcher:
    def __init__(self, timeout: float, countdown: float, *, now: Callable[[], float] = time.monotonic,
                 on_prompt: Optional[Callable[[float], None]] = None,
                 on_countdown: Optional[Callable[[float], None]] = None,
                 on_cancel: Optional[Callable[[], None]] = None,
                 on_reset: Optional[Callable[[], None]] = None,
                 sensitive_timeout: Optional[float] = None,
                 busy: Optional[Callable[[], bool]] = None, max_hold: float = 600.0):
        self.normal_timeout = float(timeout)
        self.sensitive_timeout = min(float(sensitive_timeout), self.normal_timeout) \
            if sensitive_timeout is not None else self.normal_timeout
        self.sensitive = False
        self.countdown = float(countdown)
        self.now = now
        self.on_prompt = on_prompt
        self.on_countdown = on_countdown
        self.on_cancel = on_cancel
        self.on_reset = on_reset
        self.enabled = False
        self.prompting = False
        self.last_activity = now()
        #: True while the visitor is listening (speech plays): no countdown then
        self.busy = busy
        self.max_hold = float(max_hold)
        self._held_since: Optional[float] = None

    def activity(self) -> bool:
        """A touch (or key): the visitor is still here. True if this answered the question."""
        self.last_activity = self.now()
        self._held_since = None
        if self.prompting:
            self.prompting = False
            if self.on_cancel:
                self.on_cancel()
            return True
        return False

    def enable(self, enabled: bool) -> None:
        """Watch only while a visitor is using the kiosk (not on the welcome screen)."""
        self.enabled = enabled
        self.last_activity = self.now()
        if not enabled and self.prompting:
            self.prompting = False
            if self.on_cancel:
                self.on_cancel()

    @property
    def timeout(self) -> float:
        """Seconds without a touch before the question: shorter on a sensitive screen."""
        return self.sensitive_timeout if self.sensitive else self.normal_timeout

    def idle_for(self) -> float:
        return self.now() - self.last_activity

    def remaining(self) -> float:
        """Seconds left on the countdown (the full countdown before it starts)."""
        return max(0.0, self.timeout + self.countdown - self.idle_for()) if self.prompting else self.countdown

    def held(self) -> bool:
        """Is speech holding the countdown? (Then it starts from zero when the speech ends.)"""
        if self.prompting or self.busy is None or not self.busy():
            self._held_since = None
            return False
        now = self.now()
        if self._held_since is None:
            self._held_since = now
        return now - self._held_since < self.max_hold

    def tick(self) -> None:
        if not self.enabled:
            return
        if self.held():
            self.last_activity = self.now()
            return
        idle = self.idle_for()
        if idle >= self.timeout + self.countdown:
            self.prompting = False
            self.enabled = False
            if self.on_reset:
                self.on_reset()
        elif idle >= self.timeout:
            if not self.prompting:
                self.prompting = True
                if self.on_prompt:
                    self.on_prompt(self.remaining())
            if self.on_countdown:
                self.on_countdown(self.remaining())


class IdlePrompt(ModalView):
    """"Are you still there?" with the seconds left."""

    seconds = NumericProperty(10)
    total = NumericProperty(10)
    app = ObjectProperty(None, allownone=True)
    #: asked for and not yet put away (a fading-out prompt is not showing)
    showing = BooleanProperty(False)

    def show_seconds(self, remaining: float) -> None:
        self.seconds = seconds_left(remaining)

    def show(self, animation: bool = True) -> None:
        self.showing = True
        if self._is_open:
            # still fading out from last time: bring it back
            Animation.cancel_all(self, "_anim_alpha")
            self._anim_alpha = 1.0
            return
        self.open(animation=animation)

    def hide(self, animation: bool = True) -> None:
        """Fade out (the buttons still answer the touch that closed it)."""
        self.showing = False
        if self._is_open:
            self.dismiss(animation=animation)

    def remove_now(self) -> None:
        """Take the question off the screen at once, even half-way through fading out."""
        self.showing = False
        Animation.cancel_all(self, "_anim_alpha")
        if self._is_open:
            self.dismiss(animation=False)

    def on_dismiss(self):
        self.showing = False

    def on_touch_down(self, touch):
        # Any touch on or around the question means "still here"; the window has already told
        # the watcher, which puts the question away. Its buttons still see the touch that did
        # it; anything else goes through to the screen below once it is going away.
        if not self.showing:
            if self._is_button(touch):
                return super().on_touch_down(touch)
            # the touch that answered the question stops here, unless it is on a quick exit or
            # on urgent help: a visitor in danger who sees the question must leave, or reach
            # the urgent lines, with one tap, not two
            if self._on_way_out(touch):
                return False
            return bool(touch.ud.get("kiosk.idle_answer"))
        super().on_touch_down(touch)
        return True

    def on_touch_move(self, touch):
        return super().on_touch_move(touch) if self.showing or touch.grab_current is not None else False

    def on_touch_up(self, touch):
        if not self.showing and touch.grab_current is None:
            return False
        return super().on_touch_up(touch)

    def _on_way_out(self, touch) -> bool:
        """Is the touch on a quick-exit or an urgent-help button under the question (the top
        bar's, or a screen's)?"""
        from kiosk.ui.widgets import QuickExitButton, UrgentButton

        root = getattr(self.app, "root", None)
        if root is None:
            return False
        from kiosk.ui.focus import shown

        return any(isinstance(w, (QuickExitButton, UrgentButton)) and shown(w)
                   and w.collide_point(*w.to_widget(*touch.pos)) for w in root.walk(restrict=True))

    def _is_button(self, touch) -> bool:
        return any(b.collide_point(*b.to_widget(*touch.pos)) for b in (self.ids.stay, self.ids.restart))

"""The kiosk at rest: nobody touches it, so it should cost (almost) nothing.

An idle kiosk that burns a core heats a fanless box and slows its sync; on a Raspberry Pi it
makes every touch slower. What it does while it waits:

* **draws nothing it need not draw**: screens draw a frame only when something on them changes;
  the welcome screen's motion is a few still pictures every ten seconds (:mod:`kiosk.ui.motion`);
* **slows its main loop** once the welcome screen has waited :attr:`Rest.REST_AFTER` seconds:
  Kivy's loop wakes 60 times a second to poll for input even with nothing to draw (about 2 % of
  a core); at rest it wakes :data:`REST_FPS` times. The first touch wakes it: the finger's *down*
  is seen up to 1/REST_FPS s later, and everything after runs at the full rate again;
* **pauses the motion** while the window is hidden (another program in front, minimised);
* **switches the screen off** (``[display] blank_after_minutes``; DPMS through ``xset`` under
  X) after that long on the welcome screen, and on again at the first touch.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
from typing import Callable, Optional, Sequence

from kivy.clock import Clock

log = logging.getLogger(__name__)

#: loop iterations per second while the welcome screen rests
REST_FPS = 15


class LoopPace:
    """Kivy's frame cap, lowered at rest and put back at the first touch.

    Kivy reads ``Clock._max_fps`` at every iteration of its loop (``ClockBase.idle``); there is no
    public setter after start-up, so this is the one place that touches it."""

    def __init__(self, clock=Clock):
        self.clock = clock
        self.active_fps = float(getattr(clock, "_max_fps", 60.0))
        self.resting = False

    def rest(self) -> None:
        """Slow down (not an uncapped loop, maxfps 0: whoever asked for that wants every frame)."""
        if not self.resting and self.active_fps > REST_FPS:
            self.resting = True
            self.clock._max_fps = float(REST_FPS)

    def wake(self) -> None:
        if self.resting:
            self.resting = False
            self.clock._max_fps = self.active_fps


class Blanker:
    """Switches the display off and on through DPMS (``xset dpms force off|on``), off the main
    thread. Without X (Wayland, no ``xset``) it says so once in the log and does nothing."""

    def __init__(self, run: Callable[[Sequence[str]], Optional[str]] = None):
        self._run = run or _run_xset
        self.blanked = False
        self._warned = False

    def available(self) -> bool:
        return bool(os.environ.get("DISPLAY")) and shutil.which("xset") is not None

    def blank(self) -> None:
        self.blanked = True
        self._send("off")

    def unblank(self) -> None:
        if self.blanked:
            self.blanked = False
            self._send("on")

    def _send(self, state: str) -> None:
        if not self.available():
            if not self._warned:
                self._warned = True
                log.info("display: no X display or no xset; the screen is not switched %s", state)
            return

        def work() -> None:
            problem = self._run(["xset", "dpms", "force", state])
            if problem and not self._warned:
                self._warned = True
                log.warning("display: could not switch the screen %s: %s", state, problem)

        threading.Thread(target=work, name="kiosk-dpms", daemon=True).start()


def _run_xset(argv: Sequence[str]) -> Optional[str]:
    """Run ``xset``; what went wrong, or None. (xset exits 0 even when the X server has no DPMS,
    so what it prints on stderr counts too.)"""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError) as exc:
        return str(exc)
    problem = (done.stderr or "").strip()
    if done.returncode != 0 or problem:
        return problem.splitlines()[0] if problem else f"exit status {done.returncode}"
    return None


class Rest:
    """What the app does while nobody touches it; the app tells it of touches, screens and the
    window being hidden or shown."""

    #: seconds on the welcome screen before the loop slows
    REST_AFTER = 3.0

    def __init__(self, *, attract: Callable[[], object], blank_after_minutes: int = 0,
                 pace: Optional[LoopPace] = None, blanker: Optional[Blanker] = None):
        self._attract = attract        # the welcome screen's Attract (or None)
        self.blank_after = blank_after_minutes * 60.0
        self.pace = pace or LoopPace()
        self.blanker = blanker or Blanker()
        self.hidden = False
        self.on_welcome = False
        self._rest_event = None
        self._blank_event = None

    # the app's calls
    def screen(self, name: str) -> None:
        self.on_welcome = name == "welcome"
        self._restart()

    def touched(self) -> None:
        self.pace.wake()
        self.blanker.unblank()
        self._update_motion()
        self._restart()

    def window_hidden(self, hidden: bool) -> None:
        self.hidden = hidden
        self._update_motion()

    def stop(self) -> None:
        self._cancel()
        self.pace.wake()
        self.blanker.unblank()

    # inside
    def _cancel(self) -> None:
        for event in (self._rest_event, self._blank_event):
            if event is not None:
                event.cancel()
        self._rest_event = self._blank_event = None

    def _restart(self) -> None:
        self._cancel()
        if not self.on_welcome:
            self.pace.wake()
            self.blanker.unblank()
            return
        self._rest_event = Clock.schedule_once(lambda _dt: self.pace.rest(), self.REST_AFTER)
        if self.blank_after > 0:
            self._blank_event = Clock.schedule_once(self._blank, self.blank_after)
        self._update_motion()

    def _blank(self, _dt=None) -> None:
        self._blank_event = None
        if self.on_welcome:
            self.blanker.blank()
            self._update_motion()

    def _update_motion(self) -> None:
        attract = self._attract()
        if attract is not None:
            attract.pause(self.hidden or self.blanker.blanked)

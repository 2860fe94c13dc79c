"""The real kiosk app in this process, on the (virtual) display, for the UI probes.

Import this module before anything imports Kivy; call :func:`start_app` once. It runs the app the
way ``kiosk run --windowed`` does (the same ``create_app``, Kivy's default frame cap of 60 fps,
``Clock.max_iteration`` as the app sets it), except that screen transitions are off (their slide
is a design choice, not a cost) and opening hours are judged at a fixed Wednesday morning. The
event loop is pumped here (``EventLoop.idle()``, exactly what ``App.run`` loops over), so the
probe can post touches between frames.

How "drawn" is detected: :class:`Frames` wraps ``Window.flip`` (the SDL buffer swap); a frame
counts once the swap has returned. A *ready* predicate is checked in ``on_draw`` (bound, so it runs
just before the window draws its canvas), i.e. after that frame's clock callbacks, touch
dispatch, layout and canvas updates: the first frame whose ``on_draw`` sees the predicate true is
the first frame that shows that state, and its swap time is the end of a measurement.

Touches are MotionEvents posted to Kivy's input queue (as the mouse/touch provider posts them),
so hit-testing, the lockdown filter, ScrollView's touch handling and the buttons' behaviour all run
as for a finger. A tap holds the finger down :data:`HOLD` seconds (a typical finger tap, shorter
than ScrollView's 250 ms scroll_timeout) and lifts it at a random moment within a frame
(``random.Random(seed)``), as a real finger lifts without regard to the display's frame clock.
"""
from __future__ import annotations

import itertools
import os
import random
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WINDOW_SIZE = (1280, 800)
FIXED_NOW = datetime(2026, 11, 25, 10, 30)   # a Wednesday morning, Europe/Tirane wall clock
HOLD = float(os.environ.get("BENCH_TAP_HOLD", "0.10"))
FRAME = 1 / 60

now = time.monotonic


class Frames:
    """Buffer swaps of the window, and the first swap of a frame that shows a ready state."""

    def __init__(self, window):
        self.window = window
        self.count = 0
        self.last = None                      # time the last swap returned
        self.intervals: Optional[list[float]] = None   # flip-to-flip times while recording
        self._ready: Optional[Callable[[], bool]] = None
        self._marked = False
        self.ready_draw: Optional[float] = None   # on_draw of the ready frame began
        self.hit: Optional[float] = None          # its swap returned
        self.drawn_since_arm = 0                  # swaps while waiting for the ready frame
        self.on_swap: Optional[Callable[[float], None]] = None
        self.on_hit: Optional[Callable[[float], None]] = None
        original = window.flip

        def flip(*args, **kwargs):
            result = original(*args, **kwargs)
            t = now()
            if self.intervals is not None and self.last is not None:
                self.intervals.append(t - self.last)
            self.last = t
            self.count += 1
            if self._ready is not None:
                self.drawn_since_arm += 1
            if self.on_swap is not None:
                self.on_swap(t)
            if self._marked:
                self.hit = t
                self._marked = False
                self._ready = None
                if self.on_hit is not None:
                    self.on_hit(t)
            return result

        window.flip = flip
        window.bind(on_draw=self._on_draw)

    def _on_draw(self, *_args) -> None:
        if self._ready is not None and not self._marked:
            try:
                ok = self._ready()
            except ReferenceError:
                ok = False
            if ok:
                self._marked = True
                self.ready_draw = now()

    def arm(self, ready: Callable[[], bool]) -> None:
        self._ready, self._marked = ready, False
        self.hit = self.ready_draw = None
        self.drawn_since_arm = 0


_ids = itertools.count(5000)


def make_touch(x: float, y: float):
    from kivy.core.window import Window
    from kivy.input.motionevent import MotionEvent

    class Finger(MotionEvent):
        def depack(self, args):
            self.sx = args["x"] / (Window.width - 1.0)
            self.sy = args["y"] / (Window.height - 1.0)
            self.is_touch = True
            super().depack(args)

    touch = Finger("bench", next(_ids), {"x": x, "y": y}, is_touch=True, type_id="touch")
    touch.profile = ["pos"]
    return touch


class Harness:
    """The running app plus ways to pump frames, tap widgets and time what follows."""

    def __init__(self, app, seed: int = 11):
        from kivy.base import EventLoop
        from kivy.core.window import Window

        self.app = app
        self.loop = EventLoop
        self.window = Window
        self.frames = Frames(Window)
        self.rng = random.Random(seed)
        self.events: dict[str, float] = {}
        self.fetch_s: list[float] = []
        self.gc_s: list[float] = []              # Python garbage collections (any thread)
        self._gc_start: Optional[float] = None
        import gc

        gc.callbacks.append(self._gc)
        self._touch_uid: Optional[int] = None
        Window.bind(on_touch_up=self._touch_up_seen)   # bound last: runs before the app's
        self.frames.on_swap = self._swapped
        self._wrap_app()

    def _gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_start = now()
        elif self._gc_start is not None:
            self.gc_s.append(now() - self._gc_start)
            self._gc_start = None

    def _swapped(self, t: float) -> None:
        if "applied" in self.events and "first_swap" not in self.events:
            self.events["first_swap"] = t

    # ------------------------------------------------------------ instrumentation

    def _mark(self, name: str) -> None:
        self.events.setdefault(name, now())

    def _touch_up_seen(self, _window, touch) -> None:
        if touch.uid == self._touch_uid:
            self._mark("dispatch")

    def _wrap_app(self) -> None:
        """Marks for the breakdown of a measurement. They wrap private methods of the app; if one
        is renamed its part is simply missing from the figures (the totals do not use them)."""
        app = self.app
        show = getattr(app, "_show", None)
        if show is not None:
            def _show(*args, **kwargs):
                self._mark("app")
                return show(*args, **kwargs)

            app._show = _show
        submit = getattr(app.reads, "submit", None)
        if submit is not None:
            def timed_submit(fn, *args, **kwargs):
                def run(*a, **k):
                    t = now()
                    try:
                        return fn(*a, **k)
                    finally:
                        self.fetch_s.append(now() - t)
                        self._mark("fetched")
                return submit(run, *args, **kwargs)

            app.reads.submit = timed_submit
        when_built = getattr(app.sm, "when_built", None)
        if when_built is not None:        # screens built after the first frame (kiosk.ui.screens)
            when_built(None, lambda screen: self._wrap_deliver(screen) if hasattr(screen, "_deliver") else None)
            return
        for screen in app.sm.screens:
            if hasattr(screen, "_deliver"):
                self._wrap_deliver(screen)

    def _wrap_deliver(self, screen) -> None:
        deliver = screen._deliver

        def _deliver(*args, **kwargs):
            self._mark("deliver")
            try:
                return deliver(*args, **kwargs)
            finally:
                self._mark("applied")

        screen._deliver = _deliver

    # ------------------------------------------------------------ frames

    def pump(self, frames: int = 1) -> None:
        for _ in range(frames):
            self.loop.idle()

    def run_for(self, seconds: float) -> None:
        deadline = now() + seconds
        while now() < deadline:
            self.loop.idle()

    def wait(self, condition: Callable[[], bool], timeout: float = 60.0, what: str = "") -> None:
        deadline = now() + timeout
        while now() < deadline:
            self.loop.idle()
            if condition():
                return
        raise TimeoutError(f"timed out waiting for {what or condition}")

    def wait_drawn(self, ready: Callable[[], bool], timeout: float = 60.0, what: str = "") -> float:
        """Pump frames until a frame showing ``ready`` has been swapped; its swap time."""
        self.frames.arm(ready)
        deadline = now() + timeout
        while self.frames.hit is None:
            if now() > deadline:
                raise TimeoutError(f"timed out waiting for {what or ready} to be drawn")
            self.loop.idle()
            if self.frames.hit is None and not self.window.canvas.needs_redraw:
                # nothing to draw this frame: make sure the next one is drawn if ready now
                try:
                    if ready():
                        self.window.canvas.ask_update()
                except ReferenceError:
                    pass
        return self.frames.hit

    def settle(self, seconds: float = 0.3) -> None:
        """Frames until background work is over, then ``seconds`` more."""
        self.wait(lambda: not self.app.reads.pending, 60, "background work")
        self.run_for(seconds)

    # ------------------------------------------------------------ taps

    def visible(self, widget) -> bool:
        x, y = widget.to_window(*widget.center)
        return 0 <= x <= self.window.width and 0 <= y <= self.window.height and widget.width > 0

    def tap(self, widget, ready: Callable[[], bool], *, hold: float = HOLD,
            timeout: float = 60.0) -> dict:
        """Tap ``widget`` like a finger; time from the lift to the first frame showing ``ready``.

        Returns seconds: ``total`` (lift to that frame's swap) and its parts: ``input`` (lift to
        the window dispatching it), ``to_app`` (to the app's navigation call, ScrollView's
        deferred release included), ``fetch`` (worker-thread time of the calls made meanwhile),
        ``apply`` (main-thread delivery: building the page), ``to_frame`` (the rest: waiting for
        the frame, layout, drawing, swap), ``first_frame`` (lift to the first frame after the
        data was applied) and ``gc`` (time in Python's garbage collector meanwhile, any part)."""
        x, y = widget.to_window(*widget.center)
        touch = make_touch(x, y)
        self.loop.post_dispatch_input("begin", touch)
        t_down = now()
        while now() - t_down < hold:
            self.loop.idle()
        time.sleep(self.rng.uniform(0, FRAME))   # the finger lifts at any moment of a frame
        self.events = {}
        self.fetch_s = []
        self.gc_s = []
        self._touch_uid = touch.uid
        t_up = now()
        self.loop.post_dispatch_input("end", touch)
        hit = self.wait_drawn(ready, timeout, "the next screen")
        return self._parts(t_up, hit)

    def _parts(self, t_up: float, hit: float) -> dict:
        e = self.events
        out = {"total": hit - t_up}
        out["input"] = e.get("dispatch", t_up) - t_up
        if "app" in e:
            out["to_app"] = e["app"] - e.get("dispatch", t_up)
        out["fetch"] = sum(self.fetch_s)
        out["gc"] = sum(self.gc_s)
        if "deliver" in e and "applied" in e:
            out["apply"] = e["applied"] - e["deliver"]
            out["to_frame"] = hit - e["applied"]
        if "first_swap" in e:
            out["first_frame"] = e["first_swap"] - t_up
        return out


def start_app(data_dir: Path, *, size: tuple[int, int] = WINDOW_SIZE, maxfps: Optional[int] = None,
              fixed_now: datetime = FIXED_NOW, animate: bool = False):
    """Create and start the kiosk app on the data directory's database; returns a Harness.
    ``animate``: the welcome screen's motion and the screen transitions as the kiosk has them."""
    import sys

    if "kivy.core.window" in sys.modules:
        # the window would already be open with Kivy's own defaults (2x multisampling, which
        # costs llvmpipe about 28 ms a frame): every figure of the probe would be wrong
        raise RuntimeError("a probe imported Kivy's window before start_app: import kiosk.ui "
                           "modules after it")
    from kiosk.ui import lockdown

    lockdown.prepare_kivy(Path(data_dir), windowed=True, size=size)
    if maxfps is not None:
        from kivy.config import Config

        Config.set("graphics", "maxfps", str(maxfps))
    from kiosk.app import create_app
    from kiosk.config import Config as KioskConfig

    config = KioskConfig.model_validate({"kiosk": {"data_dir": str(data_dir), "id": "bench"}})
    app = create_app(config, windowed=True, now=lambda: fixed_now, animate=animate, size=size)
    from kivy.base import runTouchApp

    app._run_prepare()
    runTouchApp(embedded=True)
    harness = Harness(app)
    harness.settle(0.5)
    return harness


def stop_app(harness: Harness) -> None:
    app = harness.app
    try:
        app.reads.close()
    finally:
        app.stop()


def screen_ready(app, name: str) -> Callable[[], bool]:
    """The screen ``name`` is current, its data delivered and applied, and (when the screen
    builds in steps) complete; no background work pending."""
    def ready() -> bool:
        sm = app.sm
        if sm.current != name or sm.transition.is_active:
            return False
        screen = sm.current_screen
        return (not screen.loading and getattr(screen, "complete", True)
                and not app.reads.pending)
    return ready

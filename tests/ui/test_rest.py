"""An idle kiosk rests: no frame is drawn unless something on screen changes, the welcome
screen's motion is a few still pictures, it pauses while the window is hidden or the screen is
blanked, and the main loop slows down while the welcome screen waits.

Nothing here times anything: it counts frames (buffer swaps) and loop iterations. The tests'
loop is uncapped (maxfps 0), so any animation at "every frame" would show as hundreds of swaps.
"""
from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.ui


class Swaps:
    """Counts the window's buffer swaps (frames drawn) while in a ``with`` block."""

    def __init__(self, window):
        self.window = window
        self.count = 0

    def __enter__(self):
        self._flip = self.window.flip

        def flip(*args, **kwargs):
            self.count += 1
            return self._flip(*args, **kwargs)

        self.window.flip = flip
        return self

    def __exit__(self, *exc):
        self.window.flip = self._flip
        return False


def attract(ui):
    from kiosk.ui.motion import attract_for

    return attract_for(ui.app.sm.get_screen("welcome"))


def test_welcome_draws_a_few_pictures_not_sixty_frames_a_second(ui):
    motion = attract(ui)
    motion.start()
    seen = set()
    ripple = ui.app.sm.get_screen("welcome").ids.ripple
    loops = 0
    with Swaps(ui.window) as swaps:
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            ui.pump(1)
            loops += 1
            seen.add((round(ripple.progress, 2), ripple.opacity))
    # one breath (five pictures) in the first 1.2 s, then stillness until the next one
    assert 4 <= swaps.count <= 8, swaps.count
    assert loops > 50 * swaps.count           # the loop ran freely; it just had nothing to draw
    assert len(seen) >= 4                     # and the ring did move: the pictures differ
    assert ripple.opacity == 0 and ui.app.sm.get_screen("welcome").ids.call.opacity == 1


def test_other_screens_draw_nothing_while_nobody_touches(ui):
    ui.app.start("sq")
    for screen in ("home", "search"):
        if screen == "search":
            ui.app.open_search()
        ui.settle()
        ui.run_for(1.5)                       # prepared pages delivered, the cursor drawn
        with Swaps(ui.window) as swaps:
            ui.run_for(3.0)
        assert ui.app.sm.current == screen
        assert swaps.count <= 2, (screen, swaps.count)
    assert not attract(ui).running            # the welcome motion stopped when the visitor left


def test_hidden_window_pauses_the_motion(ui):
    motion = attract(ui)
    motion.start()
    ui.window.dispatch("on_hide")
    try:
        ui.pump(2)
        with Swaps(ui.window) as swaps:
            ui.run_for(1.5)
        assert motion.paused and swaps.count <= 1
    finally:
        ui.window.dispatch("on_show")
    assert not motion.paused
    with Swaps(ui.window) as swaps:
        ui.run_for(1.0)
    assert swaps.count >= 3                   # a breath begins as soon as the window shows again


def test_blanked_screen_pauses_the_motion_and_a_touch_wakes_it(ui, caplog):
    """Xvfb has no DPMS: the real ``xset`` says so, the kiosk logs it once and still rests."""
    rest = ui.app.rest
    motion = attract(ui)
    motion.start()
    rest.blank_after = 0.5
    rest.screen("welcome")
    try:
        ui.run_for(0.8)
        assert rest.blanker.blanked and motion.paused
        with Swaps(ui.window) as swaps:
            ui.run_for(1.0)
        assert swaps.count <= 1
        ui.tap_at(ui.window.width / 2, ui.window.height / 2)   # the visitor arrives
        assert not rest.blanker.blanked and not motion.paused
    finally:
        rest.blank_after = 0
        ui.go_welcome()


def test_loop_slows_at_rest_and_a_touch_brings_it_back(ui):
    """Kivy's real clock: 60 fps capped loop, at rest REST_FPS; the ratio of iterations shows it."""
    from kivy.base import EventLoop
    from kivy.clock import Clock

    from kiosk.ui.rest import REST_FPS, LoopPace

    saved = Clock._max_fps
    Clock._max_fps = 60.0
    try:
        pace = LoopPace(Clock)

        def rate(seconds: float = 1.0) -> float:
            n, start = 0, time.monotonic()
            while time.monotonic() - start < seconds:
                EventLoop.idle()
                n += 1
            return n / seconds

        ui.run_for(0.5)
        active = rate()
        pace.rest()
        resting = rate()
        pace.wake()
        again = rate()
        print("loop iterations per second: active", active, "resting", resting, "again", again)
        assert resting < active * 0.5 and resting <= REST_FPS * 2
        assert again > resting * 2
    finally:
        Clock._max_fps = saved
    uncapped = LoopPace(Clock)               # maxfps 0 (these tests, the bench): never slowed
    uncapped.rest()
    assert not uncapped.resting and Clock._max_fps == saved

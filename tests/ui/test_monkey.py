"""A monkey: thousands of random touches, drags, clicks and keys on every screen; nothing breaks."""
from __future__ import annotations

import logging
import os
import random
import time

import pytest

pytestmark = pytest.mark.ui

EVENTS = int(os.environ.get("KIOSK_MONKEY_EVENTS", "2000"))


def test_monkey(ui, monkeypatch, caplog):
    app, window = ui.app, ui.window
    # A fixed seed by default so that CI is repeatable; KIOSK_MONKEY_SEED=random (or a number)
    # explores other paths.
    env_seed = os.environ.get("KIOSK_MONKEY_SEED", "20261123")
    seed = int(time.time()) if env_seed == "random" else int(env_seed)
    rng = random.Random(seed)
    exits: list[bool] = []
    monkeypatch.setattr(app, "exit_kiosk", lambda: exits.append(True))
    caplog.set_level(logging.WARNING)
    from kivy.uix.behaviors import ButtonBehavior

    seen_screens: set[str] = {app.sm.current}
    keys = [27, 282, 285, 292, 293, 101, 13, 32, 8, 9, 273, 274, 275, 276, 97, 122, 113]
    # Every 150 events the monkey is put on the next screen of this round, so that every screen
    # gets its share whatever the dice say.
    service_id = app.reads.search("nursery", "en")[0].id
    org_id = app.reads.service(service_id, "en").organization.id
    category_id = app.reads.categories("en")[0].id
    rounds = [app.go_home, lambda: app.open_category(category_id), lambda: app.open_service(service_id),
              lambda: app.open_organization(org_id), app.open_search, app.open_staff,
              app.reset_session]
    started = time.monotonic()
    cached: tuple = ((), [])

    def step(n: int) -> None:
        nonlocal cached
        if n % 150 == 0:
            app.idle_prompt.remove_now()
            rounds[(n // 150) % len(rounds)]()
        roll = rng.random()
        if roll < 0.25:
            # a finger on something that can be pressed (the monkey wanders deep); the list of
            # pressable things is looked up again when the screen or its content changes
            state = (app.sm.current, repr(app.sm.current_screen.params), len(window.children),
                     app.sm.transition.is_active)
            if state != cached[0]:
                cached = (state, [w for top in window.children for w in top.walk(restrict=True)
                                  if isinstance(w, ButtonBehavior) and ui.is_visible(w)])
            targets = cached[1]
            if targets:
                x, y = ui.center_of(rng.choice(targets))
            else:
                x, y = rng.uniform(0, window.width), rng.uniform(0, window.height)
            touch = ui.touch_down(x, y)
            ui.tick()
            ui.touch_up(touch)
        elif roll < 0.75:
            touch = ui.touch_down(rng.uniform(0, window.width - 1), rng.uniform(0, window.height - 1))
            ui.tick()
            ui.touch_up(touch)
        elif roll < 0.83:
            # a drag (scrolling a list), possibly a long one
            x, y = rng.uniform(0, window.width - 1), rng.uniform(0, window.height - 1)
            touch = ui.touch_down(x, y)
            for _ in range(rng.randint(1, 4)):
                x = min(window.width - 1, max(0, x + rng.uniform(-60, 60)))
                y = min(window.height - 1, max(0, y + rng.uniform(-200, 200)))
                touch.move({"x": x, "y": y})
                ui.loop.post_dispatch_input("update", touch)
                ui.tick()
            ui.touch_up(touch)
        elif roll < 0.87:
            touch = ui.touch_down(rng.uniform(0, window.width - 1), rng.uniform(0, window.height - 1),
                                  button=rng.choice(["right", "middle"]))
            ui.tick()
            ui.touch_up(touch)
        elif roll < 0.97:
            key = rng.choice(keys)
            mods = rng.choice([[], ["ctrl"], ["alt"], ["shift"], ["meta"]])
            window.dispatch("on_key_down", key, 0, None, mods)
            window.dispatch("on_keyboard", key, 0, None, mods)
            window.dispatch("on_key_up", key, 0)
        elif roll < 0.985:
            ui.clock.advance(rng.choice([1, 30, 95, 101]))      # idle prompt, even a reset
        else:
            app.open_staff()                                     # the PIN pad gets pressed too
        # Kivy's clock runs after every event; a full frame is drawn after every tenth.
        if n % 10 == 9:
            ui.pump(1)
        else:
            ui.tick()
        seen_screens.add(app.sm.current)
        assert ui.loop.status == "started", f"event {n}: the app stopped (seed {seed})"

    for n in range(EVENTS):
        try:
            step(n)
        except Exception as exc:
            raise AssertionError(f"event {n} failed (KIOSK_MONKEY_SEED={seed})") from exc
    elapsed = time.monotonic() - started

    ui.settle()
    assert exits == [], f"the monkey reached 'exit kiosk' (seed {seed})"
    every = {"welcome", "home", "category", "service", "organization", "search", "staff"}
    assert every <= seen_screens <= every | {"urgent"}, (seed, seen_screens)   # urgent: when tapped
    # Kivy logs "too much iteration done before the next frame" when a random burst of resizes
    # needs more layout passes than one frame allows; it is not an exception, and the checks
    # below prove the app still answers. Anything else logged as an error fails the test.
    problems = [r for r in caplog.records if r.levelno >= logging.ERROR
                and "too much iteration" not in r.getMessage()]
    assert not problems, (seed, [r.getMessage() for r in problems])

    # Still responsive: a visitor can start and search.
    ui.go_welcome()
    assert ui.window.children == [app.root], ui.window.children
    ui.tap(ui.button("English"))
    assert app.sm.current == "home"
    ui.tap(ui.screen.ids.search)
    for value in "nurs":
        ui.tap(ui.screen.ids.keyboard.key_for(value), settle=False)
    ui.wait_until(lambda: ui.screen.state == "results", 5, "search results after the monkey")
    assert ui.screen.ids.rv.data[0]["name"] == "Municipal nursery"
    print(f"monkey: {EVENTS} events in {elapsed:.1f} s, seed {seed}, screens {sorted(seen_screens)}")

"""Time to the first QR code on screen after opening a service, on a kiosk data directory.

    xvfb-run -a -s "-screen 0 1920x1080x24" python tests/bench/qr_latency.py DATA_DIR TOP_ID [ROUNDS]

Each round starts a visit, opens the category TOP_ID and taps its first service like a finger
(see kivyharness.py for the touches and for how "drawn" is detected); the time runs from the
moment the finger lifts to the buffer swap of the first frame that shows the service screen with
its first QR code (the provider's contact card) on it. Each round empties the codes' caches (the
image cache of kiosk.handoff.qr and the screen's texture cache) before the category opens, so
the service is one nobody opened before: the kiosk makes its code ahead while the list is on
screen (``kiosk.ui.handoff.prepare_first_codes``), as it does for a visitor who looks at the list
before touching (the harness waits 0.3 s). Then the visitor goes back, the caches are emptied
again and the same service is opened: the code is made at the touch, as for a visitor whose
finger beats its making (the ``at_touch`` figures). Last, back and the same service again:
the ``cached`` figures.

Prints one JSON line: ``median_ms``, ``p95_ms``, ``n``, the ``samples`` (ms) of the first touch,
``after_page`` (per round, the code's delay after the first frame of the page, ms), where the
time went when the code is made at the touch (``parts``, medians: ``page`` lift to the first
frame of the service page, ``after_page`` the code's delay after it, ``to_panel`` lift to the
code being asked for, ``make_qr`` its making on a worker, ``to_texture`` lift to its texture),
the same for the first touch (``new_parts``), and ``at_touch`` and ``cached`` (summary and
samples).
"""
from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import kivyharness as kh  # noqa: E402  (imports no Kivy itself)
from benchlib import summarize  # noqa: E402


def summary(samples_ms: list[float]) -> dict:
    s = summarize(samples_ms)
    return {"median_ms": s["median"], "p95_ms": s["p95"], "n": s["n"]}


def panel_of(app):
    from kiosk.ui.handoff import HandoffPanel

    area = app.sm.get_screen("service").ids.actions
    return next((w for w in area.ids.actions.children if isinstance(w, HandoffPanel)), None)


def qr_drawn(app):
    """The service screen is current and its first QR code is on it, inside the window."""
    from kivy.core.window import Window

    def ready() -> bool:
        if app.sm.current != "service" or app.sm.transition.is_active:
            return False
        panel = panel_of(app)
        if panel is None or panel.ids.qr.texture is None:
            return False
        view = panel.ids.qr
        x, y = view.to_window(view.x, view.y)
        return y < Window.height and y + view.height > 0 and x < Window.width and x + view.width > 0
    return ready


def instrument(h: kh.Harness) -> None:
    """Mark when the code is asked for, made (on its worker: ``qr.rgba_image``) and turned into a
    texture."""
    from kiosk.ui import handoff

    codes = h.app.qr
    panel_cls = handoff.HandoffPanel
    select, rgba_image, make_texture = panel_cls.select, codes.rgba_image, handoff.make_texture

    def timed_select(self, *args, **kwargs):
        h._mark("qr_asked")
        return select(self, *args, **kwargs)

    def timed_image(*args, **kwargs):
        t = kh.now()
        try:
            return rgba_image(*args, **kwargs)
        finally:
            h.events.setdefault("qr_made_s", kh.now() - t)

    def timed_texture(image):
        try:
            return make_texture(image)
        finally:
            h._mark("qr_texture")

    panel_cls.select = timed_select
    codes.rgba_image = timed_image
    handoff.make_texture = timed_texture


def watch_page(h: kh.Harness) -> None:
    """Mark the swap of the first frame that shows the service page (with or without its code)."""
    app = h.app
    swapped = h.frames.on_swap

    def on_swap(t: float) -> None:
        swapped(t)
        if "page_drawn" not in h.events and app.sm.current == "service" \
                and not app.sm.transition.is_active:
            screen = app.sm.current_screen
            if screen.detail is not None and not screen.loading:
                h.events["page_drawn"] = t

    h.frames.on_swap = on_swap


def parts_of(h: kh.Harness, parts: dict) -> dict:
    """Seconds from the lift: to the panel asking for its code, to the first frame of the page,
    to the code's texture; the code's making (worker) and its delay after the page."""
    e = h.events
    out = {"total": parts["total"]}
    if "dispatch" not in e:
        return out
    t_up = e["dispatch"] - parts["input"]
    if "page_drawn" in e:
        out["page"] = e["page_drawn"] - t_up
        out["after_page"] = parts["total"] - out["page"]
    if "qr_asked" in e:
        out["to_panel"] = e["qr_asked"] - t_up
    if "qr_made_s" in e:
        out["make_qr"] = e["qr_made_s"]
    if "qr_texture" in e:
        out["to_texture"] = e["qr_texture"] - t_up
    return out


def main() -> None:
    data_dir, top_id = Path(sys.argv[1]), sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    h = kh.start_app(data_dir)           # before any kiosk.ui import: it configures Kivy
    from kiosk.ui.widgets import ItemRow

    app = h.app
    instrument(h)
    watch_page(h)
    new, at_touch, cached, new_parts, cold_parts = [], [], [], [], []
    category = app.sm.get_screen("category")

    def first_row():
        """The category's first service, once the category is on screen."""
        h.wait_drawn(kh.screen_ready(app, "category"), what="category")
        h.settle(0.3)
        return next(w for w in category.walk(restrict=True)
                    if isinstance(w, ItemRow) and w.index == 0 and w.opacity > 0)

    for n in range(rounds + 1):               # the first round warms Python's caches; dropped
        app.reset_session()
        h.settle(0.2)
        app.qr.cache.clear()                  # nobody opened this service before
        app.qr_textures.clear()
        app.start("sq")                       # a new visit, straight to the category
        app.open_category(top_id)
        parts = h.tap(first_row(), qr_drawn(app))
        if n:
            new.append(parts["total"] * 1000)
            new_parts.append(parts_of(h, parts))
        h.settle(0.3)
        app.go_back()
        row = first_row()
        app.qr.cache.clear()                  # the code is made at the touch
        app.qr_textures.clear()
        parts = h.tap(row, qr_drawn(app))
        if n:
            at_touch.append(parts["total"] * 1000)
            cold_parts.append(parts_of(h, parts))
        h.settle(0.3)
        app.go_back()
        parts = h.tap(first_row(), qr_drawn(app))
        if n:
            cached.append(parts["total"] * 1000)
        h.settle(0.2)

    def medians(parts_list: list[dict]) -> dict:
        keys = sorted({k for p in parts_list for k in p})
        return {k: round(statistics.median([p[k] * 1000 for p in parts_list if k in p]), 1) for k in keys}

    panel = panel_of(app)
    view = panel.ids.qr if panel is not None else None
    after_page = [round(p["after_page"] * 1000, 2) for p in cold_parts if "after_page" in p]
    out = {**summary(new), "samples": [round(s, 2) for s in new], "parts": medians(cold_parts),
           "after_page": after_page,
           "new_parts": medians(new_parts),
           "at_touch": {**summary(at_touch), "samples": [round(s, 2) for s in at_touch]},
           "cached": {**summary(cached), "samples": [round(s, 2) for s in cached]},
           "qr_px": list(view.texture.size) if view is not None and view.texture is not None else None}
    print(json.dumps(out))
    sys.stdout.flush()
    kh.stop_app(h)


if __name__ == "__main__":
    main()

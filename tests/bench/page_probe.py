"""What a page costs in counts, which stay true under load: widgets per page, frames from the touch
to the page complete, frames to its first QR code, and Python's garbage-collection pauses.

    xvfb-run -a -s "-screen 0 1920x1080x24" python tests/bench/page_probe.py DATA_DIR TOP_ID [ROUNDS]

Each round starts a visit, opens the category TOP_ID (tapping its tile on the home screen) and
then its first ``ROUNDS`` services in turn (tapping the row, going back between them). For each
touch it counts the buffer swaps up to the first frame that shows the next screen complete
(``frames``, the hit frame included: 1 is "in the touch's own frame"), and for the service page
the swaps to the first frame with its first QR code (the QR cache emptied first, as for a service
nobody opened before). Widgets are counted over the screen's whole tree once the page is complete
(``widgets``; ``labels`` of them are Labels, which each make a text texture), and the widgets
made between the lift and the complete service page (``made_at_the_touch``). ``gc`` is the
longest and the total time spent in Python's collector (``gc.callbacks``) over the run, by
generation. Prints one JSON line; times are milliseconds.
"""
from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import kivyharness as kh  # noqa: E402  (imports no Kivy itself)


class GcWatch:
    """Collections by generation; ``touch_gen2`` are the full ones that began between a lift and
    the frame that answers it (a visitor waits for those)."""

    def __init__(self, harness):
        self.harness = harness
        self.pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self.touch_gen2: list[float] = []
        self._t = None
        self._waiting = False
        gc.callbacks.append(self)

    def __call__(self, phase, info):
        if phase == "start":
            self._t = time.perf_counter()
            self._waiting = self.harness.frames._ready is not None
        elif self._t is not None:
            took = time.perf_counter() - self._t
            self.pauses[info["generation"]].append(took)
            if info["generation"] == 2 and self._waiting:
                self.touch_gen2.append(took)
            self._t = None

    def summary(self) -> dict:
        out = {f"gen{g}": {"n": len(p), "max_ms": round(max(p, default=0) * 1000, 2),
                           "total_ms": round(sum(p) * 1000, 1)} for g, p in self.pauses.items()}
        out["gen2_under_a_touch"] = {"n": len(self.touch_gen2),
                                     "max_ms": round(max(self.touch_gen2, default=0) * 1000, 2)}
        return out


def count(screen) -> tuple[int, int]:
    from kivy.uix.label import Label

    widgets = labels = 0
    for w in screen.walk(restrict=True):
        widgets += 1
        labels += isinstance(w, Label)
    return widgets, labels


def main() -> None:
    data_dir, top_id = Path(sys.argv[1]), sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    h = kh.start_app(data_dir)           # before any Kivy or kiosk.ui import: it configures Kivy
    from kivy.uix.behaviors import ButtonBehavior

    from kiosk.ui.widgets import ItemRow
    from qr_latency import qr_drawn

    app = h.app
    watch = GcWatch(h)
    from kivy.uix.widget import Widget

    made = [0]
    init = Widget.__init__

    def counting_init(self, *args, **kwargs):
        made[0] += 1
        init(self, *args, **kwargs)

    Widget.__init__ = counting_init
    made_per_page: list[int] = []
    out = {"home->category": {"frames": [], "ms": []}, "category->service": {"frames": [], "ms": []},
           "service->first_qr": {"frames": [], "ms": []}}
    widgets: dict[str, list] = {"category": [], "service": []}
    for n in range(5):                       # the first visit warms caches; dropped
        app.reset_session()
        h.settle(0.2)
        app.start("sq")
        h.wait_drawn(kh.screen_ready(app, "home"), what="home")
        h.settle(0.3)
        home = app.sm.get_screen("home")
        tile = next(w for w in home.walk(restrict=True)
                    if isinstance(w, ButtonBehavior) and getattr(w, "term_id", None) == top_id)
        if not h.visible(tile):
            sv = tile.parent
            while not hasattr(sv, "scroll_to"):
                sv = sv.parent
            sv.scroll_to(tile, animate=False)
            h.run_for(0.2)
        parts = h.tap(tile, kh.screen_ready(app, "category"))
        if n:
            out["home->category"]["frames"].append(h.frames.drawn_since_arm)
            out["home->category"]["ms"].append(round(parts["total"] * 1000, 1))
        h.settle(0.3)
        category = app.sm.get_screen("category")
        widgets["category"].append(count(category))
        for i in range(rounds):
            h.settle(0.2)
            rv = category.ids.rv
            rv.scroll_y = 1
            h.run_for(0.1)
            row = next((w for w in category.walk(restrict=True)
                        if isinstance(w, ItemRow) and w.index == i and w.opacity > 0 and h.visible(w)), None)
            if row is None:
                break
            app.qr.cache.clear()
            app.qr_textures.clear()
            qr_at: list[int] = []
            done_at: list[int] = []
            ready_qr, complete = qr_drawn(app), kh.screen_ready(app, "service")

            def ready():
                # checked just before each frame is drawn (from the lift on): this frame's
                # swap is the lift's (swaps since + 1)th
                k = h.frames.drawn_since_arm + 1
                try:
                    if not qr_at and ready_qr():
                        qr_at.append(k)
                    if not done_at and complete():
                        done_at.append(k)
                except ReferenceError:
                    pass
                return bool(qr_at and done_at)

            made_before = made[0]
            t = h.tap(row, ready)
            frames_complete = done_at[0]
            service = app.sm.get_screen("service")
            if n:
                made_per_page.append(made[0] - made_before)
                out["category->service"]["frames"].append(frames_complete)
                out["category->service"]["ms"].append(round(t["total"] * 1000, 1))
                out["service->first_qr"]["frames"].append(qr_at[0] if qr_at else None)
                widgets["service"].append(count(service))
            h.settle(0.2)
            app.go_back()
            h.wait_drawn(kh.screen_ready(app, "category"), what="category again")
    for v in out.values():
        ms = v.pop("ms")
        if ms:
            v["median_ms"] = round(statistics.median(ms), 1)
    out["widgets"] = {k: {"widgets": [w for w, _ in v], "labels": [lb for _, lb in v]} for k, v in widgets.items()}
    out["widgets"]["made_at_the_touch"] = made_per_page
    out["gc"] = watch.summary()
    print(json.dumps(out))
    sys.stdout.flush()
    kh.stop_app(h)


if __name__ == "__main__":
    main()

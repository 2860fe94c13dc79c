"""The top bar follows the visitor's text size (review of the real window, item 6).

On a 43" totem (1080x1920) at the largest text "Ndihmë urgjente" and "Dil shpejt" were the
smallest labels on the bar, about 2.3 mm high: the bar's buttons had fixed sizes while the page
grew. Now the bar's labels and icons grow with the text, the bar grows in height with them,
urgent help and the quick exit are never smaller than the page's body text, and the bar takes
the roomiest look that fits its width (:meth:`kiosk.ui.widgets.TopBar.fit`), so nothing runs off
it. At 720x1280 at the largest text the demo notice of the second row stuck out of its room.

Each panel size is drawn in a process of its own (Kivy's density, true millimetres for that
panel, is fixed once a widget exists) by :func:`kiosk.ui.screenshots.render_all`, in Albanian
and English at every text size, on the home screen, a service with the speech controls shown and
a sensitive service (whose quick exit is the largest); each picture's bar is measured while it is
on view.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.ui.screenshots import SIZES

pytestmark = pytest.mark.ui

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ("home", "speech-controls", "service-sensitive")

SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from sized_app import rect, screenshot_app_at, text_rect
    from kiosk.ui.screenshots import Variant, render_all
    from kiosk.ui.theme import SCALES

    size = ({width}, {height})
    data = Path({data!r})
    found = []

    def shown(widget):
        while widget is not None:
            if widget.opacity <= 0.01:
                return False
            widget = widget.parent if widget.parent is not widget else None
        return True

    def measure(screen, variant, app):
        from kivy.core.window import Window
        from kivy.uix.label import Label
        from kivy.uix.scrollview import ScrollView
        from kiosk.ui.theme import theme
        from kiosk.ui.widgets import DemoRibbon

        bar = app.stage.bar
        ids = bar.ids
        rows = []
        for row in (ids.row, ids.row2, ids.speech_bar):
            if row.height <= 0 or not shown(row):
                continue
            rows.append({{"rect": rect(row), "children": [
                {{"kind": type(c).__name__, "text": getattr(c, "text", ""), "rect": rect(c)}}
                for c in reversed(row.children) if shown(c) and c.width > 0]}})
        buttons = {{}}
        for name in ("urgent", "quick_exit"):
            b = ids[name]
            buttons[name] = {{"text": b.text, "font": b.ids.lbl.font_size, "rect": rect(b),
                             "texture": list(b.ids.lbl.texture_size), "text_rect": text_rect(b.ids.lbl),
                             "prominent": bool(getattr(b, "prominent", False))}}
        ribbons = [{{"text": r.text, "rect": text_rect(r), "box": rect(r), "slot": rect(r.parent)}}
                   for r in bar.walk(restrict=True) if isinstance(r, DemoRibbon) and shown(r)]
        band = ids.band
        # what the page shows: each label outside a scroll view, and each scroll view, ends
        # below the bar
        page = app.sm.current_screen
        tops = []
        def visit(widget, in_scroll):
            if widget.opacity <= 0.01 or widget.width <= 0 or widget.height <= 0:
                return
            if isinstance(widget, ScrollView):
                tops.append([type(widget).__name__, rect(widget)[3]])
                return
            if isinstance(widget, Label) and widget.text.strip():
                tops.append([widget.text[:40], text_rect(widget)[3]])
            for child in widget.children:
                visit(child, in_scroll)
        visit(page, False)
        found.append({{"screen": screen, "lang": variant.lang, "scale": theme.scale,
                       "window": list(Window.size), "body": theme.body, "bar": rect(bar),
                       "bar_height": app.bar_height, "row_height": ids.row.height, "rows": rows,
                       "buttons": buttons, "ribbons": ribbons, "demo": bool(app.demo),
                       "band": band.height if band.text else 0, "tops": tops,
                       "narrow": bool(bar.narrow)}})

    variants = [Variant(lang, scale=scale, size=size, suffix=f"{{size[0]}}x{{size[1]}}-{{scale}}",
                        screens={screens!r})
                for scale in SCALES for lang in ("sq", "en")]
    render_all(screenshot_app_at(data, size), Path({out!r}),
               variants=variants, on_shot=measure)
    print("MEASURED " + json.dumps(found))
""")

_cache: dict[tuple[int, int], list] = {}


def _measure(size: tuple[int, int], tmp_path_factory) -> list:
    if size in _cache:
        return _cache[size]
    tmp = tmp_path_factory.mktemp(f"bar-{size[0]}x{size[1]}")
    data = tmp / "data"
    data.mkdir()
    script = SCRIPT.format(tests=str(ROOT / "tests"), data=str(data), out=str(tmp / "shots"),
                           width=size[0], height=size[1], screens=SCREENS)
    env = dict(os.environ, KIVY_NO_ARGS="1")
    env.pop("KIVY_METRICS_DENSITY", None)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=400)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("MEASURED "))
    _cache[size] = json.loads(line[len("MEASURED "):])
    return _cache[size]


def _inside(inner, outer, slack=1.0) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def _where(shot) -> str:
    w, h = shot["window"]
    return f"{shot['screen']} in {shot['lang']} at scale {shot['scale']} on {w}x{h}"


def _all_drawn(shots) -> None:
    from kiosk.ui.theme import SCALES

    drawn = {(s["screen"], s["lang"], s["scale"]) for s in shots}
    assert drawn == {(screen, lang, scale) for screen in SCREENS for lang in ("sq", "en") for scale in SCALES}


def _assert_readable(shot) -> None:
    """Urgent help's and the quick exit's labels at least the body size, drawn whole inside
    their buttons."""
    for name, button in shot["buttons"].items():
        where = f"{name} ({button['text']!r}) on {_where(shot)}"
        assert button["font"] >= shot["body"] - 0.01, f"{where}: {button['font']:.1f} px under body {shot['body']:.1f}"
        tw, th = button["texture"]
        x0, y0, x1, y1 = button["rect"]
        assert tw <= x1 - x0 and th <= y1 - y0, f"{where}: text {tw}x{th} in a button of {x1 - x0:.0f}x{y1 - y0:.0f}"
        assert _inside(button["text_rect"], button["rect"]), f"{where}: {button['text_rect']} outside {button['rect']}"


def _assert_whole(shot) -> None:
    """Every button, label and notice of the bar's rows inside its row and the window, none
    over another; the demo notice whole in its room."""
    width, height = shot["window"]
    screen = [0, 0, width, height]
    assert _inside(shot["bar"], screen), _where(shot)
    if shot["screen"] == "speech-controls":
        assert len(shot["rows"]) == (3 if shot["narrow"] else 2), f"{_where(shot)}: the speech controls not shown"
    for row in shot["rows"]:
        children = row["children"]
        for child in children:
            where = f"{_where(shot)}: {child['kind']} {child['text']!r} at {child['rect']}"
            assert _inside(child["rect"], [row["rect"][0], row["rect"][1] - 9, row["rect"][2], row["rect"][3] + 9]), \
                f"{where} outside its row {row['rect']}"
            assert _inside(child["rect"], screen), f"{where} outside the window"
        for left, right in zip(children, children[1:]):
            assert left["rect"][2] <= right["rect"][0] + 1, f"{_where(shot)}: {left['text']!r} over {right['text']!r}"
    assert shot["demo"], _where(shot)
    ribbons = shot["ribbons"]
    assert len(ribbons) + (1 if shot["band"] else 0) == 1, f"{_where(shot)}: {ribbons} band {shot['band']}"
    for ribbon in ribbons:
        assert _inside(ribbon["rect"], ribbon["box"]), f"{_where(shot)}: {ribbon}"
        assert _inside(ribbon["box"], ribbon["slot"]), \
            f"{_where(shot)}: the notice {ribbon['box']} outside its room {ribbon['slot']}"


@pytest.mark.parametrize("size", [(1080, 1920), (1366, 768)], ids=["1080x1920", "1366x768"])
def test_urgent_help_and_quick_exit_are_never_smaller_than_the_body_text(size, tmp_path_factory):
    """At every text size (the largest too), on a sensitive page and with the speech controls
    too: the labels of urgent help and the quick exit are at least the page's body size and
    drawn whole inside their buttons, and nothing of the bar runs off it."""
    shots = _measure(size, tmp_path_factory)
    _all_drawn(shots)
    for shot in shots:
        _assert_readable(shot)
        _assert_whole(shot)


@pytest.mark.parametrize("size", [(1080, 1920), (1366, 768)], ids=["1080x1920", "1366x768"])
def test_the_bar_grows_with_the_text_size(size, tmp_path_factory):
    """The bar's row and its urgent help grow step by step with the text size; the pages keep
    room for the whole bar (``app.bar_height``) and show nothing under it."""
    from kiosk.ui.theme import SCALES

    shots = _measure(size, tmp_path_factory)
    for lang in ("sq", "en"):
        home = {s["scale"]: s for s in shots if s["screen"] == "home" and s["lang"] == lang}
        rows = [home[scale]["row_height"] for scale in SCALES]
        fonts = [home[scale]["buttons"]["urgent"]["font"] for scale in SCALES]
        assert rows == sorted(rows) and rows[-1] > rows[0] * 1.1, (lang, rows)
        assert fonts == sorted(fonts) and fonts[-1] >= fonts[0] * 1.4, (lang, fonts)
    for shot in shots:
        bar = shot["bar"]
        assert abs(shot["bar_height"] - (bar[3] - bar[1])) < 0.5, _where(shot)
        for what, top in shot["tops"]:
            assert top <= bar[1] + 1, f"{_where(shot)}: {what!r} reaches {top - bar[1]:.0f} px under the bar"


def test_urgent_help_is_on_one_line_on_the_totem(tmp_path_factory):
    """1080x1920 has room for "Ndihmë urgjente" on one line at every text size, in the top bar
    (and in the foot, which has the bar's look)."""
    shots = _measure((1080, 1920), tmp_path_factory)
    for shot in shots:
        assert "\n" not in shot["buttons"]["urgent"]["text"], _where(shot)


def test_the_bar_is_whole_at_720x1280(tmp_path_factory):
    """720x1280 at the largest text (and every other): the demo notice is shown once, whole, in
    its room of the bar (or in the band under it), and nothing else of the bar runs off it."""
    shots = _measure((720, 1280), tmp_path_factory)
    _all_drawn(shots)
    for shot in shots:
        _assert_whole(shot)
        _assert_readable(shot)


OTHERS = [size for size in SIZES if size not in ((1080, 1920), (1366, 768), (720, 1280))]


@pytest.mark.stress
@pytest.mark.parametrize("size", OTHERS, ids=[f"{w}x{h}" for w, h in OTHERS])
def test_the_bar_is_whole_at_every_text_size_on_every_other_panel(size, tmp_path_factory):
    shots = _measure(size, tmp_path_factory)
    _all_drawn(shots)
    for shot in shots:
        _assert_readable(shot)
        _assert_whole(shot)

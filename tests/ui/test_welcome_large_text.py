"""The welcome screen at every text size: the how-to-listen lines whole and clear of the bar,
the centre's name whole on screen (review of the real window, item 4).

On a 43" totem (1080x1920) at the largest text the how-to-listen lines stood in the bottom bar,
taller than it: the bar's border struck through their first line and "Listen." was cut at the
screen's edge. On 1366x768 at the largest text the title ran off the top, half of "Sociale"
left. Each panel size is drawn in a process of its own (Kivy's density, true millimetres for
that panel, is fixed once a widget exists) by :func:`kiosk.ui.screenshots.render_all` with
``problems`` (what ``kiosk screenshots --check`` does), which adds the largest text to every
panel size it draws; each picture's widgets are measured while they are on view.
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
QUICK = ((1080, 1920), (1366, 768))

SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from sized_app import rect, screenshot_app_at, text_rect
    from kiosk.i18n import Translator
    from kiosk.speech.screens import HOW_TO_LISTEN
    from kiosk.ui.screenshots import Variant, render_all
    from kiosk.ui.theme import SCALES

    size = ({width}, {height})
    data = Path({data!r})
    translator = Translator("sq")
    listen = {{lang: translator.in_language(lang, HOW_TO_LISTEN) for lang in ("sq", "en")}}
    found = []

    def measure(screen, variant, app):
        from kivy.core.window import Window
        from kivy.metrics import dp
        from kivy.uix.label import Label
        from kiosk.ui.theme import theme

        page = app.sm.get_screen("welcome")
        lines = [w for w in page.walk(restrict=True) if isinstance(w, Label) and w.opacity > 0.01
                 and listen[variant.lang] in " ".join(w.text.split())]
        # the bottom bar: the row of the screen's column that holds urgent help
        bar = page.ids.urgent
        while bar.parent is not page.children[0]:
            bar = bar.parent
        found.append({{"lang": variant.lang, "scale": theme.scale, "window": list(Window.size),
                       "listen": [text_rect(w) for w in lines],
                       "border": rect(bar)[3] - dp(1.5),
                       "title": rect(page.ids.centre), "title_text": text_rect(page.ids.centre)}})

    problems = []
    variants = [Variant(lang, scale=scale, size=size, suffix=f"{{size[0]}}x{{size[1]}}-{{scale}}",
                        screens=("welcome",))
                for scale in SCALES[:-1] for lang in ("sq", "en")]
    render_all(screenshot_app_at(data, size), Path({out!r}),
               variants=variants, problems=problems, on_shot=measure)
    print("MEASURED " + json.dumps({{"shots": found, "problems": problems}}))
""")


def _measure(size: tuple[int, int], tmp_path: Path) -> dict:
    data = tmp_path / "data"
    data.mkdir()
    script = SCRIPT.format(tests=str(ROOT / "tests"), data=str(data), out=str(tmp_path / "shots"),
                           width=size[0], height=size[1])
    env = dict(os.environ, KIVY_NO_ARGS="1")
    env.pop("KIVY_METRICS_DENSITY", None)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("MEASURED "))
    return json.loads(line[len("MEASURED "):])


def _inside(box, width, height, slack=1.0) -> bool:
    x0, y0, x1, y1 = box
    return x0 >= -slack and y0 >= -slack and x1 <= width + slack and y1 <= height + slack


def _assert_whole(measured: dict, size: tuple[int, int]) -> None:
    from kiosk.ui.theme import SCALES

    shots = measured["shots"]
    # --check drew the largest text too, in both languages, on top of the sizes asked for
    drawn = {(s["lang"], s["scale"]) for s in shots}
    assert drawn == {(lang, scale) for lang in ("sq", "en") for scale in SCALES}
    width, height = size
    for shot in shots:
        where = f"{shot['lang']} at scale {shot['scale']} on {width}x{height}"
        assert shot["window"] == [width, height], where
        assert len(shot["listen"]) == 1, f"{where}: the how-to-listen lines shown {len(shot['listen'])} times"
        text = shot["listen"][0]
        border = shot["border"]
        assert not (text[1] < border < text[3]), \
            f"{where}: the bar's border (y {border:.0f}) crosses the how-to-listen lines at {text}"
        assert _inside(text, width, height), f"{where}: the how-to-listen lines at {text} leave the window"
        for box in (shot["title"], shot["title_text"]):
            assert _inside(box, width, height), f"{where}: the centre's name at {box} leaves the window"
    welcome = [p for p in measured["problems"] if p.startswith("welcome-")]
    assert not welcome, "\n".join(welcome)


@pytest.mark.parametrize("size", QUICK, ids=[f"{w}x{h}" for w, h in QUICK])
def test_welcome_is_whole_at_every_text_size(size, tmp_path):
    """1080x1920: the listen lines at the largest text inside the window and clear of the bar's
    border; 1366x768: the title inside the window at the largest text (and every other scale)."""
    _assert_whole(_measure(size, tmp_path), size)


OTHERS = [size for size in SIZES if size not in QUICK]


@pytest.mark.stress
@pytest.mark.parametrize("size", OTHERS, ids=[f"{w}x{h}" for w, h in OTHERS])
def test_welcome_is_whole_at_every_text_size_on_every_other_panel(size, tmp_path):
    _assert_whole(_measure(size, tmp_path), size)


def test_check_draws_each_panel_size_at_the_largest_text():
    """``kiosk screenshots --size WxH --check`` draws at least the welcome, home, category,
    service, search and urgent screens again at the largest text, at that size."""
    from kiosk.ui.screenshots import checked_variants, size_variant
    from kiosk.ui.theme import SCALES

    for size in SIZES:
        plain = size_variant("sq", size)
        variants = checked_variants([plain])
        assert variants[0] == plain
        large = [v for v in variants if v.scale == max(SCALES)]
        assert len(large) == 1 and large[0].size == size and large[0].lang == "sq"
        assert {"welcome", "home", "category", "service", "search", "urgent"} <= set(large[0].screens)
        assert large[0].filename("welcome") == f"welcome-sq-large-{size[0]}x{size[1]}.png"
    # asked for already: not drawn twice
    asked = checked_variants([size_variant("en", (800, 480))])
    assert [v.scale for v in checked_variants(asked)] == [1.0, max(SCALES)]


def test_the_touch_picture_stays_and_its_rings_keep_to_its_room(ui, size=(1920, 1080)):
    """With the how-to-listen lines under the language buttons the picture of a touch had less
    than the 240 dp its widest ring needs, and was hidden on every landscape panel, 1920x1080
    too. It shows wherever its circle fits; its rings widen only as far as its room. (The
    smaller panels' own density is the real window's: seen there, not in this test window.)"""
    from kivy.core.window import Window
    from kivy.metrics import dp

    before = tuple(Window.size)
    Window.size = size
    try:
        ui.go_welcome()
        ui.settle()
        screen = ui.app.sm.get_screen("welcome")
        picture, ripple = screen.ids.picture, screen.ids.ripple
        assert picture.height >= dp(124) and picture.opacity == 1
        assert dp(60) + ripple.reach <= picture.height / 2
    finally:
        Window.size = before
        ui.settle()

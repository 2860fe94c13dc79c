"""Every screen at the panel sizes people install: no text cut, the first QR code in view.

Each size is drawn by the real `kiosk screenshots DIR --size WxH --check` in a process of its own
(Kivy's density, true millimetres for that panel, is fixed once a widget exists), on the sample
catalogue plus the services "from another system" of ``assets/sample/screenshot_extras.py``: an
http: website, a 480-character name and an NGO named "Çerdhe 👶". ``--check`` walks every label
of every screen (:mod:`kiosk.ui.cliptest`) and fails on one whose text is larger than its box or
reaches outside the boxes that hold it (outside a scroll view); at 1024x600 and up in
landscape and 720x1280 and up in portrait, on a service page's first QR code not wholly in
view without scrolling, with speech off and on (``speech-controls``); and on a search screen (with
and without the speech controls) whose typed words are under the top bar, whose results show less
than a row, or whose scroll buttons lie over the typed words.

The default run draws a 7" panel's worst cases (800x480 and 1280x720 in landscape, 720x1280 in
portrait) and a totem (1080x1920); ``make stress`` draws all nine sizes.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.ui.screenshots import SIZES

pytestmark = pytest.mark.ui

ROOT = Path(__file__).resolve().parents[2]
QUICK = ("800x480", "1280x720", "720x1280", "1080x1920")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    data = tmp_path_factory.mktemp("sizes-data")
    feed = data / "feed.json"
    subprocess.run([sys.executable, "assets/sample/screenshot_extras.py", str(feed)], cwd=ROOT, check=True)
    env = dict(os.environ, KIOSK_DATA_DIR=str(data))
    subprocess.run([sys.executable, "main.py", "load-feed", str(feed)], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    return data


def _draw(size: str, data: Path, out: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, KIOSK_DATA_DIR=str(data), KIVY_NO_ARGS="1")
    env.pop("KIVY_METRICS_DENSITY", None)
    return subprocess.run([sys.executable, "main.py", "screenshots", str(out), "--size", size, "--check"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=280)


def _check(size: str, data: Path, out: Path) -> None:
    from PIL import Image

    done = _draw(size, data, out)
    cut = [line for line in done.stderr.splitlines() if line.startswith(("on screen:", "në ekran:"))]
    assert done.returncode == 0 and not cut, "\n".join(cut) or done.stderr[-3000:]
    files = [Path(line) for line in done.stdout.split() if line.endswith(".png")]
    names = {f.name for f in files}
    for screen in ("welcome", "home", "category", "service", "organization", "search", "idle",
                   "staff-pin", "staff", "service-http", "service-http-site", "service-long", "category-long"):
        assert f"{screen}-sq-{size}.png" in names, (screen, sorted(names))
    width, height = (int(v) for v in size.split("x"))
    for f in files:
        assert Image.open(f).size == (width, height), f.name


@pytest.mark.parametrize("size", QUICK)
def test_no_text_is_cut_at(size, data_dir, tmp_path):
    _check(size, data_dir, tmp_path)


@pytest.mark.stress
@pytest.mark.parametrize("size", [f"{w}x{h}" for w, h in SIZES if f"{w}x{h}" not in QUICK])
def test_no_text_is_cut_at_every_other_size(size, data_dir, tmp_path):
    _check(size, data_dir, tmp_path)


def test_the_checker_sees_a_cut_label():
    """The walker itself: a label whose text is taller than its box, or that reaches outside
    its button, is named; one inside a scroll view may run past the visible area."""
    from kivy.uix.label import Label
    from kivy.uix.scrollview import ScrollView
    from kivy.uix.widget import Widget

    from kiosk.ui.cliptest import label_problem

    box = Widget(size=(200, 40), pos=(0, 0))
    tall = Label(text="one\ntwo\nthree\nfour", size_hint=(None, None), size=(200, 20), font_size=20)
    tall.texture_update()
    assert "in a box of 200x20" in label_problem(tall, (box,))
    outside = Label(text="ok", size_hint=(None, None), size=(80, 30), pos=(180, 0))
    outside.texture_update()
    assert "outside its Widget" in label_problem(outside, (box,))
    scroll = ScrollView(size=(200, 40))
    assert label_problem(outside, (scroll,)) == ""


def test_labels_draw_emoji_in_the_fallback_font_and_never_read_markup_from_data():
    from kiosk.glyphs import SYMBOLA
    from kiosk.ui.widgets import KLabel

    if not SYMBOLA.is_file():
        pytest.skip("needs fonts-symbola")
    label = KLabel(text="Çerdhe 👶 [b]x[/b] & co")
    assert label.markup
    assert f"[font={SYMBOLA}]👶" in label.text and "[/font]" in label.text
    assert "&bl;b&br;x&bl;/b&br; &amp; co" in label.text       # typed brackets stay text
    plain = KLabel(text="Çerdhe e kopshte")
    assert not plain.markup and plain.text == "Çerdhe e kopshte"


def test_a_long_name_ends_with_an_ellipsis_on_two_lines():
    from kiosk.ui.widgets import ShortLabel

    name = " ".join(["Asistencë e integruar për familjet me fëmijë në nevojë"] * 9)
    label = ShortLabel(full_text=name, lines=2, font_size=24, size_hint=(None, None), width=420)
    label.text_size = (420, None)
    label._fit()
    label.texture_update()
    one = ShortLabel(full_text="Asistencë", lines=2, font_size=24, size_hint=(None, None), width=420)
    one.text_size = (420, None)
    one._fit()
    one.texture_update()
    assert label.text.endswith("…") and name.startswith(label.text[:-1])
    assert label.texture_size[1] <= one.texture_size[1] * 2.3
    assert one.text == "Asistencë"

"""``render_all`` draws real screens to PNG files (in a process of its own: one Kivy app each)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from factories import make_feed
    from kiosk.catalogue.store import Catalogue
    from kiosk.config import Config, hash_pin
    from kiosk.ui.screenshots import Variant, render_all

    data = Path({data!r})
    catalogue = Catalogue(data / "catalogue.sqlite3")
    catalogue.create_schema()
    catalogue.load(make_feed(), source="test")
    config = Config.model_validate({{"kiosk": {{"data_dir": str(data), "database": str(data / "catalogue.sqlite3")}},
                                    "staff": {{"pin_hash": hash_pin("1234")}}}})
    files = render_all(config, Path({out!r}), catalogue=catalogue,
                       variants=[Variant("sq"), Variant("en", contrast=True, screens=("home", "service")),
                                 Variant("sq", size=(1080, 1920), suffix="portrait", screens=("home",))])
    print("\\n".join(str(f) for f in files))
""")


def test_render_all_writes_every_screen(tmp_path):
    from PIL import Image

    out = tmp_path / "shots"
    data = tmp_path / "data"
    data.mkdir()
    script = SCRIPT.format(tests=str(ROOT / "tests"), data=str(data), out=str(out))
    env = dict(os.environ, KIVY_NO_ARGS="1")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    files = sorted(Path(line) for line in result.stdout.split() if line.endswith(".png"))
    names = {f.name for f in files}
    assert names == {
        "welcome-sq.png", "home-sq.png", "category-sq.png", "service-sq.png", "organization-sq.png",
        "search-sq.png", "idle-sq.png", "staff-pin-sq.png", "staff-sq.png",
        "home-en-contrast.png", "service-en-contrast.png", "home-sq-portrait.png",
    }
    for f in files:
        image = Image.open(f)
        expected = (1080, 1920) if "portrait" in f.name else (1920, 1080)
        assert image.size == expected, f.name
        colours = image.convert("RGB").resize((64, 36)).getcolors(64 * 36)
        assert colours is not None and len(colours) > 8, f"{f.name} looks blank"
    # high contrast means a black page
    contrast = Image.open(out / "home-en-contrast.png").convert("RGB")
    assert contrast.getpixel((contrast.width // 2, contrast.height - 5)) == (0, 0, 0)
    normal = Image.open(out / "home-sq.png").convert("RGB")
    assert normal.getpixel((normal.width // 2, normal.height - 5)) != (0, 0, 0)

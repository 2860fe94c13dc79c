"""In the running kiosk a bug in a callback is logged and the kiosk starts over; it never quits."""
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
    import logging, sys
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    logging.basicConfig(level=logging.ERROR, format="LOG %(levelname)s %(message)s")
    from factories import make_feed
    from kiosk.catalogue.store import Catalogue
    from kiosk.config import Config
    import kiosk.app as kapp

    data = Path({data!r})
    catalogue = Catalogue(data / "catalogue.sqlite3")
    catalogue.create_schema()
    catalogue.load(make_feed(), source="test")
    config = Config.model_validate({{"kiosk": {{"data_dir": str(data),
                                                "database": str(data / "catalogue.sqlite3")}}}})
    created = []
    real_create = kapp.create_app

    def create_app(*args, **kwargs):
        app = real_create(*args, **kwargs)
        created.append(app)
        from kivy.clock import Clock

        def boom(_dt):
            app.start("en")
            Clock.schedule_once(check, 0.5)
            raise RuntimeError("a bug in a callback")

        def check(_dt, waited=[0.0]):
            # a loaded machine may take seconds for the frame after the bug: look until the
            # kiosk has started over, or give up after 20 s and report what is on screen
            waited[0] += _dt
            if app.sm.current != "welcome" and waited[0] < 20:
                Clock.schedule_once(check, 0.5)
                return
            print("SCREEN", app.sm.current, "LANG", app.lang)
            app.exit_kiosk()

        Clock.schedule_once(boom, 1.0)
        return app

    kapp.create_app = create_app
    print("EXIT", kapp.run(config, windowed=False))
""")


def test_a_bug_in_a_callback_does_not_close_the_kiosk(tmp_path):
    script = SCRIPT.format(tests=str(ROOT / "tests"), data=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env=dict(os.environ, KIVY_NO_ARGS="1"))
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]
    assert "a bug in a callback" in out                 # logged, with its traceback, for staff
    assert "SCREEN welcome LANG sq" in out              # and the kiosk started over
    assert "EXIT 0" in out

"""Where the kiosk finds its bundled files and keeps its own data."""
from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

ROOT = Path(__file__).resolve().parent.parent
ASSETS_DIR = ROOT / "assets"
LOCALE_DIR = ASSETS_DIR / "locale"
ICONS_DIR = ASSETS_DIR / "icons"
FONTS_DIR = ASSETS_DIR / "fonts"
SAMPLE_FEED = ASSETS_DIR / "sample" / "catalogue.json"
HSDS_DIR = ROOT / "sync" / "feed" / "hsds"

APP_NAME = "elbasan-kiosk"


def default_data_dir() -> Path:
    """The kiosk's data directory: ``$KIOSK_DATA_DIR`` or the platform's user data dir."""
    env = os.environ.get("KIOSK_DATA_DIR")
    return Path(env) if env else Path(user_data_dir(APP_NAME, appauthor=False))

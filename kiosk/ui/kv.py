"""The kv rules: one root file for the global style and one per screen, each loaded once.

:func:`load_kv` loads the shared rules (widgets.kv, speaking.kv) and the files a screen needs,
when that screen is first built (see :mod:`kiosk.ui.screens`); :func:`load_kv_files` loads all.
"""
from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder

UI_DIR = Path(__file__).resolve().parent
#: the rules every screen uses (the bars, buttons, labels, cards)
SHARED_KV = ("widgets.kv", "speaking.kv")
KV_FILES = ("widgets.kv", "speaking.kv", "keyboard.kv", "idle.kv", "welcome.kv", "home.kv", "category.kv",
            "service.kv", "organization.kv", "search.kv", "staff.kv", "handoff.kv", "scanning.kv",
            "urgent.kv", "report.kv")
_loaded_kv: set[str] = set()


def load_kv(*names: str) -> None:
    """Load the shared rules and then ``names`` (file names in kiosk/ui), each once per process."""
    # Importing the modules registers their widget classes with the Factory.
    from kiosk.ui import layout, motion, speaking, widgets  # noqa: F401

    for name in (*SHARED_KV, *names):
        path = str(UI_DIR / name)
        if path not in _loaded_kv:
            Builder.load_file(path)
            _loaded_kv.add(path)


def load_kv_files() -> None:
    """Load the global style and every screen's rules, once per process."""
    from kiosk.ui import keyboard  # noqa: F401

    load_kv(*KV_FILES)

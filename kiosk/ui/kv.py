"""The kv rules: one root file for the global style and one per screen, each loaded once."""
from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder

UI_DIR = Path(__file__).resolve().parent
KV_FILES = ("widgets.kv", "speaking.kv", "keyboard.kv", "idle.kv", "welcome.kv", "home.kv", "category.kv",
            "service.kv", "organization.kv", "search.kv", "staff.kv", "handoff.kv", "scanning.kv",
            "urgent.kv", "report.kv")
_loaded_kv: set[str] = set()


def load_kv_files() -> None:
    """Load the global style and every screen's rules, once per process."""
    # Importing the modules registers their widget classes with the Factory.
    from kiosk.ui import keyboard, layout, motion, speaking, widgets  # noqa: F401

    for name in KV_FILES:
        path = str(UI_DIR / name)
        if path not in _loaded_kv:
            Builder.load_file(path)
            _loaded_kv.add(path)

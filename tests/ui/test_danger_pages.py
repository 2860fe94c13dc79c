"""Visitors in danger, by touch: the pages a sensitive service leads to are as discreet as the
service's own page (its provider's page, the report screen, urgent help), and what the visitor
takes away says what the phone keeps.

The test catalogue (tests/factories.py) has one sensitive service, the night shelter of the
Municipal Social Centre (neutral title "Mbështetje" / "Support").
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui

SECRETS = ("Night shelter", "Strehëz", "Municipal Social Centre", "Qendra Sociale")


def _prominent(ui) -> bool:
    exit_button = ui.bar.ids.quick_exit
    return bool(ui.app.discreet and exit_button.prominent and exit_button.variant == "exit")


def test_urgent_help_shows_the_prominent_quick_exit(ui):
    ui.tap(ui.button("English"))
    assert not _prominent(ui)
    ui.tap(ui.bar.ids.urgent)
    assert ui.app.sm.current == "urgent" and ui.screen.sensitive and _prominent(ui)
    ui.tap(ui.bar.ids.quick_exit)
    assert ui.app.sm.current == "welcome" and not ui.app.discreet
    # the next visitor's urgent help is as discreet
    ui.tap(ui.button("Shqip"))
    ui.tap(ui.bar.ids.urgent)
    assert ui.screen.sensitive and _prominent(ui)

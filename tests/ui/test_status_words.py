"""The open-status words on a chip and in speech, in Albanian and English.

After a service's hours are over for the day, "Mbyllur sot" ("Closed today") read as if it had
not opened at all; "Mbyllur për sot" ("Closed for today") is true both then and on a day it does
not open."""
from __future__ import annotations

from datetime import datetime

import pytest

from kiosk.catalogue.hours import WeeklyRule, status_at
from kiosk.speech.cards import status_short
from kiosk.ui.format import status_chip
from kiosk.ui.i18n import tr

WEEKDAYS_8_TO_16 = [WeeklyRule(frozenset(range(5)), 8 * 60, 16 * 60)]


@pytest.mark.parametrize("lang, words", [("sq", "Mbyllur për sot"), ("en", "Closed for today")])
@pytest.mark.parametrize("moment", [datetime(2026, 12, 7, 19, 42), datetime(2026, 12, 5, 11, 0)],
                         ids=["monday-evening-after-hours", "saturday-not-open"])
def test_closed_for_today_after_hours_and_on_a_day_without_hours(lang, words, moment):
    status = status_at(WEEKDAYS_8_TO_16, moment)
    assert status.state == "closed_today"
    tr.switch(lang)
    try:
        assert status_chip(status) == ("closed", words)
    finally:
        tr.switch("sq")
    assert status_short(status, lang).text.rstrip(".") == words

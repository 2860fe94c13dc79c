"""Visitors in danger, by touch, end to end: a visit to the night shelter (sensitive in the test
catalogue), a report on it and its provider's page, ended with the quick exit. The kiosk's own
store and sender deliver it to the real staff server on 127.0.0.1: no hour names the shelter or
its provider, neither in the kiosk's buffer nor on the server; the day counts them together;
the report keeps the shelter and only its day."""
from __future__ import annotations

import csv
import io
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_feedback_ui import drain, real, staff  # noqa: E402,F401 - the fixture and its helpers

pytestmark = [pytest.mark.ui, pytest.mark.filterwarnings("ignore:Using .httpx. with .starlette.testclient.")]


def test_a_visit_to_the_shelter_leaves_no_hour_that_names_it(ui, real):  # noqa: F811
    from factories import uid
    from sqlalchemy import select

    from kiosk.feedback import Sender
    from sync.feed.document import utcnow
    from sync.server.feedback_models import FeedbackReport, UsageCount

    app = ui.app
    store = app.kiosk.feedback
    drain(store)
    shelter, provider = uid("svc:shelter"), uid("org:social")
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Housing"))
    ui.tap(ui.row("Night shelter"))
    assert ui.screen.params["service_id"] == shelter and ui.screen.sensitive
    ui.tap(ui.button("Report a mistake"))
    ui.tap(ui.button("The address is wrong"))
    ui.wait_until(lambda: store.waiting().reports == 1, 5, "the report kept")
    ui.tap(ui.screen.ids.back)
    ui.tap(ui.button("About this organization"))
    assert ui.screen.params["org_id"] == provider
    ui.tap(ui.bar.ids.quick_exit)
    assert app.sm.current == "welcome"
    with store._lock:     # what waits in memory for the next flush: the visit, no shelter
        hourly = {key for buffer in store._counts.values() for key in buffer}
        daily = {key for buffer in store._days.values() for key in buffer}
    assert "visit" in hourly and "lang:en" in hourly and f"category:{uid('cat:housing')}" in hourly
    assert not any(shelter in key or provider in key for key in hourly)
    assert {"sensitive:service", "sensitive:organization"} <= daily
    # an hour later only the hour went; the shelter's day and its report wait for the day's end
    sender = Sender(store, real.api, real.token)
    assert sender.send_once(utcnow() + timedelta(hours=1, minutes=1)).ok
    assert store.waiting().reports == 1 and store.waiting().days == 1
    assert sender.send_once(utcnow() + timedelta(days=1, hours=1)).ok
    assert store.waiting().reports == 0 and store.waiting().days == 0
    with real.state.db.session() as db:
        rows = [(r.span, r.key, r.n) for r in db.scalars(select(UsageCount))]
        reports = db.scalars(select(FeedbackReport)).all()
        report = next(r for r in reports if r.subject_id == shelter)
        assert report.reason == "address"
        local = report.hour.replace(tzinfo=timezone.utc).astimezone(store.tz)
        assert (local.hour, local.minute) == (0, 0) and report.received_at == report.hour
        assert local.date() == datetime.now(store.tz).date()
    assert not any(span == "hour" and (shelter in key or provider in key) for span, key, _n in rows)
    assert ("day", "sensitive:service", 1) in rows and ("day", "sensitive:organization", 1) in rows
    client = staff(real)
    page = client.get("/admin/demand?lang=sq").text
    assert "Shërbime të ndjeshme, të numëruara për ditë" in page
    table = list(csv.reader(io.StringIO(client.get("/admin/demand?format=csv&lang=en").content.decode("utf-8-sig"))))
    assert ["sensitive", "sensitive:service", "Sensitive services", "1"] in table

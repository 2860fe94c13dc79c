"""Issue 16 by touch, end to end: "Report a mistake" on a service and an organization, and a
scripted set of visits, sent by the kiosk's own store and sender to the real staff server on
127.0.0.1; the reports appear in the queue, the counts on the demand page; a search typed in one
visit never leaves the kiosk."""
from __future__ import annotations

import atexit
import csv
import io
import json
import os
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "feedback"))

from realserver import RealServer  # noqa: E402

pytestmark = [pytest.mark.ui, pytest.mark.filterwarnings("ignore:Using .httpx. with .starlette.testclient.")]
PASSWORD = "Elbasan-admin-2026!"
# The pictures docs/feedback.md shows: written there by `make screenshots` (KIOSK_DOC_SHOTS=1),
# elsewhere by `make test` to a temporary directory removed when the run ends, so the checkout
# and /tmp are left as they were found.
if os.environ.get("KIOSK_DOC_SHOTS"):
    SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
else:
    SHOTS = Path(tempfile.mkdtemp(prefix="feedback-shots-"))
    atexit.register(shutil.rmtree, SHOTS, True)


def capture(ui, name: str) -> Path:
    """The window as a visitor sees it, into docs/screenshots (shown in docs/feedback.md)."""
    from kiosk.ui.screenshots import Renderer

    ui.settle()
    return Renderer(ui.app).capture(SHOTS / name)


@pytest.fixture
def real(tmp_path):
    from factories import make_feed
    from sync.server.audit import SYSTEM
    from sync.server.imports.run import run_import

    with RealServer(tmp_path / "server") as srv:
        with srv.state.db.session() as db:   # the server's catalogue is the one the kiosk shows
            run_import(db, "feed.json", json.dumps(make_feed()).encode(), SYSTEM, replace=True)
        yield srv


def drain(store) -> None:
    """Forget what earlier tests in this session counted (the app and its store are shared)."""
    from sync.feed.document import utcnow

    store.visits.end()
    pending = store.pending(utcnow() + timedelta(days=3))
    store.acknowledge([r["id"] for r in pending.reports] + [h["id"] for h in pending.hours])


def send(app, real, later: timedelta = timedelta(hours=1, minutes=1)) -> None:
    from kiosk.feedback import Sender
    from sync.feed.document import utcnow

    # what the sender sends is only what is over: an hour later, everything counted now is (a
    # sensitive subject's day and reports: a day later)
    result = Sender(app.kiosk.feedback, real.api, real.token).send_once(utcnow() + later)
    assert result.ok, result.error


def staff(real):
    from fastapi.testclient import TestClient
    from sqlalchemy import select

    from sync.server.models import Account
    from sync.server.security import hash_password

    with real.state.db.session() as db:
        admin = db.scalar(select(Account).where(Account.username == "admin"))
        admin.password_hash, admin.must_change_password = hash_password(PASSWORD), False
    client = TestClient(real.app, base_url="http://127.0.0.1")
    token = client.get("/login").text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"csrf_token": token, "username": "admin", "password": PASSWORD})
    return client


def press(ui, text: str) -> None:
    keyboard = ui.screen.ids.keyboard
    for value in text:
        ui.tap(keyboard.key_for(value), settle=False)
    search = ui.screen
    ui.wait_until(lambda: search.searched == search.query and not ui.app.reads.pending, 5, "search")


def test_reports_made_by_touch_appear_in_the_queue(ui, real):
    app = ui.app
    store = app.kiosk.feedback
    drain(store)
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Children and family"))
    ui.tap(ui.row("Municipal nursery"))
    service_id = ui.screen.params["service_id"]
    assert ui.button("Report a mistake").report_subject == ("service", service_id)
    capture(ui, "service-report-button-en.png")
    ui.tap(ui.button("Report a mistake"))
    assert app.sm.current == "report" and ui.screen.subject_name == "Municipal nursery"
    capture(ui, "report-en.png")
    ui.tap(ui.bar.ids.language)       # the visitor may change the language here too
    ui.wait_until(lambda: ui.screen.subject_name == "Çerdhe e Bashkisë", 5, "the name in Albanian")
    assert "Telefoni nuk përgjigjet" in ui.texts() and "Raportoni një gabim" in ui.texts()
    capture(ui, "report-sq.png")
    ui.tap(ui.bar.ids.language)
    ui.wait_until(lambda: ui.screen.subject_name == "Municipal nursery", 5, "the name in English")
    assert {"The phone does not answer", "The address is wrong", "The opening hours are wrong",
            "The service has closed", "Something else is wrong"} <= set(ui.texts())
    ui.tap(ui.button("The phone does not answer"))
    assert ui.screen.done and "Thank you!" in ui.texts()
    capture(ui, "report-thanks-en.png")
    ui.wait_until(lambda: store.waiting().reports == 1, 5, "the report kept")
    ui.tap(ui.screen.ids.back)
    assert app.sm.current == "service" and ui.screen.heading == "Municipal nursery"
    # the same again from another visit's finger, and one about the organization
    ui.tap(ui.button("Report a mistake"))
    ui.tap(ui.button("The phone does not answer"))
    ui.tap(ui.screen.ids.back)
    ui.tap(ui.button("About this organization"))
    org_id = ui.screen.params["org_id"]
    ui.tap(ui.button("Report a mistake"))
    ui.tap(ui.button("The address is wrong"))
    ui.run_for(0.2)
    ui.clock.advance(1)
    ui.wait_until(lambda: store.waiting().reports == 3, 5, "three reports kept")
    # the thank-you goes back by itself
    ui.wait_until(lambda: app.sm.current == "organization", 10, "back after the thank-you")
    send(app, real)
    # the organization also provides the night shelter (sensitive): its report keeps only its day
    # and waits for the day to be over, as do the day's counts of its page
    assert store.waiting().reports == 1
    send(app, real, timedelta(days=1, hours=1))
    assert store.waiting().reports == 0
    # the staff panel says what waits and when it last went (in Albanian, after the idle reset)
    from test_staff import PIN, enter_pin, hold_corner

    ui.go_welcome()
    hold_corner(ui, 5)
    enter_pin(ui, PIN)
    panel = ui.screen
    ui.wait_until(lambda: any(w.text == "Raportet dhe numërimet" for w in panel.ids.info.children), 5, "facts")
    cells = [w.text for w in reversed(panel.ids.info.children)]
    line = dict(zip(cells[0::2], cells[1::2], strict=True))["Raportet dhe numërimet"]
    assert line.startswith("0 raporte dhe 0 orë në pritje; dërguar së fundi: ") and "asnjëherë" not in line
    scroller = panel.ids.info.parent
    while scroller is not None and not hasattr(scroller, "scroll_y"):
        scroller = scroller.parent
    if scroller is not None:
        scroller.scroll_y = 0      # the line is the last of the facts
    capture(ui, "staff-feedback-sq.png")
    panel.close_panel()
    client = staff(real)
    page = client.get("/admin/reports?lang=en").text
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    assert len(rows) == 2
    phone = next(r for r in rows if "The phone does not answer" in r)
    assert f'href="/admin/services/{service_id}"' in phone and "<b>2</b>" in phone and "lobby-1" in phone
    address = next(r for r in rows if "The address is wrong" in r)
    assert f'href="/admin/organizations/{org_id}"' in address and "<b>1</b>" in address
    assert "3 reports wait for an editor." in client.get("/admin?lang=en").text


def test_a_scripted_visit_appears_on_the_demand_page(ui, real):
    from kiosk.ui.theme import theme

    app = ui.app
    store = app.kiosk.feedback
    drain(store)
    # visit 1, in English: a category, a service, a QR code chosen, contrast, an empty search
    ui.tap(ui.button("English"))
    ui.tap(ui.button("Children and family"))
    term_id = ui.screen.params["term_id"]
    ui.tap(ui.row("Municipal nursery"))
    service_id = ui.screen.params["service_id"]
    panel = ui.screen.ids.actions.ids.actions.children[0]
    ui.tap(panel.buttons["call"])
    ui.tap(ui.bar.ids.contrast)
    assert theme.contrast
    ui.tap(ui.bar.ids.contrast)
    ui.tap(ui.bar.ids.home)           # the home button ends visit 1
    # visits 2-4 search for something the catalogue lacks; visit 2 begins with a touch on home
    for visit in range(3):
        if visit:
            ui.tap(ui.button("Shqip"))
        ui.tap(ui.screen.ids.search)
        press(ui, "zzq")
        assert ui.screen.state == "none"
        if visit < 2:
            ui.go_welcome()                         # the idle reset ends the visit
        else:
            ui.tap(ui.bar.ids.home)
    ui.tap(ui.screen.ids.search)   # visit 5 types a number once, then walks away
    ui.screen.clear_query()
    press(ui, "qq7")
    assert ui.screen.state == "none"
    ui.go_welcome()
    send(app, real)
    counts, terms, _ = real.totals()
    assert counts["visit"] == 5 and counts["lang:en"] == 2 and counts["lang:sq"] == 3
    assert counts[f"category:{term_id}"] == 1 and counts[f"service:{service_id}"] == 1
    assert counts["qr:call"] == 1 and counts[f"qr_service:{service_id}"] == 1
    assert counts["contrast:high"] == 1 and counts["search"] == 4
    assert counts["search:none"] == 4
    assert terms == {"zzq": 3}            # "qq#" was typed in one visit only: never sent
    client = staff(real)
    html = client.get("/admin/demand?lang=en").text
    assert "zzq" in html and "qq" not in html.split("Searches that found nothing", 1)[1]
    rows = list(csv.reader(io.StringIO(client.get("/admin/demand?format=csv").content.decode("utf-8-sig"))))
    assert ["unmet_search", "zzq", "zzq", "3"] in rows
    assert ["service", service_id, "Çerdhe e Bashkisë", "1"] in rows
    assert sum(int(r[3]) for r in rows if r[0] == "visits_per_day") == 5

"""The staff preview of a service names who to ask at each of its places, as the kiosk's place
cards do ("Kë të pyesni këtu" / "Who to ask here"): the service's people there
(``service_at_location.contacts``), then the building's (``location.contacts``), each person once
on the page, with name, title, department, phones with their extension and e-mail, escaped."""
from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path

import pytest
from serverkit import DESK_ID, SAMPLE

from sync.server.audit import SYSTEM

SAL_PERSON = {
    "id": "0b7e1c52-8d4f-4a57-9a0e-2f6d1a3c5e01", "name": "Arta Hoxha", "title": "Punonjëse sociale",
    "department": "Sporteli i informacionit", "email": "arta.hoxha@example.org",
    "phones": [{"id": "0b7e1c52-8d4f-4a57-9a0e-2f6d1a3c5e02", "number": "+355 54 400 100", "extension": 204}],
    "x_translations": {"en": {"title": "Social worker", "department": "Information desk"}}}
RECEPTION = {
    "id": "0b7e1c52-8d4f-4a57-9a0e-2f6d1a3c5e03", "name": "Drita Leka", "title": "Recepsioniste",
    "department": "Pritja", "email": "pritja@example.org",
    "phones": [{"id": "0b7e1c52-8d4f-4a57-9a0e-2f6d1a3c5e04", "number": "+355 54 400 101"}],
    "x_translations": {"en": {"title": "Receptionist", "department": "Reception"}}}
HOSTILE = {
    "id": "0b7e1c52-8d4f-4a57-9a0e-2f6d1a3c5e05", "name": '<script>alert("arta")</script>',
    "title": "<b>shef</b>", "department": '"><img src=x onerror=alert(1)>', "email": "x@example.org"}
#: the service's own contact, which the feed also gives to the building: named once, on its card
SHARED = {"id": "0b7e1c52-8d4f-4a57-9a0e-2f6d1a3c5e06", "name": "Gentiana Shehu", "title": "Drejtoreshë",
          "email": "gentiana.shehu@example.org"}
OTHER_PLACE_PERSON = {
    "id": "0b7e1c52-8d4f-4a57-9a0e-2f6d1a3c5e07", "name": "Besnik Dervishi", "title": "Koordinator",
    "phones": [{"id": "0b7e1c52-8d4f-4a57-9a0e-2f6d1a3c5e08", "number": "+355 54 400 200", "extension": 12.0}],
    "x_translations": {"en": {"title": "Coordinator"}}}


def _import_people(server) -> None:
    """The sample's information desk as another directory's HSDS would give it: a person of the
    service at its place, the building's receptionist (and a hostile record), and a second
    place with its own person; imported (merge) as staff would."""
    from sync.server.imports.run import run_import

    services = json.loads(SAMPLE.read_text(encoding="utf-8"))["services"]
    desk = copy.deepcopy(next(s for s in services if s["id"] == DESK_ID))
    here = desk["service_at_locations"][0]
    other = copy.deepcopy(next(sal for s in services for sal in s["service_at_locations"]
                               if sal["location"]["id"] != here["location"]["id"]))
    other.update({"id": "0b7e1c52-8d4f-4a57-9a0e-2f6d1a3c5e09", "service_id": DESK_ID})
    desk["contacts"] = [dict(SHARED, service_id=DESK_ID)]
    here["contacts"] = [dict(SAL_PERSON, service_at_location_id=here["id"])]
    here["location"]["contacts"] = [dict(c, location_id=here["location"]["id"]) for c in (RECEPTION, HOSTILE, SHARED)]
    other["location"]["contacts"] = [dict(OTHER_PLACE_PERSON, location_id=other["location"]["id"])]
    desk["service_at_locations"].append(other)
    with server.state.db.session() as db:
        run_import(db, "desk.json", json.dumps([desk], ensure_ascii=False).encode("utf-8"), SYSTEM, replace=False)


def _places(html: str) -> list[str]:
    return [part.split("</section>", 1)[0] for part in html.split('<section class="place">')[1:]]


def test_preview_names_who_to_ask_at_each_place(server, admin):
    _import_people(server)
    page = admin.get(f"/admin/services/{DESK_ID}/preview?view=sq&lang=sq")
    assert page.status_code == 200
    here, there = _places(page.text)
    assert "Kë të pyesni këtu" in here and "Kë të pyesni këtu" in there
    # the service's person there first, then the building's, each with every field
    assert here.index("Arta Hoxha") < here.index("Drita Leka")
    assert "<b>Arta Hoxha, Punonjëse sociale, Sporteli i informacionit</b>" in here
    assert "+355 54 400 100, zgjatimi 204" in here and 'href="tel:+35554400100,204"' in here
    assert 'href="mailto:arta.hoxha@example.org"' in here
    assert "<b>Drita Leka, Recepsioniste, Pritja</b>" in here and 'href="tel:+35554400101"' in here
    assert "<b>Besnik Dervishi, Koordinator</b>" in there and "+355 54 400 200, zgjatimi 12" in there
    assert "Drita Leka" not in there and "Besnik Dervishi" not in here
    # one person the feed gives the service and the building is named once, on the service's card
    assert page.text.count("Gentiana Shehu") == 1 and "Gentiana Shehu" not in here

    english = admin.get(f"/admin/services/{DESK_ID}/preview?view=en&lang=sq")
    here, there = _places(english.text)
    assert "Who to ask here" in here and "Kë të pyesni këtu" not in english.text.split('class="kiosk-frame"', 1)[1]
    assert "<b>Arta Hoxha, Social worker, Information desk</b>" in here
    assert "+355 54 400 100, ext. 204" in here and "<b>Drita Leka, Receptionist, Reception</b>" in here
    assert "<b>Besnik Dervishi, Coordinator</b>" in there and "+355 54 400 200, ext. 12" in there


def test_a_hostile_contact_at_a_place_is_text(server, admin):
    _import_people(server)
    for view in ("sq", "en"):
        html = admin.get(f"/admin/services/{DESK_ID}/preview?view={view}").text
        here = _places(html)[0]
        assert "&lt;script&gt;alert(&#34;arta&#34;)&lt;/script&gt;" in here
        assert "&lt;b&gt;shef&lt;/b&gt;" in here and "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in here
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>shef" not in html
        assert not re.search(r"<[^>]*\bonerror=", html)


@pytest.mark.one_engine
@pytest.mark.browser
def test_who_to_ask_in_a_browser(server, tmp_path):
    """The same preview in headless Chromium: the people read as text in each place's card, the
    hostile one's markup shown as its characters and never run (no dialog, no element made)."""
    from serverkit import ADMIN_PASSWORD
    from serverlib import LiveServer
    from test_server_browser import CHROMIUM, CHROMIUM_ARGS, _playwright

    sync_playwright = _playwright()
    shots = Path(os.environ["SERVER_SCREENSHOTS"]) if os.environ.get("SERVER_SCREENSHOTS") else tmp_path / "shots"
    shots.mkdir(parents=True, exist_ok=True)
    _import_people(server)
    live = LiveServer(server.app).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.set_default_timeout(15000)
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(f"{live.url}/login")
            page.fill("#f-username", "admin")
            page.fill("#f-password", ADMIN_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{live.url}/admin")
            page.goto(f"{live.url}/admin/services/{DESK_ID}/preview?view=sq")
            here = page.locator(".kiosk-frame section.place").nth(0)
            text = here.inner_text()
            assert "Kë të pyesni këtu" in text
            assert "Arta Hoxha, Punonjëse sociale, Sporteli i informacionit" in text
            assert "+355 54 400 100, zgjatimi 204" in text and "Drita Leka, Recepsioniste, Pritja" in text
            assert '<script>alert("arta")</script>, <b>shef</b>, "><img src=x onerror=alert(1)>' in text
            assert here.locator(".people img, .people script, .people b b").count() == 0
            assert here.locator("a[href='tel:+35554400100,204']").count() == 1
            assert "Besnik Dervishi, Koordinator" in page.locator(".kiosk-frame section.place").nth(1).inner_text()
            here.scroll_into_view_if_needed()
            page.screenshot(path=str(shots / "server-preview-people.png"), full_page=True)
            here.screenshot(path=str(shots / "server-preview-people-place.png"))
            page.goto(f"{live.url}/admin/services/{DESK_ID}/preview?view=en")
            text = page.locator(".kiosk-frame section.place").nth(0).inner_text()
            assert "Who to ask here" in text and "Arta Hoxha, Social worker, Information desk" in text
            assert "+355 54 400 100, ext. 204" in text
            assert dialogs == []
            browser.close()
    finally:
        live.stop()

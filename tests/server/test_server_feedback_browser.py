"""Issue 16's staff pages in headless Chromium (Debian's /usr/bin/chromium through Playwright): kiosks
post reports and two weeks of usage to the real server on 127.0.0.1; an editor works through the
reports queue (resolving from the service editor marks the service checked) and reads the demand
page, whose CSV downloads. Screenshots go to $SERVER_SCREENSHOTS (e.g. docs/screenshots) when set."""
from __future__ import annotations

import os
import random
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests
from serverkit import ADMIN_PASSWORD, DESK_ID, SAMPLE
from serverlib import LiveServer
from test_server_browser import CHROMIUM_ARGS, _playwright

#: the browser's part: the same routes run on both engines in test_server_feedback
pytestmark = pytest.mark.one_engine

TERMS = ["strehim emergjence", "bono ushqimi", "pension invaliditeti", "kopsht falas", "dentist"]


def _kiosk(state, name: str) -> str:
    from sync.server.models import Kiosk
    from sync.server.security import new_kiosk_token, token_digest

    token = new_kiosk_token()
    with state.db.session() as db:
        db.add(Kiosk(name=name, token_sha256=token_digest(token), token_hint=token[3:9], created_by="test",
                     heartbeats=0))
    return token


def _two_weeks(base: str, token: str, services: list[str], categories: list[str], seed: int) -> int:
    """Hour records of 14 days of a kiosk, 10 open hours a day; the visits it posted."""
    rng = random.Random(seed)
    now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    hours, visits = [], 0
    for day in range(14, 0, -1):
        for h in range(10):
            hour = (now - timedelta(days=day)).replace(hour=7 + h)
            n = rng.randint(2, 9) if hour.weekday() < 5 else rng.randint(0, 2)
            counts = {"visit": n, "visit:1-3m": n // 2, "visit:3-10m": n - n // 2, "search": n // 2,
                      "lang:sq": n - n // 4, "lang:en": n // 4, "text:large": n // 5, "speech:on": n // 7}
            for _ in range(n * 3):
                key = f"category:{rng.choice(categories[:6])}"
                counts[key] = counts.get(key, 0) + 1
                sid = services[min(int(rng.paretovariate(1.1)) - 1, len(services) - 1)]
                counts[f"service:{sid}"] = counts.get(f"service:{sid}", 0) + 1
            if n > 3:
                counts.update({"qr:contact": 2, "qr:call": 1, f"qr_service:{services[0]}": 2,
                               "slip:ok": 1, f"slip_service:{services[1]}": 1, "search:none": 1})
            unmet = {rng.choice(TERMS): 3} if n > 6 else {}
            hours.append({"id": f"{hour:%Y-%m-%dT%H}Z/{seed:08x}", "hour": hour.isoformat(), "counts": counts,
                          "unmet_searches": unmet})
            visits += n
    r = requests.post(f"{base}/api/usage", json={"hours": hours}, headers={"Authorization": f"Bearer {token}"},
                      timeout=30)
    assert r.status_code == 200 and len(r.json()["accepted"]) == len(hours)
    return visits


@pytest.mark.browser
def test_reports_queue_and_demand_page_in_a_browser(tmp_path):
    sync_playwright = _playwright()
    from sqlalchemy import select

    from sync.server.app import app_for
    from sync.server.cli import _import_file
    from sync.server.config import ServerConfig
    from sync.server.models import Account, Category, Organization, Service
    from sync.server.security import hash_password

    shots = Path(os.environ["SERVER_SCREENSHOTS"]) if os.environ.get("SERVER_SCREENSHOTS") else tmp_path / "shots"
    shots.mkdir(parents=True, exist_ok=True)
    app, state = app_for(ServerConfig(data_dir=tmp_path / "server"))
    assert _import_file(state, SAMPLE, merge=False) == 0
    with state.db.session() as db:
        admin = db.scalar(select(Account).where(Account.username == "admin"))
        admin.password_hash, admin.must_change_password = hash_password(ADMIN_PASSWORD), False
        db.get(Service, DESK_ID).assured_date = "2025-01-15"
        services = [DESK_ID] + sorted(s for s in db.scalars(select(Service.id)) if s != DESK_ID)
        categories = sorted(db.scalars(select(Category.id).where(Category.parent_id.is_(None))))
        org = db.scalar(select(Organization.id).order_by(Organization.name))
    live = LiveServer(app).start()
    base = live.url
    try:
        tokens = [_kiosk(state, name) for name in ("holli-bashkia", "qendra-sociale")]
        visits = sum(_two_weeks(base, t, services, categories, seed) for seed, t in enumerate(tokens, 1))
        hour = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
        reports = [(DESK_ID, "service", "phone")] * 3 + [(DESK_ID, "service", "hours")] + [
            (services[5], "service", "closed")] * 2 + [(org, "organization", "address")]
        for i, (sid, subject, reason) in enumerate(reports):
            body = {"reports": [{"id": str(uuid.uuid4()), "subject": subject, "subject_id": sid, "reason": reason,
                                 "catalogue_version": 2, "hour": hour.isoformat()}]}
            r = requests.post(f"{base}/api/reports", json=body, timeout=10,
                              headers={"Authorization": f"Bearer {tokens[i % 2]}"})
            assert r.status_code == 200
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
            page.set_default_timeout(15000)
            page.goto(f"{base}/login")
            page.fill("#f-username", "admin")
            page.fill("#f-password", ADMIN_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/admin")
            assert "7 raporte presin një redaktor." in page.inner_text(".reports-waiting")

            # The queue, in Albanian: grouped, newest first, counted, linked to the editor.
            page.click("nav.main a[href='/admin/reports']")
            rows = page.locator("table.reports tbody tr")
            assert rows.count() == 4
            desk_phone = rows.filter(has_text="Telefoni nuk përgjigjet")
            assert desk_phone.locator("td.num").inner_text() == "3"
            assert "holli-bashkia, qendra-sociale" in desk_phone.inner_text()
            page.screenshot(path=str(shots / "server-reports.png"), full_page=True)

            # Dismiss the organization's; fix the desk in its editor: resolved and checked today.
            rows.filter(has_text="Adresa është e gabuar").locator("button[value=dismissed]").click()
            page.wait_for_url(f"{base}/admin/reports")
            assert page.locator("table.reports tbody tr").count() == 3
            desk_phone = page.locator("table.reports tbody tr").filter(has_text="Telefoni nuk përgjigjet")
            desk_phone.locator("td a").first.click()
            page.wait_for_url(f"{base}/admin/services/{DESK_ID}")
            panel = page.locator(".reports-panel")
            assert "Telefoni nuk përgjigjet: 3" in panel.inner_text()
            page.screenshot(path=str(shots / "server-service-reports.png"))
            panel.locator("button.primary").click()
            page.wait_for_url(f"{base}/admin/services/{DESK_ID}")
            assert "Shërbimi u shënua si i kontrolluar sot" in page.inner_text(".flash")
            assert page.input_value("#f-assured_date") == date.today().isoformat()
            page.goto(f"{base}/admin/reports")
            assert page.locator("table.reports tbody tr").count() == 1
            page.goto(f"{base}/admin/reports?status=resolved")
            assert page.locator("table.reports tbody tr").count() == 2

            # The demand page, in English: tiles, nine charts, the searches that found nothing, and
            # the sensitive services counted per day (the sample's shelter among the services opened).
            page.goto(f"{base}/admin/demand?lang=en")
            assert page.locator(".tile b").first.inner_text() == str(visits)
            assert page.locator("svg.chart").count() == 9
            assert "never per hour" in page.inner_text(".demand-sensitive")
            assert page.locator("svg.chart").first.locator("rect.bar").count() == 30
            assert "strehim emergjence" in page.inner_text(".demand-unmet")
            page.screenshot(path=str(shots / "server-demand.png"), full_page=True)
            page.select_option("select[name=kiosk]", label="qendra-sociale")
            page.click("form.filters button")
            assert int(page.locator(".tile b").first.inner_text()) < visits
            with page.expect_download() as download:
                page.click("a:has-text('CSV')")
            text = Path(download.value.path()).read_text(encoding="utf-8-sig")
            assert text.startswith("what,key,name,count") and "unmet_search" in text
            page.goto(f"{base}/admin/demand?lang=sq")
            assert "Vizita në ditë" in page.inner_text("main")
            browser.close()
    finally:
        live.stop()
        state.db.dispose()

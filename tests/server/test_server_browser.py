"""End to end in headless Chromium: an administrator logs in with the one-time password, chooses
a password, changes a service's Albanian name, publishes; then a real ``kiosk sync`` against the
running server on 127.0.0.1 picks the change up and reports in with a heartbeat.

Screenshots of the pages go to $SERVER_SCREENSHOTS (e.g. docs/screenshots) when it is set:
admin pages at 1366x768, the public service page at 390x844 (a phone).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from serverkit import DESK_ID, REPO, SAMPLE
from serverlib import LiveServer

#: the browser's part: the same saves and the same publication run on both engines in test_server_editing and test_server_publish
pytestmark = pytest.mark.one_engine

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NEW_NAME = "Sporteli i informacionit dhe i këshillimit"


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed (pip install playwright)")
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install chromium)")
    return sync_playwright


def kiosk(config: Path, *args: str) -> subprocess.CompletedProcess:
    """The real kiosk command (``kiosk`` == ``python -m kiosk.cli``) in its own process."""
    env = dict(os.environ, KIVY_NO_ARGS="1", KIVY_NO_CONSOLELOG="1", KIOSK_CONFIG=str(config))
    return subprocess.run([sys.executable, "-m", "kiosk.cli", "--config", str(config), *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.browser
def test_staff_edit_publish_and_kiosk_sync(tmp_path, fresh_config):
    sync_playwright = _playwright()
    from sync.server.app import app_for
    from sync.server.cli import _import_file, _publish

    shots = Path(os.environ["SERVER_SCREENSHOTS"]) if os.environ.get("SERVER_SCREENSHOTS") else tmp_path / "shots"
    shots.mkdir(parents=True, exist_ok=True)
    app, state = app_for(fresh_config(tmp_path / "server"))
    one_time = state.first_admin_password
    assert one_time and _import_file(state, SAMPLE, merge=False) == 0 and _publish(state, "seed") == 0
    live = LiveServer(app).start()
    base = live.url
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.set_default_timeout(15000)

            # Log in with the one-time password; the server insists on a new password first.
            page.goto(f"{base}/admin")
            assert page.url.startswith(f"{base}/login")
            page.screenshot(path=str(shots / "server-login.png"))
            page.fill("#f-username", "admin")
            page.fill("#f-password", one_time)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/account/password")
            page.fill("#f-current_password", one_time)
            page.fill("#f-new_password", "Kalaja-e-Elbasanit-2026")
            page.fill("#f-new_password_again", "Kalaja-e-Elbasanit-2026")
            page.click("form[action='/account/password'] button[type=submit]")
            page.wait_for_url(f"{base}/admin")
            assert "Fjalëkalimi juaj u ndryshua" in page.inner_text(".flash")

            # A kiosk for the lobby: its token is shown once, with the lines for kiosk.toml.
            page.goto(f"{base}/admin/kiosks")
            page.fill("#f-name", "lobby-1")
            page.fill("#f-description", "Holli i Qendrës së Informacionit")
            page.click("form[action='/admin/kiosks'] button[type=submit]")
            token = re.search(r'token = "(kt_[^"]+)"', page.inner_text("pre.snippet")).group(1)
            pubkey = state.signing_key.public.b64
            config = tmp_path / "kiosk.toml"
            config.write_text(
                f'[kiosk]\nid = "lobby-1"\ndata_dir = "{tmp_path / "kiosk"}"\n\n'
                f'[sync]\nfeed_url = "{base}/feed/feed.json"\npublic_keys = ["{pubkey}"]\n'
                f'heartbeat_url = "{base}/api/heartbeat"\ntoken = "{token}"\n', encoding="utf-8")

            # Find the service and change its Albanian name; a mistake is shown next to the field.
            page.goto(f"{base}/admin/services")
            page.fill("input[name=q]", "Sporteli i informacionit")
            page.click("form.filters button")
            page.click(f"a[href='/admin/services/{DESK_ID}']")
            page.wait_for_url(f"{base}/admin/services/{DESK_ID}")
            assert page.input_value("#f-name_en") == "Social services information desk"
            page.fill("#f-name", "")
            page.fill("#f-email", "jo-email")
            page.click(".savebar button")
            assert page.inner_text("#err-name") == "E detyrueshme në shqip."
            assert page.inner_text("#err-email").startswith("Nuk është adresë emaili")
            page.locator("#f-name").scroll_into_view_if_needed()
            page.screenshot(path=str(shots / "server-service-errors.png"))
            page.fill("#f-name", NEW_NAME)
            page.fill("#f-email", "")
            page.click(".savebar button")
            page.wait_for_url(f"{base}/admin/services/{DESK_ID}")
            assert "U ruajt" in page.inner_text(".flash")
            assert page.input_value("#f-name") == NEW_NAME
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(shots / "server-service-edit.png"))
            page.goto(f"{base}/admin/services/{DESK_ID}/preview")
            assert NEW_NAME in page.inner_text(".kiosk-frame h1")
            page.screenshot(path=str(shots / "server-preview.png"))

            # Publish.
            page.goto(f"{base}/admin")
            assert "Ka ndryshime që kioskat nuk i kanë ende" in page.inner_text("main")
            page.goto(f"{base}/admin/publish")
            page.fill("#f-note", "Emri i ri i sportelit")
            page.click("#publish-button")
            assert "U publikua versioni 3" in page.inner_text(".flash")
            page.screenshot(path=str(shots / "server-publish.png"))

            # The kiosk syncs for real and reports in.
            result = kiosk(config, "sync")
            assert result.returncode == 0, result.stdout + result.stderr
            exported = tmp_path / "kiosk-export.json"
            result = kiosk(config, "export-hsds", str(exported))
            assert result.returncode == 0, result.stdout + result.stderr
            services = json.loads(exported.read_text(encoding="utf-8"))
            assert next(s for s in services if s["id"] == DESK_ID)["name"] == NEW_NAME
            page.goto(f"{base}/admin/kiosks")
            row = page.inner_text("table.kiosks tbody tr")
            assert "lobby-1" in row and "v3" in row and "pa sinjal" not in row
            page.screenshot(path=str(shots / "server-kiosks.png"))

            if os.environ.get("SERVER_SCREENSHOTS"):
                _more_screenshots(page, base, shots, tmp_path)

            # The public page, on a phone, in both languages.
            phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                        is_mobile=True, has_touch=True, locale="sq-AL")
            mobile = phone.new_page()
            mobile.goto(f"{base}/services/{DESK_ID}")
            assert mobile.inner_text("h1") == NEW_NAME
            assert mobile.locator("a.call").first.get_attribute("href") == "tel:+35554200100"
            mobile.screenshot(path=str(shots / "server-public-service.png"))
            mobile.goto(f"{base}/services/{DESK_ID}?lang=en")
            assert mobile.inner_text("h1") == "Social services information desk"
            mobile.screenshot(path=str(shots / "server-public-service-en.png"), full_page=True)
            phone.close()
            browser.close()
    finally:
        live.stop()
        state.db.dispose()


def _more_screenshots(page, base: str, shots: Path, tmp_path: Path) -> None:
    """The rest of the admin pages, for the README."""
    import openpyxl

    for name, path in (("dashboard", "/admin"), ("services", "/admin/services"), ("categories", "/admin/categories"),
                       ("review", "/admin/review"), ("audit", "/admin/audit"), ("accounts", "/admin/accounts")):
        page.goto(base + path)
        page.screenshot(path=str(shots / f"server-{name}.png"))
    # An import with mistakes: every problem by sheet, row and column, nothing changed.
    with page.expect_download() as download:
        page.goto(f"{base}/admin/import")
        page.click("a[href='/admin/export/catalogue.xlsx']")
    path = tmp_path / "katalogu.xlsx"
    download.value.save_as(path)
    wb = openpyxl.load_workbook(path)
    ws = wb["services"]
    header = [c.value for c in ws[1]]
    ws.cell(5, header.index("organization") + 1).value = "qendra-x"
    ws.cell(7, header.index("email") + 1).value = "info(at)bashkia"
    ws.cell(9, header.index("categories") + 1).value = "femije"
    sched = wb["schedules"]
    sched.cell(4, [c.value for c in sched[1]].index("opens") + 1).value = "8 e mëngjesit"
    wb.save(path)
    page.goto(f"{base}/admin/import")
    page.set_input_files("#f-file", str(path))
    page.click("form[action='/admin/import'] button[type=submit]")
    page.wait_for_selector("table.problems")
    page.screenshot(path=str(shots / "server-import-errors.png"))

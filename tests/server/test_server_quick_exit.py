"""The "open on phone" page of a sensitive service in headless Chromium (issue 14): a neutral
title, and a "Dil shpejt / Quick exit" that leaves at once, replaces the page in the history (so
"back" does not return to it), answers Esc pressed three times, and works without JavaScript as
a plain link. The neutral site is answered by Playwright itself: nothing leaves the machine.

Screenshots go to $SERVER_SCREENSHOTS (e.g. docs/screenshots) when it is set.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from serverkit import ADMIN_PASSWORD
from serverlib import LiveServer
from test_server_browser import CHROMIUM_ARGS, _playwright

from sync.server.public_pages import QUICK_EXIT

#: a page in the browser: its reads run on both engines in test_server_danger and test_server_hsds
pytestmark = pytest.mark.one_engine

SHELTER = "c5427737-1d45-5c07-be53-0c1e40e569e3"
NEUTRAL_PAGE = "<!doctype html><title>Moti</title><h1>Moti në Elbasan</h1>"
HIDDEN = ("Strehim", "shelter", "Dritë", "Dhuna", "violence")


def _neutral_site(context) -> list[str]:
    """Every request to the neutral site is answered here, and listed."""
    seen: list[str] = []

    def answer(route):  # noqa: ANN001
        seen.append(route.request.url)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=NEUTRAL_PAGE)

    context.route("https://www.google.com/**", answer)
    return seen


@pytest.mark.browser
def test_quick_exit_on_a_sensitive_service(server, tmp_path):
    sync_playwright = _playwright()
    shots = Path(os.environ["SERVER_SCREENSHOTS"]) if os.environ.get("SERVER_SCREENSHOTS") else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    live = LiveServer(server.app).start()
    base = live.url
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
            phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                        is_mobile=True, has_touch=True, locale="sq-AL")
            seen = _neutral_site(phone)
            page = phone.new_page()
            page.set_default_timeout(15000)
            page.goto(f"{base}/services?lang=sq")
            page.goto(f"{base}/services/{SHELTER}")
            assert page.title() == "Mbështetje për familjen – Shërbime sociale, Elbasan"
            assert page.inner_text("h1") == "Mbështetje për familjen"
            assert not any(word in page.title() for word in HIDDEN)
            exit_link = page.locator("#quick-exit")
            assert exit_link.is_visible() and exit_link.inner_text() == "Dil shpejt"
            box = exit_link.bounding_box()
            assert box["y"] < 20 and box["height"] >= 44    # at the top, a finger's size
            page.screenshot(path=str(shots / "server-public-sensitive.png"))
            # scrolled down, it is still in the same place
            page.mouse.wheel(0, 1500)
            page.wait_for_timeout(300)
            assert exit_link.bounding_box()["y"] < 20
            exit_link.tap()
            page.wait_for_url(QUICK_EXIT["sq"])
            assert page.title() == "Moti" and seen == [QUICK_EXIT["sq"]]
            page.go_back()
            page.wait_for_load_state()
            assert page.url == f"{base}/services?lang=sq", "back must not return to the sensitive page"

            # Esc three times, in English.
            page.goto(f"{base}/services/{SHELTER}?lang=en")
            assert page.title().startswith("Family support – ") and page.inner_text("#quick-exit") == "Quick exit"
            page.keyboard.press("Escape")
            page.keyboard.press("Escape")
            assert page.url.startswith(base)            # two are not enough
            page.keyboard.press("Escape")
            page.wait_for_url(QUICK_EXIT["en"])
            page.go_back()
            page.wait_for_load_state()
            assert SHELTER not in page.url
            phone.close()

            # Without JavaScript the button is a plain link to the same neutral page.
            plain = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844}, locale="sq-AL")
            _neutral_site(plain)
            page = plain.new_page()
            page.goto(f"{base}/services/{SHELTER}")
            page.click("#quick-exit")
            page.wait_for_url(QUICK_EXIT["sq"])
            assert page.inner_text("h1") == "Moti në Elbasan"
            plain.close()

            # The staff side: the shelter's form, its "Visitors in danger" card.
            desk = browser.new_page(viewport={"width": 1366, "height": 900})
            desk.goto(f"{base}/login")
            desk.fill("#f-username", "admin")
            desk.fill("#f-password", ADMIN_PASSWORD)
            desk.click("button[type=submit]")
            desk.wait_for_url(f"{base}/admin")
            desk.goto(f"{base}/admin/services/{SHELTER}")
            card = desk.locator("#danger")
            assert desk.is_checked("#f-sensitive") and not desk.is_checked("#f-urgent")
            assert desk.input_value("#f-neutral_title") == "Mbështetje për familjen"
            assert "I ndjeshëm edhe nga kategoria: Dhuna në familje." in card.inner_text()
            card.screenshot(path=str(shots / "server-service-danger.png"))
            browser.close()
    finally:
        live.stop()

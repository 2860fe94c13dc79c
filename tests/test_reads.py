"""kiosk.reads: what the screens read, its cache and its worker threads. No Kivy."""
from __future__ import annotations

import sys
import threading
from datetime import datetime

import pytest

from factories import uid
from kiosk.reads import Reads

WEDNESDAY_MORNING = datetime(2026, 11, 25, 10, 30)
SATURDAY_EVENING = datetime(2026, 11, 28, 20, 0)


@pytest.fixture
def services(catalogue):
    svc = Reads(catalogue, now=lambda: WEDNESDAY_MORNING)
    yield svc
    svc.close()


def test_no_kivy_below_the_ui():
    """The rooms below the UI never import Kivy, and kiosk.app imports it only when it runs (so it
    can point Kivy's home and configuration at the kiosk's data directory first)."""
    import subprocess

    code = ("import sys, kiosk.reads, kiosk.operations, kiosk.pin, kiosk.updates, kiosk.bootstrap, kiosk.app; "
            "print(sorted(m for m in sys.modules if m.startswith('kivy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_categories_in_both_languages(services):
    sq = services.categories("sq")
    en = services.categories("en")
    assert [c.name for c in sq] == ["Fëmijë dhe familje", "Strehim", "Të moshuar"]
    assert [c.name for c in en] == ["Children and family", "Housing", "Elderly"]
    assert [c.service_count for c in en] == [3, 2, 1]
    open_now = {c.name: c.service_count for c in services.categories("en", open_now=True)}
    assert open_now == {"Children and family": 2, "Elderly": 1}  # no housing service is open


def test_category_page(services):
    page = services.category_page(uid("cat:children"), "en")
    assert page.category.name == "Children and family" and page.parent is None
    assert [s.name for s in page.subcategories] == ["Nurseries"]
    assert [r.name for r in page.services] == ["Help line", "Legal advice for families", "Municipal nursery"]
    assert page.total == 3
    states = {r.name: r.status.state for r in page.services}
    assert states == {"Help line": "open", "Legal advice for families": "closed_today",
                      "Municipal nursery": "open"}
    filtered = services.category_page(uid("cat:children"), "en", open_now=True)
    assert [r.name for r in filtered.services] == ["Help line", "Municipal nursery"]
    assert filtered.total == 3
    sub = services.category_page(uid("cat:nursery"), "sq")
    assert sub.parent.name == "Fëmijë dhe familje"
    assert services.category_page(uid("cat:nope"), "sq") is None


def test_the_moment_comes_from_the_injected_clock(catalogue):
    evening = Reads(catalogue, now=lambda: SATURDAY_EVENING)
    try:
        rows = {r.name: r.status for r in evening.category_page(uid("cat:housing"), "en").services}
        assert rows["Night shelter"].state == "open"
        assert rows["Legal advice for families"].state == "closed_today"
    finally:
        evening.close()


def test_service_organization_search(services):
    detail = services.service(uid("svc:nursery"), "en")
    assert detail.name == "Municipal nursery"
    assert detail.documents == ("Identity card", "Certifikatë familjare")
    assert detail.status.state == "open"
    assert services.service("missing", "en") is None
    org = services.organization(detail.organization.id, "sq")
    assert org.card.name == "Qendra Sociale e Bashkisë"
    assert {s.name for s in org.services} == {"Çerdhe e Bashkisë", "Strehëz nate", "Klub për të moshuarit"}
    assert services.search("   ", "sq") == []
    assert [r.name for r in services.search("cerdh", "sq")][0] == "Çerdhe e Bashkisë"
    assert services.is_demo() is True
    assert services.info().service_count == 6


def test_submit_runs_off_the_calling_thread(services):
    caller = threading.get_ident()
    future = services.submit(lambda: threading.get_ident())
    assert future.result(timeout=5) != caller
    failing = services.submit(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        failing.result(timeout=5)
    services.submit(lambda: None).result(timeout=5)
    assert services.pending == 0


def test_each_thread_gets_its_own_session(services):
    results, errors = [], []

    def work():
        try:
            results.append(len(services.categories("en")))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and results == [3] * 8


# ------------------------------------------------------------------ cache of catalogue pages


def test_category_pages_are_kept_until_another_catalogue_is_loaded(catalogue, services):
    """The catalogue part of a page is kept (the open status is judged again at each call) and
    forgotten as soon as a sync loads another catalogue."""
    from factories import make_feed

    term = uid("cat:children")
    assert services.category_page(term, "en", cached_only=True) is None   # nothing at hand yet
    assert services.categories("en", cached_only=True) is None
    tiles = services.categories("en")
    assert services.categories("en", cached_only=True) == tiles
    assert services.categories("en", open_now=True, cached_only=True) is None
    first = services.category_page(term, "en")
    again = services.category_page(term, "en", cached_only=True)
    assert again == first
    assert services.category_page(term, "sq", cached_only=True) is None   # per language
    assert services.category_page(term, "en", open_now=True, cached_only=True) is None

    doc = make_feed(version=2)
    doc["services"] = [s for s in doc["services"] if s["id"] != uid("svc:hotline")]
    catalogue.load(doc, source="test")
    assert services.category_page(term, "en", cached_only=True) is None
    assert [r.name for r in services.category_page(term, "en").services] == [
        "Legal advice for families", "Municipal nursery"]
    assert services.categories("en", cached_only=True) is None
    assert [c.service_count for c in services.categories("en")] == [2, 2, 1]


def test_warming_prepares_every_top_category(services):
    services.warm("sq").result(timeout=30)
    for card in services.categories("sq"):
        page = services.category_page(card.id, "sq", cached_only=True)
        assert page is not None and page.category.id == card.id


def test_open_status_is_judged_at_each_call_not_cached(catalogue):
    current = {"now": WEDNESDAY_MORNING}
    svc = Reads(catalogue, now=lambda: current["now"])
    try:
        morning = {r.name: r.status.state for r in svc.category_page(uid("cat:children"), "en").services}
        current["now"] = SATURDAY_EVENING
        evening = {r.name: r.status.state for r in svc.category_page(uid("cat:children"), "en",
                                                                       cached_only=True).services}
    finally:
        svc.close()
    assert morning["Municipal nursery"] == "open" and evening["Municipal nursery"] != "open"


def test_organization_addresses_are_those_of_its_detail(services):
    """The service screen reads only the provider's addresses, not its every service."""
    for org in ("org:social", "org:ngo"):
        detail = services.organization(uid(org), "sq")
        expected = {loc.address_lines for loc in detail.locations if loc.address_lines}
        addresses = services.organization_addresses(uid(org))
        assert set(addresses) == expected and len(addresses) == len(expected)
    assert any("Sheshi Qemal Stafa" in line for lines in services.organization_addresses(uid("org:social"))
               for line in lines)


def test_service_pages_prepared_in_advance_are_kept_for_the_minute(catalogue):
    current = {"now": WEDNESDAY_MORNING}
    svc = Reads(catalogue, now=lambda: current["now"])
    try:
        sid = uid("svc:nursery")
        assert svc.service_page(sid, "en", cached_only=True) is None
        svc.prefetch_services([sid, uid("svc:missing")], "en").result(timeout=30)
        detail, addresses = svc.service_page(sid, "en", cached_only=True)
        assert detail.name == "Municipal nursery" and detail.status.state == "open"
        assert addresses == svc.organization_addresses(detail.organization.id)
        assert svc.service_page(uid("svc:missing"), "en", cached_only=True) == (None, [])
        assert svc.service_page(sid, "sq", cached_only=True) is None
        current["now"] = SATURDAY_EVENING        # another minute: judged again
        assert svc.service_page(sid, "en", cached_only=True) is None
        assert svc.service_page(sid, "en")[0].status.state != "open"
    finally:
        svc.close()

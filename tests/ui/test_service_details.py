"""The details another directory's HSDS feed gives a service reach its page: the people to
contact about it, its age limits, its place apart from its post box (review of rich.json), who to
ask at each of its places."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from kivy.uix.label import Label

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from factories import make_feed, uid  # noqa: E402
from test_catalogue import desk_service, rich_service  # noqa: E402

from kiosk.catalogue import queries as q  # noqa: E402
from kiosk.catalogue.store import Catalogue  # noqa: E402


@pytest.fixture(scope="module")
def rich_details(tmp_path_factory):
    feed = make_feed()
    feed["services"].append(rich_service())
    cat = Catalogue(tmp_path_factory.mktemp("rich") / "rich.sqlite3")
    cat.create_schema()
    cat.load(feed, source="test")
    with cat.session() as s:
        details = {lang: q.service_detail(s, uid("rich:svc"), lang) for lang in ("sq", "en")}
        plain = q.service_detail(s, uid("svc:nursery"), "en")
    cat.dispose()
    return details, plain


def _show(ui, detail):
    """The service page with ``detail`` on it, as the page shows a service it read."""
    app = ui.app
    app.open_service(uid("svc:nursery"))
    ui.settle()
    service = app.sm.get_screen("service")
    service.apply((detail, None, []))
    ui.settle()
    return service


def _texts(service, part):
    return [w.text for w in service.ids[part].walk(restrict=True) if isinstance(w, Label) and w.text]


def test_the_people_to_contact_about_a_service_are_on_its_page(ui, rich_details):
    details, plain = rich_details
    service = _show(ui, details["sq"])       # the kiosk speaks Albanian until told otherwise
    side = _texts(service, "side")
    assert "Personat e kontaktit" in side
    assert "Arta Hoxha, Punonjëse sociale" in side and "069 222 3333" in side and "arta@example.al" in side
    # a service without contacts has no such card
    service = _show(ui, plain)
    assert "Personat e kontaktit" not in _texts(service, "side")


def test_a_services_age_limits_head_who_can_apply(ui, rich_details):
    details, plain = rich_details
    main = _texts(_show(ui, details["sq"]), "main")
    at = main.index("Kush mund të aplikojë")
    assert main[at + 1:at + 3] == ["Mosha 18-25 vjeç", "Të rinjtë pa punë"]
    assert not any(t.startswith("Mosha") for t in _texts(_show(ui, plain), "main"))


def test_the_place_is_shown_as_the_place_and_its_post_box_labelled(ui, rich_details):
    details, plain = rich_details
    main = _texts(_show(ui, details["sq"]), "main")
    place = main.index("Rruga Rinia, Pallati 5, Kati 2\n3001 Elbasan")
    assert main[place + 1] == "Adresa postare:\nKutia Postare 12\n3001 Elbasan"
    assert not any("Adresa postare" in t for t in _texts(_show(ui, plain), "main"))


@pytest.fixture(scope="module")
def desk_pages(tmp_path_factory):
    feed = make_feed()
    feed["services"].append(desk_service())
    cat = Catalogue(tmp_path_factory.mktemp("desk") / "desk.sqlite3")
    cat.create_schema()
    cat.load(feed, source="test")
    with cat.session() as s:
        pages = {lang: (q.service_detail(s, uid("svc:desk"), lang), q.organization_detail(s, uid("org:desk"), lang))
                 for lang in ("sq", "en")}
    cat.dispose()
    return pages


def test_each_place_on_the_service_page_says_who_to_ask_there(ui, desk_pages):
    """Each "Where to go" card names the people to ask at that place (name, title, department,
    phone with its extension, e-mail) in the visitor's language; the service's own person is in
    its "People to contact" card only, once on the page."""
    main = _texts(_show(ui, desk_pages["sq"][0]), "main")
    first = main.index("Rruga Rinia 5\n3001 Elbasan")
    ask = main.index("Kë të pyesni këtu", first)
    assert main[ask + 1:ask + 3] == ["Besa Kola, Koordinatore, Shërbimi social", "054 400 200, zgjatimi 12"]
    assert main[ask + 3:ask + 6] == ["Dritan Leka, Recepsionist, Recepsioni", "054 400 300, zgjatimi 5",
                                     "recepsioni@example.al"]
    second = main.index("Rruga Kavajës 9\n3001 Elbasan")
    assert main.index("Kë të pyesni këtu", second) < main.index("Elira Baci, Sportelliste", second)
    assert "Dritan Leka, Recepsionist, Recepsioni" not in main[second:]      # named at the first place
    service = ui.app.sm.get_screen("service")
    everywhere = main + _texts(service, "side")
    assert everywhere.count("Arta Hoxha, Punonjëse sociale") == 1
    ui.go_welcome()
    ui.tap(ui.button("English"))              # as a visitor chooses it
    try:
        english = _texts(_show(ui, desk_pages["en"][0]), "main")
    finally:
        ui.go_welcome()                       # back to Albanian: later tests expect it
    ask = english.index("Who to ask here")
    assert english[ask + 1:ask + 3] == ["Besa Kola, Coordinator, Social services", "054 400 200, ext. 12"]


def test_the_organization_pages_places_say_who_to_ask_there(ui, desk_pages):
    app = ui.app
    app.open_organization(uid("org:social"))
    ui.settle()
    page = app.sm.get_screen("organization")
    page.apply((desk_pages["sq"][1], None))
    ui.settle()
    side = _texts(page, "side")
    assert side.count("Gent Muka, Drejtor") == 1           # the organization's person, once
    ask = side.index("Kë të pyesni këtu")
    assert side[ask + 1] == "Dritan Leka, Recepsionist, Recepsioni"
    assert "Besa Kola, Koordinatore, Shërbimi social" not in side   # the service's person there

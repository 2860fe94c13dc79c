"""The details another directory's HSDS feed gives a service reach its page: the people to
contact about it, its age limits, its place apart from its post box (review of rich.json)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from kivy.uix.label import Label

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from factories import make_feed, uid  # noqa: E402
from test_catalogue import rich_service  # noqa: E402

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

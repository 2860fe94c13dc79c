"""Which texts of a page fell back to Albanian because the visitor's language had none: the data
says so, field by field (:class:`kiosk.catalogue.cards.Albanian`), so speech never has to guess."""
from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from factories import make_feed, uid
from kiosk.catalogue import queries as q
from kiosk.catalogue.cards import Albanian, in_albanian
from kiosk.catalogue.hours import TZ
from kiosk.catalogue.store import Catalogue

NOW = datetime(2026, 11, 3, 10, 0, tzinfo=TZ)


@pytest.fixture
def half_translated(tmp_path):
    """The test feed, with no English name for the legal advice service nor anything English
    for the association that provides it, and no English neutral title for the shelter."""
    feed = make_feed()
    by_id = {s["id"]: s for s in feed["services"]}
    legal = by_id[uid("svc:saturday")]
    legal["x_translations"]["en"].pop("name")
    legal["organization"]["x_translations"] = {}
    by_id[uid("svc:shelter")]["x_translations"]["en"].pop("x_neutral_title")
    cat = Catalogue(tmp_path / "catalogue.sqlite3")
    cat.create_schema()
    cat.load(feed, source="test")
    with cat.session() as session:
        yield session
    cat.dispose()


def texts(value, path="") -> dict[str, str]:
    """Every text inside ``value`` (dataclasses, tuples), by where it is."""
    if isinstance(value, str):
        return {path: value}
    out: dict[str, str] = {}
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            out.update(texts(getattr(value, f.name), f"{path}.{f.name}"))
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            out.update(texts(item, f"{path}[{i}]"))
    return out


def test_a_service_page_marks_each_field_that_fell_back(half_translated):
    d = q.service_detail(half_translated, uid("svc:nursery"), "en", now=NOW)
    english = {"name": d.name, "description": d.description, "document": d.documents[0],
               "language": d.languages[0], "transport": d.locations[0].transportation,
               "access": d.locations[0].accessibility[0], "provider": d.organization.name,
               "category": d.categories[0][1]}
    assert english == {"name": "Municipal nursery", "description": "Day care for children aged 1 to 3.",
                       "document": "Identity card", "language": "Albanian", "transport": "Bus 1",
                       "access": "Step-free entrance", "provider": "Municipal Social Centre",
                       "category": "Nurseries"}
    assert not any(in_albanian(x) for x in english.values())
    # no English given: the Albanian text, marked
    albanian = {"eligibility": d.eligibility, "how": d.application_process, "fees": d.fees,
                "document": d.documents[1], "place": d.locations[0].name,
                "about the provider": d.organization.description,
                "note": d.locations[0].schedule_notes[0],
                "day note": next(n for day in d.locations[0].week for n in day.notes)}
    assert albanian == {"eligibility": "Banorët e Elbasanit", "how": "Ejani me dokumentet.",
                        "fees": "Falas", "document": "Certifikatë familjare",
                        "place": "Zyra Sheshi Qemal Stafa",
                        "about the provider": "Përshkrim i Qendra Sociale e Bashkisë",
                        "note": "Pushim dreke 12:00-12:30", "day note": "Pushim dreke 12:00-12:30"}
    assert all(type(x) is Albanian for x in albanian.values()), albanian
    # the phone's number and the address are no translation's: never marked
    assert not in_albanian(d.phones[0].number)
    assert all(not in_albanian(line) for line in d.locations[0].address_lines)


def test_an_albanian_page_marks_nothing(half_translated):
    for sid in ("svc:nursery", "svc:saturday", "svc:shelter"):
        detail = q.service_detail(half_translated, uid(sid), "sq", now=NOW)
        found = texts(detail)
        assert found and not [where for where, x in found.items() if in_albanian(x)]
    rows = q.rows_at(half_translated, q.category_listing(half_translated, uid("cat:children"), "sq"), NOW)
    assert rows and not any(in_albanian(x) for r in rows for x in texts(r).values())
    results = q.search(half_translated, "ligjor", "sq", now=NOW)
    assert results and not any(in_albanian(x) for r in results for x in texts(r).values())


def test_rows_and_results_mark_an_untranslated_name_and_provider(half_translated):
    s = half_translated
    listed = q.rows_at(s, q.category_listing(s, uid("cat:children"), "en"), NOW)
    by_id = {r.id: r for r in listed}
    legal, nursery = by_id[uid("svc:saturday")], by_id[uid("svc:nursery")]
    assert (legal.name, legal.provider) == ("Këshillim ligjor për familjet", "Shoqata Ndihmë për Fëmijët")
    assert in_albanian(legal.name) and in_albanian(legal.provider)
    assert (nursery.name, nursery.provider) == ("Municipal nursery", "Municipal Social Centre")
    assert not in_albanian(nursery.name) and not in_albanian(nursery.provider)
    # one provider, one marked text shared by its rows (a big category has thousands)
    ngo = [r.provider for r in listed if r.provider == "Shoqata Ndihmë për Fëmijët"]
    assert len(ngo) >= 2 and all(p is ngo[0] for p in ngo)
    # an organization's page lists the same rows, made the other way (ORM objects)
    org = q.organization_detail(s, uid("org:ngo"), "en", now=NOW)
    assert in_albanian(org.card.name) and in_albanian(next(r for r in org.services if r.id == legal.id).name)
    # search results: its name and its provider; an English name unmarked
    result = next(r for r in q.search(s, "ligjor", "en", now=NOW) if r.id == legal.id)
    assert in_albanian(result.name) and in_albanian(result.subtitle)
    nursery_hit = next(r for r in q.search(s, "nursery", "en", now=NOW) if r.id == nursery.id)
    assert not in_albanian(nursery_hit.name) and not in_albanian(nursery_hit.subtitle)
    # the urgent line (the help line: English name, an untranslated provider)
    line = q.urgent_lines(s, "en", NOW)[0]
    assert (line.name, in_albanian(line.name), in_albanian(line.provider)) == ("Help line", False, True)


def test_a_neutral_title_without_english_is_marked(half_translated):
    s = half_translated
    titles = q.sensitive_services(s, "en")
    shelter = uid("svc:shelter")
    assert titles[shelter] == "Mbështetje" and in_albanian(titles[shelter])
    detail = q.service_detail(s, shelter, "en", now=NOW)
    assert detail.neutral_title == "Mbështetje" and in_albanian(detail.neutral_title)
    row = next(r for r in q.rows_at(s, q.category_listing(s, uid("cat:housing"), "en"), NOW) if r.id == shelter)
    assert row.sensitive and in_albanian(row.neutral_title)
    # the Albanian page: the same title, unmarked
    assert q.sensitive_services(s, "sq")[shelter] == "Mbështetje"
    assert not in_albanian(q.sensitive_services(s, "sq")[shelter])

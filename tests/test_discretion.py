"""Visitors in danger, below the UI: urgent lines and discreet take-aways of sensitive services.

Built from the bundled sample catalogue, where the domestic-violence category is ``x_sensitive``
(neutral title "Këshillim" / "Counselling"), the shelter carries its own neutral title, and five
lines are ``x_urgent``.
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.catalogue import queries as q
from kiosk.catalogue.export import export_document
from kiosk.catalogue.store import Catalogue
from kiosk.handoff import payloads, slip
from kiosk.paths import SAMPLE_FEED

NOW = datetime(2026, 12, 2, 10, 30)  # a Wednesday morning, local time
SHELTER = "Strehim i përkohshëm për gratë dhe fëmijët në rrezik"
COUNSELLING = "Këshillim psikologjik për gratë dhe vajzat"
PROVIDER = "Dritë për Gratë"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    cat = Catalogue(tmp_path_factory.mktemp("sample") / "catalogue.sqlite3")
    cat.create_schema()
    cat.load(json.loads(Path(SAMPLE_FEED).read_text(encoding="utf-8")), source="sample")
    yield cat
    cat.dispose()


def _service_id(session, name: str) -> str:
    return next(r.id for r in q.search(session, name, "sq", now=NOW) if r.kind == "service" and r.name == name)


def _detail(sample, name: str, lang: str) -> q.ServiceDetail:
    with sample.session() as s:
        return q.service_detail(s, _service_id(s, name), lang, now=NOW)


def test_urgent_lines_in_staff_order_with_numbers(sample):
    with sample.session() as s:
        sq_lines = q.urgent_lines(s, "sq", now=NOW)
        en_lines = q.urgent_lines(s, "en", now=NOW)
    assert [line.number for line in sq_lines] == ["129", "127", "116 117", "116 111", "+355 54 100 100"]
    assert sq_lines[0].name == "Policia – 129" and en_lines[0].name == "Police – 129"
    assert all(line.status.always for line in sq_lines), "every sample line answers 24/7"
    assert all(line.demo for line in sq_lines), "demo data until staff confirm the numbers"
    # Each has a Call code that a phone dials as it is (short national numbers stay short).
    assert [payloads.tel_uri(line.number) for line in sq_lines[:2]] == ["tel:129", "tel:127"]


def test_sensitivity_comes_from_the_category_and_the_service(sample):
    counselling = _detail(sample, COUNSELLING, "sq")
    assert counselling.sensitive and counselling.neutral_title == "Këshillim"
    assert _detail(sample, COUNSELLING, "en").neutral_title == "Counselling"
    shelter = _detail(sample, SHELTER, "sq")
    assert shelter.sensitive and shelter.neutral_title == "Mbështetje për familjen"
    assert _detail(sample, SHELTER, "en").neutral_title == "Family support"
    ordinary = _detail(sample, "Ndihmë për plotësimin e kërkesave", "sq")
    assert not ordinary.sensitive and ordinary.neutral_title == ""
    with sample.session() as s:
        cards = {c.name: c for c in q.top_categories(s, "sq", now=NOW)}
    assert cards["Dhuna në familje"].sensitive and not cards["Fëmijë dhe familje"].sensitive


@pytest.mark.parametrize("lang", ["sq", "en"])
def test_sensitive_vcard_names_neither_service_nor_provider(sample, lang):
    detail = _detail(sample, SHELTER, lang)
    card = payloads.service_vcard(detail, lang)
    fn = re.search(r"^FN:(.*)$", card, re.M).group(1).strip()
    assert fn == detail.neutral_title
    for secret in (detail.name, detail.organization.name, PROVIDER, "Strehim", "Shelter", "dhun",
                   "violence", "drite-per-grate", "ADR:", "URL:", "EMAIL"):
        assert secret.lower() not in card.lower(), secret
    assert "TEL" in card and "+35554100100" in card
    assert payloads.is_allowed(card)


def test_ordinary_vcard_unchanged(sample):
    detail = _detail(sample, "Ndihmë për plotësimin e kërkesave", "sq")
    card = payloads.service_vcard(detail, "sq")
    assert detail.organization.name.split(" – ")[0] in card and "NOTE:" in card


@pytest.mark.parametrize("lang", ["sq", "en"])
def test_sensitive_slip_has_neutral_title_and_no_address_unless_asked(sample, lang):
    detail = _detail(sample, COUNSELLING, lang)
    text = slip.build_slip(detail, lang, NOW).text()
    assert detail.neutral_title in text
    for secret in (detail.name, detail.organization.name, PROVIDER):
        assert secret not in text, secret
    address = ", ".join(detail.locations[0].address_lines)
    assert address not in text
    asked = slip.build_slip(detail, lang, NOW, with_address=True).text()
    assert address in asked and detail.name not in asked


def test_flags_round_trip_through_export(sample):
    with sample.session() as s:
        doc = export_document(s)
    by_name = {svc["name"]: svc for svc in doc["services"]}
    assert by_name["Policia – 129"]["x_urgent"] == 1
    assert by_name[SHELTER]["x_sensitive"] is True
    assert by_name[SHELTER]["x_neutral_title"] == "Mbështetje për familjen"
    assert by_name[SHELTER]["x_translations"]["en"]["x_neutral_title"] == "Family support"
    term = next(t for t in doc["taxonomy_terms"] if t["name"] == "Dhuna në familje")
    assert term["x_sensitive"] is True and term["x_neutral_title"] == "Këshillim"
    assert "x_urgent" not in by_name[COUNSELLING] and "x_sensitive" not in by_name[COUNSELLING]


def test_lists_look_up_only_their_own_rows_for_sensitive_ones(sample):
    """A keystroke's results or a category's services ask about their own ids: all of the
    catalogue's sensitive services, or none, when asked for all or for none."""
    from sqlalchemy import select

    from kiosk.catalogue import models as m
    with sample.session() as s:
        shelter, ordinary = _service_id(s, SHELTER), _service_id(s, "Ndihmë për plotësimin e kërkesave")
        every = q.sensitive_services(s, "sq")
        assert shelter in every and ordinary not in every and len(every) >= 2
        assert q.sensitive_services(s, "sq", [shelter, ordinary]) == {shelter: "Mbështetje për familjen"}
        assert q.sensitive_services(s, "en", [ordinary]) == {} and q.sensitive_services(s, "sq", []) == {}
        assert q.sensitive_services(s, "sq", select(m.Service.id)) == every


BASE = "https://sherbime.elbasan.gov.al"


def _provider(sample, lang: str):
    with sample.session() as s:
        org_id = q.service_detail(s, _service_id(s, SHELTER), lang, now=NOW).organization.id
        return q.organization_detail(s, org_id, lang, now=NOW)


@pytest.mark.parametrize("lang", ["sq", "en"])
def test_the_provider_of_a_sensitive_service_is_as_discreet_as_the_service(sample, lang):
    """The shelter's provider page must not undo the shelter's discreet contact: its saved
    contact is the neutral one, and its list names the shelter by its neutral title."""
    org = _provider(sample, lang)
    shelter = _detail(sample, SHELTER, lang)
    assert org.card.name == shelter.organization.name and org.sensitive
    assert dict(org.sensitive_services)[shelter.id] == shelter.neutral_title
    choices = {c.kind: c for c in payloads.organization_choices(org, lang, BASE, org_pages=True)}
    card = choices["contact"].payload
    fn = re.search(r"^FN:(.*)$", card, re.M).group(1).strip()
    # its sensitive services have different titles: the kiosk's own neutral one
    assert fn == ("Këshillim" if lang == "sq" else "Counselling")
    for secret in (org.card.name, PROVIDER, "Light for Women", shelter.name, "Strehim", "Shelter",
                   "dhun", "violence", "drite", "ADR", "URL:", "EMAIL", "NOTE"):
        assert secret.lower() not in card.lower(), secret
    assert "TEL" in card and payloads.is_allowed(card)


def test_an_organization_without_a_sensitive_service_keeps_its_own_contact(sample):
    with sample.session() as s:
        org_id = q.service_detail(s, _service_id(s, "Ndihmë për plotësimin e kërkesave"), "sq",
                                  now=NOW).organization.id
        org = q.organization_detail(s, org_id, "sq", now=NOW)
    assert not org.sensitive and org.sensitive_services == ()
    card = payloads.organization_choices(org, "sq", BASE)[0].payload
    assert f"FN:{org.card.name.split(',')[0]}" in card.replace("\\", "")


DIRECTIONS_KEPT = {"sq": "Harta e telefonit do ta mbajë këtë vend në historikun e saj.",
                   "en": "Your phone's map app will keep this place in its history."}
PRIVATE_TAB = {"sq": "hapeni në një skedë private", "en": "open it in a private tab"}


@pytest.mark.parametrize("lang", ["sq", "en"])
def test_on_a_sensitive_page_directions_and_link_say_what_the_phone_keeps(sample, lang):
    for choices in (payloads.service_choices(_detail(sample, SHELTER, lang), lang, BASE),
                    payloads.organization_choices(_provider(sample, lang), lang, BASE, org_pages=True)):
        by_kind = {c.kind: c for c in choices}
        assert DIRECTIONS_KEPT[lang] in by_kind["directions"].explanation
        assert PRIVATE_TAB[lang] in by_kind["link"].explanation
    ordinary = {c.kind: c for c in payloads.service_choices(
        _detail(sample, "Ndihmë për plotësimin e kërkesave", lang), lang, BASE)}
    assert ordinary["link"].explanation == payloads.in_lang(lang, payloads.EXPLANATIONS["link"])
    assert DIRECTIONS_KEPT[lang] not in ordinary.get("directions", ordinary["link"]).explanation


@pytest.mark.parametrize("base_url", [None, BASE])
def test_a_sensitive_slip_carries_no_code_that_reopens_the_real_page(sample, base_url):
    """Whoever finds the slip could scan its code at the kiosk (or a phone) and see the
    shelter's real name and address: a sensitive slip has neither the QR code nor the kiosk code."""
    from kiosk.handoff import links

    detail = _detail(sample, SHELTER, "sq")
    made = slip.build_slip(detail, "sq", NOW, public_base_url=base_url)
    assert made.code is None and made.qr_payload is None
    assert not [line for line in made.lines if line.style == slip.QR]
    assert links.short_code(detail.id) not in made.text() and "ELB-" not in made.text()
    ordinary = slip.build_slip(_detail(sample, "Ndihmë për plotësimin e kërkesave", "sq"), "sq", NOW,
                               public_base_url=base_url)
    assert ordinary.code and ordinary.qr_payload


def test_general_emergency_lines_are_in_no_sensitive_category(sample):
    """Police and ambulance keep their own names on the saved contact; the lines for women and
    for domestic violence stay discreet."""
    with sample.session() as s:
        lines = {line.number: line.id for line in q.urgent_lines(s, "sq", now=NOW)}
        details = {number: q.service_detail(s, sid, "sq", now=NOW) for number, sid in lines.items()}
    for number in ("129", "127", "116 111"):
        detail = details[number]
        assert not detail.sensitive, number
        card = payloads.service_vcard(detail, "sq")
        assert "Këshillim" not in card and f"NOTE:{detail.name}" in card.replace("\\", "")
    assert details["116 117"].sensitive
    assert _detail(sample, "Linja e ndihmës 24 orë për dhunën në familje", "sq").sensitive


# --------------------------------------------------------------- the cost of sensitive rows
# Two catalogues the same in every row but one mark: in one the category of 5 services is
# sensitive, in the other the category of 50. (Before the lists looked up only their own rows,
# every keystroke and category list read every sensitive service of the catalogue as an object:
# 180-330 ms a keystroke with the 1,950 sensitive services of two big categories at 10k.)

FEW, MANY, ORDINARY = "cat:few", "cat:many", "cat:elderly"


def _cost_feed(marked: str) -> dict:
    import copy

    from factories import TERMS, organization, service, term, uid
    from sync.feed import document as feedmod

    terms = copy.deepcopy(TERMS) + [term(FEW, "Mbrojtje e veçantë", "Special protection", "women", 5),
                                    term(MANY, "Ndihmë për familjet në krizë", "Families in crisis",
                                         "domestic-violence", 6)]
    by_id = {t["id"]: t for t in terms}
    mark = by_id[uid(marked)]
    mark.update({"x_sensitive": True, "x_neutral_title": "Këshillim"})
    mark["x_translations"]["en"]["x_neutral_title"] = "Counselling"
    orgs = [organization("org:social", "Qendra Sociale e Bashkisë", "Municipal Social Centre"),
            organization("org:ngo", "Shoqata Ndihmë për Fëmijët", "Help for Children Association")]
    services = []
    for group, count in ((FEW, 5), (MANY, 50), (ORDINARY, 60)):
        for i in range(count):
            key = f"svc:{group}:{i}"
            svc = service(key, f"Ndihmë sociale {group[4:]} {i}", f"Social help {group[4:]} {i}",
                          orgs[i % 2], [ORDINARY])
            svc["attributes"] = [{"id": uid(key + ":attr"), "taxonomy_term_id": uid(group),
                                  "taxonomy_term": by_id[uid(group)]}]
            if group == ORDINARY and i < 2:    # marked itself, in both catalogues
                svc.update({"x_sensitive": True, "x_neutral_title": "Mbështetje"})
            services.append(svc)
    return feedmod.new_document(services, terms, version=1,
                                generated_at=datetime(2026, 11, 1, 8), expires_at=datetime(2031, 11, 1, 8))


@pytest.fixture(scope="module")
def marked_few_and_many(tmp_path_factory):
    cats = {}
    for marked in (FEW, MANY):
        cat = Catalogue(tmp_path_factory.mktemp("cost") / "catalogue.sqlite3")
        cat.create_schema()
        cat.load(_cost_feed(marked), source="test")
        cats[marked] = cat
    yield cats
    for cat in cats.values():
        cat.dispose()


def _issued(cat: Catalogue, read) -> tuple[list[str], int, object]:
    """What ``read(session)`` costs in a fresh session: the SQL statements it sends (as sent,
    an IN list with one ``?`` per value), the service objects it loads, and its result."""
    from sqlalchemy import event

    from kiosk.catalogue import models as m

    statements: list[str] = []
    loaded = [0]

    def on_statement(_conn, _cursor, statement, _params, _context, _many):
        statements.append(statement)

    def on_load(_target, _context):
        loaded[0] += 1

    with cat.session() as s:
        engine = s.get_bind()
        event.listen(engine, "before_cursor_execute", on_statement)
        event.listen(m.Service, "load", on_load)
        try:
            result = read(s)
        finally:
            event.remove(engine, "before_cursor_execute", on_statement)
            event.remove(m.Service, "load", on_load)
    return statements, loaded[0], result


def test_lists_cost_the_same_with_5_or_50_sensitive_services(marked_few_and_many):
    """A keystroke's search and a category's list send the same statements (their number, and
    each IN list as wide) and load the same number of service objects whether 5 or 50 services
    are sensitive: they look up their own rows, not every sensitive service. (Before, each read
    sent as many statements but an IN list of every sensitive id, and loaded 7 or 52 more
    service objects.)"""
    from factories import uid

    reads = {
        "search": lambda s: q.search(s, "ndihm", "sq", now=NOW),
        "category of 50": lambda s: q.rows_at(s, q.category_listing(s, uid(MANY), "sq"), NOW),
        "category of 5": lambda s: q.rows_at(s, q.category_listing(s, uid(FEW), "sq"), NOW),
        "ordinary category": lambda s: q.rows_at(s, q.category_listing(s, uid(ORDINARY), "sq"), NOW),
        "organization search": lambda s: q.search(s, "shoqata", "en", now=NOW),
    }
    few, many = marked_few_and_many[FEW], marked_few_and_many[MANY]
    for name, read in reads.items():
        sent_few, loaded_few, _ = _issued(few, read)
        sent_many, loaded_many, _ = _issued(many, read)
        assert len(sent_few) == len(sent_many), name
        assert sent_few == sent_many, name
        assert loaded_few == loaded_many, name
    # the marks are seen: rows of the marked category are sensitive, and only those and the two
    # services marked themselves
    for marked, count in ((FEW, 5), (MANY, 50)):
        cat = marked_few_and_many[marked]
        _, _, rows = _issued(cat, reads["category of 50" if marked == MANY else "category of 5"])
        assert len(rows) == count and all(r.sensitive and r.neutral_title == "Këshillim" for r in rows)
        _, _, ordinary = _issued(cat, reads["ordinary category"])
        assert sorted(r.name for r in ordinary if r.sensitive) == ["Ndihmë sociale elderly 0",
                                                                     "Ndihmë sociale elderly 1"]
        _, _, hits = _issued(cat, reads["search"])
        assert len(hits) == 40 and {h.kind for h in hits} == {"service", "organization"}
        assert 0 < sum(h.sensitive for h in hits if h.kind == "service") < 40

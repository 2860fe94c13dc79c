"""The bundled sample catalogue (assets/sample): valid HSDS, bilingual, honest about demo data."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from sync.feed import document as feedmod

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO / "assets" / "sample"
CATALOGUE = SAMPLE_DIR / "catalogue.json"
SCRIPT = SAMPLE_DIR / "make_sample.py"
SERVICE_SCHEMA = REPO / "sync" / "feed" / "hsds" / "service.json"

ICONS = {"economic-assistance", "disability", "children", "domestic-violence", "employment",
         "housing", "legal-aid", "elderly", "youth", "women", "health", "information"}
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Visitor-facing fields per kind of object; each one present must have an English translation.
TRANSLATED = {
    "service": ("name", "description", "eligibility_description", "application_process",
                "fees_description", "alert", "interpretation_services"),
    "organization": ("name", "alternate_name", "description"),
    "location": ("name", "description", "transportation"),
    "accessibility": ("description", "details"),
    "schedule": ("notes", "description"),
    "required_document": ("document",),
    "language": ("name",),
    "phone": ("description",),
    "taxonomy_term": ("name", "description"),
    "service_at_location": ("description",),
    "contact": ("title",),
}


@pytest.fixture(scope="module")
def raw() -> str:
    return CATALOGUE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc(raw: str) -> dict[str, Any]:
    return feedmod.loads(raw.encode("utf-8"))


@pytest.fixture(scope="module")
def maker():
    spec = importlib.util.spec_from_file_location("make_sample", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def organizations(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["organization"]["id"]: s["organization"] for s in doc["services"]}


def objects(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every visitor-facing object of the feed with its kind."""
    for term in doc["taxonomy_terms"]:
        yield "taxonomy_term", term
    for svc in doc["services"]:
        yield "service", svc
        org = svc["organization"]
        yield "organization", org
        for phone in org.get("phones", []):
            yield "phone", phone
        for contact in org.get("contacts", []):
            yield "contact", contact
        for phone in svc.get("phones", []):
            yield "phone", phone
        for sched in svc.get("schedules", []):
            yield "schedule", sched
        for d in svc.get("required_documents", []):
            yield "required_document", d
        for lang in svc.get("languages", []):
            yield "language", lang
        for attr in svc.get("attributes", []):
            yield "taxonomy_term", attr["taxonomy_term"]
        for sal in svc.get("service_at_locations", []):
            yield "service_at_location", sal
            for sched in sal.get("schedules", []):
                yield "schedule", sched
            loc = sal["location"]
            yield "location", loc
            for acc in loc.get("accessibility", []):
                yield "accessibility", acc


def all_schedules(svc: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(svc.get("schedules", []))
    for sal in svc.get("service_at_locations", []):
        found += sal.get("schedules", [])
    return found


def strings(node: Any, key: str = "", translations: bool = True) -> Iterator[tuple[str, str]]:
    """(field name, value) of every string under ``node``; optionally without the translations."""
    if isinstance(node, dict):
        for k, v in node.items():
            if translations or k != "x_translations":
                yield from strings(v, k, translations)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v, key, translations)
    elif isinstance(node, str):
        yield key, node


# ------------------------------------------------------------------------------ HSDS


def test_every_service_validates_against_hsds(doc):
    if not SERVICE_SCHEMA.is_file():
        pytest.skip(f"HSDS schema not found at {SERVICE_SCHEMA} (shared/hsds is outside the repo)")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SERVICE_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    problems = [f"{svc['name']}: /{'/'.join(map(str, e.absolute_path))}: {e.message}"
                for svc in doc["services"] for e in validator.iter_errors(svc)]
    assert problems == []


def test_envelope(doc):
    assert doc["schema_version"] == feedmod.SCHEMA_VERSION
    assert doc["version"] == 1
    assert doc["generated_at"] == "2026-11-01T08:00:00Z"
    assert doc["expires_at"] == "2031-11-01T08:00:00Z"
    assert doc["default_language"] == "sq" and doc["languages"] == ["sq", "en"]
    assert doc["taxonomy"]["name"] == "Kategoritë e shërbimeve sociale – Bashkia Elbasan"
    assert doc["publisher"]["x_translations"]["en"]["name"]
    info = feedmod.info(doc)
    assert info.demo is True and info.service_count == len(doc["services"])


def test_ids_are_uuids_and_unique_per_kind(doc):
    seen: dict[str, dict[str, Any]] = {}
    for kind, obj in objects(doc):
        assert feedmod.UUID_RE.match(obj["id"]), (kind, obj["id"])
        same = {k: v for k, v in obj.items() if v is not None}  # nested terms omit a null parent
        previous = seen.setdefault(obj["id"], same)
        assert previous == same, f"id {obj['id']} used for two different objects"
    assert len({s["id"] for s in doc["services"]}) == len(doc["services"])


# ------------------------------------------------------------------------------ size and tree


def test_counts(doc):
    tops = [t for t in doc["taxonomy_terms"] if t.get("parent_id") is None]
    subs = [t for t in doc["taxonomy_terms"] if t.get("parent_id") is not None]
    assert len(tops) >= 12
    assert len(subs) >= 3
    assert len(doc["services"]) >= 45
    assert len(organizations(doc)) >= 14


def test_category_tree(doc):
    terms = doc["taxonomy_terms"]
    by_id = {t["id"]: t for t in terms}
    assert len(by_id) == len(terms)
    seen: set[str] = set()
    for term in terms:
        assert term["taxonomy_id"] == doc["taxonomy"]["id"]
        assert term["x_icon"] in ICONS
        assert isinstance(term["x_order"], int) and not isinstance(term["x_order"], bool)
        assert term["name"] and term["description"] and term["code"]
        if term.get("parent_id") is not None:
            assert term["parent_id"] in seen, f"{term['name']}: parent missing or listed after it"
            parent = by_id[term["parent_id"]]
            assert parent.get("parent_id") is None, "the tree has two levels"
            assert term["x_icon"] == parent["x_icon"]
        seen.add(term["id"])
    top_icons = {t["x_icon"] for t in terms if t.get("parent_id") is None}
    assert top_icons == ICONS
    names = {t["name"] for t in terms}
    assert {"Ndihmë ekonomike", "Çerdhe e kopshte", "Fëmijë dhe familje", "Dhuna në familje",
            "Formim profesional", "Informacion dhe këshillim"} <= names


def test_attributes_reference_known_terms(doc):
    by_id = {t["id"]: t for t in doc["taxonomy_terms"]}
    used = set()
    for svc in doc["services"]:
        assert 1 <= len(svc["attributes"]) <= 2, svc["name"]
        for attr in svc["attributes"]:
            term_id = attr["taxonomy_term_id"]
            assert term_id in by_id, svc["name"]
            nested = attr["taxonomy_term"]
            assert nested["id"] == term_id
            assert nested["name"] == by_id[term_id]["name"]
            assert nested.get("parent_id") == by_id[term_id].get("parent_id")
            assert nested["taxonomy_id"] == doc["taxonomy"]["id"]
            used.add(term_id)
    assert used == set(by_id), "every category has at least one service"


# ------------------------------------------------------------------------------ services


def test_service_fields(doc):
    for svc in doc["services"]:
        name = svc["name"]
        for field in ("description", "eligibility_description", "application_process",
                      "fees_description", "assured_date", "last_modified"):
            assert svc.get(field), (name, field)
        assert DATE.match(svc["assured_date"]) and svc["assured_date"][:4] in ("2025", "2026")
        feedmod.parse_timestamp(svc["last_modified"])
        # A phone line (an urgent-help number) asks for no document; a service for a few.
        assert (0 if svc.get("x_urgent") else 2) <= len(svc.get("required_documents", [])) <= 5, name
        assert svc["languages"][0]["name"] == "Shqip", name
        assert svc["phones"] and all(p["number"].startswith("+355 ") or  # short national lines
                                     (svc.get("x_urgent") and p["number"].replace(" ", "").isdigit())
                                     for p in svc["phones"])
        assert svc.get("service_at_locations", []) or svc.get("x_urgent"), name  # a line needs no place
        org = svc["organization"]
        assert org["email"] and org["website"] and org["phones"], org["name"]
        for sal in svc.get("service_at_locations", []):
            loc = sal["location"]
            assert loc["location_type"] == "physical"
            address = loc["addresses"][0]
            assert address["country"] == "AL" and address["address_type"] == "physical"
            assert loc["accessibility"] and loc["transportation"]
            if address["city"] == "Elbasan":
                assert address["state_province"] == "Elbasan" and address["postal_code"] == "3001"
                assert 41.0 < loc["latitude"] < 41.2 and 19.9 < loc["longitude"] < 20.2
    assert any(s["fees_description"] == "Falas" for s in doc["services"])
    stale = [s for s in doc["services"] if s["assured_date"] < "2025-11-01"]
    assert 1 <= len(stale) < len(doc["services"]) // 2


def test_statuses_and_alerts(doc):
    statuses = [s["status"] for s in doc["services"]]
    assert statuses.count("temporarily closed") == 1
    assert statuses.count("active") == len(statuses) - 1
    closed = next(s for s in doc["services"] if s["status"] == "temporarily closed")
    assert closed["alert"] and closed["x_translations"]["en"]["alert"]
    assert any("28" in s.get("alert", "") and "nëntor" in s.get("alert", "")
               for s in doc["services"])


def test_languages_offered(doc):
    codes = {lang["code"] for s in doc["services"] for lang in s["languages"]}
    assert {"sq", "en", "rom", "it"} <= codes


def test_schedules(doc):
    everything = [(svc, sched) for svc in doc["services"] for sched in all_schedules(svc)]
    for svc, sched in everything:
        assert sched["freq"] == "WEEKLY"
        assert HHMM.match(sched["opens_at"]) and HHMM.match(sched["closes_at"]), svc["name"]
        for day in sched["byday"].split(","):
            assert day in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
        for field in ("valid_from", "valid_to"):
            if field in sched:
                assert DATE.match(sched[field])
    scheds = [s for _, s in everything]
    all_week = "MO,TU,WE,TH,FR,SA,SU"
    assert any(s["byday"] == all_week and (s["opens_at"], s["closes_at"]) == ("00:00", "24:00")
               for s in scheds), "a 24-hour service"
    assert any(s["byday"] == all_week and (s["opens_at"], s["closes_at"]) == ("19:00", "07:00")
               for s in scheds), "a night shelter crossing midnight"
    assert any("SA" in s["byday"] and s["closes_at"] <= "14:00" for s in scheds), "Saturday morning"
    assert any(s.get("valid_from") and s.get("valid_to") for s in scheds), "seasonal hours"
    assert any(svc.get("schedules") for svc in doc["services"]), "service-level schedules"
    lunch = False
    for svc in doc["services"]:
        for sal in svc.get("service_at_locations", []):
            spans = {(s["byday"], s["opens_at"], s["closes_at"]) for s in sal.get("schedules", [])}
            days = {d for d, _, _ in spans}
            lunch |= any({(d, "08:00", "12:00"), (d, "13:00", "16:00")} <= spans for d in days)
    assert lunch, "a lunch break as two schedules on the same days"


def test_summer_hours_do_not_overlap_normal_hours(doc):
    for svc in doc["services"]:
        for sal in svc.get("service_at_locations", []):
            dated = [s for s in sal.get("schedules", []) if s.get("valid_from") and s.get("valid_to")]
            for summer in dated:
                for other in sal["schedules"]:
                    if other is summer or other["byday"] != summer["byday"]:
                        continue
                    starts_before_end = other.get("valid_from", "0000") <= summer["valid_to"]
                    ends_after_start = other.get("valid_to", "9999") >= summer["valid_from"]
                    assert not (starts_before_end and ends_after_start), svc["name"]


# ------------------------------------------------------------------------------ languages


def test_every_visitor_text_has_an_english_translation(doc):
    missing = []
    for kind, obj in objects(doc):
        en = (obj.get("x_translations") or {}).get("en") or {}
        for field in TRANSLATED[kind]:
            if obj.get(field) and not en.get(field):
                missing.append(f"{kind} {obj.get('name') or obj['id']}: {field}")
    assert missing == []


def test_services_and_organizations_have_english_name_and_description(doc):
    for obj in list(doc["services"]) + list(organizations(doc).values()):
        en = obj["x_translations"]["en"]
        assert en["name"] and en["description"], obj["name"]
        assert en["name"] != obj["name"] or obj["name"].isascii()


def test_albanian_letters(doc, raw):
    albanian = " ".join(text for _, text in strings(doc["services"], translations=False))
    assert "ë" in albanian and "ç" in albanian and "Ç" in albanian
    for word in ("Çerdhe", "fëmijë", "Ndihmë ekonomike", "Korçë", "Të moshuar"):
        assert word in raw, word
    assert "\\u00" not in raw, "written with ensure_ascii=False"
    text_fields = {field for fields in TRANSLATED.values() for field in fields}
    lowered = " ".join(text for key, text in strings(doc) if key in text_fields).lower()
    for ascii_spelling in ("femije", "cerdhe", "korce", "ndihme ekonomike", "te moshuar",
                           "sherbim", "per te "):
        assert ascii_spelling not in lowered, ascii_spelling


# ------------------------------------------------------------------------------ real vs demo


def test_iku_has_its_real_contact_data(doc):
    iku = [o for o in organizations(doc).values() if o["name"] == "Instituti i Kërkimeve Urbane"]
    assert len(iku) == 1
    iku = iku[0]
    assert iku["email"] == "uri@uri.org.al"
    assert iku["website"] == "https://www.uri.org.al"
    assert [p["number"] for p in iku["phones"]] == ["+355 4 2256840"]
    assert iku["contacts"][0]["name"] == "Zana Vokopola"
    assert iku["year_incorporated"] == 1999
    assert iku["x_demo"] is False
    assert iku["x_translations"]["en"]["name"] == "Urban Research Institute"
    addresses = [sal["location"]["addresses"][0] for svc in doc["services"]
                 if svc["organization"]["id"] == iku["id"] for sal in svc.get("service_at_locations", [])]
    assert addresses and all(a["address_1"] == "Rr. Asim Vokshi, Nd.14"
                             and a["address_2"] == "Hyrja 11, Ap. 56" and a["city"] == "Tiranë"
                             for a in addresses)


def test_seed_facts(doc):
    orgs = {o["name"]: o for o in organizations(doc).values()}
    centre = orgs["Qendra e Informacionit për Shërbimet Sociale – Bashkia Elbasan"]
    for fact in ("2000", "2001", "Bashkia Elbasan", "SOROS", "Mercy Corps", "USAID",
                 "Instituti i Kërkimeve Urbane"):
        assert fact in centre["description"], fact
    assert centre["x_demo"] is True  # its address and phone are not in the documents
    qkss = orgs["Qendra Kombëtare për Studime Sociale"]
    assert qkss["year_incorporated"] == 1998 and "1998" in qkss["description"]
    assert qkss["x_demo"] is True


def test_demo_marks(doc):
    orgs = organizations(doc)
    real = {o["id"] for o in orgs.values() if o["name"] == "Instituti i Kërkimeve Urbane"}
    for oid, org in orgs.items():
        assert isinstance(org.get("x_demo"), bool), org["name"]
        assert org["x_demo"] is (oid not in real), org["name"]
        if org["x_demo"]:
            assert org["website"].startswith("https://example.org/"), org["name"]
            assert org["email"].endswith("@example.org"), org["name"]
    for svc in doc["services"]:
        assert svc["x_demo"] is True, svc["name"]


def test_all_urls_are_https(doc):
    urls = [(k, v) for k, v in strings(doc) if k in ("website", "url", "uri", "term_uri",
                                                      "schedule_link") or "://" in v]
    assert urls
    for key, value in urls:
        assert value.startswith("https://"), (key, value)


# ------------------------------------------------------------------------------ determinism


def test_regenerating_gives_the_committed_file(maker, raw):
    assert maker.render(maker.build()) == raw


def test_build_is_deterministic(maker):
    assert maker.render(maker.build()) == maker.render(maker.build())


def test_committed_file_is_formatted_as_generated(raw):
    doc = json.loads(raw)
    assert raw == json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def test_the_bundled_sample_passes_the_checks_every_kiosk_makes():
    """`kiosk load-feed` and every sync conform a feed; the sample must pass them with nothing
    to mend (it had a null parent_id on each top-level category, which HSDS types forbid)."""
    from kiosk.paths import SAMPLE_FEED
    from sync.feed import document as feedmod
    from sync.feed import verify

    findings = verify.conform(feedmod.loads(SAMPLE_FEED.read_bytes()))
    assert not findings.errors, [(f.code, f.field) for f in findings.errors][:5]

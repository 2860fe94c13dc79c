"""A small, hand-made feed whose every schedule and text is chosen for a test."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone


from kiosk.paths import HSDS_DIR
from sync.feed import document as feedmod

HSDS_SERVICE_SCHEMA = HSDS_DIR / "service.json"

NS = uuid.UUID("6f1c9a52-0d3b-4c4e-9f1a-2b7d5e8c1a00")


def uid(key: str) -> str:
    return str(uuid.uuid5(NS, key))


def term(key, name, en, icon, order, parent=None):
    return {"id": uid(key), "name": name, "description": name, "parent_id": uid(parent) if parent else None,
            "taxonomy_id": uid("taxonomy"), "x_icon": icon, "x_order": order,
            "x_translations": {"en": {"name": en, "description": en}}}


TERMS = [
    term("cat:children", "Fëmijë dhe familje", "Children and family", "children", 1),
    term("cat:housing", "Strehim", "Housing", "housing", 2),
    term("cat:elderly", "Të moshuar", "Elderly", "elderly", 3),
    term("cat:empty", "Kategori bosh", "Empty category", "information", 4),
    term("cat:nursery", "Çerdhe e kopshte", "Nurseries", "children", 1, parent="cat:children"),
]


def schedule(key, byday, opens, closes, **extra):
    return {"id": uid(key), "freq": "WEEKLY", "byday": byday, "opens_at": opens, "closes_at": closes,
            **extra}


def organization(key, name, en_name, demo=True):
    return {"id": uid(key), "name": name, "description": f"Përshkrim i {name}",
            "email": f"{key.split(':')[1]}@example.org", "website": "https://example.org/",
            "phones": [{"id": uid(key + ":phone"), "number": "+355 54 200 100"}],
            "x_demo": demo, "x_translations": {"en": {"name": en_name}}}


def location(key, street, lat=41.1125, lon=20.0822):
    return {"id": uid(key), "location_type": "physical", "name": f"Zyra {street}",
            "latitude": lat, "longitude": lon, "transportation": "Autobusi 1",
            "addresses": [{"id": uid(key + ":addr"), "address_1": street, "city": "Elbasan",
                           "state_province": "Elbasan", "postal_code": "3001", "country": "AL",
                           "address_type": "physical"}],
            "accessibility": [{"id": uid(key + ":acc"), "description": "Hyrje pa shkallë",
                               "x_translations": {"en": {"description": "Step-free entrance"}}}],
            "x_translations": {"en": {"transportation": "Bus 1"}}}


def service(key, name, en_name, org, terms, schedules=(), sal_schedules=(), status="active",
            description="", en_description="", loc=None):
    svc = {
        "id": uid(key), "name": name, "status": status,
        "description": description or f"Shërbimi {name}.",
        "eligibility_description": "Banorët e Elbasanit",
        "application_process": "Ejani me dokumentet.",
        "fees_description": "Falas", "assured_date": "2026-09-01",
        "last_modified": "2026-10-01T10:00:00Z",
        "organization": org,
        "attributes": [{"id": uid(f"{key}:attr:{t}"), "taxonomy_term_id": uid(t),
                        "taxonomy_term": next(x for x in TERMS if x["id"] == uid(t))} for t in terms],
        "required_documents": [{"id": uid(key + ":doc1"), "document": "Kartë identiteti",
                                "x_translations": {"en": {"document": "Identity card"}}},
                               {"id": uid(key + ":doc2"), "document": "Certifikatë familjare"}],
        "languages": [{"id": uid(key + ":lang"), "name": "Shqip", "code": "sq",
                       "x_translations": {"en": {"name": "Albanian"}}}],
        "phones": [{"id": uid(key + ":phone"), "number": "+355 54 111 222", "type": "voice"}],
        "schedules": list(schedules),
        "x_demo": True,
        "x_translations": {"en": {"name": en_name, "description": en_description or f"The {en_name} service."}},
    }
    loc = loc or location("loc:" + key, "Rruga Korçë 5")
    svc["service_at_locations"] = [{"id": uid(key + ":sal"), "location": loc,
                                    "schedules": list(sal_schedules)}]
    return svc


def make_feed(version: int = 1) -> dict:
    social = organization("org:social", "Qendra Sociale e Bashkisë", "Municipal Social Centre")
    ngo = organization("org:ngo", "Shoqata Ndihmë për Fëmijët", "Help for Children Association")
    shared_loc = location("loc:centre", "Sheshi Qemal Stafa")
    services = [
        service("svc:nursery", "Çerdhe e Bashkisë", "Municipal nursery", social, ["cat:nursery"],
                sal_schedules=[schedule("sch:nursery", "MO,TU,WE,TH,FR", "08:00", "16:00",
                                        notes="Pushim dreke 12:00-12:30")],
                description="Kujdes ditor për fëmijë nga 1 deri 3 vjeç.",
                en_description="Day care for children aged 1 to 3.", loc=shared_loc),
        service("svc:shelter", "Strehëz nate", "Night shelter", social, ["cat:housing"],
                sal_schedules=[schedule("sch:shelter", "MO,TU,WE,TH,FR,SA,SU", "19:00", "07:00")]),
        service("svc:hotline", "Linja e ndihmës", "Help line", ngo, ["cat:children"],
                schedules=[schedule("sch:hotline", "MO,TU,WE,TH,FR,SA,SU", "00:00", "24:00")]),
        service("svc:summer", "Klub për të moshuarit", "Club for older people", social, ["cat:elderly"],
                sal_schedules=[
                    schedule("sch:club-spring", "MO,WE,FR", "09:00", "17:00", valid_to="2026-06-30"),
                    schedule("sch:club-summer", "MO,WE,FR", "08:00", "12:00",
                             valid_from="2026-07-01", valid_to="2026-08-31",
                             notes="Orari i verës", x_translations={"en": {"notes": "Summer hours"}}),
                    schedule("sch:club-autumn", "MO,WE,FR", "09:00", "17:00", valid_from="2026-09-01"),
                ], loc=shared_loc),
        service("svc:closed", "Shërbim i mbyllur", "Closed service", ngo, ["cat:children"],
                status="inactive"),
        service("svc:saturday", "Këshillim ligjor për familjet", "Legal advice for families", ngo,
                ["cat:children", "cat:housing"],
                sal_schedules=[schedule("sch:sat", "SA", "09:00", "13:00")]),
    ]
    # Visitors in danger (issue 14): the help line is the urgent-help screen's one line, and the
    # night shelter is sensitive, so its take-aways carry a neutral title.
    services[2]["x_urgent"] = 1
    services[1].update({"x_sensitive": True, "x_neutral_title": "Mbështetje",
                        "x_translations": {**services[1]["x_translations"],
                                           "en": {**services[1]["x_translations"]["en"],
                                                  "x_neutral_title": "Support"}}})
    return feedmod.new_document(
        services, TERMS, version=version,
        taxonomy={"id": uid("taxonomy"), "name": "Kategoritë", "description": "Kategoritë e shërbimeve"},
        generated_at=datetime(2026, 11, 1, 8, tzinfo=timezone.utc),
        expires_at=datetime(2031, 11, 1, 8, tzinfo=timezone.utc))

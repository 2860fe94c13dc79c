"""Catalogues "from another system" for the HSDS tests: an HSDS 3.0 list with each warning case
of issue 15, an HSDS 1.1 CSV datapackage of any size (messy like a real 211 export), and an Open
Referral UK ``/services`` list. All made here: nothing is fetched."""
from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "hsds-examples"
NS = uuid.UUID("9b2f8a64-41c5-4c4e-8d0e-5a7f0f3e6b21")


def uid(*parts: Any) -> str:
    return str(uuid.uuid5(NS, "/".join(map(str, parts))))


def _service(n: int, **fields: Any) -> dict[str, Any]:
    org = {"id": uid("org", n), "name": f"Shoqata {n}", "description": "Një shoqatë e qytetit",
           "website": "https://shoqata.example.org/"}
    loc = {"id": uid("loc", n), "location_type": "physical", "name": f"Zyra {n}",
           "addresses": [{"id": uid("adr", n), "address_1": "Rruga e Kalasë 1", "city": "Elbasan",
                          "state_province": "Elbasan", "postal_code": "3001", "country": "AL",
                          "address_type": "physical"}]}
    svc = {"id": uid("svc", n), "name": f"Shërbimi {n}", "description": "Ndihmë për familjet.",
           "status": "active", "organization": org,
           "phones": [{"id": uid("tel", n), "number": "+355 54 200 100"}],
           "service_at_locations": [{"id": uid("sal", n), "location": loc}],
           "attributes": [{"id": uid("attr", n), "link_type": "service_category", "link_entity": "service",
                           "taxonomy_term": {"id": uid("term", "child"), "name": "Strehim",
                                             "description": "Strehim", "parent_id": uid("term", "gone"),
                                             "term_uri": "http://taxonomy.example.org/strehim"}}]}
    svc.update(fields)
    return svc


def other_system_list() -> list[dict[str, Any]]:
    """HSDS 3.0 services with every warning case of issue 15 once, and an emoji that must stay."""
    http = _service(1, url="http://sherbimi.example.org/")
    http["organization"]["website"] = "http://shoqata.example.org/"
    schemes = _service(2, url="javascript:alert(document.cookie)")
    schemes["organization"]["website"] = "data:text/html,<script>x</script>"
    schemes["service_at_locations"][0]["location"]["url"] = "file:///etc/passwd"
    metadata = _service(3, required_documents=[{"id": uid("doc", 3), "document": "Kartë identiteti",
                                                "uri": "http://forms.example.org/id"}],
                        service_areas=[{"id": uid("area", 3), "name": "Elbasan", "uri": "http://areas.example.org/"}],
                        schedules=[{"id": uid("sch", 3), "freq": "WEEKLY", "byday": "MO", "opens_at": "08:00",
                                    "closes_at": "16:00", "schedule_link": "http://hours.example.org/"}])
    metadata["organization"]["uri"] = "http://registry.example.org/org/3"
    invisible = _service(4, name="Strehë\u202e për gratë\u200b", alternate_name="Familja 👩\u200d👩\u200d👧")
    long_name = _service(5, name="Qendra e shërbimeve sociale " + "për familjet në nevojë " * 8)
    unknown = _service(6, pc_target_audience="Adults", x_other_tool={"rating": 4})
    orphan = _service(7, organization_id=uid("org", "not-in-this-export"))
    del orphan["organization"]
    return [http, schemes, metadata, invisible, long_name, unknown, orphan]


# ------------------------------------------------------------------------- HSDS 1.1 datapackage

LEGACY_COLUMNS = {
    "organizations": ["id", "name", "description", "url", "email"],
    "services": ["id", "organization_id", "name", "description", "url", "email", "status", "fees"],
    "locations": ["id", "organization_id", "name", "latitude", "longitude"],
    "services_at_location": ["id", "service_id", "location_id"],
    "physical_addresses": ["id", "location_id", "address_1", "city", "state_province", "postal_code", "country"],
    "phones": ["id", "service_id", "number", "language"],
    "regular_schedules": ["id", "service_id", "weekday", "opens_at", "closes_at"],
    "holiday_schedules": ["id", "service_id", "closed", "start_date", "end_date"],
    "taxonomy": ["id", "name", "parent_id", "vocabulary"],
    "services_taxonomy": ["id", "service_id", "taxonomy_id"],
    "eligibility": ["id", "service_id", "eligibility"],
    "accessibility_for_disabilities": ["id", "location_id", "accessibility"],
}


def legacy_package(folder: Path, n: int, uid=uid) -> Path:
    """An HSDS 1.1 package of ``n`` services without a datapackage.json. Like a real export, it
    is messy: every 10th service names an organization that is not in it, every 50th has no
    name, every 100th has no way to reach it. ``uid`` makes its ids (UUIDs by default)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in LEGACY_COLUMNS}
    rows["taxonomy"] += [{"id": uid("t", 0), "name": "Ndihmë sociale", "vocabulary": "elbasan"},
                         {"id": uid("t", 1), "name": "Strehim", "parent_id": uid("t", 0), "vocabulary": "elbasan"}]
    orgs = max(1, n // 20)
    for o in range(orgs):
        rows["organizations"].append({"id": uid("o", o), "name": f"Organizata {o}", "description": "OJF",
                                      "url": f"http://org{o}.example.org/"})
    for i in range(n):
        sid = uid("s", i)
        unreachable = i % 100 == 42
        org = uid("o", "missing", i) if i % 10 == 9 or unreachable else uid("o", i % orgs)
        rows["services"].append({"id": sid, "organization_id": org, "name": "" if i % 50 == 7 else f"Shërbim {i}",
                                 "description": "Përshkrim i shërbimit.", "status": "active",
                                 "url": "" if unreachable else f"https://s{i}.example.org/", "fees": "Falas"})
        rows["services_taxonomy"].append({"id": uid("st", i), "service_id": sid, "taxonomy_id": uid("t", i % 2)})
        rows["eligibility"].append({"id": uid("e", i), "service_id": sid, "eligibility": "Banorë të Elbasanit"})
        rows["regular_schedules"] += [{"id": uid("r", i, d), "service_id": sid, "weekday": d, "opens_at": "08:00",
                                       "closes_at": "16:00"} for d in (1, 3, 5)]
        if unreachable:
            continue
        rows["phones"].append({"id": uid("p", i), "service_id": sid, "number": "+355 54 200 100", "language": "sq"})
        lid = uid("l", i)
        rows["locations"].append({"id": lid, "organization_id": org, "name": f"Zyra {i}", "latitude": "41.11",
                                  "longitude": "20.08"})
        rows["services_at_location"].append({"id": uid("sal", i), "service_id": sid, "location_id": lid})
        rows["physical_addresses"].append({"id": uid("a", i), "location_id": lid, "address_1": "Rruga Qemal Stafa",
                                           "city": "Elbasan", "state_province": "Elbasan", "postal_code": "3001",
                                           "country": "AL"})
        if i % 5 == 0:
            rows["accessibility_for_disabilities"].append({"id": uid("acc", i), "location_id": lid,
                                                           "accessibility": "Hyrje pa shkallë"})
    rows["holiday_schedules"].append({"id": uid("h", 0), "service_id": uid("s", 0), "closed": "true",
                                      "start_date": "2026-12-25", "end_date": "2026-12-25"})
    for name, columns in LEGACY_COLUMNS.items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows[name])
    return folder


# ------------------------------------------------------------------------- Open Referral UK list


def oruk_list(path: Path) -> Path:
    services = []
    for i in range(3):
        services.append({
            "id": uid("oruk", i), "name": f"Këshillim {i}" if i != 2 else "", "description": "Këshillim ligjor",
            "url": "https://keshillim.example.org/", "status": "active", "fees": "Falas",
            "deliverable_type": "Advice", "pc_targetAudience": "Adults",
            "organization": {"id": uid("oruk-org", 0), "name": "Qendra Ligjore", "url": "http://ligj.example.org/"},
            "contacts": [{"id": uid("oruk-c", i), "name": "Recepsioni", "phones": [{"id": uid("oruk-p", i),
                                                                                   "number": "+355 54 200 200"}]}],
            "regular_schedules": [{"id": uid("oruk-r", i), "weekday": "Monday", "opens_at": "09:00",
                                   "closes_at": "12:00"}],
            "eligibilitys": [{"id": uid("oruk-e", i), "eligibility": "Mbi 18 vjeç", "minimum_age": 18}],
            "service_taxonomys": [{"id": uid("oruk-st", i), "taxonomy": {"id": uid("oruk-t", 0), "name": "Ligj",
                                                                         "vocabulary": "esd"}}],
            "service_at_locations": [{"id": uid("oruk-sal", i), "location": {
                "id": uid("oruk-l", 0), "name": "Qendra", "latitude": 41.11, "longitude": 20.08,
                "physical_addresses": [{"id": uid("oruk-a", 0), "address_1": "Rruga Aqif Pasha", "city": "Elbasan",
                                        "postal_code": "3001", "country": "AL"}]}}],
            "reviews": [{"id": uid("oruk-rev", i), "score": 5}],
        })
    path.write_text(json.dumps(services, ensure_ascii=False), encoding="utf-8")
    return path

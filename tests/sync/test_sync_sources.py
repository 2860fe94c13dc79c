"""Sources of kiosk-feed build: HSDS JSON, HSDS CSV datapackage, the .xlsx template."""
from __future__ import annotations

import json

import openpyxl
import pytest

from synclib import clean_feed

from sync.feed import document as feedmod
from sync.publish import sources
from sync.feed import verify


def strip_owners(obj):
    """Nested objects without the owner ids that the flat tables need and nesting makes implicit."""
    owners = {"service_id", "organization_id", "location_id", "service_at_location_id", "contact_id",
              "link_id", "link_entity"}
    if isinstance(obj, dict):
        return {k: strip_owners(v) for k, v in obj.items() if k not in owners and v != []}
    if isinstance(obj, list):
        return [strip_owners(v) for v in obj]
    return obj


def by_id(items):
    return {x["id"]: x for x in items}


def test_json_forms(tmp_path):
    doc = clean_feed(1)
    forms = {"list.json": doc["services"], "page.json": {"contents": doc["services"], "total_items": 6},
             "feed.json": doc, "one.json": doc["services"][0]}
    for name, data in forms.items():
        (tmp_path / name).write_text(json.dumps(data, ensure_ascii=False))
        loaded = sources.load_source(tmp_path / name)
        assert loaded.services and loaded.taxonomy_terms
        # Categories come from the services' attributes when the source has no list of them.
        used = {a["taxonomy_term_id"] for s in loaded.services for a in s.get("attributes", [])}
        assert used <= {t["id"] for t in loaded.taxonomy_terms}
    with pytest.raises(feedmod.FeedError):
        (tmp_path / "bad.json").write_text('{"hello": 1}')
        sources.load_source(tmp_path / "bad.json")


def test_csv_datapackage_round_trip(tmp_path):
    doc = clean_feed(1)
    sources.write_datapackage(doc, tmp_path / "pkg")
    meta = json.loads((tmp_path / "pkg" / "datapackage.json").read_text())
    assert {r["path"] for r in meta["resources"]} >= {"services.csv", "organizations.csv", "locations.csv",
                                                      "schedules.csv", "taxonomy_terms.csv", "attributes.csv"}
    loaded = sources.read_datapackage(tmp_path / "pkg")
    original, read = by_id(doc["services"]), by_id(loaded.services)
    assert original.keys() == read.keys()
    for sid, svc in original.items():
        got = read[sid]
        assert strip_owners(got) == strip_owners(svc), sid
    assert by_id(loaded.taxonomy_terms).keys() == by_id(doc["taxonomy_terms"]).keys()
    assert loaded.taxonomy["id"] == doc["taxonomy"]["id"]


def test_csv_reader_tolerates_singular_file_names_and_bom(tmp_path):
    doc = clean_feed(1)
    pkg = sources.write_datapackage(doc, tmp_path / "pkg")
    (pkg / "datapackage.json").unlink()
    text = (pkg / "services.csv").read_text(encoding="utf-8")
    (pkg / "services.csv").unlink()
    (pkg / "service.csv").write_text("\ufeff" + text, encoding="utf-8")
    loaded = sources.read_datapackage(pkg)
    assert len(loaded.services) == 6


def test_spreadsheet_round_trip(tmp_path):
    doc = clean_feed(1)
    sources.write_template(tmp_path / "c.xlsx", doc)
    loaded = sources.read_template(tmp_path / "c.xlsx")
    read = by_id(loaded.services)
    for svc in doc["services"]:
        got = read[svc["id"]]
        assert got["name"] == svc["name"]
        assert got["x_translations"]["en"]["name"] == svc["x_translations"]["en"]["name"]
        assert got["organization"]["id"] == svc["organization"]["id"]
        assert [a["taxonomy_term_id"] for a in got["attributes"]] == [a["taxonomy_term_id"] for a in svc["attributes"]]
        assert [d["document"] for d in got["required_documents"]] == [d["document"] for d in svc["required_documents"]]
        want = sorted((s["byday"], s["opens_at"], s["closes_at"]) for sal in svc["service_at_locations"]
                      for s in sal.get("schedules", [])) + sorted(
            (s["byday"], s["opens_at"], s["closes_at"]) for s in svc.get("schedules", []))
        have = sorted((s["byday"], s["opens_at"], s["closes_at"]) for sal in got.get("service_at_locations", [])
                      for s in sal.get("schedules", [])) + sorted(
            (s["byday"], s["opens_at"], s["closes_at"]) for s in got.get("schedules", []))
        assert have == want
    terms = by_id(loaded.taxonomy_terms)
    nursery = next(t for t in doc["taxonomy_terms"] if t["name"].startswith("Çerdhe"))
    assert terms[nursery["id"]]["parent_id"] == nursery["parent_id"]


def staff_workbook(path, services_rows):
    """A template filled the way staff would: codes, not UUIDs."""
    sources.write_template(path)
    wb = openpyxl.load_workbook(path)

    def add(sheet, **values):
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        ws.append([values.get(h) for h in header])

    add("categories", code="femije", name="Fëmijë", name_en="Children", icon="children", order=1)
    add("categories", code="cerdhe", name="Çerdhe", name_en="Nurseries", parent="femije", order=1)
    add("organizations", code="bashkia", name="Bashkia Elbasan", name_en="Elbasan Municipality",
        website="https://example.org/", phone="+355 54 200 100\n+355 54 200 101", demo="po")
    add("locations", code="qendra", name="Qendra", address="Sheshi Qemal Stafa", latitude=41.11,
        longitude=20.08, accessibility="Hyrje pa shkallë", accessibility_en="Step-free entrance")
    for row in services_rows:
        add("services", **row)
    add("schedules", service="cerdhe-1", location="qendra", days="MO,TU,WE,TH,FR", opens="08:00",
        closes="16:00", notes="Pushim 12-13", notes_en="Break 12-1")
    wb.save(path)


def test_staff_filled_spreadsheet_builds_a_valid_feed(tmp_path):
    path = tmp_path / "staff.xlsx"
    staff_workbook(path, [dict(code="cerdhe-1", name="Çerdhja nr. 1", name_en="Nursery no. 1",
                               organization="bashkia", categories="cerdhe", locations="qendra",
                               documents="Kartë identiteti\nCertifikatë familjare",
                               documents_en="Identity card\nFamily certificate", languages="sq, en",
                               minimum_age=1, maximum_age=3, demo="po")])
    loaded = sources.read_template(path)
    doc = feedmod.new_document(loaded.services, loaded.taxonomy_terms, version=1, taxonomy=loaded.taxonomy,
                               expires_at=feedmod.utcnow().replace(year=2031))
    verify.check_content(doc)  # HSDS-valid and sensible
    svc = doc["services"][0]
    assert svc["id"] == sources.code_id("service", "cerdhe-1")  # stable from one build to the next
    assert svc["required_documents"][1]["x_translations"]["en"]["document"] == "Family certificate"
    assert len(svc["organization"]["phones"]) == 2 and svc["organization"]["x_demo"] is True
    sal = svc["service_at_locations"][0]
    assert sal["schedules"][0]["opens_at"] == "08:00" and sal["location"]["latitude"] == 41.11
    assert loaded.taxonomy_terms[1]["parent_id"] == loaded.taxonomy_terms[0]["id"]


@pytest.mark.parametrize("row, message", [
    (dict(code="x", name="X", organization="nobody"), "unknown organization"),
    (dict(code="x", name="X", organization="bashkia", categories="nope"), "unknown category"),
    (dict(code="x", name="X", organization="bashkia", locations="nowhere"), "unknown location"),
    (dict(code="x", organization="bashkia"), "without name"),
])
def test_spreadsheet_mistakes_are_reported(tmp_path, row, message):
    path = tmp_path / "staff.xlsx"
    staff_workbook(path, [row])
    with pytest.raises(feedmod.FeedError) as err:
        sources.read_template(path)
    assert message in err.value.detail


def test_not_a_spreadsheet(tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"not a zip")
    with pytest.raises(feedmod.FeedError):
        sources.load_source(tmp_path / "x.xlsx")

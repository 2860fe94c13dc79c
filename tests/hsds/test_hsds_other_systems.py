"""Issue 15 with catalogues from other systems, made in hsdslib: every warning case of the issue,
every shape HSDS 3.0 publishes, HSDS 1.1 packages (4,000 services: timed) and Open Referral UK
lists converted, and what is still refused."""
from __future__ import annotations

import json
import time
from collections import Counter

import pytest
from hsdslib import EXAMPLES, legacy_package, other_system_list, oruk_list, uid

from kiosk.catalogue import models as m
from kiosk.catalogue.export import export_document
from kiosk.catalogue.store import Catalogue
from kiosk.handoff.links import https_url, is_allowed
from sync.feed import signing
from sync.feed.findings import FeedRefused
from sync.publish import build as publish, sources
from sync.publish.cli import main
from sync.publish.datapackage import write_datapackage


@pytest.fixture
def other(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps(other_system_list(), ensure_ascii=False), encoding="utf-8")
    return path


def by_id(doc):
    return {s["id"]: s for s in doc["services"]}


def test_each_warning_case_is_mended_or_kept_and_listed(other, capsys):
    doc, findings = publish.check_source(other)
    assert not findings.errors
    got = Counter((f.record.id, f.code, f.field) for f in findings)
    s = {n: uid("svc", n) for n in range(1, 8)}
    assert got[(s[1], "http_url", "url")] == got[(s[1], "http_url", "organization.website")] == 1
    assert got[(s[2], "url_dropped", "url")] == got[(s[2], "url_dropped", "organization.website")] == 1
    assert got[(s[2], "url_dropped", "service_at_locations[0].location.url")] == 1
    assert not [f for f in findings if f.record.id == s[3]]          # metadata addresses: kept, unremarked
    assert got[(s[4], "invisible", "name")] == 1
    assert got[(s[5], "display_cap", "name")] == 1
    assert got[(s[6], "unknown_field", "pc_target_audience")] == got[(s[6], "unknown_field", "x_other_tool")] == 1
    assert got[(s[7], "no_organization", "organization_id")] == 1
    assert got[(uid("term", "child"), "dangling_parent", "parent_id")] == 1
    services = by_id(doc)
    assert services[s[1]]["url"] == "http://sherbimi.example.org/"
    assert "url" not in services[s[2]] and "website" not in services[s[2]]["organization"]
    assert services[s[3]]["required_documents"][0]["uri"] == "http://forms.example.org/id"
    assert services[s[3]]["schedules"][0]["schedule_link"] == "http://hours.example.org/"
    assert services[s[4]]["name"] == "Strehë për gratë"
    assert services[s[4]]["alternate_name"] == "Familja 👩\u200d👩\u200d👧"   # the emoji's joiners stay
    assert len(services[s[5]]["name"]) > 120
    assert services[s[7]]["organization"]["id"] == uid("org", "not-in-this-export")
    assert doc["taxonomy_terms"][0]["parent_id"] == uid("term", "gone")
    assert main(["check", str(other), "--lang", "sq"]) == 0
    out = capsys.readouterr().out
    assert f"shërbimi {s[2]} «Shërbimi 2»" in out and "adresë javascript:: u hoq" in out
    assert out.strip().endswith("0 gabime, 11 paralajmërime")


def test_the_kiosk_shows_http_as_text_and_keeps_unknown_fields(other, tmp_path):
    key = signing.generate()
    publish.build_feed(other, tmp_path / "www", key)
    feed = json.loads((tmp_path / "www" / "feed.json").read_bytes())
    cat = Catalogue(tmp_path / "kiosk.sqlite3")
    cat.create_schema()
    try:
        cat.load(feed)
        with cat.session() as session:
            http = session.get(m.Service, uid("svc", 1))
            term = session.get(m.TaxonomyTerm, uid("term", "child"))
            assert http.url == "http://sherbimi.example.org/"
            assert https_url(http.url) is None and not is_allowed(http.url)   # never a link or a QR code
            assert term.parent_id is None                                      # shown at the top
            exported = by_id(export_document(session))
    finally:
        cat.dispose()
    unknown = exported[uid("svc", 6)]
    assert unknown["pc_target_audience"] == "Adults" and unknown["x_other_tool"] == {"rating": 4}
    assert exported[uid("svc", 3)]["service_areas"][0]["uri"] == "http://areas.example.org/"
    term = exported[uid("svc", 1)]["attributes"][0]["taxonomy_term"]
    assert term["parent_id"] == uid("term", "gone") and term["term_uri"] == "http://taxonomy.example.org/strehim"
    # ... and the CSV datapackage carries them back unchanged too.
    write_datapackage(feed, tmp_path / "pkg")
    again = {s["id"]: s for s in sources.load_source(tmp_path / "pkg").services}
    assert again[uid("svc", 6)]["x_other_tool"] == {"rating": 4}


@pytest.mark.parametrize("mutate, code", [
    (lambda s: s[0].update(name="Strehë\x00"), "control_char"),
    (lambda s: s.append(dict(s[0])), "duplicate_id"),
    (lambda s: s[0].pop("name"), "no_name"),
    (lambda s: s[0].update(description="x" * 20_001), "too_long"),
])
def test_errors_still_refuse(tmp_path, mutate, code, capsys):
    services = other_system_list()
    mutate(services)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(services), encoding="utf-8")
    assert main(["check", str(path), "--lang", "en"]) == 1
    assert "error:" in capsys.readouterr().out
    with pytest.raises(FeedRefused) as err:
        publish.build_feed(path, tmp_path / "www", signing.generate())
    assert code in [f.code for f in err.value.findings.errors]
    assert not (tmp_path / "www" / "feed.json").exists()


def test_every_shape_hsds_publishes(tmp_path):
    service = json.loads((EXAMPLES / "service_full.json").read_text(encoding="utf-8"))
    org = json.loads((EXAMPLES / "organization_full.json").read_text(encoding="utf-8"))
    shapes = {"one.json": json.dumps(service), "list.json": json.dumps([service]),
              "page.json": (EXAMPLES / "service_list.json").read_text(encoding="utf-8"),
              "organization.json": json.dumps(org),
              "lines.ndjson": json.dumps(service) + "\n\n" + json.dumps(org) + "\n"}
    for name, text in shapes.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        loaded = sources.load_source(tmp_path / name)
        assert [s["id"] for s in loaded.services][:1] == [service["id"]], name
        assert loaded.services[0]["organization"]["name"] == "Example Organization Inc.", name
    csv_only = tmp_path / "no-package"
    csv_only.mkdir()
    for path in (EXAMPLES / "csv").glob("*.csv"):
        (csv_only / path.name).write_bytes(path.read_bytes())
    assert sources.load_source(csv_only).services[0]["service_at_locations"][0]["location"]["name"] == \
        "MyCity Civic Center"
    (tmp_path / "broken.ndjson").write_text(json.dumps(service) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(sources.SourceError, match="line 2"):
        sources.load_source(tmp_path / "broken.ndjson")


def test_a_hostile_source_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    path.write_text("[" + ",".join(["{}"] * 1000) + "]")
    monkeypatch.setattr(sources, "MAX_JSON_BYTES", 1000)
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("read a file over the cap"))
    with pytest.raises(sources.SourceError, match="over"):
        sources.load_source(path)


def test_hsds_1_1_package_is_converted_with_warnings(tmp_path):
    folder = legacy_package(tmp_path / "legacy", 200)
    doc, findings = publish.check_source(folder)
    assert not findings.errors
    codes = Counter(f.code for f in findings)
    assert codes["converted"] == 1
    assert codes["record_dropped"] == 4 + 2          # 4 without a name, 2 with no way to reach them
    assert codes["no_organization"] == 20             # every 10th names an organization not in it
    dropped_fields = {(f.record.id, f.field) for f in findings if f.code == "no_place"}
    assert ("holiday_schedules.csv", "1 rows") in dropped_fields
    assert any(field.endswith(".language") for _rec, field in dropped_fields)
    services = by_id(doc)
    assert len(services) == 200 - 6
    first = services[uid("s", 0)]
    assert [s["byday"] for s in first["schedules"]] == ["MO", "WE", "FR"]
    assert first["organization"]["website"] == "http://org0.example.org/"
    assert first["eligibility_description"] == "Banorë të Elbasanit"
    assert first["service_at_locations"][0]["location"]["addresses"][0]["city"] == "Elbasan"
    assert first["attributes"][0]["taxonomy_term"]["name"] == "Ndihmë sociale"
    child = next(t for t in doc["taxonomy_terms"] if t["name"] == "Strehim")
    assert child["parent_id"] == uid("t", 0)


def test_4000_services_in_an_older_profile_import_in_under_30_s_and_the_kiosk_opens_them(tmp_path):
    folder = legacy_package(tmp_path / "legacy", 4000)
    t0 = time.perf_counter()
    result = publish.build_feed(folder, tmp_path / "www", signing.generate())
    seconds = time.perf_counter() - t0
    print(f"\n4,000-service HSDS 1.1 package: built into a signed feed in {seconds:.1f} s "
          f"({result.services} services, {len(result.findings)} findings)")
    assert result.services == 4000 - 80 - 40 and seconds < 30
    cat = Catalogue(tmp_path / "kiosk.sqlite3")
    cat.create_schema()
    try:
        t0 = time.perf_counter()
        count = cat.load(json.loads((tmp_path / "www" / "feed.json").read_bytes()))
        print(f"kiosk catalogue loaded in {time.perf_counter() - t0:.1f} s")
        assert count == result.services and cat.info().service_count == count
    finally:
        cat.dispose()


def test_open_referral_uk_list_is_converted(tmp_path):
    path = oruk_list(tmp_path / "services.json")
    doc, findings = publish.check_source(path)
    assert not findings.errors
    services = by_id(doc)
    assert len(services) == 2                                  # the one without a name is dropped
    svc = services[uid("oruk", 0)]
    assert svc["pc_targetAudience"] == "Adults"                # extras kept
    assert svc["schedules"][0]["byday"] == "MO" and svc["minimum_age"] == 18
    assert svc["fees_description"] == "Falas" and svc["organization"]["website"] == "http://ligj.example.org/"
    assert svc["attributes"][0]["taxonomy_term"]["taxonomy"] == "esd"
    assert svc["service_at_locations"][0]["location"]["addresses"][0]["address_type"] == "physical"
    no_place = {f.field for f in findings if f.code == "no_place"}
    assert {"deliverable_type", "reviews"} <= no_place
    assert Counter(f.code for f in findings)["record_dropped"] == 1


def test_nothing_usable_left_is_refused(tmp_path):
    path = tmp_path / "services.json"
    path.write_text(json.dumps([{"id": uid("x", 1), "name": "", "regular_schedules": []}]), encoding="utf-8")
    with pytest.raises(FeedRefused, match="nothing usable"):
        sources.load_source(path)


def test_a_package_whose_rows_repeat_an_id_is_refused(tmp_path, capsys):
    folder = tmp_path / "pkg"
    folder.mkdir()
    for path in (EXAMPLES / "csv").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    rows = (folder / "services.csv").read_text(encoding="utf-8").splitlines()
    (folder / "services.csv").write_text("\n".join(rows + rows[1:]) + "\n", encoding="utf-8")
    assert main(["check", str(folder), "--lang", "en"]) == 1
    assert "services.csv\n  error: row 3: the id ac148810-d857-441c-9679-408f346de14b is used twice" in \
        capsys.readouterr().out


def test_numbered_ids_of_an_older_export_become_stable_uuids(tmp_path):
    def numbered(*parts):
        return "-".join(map(str, parts))

    doc, findings = publish.check_source(legacy_package(tmp_path / "legacy", 30, uid=numbered))
    assert not findings.errors
    assert {f.record.id for f in findings if f.code == "ids_replaced"} >= {"service", "organization", "location"}
    again, _ = publish.check_source(tmp_path / "legacy")
    assert [s["id"] for s in doc["services"]] == [s["id"] for s in again["services"]]   # stable
    first = doc["services"][0]
    assert first["organization"]["id"] == first["organization_id"] != "o-0"
    assert first["attributes"][0]["taxonomy_term"]["name"] == "Ndihmë sociale"

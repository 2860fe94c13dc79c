"""Issue 15 with the specification's own examples (tests/data/hsds-examples): each one is read,
checked (warnings, no errors), built into a signed feed that a kiosk loads, exported as JSON and
as a CSV datapackage that frictionless validates against our datapackage.json and against the
specification's, and read back into the same catalogue."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from frictionless import Package, system
from hsdslib import EXAMPLES

from kiosk.catalogue.export import export_document
from kiosk.catalogue.store import Catalogue
from sync.feed import document as feedmod
from sync.feed import signing
from sync.publish import build as publish
from sync.publish.cli import main
from sync.publish.datapackage import flatten, write_datapackage

# What each example prints (the warnings, by code); none has an error. The examples place their
# location at latitude 100, which is no place on Earth: dropped (out_of_range); their schedule
# ("count": 3) is a rule the kiosk does not follow, said once per copy (schedule_unhonoured). The
# API page is 1 of 10 services (partial_page); its service and the CSV one are in no category.
EXPECTED = {
    "service_full.json": {"http_url": 6, "dangling_ref": 1, "dangling_parent": 1, "out_of_range": 2,
                          "schedule_unhonoured": 4},
    "organization_full.json": {"http_url": 6, "dangling_ref": 1, "dangling_parent": 1, "out_of_range": 2,
                               "schedule_unhonoured": 4},
    "service_list.json": {"http_url": 2, "dangling_ref": 1, "partial_page": 1, "no_category": 1},
    "csv": {"orphan_row": 2, "table_dropped": 1, "http_url": 4, "dangling_ref": 7, "dangling_parent": 1,
            "out_of_range": 1, "schedule_unhonoured": 3, "no_category": 1},
}
SPEC_PACKAGE = json.loads((EXAMPLES / "csv" / "datapackage.json").read_text(encoding="utf-8"))


def checked(source: Path) -> dict:
    doc, findings = publish.check_source(source)
    assert not findings.errors, [f.text() for f in findings.errors]
    return doc


def frictionless_errors(folder: Path, descriptor: dict) -> list[str]:
    with system.use_context(trusted=True):
        report = Package(descriptor, basepath=str(folder)).validate()
    return [f"{task.name}: {error.type}: {error.note}" for task in report.tasks for error in task.errors]


@pytest.mark.parametrize("name", EXPECTED)
def test_check_prints_the_warnings_and_passes(name, capsys):
    assert main(["check", str(EXAMPLES / name), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith(f"0 errors, {sum(EXPECTED[name].values())} warnings"), out
    _doc, findings = publish.check_source(EXAMPLES / name)
    assert Counter(f.code for f in findings) == EXPECTED[name]
    assert "url: an http: address: kept; the kiosk shows it as text only" in out
    assert main(["check", str(EXAMPLES / name), "--lang", "sq"]) == 0
    assert "paralajmërim" in capsys.readouterr().out


@pytest.mark.parametrize("name", EXPECTED)
def test_build_publishes_and_a_kiosk_loads_every_field(name, tmp_path):
    key = signing.generate()
    result = publish.build_feed(EXAMPLES / name, tmp_path / "www", key)
    assert result.services == 1 and Counter(f.code for f in result.findings) == EXPECTED[name]
    publish.verify_dir(tmp_path / "www", [key.public])
    feed = json.loads((tmp_path / "www" / "feed.json").read_bytes())
    service = feed["services"][0]
    assert service["url"] == "http://example.com/counselling"   # kept: the kiosk shows it as text
    cat = Catalogue(tmp_path / "kiosk.sqlite3")
    cat.create_schema()
    try:
        cat.load(feed, source="example")
        with cat.session() as session:
            exported = export_document(session)
    finally:
        cat.dispose()
    # The kiosk gives back every record of every table, with every field the feed had.
    assert _records(flatten(exported)) >= _records(flatten(feed))


def _records(tables: dict) -> set:
    """Every (table, id, field, value), apart from the owner ids that nesting implies and what
    the kiosk's typed columns normalize: numbers (100 and 100.0), times (to the second), and
    the kind of link of a category (``service_category``)."""
    owners = {"organization_id", "service_id", "location_id", "service_at_location_id", "contact_id", "link_id",
              "link_entity", "resource_id", "resource_type", "phone_id", "program_id", "taxonomy_term_id",
              "taxonomy_id", "link_type"}

    def normal(key, value):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if key == "last_modified":
            return value[:19]
        return value

    return {(table, ident, key, json.dumps(normal(key, value), sort_keys=True)) for table, rows in tables.items()
            for ident, row in rows.items() for key, value in row.items() if key not in owners}


@pytest.mark.parametrize("name", EXPECTED)
def test_csv_export_validates_with_frictionless_both_ways(name, tmp_path):
    doc = checked(EXAMPLES / name)
    folder = write_datapackage(doc, tmp_path / "pkg")
    ours = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert frictionless_errors(folder, ours) == []
    assert frictionless_errors(folder, SPEC_PACKAGE) == []
    standard = [r["path"] for r in SPEC_PACKAGE["resources"]]
    assert [r["path"] for r in ours["resources"]] == standard + ["x_translations.csv", "x_fields.csv"]
    for res in SPEC_PACKAGE["resources"]:
        header = (folder / res["path"]).read_text(encoding="utf-8").splitlines()[0]
        assert header == ",".join(f["name"] for f in res["schema"]["fields"]), res["path"]


def test_sample_catalogue_export_validates_with_frictionless(tmp_path):
    """Our own catalogue: translations, icons and orders in the extension tables only."""
    doc = checked(Path(__file__).resolve().parents[2] / "assets" / "sample" / "catalogue.json")
    folder = write_datapackage(doc, tmp_path / "pkg")
    assert frictionless_errors(folder, json.loads((folder / "datapackage.json").read_text())) == []
    assert frictionless_errors(folder, SPEC_PACKAGE) == []
    assert not (folder / "service_at_locations.csv").exists()
    terms = (folder / "taxonomy_terms.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "x_" not in terms
    fields = {line.split(",")[2] for line in (folder / "x_fields.csv").read_text(encoding="utf-8").splitlines()[1:]}
    assert {"x_icon", "x_order"} <= fields
    assert len((folder / "x_translations.csv").read_text(encoding="utf-8").splitlines()) > 100


@pytest.mark.parametrize("name", EXPECTED)
def test_round_trip_through_json_and_csv_is_the_same_catalogue(name, tmp_path):
    first = checked(EXAMPLES / name)
    write_datapackage(first, tmp_path / "pkg")
    (tmp_path / "feed.json").write_bytes(feedmod.dumps(first))
    for back in (tmp_path / "pkg", tmp_path / "feed.json"):
        again = checked(back)
        assert flatten(again) == flatten(first), back.name
    tables = flatten(first)
    kept = {t for t, rows in tables.items() if rows}
    if name != "service_list.json":
        assert {"program", "funding", "service_area", "cost_option", "language", "contact", "accessibility",
                "phone", "schedule", "address", "required_document", "organization_identifier"} <= kept, kept

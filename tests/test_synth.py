"""The synthetic catalogue generator (sync.publish.synth): deterministic, HSDS-valid, Albanian with English."""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from sync.feed import document as feedmod
from sync.publish import synth

HSDS_SERVICE_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "hsds" / "service.json"
ICONS = {"economic-assistance", "disability", "children", "domestic-violence", "employment", "housing",
         "legal-aid", "elderly", "youth", "women", "health", "information"}


@pytest.fixture(scope="module")
def doc300() -> dict:
    return synth.generate(300, seed=7)


@pytest.fixture(scope="module")
def validator():
    import jsonschema

    if not HSDS_SERVICE_SCHEMA.exists():
        pytest.skip(f"HSDS schema not found at {HSDS_SERVICE_SCHEMA}")
    schema = json.loads(HSDS_SERVICE_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_same_seed_same_bytes_other_seed_differs():
    first = feedmod.dumps(synth.generate(200, seed=5))
    assert first == feedmod.dumps(synth.generate(200, seed=5))
    assert first != feedmod.dumps(synth.generate(200, seed=6))
    assert feedmod.dumps(synth.generate(200, seed=5, version=9)) != first


def test_streamed_bytes_equal_dumps_of_generate(tmp_path):
    doc = synth.generate(120, seed=4, version=3)
    expected = feedmod.dumps(doc)
    assert b"".join(synth.iter_bytes(120, seed=4, version=3)) == expected
    out = tmp_path / "feed.json"
    assert synth.write(out, 120, seed=4, version=3) == len(expected)
    assert out.read_bytes() == expected
    assert b"".join(synth.iter_bytes(0, seed=4)) == feedmod.dumps(synth.generate(0, seed=4))


def test_envelope_and_counts(doc300):
    info = feedmod.info(doc300)
    assert info.service_count == 300 and info.version == 1 and info.demo
    assert doc300["generated_at"] == "2026-11-01T08:00:00Z"
    assert doc300["expires_at"] == "2031-11-01T08:00:00Z"
    assert doc300["languages"] == ["sq", "en"] and doc300["default_language"] == "sq"
    orgs = {s["organization"]["id"] for s in doc300["services"]}
    assert 300 // 8 - 5 <= len(orgs) <= 300 // 8 + 1
    assert len({s["id"] for s in doc300["services"]}) == 300
    assert synth.generate(5)["services"] and len({s["organization"]["id"]
                                                  for s in synth.generate(5)["services"]}) == 3
    assert synth.generate(0)["services"] == []


def test_category_tree(doc300):
    terms = doc300["taxonomy_terms"]
    top = [t for t in terms if not t["parent_id"]]
    assert len(top) == 12 and {t["x_icon"] for t in top} == ICONS
    assert sorted(t["x_order"] for t in top) == list(range(1, 13))
    by_id = {t["id"]: t for t in terms}
    seen = set()
    for t in terms:   # parents before children, two levels
        assert t["parent_id"] is None or (t["parent_id"] in seen and by_id[t["parent_id"]]["parent_id"] is None)
        assert isinstance(t["x_order"], int) and t["x_icon"] in ICONS
        assert t["taxonomy_id"] == doc300["taxonomy"]["id"]
        assert t["x_translations"]["en"]["name"]
        seen.add(t["id"])
    assert len(terms) - 12 >= 30


def test_every_service_validates_against_hsds(doc300, validator):
    for svc in doc300["services"]:
        errors = list(validator.iter_errors(svc))
        assert not errors, f"{svc['name']}: {errors[0].message} at {list(errors[0].absolute_path)}"


def test_shape_of_services(doc300):
    term_ids = {t["id"] for t in doc300["taxonomy_terms"]}
    weekend = crossing = 0
    for svc in doc300["services"]:
        assert svc["x_demo"] is True and svc["organization"]["x_demo"] is True
        assert svc["organization_id"] == svc["organization"]["id"]
        assert 1 <= len(svc["service_at_locations"]) <= 2
        assert 2 <= len(svc["required_documents"]) <= 4
        assert svc["languages"][0]["code"] == "sq"
        assert 1 <= svc["description"].count(".") <= 4   # 1-4 sentences
        assert 1 <= len(svc["attributes"]) <= 2
        for attr in svc["attributes"]:
            assert attr["taxonomy_term_id"] in term_ids
            assert attr["taxonomy_term"]["id"] == attr["taxonomy_term_id"]
        for sal in svc["service_at_locations"]:
            loc = sal["location"]
            assert loc["location_type"] == "physical"
            assert 40.4 < loc["latitude"] < 41.4 and 19.5 < loc["longitude"] < 21.0
            addr = loc["addresses"][0]
            assert addr["country"] == "AL" and addr["address_type"] == "physical" and addr["postal_code"]
        for phone in svc["phones"] + svc["organization"]["phones"]:
            assert phone["number"].startswith("+355 54 ")
        schedules = (svc["schedules"] + [s for sal in svc["service_at_locations"] for s in sal["schedules"]]
                     + [s for sal in svc["service_at_locations"] for s in sal["location"].get("schedules", [])])
        for s in schedules:
            assert s["freq"] == "WEEKLY" and len(s["opens_at"]) == 5 and len(s["closes_at"]) == 5
            weekend += "SA" in s["byday"] or "SU" in s["byday"]
            crossing += s["closes_at"] < s["opens_at"]
        for key in ("name", "description", "eligibility_description", "application_process",
                    "fees_description"):
            assert svc["x_translations"]["en"][key]
    assert weekend and crossing


def test_albanian_text_with_diacritics_and_english(doc300):
    text = feedmod.dumps(doc300).decode("utf-8")
    for letter in "ëçÇ":
        assert letter in text
    names = [s["name"] for s in doc300["services"]]
    assert len(set(names)) >= 0.9 * len(names)
    assert len({n.split()[0] for n in names}) >= 20   # prefixes worth searching
    assert any(c in "ëç" for s in doc300["services"] for c in s["description"])
    for place in ("Elbasan", "Cërrik"):
        assert place in text
    en = " ".join(s["x_translations"]["en"]["description"] for s in doc300["services"])
    assert " the " in en or " for " in en


def test_uuids_are_version_4_and_unique():
    doc = synth.generate(40, seed=2)
    ids = []

    def walk(obj):
        if isinstance(obj, dict):
            for key, value in obj.items():
                if key == "id":
                    ids.append(value)
                walk(value)
        elif isinstance(obj, list):
            for value in obj:
                walk(value)

    walk(doc)
    for value in ids:
        parsed = uuid.UUID(value)
        assert parsed.version == 4 and str(parsed) == value
    # ids repeat only where HSDS nests the same object (organizations, locations, terms)
    nested = {s["organization"]["id"] for s in doc["services"]}
    assert len(ids) > 40 * 10 and nested <= set(ids)


def test_feed_loads_its_own_dump(doc300):
    again = feedmod.loads(feedmod.dumps(doc300))
    assert again == json.loads(json.dumps(doc300))
    assert feedmod.is_demo(again)


def test_cli_writes_a_feed(tmp_path, capsys):
    out = tmp_path / "synth.json"
    assert synth.main(["--services", "50", "--seed", "3", "--out", str(out)]) == 0
    data = out.read_bytes()
    doc = feedmod.loads(data)
    assert len(doc["services"]) == 50 and doc["version"] == 1
    assert data == feedmod.dumps(synth.generate(50, seed=3))
    assert synth.main(["--services", "50", "--seed", "3", "--out", str(out), "--version", "8"]) == 0
    assert feedmod.loads(out.read_bytes())["version"] == 8
    assert not list(tmp_path.glob("*.tmp"))


def test_sync_synth_does_not_import_the_kiosk():
    import subprocess
    import sys

    code = ("import sys, sync.publish.synth; "
            "sys.exit(any(m == 'kiosk' or m.startswith('kiosk.') for m in sys.modules))")
    root = Path(__file__).resolve().parents[1]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0

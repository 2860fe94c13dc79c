"""Staff read the checks in their language: jsonschema's errors and the source errors have
message codes with an English and an Albanian text, never jsonschema's or Python's English."""
from __future__ import annotations

import json

import pytest

from synclib import clean_feed

from sync.feed import verify
from sync.feed.document import FeedError
from sync.feed.findings import MESSAGES, error_text
from sync.publish import sources
from sync.publish.cli import main

ENGLISH = ("is a required property", "is not of type", "is not one of", "is not a '", "codec can't decode",
           "nested too deeply", "Expecting", "is too short", "is too long")


@pytest.mark.parametrize("mutate, code, sq", [
    (lambda s: s["phones"][0].pop("number"), "schema_required", "mungon number"),
    (lambda s: s.update(minimum_age="eighteen"), "schema_type_number", "'eighteen' nuk është numër"),
    (lambda s: s.update(status="sometimes"), "schema_enum", "'sometimes' nuk është një nga: active"),
    (lambda s: s.update(id="NURSERY-001"), "schema_format", "'NURSERY-001' nuk është uuid"),
])
def test_schema_errors_have_codes_in_both_languages(mutate, code, sq):
    doc = clean_feed(2)
    service = doc["services"][0]
    service.setdefault("phones", [{"id": "00000000-0000-4000-8000-0000000000f1", "number": "054 1"}])
    mutate(service)
    [error] = verify.conform(doc).errors
    assert error.code == code
    assert sq in error.message("sq") and "HSDS 3.0" in error.message("en")
    assert not any(words in error.message("sq") for words in ENGLISH), error.message("sq")
    assert error.params["detail"]      # jsonschema's own words stay for the record


def test_length_and_extra_field_errors_have_codes():
    from sync.feed.schema import _error_finding

    class Fake:
        def __init__(self, validator, value, instance, schema=None):
            self.validator, self.validator_value, self.instance = validator, value, instance
            self.schema, self.message = schema or {}, "english"

    assert _error_finding(Fake("minLength", 1, ""))[0] == "schema_minlength"
    assert _error_finding(Fake("maxLength", 5, "toolong"))[0] == "schema_maxlength"
    code, params = _error_finding(Fake("additionalProperties", False, {"a": 1, "zz": 2}, {"properties": {"a": {}}}))
    assert code == "schema_extra" and params["names"] == "zz"
    for code in ("schema_minlength", "schema_maxlength", "schema_extra", "schema_required", "schema_type_number",
                 "schema_enum", "schema_format"):
        en, sq = MESSAGES[code]
        assert en != sq


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data, code, sq", [
    ('[{"id": "a", "name": "Qendra ë"}]'.encode("cp1252"), "source_not_utf8", "nuk është tekst UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "source_too_deep", "JSON i futur shumë thellë"),
    (b'[{"id": 1}] trailing', "source_not_json", "nuk është JSON"),
    (b'{"hello": 1}', "source_shape", "nuk është listë shërbimesh"),
])
def test_source_errors_have_codes(tmp_path, capsys, data, code, sq):
    path = write(tmp_path, "src.json", data)
    with pytest.raises(FeedError) as err:
        sources.load_source(path)
    assert err.value.message_code == code
    assert sq in error_text(err.value, "sq")
    assert main(["check", str(path), "--lang", "sq"]) == 1
    printed = capsys.readouterr().err
    assert printed.startswith("u refuzua: ") and sq in printed
    assert not any(words in printed for words in ENGLISH), printed


def test_the_refusal_of_a_build_is_in_the_staff_language(tmp_path, capsys):
    from sync.feed import signing

    doc = clean_feed(1)
    doc["services"][0]["status"] = "sometimes"
    src = write(tmp_path, "feed.json", json.dumps(doc, ensure_ascii=False).encode())
    key = tmp_path / "k.key"
    signing.write_keypair(signing.generate(), key, tmp_path / "k.pub")
    assert main(["build", "--from", str(src), "--out", str(tmp_path / "www"), "--key", str(key),
                 "--lang", "sq"]) == 1
    printed = capsys.readouterr().err
    assert "u refuzua: shërbimi" in printed and "nuk është një nga" in printed
    assert not any(words in printed for words in ENGLISH), printed



def test_a_refusal_names_its_first_error_and_counts_the_others_in_both_languages():
    from sync.feed.findings import FeedRefused, Findings, Record

    doc = clean_feed(3)
    for service in doc["services"]:
        service["status"] = "sometimes"
    with pytest.raises(FeedRefused) as err:
        verify.check_content(doc)
    more = len(err.value.findings.errors) - 1
    assert more >= 2
    sq, en = error_text(err.value, "sq"), error_text(err.value, "en")
    assert sq.startswith("shërbimi ") and sq.endswith(f"(dhe {more} gabime të tjera)")
    assert en.startswith("service ") and en.endswith(f"(and {more} more errors)")
    assert not any(words in sq for words in ENGLISH + ("more errors",)), sq
    two = Findings()
    for n in (1, 2):
        two.error("control_char", Record("service", f"s{n}", "Çerdhe"), "description", char="001B")
    assert error_text(FeedRefused(two), "sq") == (
        "shërbimi s1 «Çerdhe»: description: shenjë kontrolli U+001B, që nuk mund të pastrohet: "
        "shkruajeni tekstin përsëri (dhe 1 gabim tjetër)")
    assert error_text(FeedRefused(two), "en").endswith("type the text again (and 1 more error)")

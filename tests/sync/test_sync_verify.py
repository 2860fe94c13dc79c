"""The ordered verification of a downloaded feed."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from synclib import clean_feed, scaled_feed

from sync.feed import document as feedmod
from sync.feed import schema, signing, verify
from sync.feed.document import FeedError
from sync.feed.findings import FeedRefused

NOW = datetime(2026, 11, 23, 10, tzinfo=timezone.utc)
KEY = signing.generate()


def signed(doc=None, raw=None, key=KEY):
    raw = raw if raw is not None else feedmod.dumps(doc)
    return raw, signing.sign(raw, key).to_text()


def code_of(raw, sig, **kw):
    kw.setdefault("now", NOW)
    with pytest.raises(FeedError) as err:
        verify.verify_feed(raw, sig, [KEY.public.b64], **kw)
    return err.value


def test_a_good_feed_passes_and_validates_against_hsds(hsds_validator):
    doc = clean_feed(2)
    out = verify.verify_feed(*signed(doc), [KEY.public.b64], current_version=1, now=NOW)
    assert out == doc
    for service in out["services"]:
        assert not list(hsds_validator.iter_errors(service))


def test_size_cap_comes_first():
    raw, _sig = signed(clean_feed(2))
    # Even with a garbage signature, size is what is reported.
    err = code_of(raw, "garbage", limits=verify.Limits(max_bytes=len(raw) - 1))
    assert err.code == "too_large"


def test_signature_comes_before_parsing():
    raw, sig = signed(raw=b"{not json at all")
    assert code_of(raw + b"x", sig).code == "bad_signature"
    # The same bytes, properly signed, get to the parser and are invalid.
    assert code_of(raw, sig).code == "invalid"


def test_order_schema_version_before_version_before_expiry_before_content():
    bad = clean_feed(1, schema_version=2, expires_at="2020-01-01T00:00:00Z")
    bad["services"][0]["name"] = "\x00"
    assert code_of(*signed(bad), current_version=5).code == "unknown_schema_version"
    bad["schema_version"] = 1
    assert code_of(*signed(bad), current_version=5).code == "rollback"
    assert code_of(*signed(bad), current_version=1).code == "same_version"
    assert code_of(*signed(bad), current_version=0).code == "expired"
    bad["expires_at"] = "2030-01-01T00:00:00Z"
    assert code_of(*signed(bad), current_version=0).code == "invalid"


def test_rollback_uses_the_highest_version_ever_trusted():
    doc = clean_feed(4)
    # The database was rebuilt from an older file (3), but 5 was trusted once: 4 is a rollback.
    assert code_of(*signed(doc), current_version=3, trusted_version=5).code == "rollback"
    # The trusted version itself may come again (to repair the database).
    doc = clean_feed(5)
    assert verify.verify_feed(*signed(doc), [KEY.public.b64], current_version=3, trusted_version=5, now=NOW)


def test_missing_expiry_is_refused():
    doc = clean_feed(2)
    del doc["expires_at"]
    assert code_of(*signed(doc)).code == "expired"


def test_unknown_key_and_bad_signature():
    raw, _ = signed(clean_feed(2))
    other = signing.sign(raw, signing.generate()).to_text()
    assert code_of(raw, other).code == "unknown_key"


def _mutated(fn):
    doc = clean_feed(2)
    fn(doc)
    return signed(doc)


@pytest.mark.parametrize("mutate, detail", [
    (lambda d: d["services"][0].update(description="x" * 1_000_000), "characters"),
    (lambda d: d["services"][0].update(name="n" * 501), "characters"),
    (lambda d: d["services"][0].update(name="A\x00B"), "U+0000"),
    (lambda d: d["services"][0].update(description="A\x1bB"), "U+001B"),
    (lambda d: d["services"][0].pop("name"), "no name"),
    (lambda d: d["services"][0].pop("id"), "no id"),
    (lambda d: d["taxonomy_terms"][0].pop("name"), "no name"),
    (lambda d: d["services"][0]["service_at_locations"][0].update(location_id="00000000-0000-4000-8000-000000000002"),
     "location"),
    (lambda d: d["services"][0].update(organization_id="00000000-0000-4000-8000-000000000003"), "organization"),
    (lambda d: d["services"].append(dict(d["services"][0])), "used twice"),
    (lambda d: d["services"][0].update(phones=[{"id": f"{i:08d}-0000-4000-8000-000000000000", "number": "1"}
                                               for i in range(1001)]), "items"),
    (lambda d: d["services"][0].update(status="sometimes"), "HSDS"),
    (lambda d: d["services"][0].update(id="not-a-uuid"), "HSDS"),
    (lambda d: d["services"][0]["organization"].update(x_logo_sha256="abc", logo="https://x.org/l.png"), "SHA-256"),
    (lambda d: d["services"][0].update(x_translations={"EN!": {}}), "translation"),
    (lambda d: d.update(languages="sq"), "languages"),
    (lambda d: d["services"][0].update(x_deep=[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]), "deeper"),
])
def test_errors_refuse(mutate, detail):
    err = code_of(*_mutated(mutate))
    assert err.code == "invalid"
    assert detail.lower() in err.detail.lower(), err.detail
    assert isinstance(err, FeedRefused) and err.findings.errors


URL = "https://bashkiaelbasan.gov.al/"
TERM = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize("mutate, code, check", [
    (lambda d: d["services"][0].update(url="javascript:alert(1)"), "url_dropped",
     lambda d: "url" not in d["services"][0]),
    (lambda d: d["services"][0].update(url="data:text/html,hi"), "url_dropped", lambda d: "url" not in d["services"][0]),
    (lambda d: d["services"][0]["organization"].update(website="file:///etc/passwd"), "url_dropped",
     lambda d: "website" not in d["services"][0]["organization"]),
    (lambda d: d["services"][0].update(url="www.example.org"), "not_url", lambda d: "url" not in d["services"][0]),
    (lambda d: d["services"][0].update(url="http://example.org/"), "http_url",
     lambda d: d["services"][0]["url"] == "http://example.org/"),
    (lambda d: d["services"][0].update(name="A\u202eB\u200b"), "invisible", lambda d: d["services"][0]["name"] == "AB"),
    (lambda d: d["services"][0].update(name="Familja 👩\u200d👩\u200d👧"), None,
     lambda d: d["services"][0]["name"] == "Familja 👩\u200d👩\u200d👧"),
    (lambda d: d["services"][0].update(name="Emër " + "shumë i gjatë " * 12), "display_cap",
     lambda d: len(d["services"][0]["name"]) > 120),
    # (a second attribute: with its only category gone, the service would be in none, said apart)
    (lambda d: d["services"][0]["attributes"].append({"id": "00000000-0000-4000-8000-0000000000a1",
                                                      "taxonomy_term_id": TERM}), "attribute_dropped",
     lambda d: all(a.get("taxonomy_term_id") != TERM for a in d["services"][0]["attributes"])),
    (lambda d: d["taxonomy_terms"][0].update(parent_id=TERM), "dangling_parent",
     lambda d: d["taxonomy_terms"][0]["parent_id"] == TERM),
    (lambda d: (d["services"][0].pop("organization"), d["services"][0].update(organization_id=TERM)),
     "no_organization", lambda d: d["services"][0]["organization"]["id"] == TERM),
    (lambda d: d["services"][0]["service_at_locations"][0].pop("location"), "no_location",
     lambda d: len(d["services"][0]["service_at_locations"]) == 0),
    (lambda d: d["taxonomy_terms"][0].update(x_icon="../../etc/passwd"), "icon_dropped",
     lambda d: "x_icon" not in d["taxonomy_terms"][0]),
    (lambda d: d["services"][0].update(pc_target_audience="Adults"), "unknown_field",
     lambda d: d["services"][0]["pc_target_audience"] == "Adults"),
    (lambda d: d["services"][0]["required_documents"][0].update(uri="http://example.org/form"), None,
     lambda d: d["services"][0]["required_documents"][0]["uri"] == "http://example.org/form"),
])
def test_warnings_mend_and_say_so(mutate, code, check):
    """Issue 15: what would not hurt a visitor is mended or kept, the feed passes, and the
    kiosk is told what was done."""
    findings = verify.Findings()
    out = verify.verify_feed(*_mutated(mutate), [KEY.public.b64], now=NOW, findings=findings)
    assert not findings.errors
    assert [f.code for f in findings] == ([code] if code else []), [f.text() for f in findings]
    assert check(out)


def test_lone_surrogate_escape_is_refused():
    doc = clean_feed(2)
    doc["services"][0]["description"] = "\ud800"
    raw = json.dumps(doc, ensure_ascii=True).encode()  # JSON can carry it as an escape
    err = code_of(*signed(raw=raw))
    assert err.code == "invalid" and "U+D800" in err.detail


def test_allowed_url_schemes():
    def ok(d):
        d["services"][0].update(url="https://bashkiaelbasan.gov.al/sherbime")
        d["services"][0]["organization"].update(website="https://example.org/")
        d["services"][0]["required_documents"][0]["uri"] = "mailto:info@example.org"
    verify.verify_feed(*_mutated(ok), [KEY.public.b64], now=NOW)


def test_deeply_nested_json_does_not_crash():
    raw = b'{"schema_version":1,"x":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert code_of(*signed(raw=raw)).code == "invalid"


def test_every_service_is_checked_against_the_schema_every_time(monkeypatch):
    """No cache of services that passed before: jsonschema-rs checks 10,000 of them in 46 ms,
    a tenth of what their digests took to compute. A changed service that breaks the schema is
    caught, and so is one that never changed."""
    doc = scaled_feed(30, version=2)
    validated = []
    real = schema.fast_service_check()

    def spy(instance):
        validated.append(instance["id"])
        return real(instance)

    monkeypatch.setattr(schema, "fast_service_check", lambda: spy)
    verify.verify_feed(*signed(doc), [KEY.public.b64], now=NOW)
    verify.verify_feed(*signed(doc), [KEY.public.b64], now=NOW)
    assert validated == [s["id"] for s in doc["services"]] * 2
    doc["version"] = 3
    doc["services"][6]["status"] = "nope"
    assert code_of(*signed(doc)).code == "invalid"


def test_referenced_assets():
    doc = clean_feed(2)
    sha = "a" * 64
    doc["services"][0]["organization"].update(logo=f"assets/{sha}", x_logo_sha256=sha)
    doc["taxonomy_terms"][0].update(x_icon_url="https://cdn.example.org/i.png", x_icon_sha256="b" * 64)
    assert verify.referenced_assets(doc) == {sha: f"assets/{sha}", "b" * 64: "https://cdn.example.org/i.png"}
    verify.verify_feed(*signed(doc), [KEY.public.b64], now=NOW)
    doc["services"][0]["organization"]["logo"] = "assets/" + "c" * 64
    assert code_of(*signed(doc)).code == "invalid"


def test_feed_json_roundtrip_is_exact_bytes():
    doc = clean_feed(2)
    raw = feedmod.dumps(doc)
    assert json.loads(raw) == verify.parse_document(raw)


def test_fast_verdict_and_reference_wording_agree():
    """jsonschema-rs gives the verdict, jsonschema words the error: a broken service is
    reported exactly as jsonschema alone reports it, and good services pass both."""
    doc = scaled_feed(40, version=2)
    fast, ref = schema.fast_service_check(), schema.service_validator()
    assert all(fast(s) and not list(ref.iter_errors(s)) for s in doc["services"])
    broken = dict(doc["services"][3], status="nope")
    assert not fast(broken)
    findings = schema.validate_schema({"services": [broken], "taxonomy_terms": []})
    expected = next(iter(ref.iter_errors(broken)))
    assert [f.params["detail"] for f in findings.errors] == [expected.message]


def test_a_feed_without_services_is_refused():
    """Review item 1: applied, an empty feed would wipe every kiosk's catalogue."""
    doc = clean_feed(2)
    doc["services"] = []
    err = code_of(*signed(doc))
    assert err.code == "invalid" and "no services" in err.detail
    assert [f.code for f in err.findings.errors] == ["no_services"]
    assert "nuk ka asnjë shërbim" in err.findings.errors[0].message("sq")
    # The same check runs where the publisher and the server check what they accept.
    assert [f.code for f in verify.conform(doc).errors] == ["no_services"]


@pytest.mark.parametrize("value, kept", [(99, False), (-13, False), (14.5, False), (1, True), (-12, True), (14, True)])
def test_a_timezone_outside_minus_12_to_14_is_dropped_with_a_warning(value, kept):
    """Review item 4: an HSDS schedule's timezone is hours from UTC, -12 to +14."""
    doc = clean_feed(2)
    sal = doc["services"][0]["service_at_locations"][0]
    sal["schedules"][0]["timezone"] = value
    findings = verify.Findings()
    out = verify.verify_feed(*signed(doc), [KEY.public.b64], now=NOW, findings=findings)
    schedule = out["services"][0]["service_at_locations"][0]["schedules"][0]
    assert ("timezone" in schedule) == kept
    assert [f.code for f in findings] == ([] if kept else ["bad_timezone"])
    if not kept:
        assert "-12" in findings.items[0].message("sq") and "u hoq" in findings.items[0].message("sq")


@pytest.mark.parametrize("number", [b"1e400", b"-1e400", b"Infinity", b"-Infinity", b"NaN"])
def test_non_finite_numbers_are_refused(number):
    """Review item 5: 1e400 parses as infinity, which the feed's JSON cannot carry."""
    doc = clean_feed(2)
    doc["services"][0]["minimum_age"] = 12345
    raw = feedmod.dumps(doc).replace(b'"minimum_age":12345', b'"minimum_age":' + number)
    err = code_of(*signed(raw=raw))
    assert err.code == "invalid" and "minimum_age" in err.detail
    assert [f.code for f in err.findings.errors] == ["nan" if number == b"NaN" else "not_finite"]
    with pytest.raises(ValueError):
        feedmod.dumps({"latitude": float(number.decode())})


@pytest.mark.parametrize("field, value, kept", [
    ("latitude", 100, False), ("latitude", -90.5, False), ("longitude", 200, False),
    ("longitude", -180.01, False), ("latitude", 41.11, True), ("longitude", -180, True)])
def test_coordinates_out_of_range_are_dropped_with_a_warning(field, value, kept):
    doc = clean_feed(2)
    place = doc["services"][0]["service_at_locations"][0]["location"]["id"]
    for service in doc["services"]:   # every copy of the place (copies that differ are refused)
        for sal in service.get("service_at_locations") or []:
            if sal["location"]["id"] == place:
                sal["location"][field] = value
    findings = verify.Findings()
    out = verify.verify_feed(*signed(doc), [KEY.public.b64], now=NOW, findings=findings)
    assert (field in out["services"][0]["service_at_locations"][0]["location"]) == kept
    assert {f.code for f in findings} == (set() if kept else {"out_of_range"})
    if not kept:
        assert findings.items[0].field == f"service_at_locations[0].location.{field}"
        assert "u hoq" in findings.items[0].message("sq")


def test_a_web_address_with_a_user_name_is_dropped_and_a_phone_of_letters_is_named():
    """"https://bank.al@evil.example/" reads as bank.al and opens evil.example; "CALL-NOW-HELP"
    is no number a phone can dial."""
    doc = clean_feed(1)
    service = doc["services"][0]
    for other in doc["services"]:   # every copy of the organization (copies that differ are refused)
        if other["organization"]["id"] == service["organization"]["id"]:
            other["organization"]["website"] = "https://bank.al@evil.example/"
    service["phones"] = [{"id": "2b0c9d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e", "number": "CALL-NOW-HELP"}]
    findings = verify.Findings()
    out = verify.verify_feed(*signed(doc), [KEY.public.b64], now=NOW, findings=findings)
    assert "website" not in out["services"][0]["organization"], ([(f.code, f.field) for f in findings], out["services"][0]["organization"].get("website"))
    assert out["services"][0]["phones"][0]["number"] == "CALL-NOW-HELP"      # kept as text
    by_code = {f.code: f for f in findings}
    assert set(by_code) == {"url_userinfo", "not_dialable"}, [f.code for f in findings]
    assert by_code["url_userinfo"].field == "organization.website"
    assert by_code["not_dialable"].field == "phones[0].number"
    assert "u hoq" in by_code["url_userinfo"].message("sq")
    assert "Telefono" in by_code["not_dialable"].message("sq")
    from sync.feed.values import dialable
    assert all(dialable(n) for n in ("+355 54 200 130", "054 200 130", "(054) 200-130", "116 111", "129"))
    assert not any(dialable(n) for n in ("CALL-NOW-HELP", "1-800-FLOWERS", "12", ""))

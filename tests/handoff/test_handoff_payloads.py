"""vCard text, phone numbers, links and the scheme allow-list."""
from __future__ import annotations

import pytest
from handofflib import BASE, SERVICE_ID, make_detail

from kiosk.catalogue import cards, queries
from kiosk.handoff import in_lang
from kiosk.handoff import payloads as p
from kiosk.handoff import links
from kiosk.handoff import vcard
from factories import uid

EXPECTED_VCARD = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:;;;;\r\n"
    'FN:Shoqata "Ndihmë"\\, Çdo ditë\\; falas\r\n'
    'ORG:Shoqata "Ndihmë"\\, Çdo ditë\\; falas\r\n'
    "X-ABShowAs:COMPANY\r\n"
    "TEL;TYPE=WORK,VOICE:+35554123456\r\n"
    "TEL;TYPE=WORK,CELL:+355691234567\r\n"
    "TEL;TYPE=WORK,FAX:+35554999000\r\n"
    "EMAIL;TYPE=INTERNET:info@example.org\r\n"
    "URL:https://example.org/shoqata\r\n"
    "ADR;TYPE=WORK:;;Rruga Korçë 5;Elbasan;;3001;Shqipëri\r\n"
    "NOTE:Çerdhe e Bashkisë\r\n"
    "END:VCARD\r\n"
)


def test_service_vcard_exact_text(detail):
    assert vcard.service_vcard(detail, "sq") == EXPECTED_VCARD
    # The country follows the visitor's language; nothing else is translated.
    assert vcard.service_vcard(detail, "en") == EXPECTED_VCARD.replace("Shqipëri", "Albania")


def test_vcard_escaping_of_text_values():
    assert vcard.escape_text("a\\b,c;d\ne\r\nf") == "a\\\\b\\,c\\;d\\ne\\nf"
    card = vcard.build_vcard("Zyra", note="Rreshti 1\nRreshti 2; me, shenja \\ ")
    assert "NOTE:Rreshti 1\\nRreshti 2\\; me\\, shenja \\\\\r\n" in card
    assert card.count("\r\n") == card.count("\n")  # CRLF everywhere, no bare LF


def test_vcard_folds_long_lines_without_splitting_letters():
    name = "Qendra e Informacionit për Shërbimet Sociale të Bashkisë Elbasan, ëëëëëëëëëëëëëëëëëëëëëëëë"
    card = vcard.build_vcard(name)
    physical = card.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    assert any(line.startswith(" ") for line in physical)  # it did fold
    unfolded = card.replace("\r\n ", "")
    assert f"FN:{vcard.escape_text(name)}\r\n" in unfolded
    for line in physical:
        line.encode("utf-8").decode("utf-8")  # every physical line is whole UTF-8


def test_vcard_leaves_out_what_it_cannot_vouch_for():
    card = vcard.build_vcard("Zyra", phones=[("not a number", "voice"), ("054 200 100", "voice"),
                                         ("+355 54 200 100", "voice")],
                         email="not-an-email", url="javascript:alert(1)")
    assert card.count("TEL;") == 1  # the bad one dropped, the duplicate merged
    assert "EMAIL" not in card and "URL" not in card and "javascript" not in card


@pytest.mark.parametrize("raw, expected", [
    ("054 123 456", "+35554123456"),
    ("069 123 4567", "+355691234567"),
    ("+355 4 2256840", "+35542256840"),
    ("04 2256840", "+35542256840"),
    ("+355 54 200 100", "+35554200100"),
    ("00355 54 200 100", "+35554200100"),
    ("+355 (0)54 200 100", "+35554200100"),
    ("+355 069 123 4567", "+355691234567"),
    ("355 69 123 4567", "+355691234567"),
    ("54 123 456", "+35554123456"),
    ("054-123-456", "+35554123456"),
    ("(054) 123.456", "+35554123456"),
    ("054 123 456 int. 12", "+35554123456"),
    ("+39 06 1234 5678", "+390612345678"),
    ("112", "112"),
    ("116 111", "116111"),
    ("", None),
    ("Sporteli", None),
    ("0", None),
    ("9999", None),
    ("+355 12", None),
    ("0123456789012345", None),
])
def test_international_number(raw, expected):
    assert links.international_number(raw) == expected


def test_tel_uri():
    assert links.tel_uri("054 123 456") == "tel:+35554123456"
    assert links.tel_uri("abc") is None


@pytest.mark.parametrize("payload", [
    "http://sherbime.elbasan.gov.al/services/x", "javascript:alert(1)", "ftp://example.org/file",
    "file:///etc/passwd", "data:text/html,<b>hi</b>", "mailto:a@example.org", "sms:+35554123456",
    "https://user@evil.example/", "https://exa mple.org/", "https://example.org/\nx", "https:///nohost",
    "tel:+355abc", "tel:", "geo:north,east", "intent://scan/#Intent;scheme=zxing;end", "",
    "BEGIN:VCARD\nVERSION:3.0\nEND:VCARD",
])
def test_allow_list_rejects(payload):
    assert not links.is_allowed(payload)


@pytest.mark.parametrize("payload", [
    "https://sherbime.elbasan.gov.al/services/" + SERVICE_ID, "tel:+35554123456", "tel:112",
    "geo:41.11250,20.08220", "https://www.openstreetmap.org/?mlat=41.11250&mlon=20.08220#map=18/41.11250/20.08220",
    EXPECTED_VCARD,
])
def test_allow_list_accepts(payload):
    assert links.is_allowed(payload)


def test_https_url_only():
    assert links.https_url(" https://example.org/a ") == "https://example.org/a"
    for bad in ("http://example.org", "javascript:alert(1)", "ftp://example.org", None, "", "https://"):
        assert links.https_url(bad) is None


def test_places_and_links():
    assert links.geo_uri(41.1125, 20.0822) == "geo:41.11250,20.08220"
    assert links.osm_url(41.1125, 20.0822) == (
        "https://www.openstreetmap.org/?mlat=41.11250&mlon=20.08220#map=18/41.11250/20.08220")
    assert links.geo_uri(None, 20.0) is None and links.geo_uri(0, 0) is None and links.osm_url(91, 0) is None
    assert links.service_url(BASE + "/", SERVICE_ID) == f"{BASE}/services/{SERVICE_ID}"
    assert links.service_url(None, SERVICE_ID) is None
    assert links.service_url("http://sherbime.elbasan.gov.al", SERVICE_ID) is None
    assert links.service_url(BASE, "../../etc") is None


def test_short_code_round_trip():
    code = links.short_code(SERVICE_ID)
    assert code == "ELB-3F2B8C1E-7A9D"
    assert links.parse_short_code(code) == "3f2b8c1e-7a9d-"
    assert links.parse_short_code(code.lower()) == "3f2b8c1e-7a9d-"
    assert links.short_code("not-a-uuid") is None
    for bad in ("ELB-3F2B8C1E", "XYZ-3F2B8C1E-7A9D", "ELB-3F2B8C1E-7A9D-0000", "ELB-3G2B8C1E-7A9D"):
        assert links.parse_short_code(bad) is None


def test_service_choices_in_order_with_explanations(detail):
    choices = p.service_choices(detail, "en", BASE)
    assert [c.kind for c in choices] == ["contact", "link", "call", "directions"]
    contact, link, call, directions = choices
    assert contact.payload == vcard.service_vcard(detail, "en")
    assert link.payload == f"{BASE}/services/{SERVICE_ID}"
    assert call.payload == "tel:+35554123456" and call.label == "054 123 456"
    assert call.explanation == "Scan to call 054 123 456 from your phone."
    assert directions.payload.startswith("https://www.openstreetmap.org/?mlat=41.11250&mlon=20.08220")
    assert [c.title for c in choices] == ["Save contact", "Open on phone", "Call", "Directions"]
    assert all(links.is_allowed(c.payload) for c in choices)
    # Every title and explanation comes from the visitor's language, not the current one.
    for c in p.service_choices(detail, "sq", BASE):
        assert c.title == in_lang("sq", p.TITLES[c.kind])
        assert c.explanation == in_lang("sq", p.EXPLANATIONS[c.kind]).format(number=c.label)


def test_link_hidden_without_public_url_and_directions_without_coordinates():
    detail = make_detail(lat=None, lon=None)
    assert [c.kind for c in p.service_choices(detail, "sq", None)] == ["contact", "call"]
    assert [c.kind for c in p.service_choices(detail, "sq", "http://insecure.example")] == ["contact", "call"]
    geo = p.service_choices(make_detail(), "sq", None, directions="geo")
    assert geo[-1].payload == "geo:41.11250,20.08220"


def test_no_call_without_a_dialable_number():
    detail = make_detail(phones=(), org_phones=(cards.PhoneInfo("054 999 000", "fax", ""),))
    assert "call" not in [c.kind for c in p.service_choices(detail, "sq", BASE)]


def test_choices_from_the_catalogue(session, now):
    detail = queries.service_detail(session, uid("svc:nursery"), "sq", now)
    choices = {c.kind: c for c in p.service_choices(detail, "sq", BASE)}
    assert set(choices) == {"contact", "link", "call", "directions"}
    assert "NOTE:Çerdhe e Bashkisë\r\n" in choices["contact"].payload
    assert "TEL;TYPE=WORK,VOICE:+35554111222\r\n" in choices["contact"].payload
    assert choices["call"].payload == "tel:+35554111222"
    # (the social centre offers the night shelter, so its contact is discreet: the association's is not)
    org = queries.organization_detail(session, uid("org:ngo"), "sq", now)
    org_choices = p.organization_choices(org, "sq", BASE)
    assert [c.kind for c in org_choices] == ["contact", "call", "directions"]
    assert "FN:Shoqata Ndihmë për Fëmijët\r\n" in org_choices[0].payload
    with_pages = p.organization_choices(org, "sq", BASE, org_pages=True)
    assert with_pages[1].payload == f"{BASE}/organizations/{uid('org:ngo')}"


# ------------------------------------------------------------------ extensions and kinds of number

RECEPTION = cards.PhoneInfo("+355 54 400 100", "voice", "Recepsioni", "204")
FAX = cards.PhoneInfo("054 400 101", "fax", "")
SMS = cards.PhoneInfo("069 123 4567", "text", "")


def test_an_extension_is_dialled_after_the_number():
    assert links.tel_uri("+355 54 400 100", "204") == "tel:+35554400100,204"
    assert links.is_allowed("tel:+35554400100,204")
    assert links.tel_uri("116 111", "2") == "tel:116111"          # a short number takes none
    assert links.tel_uri("+355 54 400 100", "20 4") == "tel:+35554400100"
    # (";ext=204" is RFC 3966's, but Android dials its letters as digits)
    for bad in ("tel:+35554400100,", "tel:+35554400100,2a", "tel:116111,2", "tel:+35554400100;ext=204",
                "tel:+35554400100;phone-context=x", "tel:+35554400100,,204"):
        assert not links.is_allowed(bad), bad
    # the official HSDS example writes its number in quotes
    assert links.international_number('"+44 1234 234567"') == "+441234234567"


def test_the_call_code_dials_the_extension_and_never_a_fax():
    detail = make_detail(phones=(FAX, SMS, RECEPTION), org_phones=())
    call = next(c for c in p.service_choices(detail, "sq") if c.kind == p.CALL)
    assert call.payload == "tel:+35554400100,204"
    assert call.label == "+355 54 400 100, zgjatimi 204"
    assert "+355 54 400 100, ext. 204" in next(
        c for c in p.service_choices(detail, "en") if c.kind == p.CALL).explanation
    only_fax = make_detail(phones=(FAX, SMS, cards.PhoneInfo("054 400 102", "pager", ""),
                                   cards.PhoneInfo("054 400 103", "textphone", "")), org_phones=())
    assert p.CALL not in [c.kind for c in p.service_choices(only_fax, "sq")]


def test_the_vcard_keeps_the_extension_and_the_kind():
    card = vcard.service_vcard(make_detail(phones=(RECEPTION, FAX), org_phones=()), "sq")
    assert "TEL;TYPE=WORK,VOICE:+35554400100,204\r\n" in card
    assert "TEL;TYPE=WORK,FAX:+35554400101\r\n" in card


def test_phone_lines_say_the_kind_and_the_extension():
    from kiosk.handoff.phones import phone_text

    assert phone_text(RECEPTION, "sq") == "+355 54 400 100, zgjatimi 204  (Recepsioni)"
    assert phone_text(RECEPTION, "en") == "+355 54 400 100, ext. 204  (Recepsioni)"
    assert phone_text(FAX, "sq") == "Faks: 054 400 101"
    assert phone_text(FAX, "en") == "Fax: 054 400 101"
    assert phone_text(SMS, "en") == "Text messages (SMS): 069 123 4567"
    assert phone_text(cards.PhoneInfo("069 123 4567", "cell", ""), "en") == "069 123 4567"


def test_directions_and_the_saved_address_are_the_place_never_its_post_box():
    from dataclasses import replace

    detail = make_detail()
    place = replace(detail.locations[0], postal_lines=("Kutia Postare 12", "3001 Elbasan"))
    with_box = replace(detail, locations=(place,))
    assert p.DIRECTIONS in [c.kind for c in p.service_choices(with_box, "sq")]
    card = vcard.service_vcard(with_box, "sq")
    assert "Rruga Korçë 5" in card and "Kutia" not in card
    box_only = replace(detail, locations=(replace(place, address_lines=()),))
    assert p.DIRECTIONS not in [c.kind for c in p.service_choices(box_only, "sq")]

"""How to reach a service, first: its phone and where to go right after its name and status
(a visitor who listens used to hear the phone two to four minutes in, after the idle reset had
cut the reading), and a phone number or an address said once a page."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from kiosk.catalogue import queries as q
from kiosk.catalogue.cards import ContactInfo, PhoneInfo
from kiosk.catalogue.hours import TZ
from kiosk.speech import cards, screens
from kiosk.speech.normalise import dial_digits
from kiosk.speech.parts import join, plain, sentence

NOW = datetime(2026, 11, 3, 10, 0, tzinfo=TZ)
#: the sample's economic assistance (3 places, its phone last of 75 parts before), its
#: physiotherapy (2 minutes before its phone), and URI's technical assistance (the service's
#: number is its provider's too)
ECONOMIC, PHYSIO, URI = ("d572c3ae-1b67-524b-b90b-28f4209bc1bc", "ff6f0b9e-eeff-52cd-9891-53fd4a4f8f7e",
                         "2ce3ab75-3dd2-5fcf-ae1b-19aaed2faa9b")
PHONE = {"sq": "Telefoni:", "en": "Phone:"}
WHERE = {"sq": "Ku të shkoni.", "en": "Where to go."}


def reading(session, service_id, lang):
    detail = q.service_detail(session, service_id, lang, now=NOW)
    return detail, screens.service(detail, lang, NOW.date(), q.organization_addresses(session, detail.organization.id))


@pytest.mark.parametrize("lang", ("sq", "en"))
@pytest.mark.parametrize("service_id", (ECONOMIC, PHYSIO, URI))
def test_a_service_says_its_phone_then_where_to_go_right_after_its_status(sample_session, service_id, lang):
    detail, parts = reading(sample_session, service_id, lang)
    texts = [p.text for p in parts]
    # name, status, when it opens: then the phone, then where to go, before any long card
    first = 3 + bool(detail.alternate_name)
    assert texts[first].startswith(PHONE[lang]), texts[:first + 1]
    assert texts[first] == cards.phone(detail.phones[0], lang).text
    where = texts.index(WHERE[lang])
    assert where == first + len(detail.phones)
    place = detail.locations[0]
    assert texts[where + 1] == plain(lang, place.name + ".").text
    assert texts[where + 2] == cards.address(place.address_lines, lang).text
    about = texts.index(sentence(screens.say(lang, screens.ABOUT).text))
    assert where + 2 < about


@pytest.mark.parametrize("lang", ("sq", "en"))
def test_a_number_or_an_address_is_said_once_a_page(sample_session, lang):
    # URI's service and URI itself have the one number: said once, with the service
    detail, parts = reading(sample_session, URI, lang)
    assert detail.phones[0].number == detail.organization.phones[0].number == "+355 4 2256840"
    number = dial_digits("+355 4 2256840", lang)
    assert join(parts).count(number) == 1
    provided = [p.text for p in parts].index({"sq": "Ofrohet nga.", "en": "Provided by."}[lang])
    assert number in join(parts[:provided])
    # the economic assistance's office is where to go, a place's card and the provider's
    # address: said once, where to go
    detail, parts = reading(sample_session, ECONOMIC, lang)
    office = cards.address(detail.locations[0].address_lines, lang).text
    assert [p.text for p in parts].count(office) == 1
    # a person's phone that the page said already is not said again; a new one is
    person = ContactInfo("Dritan Leka", "", "", "", (detail.phones[0], PhoneInfo("+355 69 111 2222", "cell", "")))
    text = join(screens.service(replace(detail, contacts=(person,)), lang, NOW.date()))
    assert text.count(dial_digits(detail.phones[0].number, lang)) == 1
    assert "Dritan Leka" in text and dial_digits("+355 69 111 2222", lang) in text

"""What a screen says when it opens with speech on (``opening=True``): its list, concisely, and
how to hear the rest, with the keys the configuration gives."""
from __future__ import annotations

from datetime import datetime

from kiosk.catalogue import queries as q
from kiosk.catalogue.cards import CategoryCard, SearchResult, ServiceRow
from kiosk.catalogue.hours import TZ, OpenStatus
from kiosk.speech import screens
from kiosk.speech.keys import KeyMap
from kiosk.speech.normalise import normalise

NOW = datetime(2026, 11, 3, 10, 0, tzinfo=TZ)
ECONOMIC = "d572c3ae-1b67-524b-b90b-28f4209bc1bc"
OPEN = OpenStatus("open", closes="16:00")
CARD = CategoryCard("c", "Housing", "Somewhere to live.", "housing", 30, False)


def rows(n: int, provider: str = "Municipality of Elbasan") -> list[ServiceRow]:
    return [ServiceRow(f"s{i}", f"Service {i}", provider, OPEN) for i in range(1, n + 1)]


def row(i: int, *more: str) -> str:
    """What row ``i`` says: "Service twelve. Open now." """
    return normalise(". ".join([f"Service {i}", *more, "Open now."]), "en")


def texts(parts) -> list[str]:
    return [p.text for p in parts]


def test_a_long_category_says_its_first_rows_then_how_many_more_and_how_to_hear_them():
    said = texts(screens.category(CARD, rows(30), "en", opening=True))
    assert said[:3] == ["Housing.", "thirty services.", "Service one. Open now."]
    assert said[2:14] == [row(i) for i in range(1, 13)]
    assert said[14:] == ["And eighteen more services.", "To hear the whole screen, touch Listen, or press five."]
    # the whole list (Listen): the description and every row with its provider
    whole = texts(screens.category(CARD, rows(30), "en"))
    assert "Somewhere to live." in whole and row(30, "Municipality of Elbasan") in whole
    assert screens.category(CARD, rows(30), "sq", opening=True)[-2].text == "Edhe tetëmbëdhjetë shërbime të tjera."


def test_an_opening_that_leaves_nothing_out_offers_nothing():
    card = CategoryCard("c", "Housing", "", "housing", 2, False)
    said = texts(screens.category(card, rows(2, provider=""), "en", opening=True))
    assert said == ["Housing.", "two services.", row(1), row(2)]
    assert said == texts(screens.category(card, rows(2, provider=""), "en"))


def test_the_rest_is_offered_with_the_configured_keys():
    lines = texts(screens.category(CARD, rows(3), "en", opening=True, keymap=KeyMap({"activate": ["enter"]})))
    assert lines[-1] == "To hear the whole screen, touch Listen, or press the Enter key."
    lines = texts(screens.category(CARD, rows(3), "sq", opening=True, keymap=KeyMap({"activate": []})))
    assert lines[-1] == "Për të dëgjuar gjithë ekranin, prekni Dëgjo."


def test_a_sensitive_row_is_said_by_its_neutral_title_in_an_opening_too():
    listed = rows(2) + [ServiceRow("x", "Night shelter", "Shelter NGO", OPEN, sensitive=True, neutral_title="Support")]
    said = texts(screens.category(CARD, listed, "en", opening=True))
    assert said[0].startswith("This information is private.")
    assert "Support. Open now." in said and not [t for t in said if "Night shelter" in t or "Shelter NGO" in t]


def test_search_results_in_an_opening():
    results = [SearchResult("service", f"s{i}", f"Result {i}", "Some NGO", OPEN) for i in range(1, 15)]
    results.append(SearchResult("organization", "o", "Some NGO", "", None))
    said = texts(screens.search("pension", results, "en", opening=True))
    assert said[:3] == ["Search results for pension.", "fifteen results.", "Result one. Open now."]
    assert said[-2:] == ["And three more results.", "To hear the whole screen, touch Listen, or press five."]
    # the prompt before anything is typed is the same either way
    assert screens.search("", [], "en", opening=True) == screens.search("", [], "en")


def test_a_service_opening_says_how_to_reach_it_and_take_it_away_then_offers_the_rest(sample_session):
    detail = q.service_detail(sample_session, ECONOMIC, "en", now=NOW)
    args = (detail, "en", NOW.date(), q.organization_addresses(sample_session, detail.organization.id),
            ["Save contact", "Call"], True)
    said = texts(screens.service(*args, opening=True))
    assert said[:4] == ["Economic assistance for families in need.", "Open until four PM.",
                        "Phone: plus three five five, five four, two zero zero, one one one, Desk.", "Where to go."]
    assert said[6:] == ["Take it with you: Save contact, Call.",
                        "Touch one, then scan its code with your phone's camera.",
                        "You can also print it on a slip: touch Print.",
                        "To hear the whole screen, touch Listen, or press five."]
    whole = texts(screens.service(*args))
    # the opening is the start of the whole page (less the chip), which goes on to the rest
    assert [t for t in said[:-1] if t in whole] == said[:-1] and "About this service." in whole
    assert len(" ".join(said)) < len(" ".join(whole)) / 4


def test_a_category_says_its_narrower_topics_as_their_buttons_show_them():
    subs = [CategoryCard("f", "Food aid", "", "food", 2, False, "c")]
    for opening in (True, False):
        said = texts(screens.category(CARD, rows(3), "en", subcategories=subs, opening=opening))
        at = said.index("Narrower topics:")
        assert said[at + 1:at + 3] == ["Food aid. two services.", "three services."]

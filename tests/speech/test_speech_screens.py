"""The spoken text of every screen, in Albanian and English, from the sample catalogue."""
from __future__ import annotations

import re
import subprocess
import sys

from datetime import datetime

import pytest

from kiosk.catalogue import queries as q
from kiosk.catalogue.hours import TZ
from kiosk.handoff.printer import CODES
from kiosk.handoff.slip import build_slip

NOW = datetime(2026, 11, 3, 10, 0, tzinfo=TZ)  # the moment of the speech conftest's fixtures
from kiosk.speech import cards, receipts, screens
from kiosk.speech.normalise import normalise
from kiosk.speech.parts import join

LANGS = ("sq", "en")
#: What a voice would spell out or misread: digits, clock times, symbols, web addresses.
UNSPOKEN = re.compile(r"[\d%&@#€*_~|^<>\\/]|https?:|www\.|\b\d{1,2}:\d{2}")


def spoken(parts, lang):
    assert parts, "nothing to say"
    for part in parts:
        # an English reading says untranslated (Albanian) catalogue text in the Albanian voice
        assert part.text.strip() and (part.lang == lang or (lang == "en" and part.lang == "sq")), part
        for piece in part.voiced():
            assert piece.lang in (lang, "sq") and piece.text.strip(), part
        assert not UNSPOKEN.search(part.text), part.text
    return join(parts)


def first_service(session, lang, name_part):
    rows = [r for r in q.search(session, name_part, lang, now=NOW) if r.kind == "service"]
    return q.service_detail(session, rows[0].id, lang, now=NOW)


@pytest.mark.parametrize("lang", LANGS)
def test_home_reads_every_category_with_its_count(sample_session, lang):
    categories = q.top_categories(sample_session, lang, now=NOW)
    parts = screens.home(categories, lang)
    text = spoken(parts, lang)
    assert parts[0].text == {"sq": "Si mund t'ju ndihmojmë?", "en": "How can we help you?"}[lang]
    assert len(parts) == 2 + len(categories)
    for part, card in zip(parts[2:], categories):
        assert part.text.startswith(card.name)
    counted = {"sq": "nëntë shërbime", "en": "nine services"}[lang]
    assert counted in text
    assert "open" in join(screens.home(categories, "en", open_now=True)).lower()


@pytest.mark.parametrize("lang", LANGS)
def test_category_reads_its_services_with_today_status(sample_session, lang):
    card = q.top_categories(sample_session, lang, now=NOW)[0]
    rows = q.rows_at(sample_session, q.category_listing(sample_session, card.id, lang), now=NOW)
    parts = screens.category(card, rows, lang)
    spoken(parts, lang)
    assert parts[0].text == card.name + "."
    row_parts = parts[-len(rows):]
    for part, row in zip(row_parts, rows):
        assert part.text.startswith(row.name)
        status = cards.status_short(row.status, lang, row.service_status).text
        assert part.text.endswith(status + ".")
    statuses = {"sq": ("Hapur tani", "Hapet në orën"), "en": ("Open now", "Opens at")}[lang]
    assert any(s in join(row_parts) for s in statuses)


@pytest.mark.parametrize("lang", LANGS)
def test_service_reads_in_the_order_of_the_page(sample_session, lang):
    detail = first_service(sample_session, lang, "aftësi" if lang == "sq" else "disability")
    parts = screens.service(detail, lang, NOW.date(),
                            q.organization_addresses(sample_session, detail.organization.id))
    text = spoken(parts, lang)
    assert parts[0].text.rstrip(".") == detail.name.rstrip(".")
    assert parts[1].text == cards.status_short(detail.status, lang).text + "."
    # how to reach it (phone, then where) right after the status, before the long cards
    words = {"sq": ("Telefoni: plus tre pesë pesë", "Ku të shkoni", "Rreth këtij shërbimi",
                    "Kush mund të aplikojë", "Si të aplikoni", "Dokumentet që duhet të sillni", "Kostoja",
                    "Orari i kësaj jave", "Ofrohet nga"),
             "en": ("Phone: plus three five five", "Where to go", "About this service", "Who can apply",
                    "How to apply", "Documents to bring", "Cost", "Opening hours this week",
                    "Provided by")}[lang]
    positions = [text.index(w) for w in words]
    assert positions == sorted(positions), "read out of the page's order"
    for document in detail.documents:
        assert normalise(document, lang).rstrip(".") in text
    assert {"sq": "nga ora tetë deri në", "en": "from eight AM to"}[lang] in text
    assert {"sq": "sot", "en": "today"}[lang] in text


@pytest.mark.parametrize("lang", LANGS)
def test_organization_and_search(sample_session, lang):
    hit = next(r for r in q.search(sample_session, "IKU", lang, now=NOW) if r.kind == "organization")
    detail = q.organization_detail(sample_session, hit.id, lang, now=NOW)
    text = spoken(screens.organization(detail, lang), lang)
    assert text.startswith(detail.card.name)
    assert {"sq": "uri pikë org pikë al", "en": "uri dot org dot al"}[lang] in text
    assert {"sq": "plus tre pesë pesë, katër, dy dy pesë, gjashtë tetë, katër zero",
            "en": "plus three five five, four, two two five, six eight, four zero"}[lang] in text

    results = q.search(sample_session, "pension", lang, now=NOW)
    parts = screens.search("pension", results, lang)
    spoken(parts, lang)
    assert "pension" in parts[0].text and len(parts) == 2 + len(results)
    nothing = screens.search("zzzz", [], lang)
    assert "zzzz" in nothing[0].text
    assert spoken(screens.search("", [], lang), lang)


@pytest.mark.parametrize("lang", LANGS)
def test_welcome_says_in_both_languages_how_to_start_speech(lang):
    other = "en" if lang == "sq" else "sq"
    parts = screens.welcome([lang, other])
    text = join(parts)
    assert "Për të dëgjuar, shtypni çdo tast të tastierës, ose prekni Dëgjo." in text
    assert "To listen, press any key on the keypad, or touch Listen." in text
    assert parts[0].lang == lang and {p.lang for p in parts} == {lang, other}
    assert not any(UNSPOKEN.search(p.text) for p in parts)


@pytest.mark.parametrize("lang", LANGS)
def test_idle_errors_privacy_and_printing(lang):
    idle = spoken(screens.idle_prompt(30, lang), lang)
    assert {"sq": "tridhjetë sekondash", "en": "thirty seconds"}[lang] in idle
    for reason in screens.ERRORS:
        spoken(screens.error(reason, lang), lang)
    assert screens.error("no such reason", lang) == screens.error("failed", lang)
    assert {"sq": "kufje", "en": "Headphones"}[lang] in spoken(screens.private_listening(lang), lang)
    outcomes = {code: spoken(receipts.printing_outcome(code, lang), lang) for code in CODES}
    assert len(set(outcomes.values())) == len(CODES)
    spoken(receipts.printing_outcome("printing", lang), lang)


#: the default keypad's help, a sentence a line after its title: each action with its keys
DEFAULT_HELP_KEYS = {
    "sq": ["Shtypni dy ose shigjetën poshtë për elementin tjetër, tetë ose shigjetën lart për elementin e "
           "mëparshëm, dhe pesë ose tastin Enter për të zgjedhur.",
           "Shtypni tre për të dalë menjëherë, pa folur: kioska e harron këtë vizitë, njësoj si butoni Dil shpejt.",
           "Shtypni zero ose tastin Backspace për t'u kthyer pas, dhe një ose tastin Home për të shkuar te "
           "faqja kryesore.",
           "Shtypni katër ose shigjetën majtas për pjesën e mëparshme të ekranit, dhe gjashtë ose shigjetën "
           "djathtas për pjesën e radhës të ekranit, si tastierën e ekranit, rezultatet ose një kartë.",
           "Shtypni tastin plus për zë më të fortë, dhe tastin minus për zë më të ulët.",
           "Shtypni tastin yll që zëri të flasë më shpejt, dhe tastin e vijës së pjerrët që zëri të flasë "
           "më ngadalë.",
           "Shtypni shtatë për të përsëritur, nëntë për të ndaluar ose për të vazhduar, dhe tastin me pikë "
           "ose tastin F një për ta dëgjuar sërish këtë shpjegim."],
    "en": ["Press two or the Down arrow for the next item, eight or the Up arrow for the previous item, "
           "and five or the Enter key to choose.",
           "Press three to leave at once, silently: the kiosk forgets this visit, as Quick exit does.",
           "Press zero or the Backspace key to go back, and one or the Home key to go to the home screen.",
           "Press four or the Left arrow for the previous part of the screen, and six or the Right arrow "
           "for the next part of the screen, such as the keyboard, the results or a card.",
           "Press the plus key for a louder voice, and the minus key for a softer voice.",
           "Press the star key for faster speech, and the slash key for slower speech.",
           "Press seven to repeat, nine to pause or go on, and the dot key or the F one key to hear this "
           "help again."],
}
#: staff swapped the quick exit and pause (3 and 9), took repeat away, left Home its arrow key only
REMAPPED = {"quick_exit": ["numpad9"], "pause": ["numpad3"], "repeat": [], "home": ["home"]}


@pytest.mark.parametrize("lang", LANGS)
def test_the_help_names_every_default_key_with_what_it_does(lang):
    lines = spoken(screens.help_text(lang), lang).splitlines()
    assert lines[0] == {"sq": "Si të përdorni këtë kioskë.", "en": "How to use this kiosk."}[lang]
    # the quick exit right after the keys that move and choose: a visitor may need it first
    assert lines[1:8] == DEFAULT_HELP_KEYS[lang], "\n".join(lines)
    assert lines[8].startswith({"sq": "Mund edhe të prekni ekranin", "en": "You can also touch the screen"}[lang])


@pytest.mark.parametrize("lang", LANGS)
def test_the_help_names_the_keys_the_kiosk_is_configured_with(lang):
    """Quick exit moved to 9 and pause to 3, repeat with no key: the help says 9 leaves, 3
    pauses, and says nothing of repeating; Home only by its keyboard key."""
    from kiosk.speech.keys import KeyMap

    text = spoken(screens.help_text(lang, keymap=KeyMap(REMAPPED)), lang)
    lines = text.splitlines()
    assert lines[2] == {"sq": "Shtypni nëntë për të dalë menjëherë, pa folur: kioska e harron këtë vizitë, "
                              "njësoj si butoni Dil shpejt.",
                        "en": "Press nine to leave at once, silently: the kiosk forgets this visit, "
                              "as Quick exit does."}[lang]
    assert lines[3] == {"sq": "Shtypni zero ose tastin Backspace për t'u kthyer pas, dhe tastin Home për të "
                              "shkuar te faqja kryesore.",
                        "en": "Press zero or the Backspace key to go back, and the Home key to go to the "
                              "home screen."}[lang]
    assert lines[7] == {"sq": "Shtypni tre për të ndaluar ose për të vazhduar, dhe tastin me pikë ose tastin "
                              "F një për ta dëgjuar sërish këtë shpjegim.",
                        "en": "Press three to pause or go on, and the dot key or the F one key to hear this "
                              "help again."}[lang]
    assert {"sq": "për të përsëritur", "en": "to repeat"}[lang] not in text
    assert {"sq": "shtatë", "en": "seven"}[lang] not in text and {"sq": "një ose", "en": "one or"}[lang] not in text
    # what was not remapped is said as by default
    assert lines[1] == DEFAULT_HELP_KEYS[lang][0] and lines[4:7] == DEFAULT_HELP_KEYS[lang][3:6]


@pytest.mark.parametrize("lang", LANGS)
def test_the_help_leaves_out_a_sentence_whose_keys_are_all_gone(lang):
    from kiosk.speech.keys import KeyMap

    lines = spoken(screens.help_text(lang, keymap=KeyMap({"louder": [], "softer": [], "quick_exit": []})),
                   lang).splitlines()
    default = spoken(screens.help_text(lang), lang).splitlines()
    assert lines == [line for i, line in enumerate(default) if i not in (2, 5)]


@pytest.mark.parametrize("lang", LANGS)
def test_the_welcome_names_one_key_each_from_the_key_map(lang):
    """The welcome loops to passers-by: one short sentence, the keypad's own key of each."""
    from kiosk.speech.keys import KeyMap

    def keys_said(keymap=None):
        said = [p.text for p in screens.welcome([lang], keymap=keymap)]
        start = {"sq": "Në tastierë, shtypni", "en": "On the keypad, press"}[lang]
        return [t for t in said if t.startswith(start)]

    assert keys_said() == [{
        "sq": "Në tastierë, shtypni dy për elementin tjetër, tetë për elementin e mëparshëm, pesë për të "
              "zgjedhur, zero për t'u kthyer pas, dhe tastin me pikë për të dëgjuar çfarë bën secili tast.",
        "en": "On the keypad, press two for the next item, eight for the previous item, five to choose, "
              "zero to go back, and the dot key to hear what each key does."}[lang]]
    moved = keys_said(KeyMap({"activate": ["enter"], "help": ["f1"], "back": []}))
    assert moved == [{
        "sq": "Në tastierë, shtypni dy për elementin tjetër, tetë për elementin e mëparshëm, tastin Enter për "
              "të zgjedhur, dhe tastin F një për të dëgjuar çfarë bën secili tast.",
        "en": "On the keypad, press two for the next item, eight for the previous item, the Enter key to "
              "choose, and the F one key to hear what each key does."}[lang]]
    nothing = {action: [] for action in ("up", "down", "activate", "back", "help")}
    assert keys_said(KeyMap(nothing)) == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_slip_can_be_heard(sample_session, lang):
    detail = first_service(sample_session, lang, "pension")
    slip = build_slip(detail, lang, NOW)
    parts = receipts.slip(slip)
    text = spoken(parts, lang)
    assert detail.name.rstrip(".") in text
    assert slip.code not in text
    assert {"sq": "Fleta juaj thotë:", "en": "Your slip says:"}[lang] == parts[0].text


def test_albanian_and_english_differ_everywhere(sample_session):
    """Every spoken message has its Albanian translation: no English in an Albanian session."""
    def texts(lang):
        detail = first_service(sample_session, lang, "pension")
        return [p.text for p in screens.help_text(lang) + screens.idle_prompt(5, lang)
                + screens.private_listening(lang) + receipts.printing_outcome("ok", lang)
                + screens.service(detail, lang, NOW.date())[:4]]
    for sq, en in zip(texts("sq"), texts("en")):
        assert sq != en


def test_no_kivy_below_the_ui():
    code = ("import sys, kiosk.speech.screens, kiosk.speech.engine, kiosk.speech.keypad, "
            "kiosk.speech.cli, kiosk.speech.receipts; assert 'kivy' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("lang", LANGS)
def test_urgent_help_reads_every_line_with_its_number_to_dial(sample_session, lang):
    lines = q.urgent_lines(sample_session, lang, now=NOW)
    assert lines, "the sample lists urgent lines"
    parts = screens.urgent(lines, lang)
    # the sample's domestic violence lines are sensitive: the headphones notice comes first
    assert any(line.sensitive for line in lines)
    assert parts[0] == screens.private_listening(lang)[0]
    parts = parts[1:]
    text = spoken(parts, lang)
    # heading, how to call, then a part per line: the first line is whole in the opening
    assert len(parts) == 2 + len(lines) + (1 if any(line.demo for line in lines) else 0)
    assert parts[2] == screens.urgent_line(lines[0], lang)
    numbers = {line.number for line in lines}
    for line, part in zip(lines, parts[2:]):
        assert cards.dial_digits(line.number, lang) in part.text
    # the 116 lines digit by digit, never as thousands
    if "116 111" in numbers:
        assert {"sq": "një një gjashtë, një një një", "en": "one one six, one one one"}[lang] in text
    assert not re.search(r"\b(thousand|mijë|hundred|njëqind)\b", text), text
    # a number in a line's name ("Policia – 129") is not read a second time, as a quantity
    police = next(p.text for line, p in zip(lines, parts[2:]) if line.number == "129")
    assert police.startswith({"sq": "Policia. ", "en": "Police. "}[lang]), police
    # the demo notice comes last, so no number waits behind it
    assert any(line.demo for line in lines)
    assert parts[-1] == screens.say(lang, screens.URGENT_DEMO)
    assert spoken(screens.urgent([], lang), lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_take_away_panel_and_a_report_are_said(sample_session, lang):
    detail = first_service(sample_session, lang, "pension")
    titles = {"sq": ["Ruaj kontaktin", "Telefono"], "en": ["Save contact", "Call"]}[lang]
    parts = screens.service(detail, lang, NOW.date(), take_away_titles=titles, can_print=True)
    text = spoken(parts, lang)
    said = {"sq": "Merreni me vete: Ruaj kontaktin, Telefono.", "en": "Take it with you: Save contact, Call."}[lang]
    index = [p.text for p in parts].index(said)
    # after the status and how to reach it (its phone, where to go), as the page shows them first
    reach = len(screens._reach(detail, lang, screens._Said()))
    assert reach and index == 3 + bool(detail.alternate_name) + reach
    assert {"sq": "kamerën e telefonit", "en": "phone's camera"}[lang] in text
    assert {"sq": "prekni Printo", "en": "touch Print"}[lang] in text
    assert "Print" not in join(screens.service(detail, lang, NOW.date(), take_away_titles=titles))
    thanks = spoken(screens.report_thanks(lang), lang)
    assert thanks.startswith({"sq": "Faleminderit!", "en": "Thank you!"}[lang])


def test_welcome_gives_the_keys_and_urgent_help_in_each_language():
    parts = screens.welcome(["sq", "en"])
    for lang in LANGS:
        mine = [p.text for p in parts if p.lang == lang]
        assert any(t.startswith({"sq": "Në tastierë", "en": "On the keypad"}[lang]) for t in mine), mine
        assert any({"sq": "Ndihmë urgjente", "en": "Urgent help"}[lang] in t for t in mine)


@pytest.mark.parametrize("lang", LANGS)
def test_a_service_says_how_to_ask_for_an_interpreter(sample_session, lang):
    from kiosk.catalogue import models as m
    from sqlalchemy import select

    service_id = sample_session.scalars(select(m.Service.id).where(
        m.Service.interpretation_services.is_not(None))).first()
    detail = q.service_detail(sample_session, service_id, lang, now=NOW)
    assert detail.interpretation
    text = spoken(screens.service(detail, lang, NOW.date()), lang)
    assert normalise(detail.interpretation, lang).rstrip(".") in text


@pytest.mark.parametrize("lang", LANGS)
def test_a_service_says_its_seasons_notes_and_its_providers_email_as_shown(sample_session, lang):
    from sqlalchemy import select

    from kiosk.catalogue import models as m

    seasonal = provider = None
    for service_id in sample_session.scalars(select(m.Service.id)):
        detail = q.service_detail(sample_session, service_id, lang, now=NOW)
        if detail is None:
            continue
        this_week = {n for loc in detail.locations for day in loc.week for n in day.notes}
        if seasonal is None and any(set(loc.schedule_notes) - this_week for loc in detail.locations):
            seasonal = detail
        if provider is None and detail.organization.email:
            provider = detail
    assert seasonal is not None and provider is not None, "the sample has both"
    text = spoken(screens.service(seasonal, lang, NOW.date()), lang)
    for loc in seasonal.locations:
        for note in loc.schedule_notes:
            assert normalise(note, lang).rstrip(".") in text
    text = spoken(screens.service(provider, lang, NOW.date()), lang)
    assert cards.email(provider.organization.email, lang).text in text


def test_a_phone_says_its_kind_and_its_extension():
    from kiosk.catalogue.cards import PhoneInfo

    reception = PhoneInfo("+355 54 400 100", "voice", "Recepsioni", "204")
    assert cards.phone(reception, "en").text == (
        "Phone: plus three five five, five four, four zero zero, one zero zero, extension two zero four, "
        "Recepsioni.")
    sq = cards.phone(reception, "sq").text
    assert "zgjatimi dy zero katër" in sq and sq.startswith("Telefoni")
    fax = cards.phone(PhoneInfo("054 400 101", "fax", ""), "en").text
    assert fax.startswith("Fax: zero five four") and "Phone" not in fax
    assert cards.phone(PhoneInfo("054 400 101", "fax", ""), "sq").text.startswith("Faks:")
    assert cards.phone(PhoneInfo("069 123 4567", "text", ""), "en").text.startswith("Text messages, SMS, zero six")


def _a_sample_detail(sample_session, lang):
    from sqlalchemy import select

    from kiosk.catalogue import models as m

    service_id = sample_session.scalars(select(m.Service.id).where(m.Service.status == "active")
                                        .order_by(m.Service.id)).first()
    return q.service_detail(sample_session, service_id, lang, now=NOW)


@pytest.mark.parametrize("lang", LANGS)
def test_a_service_says_the_people_to_contact_about_it(sample_session, lang):
    from dataclasses import replace

    from kiosk.catalogue.cards import ContactInfo, PhoneInfo

    person = ContactInfo("Arta Hoxha", "Punonjëse sociale", "", "arta@example.al",
                         (PhoneInfo("069 222 3333", "", ""),))
    detail = replace(_a_sample_detail(sample_session, lang), contacts=(person,))
    parts = [p.text for p in screens.service(detail, lang, NOW.date())]
    heading = spoken_heading(lang, screens.PEOPLE)
    at = parts.index(heading)
    assert parts[at + 1] == "Arta Hoxha, Punonjëse sociale."
    assert parts[at + 2].endswith({"sq": "zero gjashtë nëntë, dy dy dy, tre tre tre tre.",
                                   "en": "zero six nine, two two two, three three three three."}[lang])
    assert "arta" in parts[at + 3]
    assert at < parts.index(spoken_heading(lang, screens.PROVIDED_BY))


def spoken_heading(lang, message):
    from kiosk.speech.parts import say, sentence

    return sentence(say(lang, message).text)


def test_a_service_says_its_age_limits_before_who_can_apply(sample_session):
    from dataclasses import replace

    base = _a_sample_detail(sample_session, "sq")
    detail = replace(base, minimum_age="18", maximum_age="25", eligibility="Të rinjtë pa punë.")
    parts = [p.text for p in screens.service(detail, "sq", NOW.date())]
    at = parts.index(spoken_heading("sq", screens.WHO))
    assert parts[at + 1:at + 3] == ["Mosha nga tetëmbëdhjetë deri në njëzet e pesë vjeç.", "Të rinjtë pa punë."]
    english = [p.text for p in screens.service(replace(_a_sample_detail(sample_session, "en"),
                                                       minimum_age="18", maximum_age=""), "en", NOW.date())]
    assert "Ages eighteen and over." in english
    only_max = [p.text for p in screens.service(replace(base, maximum_age="3", eligibility=""), "sq")]
    assert "Mosha deri në tre vjeç." in only_max


@pytest.mark.parametrize("lang", LANGS)
def test_a_postal_address_is_said_as_one_after_the_place(sample_session, lang):
    from dataclasses import replace

    base = _a_sample_detail(sample_session, lang)
    loc = replace(base.locations[0], address_lines=("Rruga Rinia 5",), postal_lines=("Kutia Postare 12",))
    parts = [p.text for p in screens.service(replace(base, locations=(loc,)), lang, NOW.date())]
    # the place's address once, where to go, right after the status; its postal address in its
    # card, after its name, never as where to go
    assert parts.count(normalise("Rruga Rinia 5.", lang)) == 1
    label = {"sq": "Adresa postare", "en": "Postal address"}[lang]
    postal = next(i for i, p in enumerate(parts) if p.startswith(label + ":"))
    assert "Kutia Postare" in parts[postal] and parts[postal - 1] == normalise(loc.name + ".", lang)
    assert postal > parts.index(normalise("Rruga Rinia 5.", lang))


@pytest.mark.parametrize("lang", LANGS)
def test_a_place_says_who_to_ask_there_after_its_phones(sample_session, lang):
    """A place read aloud names the people to ask there as its card shows them: who they are,
    their phone with its extension, their e-mail; then its hours. The organization page's places
    are read the same way."""
    from dataclasses import replace

    from kiosk.catalogue.cards import ContactInfo, OrganizationDetail, PhoneInfo

    base = _a_sample_detail(sample_session, lang)
    person = ContactInfo("Dritan Leka", "Recepsionist", "Recepsioni", "recepsioni@example.al",
                         (PhoneInfo("054 400 300", "voice", "", "5"),), "id-dritan")
    desk = PhoneInfo("054 400 100", "voice", "")
    loc = replace(base.locations[0], phones=(desk,), contacts=(person,))
    parts = [p.text for p in screens.service(replace(base, locations=(loc,)), lang, NOW.date())]
    heading = spoken_heading(lang, screens.ASK_HERE)
    assert heading == {"sq": "Kë të pyesni këtu.", "en": "Who to ask here."}[lang]
    at = parts.index(heading)
    assert parts[at - 1] == cards.phone(desk, lang).text          # the place's own phone first
    assert parts[at + 1] == normalise("Dritan Leka, Recepsionist, Recepsioni.", lang)
    assert parts[at + 2].endswith({"sq": "zgjatimi pesë.", "en": "extension five."}[lang])
    assert "recepsioni" in parts[at + 3]
    assert at < parts.index(spoken_heading(lang, screens.PROVIDED_BY))
    org = OrganizationDetail(base.organization, (loc,), ())
    said = [p.text for p in screens.organization(org, lang)]
    assert said[said.index(heading) + 1] == parts[at + 1]
    # a place nobody is named at says no such heading
    assert heading not in [p.text for p in screens.service(base, lang, NOW.date())]


def _term(session, code, lang):
    from kiosk.catalogue import models as m
    from sqlalchemy import select

    term_id = session.scalar(select(m.TaxonomyTerm.id).where(m.TaxonomyTerm.code == code))
    return q.category(session, term_id, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_a_list_says_a_sensitive_row_by_its_neutral_title_after_the_headphones_notice(sample_session, lang):
    notice = screens.private_listening(lang)[0]
    # "Women" is not sensitive; the domestic violence services in it are
    women = _term(sample_session, "women", lang)
    rows = q.rows_at(sample_session, q.category_listing(sample_session, women.id, lang), now=NOW)
    hidden = [r for r in rows if r.sensitive]
    assert hidden and len(hidden) < len(rows)
    parts = screens.category(women, rows, lang)
    text = spoken(parts, lang)
    assert parts[0] == notice
    neutral = {"sq": "Këshillim", "en": "Counselling"}[lang]
    said = [p.text for p in parts]
    for row in hidden:
        assert row.neutral_title == neutral
        assert cards.service_row(row, lang, reveal=True).text not in said
        status = cards.status_short(row.status, lang, row.service_status).text
        assert f"{neutral}. {screens.sentence(status)}" in said
    assert not any(n in text for n in ("dhun", "violence"))
    # a plain row is said whole, as before
    plain_row = next(r for r in rows if not r.sensitive)
    assert cards.service_row(plain_row, lang).text in said

    # search: the same rule ("shelter" finds the shelter for women and children at risk)
    found = q.search(sample_session, {"sq": "strehim", "en": "shelter"}[lang], lang, now=NOW)
    assert any(r.sensitive for r in found)
    parts = screens.search({"sq": "strehim", "en": "shelter"}[lang], found, lang)
    text = spoken(parts, lang)
    assert parts[0] == notice
    said = [p.text for p in parts]
    for r in found:
        assert (cards.search_result(r, lang, reveal=True).text in said) != r.sensitive, r
        assert cards.search_result(r, lang).text in said
    # a list with nothing sensitive has no notice
    plain_found = [r for r in found if not r.sensitive]
    assert screens.search("x", plain_found, lang)[0] != notice


@pytest.mark.parametrize("lang", LANGS)
def test_a_sensitive_category_and_urgent_help_say_the_headphones_notice_first(sample_session, lang):
    notice = screens.private_listening(lang)[0]
    violence = _term(sample_session, "domestic-violence", lang)
    assert violence.sensitive and violence.neutral_title == {"sq": "Këshillim", "en": "Counselling"}[lang]
    rows = q.rows_at(sample_session, q.category_listing(sample_session, violence.id, lang), now=NOW)
    parts = screens.category(violence, rows, lang)
    # the visitor chose this page: after the notice it is said as it shows (the UI's opening
    # holds it back until they ask, as a sensitive service's)
    assert parts[0] == notice and parts[1].text == violence.name + "."
    assert all(cards.service_row(r, lang, reveal=True) in parts for r in rows)
    assert screens.urgent(q.urgent_lines(sample_session, lang, now=NOW), lang)[0] == notice
    detail = next(d for d in (q.service_detail(sample_session, r.id, lang, now=NOW)
                              for r in q.search(sample_session, {"sq": "strehim", "en": "shelter"}[lang], lang, now=NOW)
                              if r.sensitive and r.kind == "service"))
    assert screens.service(detail, lang, NOW.date())[0] == notice

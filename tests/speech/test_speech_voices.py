"""Albanian text in an English reading (a field with no English, what the visitor typed) is
read by the Albanian voice: which text is Albanian, how a part mixes voices, and what the engine
really hands espeak-ng."""
from __future__ import annotations

import json
import sys
import threading
from dataclasses import replace
from datetime import datetime

import pytest

from factories import uid
from kiosk.catalogue import queries as q
from kiosk.catalogue.cards import Albanian, PhoneInfo, ServiceRow
from kiosk.catalogue.hours import TZ
from kiosk.catalogue.store import Catalogue
from kiosk.speech import cards, screens
from kiosk.speech.engine import EspeakEngine
from kiosk.speech.language import albanian, sentences
from kiosk.speech.normalise import normalise
from kiosk.speech.parts import Part, catalogue, plain

NOW = datetime(2026, 11, 3, 10, 0, tzinfo=TZ)
#: the sample's economic assistance: three places, two of them with no English address
ECONOMIC = "d572c3ae-1b67-524b-b90b-28f4209bc1bc"


def reading(session, service_id, lang):
    detail = q.service_detail(session, service_id, lang, now=NOW)
    return detail, screens.service(detail, lang, NOW.date(), q.organization_addresses(session, detail.organization.id))


@pytest.fixture
def fed(tmp_path, espeak):
    """An engine whose espeak-ng writes down what it is fed (voice and text) before it speaks,
    playing into a player that takes the audio and drops it."""
    log = tmp_path / "fed.jsonl"
    wrapper = tmp_path / "espeak-ng"
    wrapper.write_text(
        f"#!{sys.executable}\n"
        "import json, subprocess, sys\n"
        "args = sys.argv[1:]\n"
        "if '--stdin' not in args:\n"
        f"    sys.exit(subprocess.run([{espeak!r}, *args]).returncode)\n"
        "text = sys.stdin.buffer.read()\n"
        f"with open({str(log)!r}, 'a') as out:\n"
        "    out.write(json.dumps({'voice': args[args.index('-v') + 1], 'text': text.decode()}) + '\\n')\n"
        f"done = subprocess.run([{espeak!r}, *args], input=text, stdout=sys.stdout.buffer)\n"
        "sys.exit(done.returncode)\n")
    wrapper.chmod(0o755)
    sink = [sys.executable, "-c", "import sys; sys.stdin.buffer.read()"]
    engine = EspeakEngine(binary=str(wrapper), player=sink)
    assert engine.status().available, engine.status().detail

    def said(parts, lang):
        done = threading.Event()
        engine.listener = lambda name, _n: done.set() if name in ("finished", "stopped") else None
        engine.speak(parts, lang)
        assert done.wait(60), "the speech never ended"
        lines = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
        log.unlink(missing_ok=True)
        return [(x["voice"], x["text"]) for x in lines]

    yield said
    engine.close()


def test_what_espeak_is_fed_for_an_english_service_page(sample_session, fed):
    """The text the engine hands espeak-ng: the postcode as digits, the untranslated Albanian
    address by the Albanian voice, the English around it by the English one."""
    _detail, parts = reading(sample_session, ECONOMIC, "en")
    where = [p.text for p in parts].index("Social services office in Bradashesh.")
    said = fed(parts[where:where + 2], "en")
    assert said == [("en", "Social services office in Bradashesh."),
                    ("sq", "Njësia Administrative Bradashesh, pranë shkollës,"),
                    ("en", "three zero zero one Elbasan.")]
    _detail, parts = reading(sample_session, ECONOMIC, "sq")
    said = fed([p for p in parts if "Bradashesh, pranë" in p.text][:1], "sq")
    assert said == [("sq", "Njësia Administrative Bradashesh, pranë shkollës, tre zero zero një Elbasan.")]


def test_untranslated_text_in_an_english_reading_is_given_the_albanian_voice(sample_session):
    detail, parts = reading(sample_session, ECONOMIC, "en")
    # a field the data gives in Albanian (no English): the part is the Albanian voice's
    untranslated = replace(detail, description=Albanian("Një pagesë çdo muaj për familjet në nevojë."))
    part = next(p for p in screens.service(untranslated, "en", NOW.date()) if p.text.startswith("Një pagesë"))
    assert part.lang == "sq" and part.pieces == ()
    assert part.text == normalise("Një pagesë çdo muaj për familjet në nevojë.", "sq")
    # a translated field that names an Albanian town stays English
    english = "Buses on the Elbasan – Librazhd – Korçë line stop 200 metres away."
    assert catalogue("en", english) == Part(normalise(english, "en"), "en")
    # text no data speaks for (a label off the screen) is judged a sentence at a time
    mixed = plain("en", "Open to everyone. Sillni kartën e identitetit.")
    assert mixed.lang == "en" and mixed.pieces == (("Open to everyone.", "en"), ("Sillni kartën e identitetit.", "sq"))
    # a list row: an Albanian name, an English status
    row = cards.service_row(ServiceRow("s", Albanian("Fizioterapi për fëmijët"), "", detail.status), "en")
    assert [lang for _t, lang in row.pieces] == ["sq", "en"]
    # a phone's note with no English
    note = cards.phone(PhoneInfo("+355 54 200 111", "voice", Albanian("Sporteli në katin përdhes")), "en")
    assert note.pieces == (("Phone: plus three five five, five four, two zero zero, one one one,", "en"),
                           ("Sporteli në katin përdhes.", "sq"))
    # an Albanian reading never switches
    assert plain("sq", english).lang == "sq" and plain("sq", english).pieces == ()
    assert catalogue("sq", Albanian("Sporteli")).lang == "sq"


def test_albanian_is_told_from_english():
    for text in ("Njësia Administrative Bradashesh, pranë shkollës", "strehë", "Kartë identiteti",
                 "Zyra e shërbimeve sociale në Shirgjan", "Korçë", "Qendra Ditore Ylberi",
                 "Dy shkallë në hyrje. Punonjësi del t'ju takojë nëse i telefononi."):
        assert albanian(text), text
    for text in ("A small office in the Bradashesh Administrative Unit building.", "shelter", "Free.",
                 "Identity card", "Buses on the Elbasan – Librazhd – Korçë line stop 200 metres away.",
                 "I need help", "pension", ""):
        assert not albanian(text), text
    assert sentences("Rr. Kavaja, Nd. 5. Hapur çdo ditë. Open daily.") == [
        "Rr. Kavaja, Nd. 5.", "Hapur çdo ditë.", "Open daily."]


def test_the_typed_search_is_read_in_its_own_voice(sample_session):
    results = q.search(sample_session, "strehë", "en", now=NOW)
    parts = screens.search("strehë", results, "en")
    # after a key on the search screen the first two parts are said: what was searched, how many
    assert parts[0].pieces == (("Search results for", "en"), ("strehë.", "sq"))
    assert parts[1].lang == "en" and parts[1].text.endswith("results.")
    assert screens.search("shelter", results, "en")[0] == Part("Search results for shelter.", "en")
    nothing = screens.search("qqqë", [], "en")[0]
    assert [lang for _t, lang in nothing.pieces] == ["en", "sq"]


# ------------------------------------------------------------------ the voice comes from the data


@pytest.fixture
def written_plainly(tmp_path):
    """A catalogue whose one extra service has an English name, eligibility and way to apply
    (an English line naming "Të Rinjtë" and "Korçë"), and a place, but no English description:
    its Albanian description is typed without ë or ç, as much Albanian is, and so is its
    address (addresses have no translations)."""
    from factories import location, make_feed, organization, service

    feed = make_feed()
    place = location("loc:plain", "Prane Bashkise")
    place["name"], place["x_translations"] = "Zyra e ndihmes", {"en": {"name": "Korçë office"}}
    org = organization("org:plain", "Bashkia Elbasan", "Elbasan Municipality")
    svc = service("svc:plain", "Ndihme ekonomike", "Economic assistance", org, ["cat:housing"], loc=place,
                  description="Ndihma financiare mujore per familjet ne nevoje.")
    svc["eligibility_description"] = "Familjet me te ardhura te ulta."
    svc["application_process"] = "Pyesni Driten ne Qendren Te Rinjte."
    svc["x_translations"]["en"] = {"name": "Economic assistance",
                                   "eligibility_description": "Families on a low income.",
                                   "application_process": "Ask for Drita at Qendra Të Rinjtë in Korçë."}
    feed["services"].append(svc)
    cat = Catalogue(tmp_path / "catalogue.sqlite3")
    cat.create_schema()
    cat.load(feed, source="test")
    with cat.session() as session:
        yield session, uid("svc:plain")
    cat.dispose()


def test_an_english_reading_gives_each_field_the_voice_of_its_language_in_the_data(written_plainly, fed):
    """What espeak-ng is fed for an English reading of a service whose description and address
    have no English: those with -v sq (though no ë tells), its English fields with -v en
    (though "Të Rinjtë" and "Korçë" are in them)."""
    session, sid = written_plainly
    detail = q.service_detail(session, sid, "en", now=NOW)
    said = fed(screens.service(detail, "en", NOW.date()), "en")
    voices: dict[str, set[str]] = {}
    for voice, text in said:
        voices.setdefault(text, set()).add(voice)

    def voice_of(words: str) -> set[str]:
        found = {v for text, vs in voices.items() if words in text for v in vs}
        assert found, f"{words!r} was not said: {said}"
        return found

    assert voice_of("Ndihma financiare mujore per familjet ne nevoje") == {"sq"}
    assert voice_of("Prane Bashkise") == {"sq"}
    # the address's piece with a number, which the listener must understand, in theirs
    assert voice_of("three zero zero one Elbasan") == {"en"}
    assert voice_of("Ask for Drita at Qendra Të Rinjtë in Korçë") == {"en"}
    assert voice_of("Korçë office") == {"en"}
    assert voice_of("Economic assistance") == {"en"}
    assert voice_of("Families on a low income") == {"en"}
    # the Albanian eligibility was never said: it has English
    assert not [t for t in voices if "Familjet me te ardhura" in t]

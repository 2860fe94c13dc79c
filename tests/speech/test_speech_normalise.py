"""Albanian and English numbers and text written for the ear."""
from __future__ import annotations

import re

import pytest

from kiosk.speech.normalise import MAX_CHARS, normalise
from kiosk.speech.numbers import digits, en_ordinal, en_words, en_year, sq_words


@pytest.mark.parametrize("n, spoken", [
    (0, "zero"), (1, "një"), (7, "shtatë"), (10, "dhjetë"), (11, "njëmbëdhjetë"),
    (14, "katërmbëdhjetë"), (19, "nëntëmbëdhjetë"), (20, "njëzet"), (21, "njëzet e një"),
    (30, "tridhjetë"), (40, "dyzet"), (56, "pesëdhjetë e gjashtë"), (99, "nëntëdhjetë e nëntë"),
    (100, "njëqind"), (101, "njëqind e një"), (130, "njëqind e tridhjetë"), (200, "dyqind"),
    (999, "nëntëqind e nëntëdhjetë e nëntë"), (1000, "një mijë"), (1001, "një mijë e një"),
    (1130, "një mijë e njëqind e tridhjetë"), (2000, "dy mijë"),
    (2026, "dy mijë e njëzet e gjashtë"), (10_000, "dhjetë mijë"),
    (250_000, "dyqind e pesëdhjetë mijë"),
    (999_999, "nëntëqind e nëntëdhjetë e nëntë mijë e nëntëqind e nëntëdhjetë e nëntë"),
    (1_000_000, "një milion"), (3_000_000, "tre milionë"),
])
def test_albanian_numbers(n, spoken):
    assert sq_words(n) == spoken


@pytest.mark.parametrize("n, spoken", [
    (0, "zero"), (13, "thirteen"), (21, "twenty-one"), (100, "one hundred"),
    (130, "one hundred and thirty"), (1001, "one thousand and one"),
    (3000, "three thousand"), (999_999, "nine hundred and ninety-nine thousand nine hundred and ninety-nine"),
])
def test_english_numbers(n, spoken):
    assert en_words(n) == spoken


def _sq_value(spoken: str) -> int:
    """Read Albanian number words back (the test's own parser)."""
    from kiosk.speech.numbers import SQ_TEENS, SQ_TENS, SQ_UNITS

    small = {w: i for i, w in enumerate(SQ_UNITS)} | {w: 10 + i for i, w in enumerate(SQ_TEENS)}
    small |= {w: 10 * i for i, w in enumerate(SQ_TENS) if w}
    small |= {u + "qind": 100 * i for i, u in enumerate(SQ_UNITS) if i}
    total = current = 0
    words = spoken.split()
    assert words[0] != "e" and words[-1] != "e" and "e e" not in spoken, spoken
    for word in words:
        if word == "e":
            continue
        if word in ("milion", "milionë"):
            total, current = total + current * 1_000_000, 0
        elif word == "mijë":
            total, current = total + current * 1000, 0
        else:
            current += small[word]
    return total + current


def test_every_number_to_999999_reads_back_as_itself():
    for n in [*range(20_000), *range(20_000, 1_000_000, 37), 999_999]:
        assert _sq_value(sq_words(n)) == n
    for n in (1_000_001, 12_345_678, 999_999_999):
        assert _sq_value(sq_words(n)) == n
    assert sq_words(10**12) == digits(str(10**12), "sq")


def test_ordinals_and_years():
    assert [en_ordinal(n) for n in (1, 2, 3, 4, 12, 20, 21, 31)] == [
        "first", "second", "third", "fourth", "twelfth", "twentieth", "twenty-first", "thirty-first"]
    assert en_year(2026) == "twenty twenty-six" and en_year(2000) == "two thousand"
    assert en_year(2005) == "two thousand and five"


@pytest.mark.parametrize("text, spoken", [
    # phone numbers: digit by digit, in their written groups
    ("+355 54 200 130", "plus tre pesë pesë, pesë katër, dy zero zero, një tre zero"),
    ("Tel. 054 200 130", "telefon zero pesë katër, dy zero zero, një tre zero"),
    # a long group written without spaces is said in the groups people say: 225 68 40
    ("+355 4 2256840", "plus tre pesë pesë, katër, dy dy pesë, gjashtë tetë, katër zero"),
    ("0692001234", "zero gjashtë nëntë dy zero zero një dy tre katër"),
    # times
    ("08:00–12:00", "nga ora tetë deri në dymbëdhjetë"),
    ("08:00 - 16:30", "nga ora tetë deri në gjashtëmbëdhjetë e tridhjetë"),
    ("16:30", "ora gjashtëmbëdhjetë e tridhjetë"),
    ("Hapet nesër në orën 08:00.", "Hapet nesër në orën tetë."),
    ("Hapet në 09:05", "Hapet në orën nëntë e pesë"),
    ("nga 12:00 deri në 13:00.", "nga ora dymbëdhjetë deri në trembëdhjetë."),
    ("20:00–24:00", "nga ora njëzet deri në mesnatë"),
    ("08:00:00", "ora tetë"),
    # dates and weekdays
    ("2026-11-01", "një nëntor dy mijë e njëzet e gjashtë"),
    ("28.11.2026", "njëzet e tetë nëntor dy mijë e njëzet e gjashtë"),
    ("14 korrik 2026", "katërmbëdhjetë korrik dy mijë e njëzet e gjashtë"),
    ("Hën–Pre", "nga e hëna deri të premten"),
    ("e hënë - e shtunë", "nga e hëna deri të shtunën"),
    # abbreviations
    ("Rr. Asim Vokshi, Nd.14, Hyrja 11, Ap. 56",
     "Rruga Asim Vokshi, Ndërtesa katërmbëdhjetë, Hyrja njëmbëdhjetë, Apartamenti pesëdhjetë e gjashtë"),
    ("Bul. Qemal Stafa nr. 12", "Bulevardi Qemal Stafa numër dymbëdhjetë"),
    ("Lagj. Kala", "Lagjja Kala"),
    ("dokumente, p.sh. kartë identiteti, etj.", "dokumente, për shembull kartë identiteti, e të tjera."),
    ("pasaportë etj. Pastaj", "pasaportë e të tjera. Pastaj"),
    # symbols, money, numbers
    ("50% e kostos", "pesëdhjetë përqind e kostos"),
    ("€20 ose 20 €", "njëzet euro ose njëzet euro"),
    ("3 000 lekë", "tre mijë lekë"), ("2 500 ALL", "dy mijë e pesëqind lekë"),
    ("Nëna & fëmija", "Nëna dhe fëmija"), ("prindi/kujdestari", "prindi ose kujdestari"),
    ("nr. 5/2", "numër pesë vija e pjerrët dy"), ("2,5 orë", "dy presje pesë orë"),
    ("vitin 2027–2028", "vitin dy mijë e njëzet e shtatë deri në dy mijë e njëzet e tetë"),
    ("6 deri në 15 vjeç", "gjashtë deri në pesëmbëdhjetë vjeç"), ("#3", "numër tre"),
    # addresses on the web, emoji, punctuation
    ("https://www.uri.org.al/about?page=1", "uri pikë org pikë al"),
    ("Shihni www.example.org.", "Shihni example pikë org."),
    ("uri@uri.org.al", "uri et uri pikë org pikë al"),
    ("Mirë se vini 😀👍🏽!", "Mirë se vini!"),
    ("Bashkia Elbasan – ndërtesa kryesore", "Bashkia Elbasan, ndërtesa kryesore"),
    ("Qendra (QKSS)", "Qendra, QKSS"), ("“Dera e hapur”", "Dera e hapur"), ("Prisni…", "Prisni."),
    # a figure right after a letter is a word of its own: a key's name, a paper size
    ("tastin F1", "tastin F një"), ("letër A4", "letër A katër"),
])
def test_albanian_for_the_ear(text, spoken):
    assert normalise(text, "sq") == spoken


@pytest.mark.parametrize("text, spoken", [
    ("+355 69 000 1120", "plus three five five, six nine, zero zero zero, one one two zero"),
    ("08:00–12:00", "from eight AM to twelve noon"),
    ("from 13:00 to 16:30", "from one PM to four thirty PM"),
    ("09:05", "nine oh five AM"), ("00:00", "midnight"),
    ("November 1, 2026", "November first, twenty twenty-six"),
    ("2026-11-28", "November twenty-eighth, twenty twenty-six"),
    ("Mon–Fri", "Monday to Friday"),
    ("Health Centre No. 1", "Health Centre number one"),
    ("e.g. an ID card, etc.", "for example an ID card, et cetera."),
    ("Rr. Sotir Kolea nr. 3", "Rruga Sotir Kolea number three"),
    ("2.5% of 3 000", "two point five percent of three thousand"),
    ("Mother & child", "Mother and child"), ("info@example.org", "info at example dot org"),
    ("the F1 key", "the F one key"),
])
def test_english_for_the_ear(text, spoken):
    assert normalise(text, "en") == spoken


def test_nothing_the_voice_would_spell_out_is_left():
    text = ("Thirrni +355 54 200 130 nga 08:00–16:00 (Hën–Pre), 50% falas & 3 000 lekë, "
            "https://example.org/x 🙂 p.sh. nr. 4/1, 2026-11-01 #2 €5 * _ ~ | ^ < > \\")
    for lang in ("sq", "en"):
        spoken = normalise(text, lang)
        assert not re.search(r"[\d%&@#€*_~|^<>\\/:]|https?|🙂", spoken), spoken


def test_hostile_text_is_cut_before_it_costs_time():
    spoken = normalise("a" * (MAX_CHARS * 50), "sq")
    assert len(spoken) <= MAX_CHARS


@pytest.mark.parametrize("text, lang, spoken", [
    # the European 116 lines are dialled as written, never "one hundred and sixteen thousand"
    ("Linja ALO 116 111", "sq", "Linja ALO një një gjashtë, një një një"),
    ("Call 116 117.", "en", "Call one one six, one one seven."),
    ("116111", "sq", "një një gjashtë një një një"),
    # thousands as each language writes them
    ("3,000 lek for the course", "en", "three thousand lek for the course"),
    ("1.500 lekë", "sq", "një mijë e pesëqind lekë"),
    ("10.000 banorë", "sq", "dhjetë mijë banorë"),
    ("3 000 lekë", "sq", "tre mijë lekë"),
    ("2,5 km", "sq", "dy presje pesë km"),
    ("2.5 km", "en", "two point five km"),
    # a decimal point in Albanian text, and a range of such figures
    ("Mosha 2.5-6 vjeç", "sq", "Mosha dy presje pesë deri në gjashtë vjeç"),
    ("Ages 2.5-6", "en", "Ages two point five to six"),
    # Albanian writes the clock with a dot after "ora" too
    ("Hapur deri në orën 12.30.", "sq", "Hapur deri në orën dymbëdhjetë e tridhjetë."),
    ("ora 9.05", "sq", "ora nëntë e pesë"),
    # an address is written down as heard: dashes and underscores said, digits one by one
    ("Shkruani te cerdhe-kopshte@example.org.", "sq", "Shkruani te cerdhe vizë kopshte et example pikë org."),
    ("linja-116-117@qendra.al", "sq", "linja vizë një një gjashtë vizë një një shtatë et qendra pikë al"),
    ("info_2@uri.org.al", "en", "info underscore two at uri dot org dot al"),
    ("www.qendra-sociale.al", "sq", "qendra vizë sociale pikë al"),
    # English says a day of the month as an ordinal; 24/7 in words
    ("Closed on 28 and 29 November.", "en", "Closed on November twenty-eighth and twenty-ninth."),
    ("Open from 1 July.", "en", "Open from July first."),
    ("Until July 15", "en", "Until July fifteenth"),
    ("Open 24/7.", "en", "Open day and night, every day."),
    ("Hapur 24/7", "sq", "Hapur ditë e natë, çdo ditë"),
    # ... and what those rules must leave alone (a review of this round's rules)
    ("1-3 May", "en", "May first to third"),
    ("28–29 November", "en", "November twenty-eighth to twenty-ninth"),
    ("May 1-3", "en", "May first to third"),
    ("On 1 and 2 June 2026", "en", "On June first and second, twenty twenty-six"),
    ("Bursa 116 000 lekë", "sq", "Bursa njëqind e gjashtëmbëdhjetë mijë lekë"),
    ("Thirrni 116 000.", "sq", "Thirrni një një gjashtë, zero zero zero."),
    ("Mbyllur më 24/7", "sq", "Mbyllur më njëzet e katër korrik"),
    ("Closed on 24/7", "en", "Closed on July twenty-fourth"),
    ("Hapur 24/7", "sq", "Hapur ditë e natë, çdo ditë"),
    # a day and month without a year: a date when no clock has it, or after a word for a date
    ("Mbyllur deri më 31.08", "sq", "Mbyllur deri më tridhjetë e një gusht"),
    ("Closed until 31.08", "en", "Closed until August thirty-first"),
    ("Regjistrimi 15.09–30.06", "sq", "Regjistrimi nga pesëmbëdhjetë shtator deri më tridhjetë qershor"),
    ("Regjistrimi nga 15.09 deri më 30.06", "sq",
     "Regjistrimi nga pesëmbëdhjetë shtator deri më tridhjetë qershor"),
    ("Term 15.09–30.06", "en", "Term from September fifteenth to June thirtieth"),
    ("Mbyllur 24.12–02.01", "sq", "Mbyllur nga njëzet e katër dhjetor deri më dy janar"),
    ("Takim më 10.05", "sq", "Takim më dhjetë maj"),
    ("Takim në orën 10.05", "sq", "Takim në orën dhjetë e pesë"),
    ("Hapur nga 8.00 deri në orën 16.30", "sq", "Hapur nga ora tetë deri në orën gjashtëmbëdhjetë e tridhjetë"),
    ("Çmimi 25.50 lekë", "sq", "Çmimi njëzet e pesë presje pesëdhjetë lekë"),
    ("Ora 8.30–16.30", "sq", "Ora tetë e tridhjetë deri në gjashtëmbëdhjetë e tridhjetë"),
    ("Ora e punës: 8.00 – 16.30", "sq", "Ora e punës: nga ora tetë deri në gjashtëmbëdhjetë e tridhjetë"),
])
def test_numbers_addresses_and_dates_as_a_listener_writes_them_down(text, lang, spoken):
    """Helplines to dial, thousands as each language writes them, the Albanian dotted clock,
    addresses spelt, English days of the month and 24/7."""
    assert normalise(text, lang) == spoken

"""Text written for the eye, rewritten for the ear, in Albanian (``sq``) and English (``en``).

espeak-ng 1.51 reads "+355 54 200 130" as large numbers ("treqind e pesëdhjetë e pesë..."),
"16:00" as "gjashtëmbëdhjetë zero zero", "Nd.14" as "në dë pikë..." and spells "%" and "/"
oddly, so everything the kiosk says goes through :func:`normalise` first:

- **phone numbers** are read digit by digit, in the groups they are written in, a comma (a
  short pause) between groups: "+355 54 200 130" -> "plus tre pesë pesë, pesë katër, dy zero
  zero, një tre zero". Digit by digit because a visitor listens in order to write the number
  down or dial it: every digit is one short word, nothing has to be added up in the head, the
  "e" of "njëqind e tridhjetë" cannot be heard as a digit, and the groups match the printed
  slip and the screen. Numbers of 7 or more digits without spaces (codes) are read the same way;
- **times** in the 24-hour clock the screens and the office doors show, which needs no
  "paradite"/"pasdite" to be clear: "08:00–12:00" -> "nga ora tetë deri në dymbëdhjetë",
  "16:30" -> "ora gjashtëmbëdhjetë e tridhjetë", "në orën 08:00" -> "në orën tetë". English
  says the 12-hour clock its listeners expect: "from eight AM to twelve noon";
- **dates** (``2026-11-01``, ``1.11.2026``, ``1 nëntor 2026``, ``November 1, 2026``) with the
  day and year in words; **weekday ranges** ("Hën–Pre", "Mon–Fri") in full;
- **abbreviations** (Rr., Nd., nr., Ap., Bul., Lagj., p.sh., etj., No., e.g....) in full;
- **symbols**: % € & / @ # + ° as words, brackets and dashes as pauses, emoji dropped;
- **web addresses** shortened to the host name, e-mail addresses read out ("et", "pikë");
- **numbers** in words (:mod:`kiosk.speech.numbers`), "3 000" and "2,5" included.
"""
from __future__ import annotations

import re
import unicodedata
from kiosk.speech.numbers import digits, en_ordinal, en_words, en_year, sq_words, words

#: Longest text read in one go: a hostile or broken catalogue text is cut, never synthesised whole.
MAX_CHARS = 16_000

SQ_MONTHS = ("janar", "shkurt", "mars", "prill", "maj", "qershor", "korrik", "gusht", "shtator",
             "tetor", "nëntor", "dhjetor")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")

# Abbreviations: (pattern, replacement). Patterns need the full stop; the dot of a
# sentence-ending "etj." is kept.
_SQ_ABBREVIATIONS = (
    (r"\bp\.\s?sh\.", "për shembull"), (r"\bsh\.p\.k\.", "shoqëri me përgjegjësi të kufizuar"),
    (r"\bSh\.A\.", "shoqëri aksionare"), (r"\betj\.", "e të tjera"), (r"\bRr\.", "Rruga"),
    (r"\brr\.", "rruga"), (r"\bNd\.", "Ndërtesa"), (r"\bnd\.", "ndërtesa"), (r"\bNr\.", "Numër"),
    (r"\bnr\.", "numër"), (r"\bAp\.", "Apartamenti"), (r"\bap\.", "apartamenti"),
    (r"\bBul\.", "Bulevardi"), (r"\bBlv\.", "Bulevardi"), (r"\bLagj\.", "Lagjja"),
    (r"\b[Tt]el\.", "telefon"), (r"\bZnj\.", "zonja"), (r"\bZ\.", "zoti"), (r"\bDr\.", "doktor"),
    (r"\bKt\.", "Kati"), (r"\bkt\.", "kati"), (r"\bmin\.", "minuta"), (r"\bvj\.", "vjeç"),
)
_EN_ABBREVIATIONS = (
    (r"\be\.\s?g\.", "for example"), (r"\bi\.\s?e\.", "that is"), (r"\betc\.", "et cetera"),
    (r"\b[Nn]o\.(?=\s?\d)", "number"), (r"\bSt\.", "Street"), (r"\bRd\.", "Road"),
    (r"\bAve\.", "Avenue"), (r"\bBlvd\.", "Boulevard"), (r"\bApt\.", "Apartment"),
    (r"\bTel\.", "Phone"), (r"\btel\.", "phone"), (r"\bMrs\.", "Missus"), (r"\bMr\.", "Mister"),
    (r"\bMs\.", "Miz"), (r"\bDr\.", "Doctor"), (r"\bapprox\.", "about"), (r"\bmin\.", "minutes"),
    # Albanian addresses keep their Albanian street words in English text.
    (r"\bRr\.", "Rruga"), (r"\bBul\.", "Bulevardi"), (r"\bLagj\.", "Lagjja"),
    (r"\bNd\.", "Building"), (r"\bAp\.", "Apartment"), (r"\b[Nn]r\.", "number"),
)
_KEEP_FULL_STOP = {"e të tjera", "et cetera"}

_SQ_DAYS_SHORT = ("hën", "mar", "mër", "enj", "pre", "sht", "die")
_SQ_DAYS_FULL = ("e hënë", "e martë", "e mërkurë", "e enjte", "e premte", "e shtunë", "e diel")
_SQ_DAYS_FROM = ("e hëna", "e marta", "e mërkura", "e enjtja", "e premtja", "e shtuna", "e diela")
_SQ_DAYS_TO = ("të hënën", "të martën", "të mërkurën", "të enjten", "të premten", "të shtunën",
               "të dielën")
_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_WORDS = {
    "sq": {"plus": "plus", "percent": "përqind", "euro": "euro", "and": "dhe", "at": "et",
           "dot": "pikë", "or": "ose", "slash": "vija e pjerrët", "number": "numër",
           "degrees": "gradë", "comma": "presje", "to": "deri në", "equals": "është",
           "midnight": "mesnatë", "dash": "vizë", "underscore": "nënvizë",
           "always": "ditë e natë, çdo ditë"},
    "en": {"plus": "plus", "percent": "percent", "euro": "euros", "and": "and", "at": "at",
           "dot": "dot", "or": "or", "slash": "slash", "number": "number", "degrees": "degrees",
           "comma": "point", "to": "to", "equals": "equals", "midnight": "midnight", "dash": "dash",
           "underscore": "underscore", "always": "day and night, every day"},
}

_DASH = "[–—-]"
_TIME = r"(?<![\d:.,])([01]?\d|2[0-4]):([0-5]\d)(?::[0-5]\d)?(?![\d:])"
_URL = re.compile(r"\b(?:https?://|www\.)([^\s/?#,;]+)[^\s,;]*", re.IGNORECASE)
_EMAIL = re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b")
_PHONE = re.compile(r"(?<![\w+])(\+|00)?(\d{1,4}(?:[ -]\d{1,8}){1,6})(?![\w])")
# the European harmonised lines of social value (116 000 missing children, 116 006 victims,
# 116 111 children, 116 117 here the counselling line for women and girls, 116 123 emotional
# support): any other "116 000 lekë" is a sum
_HARMONISED = re.compile(r"116[ -]?(?:000|006|111|117|123)")
#: after a number: a sum or a count, not a line to call
_UNIT_AFTER = r"(?!\s*(?:lek|lekë|euro|€|ALL|banorë|people|km|kg|%))"
_LONG_DIGITS = re.compile(r"(?<![\w,.])\d{7,}(?![\w])")


def normalise(text: str, lang: str = "sq") -> str:
    """``text`` as the ``lang`` voice should hear it (see the module's docstring)."""
    lang = "en" if lang == "en" else "sq"
    text = unicodedata.normalize("NFC", text or "")[:MAX_CHARS]
    for step in _STEPS:
        text = step(text, lang)
    return _tidy(text)


# ------------------------------------------------------------------ steps


def _drop_emoji(text: str, lang: str) -> str:
    text = text.replace("°", f" {_WORDS[lang]['degrees']} ").replace("…", ".")
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("So", "Sk", "Cs", "Co", "Cn") or ch in "\u200d\ufe0f\ufe0e" or (
                cat == "Cf" and ch != "\u00ad"):
            kept.append(" ")
        elif cat.startswith("C") and ch not in "\n\t":
            kept.append(" ")
        else:
            kept.append(ch)
    return "".join(kept)


def _addresses(text: str, lang: str) -> str:
    w = _WORDS[lang]

    def spelt(label: str) -> str:
        # an address is written down as heard: "-" and "_" said, digits one by one (never
        # "116-117" as a range), so "cerdhe-kopshte" is not run into one word
        label = re.sub(r"\d+", lambda m: f" {digits(m.group(0), lang)} ", label)
        label = label.replace("-", f" {w['dash']} ").replace("_", f" {w['underscore']} ")
        return " ".join(label.split())

    def dotted(name: str) -> str:
        return f" {w['dot']} ".join(spelt(part) for part in name.split(".") if part)

    def url(m: re.Match) -> str:
        trailing = re.search(r"[.!?:)]*$", m.group(0)).group(0)
        host = m.group(1).lower().removeprefix("www.").rstrip(".!?:)")
        return dotted(host.split("@")[-1].split(":")[0]) + trailing

    def email(m: re.Match) -> str:
        return f"{dotted(m.group(1))} {w['at']} {dotted(m.group(2).lower())}"

    return _URL.sub(url, _EMAIL.sub(email, text))


def _abbreviations(text: str, lang: str) -> str:
    for pattern, spoken in (_EN_ABBREVIATIONS if lang == "en" else _SQ_ABBREVIATIONS):
        def put(m: re.Match, spoken: str = spoken) -> str:
            rest = m.string[m.end():].lstrip()
            ends = spoken in _KEEP_FULL_STOP and (not rest or rest[:1].isupper())
            return spoken + ("." if ends else " ")
        text = re.sub(pattern, put, text)
    return text


def _clock_sq(hour: int, minute: int) -> str:
    if hour in (0, 24) and minute == 0:
        return _WORDS["sq"]["midnight"]
    return sq_words(hour) + (f" e {sq_words(minute)}" if minute else "")


def _clock_en(hour: int, minute: int) -> str:
    if hour in (0, 24) and minute == 0:
        return "midnight"
    if hour == 12 and minute == 0:
        return "twelve noon"
    spoken = en_words(hour % 12 or 12)
    if minute:
        spoken += " " + (f"oh {en_words(minute)}" if minute < 10 else en_words(minute))
    return f"{spoken} {'AM' if hour % 24 < 12 else 'PM'}"


def _times(text: str, lang: str) -> str:
    clock = _clock_en if lang == "en" else _clock_sq

    def span(m: re.Match) -> str:
        a, b = clock(int(m.group(1)), int(m.group(2))), clock(int(m.group(3)), int(m.group(4)))
        before = m.string[:m.start()].rstrip().lower()
        if lang == "en":
            return f"{a} to {b}" if before.endswith("from") else f"from {a} to {b}"
        if before.endswith("nga"):
            return f"ora {a} deri në {b}"
        if re.search(r"\bora$", before):
            return f"{a} deri në {b}"
        return f"nga ora {a} deri në {b}"

    def single(m: re.Match) -> str:
        spoken = clock(int(m.group(1)), int(m.group(2)))
        if lang == "en":
            return spoken
        before = m.string[:m.start()].rstrip().lower()
        if re.search(r"\b(?:ora|orën|orës|ore|deri në|deri)$", before) or spoken == "mesnatë":
            return spoken
        if before.endswith("në"):
            return f"orën {spoken}"
        return f"ora {spoken}"

    if lang == "sq":
        # Albanian also writes the clock with a dot after "ora": "në orën 12.30"
        # and in a range of hours, "8.30–16.30" (not a sum: no currency or unit after it)
        text = re.sub(rf"(?<![\d.,])([01]?\d|2[0-4])\.([0-5]\d)(\s*{_DASH}\s*)([01]?\d|2[0-4])\.([0-5]\d)"
                      r"(?![\d.,])(?!\s*(?:lek|lekë|euro|€|ALL|km|kg|%))",
                      r"\1:\2\3\4:\5", text)
        text = re.sub(r"(?i)\b(or[aëe]n?|orës)\s+([01]?\d|2[0-4])\.([0-5]\d)(?!\d|\.\d)", r"\1 \2:\3", text)
        # and in words: "nga 8.30 deri në 16.30" (dates, "deri më 30.06", are words by now)
        text = re.sub(r"(?i)\b(nga\s+)([01]?\d|2[0-4])\.([0-5]\d)(\s+deri\s+në\s+(?:orën\s+)?)"
                      r"([01]?\d|2[0-4])[.:]([0-5]\d)(?!\d|\.\d)", r"\1\2:\3\4\5:\6", text)
    text = re.sub(_TIME + rf"\s*{_DASH}\s*" + _TIME, span, text)
    return re.sub(_TIME, single, text)


def _date(day: int, month: int, year: int, lang: str) -> str:
    if lang == "en":
        return f"{EN_MONTHS[month - 1]} {en_ordinal(day)}, {en_year(year)}"
    return f"{sq_words(day)} {SQ_MONTHS[month - 1]} {sq_words(year)}"


def _dates(text: str, lang: str) -> str:
    def iso(m: re.Match) -> str:
        y, mo, d = (int(x) for x in m.groups())
        return _date(d, mo, y, lang) if 1 <= mo <= 12 and 1 <= d <= 31 else m.group(0)

    def dotted(m: re.Match) -> str:
        d, mo, y = (int(x) for x in m.groups())
        return _date(d, mo, y, lang) if 1 <= mo <= 12 and 1 <= d <= 31 else m.group(0)

    text = re.sub(r"(?<![\d.-])(\d{4})-(\d{2})-(\d{2})(?![\d-])", iso, text)
    text = re.sub(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.])", dotted, text)
    text = _dates_without_year(text, lang)
    if lang == "en":
        months = "|".join(EN_MONTHS)
        day = r"(?:[1-9]|[12]\d|3[01])"
        joint = rf"(\s+(?:and|or|to)\s+|\s*{_DASH}\s*)"
        said = lambda j: " to " if re.fullmatch(rf"\s*{_DASH}\s*", j) else f" {j.strip()} "   # noqa: E731
        text = re.sub(rf"(?<![\d–—-])\b({day}){joint}({day}) ({months}) (\d{{4}})\b", lambda m: (
            f"{m.group(4)} {en_ordinal(int(m.group(1)))}{said(m.group(2))}{en_ordinal(int(m.group(3)))}, "
            f"{en_year(int(m.group(5)))}"), text)
        text = re.sub(rf"\b({months}) (\d{{1,2}}), (\d{{4}})\b", lambda m: _date(
            int(m.group(2)), EN_MONTHS.index(m.group(1)) + 1, int(m.group(3)), "en"), text)
        text = re.sub(rf"\b(\d{{1,2}}) ({months}) (\d{{4}})\b", lambda m: _date(
            int(m.group(1)), EN_MONTHS.index(m.group(2)) + 1, int(m.group(3)), "en"), text)
        # without a year: "Closed on 28 and 29 November" -> "November twenty-eighth and
        # twenty-ninth" (English says the day as an ordinal)
        text = re.sub(rf"(?<![\d–—-])\b({day}){joint}({day}) ({months})\b", lambda m: (
            f"{m.group(4)} {en_ordinal(int(m.group(1)))}{said(m.group(2))}{en_ordinal(int(m.group(3)))}"), text)
        text = re.sub(rf"\b({months}) ({day}){joint}({day})\b(?![\d:,])", lambda m: (
            f"{m.group(1)} {en_ordinal(int(m.group(2)))}{said(m.group(3))}{en_ordinal(int(m.group(4)))}"), text)
        # one day: never one side of a range ("1-3 May" is taken whole above)
        text = re.sub(rf"(?<![\d–—-])(?<![\d][–—-] )\b({day}) ({months})\b",
                      lambda m: f"{m.group(2)} {en_ordinal(int(m.group(1)))}", text)
        text = re.sub(rf"\b({months}) ({day})\b(?!,? \d{{4}})(?![\d:])(?!\s*(?:{_DASH}|to|and)\s*\d)",
                      lambda m: f"{m.group(1)} {en_ordinal(int(m.group(2)))}", text)
    return text


#: A day and month without a year, "31.08" or "24/7" (not a sum: nothing numeric after it)
_DAY_MONTH = r"(?<![\d.,/])([0-2]?\d|3[01])([./])(\d{1,2})(?![\d,]|[./]\d)(?!\s*(?:lek|lekë|euro|€|ALL|km|kg|%))"
#: The words that say a date follows: Albanian "më 31.08", "deri më", "data"; English "on", "until"
_ON_DATE = {"sq": r"më|data|datën|datës|datë", "en": r"on|until|by|from|date"}


def _day_month(day: int, month: int, lang: str) -> str:
    if lang == "en":
        return f"{EN_MONTHS[month - 1]} {en_ordinal(day)}"
    return f"{sq_words(day)} {SQ_MONTHS[month - 1]}"


def _dates_without_year(text: str, lang: str) -> str:
    """"deri më 31.08" -> "deri më tridhjetë e një gusht". A day and month is a date when it cannot
    be a clock time (a day after the 24th, "31.08") or when a word for a date comes before it
    ("më 10.05", "on 24/7"); "ora 10.05" and "8.30" stay times, "2.5" a number, "24/7" day and
    night. A range of two is said as one ("15.09–30.06")."""
    def valid(day: str, month: str) -> bool:
        return 1 <= int(day) <= 31 and 1 <= int(month) <= 12

    def joined(a: str, b: str, before: str) -> str:
        if lang == "en":
            return f"{a} to {b}" if before.endswith("from") else f"from {a} to {b}"
        return f"{a} deri më {b}" if before.endswith(("nga", "nga data")) else f"nga {a} deri më {b}"

    def no_clock(day: str, minute: str) -> bool:      # 31.08 or 24.12 is no time of day
        return int(day) > 24 or (int(day) == 24 and int(minute) > 0)

    def span(m: re.Match) -> str:
        (d1, sep1, m1), (d2, sep2, m2) = m.group(1, 2, 3), m.group(4, 5, 6)
        before = m.string[:m.start()].rstrip().lower()
        cue = re.search(rf"\b(?:{_ON_DATE[lang]}|nga)$", before) is not None
        if sep1 != sep2 or not (valid(d1, m1) and valid(d2, m2)) or not (
                cue or no_clock(d1, m1) or no_clock(d2, m2)):
            return m.group(0)
        return joined(_day_month(int(d1), int(m1), lang), _day_month(int(d2), int(m2), lang), before)

    def worded(m: re.Match) -> str:   # "nga 15.09 deri më 30.06": "deri më" says they are dates
        (d1, _s1, m1), (d2, _s2, m2) = m.group(2, 3, 4), m.group(6, 7, 8)
        if not (valid(d1, m1) and valid(d2, m2)):
            return m.group(0)
        return (f"{m.group(1)}{_day_month(int(d1), int(m1), lang)}{m.group(5)}"
                f"{_day_month(int(d2), int(m2), lang)}")

    def one(m: re.Match) -> str:
        day, sep, month = m.group(2, 3, 4)
        if not valid(day, month) or (not m.group(1) and (not no_clock(day, month) or sep == "/")):
            return m.group(0)
        return (m.group(1) or "") + _day_month(int(day), int(month), lang)

    second = _DAY_MONTH.replace("(?<![\\d.,/])", "")
    text = re.sub(_DAY_MONTH + rf"\s*{_DASH}\s*" + second, span, text)
    joint = r"\s+deri\s+më\s+" if lang == "sq" else r"\s+(?:until|to)\s+(?:the\s+)?"
    text = re.sub(rf"(?i)(\b(?:nga|from)\s+)" + _DAY_MONTH + rf"({joint})" + second, worded, text)
    return re.sub(rf"(?i)(\b(?:{_ON_DATE[lang]})\s+)?" + _DAY_MONTH, one, text)


def _weekday_ranges(text: str, lang: str) -> str:
    if lang == "en":
        day = r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?"
        pattern = rf"\b{day}\s*[–—-]\s*{day}"
        short = [d[:3] for d in _EN_DAYS]
        return re.sub(pattern, lambda m: f"{_EN_DAYS[short.index(m.group(1))]} to "
                      f"{_EN_DAYS[short.index(m.group(2))]}", text)
    names = "|".join(_SQ_DAYS_FULL + _SQ_DAYS_SHORT)

    def index(word: str) -> int:
        word = word.lower().removeprefix("e ")
        return next(i for i, short in enumerate(_SQ_DAYS_SHORT) if word.startswith(short))

    return re.sub(rf"(?i)\b({names})\.?\s*[–—-]\s*({names})\b\.?", lambda m:
                  f"nga {_SQ_DAYS_FROM[index(m.group(1))]} deri {_SQ_DAYS_TO[index(m.group(2))]}", text)


def _phones(text: str, lang: str) -> str:
    w = _WORDS[lang]

    def phone(m: re.Match) -> str:
        plus, body = m.group(1), m.group(2)
        groups = re.split(r"[ -]", body)
        count = sum(len(g) for g in groups)
        # the European 116 lines (116 111 for children, 116 117 for women) are dialled as
        # written; read as "one hundred and sixteen thousand..." they cannot be
        looks_like_phone = plus or body.startswith("0") or (
            _HARMONISED.fullmatch(body) and re.match(_UNIT_AFTER, m.string[m.end():]))
        if not looks_like_phone or not 6 <= count <= 15:
            return m.group(0)
        spoken = dial_digits(body, lang)
        return (f"{w['plus']} " if plus == "+" else digits("00", lang) + ", " if plus else "") + spoken

    text = _PHONE.sub(phone, text)
    text = re.sub(r"(?<![\w,.])116(?:000|006|111|117|123)(?![\w])" + _UNIT_AFTER,
                  lambda m: digits(m.group(0), lang), text)
    return _LONG_DIGITS.sub(lambda m: digits(m.group(0), lang), text)


def dial_digits(number: str, lang: str = "sq") -> str:
    """``number`` as words to dial: digit by digit in its written groups, a pause between them,
    "plus" for a leading +: "+355 54 200 130", "129" and "116 111" alike (a catalogue number
    may lack the + or 0 the free-text rule of :func:`normalise` looks for). A group written
    without spaces and longer than four digits is said in the groups people say it in
    (:func:`spoken_groups`): "2256840" as "225 68 40"."""
    lang = "en" if lang == "en" else "sq"
    groups = [g for g in number.replace("-", " ").split() if any(ch.isdigit() for ch in g)]
    spoken = ", ".join(digits(piece, lang) for g in groups for piece in spoken_groups(g))
    return f"{_WORDS[lang]['plus']} {spoken}" if number.strip().startswith("+") else spoken


def spoken_groups(group: str) -> list[str]:
    """A written group of digits as it is said: up to four digits as one, a longer one in threes
    from the left with no single digit left over (a listener holds three digits, and a lone
    last digit is easy to miss): 5 -> 3 2, 6 -> 3 3, 7 -> 3 2 2, 8 -> 3 3 2, 10 -> 3 3 2 2."""
    digits_only = "".join(ch for ch in group if ch.isdigit())
    if len(digits_only) <= 4:
        return [digits_only] if digits_only else []
    sizes = [3] * (len(digits_only) // 3)
    rest = len(digits_only) % 3
    if rest == 1:
        sizes[-1:] = [2, 2]
    elif rest == 2:
        sizes.append(2)
    out, start = [], 0
    for size in sizes:
        out.append(digits_only[start:start + size])
        start += size
    return out


def _postcodes(text: str, lang: str) -> str:
    """A postcode before its town ("3001 Elbasan", "…, 3001 Elbasan") digit by digit, as it is
    written on an envelope: "tre zero zero një", never the amount "tre mijë e një". It is a
    number of four or five digits at the start of a line or after a comma, followed by the
    town's capitalised name(s) and then the end of the line or a stop or comma."""
    return _POSTCODE.sub(lambda m: digits(m.group(1), lang), text)


_POSTCODE = re.compile(r"(?m)(?:^|(?<=,)|(?<=,\s))(?:AL[- ]?)?(\d{4,5})"
                       r"(?=\s+[A-ZÇË][^\W\d_]*(?:[ -]+[A-ZÇË][^\W\d_]*)*\s*(?:[.,;]|$))")


def _money_and_symbols(text: str, lang: str) -> str:
    w = _WORDS[lang]
    # "24/7" is day and night, but "më 24/7" / "on 24/7" is the 24th of July
    text = re.sub(r"(?i)(?<![\d/])(?<!më )(?<!deri )(?<!nga )(?<!on )(?<!until )(?<!from )24\s?/\s?7(?![\d/])",
                  w["always"], text)
    text = re.sub(r"€\s?(\d+(?:[  .,]\d+)*)", rf"\1 {w['euro']}", text)
    text = re.sub(r"(\d)\s?€", rf"\1 {w['euro']}", text).replace("€", f" {w['euro']} ")
    text = re.sub(r"(\d)\s?ALL\b", r"\1 lekë" if lang == "sq" else r"\1 lek", text)
    text = re.sub(r"(\d)\s?%", rf"\1 {w['percent']}", text).replace("%", f" {w['percent']} ")
    text = re.sub(r"(\d)\s?/\s?(\d)", rf"\1 {w['slash']} \2", text)
    text = re.sub(r"(?<=\w)\s?/\s?(?=\w)", f" {w['or']} ", text)
    text = re.sub(r"#\s?(?=\d)", f"{w['number']} ", text)
    for symbol, word in (("&", "and"), ("@", "at"), ("+", "plus"), ("=", "equals")):
        text = text.replace(symbol, f" {w[word]} ")
    return re.sub(r"[*_~|^<>\\/#]", " ", text)


def _numbers(text: str, lang: str) -> str:
    w = _WORDS[lang]
    text = re.sub(rf"(?<![\d,.])(\d+(?:[.,]\d)?)\s*{_DASH}\s*(\d+(?:[.,]\d)?)(?![\d,.])",
                  rf"\1 {w['to']} \2", text)
    # thousands grouped by a space, or as each language writes them: "3,000" in English,
    # "1.500" in Albanian (dates and times are words by now)
    group = r"[  ,]" if lang == "en" else r"[  .]"
    text = re.sub(rf"(?<![\d,.])([1-9]\d{{0,2}}(?:{group}\d{{3}})+)(?![\d,.]?\d)",
                  lambda m: words(int(re.sub(r"\D", "", m.group(1))), lang), text)
    if lang == "sq":
        # a figure written with a decimal point in Albanian text ("2.5 vjeç"): one digit after
        # it is no thousands and no date ("31.08"), so it is read with the Albanian comma
        text = re.sub(r"(?<![\d,.])(\d+)\.(\d)(?![\d]|\.\d)", r"\1,\2", text)
        # and two before a currency or a unit ("25.50 lekë"): dates are words by now
        text = re.sub(r"(?<![\d,.])(\d+)\.(\d\d)(?=\s*(?:lekë|lek|euro|km|kg|përqind)\b)", r"\1,\2", text)
    decimal = r"(\d+)\.(\d+)" if lang == "en" else r"(\d+),(\d+)"
    text = re.sub(rf"(?<![\d,.]){decimal}(?![\d,.]?\d)", lambda m: (
        f"{words(int(m.group(1)), lang)} {w['comma']} "
        + (digits(m.group(2), lang) if lang == "en" else words(int(m.group(2)), lang))), text)
    # a figure after a letter is a word of its own ("F1" is "F one", never "Fone")
    return re.sub(r"\d+", lambda m: (" " if m.start() and text[m.start() - 1].isalpha() else "")
                  + (words(int(m.group(0)), lang) if len(m.group(0)) < 10 else digits(m.group(0), lang)), text)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+[–—]\s+|\s+-\s+", ", ", text)
    text = re.sub(r"[()\[\]{}]", ", ", text)
    text = re.sub(r"[\"“”„«»‘’‚]", "", text)
    text = re.sub(r"[ \t\u00a0\u202f]+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"^[,;:\s]+|[,;\s]+$", "", text, flags=re.M)
    text = re.sub(r",\s*\.", ".", text)
    return re.sub(r"\n{2,}", "\n", text).strip()


_STEPS = (_drop_emoji, _addresses, _abbreviations, _postcodes, _dates, _times, _weekday_ranges, _phones,
          _money_and_symbols, _numbers)

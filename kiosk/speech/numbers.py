"""Numbers as words, in Albanian and English, for the speech engine.

``num2words`` has no Albanian and ``num2al`` (PyPI, 1.1) writes without ë and ç ("Kater",
"Qinde", "Mije"), joins tens and units with a hyphen ("Njezet-Nje") where Albanian says "e",
and so reads wrongly; these are our own rules, tested from 0 to 999 999 and beyond.

Albanian: units and teens are single words (``njëmbëdhjetë``), tens and units are joined by
``e`` (``njëzet e një``), hundreds are written as one word (``njëqind``, ``dyqind``) and joined
to the rest by ``e`` (``njëqind e tridhjetë``), thousands are a separate word (``dy mijë e
njëzet e gjashtë``), millions ``një milion``, ``dy milionë``.
"""
from __future__ import annotations

SQ_UNITS = ("zero", "një", "dy", "tre", "katër", "pesë", "gjashtë", "shtatë", "tetë", "nëntë")
SQ_TEENS = ("dhjetë", "njëmbëdhjetë", "dymbëdhjetë", "trembëdhjetë", "katërmbëdhjetë",
            "pesëmbëdhjetë", "gjashtëmbëdhjetë", "shtatëmbëdhjetë", "tetëmbëdhjetë",
            "nëntëmbëdhjetë")
SQ_TENS = ("", "dhjetë", "njëzet", "tridhjetë", "dyzet", "pesëdhjetë", "gjashtëdhjetë",
           "shtatëdhjetë", "tetëdhjetë", "nëntëdhjetë")

EN_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
EN_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen")
EN_TENS = ("", "ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
EN_ORDINALS = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
               "nine": "ninth", "twelve": "twelfth"}

#: Past this a number is read digit by digit (nobody takes in "four billion..." by ear).
LIMIT = 999_999_999


def _sq_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        words.append(SQ_UNITS[hundreds] + "qind")
    if rest or not hundreds:
        if rest < 10:
            words.append(SQ_UNITS[rest])
        elif rest < 20:
            words.append(SQ_TEENS[rest - 10])
        else:
            tens, unit = divmod(rest, 10)
            words.append(SQ_TENS[tens] + (f" e {SQ_UNITS[unit]}" if unit else ""))
    return " e ".join(words)


def sq_words(n: int) -> str:
    """``n`` (0..999 999 999) in Albanian words; larger numbers digit by digit."""
    if n < 0:
        return "minus " + sq_words(-n)
    if n > LIMIT:
        return digits(str(n), "sq")
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    words = []
    if millions:
        words.append(f"{_sq_below_thousand(millions)} {'milion' if millions == 1 else 'milionë'}")
    if thousands:
        words.append(f"{_sq_below_thousand(thousands)} mijë")
    if units or not words:
        words.append(_sq_below_thousand(units))
    return " e ".join(words)


def _en_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        words.append(f"{EN_UNITS[hundreds]} hundred")
    if rest or not hundreds:
        if rest < 10:
            part = EN_UNITS[rest]
        elif rest < 20:
            part = EN_TEENS[rest - 10]
        else:
            tens, unit = divmod(rest, 10)
            part = EN_TENS[tens] + (f"-{EN_UNITS[unit]}" if unit else "")
        words.append(part)
    return " and ".join(words)


def en_words(n: int) -> str:
    """``n`` (0..999 999 999) in British English words; larger numbers digit by digit."""
    if n < 0:
        return "minus " + en_words(-n)
    if n > LIMIT:
        return digits(str(n), "en")
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    words = []
    if millions:
        words.append(f"{_en_below_thousand(millions)} million")
    if thousands:
        words.append(f"{_en_below_thousand(thousands)} thousand")
    if units:
        words.append(("and " if words and units < 100 else "") + _en_below_thousand(units))
    return " ".join(words) or "zero"


def words(n: int, lang: str) -> str:
    return en_words(n) if lang == "en" else sq_words(n)


def digits(text: str, lang: str) -> str:
    """Each digit of ``text`` as a word: ``"200"`` -> ``"dy zero zero"``."""
    names = EN_UNITS if lang == "en" else SQ_UNITS
    return " ".join(names[int(ch)] for ch in text if ch.isdigit())


def en_ordinal(n: int) -> str:
    """1 -> "first", 21 -> "twenty-first" (for English dates)."""
    spoken = en_words(n)
    head, sep, last = spoken.rpartition("-") if "-" in spoken else spoken.rpartition(" ")
    if last in EN_ORDINALS:
        last = EN_ORDINALS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}{sep}{last}"


def en_year(year: int) -> str:
    """2026 -> "twenty twenty-six", 2000 -> "two thousand", 2005 -> "two thousand and five"."""
    if 2000 <= year <= 2009 or year % 1000 < 10 or not 1100 <= year <= 2099:
        return en_words(year)
    high, low = divmod(year, 100)
    return f"{en_words(high)} {en_words(low) if low >= 10 else 'oh ' + en_words(low) if low else 'hundred'}"

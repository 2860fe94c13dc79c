"""Which voice should read text whose language no data gives: what the visitor typed, a label
read off the screen, the configured centre name, a printed slip's lines.

Catalogue text does not come here: the queries mark a field that fell back to Albanian
(:class:`kiosk.catalogue.cards.Albanian`), and :func:`kiosk.speech.parts.catalogue` reads it
with the Albanian voice and every other field with the reading's, whatever their words. What
is left is judged, a sentence at a time: it is Albanian when it holds more Albanian marks (ë, ç,
or a word only Albanian uses: "të", "në", "dhe", "pranë", "Rruga") than English function words
("the", "of", "to"...). An English sentence that names one Albanian place stays English; a bare
Albanian word ("strehë") is said as Albanian. Text with no marks either way ("Shqip", "Falas",
"strehe" typed without ë) stays with the reading's voice. No Kivy import.
"""
from __future__ import annotations

import re

DEFAULT = "sq"

_SQ_LETTERS = re.compile("[ëçËÇ]")
#: words that are Albanian and not English (compared in lower case)
_SQ_WORDS = frozenset("""
    e i të në për dhe nga një së ose apo edhe nuk jo ka kanë janë është jeni keni mund duhet pa
    si ku kur tek te deri pas mbi nën prej sipas çdo pranë afër ju juaj tuaj ata ato ky kjo
    këtë atë sot nesër dy tre katër pesë ditë orë zyra zyrë rruga lagjja lagja sheshi bulevardi
    njësia pallati hyrja kati qendra bashkia shkolla shkollës fshati
""".split())
#: English function words, which Albanian does not use
_EN_WORDS = frozenset("""
    the and of to for in on at a an is are was with from by your you or not this that these it
    its be can who what where when which if we our us they their have has there please here as
    all any do does will would should must may into about than then only every each near
""".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
#: words before a full stop that end an abbreviation, not a sentence ("Rr. Kavaja", "No. 5")
_ABBREVIATIONS = frozenset("""
    rr nd nr ap bul blv lagj tel znj z dr kt min vj sh no st rd ave blvd apt mr mrs ms approx etj
    p.sh e.g i.e etc
""".split())
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[^\W\d_])")


def albanian(text: str) -> bool:
    """Does ``text`` read as Albanian (more Albanian marks than English function words)?"""
    sq = en = 0
    for word in _WORD.findall(text or ""):
        lower = word.lower()
        if word == "I":
            en += 1             # the English pronoun, not the Albanian article "i"
        elif _SQ_LETTERS.search(word) or lower in _SQ_WORDS:
            sq += 1
        elif lower in _EN_WORDS:
            en += 1
    return sq > en


def voice(text: str, lang: str) -> str:
    """The voice for ``text`` in a ``lang`` reading: Albanian text is read by the Albanian
    voice whatever the reading; any other stays in ``lang``."""
    return DEFAULT if lang != DEFAULT and albanian(text) else lang


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences, never after an abbreviation ("Rr.", "Nd.", "p.sh.")."""
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        before = text[start:m.start()].rstrip(".!?").split()
        last = before[-1].lower() if before else ""
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):     # "Z. Hoxha"
            continue
        out.append(text[start:m.start()])
        start = m.end()
    out.append(text[start:])
    return [s for s in out if s.strip()]

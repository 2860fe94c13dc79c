# ruff: noqa: E501 (translations are one line each)
"""The Albanian of the words for visitors in danger (issue 14): the urgent and sensitive fields on
the staff forms, the import's notes on them, and the public page's quick exit. Merged into
:data:`sync.server.i18n.SQ`; message ids are the English text."""
from __future__ import annotations

SQ: dict[str, str] = {
    # staff forms and lists
    "Visitors in danger": "Vizitorë në rrezik",
    "For lines a person in crisis must find at once, and for services whose name could put a visitor at risk if someone sees what she took home.": "Për linjat që një njeri në krizë duhet t'i gjejë menjëherë, dhe për shërbimet emri i të cilave mund ta vërë në rrezik vizitoren nëse dikush sheh çfarë mori me vete.",
    "Urgent line: shown on the kiosk's “Urgent help” screen": "Linjë urgjente: shfaqet në ekranin “Ndihmë urgjente” të kioskës",
    "Place on the urgent help screen": "Vendi në ekranin e ndihmës urgjente",
    "1 comes first; empty: after the numbered ones.": "1 del i pari; bosh: pas atyre me numër.",
    "Sensitive: the saved contact, the slip and the phone page carry only the neutral title": "I ndjeshëm: kontakti i ruajtur, fleta dhe faqja në telefon mbajnë vetëm titullin neutral",
    "Sensitive: the services in this category (and inside it) are taken home under the neutral title": "E ndjeshme: shërbimet e kësaj kategorie (dhe brenda saj) merren me vete me titullin neutral",
    "Neutral title": "Titulli neutral",
    "Shown instead of the name on the saved contact, the slip and the phone page, e.g. Counselling.": "Shfaqet në vend të emrit në kontaktin e ruajtur, në fletë dhe në faqen në telefon, p.sh. Këshillim.",
    "Also sensitive through its category: {names}.": "I ndjeshëm edhe nga kategoria: {names}.",
    "Tick “urgent line” too, or leave the place empty.": "Shënoni edhe “linjë urgjente”, ose lëreni vendin bosh.",
    "The neutral title must not be the name it hides.": "Titulli neutral nuk duhet të jetë emri që fsheh.",
    "Required when it is marked sensitive: the title a visitor can safely carry.": "I detyrueshëm kur është shënuar i ndjeshëm: titulli që vizitorja mund ta mbajë pa rrezik.",
    "An urgent line needs a phone number: add one under Contact.": "Një linjë urgjente ka nevojë për një numër telefoni: shtoni një te Kontakti.",
    "Urgent lines": "Linjat urgjente",
    "Urgent": "Urgjente",
    "Sensitive": "I ndjeshëm",
    # the import's notes (warnings) on the flags
    "Not a one-line text: the neutral title was dropped.": "Nuk është tekst me një rresht: titulli neutral u hoq.",
    "A neutral title longer than {n} characters: the kiosks cut it.": "Titull neutral më i gjatë se {n} shkronja: kioskat e shkurtojnë.",
    "Not a place in the urgent list (a whole number from 1 to {n}): dropped.": "Nuk është vend në listën urgjente (numër i plotë nga 1 deri në {n}): u hoq.",
    "Not true or false: the sensitive mark was dropped.": "Nuk është po ose jo: shënimi i ndjeshëm u hoq.",
    "Marked sensitive without a neutral title: the kiosks use a general one.": "I shënuar i ndjeshëm pa titull neutral: kioskat përdorin një titull të përgjithshëm.",
    # the public page of a sensitive service
    "Quick exit": "Dil shpejt",
    "Leaves this page at once. Or press Esc three times.": "Largohet menjëherë nga kjo faqe. Ose shtypni Esc tri herë.",
    "Counselling": "Këshillim",
}

"""What each screen says, in reading order: heading, status, then each card.

One plain function per screen. Each takes the plain data the screen shows (the dataclasses of
:mod:`kiosk.catalogue.queries`) and the visitor's language, and returns a list of
:class:`~kiosk.speech.parts.Part`, every one already written for the ear. Listen speaks the
whole list, ``kiosk speak`` prints it. When a screen opens (speech on) a list's screens say what
a visitor needs to choose, concisely (``opening=True``): home every topic with its count, a
category and search results every row's name and status (the first :data:`OPENING_ROWS`, then
how many more), a service its name, status, phone, where to go and what to take away; then, where
something was left out, how to hear the whole page (:func:`the_rest`). No Kivy import.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Iterable, Optional, Sequence

from kiosk.catalogue.cards import (CategoryCard, ContactInfo, LocationInfo, OrganizationDetail, PhoneInfo,
                                   SearchResult, ServiceDetail, ServiceRow, UrgentLine)
from kiosk.speech import cards
from kiosk.speech.keypad import key_names
from kiosk.speech.keys import (ACTIVATE, BACK, DOWN, FASTER, HELP, HOME, LOUDER, NEXT_SECTION, PAUSE,
                               PREVIOUS_SECTION, QUICK_EXIT, REPEAT, SLOWER, SOFTER, UP, KeyMap)
from kiosk.speech.normalise import normalise
from kiosk.speech.parts import N_, Part, as_in, catalogue, combine, listed, plain, say, say_with, sentence, tr

CENTRE = N_("Social Services Information Centre")
MUNICIPALITY = N_("Municipality of Elbasan")
TOUCH_TO_START = N_("Touch the screen to start")
#: The label of the button that reads the screen, named by HOW_TO_LISTEN and HELP_TOUCH.
LISTEN = N_("Listen")
HOW_TO_LISTEN = N_("To listen, press any key on the keypad, or touch Listen.")
#: What each key does, as "Press {clauses}." says it: one clause an action, ``{keys}`` its keys
#: as :func:`kiosk.speech.keypad.key_names` names them (from the configured key map). An
#: action without a key is left out, so the kiosk never names a key that does something else.
KEY_CLAUSES = {
    DOWN: N_("{keys} for the next item"),
    UP: N_("{keys} for the previous item"),
    ACTIVATE: N_("{keys} to choose"),
    BACK: N_("{keys} to go back"),
    HOME: N_("{keys} to go to the home screen"),
    NEXT_SECTION: N_("{keys} for the next part of the screen, such as the keyboard, the results or a card"),
    PREVIOUS_SECTION: N_("{keys} for the previous part of the screen"),
    LOUDER: N_("{keys} for a louder voice"),
    SOFTER: N_("{keys} for a softer voice"),
    FASTER: N_("{keys} for faster speech"),
    SLOWER: N_("{keys} for slower speech"),
    REPEAT: N_("{keys} to repeat"),
    PAUSE: N_("{keys} to pause or go on"),
    HELP: N_("{keys} to hear this help again"),
}
#: the Help key as the welcome names it (the help itself says "to hear this help again")
WELCOME_HELP_KEY = N_("{keys} to hear what each key does")
PRESS = N_("Press {clauses}.")
#: the last two clauses of a "Press ..." sentence (a pause before the last one: its keys may say "or")
CLAUSES_AND = N_("{first}, and {second}")
KEYPAD_PRESS = N_("On the keypad, press {clauses}.")
QUICK_EXIT_KEY = N_("Press {keys} to leave at once, silently: the kiosk forgets this visit, as Quick exit does.")
#: The help's sentences about the keys, in order: moving and choosing, then the quick exit (a
#: visitor may need it first), going back and home, the sections, then the voice.
HELP_KEYS = ((DOWN, UP, ACTIVATE), (QUICK_EXIT,), (BACK, HOME), (PREVIOUS_SECTION, NEXT_SECTION),
             (LOUDER, SOFTER), (FASTER, SLOWER), (REPEAT, PAUSE, HELP))
#: The welcome's one sentence (it repeats to passers-by): the keypad's own key of each.
WELCOME_KEYS = (DOWN, UP, ACTIVATE, BACK, HELP)
WELCOME_URGENT = N_("For urgent help, touch the red Urgent help button at the bottom of the screen.")
HELP_TITLE = N_("How to use this kiosk.")
HELP_TOUCH = N_("You can also touch the screen: touch any card to hear it, and touch Listen to "
                "hear the whole screen.")
HELP_LANGUAGE = N_("Speech is in the language of the screen.")
#: said where the screen's foot holds urgent help and the quick exit again (a tall portrait panel)
HELP_FOOT = N_("The Urgent help and Quick exit buttons are also at the bottom of the screen: Urgent "
               "help on the left, Quick exit on the right.")
HOME_TITLE = N_("How can we help you?")
OPEN_ONLY = N_("Showing only services that are open right now.")
TOPICS = N_("Or choose a topic:")
NOTHING_OPEN = N_("Nothing is open right now.")
NOTHING_LISTED = N_("No services are listed yet.")
CATEGORY_EMPTY = N_("No services are listed here yet.")
#: before a category's narrower topics (its buttons above the list of services)
SUBTOPICS = N_("Narrower topics:")
CATEGORY_NOTHING_OPEN = N_("Nothing here is open right now.")
ALERT = N_("Important")
ABOUT = N_("About this service")
WHO = N_("Who can apply")
HOW = N_("How to apply")
AGES = N_("Ages {minimum} to {maximum}.")
AGES_FROM = N_("Ages {minimum} and over.")
AGES_UP_TO = N_("Ages up to {maximum}.")
DOCUMENTS = N_("Documents to bring")
COST = N_("Cost")
LANGUAGES = N_("Languages spoken")
WHERE = N_("Where to go")
POSTAL = N_("Postal address")
PROVIDED_BY = N_("Provided by")
SERVICE_CONTACT = N_("Contact for this service")
CHECKED = N_("Information checked on {date}.")
TAKE_AWAY = N_("Take it with you: {choices}.")
TAKE_AWAY_HOW = N_("Touch one, then scan its code with your phone's camera.")
TAKE_AWAY_PRINT = N_("You can also print it on a slip: touch Print.")
ABOUT_ORG = N_("About the organization")
REACH = N_("How to reach them")
PEOPLE = N_("People to contact")
ASK_HERE = N_("Who to ask here")
NO_ORG_SERVICES = N_("No services are listed for this organization.")
SEARCH_PROMPT = N_("What are you looking for?")
SEARCH_HINT = N_("Type a word or the start of it, for example: pension, nursery, lawyer, shelter.")
SEARCH_FOR = N_("Search results for “{text}”.")
NOTHING_FOUND = N_("Nothing found for “{text}”")
NOTHING_FOUND_HINT = N_("Check the spelling, or type fewer letters. You can also browse the topics.")
IDLE = N_("Are you still there?")
IDLE_COUNT = (N_("The screen will start again for the next visitor in {n} second."),
              N_("The screen will start again for the next visitor in {n} seconds."))
IDLE_KEYS = N_("To stay, press any key or touch the screen.")
PRIVATE = N_("This information is private. Headphones are more private: plug them into the "
             "headphone socket, and speech will play in them only.")
PRIVATE_NEXT = N_("To hear this page, touch Listen, or move through it with the keypad.")
URGENT = N_("Urgent help")
URGENT_HOW = N_("Call one of these lines. To call from your phone, scan its code.")
URGENT_NUMBER = N_("Number: {number}.")
URGENT_ALWAYS = N_("Answers day and night, every day.")
URGENT_DEMO = N_("Demo data: the centre's staff have not yet confirmed these lines. Check a number "
                 "before you rely on it.")
URGENT_NONE = N_("No urgent lines are listed on this kiosk.")
#: How to hear what a screen's opening left out (the ``{keys}`` of "activate": with nothing focused,
#: as when a screen opens, it reads the whole screen).
THE_REST = N_("To hear the whole screen, touch Listen, or press {keys}.")
THE_REST_TOUCH = N_("To hear the whole screen, touch Listen.")
#: A list's rows past those said when it opens.
MORE_SERVICES = (N_("And {n} more service."), N_("And {n} more services."))
MORE_RESULTS = (N_("And {n} more result."), N_("And {n} more results."))
#: the rows a list says when its screen opens: every topic of home (12 in the sample) and a
#: category's services (12 at most there) are said; a longer list says how many more
OPENING_ROWS = 12
REPORT_THANKS = N_("Thank you!")
REPORT_CHECKED = N_("The staff of the centre will check this information.")

#: Pages that could not be shown, by the screen's reason (the same sentences as on screen).
ERRORS = {
    "failed": (N_("This page could not be shown."), N_("Please go back and choose another one.")),
    "service_missing": (N_("This service is no longer in the catalogue."),
                        N_("Please go back and choose another one.")),
    "organization_missing": (N_("This organization is no longer in the catalogue."),
                             N_("Please go back and choose another one.")),
    "category_missing": (N_("This topic is no longer in the catalogue."),
                         N_("Please go back and choose another topic.")),
    "unknown_code": (N_("This code is not in the kiosk's catalogue. Please ask at the desk."),),
}


#: how the visitor turned speech on (:func:`welcome`'s ``listening``)
BY_TOUCH, BY_KEYPAD = "touch", "keypad"


def welcome(languages: Sequence[str], centre_name: Optional[str] = None, *,
            keymap: Optional[KeyMap] = None, listening: str = "") -> list[Part]:
    """The attract screen, in every offered language (the default first): where you are, how
    to start, where urgent help is, how to turn speech on (so the speech mode is easy to
    discover) and, in one short sentence, the keys that move, choose, go back and explain the
    rest (``keymap``'s, the defaults when None), each in its own language.

    ``listening`` is how the visitor hearing it turned speech on, when they did: then "how to
    listen" is news to nobody and is left out. The keys are left out too for a visitor who
    touched Listen (:data:`BY_TOUCH`: they use the screen, and the next language would wait
    behind a sentence of keys), and kept for one who pressed a key (:data:`BY_KEYPAD`): the
    keypad is their way in, and they need to know which key moves and which chooses."""
    keymap = keymap or KeyMap()
    parts: list[Part] = []
    for lang in languages:
        name = plain(lang, sentence(centre_name)) if centre_name else say(lang, CENTRE)
        parts += [name if name.pieces else Part(sentence(name.text), name.lang),
                  Part(sentence(say(lang, MUNICIPALITY).text), lang),
                  Part(sentence(say(lang, TOUCH_TO_START).text), lang), say(lang, WELCOME_URGENT)]
        if not listening:
            parts.append(say(lang, HOW_TO_LISTEN))
        if listening == BY_TOUCH:
            continue
        clauses = {**KEY_CLAUSES, HELP: WELCOME_HELP_KEY}
        keys = _press(lang, keymap, [(action, clauses[action]) for action in WELCOME_KEYS], KEYPAD_PRESS, limit=1)
        parts += [keys] if keys else []
    return parts


def help_text(lang: str, *, keymap: Optional[KeyMap] = None, foot: bool = False) -> list[Part]:
    """ "How to use this kiosk" (the Help key says it): every action of ``keymap`` (the
    defaults when None) with the keys that really do it, an action without a key not at all;
    then touch, and the language; with ``foot`` (the screen shows urgent help and the quick exit
    again at its bottom), where those two are."""
    keymap = keymap or KeyMap()
    parts = [say(lang, HELP_TITLE)]
    for group in HELP_KEYS:
        if group == (QUICK_EXIT,):
            keys = key_names(keymap, QUICK_EXIT, lang)
            said = say(lang, QUICK_EXIT_KEY, keys=keys) if keys else None
        else:
            said = _press(lang, keymap, [(action, KEY_CLAUSES[action]) for action in group])
        parts += [said] if said else []
    parts += [say(lang, HELP_TOUCH), say(lang, HELP_LANGUAGE)]
    return (parts + [say(lang, HELP_FOOT)]) if foot else parts


def _press(lang: str, keymap: KeyMap, clauses: Sequence[tuple[str, str]], message: str = PRESS,
           limit: Optional[int] = None) -> Optional[Part]:
    """ "Press 2 or the Down arrow for the next item and 5 to choose.": each action that has a
    key, its clause filled in with its keys, joined as a list; None when none has a key."""
    said = []
    for action, clause in clauses:
        keys = key_names(keymap, action, lang, limit)
        if keys:
            said.append(tr(lang, clause).format(keys=keys))
    if not said:
        return None
    joined = said[0] if len(said) == 1 else tr(lang, CLAUSES_AND).format(first=", ".join(said[:-1]), second=said[-1])
    return say(lang, message, clauses=joined)


def home(categories: Iterable[CategoryCard], lang: str, open_now: bool = False) -> list[Part]:
    """The home screen: its question, the filter, then each category with its count."""
    categories = list(categories)
    parts = [Part(sentence(say(lang, HOME_TITLE).text), lang)]
    if open_now:
        parts.append(say(lang, OPEN_ONLY))
    if not categories:
        return parts + [Part(sentence(say(lang, NOTHING_OPEN if open_now else NOTHING_LISTED).text), lang)]
    parts.append(say(lang, TOPICS))
    return parts + [cards.category_card(c, lang, open_now) for c in categories]


def category(card: Optional[CategoryCard], rows: Iterable[ServiceRow], lang: str,
             open_now: bool = False, *, subcategories: Iterable[CategoryCard] = (), opening: bool = False,
             keymap: Optional[KeyMap] = None) -> list[Part]:
    """A category: its name, what it is, its narrower topics (each with its count, as their
    buttons show), how many services, then each service with its provider and today's
    status. ``opening``: its name, the narrower topics, how many services, each one's name and
    status (the first :data:`OPENING_ROWS`), then how to hear the rest (:func:`the_rest`).

    A sensitive category (the visitor chose it) opens with the headphones notice and says its
    rows by name; in any other a sensitive row is said by its neutral title, after the notice."""
    if card is None:
        return error("category_missing", lang)
    rows = list(rows)
    private = card.sensitive or any(r.sensitive for r in rows)
    parts = private_listening(lang) if private else []
    parts.append(catalogue(lang, card.name))
    if card.description and not opening:
        parts.append(catalogue(lang, card.description))
    subcategories = list(subcategories)
    if subcategories:
        parts.append(say(lang, SUBTOPICS))
        parts += [cards.category_card(sub, lang, open_now) for sub in subcategories]
    if not rows:
        empty = CATEGORY_NOTHING_OPEN if open_now else CATEGORY_EMPTY
        parts.append(Part(sentence(say(lang, empty).text), lang))
        return parts + the_rest(lang, keymap) if opening and card.description else parts
    parts.append(Part(sentence(cards.counted(lang, cards.OPEN_SERVICES if open_now else cards.SERVICES,
                                             len(rows)).text), lang))
    if not opening:
        return parts + [cards.service_row(r, lang, reveal=card.sensitive) for r in rows]
    shown = rows[:OPENING_ROWS]
    parts += [cards.service_row(r, lang, reveal=card.sensitive, brief=True) for r in shown]
    parts += _more(lang, MORE_SERVICES, len(rows) - len(shown))
    left_out = bool(card.description) or len(rows) > len(shown) or any(
        cards.row_has_more(r, reveal=card.sensitive) for r in shown)
    return parts + the_rest(lang, keymap) if left_out else parts


def _more(lang: str, forms: tuple[str, str], n: int) -> list[Part]:
    """ "And 3 more services.": the rows of a list its opening did not say (none: nothing)."""
    return [Part(sentence(cards.counted(lang, forms, n).text), lang)] if n > 0 else []


def the_rest(lang: str, keymap: Optional[KeyMap] = None) -> list[Part]:
    """How to hear the whole page after its opening: Listen, or the key that reads the screen
    when nothing is focused (the keypad's own key of "activate"; none when no key does it)."""
    keys = key_names(keymap or KeyMap(), ACTIVATE, lang, limit=1)
    return [say(lang, THE_REST, keys=keys) if keys else say(lang, THE_REST_TOUCH)]


def _section(lang: str, title: str, body: str) -> list[Part]:
    if not body.strip():
        return []
    return [Part(sentence(say(lang, title).text), lang), catalogue(lang, as_in(body, " ".join(body.split())))]


class _Said:
    """What a page has said already: a phone number or an address is said once a page (the
    service's number is often its provider's too), where it first comes."""

    def __init__(self) -> None:
        self.phones: set[str] = set()
        self.addresses: set[tuple[str, ...]] = set()

    def phones_of(self, phones: Iterable[PhoneInfo], lang: str) -> list[Part]:
        parts = []
        for p in phones:
            key = cards.phone_key(p)
            if key not in self.phones:
                self.phones.add(key)
                parts.append(cards.phone(p, lang))
        return parts

    def address(self, lines: Sequence[str], lang: str) -> list[Part]:
        key = tuple(line.strip() for line in lines if line.strip())
        if not key or key in self.addresses:
            return []
        self.addresses.add(key)
        return [cards.address(key, lang)]


def _location(loc: LocationInfo, lang: str, with_hours: bool, once: Optional[_Said] = None) -> list[Part]:
    once = once or _Said()
    parts = [Part(sentence(say(lang, WHERE).text), lang)]
    if loc.name:
        parts.append(catalogue(lang, loc.name))
    parts += once.address(loc.address_lines, lang)
    if loc.postal_lines:
        parts.append(combine(lang, [Part(normalise(f"{tr(lang, POSTAL)}:", lang), lang),
                                    cards.address(loc.postal_lines, lang)]))
    if loc.description:
        parts.append(catalogue(lang, loc.description))
    parts += once.phones_of(loc.phones, lang)
    if loc.contacts:
        parts.append(Part(sentence(say(lang, ASK_HERE).text), lang))
        for person in loc.contacts:
            parts += _person(person, lang, once)
    if with_hours:
        parts += cards.week(loc.week, lang)
        # the card's notes beyond this week's ("From 1 July to 31 August we close at 13:00")
        said = {note for day in loc.week for note in day.notes}
        parts += [catalogue(lang, note) for note in dict.fromkeys(loc.schedule_notes)
                  if note and note not in said]
    parts += [catalogue(lang, x) for x in (*loc.accessibility, loc.transportation) if x]
    return parts


def _who(d: ServiceDetail, lang: str) -> list[Part]:
    """Who can apply: the age limits, then the text, as the card shows them."""
    low, high = d.minimum_age, d.maximum_age
    if low and high:
        ages = [say(lang, AGES, minimum=low, maximum=high)]
    elif low or high:
        ages = [say(lang, AGES_FROM, minimum=low) if low else say(lang, AGES_UP_TO, maximum=high)]
    else:
        return _section(lang, WHO, d.eligibility)
    body = as_in(d.eligibility, " ".join(d.eligibility.split()))
    return [Part(sentence(say(lang, WHO).text), lang), *ages] + ([catalogue(lang, body)] if body else [])


def _people(contacts: Iterable[ContactInfo], lang: str, once: Optional[_Said] = None) -> list[Part]:
    """The "People to contact" card: each person's name, title and department, phones and
    e-mail, as the card shows them."""
    contacts = list(contacts)
    if not contacts:
        return []
    parts = [Part(sentence(say(lang, PEOPLE).text), lang)]
    for person in contacts:
        parts += _person(person, lang, once)
    return parts


def _person(person: ContactInfo, lang: str, once: Optional[_Said] = None) -> list[Part]:
    """One person as their lines show them: who (name, title, department), phones (a number
    the page said already not again), e-mail."""
    who = [x for x in (person.name, person.title, person.department) if x]
    parts = [listed(lang, who)] if who else []
    parts += (once or _Said()).phones_of(person.phones, lang)
    return parts + ([cards.email(person.email, lang)] if person.email else [])


def take_away(titles: Sequence[str], lang: str, can_print: bool = False) -> list[Part]:
    """The page's "Take it with you" panel: what its buttons give and how a code is used."""
    if not titles and not can_print:
        return []
    parts = []
    if titles:
        parts += [say(lang, TAKE_AWAY, choices=", ".join(titles)), say(lang, TAKE_AWAY_HOW)]
    if can_print:
        parts.append(say(lang, TAKE_AWAY_PRINT))
    return parts


def _reach(d: ServiceDetail, lang: str, once: _Said) -> list[Part]:
    """How to reach the service, said right after its name and status, before anything long
    (a visitor who listens may not stay for four minutes of descriptions): its phones (else
    its first place's, else its provider's), then where to go, its first place's name and
    address. The cards further on do not say them again."""
    first = d.locations[0] if d.locations else None
    phones = d.phones or (first.phones if first is not None else ()) or d.organization.phones
    parts = once.phones_of(phones, lang)
    if first is not None and (first.name or first.address_lines):
        address = once.address(first.address_lines, lang)
        parts += [Part(sentence(say(lang, WHERE).text), lang)]
        parts += ([catalogue(lang, first.name)] if first.name else []) + address
    return parts


def service(d: ServiceDetail, lang: str, today: Optional[date] = None,
            addresses: Iterable[tuple[str, ...]] = (), take_away_titles: Sequence[str] = (),
            can_print: bool = False, *, opening: bool = False,
            keymap: Optional[KeyMap] = None) -> list[Part]:
    """A service: name, open now or when it opens, how to reach it (its phone, then where to
    go: :func:`_reach`), what the page gives to take away (its buttons' titles), what it is,
    who may apply, how to apply, documents, fees, each place with this week's hours, the
    contact card, and the provider; a sensitive service the headphones notice first. A phone
    number or an address is said once, where it first comes.

    ``opening``: what a visitor needs first, in about half a minute: the name, when it is open
    (the sentence, which says what the chip says and more), the phone, where to go, what to take
    away, then how to hear the rest (:func:`the_rest`)."""
    once = _Said()
    parts = private_listening(lang) if d.sensitive else []
    parts.append(catalogue(lang, d.name))
    if d.alternate_name:
        parts.append(catalogue(lang, d.alternate_name))
    if not opening:
        parts.append(Part(sentence(cards.status_short(d.status, lang, d.service_status).text), lang))
    parts.append(cards.status_long(d.status, lang, today, d.service_status))
    parts += _reach(d, lang, once)
    parts += take_away(take_away_titles, lang, can_print)
    if opening:
        return parts + the_rest(lang, keymap)
    parts += _section(lang, ALERT, d.alert) + _section(lang, ABOUT, d.description)
    parts += _who(d, lang) + _section(lang, HOW, d.application_process)
    if d.documents:
        parts.append(Part(sentence(say(lang, DOCUMENTS).text), lang))
        parts += [catalogue(lang, doc) for doc in d.documents]
    parts += _section(lang, COST, d.fees)
    if any(x.strip() for x in d.languages) or d.interpretation.strip():
        # the languages card: the languages, then how to ask for an interpreter, as on screen
        said = [listed(lang, d.languages)] if any(x.strip() for x in d.languages) else []
        said += _section(lang, LANGUAGES, d.interpretation)[1:]
        parts += [Part(sentence(say(lang, LANGUAGES).text), lang), combine(lang, said)]
    for loc in d.locations:
        parts += _location(loc, lang, with_hours=True, once=once)
    if not d.locations:
        parts += cards.week(d.week, lang)
    contact = once.phones_of(d.phones, lang)
    contact += [cards.email(d.email, lang)] if d.email else []
    contact += [cards.website(d.url, lang)] if d.url else []
    if contact:
        parts += [Part(sentence(say(lang, SERVICE_CONTACT).text), lang), *contact]
    parts += _people(d.contacts, lang, once)
    org = d.organization
    parts += [Part(sentence(say(lang, PROVIDED_BY).text), lang), catalogue(lang, org.name)]
    if org.alternate_name:
        parts.append(catalogue(lang, org.alternate_name))
    parts += once.phones_of(org.phones, lang)
    parts += [cards.email(org.email, lang)] if org.email else []
    parts += [cards.website(org.website, lang)] if org.website else []
    for lines in addresses:
        parts += once.address(lines, lang)
    if d.assured_date:
        parts.append(say(lang, CHECKED, date=d.assured_date.isoformat()))
    return parts


def organization(detail: Optional[OrganizationDetail], lang: str, sensitive: bool = False, *,
                 opening: bool = False, keymap: Optional[KeyMap] = None) -> list[Part]:
    """An organization: name, what it does, how to reach it, where, then its services.
    ``opening``: its name, its phones, how many services and each one's name and status (the
    first :data:`OPENING_ROWS`), then how to hear the rest.

    A ``sensitive`` one (the page is marked so) opens with the headphones notice and says its
    services by name; any other says a sensitive service by its neutral title, after the notice."""
    if detail is None:
        return error("organization_missing", lang)
    card = detail.card
    private = sensitive or any(r.sensitive for r in detail.services)
    parts = private_listening(lang) if private else []
    parts.append(catalogue(lang, card.name))
    if card.alternate_name:
        parts.append(catalogue(lang, card.alternate_name))
    if opening:
        parts += _Said().phones_of(card.phones, lang)
        rows = detail.services
        parts.append(Part(sentence(cards.counted(lang, cards.SERVICES, len(rows)).text), lang))
        parts += [cards.service_row(r, lang, reveal=sensitive, brief=True) for r in rows[:OPENING_ROWS]]
        return parts + _more(lang, MORE_SERVICES, len(rows) - OPENING_ROWS) + the_rest(lang, keymap)
    parts += _section(lang, ABOUT_ORG, card.description)
    once = _Said()
    if card.phones or card.email or card.website:
        parts.append(Part(sentence(say(lang, REACH).text), lang))
        parts += once.phones_of(card.phones, lang)
        parts += [cards.email(card.email, lang)] if card.email else []
        parts += [cards.website(card.website, lang)] if card.website else []
    parts += _people(card.contacts, lang, once)
    for loc in detail.locations:
        parts += _location(loc, lang, with_hours=False, once=once)
    parts.append(Part(sentence(cards.counted(lang, cards.SERVICES, len(detail.services)).text), lang))
    if not detail.services:
        parts.append(say(lang, NO_ORG_SERVICES))
    return parts + [cards.service_row(r, lang, reveal=sensitive) for r in detail.services]


def search(query: str, results: Iterable[SearchResult], lang: str, *, opening: bool = False,
           keymap: Optional[KeyMap] = None) -> list[Part]:
    """Search: the prompt before typing, else what was searched, how many results, each one; a
    sensitive result by its neutral title, after the headphones notice. ``opening``: each
    result's name and status only (the first :data:`OPENING_ROWS`), then how to hear the rest."""
    query = " ".join(query.split())
    if not query:
        return [say(lang, SEARCH_PROMPT), say(lang, SEARCH_HINT)]
    results = list(results)
    # what was typed in its own voice: "strehë" is Albanian on an English screen too
    if not results:
        nothing = say_with(lang, NOTHING_FOUND, "text", query, typed=True)
        return [Part(sentence(nothing.text), nothing.lang) if not nothing.pieces else nothing,
                say(lang, NOTHING_FOUND_HINT)]
    private = private_listening(lang) if any(r.sensitive for r in results) else []
    parts = private + [say_with(lang, SEARCH_FOR, "text", query, typed=True),
                       Part(sentence(cards.counted(lang, cards.RESULTS, len(results)).text), lang)]
    if not opening:
        return parts + [cards.search_result(r, lang) for r in results]
    shown = results[:OPENING_ROWS]
    parts += [cards.search_result(r, lang, brief=True) for r in shown]
    parts += _more(lang, MORE_RESULTS, len(results) - len(shown))
    left_out = len(results) > len(shown) or any(cards.result_has_more(r) for r in shown)
    return parts + the_rest(lang, keymap) if left_out else parts


def urgent_line(line: UrgentLine, lang: str) -> Part:
    """One urgent line as one part: its name, its number digit by digit (a 3-digit or 116
    number read as one large number cannot be dialled), and when it answers."""
    number = cards.dial_digits(line.number, lang)
    # "Policia – 129": the number is said once, to dial, not read inside the name as a quantity
    name, provider = _without(line.name, line.number), _without(line.provider, line.number)
    said = [catalogue(lang, as_in(line.name, name) if name else line.name)]
    if provider and line.provider != line.name:
        said.append(catalogue(lang, as_in(line.provider, provider)))
    said.append(say(lang, URGENT_NUMBER, number=number))
    if line.status is not None and line.status.always:
        said.append(say(lang, URGENT_ALWAYS))
    else:
        said.append(cards.status_long(line.status, lang))
    return combine(lang, said)


def _without(text: str, number: str) -> str:
    """``text`` with ``number`` (as written, spaces or dashes aside) taken out, and the dash or
    comma that joined it."""
    digits_only = re.sub(r"\D", "", number)
    if not text or len(digits_only) < 3:
        return text
    pattern = r"[\s–—-]*".join(re.escape(d) for d in digits_only)
    cut = re.sub(rf"(?<!\d)\+?{pattern}(?!\d)", " ", text)
    return re.sub(r"\s*[,–—-]\s*(?=[,–—-]|$)|^\s*[,–—-]\s*", "", " ".join(cut.split())).strip(" ,–—-")


def urgent(lines: Iterable[UrgentLine], lang: str) -> list[Part]:
    """Urgent help: the heading and how to call, then every line (the first one said at once,
    when the screen opens), and the demo notice last, so no number waits behind it.

    The headphones notice first when a line is sensitive. Each line keeps its name: they are
    the same lines for every visitor who opens urgent help, and a neutral title would make
    the police (in the domestic violence category) "Counselling" to a visitor who cannot see."""
    lines = list(lines)
    parts = private_listening(lang) if any(line.sensitive for line in lines) else []
    parts += [Part(sentence(say(lang, URGENT).text), lang), say(lang, URGENT_HOW)]
    if not lines:
        return parts + [say(lang, URGENT_NONE)]
    parts += [urgent_line(line, lang) for line in lines]
    if any(line.demo for line in lines):
        parts.append(say(lang, URGENT_DEMO))
    return parts


def report_thanks(lang: str) -> list[Part]:
    """After a visitor reported a mistake: what the screen shows then, before it goes back."""
    return [say(lang, REPORT_THANKS), say(lang, REPORT_CHECKED)]


def idle_prompt(seconds: int, lang: str) -> list[Part]:
    """The "are you still there?" question, with the seconds left."""
    count = cards.counted(lang, IDLE_COUNT, int(seconds))
    return [say(lang, IDLE), count, say(lang, IDLE_KEYS)]


def error(reason: str, lang: str) -> list[Part]:
    """A page that could not be shown, said as the screen shows it."""
    return [Part(sentence(say(lang, message).text), lang)
            for message in ERRORS.get(reason, ERRORS["failed"])]


def private_listening(lang: str) -> list[Part]:
    """Before a screen that names something sensitive is read aloud: headphones are more private."""
    return [say(lang, PRIVATE)]

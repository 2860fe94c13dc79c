"""What the screens read: plain, already-translated data. No Kivy here.

Every function takes a session (one per unit of work) and the visitor's language, and returns
frozen dataclasses whose text is in that language, field by field falling back to Albanian; a
text that fell back is marked :class:`~kiosk.catalogue.cards.Albanian` (speech reads it with the
Albanian voice). Addresses have no translations: their lines are the catalogue's own language.
"""
from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Optional

from sqlalchemy import Integer, Select, String, bindparam, func, null, select, text
from sqlalchemy.orm import Session, selectinload

from kiosk.catalogue import models as m
from kiosk.catalogue import search as fts
from kiosk.catalogue.cards import (CategoryCard, ContactInfo, LocationInfo, OrganizationCard,
                                   OrganizationDetail, PhoneInfo, SearchResult, ServiceDetail,
                                   ServiceRow, UrgentLine, untranslated)
from kiosk.catalogue.hours import WeeklyRule, status_at, week_hours
from kiosk.catalogue.opening import (Timetables, notes_of, open_now_where, open_service_ids, rules_of,
                                     schedules_at, service_schedules, status_judge, statuses)
from sync.feed.document import extension_digits
from sync.feed.telemetry import sensitive_categories

VISIBLE_STATUSES = ("active", "temporarily closed")


def _fold_one(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).casefold()


# Latin letters with their marks taken off, case folded, made once: most names (Albanian's ë and
# ç included) fold with one str.translate, in C; any other character goes the slow way.
_FOLD = {cp: _fold_one(chr(cp)) for cp in range(0x80, 0x250) if _fold_one(chr(cp)) != chr(cp)}


def sort_key(name: str) -> tuple[str, str]:
    """Alphabetical order a reader expects: Ç beside C and Ë beside E, case ignored."""
    folded = name.translate(_FOLD)
    if folded.isascii():
        return folded.casefold(), name
    folded = "".join(ch for ch in unicodedata.normalize("NFD", name) if not unicodedata.combining(ch))
    return folded.casefold(), name


# ------------------------------------------------------------------ categories


_TERM_TREE = """
WITH RECURSIVE tree(id, top) AS (
    SELECT id, id FROM taxonomy_term WHERE {root}
    UNION ALL
    SELECT t.id, tree.top FROM taxonomy_term t JOIN tree ON t.parent_id = tree.id
)
SELECT tree.top AS top, count(DISTINCT st.service_id) AS n
FROM service_term st
JOIN tree ON tree.id = st.term_id
JOIN service s ON s.id = st.service_id
WHERE s.status IN ('active', 'temporarily closed') {open_filter}
GROUP BY tree.top
"""


def _open_filter_sql(now: datetime | None) -> tuple[str, dict]:
    sql, params = open_now_where(now)
    return f"AND s.timetable_id IN (SELECT timetable_id FROM opening_interval WHERE {sql})", params


def _cards(session: Session, terms: Iterable[m.TaxonomyTerm], lang: str, root_sql: str,
           params: dict, open_now: bool, now: datetime | None) -> list[CategoryCard]:
    open_sql, open_params = _open_filter_sql(now) if open_now else ("", {})
    tree = (text(_TERM_TREE.format(root=root_sql, open_filter=open_sql))
            .bindparams(*(bindparam(k, type_=m.Key) for k in params)).columns(top=m.Key, n=Integer))
    counts = dict(session.execute(tree, {**params, **open_params}).all())
    with_children = set(session.scalars(
        select(m.TaxonomyTerm.parent_id).where(m.TaxonomyTerm.parent_id.is_not(None)).distinct()))
    return [CategoryCard(t.id, t.t("name", lang), t.t("description", lang) or "", t.icon or "category",
                         counts.get(t.id, 0), t.id in with_children, t.parent_id, t.icon_sha256 or "",
                         *_term_discretion(t, lang))
            for t in terms]


def _term_discretion(term: Optional[m.TaxonomyTerm], lang: str) -> tuple[bool, str]:
    """Whether a category is sensitive (it or an ancestor is ``x_sensitive``), and the neutral
    title of the nearest sensitive one that has one."""
    seen: set[str] = set()
    sensitive, title = False, ""
    while term is not None and term.id not in seen:
        if term.sensitive:
            sensitive = True
            title = title or _extension_text(term, lang)
        seen.add(term.id)
        term = term.parent
    return sensitive, title


def sensitive_titles(session: Session, lang: str) -> dict[str, str]:
    """Every category that makes its services sensitive (marked, or below a marked one) and the
    neutral title its services take: its nearest marked ancestor's (or its own) that has one,
    as :func:`discretion` walks them. Read as plain rows: a catalogue has few categories."""
    tt = m.TaxonomyTerm.__table__
    rows = {tid: (parent, bool(marked), title, translations) for tid, parent, marked, title, translations in
            session.execute(select(tt.c.id, tt.c.parent_id, tt.c.sensitive, tt.c.neutral_title, tt.c.translations))}

    def own_title(row) -> str:
        if lang == m.DEFAULT_LANGUAGE:
            return row[2] or ""
        value = (row[3].get(lang) or {}).get("x_neutral_title") if row[3] else None
        return str(value) if value else untranslated(row[2] or "")

    titles: dict[str, str] = {}
    for tid in rows:
        node, seen, marked, title = tid, set(), False, ""
        while node in rows and node not in seen and not title:
            seen.add(node)
            if rows[node][1]:
                marked, title = True, own_title(rows[node])
            node = rows[node][0]
        if marked:
            titles[tid] = title
    return titles


def sensitive_services(session: Session, lang: str, among: Any = None,
                       titles: Optional[dict[str, str]] = None) -> dict[str, str]:
    """The sensitive services (:func:`discretion`) among ``among`` (ids, or a select of ids;
    None: all of them): each id and its neutral title in ``lang`` ("" for the kiosk's
    default). Lists look their rows up here instead of walking every row's categories, and
    only their own rows: a keystroke's results or a category's services, never every
    sensitive service of a big catalogue. ``titles``: :func:`sensitive_titles`, when known."""
    if among is not None and not isinstance(among, Select):
        among = list(among)
        if not among:
            return {}
    titles = sensitive_titles(session, lang) if titles is None else titles
    found: dict[str, str] = {}
    if titles:    # sensitive by a category: read as plain rows, never as objects
        filed = select(m.ServiceTerm.service_id, m.ServiceTerm.term_id)
        # a few rows: their own categories by the service index; else the sensitive categories'
        filed = filed.where(m.ServiceTerm.service_id.in_(among)) if isinstance(among, list) else \
            filed.where(m.ServiceTerm.term_id.in_(list(titles)),
                        *(() if among is None else (m.ServiceTerm.service_id.in_(among),)))
        for sid, tid in session.execute(filed):
            if tid in titles:
                found[sid] = found.get(sid) or titles[tid]
    own = select(m.Service).where(m.Service.sensitive.is_(True)).options(selectinload(m.Service.terms))
    for svc in session.scalars(own if among is None else own.where(m.Service.id.in_(among))):
        found[svc.id] = discretion(svc, lang)[1]       # marked itself (few): its own title first
    return found


def top_categories(session: Session, lang: str, *, open_now: bool = False,
                   now: datetime | None = None, include_empty: bool = False) -> list[CategoryCard]:
    """Top-level categories in their order, each counting the services of its whole subtree."""
    terms = session.scalars(select(m.TaxonomyTerm).where(m.TaxonomyTerm.parent_id.is_(None))
                            .order_by(m.TaxonomyTerm.sort_order, m.TaxonomyTerm.name)).all()
    cards = _cards(session, terms, lang, "parent_id IS NULL", {}, open_now, now)
    return [c for c in cards if include_empty or c.service_count]


def subcategories(session: Session, term_id: str, lang: str, *, open_now: bool = False,
                  now: datetime | None = None) -> list[CategoryCard]:
    terms = session.scalars(select(m.TaxonomyTerm).where(m.TaxonomyTerm.parent_id == term_id)
                            .order_by(m.TaxonomyTerm.sort_order, m.TaxonomyTerm.name)).all()
    cards = _cards(session, terms, lang, "parent_id = :parent", {"parent": term_id}, open_now, now)
    return [c for c in cards if c.service_count]


def category(session: Session, term_id: str, lang: str) -> Optional[CategoryCard]:
    term = session.get(m.TaxonomyTerm, term_id)
    if term is None:
        return None
    return _cards(session, [term], lang, "id = :term", {"term": term_id}, False, None)[0]


def _subtree_ids(session: Session, term_id: str) -> list[str]:
    rows = session.execute(text(
        "WITH RECURSIVE tree(id) AS (SELECT :term UNION ALL SELECT t.id FROM taxonomy_term t "
        "JOIN tree ON t.parent_id = tree.id) SELECT id FROM tree")
        .bindparams(bindparam("term", type_=m.Key)).columns(id=m.Key), {"term": term_id}).scalars()
    return list(rows)


# ------------------------------------------------------------------ services


def _visible():
    return m.Service.status.in_(VISIBLE_STATUSES)


def _service_rows(session: Session, services: list[m.Service], lang: str,
                  now: datetime | None) -> list[ServiceRow]:
    st = statuses(session, [s.id for s in services], now)
    private = sensitive_services(session, lang, [s.id for s in services])
    return [ServiceRow(s.id, s.t("name", lang), s.organization.t("name", lang), st[s.id], s.demo,
                       s.status, s.id in private, private.get(s.id, "")) for s in services]


def _name_in(table, lang: str):
    """A row's name in ``lang`` read by SQLite out of its translations (NULL when it has none,
    and for Albanian, the plain column's own language), not the whole JSON parsed in Python."""
    if lang == m.DEFAULT_LANGUAGE:
        return null().label(None)
    other = func.json_extract(table.c.translations, bindparam(None, f'$."{lang}".name', String))
    return func.nullif(other, "")


@dataclass(frozen=True, slots=True)
class ListedService:
    """A service in a list before the time of day is applied: its row text and its timetable.
    The kiosk keeps one per service of every top category (:meth:`kiosk.reads.Reads.warm`), so
    it has no ``__dict__``, and its provider and status are shared strings
    (:func:`category_listing`)."""

    id: str
    name: str
    provider: str
    demo: bool
    service_status: str
    timetable: tuple[WeeklyRule, ...]
    sensitive: bool = False
    neutral_title: str = ""


def category_listing(session: Session, term_id: str, lang: str) -> list[ListedService]:
    """The services of a category and its sub-categories, by name in ``lang``, with their
    timetables. Depends only on the catalogue, so the kiosk may keep it; :func:`rows_at` turns
    it into rows for a moment. Read as plain Core rows: a big category is the dearest list."""
    svc, org, st_, tt = (m.Service.__table__, m.Organization.__table__, m.ServiceTerm.__table__,
                         m.Timetable.__table__)
    in_terms = select(st_.c.service_id).where(st_.c.term_id.in_(_subtree_ids(session, term_id)))
    query = (select(svc.c.id, svc.c.name, _name_in(svc, lang), svc.c.demo, svc.c.status,
                    org.c.name, _name_in(org, lang), tt.c.packed)
             .join(org, org.c.id == svc.c.organization_id)
             .outerjoin(tt, tt.c.id == svc.c.timetable_id)
             .where(svc.c.id.in_(in_terms), svc.c.status.in_(VISIBLE_STATUSES)))
    timetable = Timetables()
    # SQLite makes a new string for every value of every row; a provider's name and a status
    # repeat across thousands of rows.
    share = sys.intern
    private = sensitive_services(session, lang, in_terms)
    if lang == m.DEFAULT_LANGUAGE:      # no translations read (their columns are NULL)
        listed = [ListedService(sid, name, share(oname), bool(demo), share(status),
                                timetable(packed), sid in private, private.get(sid, ""))
                  for sid, name, _other, demo, status, oname, _oother, packed in session.execute(query)]
    else:
        # a name without a translation is the Albanian one, marked so; a provider's is made
        # once and shared, as sys.intern shares the rest (it takes only plain strings)
        providers: dict[str, str] = {}

        def provider(oname: str, oother: Optional[str]) -> str:
            if oother:
                return share(oother)
            said = providers.get(oname)
            if said is None:
                said = providers[oname] = untranslated(oname)
            return said

        listed = [ListedService(sid, other or untranslated(name), provider(oname, oother), bool(demo),
                                share(status), timetable(packed), sid in private, private.get(sid, ""))
                  for sid, name, other, demo, status, oname, oother, packed in session.execute(query)]
    return sorted(listed, key=lambda r: sort_key(r.name))


def rows_at(session: Optional[Session], listing: Iterable[ListedService], now: datetime | None = None,
            open_now: bool = False) -> list[ServiceRow]:
    """Rows with their open status at ``now``; only the open ones when ``open_now`` (then a
    session is needed for the "open now" index). Equal timetables are judged once."""
    open_ids = open_service_ids(session, now) if open_now else None
    judge = status_judge(now)
    return [ServiceRow(item.id, item.name, item.provider, judge(item.timetable), item.demo,
                       item.service_status, item.sensitive, item.neutral_title)
            for item in listing if open_ids is None or item.id in open_ids]


def _phone(p: m.Phone, lang: str) -> PhoneInfo:
    return PhoneInfo(p.number, (p.type or "").lower(), p.t("description", lang) or "",
                     extension_digits(p.extension))


#: HSDS ``address_type`` of an address that is not the place itself.
POSTAL = "postal"


def _address_lines(loc: m.Location, kind: str = "physical") -> tuple[str, ...]:
    """The lines of ``loc``'s physical addresses (``kind="physical"``: every address that is not
    postal or virtual, where a visitor goes) or of its postal ones (``kind="postal"``)."""
    lines = []
    for a in loc.addresses:
        address_type = (a.address_type or "physical").lower()
        if (address_type == POSTAL) != (kind == POSTAL) or address_type == "virtual":
            continue
        street = ", ".join(x for x in (a.address_1, a.address_2) if x)
        town = " ".join(x for x in (a.postal_code, a.city) if x)
        lines += [x for x in (street, town) if x]
    return tuple(dict.fromkeys(lines))


def _location_info(loc: m.Location, schedules: list[m.Schedule] | None, phones: list[m.Phone],
                   lang: str, now: datetime | None,
                   contacts: tuple[ContactInfo, ...] = ()) -> LocationInfo:
    """A place, with the hours ``schedules`` give there (a service's, see
    :func:`opening.schedules_at`; None: the building's own). When those are not the building's,
    the building's own hours come apart, in ``building_week``. ``contacts``: who to ask there
    (:func:`_people_at`)."""
    own = list(loc.schedules)
    chosen = own if schedules is None else list(schedules)
    rules = rules_of(chosen, lang)
    building = () if chosen == own or not own else tuple(week_hours(rules_of(own, lang), now))
    return LocationInfo(
        id=loc.id, name=loc.t("name", lang) or "", description=loc.t("description", lang) or "",
        address_lines=_address_lines(loc), latitude=loc.latitude, longitude=loc.longitude,
        transportation=loc.t("transportation", lang) or "",
        accessibility=tuple(x for a in loc.accessibility
                            for x in (a.t("description", lang), a.t("details", lang)) if x),
        # the service's phones there, then the building's; one phone both give (the HSDS examples
        # give one to each) is shown once
        phones=tuple(dict.fromkeys(_phone(p, lang) for p in list(phones) + list(loc.phones))),
        week=tuple(week_hours(rules, now)), status=status_at(rules, now),
        schedule_notes=notes_of(chosen, lang), building_week=building,
        postal_lines=_address_lines(loc, POSTAL), contacts=contacts)


def _hours(svc: m.Service) -> tuple[list[m.Schedule], list[tuple[m.ServiceAtLocation, list[m.Schedule]]]]:
    """A service's schedules everywhere it is given (what its open status and the "open now"
    index use), and the schedules at each of its places: the most specific wins."""
    own = list(svc.schedules)
    places = [(sal, list(sal.schedules), list(sal.location.schedules) if sal.location else [])
              for sal in svc.service_at_locations]
    everywhere = service_schedules(own, [(at_sal, at_loc) for _sal, at_sal, at_loc in places])
    return everywhere, [(sal, list(schedules_at(own, at_sal, at_loc))) for sal, at_sal, at_loc in places]


def _contacts(contacts: Iterable[m.Contact], lang: str) -> tuple[ContactInfo, ...]:
    return tuple(ContactInfo(c.t("name", lang) or "", c.t("title", lang) or "",
                             c.t("department", lang) or "", c.email or "",
                             tuple(_phone(p, lang) for p in c.phones), c.id) for c in contacts)


def _people_at(contacts: Iterable[m.Contact], lang: str, shown: set[str]) -> tuple[ContactInfo, ...]:
    """The people of a place that the page does not show yet (``shown``: their contact ids, to
    which these are added): one contact id the feed gives the service, its place there and the
    building (as the HSDS examples do) is one person, shown once, where the page first names it."""
    out = []
    for c in contacts:
        if c.id not in shown:
            shown.add(c.id)
            out.append(c)
    return _contacts(out, lang)


def _org_card(org: m.Organization, lang: str) -> OrganizationCard:
    return OrganizationCard(
        id=org.id, name=org.t("name", lang), alternate_name=org.t("alternate_name", lang) or "",
        description=org.t("description", lang) or "", website=org.website or "",
        email=org.email or "", logo=org.logo or "",
        phones=tuple(_phone(p, lang) for p in org.phones),
        contacts=_contacts(org.contacts, lang),
        demo=org.demo, logo_sha256=org.logo_sha256 or "")


_LOCATION_LOADS = (selectinload(m.Location.addresses), selectinload(m.Location.accessibility),
                   selectinload(m.Location.schedules), selectinload(m.Location.phones),
                   selectinload(m.Location.contacts).selectinload(m.Contact.phones))
_ORG_LOADS = (selectinload(m.Organization.phones),
              selectinload(m.Organization.contacts).selectinload(m.Contact.phones))
SERVICE_LOADS = (
    selectinload(m.Service.organization).options(*_ORG_LOADS),
    selectinload(m.Service.phones), selectinload(m.Service.schedules),
    selectinload(m.Service.documents), selectinload(m.Service.languages),
    selectinload(m.Service.terms), selectinload(m.Service.contacts).selectinload(m.Contact.phones),
    selectinload(m.Service.service_at_locations).options(
        selectinload(m.ServiceAtLocation.schedules), selectinload(m.ServiceAtLocation.phones),
        selectinload(m.ServiceAtLocation.contacts).selectinload(m.Contact.phones),
        selectinload(m.ServiceAtLocation.location).options(*_LOCATION_LOADS)),
)


def _extension_text(obj: m.TaxonomyTerm | m.Service, lang: str) -> str:
    """``x_neutral_title`` in ``lang`` (from ``x_translations``), else the Albanian one (marked)."""
    if lang == m.DEFAULT_LANGUAGE:
        return obj.neutral_title or ""
    if obj.translations:
        value = (obj.translations.get(lang) or {}).get("x_neutral_title")
        if value:
            return str(value)
    return untranslated(obj.neutral_title or "")


def discretion(svc: m.Service, lang: str) -> tuple[bool, str]:
    """Whether take-aways of ``svc`` must be discreet, and the neutral title staff chose.

    A service is sensitive when it, one of its categories or an ancestor of one is marked
    ``x_sensitive``; its own neutral title wins over a category's.
    """
    sensitive, title = svc.sensitive, _extension_text(svc, lang) if svc.sensitive else ""
    for term in svc.terms:
        seen: set[str] = set()
        while term is not None and term.id not in seen:
            seen.add(term.id)
            if term.sensitive:
                sensitive = True
                title = title or _extension_text(term, lang)
            term = term.parent
    return sensitive, title


def urgent_lines(session: Session, lang: str, now: datetime | None = None) -> list[UrgentLine]:
    """The services staff marked ``x_urgent``, in their order, each with its first number."""
    services = session.scalars(
        select(m.Service).where(m.Service.urgent_order.is_not(None), _visible())
        .order_by(m.Service.urgent_order, m.Service.name).options(*SERVICE_LOADS)).all()
    lines = []
    for svc in services:
        rules = rules_of(_hours(svc)[0], lang)
        phones = list(svc.phones) or [p for sal in svc.service_at_locations for p in sal.phones] \
            or list(svc.organization.phones)
        if not phones:
            continue  # a line nobody can call does not belong on this screen
        sensitive, neutral = discretion(svc, lang)
        lines.append(UrgentLine(
            id=svc.id, name=svc.t("name", lang), provider=svc.organization.t("name", lang),
            number=" ".join(phones[0].number.split()), status=status_at(rules, now),
            week=tuple(week_hours(rules, now)) if rules else (), demo=svc.demo,
            sensitive=sensitive, neutral_title=neutral))
    return lines


def service_detail(session: Session, service_id: str, lang: str,
                   now: datetime | None = None) -> Optional[ServiceDetail]:
    """One service with everything its screen shows, in a fixed number of SQL statements."""
    svc = session.scalars(select(m.Service).where(m.Service.id == service_id)
                          .options(*SERVICE_LOADS)).first()
    if svc is None:
        return None
    everywhere, places = _hours(svc)
    # the service's own people first (its "People to contact" card), then each place's: the
    # service's people there, then the building's, each person once on the page
    shown = {c.id for c in svc.contacts}
    locations = tuple(_location_info(sal.location, at_place, list(sal.phones), lang, now,
                                     _people_at([*sal.contacts, *sal.location.contacts], lang, shown))
                      for sal, at_place in places if sal.location is not None)
    all_rules = rules_of(everywhere, lang)
    # The service's own week: its own schedules or its places' own, not only its buildings'.
    has_own = bool(svc.schedules) or any(sal.schedules for sal in svc.service_at_locations)
    sensitive, neutral = discretion(svc, lang)
    return ServiceDetail(
        id=svc.id, name=svc.t("name", lang), alternate_name=svc.t("alternate_name", lang) or "",
        description=svc.t("description", lang) or "", service_status=svc.status,
        eligibility=svc.t("eligibility_description", lang) or "",
        application_process=svc.t("application_process", lang) or "",
        fees=svc.t("fees_description", lang) or "",
        documents=tuple(d.t("document", lang) for d in svc.documents if d.document),
        languages=tuple(lg.t("name", lang) or lg.code or "" for lg in svc.languages),
        interpretation=svc.t("interpretation_services", lang) or "",
        alert=svc.t("alert", lang) or "", assured_date=svc.assured_date,
        last_modified=svc.last_modified, url=svc.url or "", email=svc.email or "", demo=svc.demo,
        organization=_org_card(svc.organization, lang),
        phones=tuple(_phone(p, lang) for p in svc.phones),
        locations=locations,
        categories=tuple((t.id, t.t("name", lang)) for t in svc.terms),
        status=status_at(all_rules, now),
        week=tuple(week_hours(all_rules, now)) if has_own else (),
        urgent_order=svc.urgent_order, sensitive=sensitive, neutral_title=neutral,
        contacts=_contacts(svc.contacts, lang),
        minimum_age=_age(svc.minimum_age), maximum_age=_age(svc.maximum_age))


def _age(value: Optional[float]) -> str:
    """An age limit as written: 18.0 is "18", 1.5 is "1.5"; none, or no age, is ""."""
    if value is None or isinstance(value, bool) or value != value or not 0 <= value < 200:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def organization_detail(session: Session, org_id: str, lang: str,
                        now: datetime | None = None) -> Optional[OrganizationDetail]:
    org = session.scalars(select(m.Organization).where(m.Organization.id == org_id)
                          .options(*_ORG_LOADS)).first()
    if org is None:
        return None
    services = list(session.scalars(
        select(m.Service).where(m.Service.organization_id == org_id, _visible())
        .options(selectinload(m.Service.organization), selectinload(m.Service.terms),
                 selectinload(m.Service.service_at_locations)
                 .selectinload(m.ServiceAtLocation.location).options(*_LOCATION_LOADS))))
    seen: dict[str, LocationInfo] = {}
    # a place's own people (never a service's people there: they belong to that service's page),
    # each person once on the page, after the organization's own "People to contact"
    shown = {c.id for c in org.contacts}
    for svc in services:
        for sal in svc.service_at_locations:
            if sal.location and sal.location.id not in seen:
                seen[sal.location.id] = _location_info(sal.location, None, [], lang, now,
                                                       _people_at(sal.location.contacts, lang, shown))
    rows = sorted(_service_rows(session, services, lang, now), key=lambda r: sort_key(r.name))
    # An organization that offers a sensitive service is as discreet as that service: its page
    # would otherwise give away what the service's page keeps to itself (the saved contact).
    discreet = tuple((svc.id, title) for svc in services
                     for sensitive, title in (discretion(svc, lang),) if sensitive)
    titles = {title for _id, title in discreet}
    return OrganizationDetail(_org_card(org, lang), tuple(seen.values()), tuple(rows),
                              sensitive=bool(discreet),
                              neutral_title=titles.pop() if len(titles) == 1 else "",
                              sensitive_services=discreet)


def organization_addresses(session: Session, org_id: str) -> list[tuple[str, ...]]:
    """The address lines of the places where an organization's services are given, first
    seen first: what the service screen's "Provided by" card lists (without reading every
    service of the organization, as :func:`organization_detail` does)."""
    sal, svc = m.ServiceAtLocation, m.Service
    where = (select(sal.location_id).join(svc, svc.id == sal.service_id)
             .where(svc.organization_id == org_id, _visible()))
    locations = session.scalars(select(m.Location).where(m.Location.id.in_(where))
                                .order_by(m.Location.id)
                                .options(selectinload(m.Location.addresses))).all()
    out: list[tuple[str, ...]] = []
    for loc in locations:
        lines = _address_lines(loc)
        if lines and lines not in out:
            out.append(lines)
    return out


# ------------------------------------------------------------------ search


def search(session: Session, query: str, lang: str, *, now: datetime | None = None,
           limit: int = 40) -> list[SearchResult]:
    """Ranked services and organizations matching what the visitor typed, in both languages."""
    hits = fts.match(session, query, limit=limit)
    if not hits:
        return []
    service_ids = [h.id for h in hits if h.kind == "service"]
    org_ids = [h.id for h in hits if h.kind == "organization"]
    services = {s.id: s for s in session.scalars(
        select(m.Service).where(m.Service.id.in_(service_ids), _visible())
        .options(selectinload(m.Service.organization)))}
    orgs = {o.id: o for o in session.scalars(select(m.Organization).where(m.Organization.id.in_(org_ids)))}
    st = statuses(session, list(services), now)
    titles = sensitive_titles(session, lang)
    private = sensitive_services(session, lang, list(services), titles)
    # an organization whose every visible service is sensitive is itself (its name tells)
    private_orgs: dict[str, str] = {}
    theirs = select(m.Service.id).where(m.Service.organization_id.in_(list(orgs)), _visible())
    their_private = sensitive_services(session, lang, theirs, titles) if orgs else {}
    if their_private:
        offered: dict[str, list[str]] = {}
        for org_id, svc_id in session.execute(select(m.Service.organization_id, m.Service.id).where(
                m.Service.organization_id.in_(list(orgs)), _visible())):
            offered.setdefault(org_id, []).append(svc_id)
        private_orgs = {org_id: next((their_private[i] for i in ids if their_private[i]), "")
                        for org_id, ids in offered.items() if all(i in their_private for i in ids)}
    results = []
    for hit in hits:
        if hit.kind == "service" and hit.id in services:
            s = services[hit.id]
            results.append(SearchResult("service", s.id, s.t("name", lang), s.organization.t("name", lang),
                                        st[s.id], s.id in private, private.get(s.id, "")))
        elif hit.kind == "organization" and hit.id in orgs:
            o = orgs[hit.id]
            results.append(SearchResult("organization", o.id, o.t("name", lang),
                                        o.t("alternate_name", lang) or "", None, o.id in private_orgs,
                                        private_orgs.get(o.id, "")))
    return results


def catalogue_token(session: Session) -> str:
    """Changes whenever a catalogue is loaded: what the kiosk's caches are keyed on."""
    return session.scalar(select(m.Meta.value).where(m.Meta.key == "load_id")) or ""


def catalogue_is_demo(session: Session) -> bool:
    return session.scalar(select(m.Meta.value).where(m.Meta.key == "demo")) == "1"


def first_id(session: Session, kind: str) -> Optional[str]:
    """The first active service's (``kind="service"``) or organization's id, by id; None if empty."""
    model = m.Service if kind == "service" else m.Organization
    where = [m.Service.status == "active"] if model is m.Service else []
    return session.scalar(select(model.id).where(*where).order_by(model.id).limit(1))


def sensitive_subjects(session: Session) -> frozenset[str]:
    """The ids whose usage counts must not place a visitor (see :mod:`kiosk.feedback.store`): every
    category marked ``x_sensitive`` and the categories below it, every service that is sensitive
    (:func:`discretion`'s rule) and the organizations that provide one."""
    parents = dict(session.execute(select(m.TaxonomyTerm.id, m.TaxonomyTerm.parent_id)).all())
    terms = sensitive_categories(parents, session.scalars(
        select(m.TaxonomyTerm.id).where(m.TaxonomyTerm.sensitive.is_(True))))
    services = dict(session.execute(select(m.Service.id, m.Service.organization_id)
                                    .where(m.Service.sensitive.is_(True))).all())
    if terms:
        services.update(session.execute(
            select(m.Service.id, m.Service.organization_id).join(m.ServiceTerm, m.ServiceTerm.service_id == m.Service.id)
            .where(m.ServiceTerm.term_id.in_(terms))).all())
    return frozenset(terms | set(services) | set(services.values()))

"""Build the catalogue database from a feed document (the export back is :mod:`kiosk.catalogue.export`).

The build replaces every row in one transaction: readers (the UI, on WAL) see the old catalogue
until the commit and the whole new one after it, never a mix. Rows are inserted with executemany
batches, which keeps a 100k-service feed within seconds.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Any, Iterable

from sqlalchemy import delete, insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kiosk.catalogue import models as m
from kiosk.catalogue import opening
from kiosk.catalogue.extra import extra_of, loosen_references
from kiosk.catalogue.search import clear_index, index_rows
from sync.feed import document as feedmod

TR = feedmod.TRANSLATIONS_KEY


def _datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return feedmod.parse_timestamp(str(value)).astimezone(timezone.utc).replace(tzinfo=None)
    except ValueError:
        return None


def _tr(obj: dict[str, Any]) -> dict[str, Any]:
    return obj.get(TR) or {}


def _urgent(value: Any) -> int | None:
    """``x_urgent``: the line's place on the urgent-help screen (1 first); ``true`` sorts last."""
    if value is True:
        return 999
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None


class _Rows:
    """Rows per table, each id kept once (a nested feed repeats organizations and locations), or
    once per owner where the key says so (phones, contacts, schedules)."""

    def __init__(self) -> None:
        self.rows: dict[type, dict[Any, dict[str, Any]]] = {cls: {} for cls in m.DELETE_ORDER}
        self.intervals: list[dict[str, Any]] = []
        self.location_schedules: dict[str, list[dict[str, Any]]] = {}

    def add(self, cls: type, row: dict[str, Any], src: dict[str, Any] | None = None,
            key: Any = None) -> bool:
        """Add a row once per ``key`` (its id unless given); ``src``, the feed record, gives its
        ``extra`` fields."""
        table = self.rows[cls]
        key = row["id"] if key is None else key
        if key in table:
            return False
        if src is not None:
            row["extra"] = extra_of(cls, src)
        table[key] = row
        return True


#: The owner ids a contact or a phone may name.
OWNER_FIELDS = ("organization_id", "service_id", "service_at_location_id", "location_id", "contact_id")


def _phones(rows: _Rows, phones: Iterable[dict[str, Any]], *, as_given: bool = False, **owner: Any) -> None:
    """An owner's phones, each kept by that owner: one phone id given to the organization, the
    service, its service_at_location, its location and a contact (as the HSDS examples do) is a
    row for each. ``as_given``: the phone's own owner fields are kept as the feed wrote them
    (see :func:`_contacts`)."""
    for pos, ph in enumerate(phones or []):
        row = {
            "id": ph["id"], "number": ph["number"], "extension": ph.get("extension"),
            "type": ph.get("type"), "description": ph.get("description"), "translations": _tr(ph),
            "position": pos, "organization_id": None, "service_id": None, "location_id": None,
            "service_at_location_id": None, "contact_id": None, "contact_row": None, **owner}
        if rows.add(m.Phone, row, ph, key=(row["id"], row["organization_id"], row["service_id"], row["location_id"],
                                           row["service_at_location_id"], row["contact_row"])) and as_given:
            _keep_owner_fields(row, ph)


def _keep_owner_fields(row: dict[str, Any], src: dict[str, Any]) -> None:
    """The owner ids ``src`` itself names (HSDS lets a nested record repeat them, a CSV row always
    does), kept in ``extra`` as they came: the columns say where the build found the record."""
    given = {k: src[k] for k in OWNER_FIELDS if k in src}
    if given:
        row["extra"] = {**given, **row["extra"]}


def _contacts(rows: _Rows, contacts: Iterable[dict[str, Any]], **owner: str | None) -> None:
    """An owner's contacts, each kept by that owner (a contact the organization and the service
    share is a row for each), with its phones: they name the contact's row, its number here (the
    build gives it, so that the phones can).

    A location's and a service_at_location's contacts (schema 14) keep the owner ids they name
    as the feed wrote them, as the export gave these contacts back before they were rows."""
    table = rows.rows[m.Contact]
    as_given = bool(owner.get("location_id") or owner.get("service_at_location_id"))
    for pos, c in enumerate(contacts or []):
        row = {"row": len(table) + 1, "id": c["id"], "name": c.get("name"), "title": c.get("title"),
               "department": c.get("department"), "email": c.get("email"), "translations": _tr(c),
               "position": pos, "organization_id": None, "service_id": None, "location_id": None,
               "service_at_location_id": None, **owner}
        if rows.add(m.Contact, row, c, key=(row["id"], row["organization_id"], row["service_id"],
                                            row["location_id"], row["service_at_location_id"])):
            if as_given:
                _keep_owner_fields(row, c)
            _phones(rows, c.get("phones"), as_given=as_given, contact_id=c["id"], contact_row=row["row"],
                    **owner)


def _schedules(rows: _Rows, schedules: Iterable[dict[str, Any]], **owner: str | None) -> list:
    """An owner's schedules, each kept by that owner: one schedule id given to a service, its
    service_at_location and its location (as the HSDS examples do) is a row for each."""
    added = []
    for pos, s in enumerate(schedules or []):
        row = {
            "id": s["id"], "freq": s.get("freq"), "byday": s.get("byday"),
            "opens_at": s.get("opens_at"), "closes_at": s.get("closes_at"),
            "valid_from": feedmod.date_or_none(s.get("valid_from")),
            "valid_to": feedmod.date_or_none(s.get("valid_to")),
            "description": s.get("description"), "notes": s.get("notes"),
            "attending_type": s.get("attending_type"), "translations": _tr(s), "position": pos,
            "service_id": None, "location_id": None, "service_at_location_id": None, **owner}
        if rows.add(m.Schedule, row, s, key=(row["id"], row["service_id"], row["location_id"],
                                             row["service_at_location_id"])):
            added.append(row)
    return added


def _location(rows: _Rows, loc: dict[str, Any]) -> list:
    """Add a location once, with its addresses, accessibility, phones, contacts; returns its own schedules (they apply to every service there)."""
    if not rows.add(m.Location, {
            "id": loc["id"], "organization_id": loc.get("organization_id"),
            "location_type": loc.get("location_type", "physical"), "name": loc.get("name"),
            "description": loc.get("description"), "transportation": loc.get("transportation"),
            "url": loc.get("url"), "latitude": loc.get("latitude"), "longitude": loc.get("longitude"),
            "translations": _tr(loc)}, loc):
        return rows.location_schedules.get(loc["id"], [])
    for pos, a in enumerate(loc.get("addresses") or []):
        rows.add(m.Address, {
            "id": a["id"], "location_id": loc["id"], "attention": a.get("attention"),
            "address_1": a.get("address_1", ""), "address_2": a.get("address_2"),
            "city": a.get("city", ""), "region": a.get("region"),
            "state_province": a.get("state_province", ""), "postal_code": a.get("postal_code", ""),
            "country": a.get("country", ""), "address_type": a.get("address_type", "physical"),
            "position": pos})
    for pos, acc in enumerate(loc.get("accessibility") or []):
        rows.add(m.Accessibility, {
            "id": acc["id"], "location_id": loc["id"], "description": acc.get("description"),
            "details": acc.get("details"), "url": acc.get("url"), "translations": _tr(acc),
            "position": pos}, acc)
    _phones(rows, loc.get("phones"), location_id=loc["id"])
    _contacts(rows, loc.get("contacts"), location_id=loc["id"])
    own = _schedules(rows, loc.get("schedules"), location_id=loc["id"])
    rows.location_schedules[loc["id"]] = own
    return own


def _term(rows: _Rows, term: dict[str, Any]) -> None:
    rows.add(m.TaxonomyTerm, {
        "id": term["id"], "parent_id": term.get("parent_id"), "taxonomy_id": term.get("taxonomy_id"),
        "code": term.get("code"), "name": term["name"], "description": term.get("description") or "",
        "icon": term.get("x_icon"), "icon_url": term.get("x_icon_url"),
        "icon_sha256": term.get("x_icon_sha256"), "sort_order": int(term.get("x_order") or 0),
        "sensitive": bool(term.get("x_sensitive")), "neutral_title": term.get("x_neutral_title"),
        "translations": _tr(term)}, term)


def _intervals(rows: _Rows, service_id: str, schedules: list[dict[str, Any]]) -> None:
    for s in schedules:
        for rule in opening.weekly_rules(s["freq"], s["byday"], s["opens_at"], s["closes_at"],
                                         s["valid_from"], s["valid_to"], s.get("extra")):
            for weekday in sorted(rule.weekdays):
                rows.intervals.append({"service_id": service_id, "weekday": weekday,
                                       "opens": rule.opens, "closes": rule.closes,
                                       "valid_from": rule.valid_from, "valid_to": rule.valid_to,
                                       "summer": rule.summer})


def rows_from_feed(doc: dict[str, Any]) -> _Rows:
    rows = _Rows()
    if doc.get("taxonomy"):
        tx = doc["taxonomy"]
        rows.add(m.Taxonomy, {"id": tx["id"], "name": tx.get("name", ""),
                              "description": tx.get("description", "")}, tx)
    for term in doc.get("taxonomy_terms", []):
        _term(rows, term)
    for svc in doc["services"]:
        _organization(rows, svc.get("organization") or {})
        _service(rows, svc)
    loosen_references(rows.rows)
    return rows


def _organization(rows: _Rows, org: dict[str, Any]) -> None:
    """The provider, with its phones and contacts, the first time a service names it."""
    if org and rows.add(m.Organization, {
            "id": org["id"], "name": org["name"], "alternate_name": org.get("alternate_name"),
            "description": org.get("description") or "", "email": org.get("email"),
            "website": org.get("website"), "logo": org.get("logo"),
            "logo_sha256": org.get("x_logo_sha256"),
            "year_incorporated": org.get("year_incorporated"),
            "legal_status": org.get("legal_status"), "demo": bool(org.get("x_demo")),
            "translations": _tr(org)}, org):
        _phones(rows, org.get("phones"), organization_id=org["id"])
        _contacts(rows, org.get("contacts"), organization_id=org["id"])


def _service(rows: _Rows, svc: dict[str, Any]) -> None:
    """A service and everything nested in it: phones, documents, languages, terms, locations."""
    org_id = (svc.get("organization") or {}).get("id") or svc.get("organization_id")
    rows.add(m.Service, {
        "id": svc["id"], "organization_id": org_id, "name": svc["name"],
        "alternate_name": svc.get("alternate_name"), "description": svc.get("description") or "",
        "url": svc.get("url"), "email": svc.get("email"), "status": svc.get("status", "active"),
        "interpretation_services": svc.get("interpretation_services"),
        "application_process": svc.get("application_process"),
        "fees_description": svc.get("fees_description"),
        "eligibility_description": svc.get("eligibility_description"),
        "minimum_age": svc.get("minimum_age"), "maximum_age": svc.get("maximum_age"),
        "alert": svc.get("alert"), "assured_date": feedmod.date_or_none(svc.get("assured_date")),
        "last_modified": _datetime(svc.get("last_modified")), "demo": bool(svc.get("x_demo")),
        "urgent_order": _urgent(svc.get("x_urgent")), "sensitive": bool(svc.get("x_sensitive")),
        "neutral_title": svc.get("x_neutral_title"), "translations": _tr(svc)}, svc)
    _phones(rows, svc.get("phones"), service_id=svc["id"])
    _contacts(rows, svc.get("contacts"), service_id=svc["id"])
    own = _schedules(rows, svc.get("schedules"), service_id=svc["id"])
    for pos, d in enumerate(svc.get("required_documents") or []):
        rows.add(m.RequiredDocument, {"id": d["id"], "service_id": svc["id"],
                                      "document": d.get("document") or "", "uri": d.get("uri"),
                                      "translations": _tr(d), "position": pos}, d)
    for pos, lang in enumerate(svc.get("languages") or []):
        rows.add(m.Language, {"id": lang["id"], "service_id": svc["id"], "name": lang.get("name"),
                              "code": lang.get("code"), "note": lang.get("note"),
                              "translations": _tr(lang), "position": pos}, lang)
    for attr in svc.get("attributes") or []:
        term_id = attr.get("taxonomy_term_id") or (attr.get("taxonomy_term") or {}).get("id")
        if not term_id:
            continue
        if attr.get("taxonomy_term"):
            _term(rows, attr["taxonomy_term"])
        rows.add(m.ServiceTerm, {"id": attr["id"], "service_id": svc["id"], "term_id": term_id,
                                 "value": attr.get("value")})
    places = [_service_at_location(rows, svc["id"], sal, pos)
              for pos, sal in enumerate(svc.get("service_at_locations") or [])]
    _intervals(rows, svc["id"], opening.service_schedules(own, places))


def _service_at_location(rows: _Rows, service_id: str, sal: dict[str, Any], pos: int) -> tuple[list, list]:
    """Where a service is given; returns the schedules there: the service_at_location's own
    and its location's (the most specific applies, see :func:`opening.schedules_at`)."""
    loc = sal.get("location") or {}
    loc_id = loc.get("id") or sal.get("location_id")
    at_location = _location(rows, loc) if loc else []
    rows.add(m.ServiceAtLocation, {"id": sal["id"], "service_id": service_id,
                                   "location_id": loc_id, "description": sal.get("description"),
                                   "translations": _tr(sal), "position": pos}, sal)
    _phones(rows, sal.get("phones"), service_at_location_id=sal["id"], service_id=service_id)
    _contacts(rows, sal.get("contacts"), service_at_location_id=sal["id"])
    return (_schedules(rows, sal.get("schedules"), service_at_location_id=sal["id"], service_id=service_id),
            at_location)


def write_meta(session: Session, doc: dict[str, Any], source: str) -> None:
    info = feedmod.info(doc)
    meta = {"feed_version": str(info.version), "generated_at": doc["generated_at"],
            "expires_at": doc.get("expires_at") or "", "schema_version": str(info.schema_version),
            "demo": "1" if info.demo else "0", "source": source,
            "loaded_at": feedmod.format_timestamp(feedmod.utcnow()),
            "load_id": uuid.uuid4().hex,  # what the kiosk's caches are keyed on
            "publisher": json.dumps(doc.get("publisher") or {}, ensure_ascii=False)}
    session.execute(insert(m.Meta), [{"key": k, "value": v} for k, v in meta.items()])


INSERT_CHUNK = 5000


def _insert(conn, cls: type, batch: list[dict[str, Any]]) -> None:
    """``batch``'s rows into ``cls``'s table, as SQLAlchemy's own executemany would write them:
    its compiled INSERT and each column's bind processor (ids to bytes, JSON, dates).
    SQLAlchemy's executemany rebuilds a parameter dict per row and runs every processor through
    its generic loop: 0.33 s of the 1.37 s that the 119,000 rows of a 10k feed took; here each
    row is one list the driver takes as it is. The build gives every column but an
    autoincrementing key, so no Python-side default is applied: a row lacking a column is an error."""
    if not batch:
        return
    table = cls.__table__
    dialect = conn.dialect
    compiled = table.insert().compile(dialect=dialect, column_keys=list(batch[0]))
    names = list(compiled.positiontup or ())
    lacking = [name for name in names if name not in batch[0]]
    if lacking:
        raise ValueError(f"{table.name}: the build gave no {', '.join(lacking)}")
    processors = [(i, process) for i, name in enumerate(names)
                  if (process := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))]

    def rows(chunk: list[dict[str, Any]]) -> Iterable[list[Any]]:
        for row in chunk:
            values = [row[name] for name in names]
            for i, process in processors:
                values[i] = process(values[i])      # None too: a JSON column's None is 'null'
            yield values

    cursor = conn.connection.dbapi_connection.cursor()
    try:
        for start in range(0, len(batch), INSERT_CHUNK):
            cursor.executemany(compiled.string, rows(batch[start:start + INSERT_CHUNK]))
    finally:
        cursor.close()


def _timetables(rows: _Rows) -> list[dict[str, Any]]:
    """Each service's intervals packed into one text, each distinct text a ``timetable`` row;
    returns the ``opening_interval`` rows, once per timetable."""
    by_service: dict[str, list[tuple]] = {}
    for iv in rows.intervals:
        by_service.setdefault(iv["service_id"], []).append(
            (iv["weekday"], iv["opens"], iv["closes"], iv["valid_from"], iv["valid_to"], iv["summer"]))
    ids: dict[str, int] = {}
    intervals: list[dict[str, Any]] = []
    for service_id, row in rows.rows[m.Service].items():
        timetable = by_service.get(service_id)
        packed = opening.pack(timetable) if timetable else None
        if packed is not None and packed not in ids:
            tid = ids[packed] = len(ids) + 1
            rows.rows[m.Timetable][tid] = {"id": tid, "packed": packed}
            intervals += [{"timetable_id": tid, "weekday": wd, "opens": opens, "closes": closes,
                           "valid_from": vf, "valid_to": vt, "summer": summer}
                          for wd, opens, closes, vf, vt, summer in timetable]
        row["timetable_id"] = ids.get(packed) if packed is not None else None
    return intervals


def _share_wordings(rows: _Rows) -> None:
    """Each distinct wording of the documents and languages once (:class:`kiosk.catalogue.models.
    SharedWording`): a row gives its texts, translations and other fields to a ``*_text`` row,
    the first with the same ones, and keeps its id, owner, place and that row's number."""
    for cls, text_cls in m.WORDINGS.items():
        fields = [c.name for c in text_cls.__table__.columns if c.name != "id"]
        texts = rows.rows[text_cls]
        made: dict[tuple, int] = {}
        for row in rows.rows[cls].values():
            wording = {f: row.pop(f, None) for f in fields}
            key = tuple(repr(v) for v in wording.values())   # feed values: text, numbers, dicts
            text_id = made.get(key)
            if text_id is None:
                text_id = made[key] = len(made) + 1
                texts[text_id] = {"id": text_id, **wording}
            row["text_id"] = text_id


def build(session: Session, doc: dict[str, Any], source: str = "") -> int:
    """Replace the whole catalogue with ``doc`` inside the caller's transaction; returns services."""
    rows = rows_from_feed(doc)
    intervals = _timetables(rows)
    _share_wordings(rows)
    clear_index(session)
    for cls in m.DELETE_ORDER:
        session.execute(delete(cls))
    # Core executemany straight to the driver: the ORM's bulk path would cost 5x more here.
    # Chunks keep the driver's parameter lists small on a 100k-service feed.
    conn = session.connection()
    for cls in reversed(m.DELETE_ORDER):
        _insert(conn, cls, list(rows.rows[cls].values()))
    _insert(conn, m.OpeningInterval, intervals)
    write_meta(session, doc, source)
    session.flush()
    index_rows(session)
    return len(rows.rows[m.Service])


def compact(engine: Engine) -> None:
    """``VACUUM`` a freshly built file, outside the build's transaction: the build's deletes and the
    index's merges leave free pages and half-filled ones (a tenth of the file); the rewrite packs
    every table and index in order. The build writes a new file anyway, so nobody waits."""
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM")

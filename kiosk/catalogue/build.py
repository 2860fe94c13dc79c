"""Build the catalogue database from a feed document, and export it back to one.

The build replaces every row in one transaction: readers (the UI, on WAL) see the old catalogue
until the commit and the whole new one after it, never a mix. Rows are inserted with executemany
batches, which keeps a 100k-service feed within seconds.
"""
from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timezone
from typing import Any, Iterable

from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session, selectinload

from kiosk.catalogue import models as m
from kiosk.catalogue.hours import rule_from_schedule
from kiosk.catalogue.search import FTS_TABLE, index_rows
from sync.feed import document as feedmod

TR = feedmod.TRANSLATIONS_KEY


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


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
    """Rows per table, each id kept once (a nested feed repeats organizations and locations)."""

    def __init__(self) -> None:
        self.rows: dict[type, dict[Any, dict[str, Any]]] = {cls: {} for cls in m.DELETE_ORDER}
        self.intervals: list[dict[str, Any]] = []
        self.location_schedules: dict[str, list[dict[str, Any]]] = {}

    def add(self, cls: type, row: dict[str, Any]) -> bool:
        table = self.rows[cls]
        if row["id"] in table:
            return False
        table[row["id"]] = row
        return True


def _phones(rows: _Rows, phones: Iterable[dict[str, Any]], **owner: str | None) -> None:
    for pos, ph in enumerate(phones or []):
        rows.add(m.Phone, {
            "id": ph["id"], "number": ph["number"], "extension": ph.get("extension"),
            "type": ph.get("type"), "description": ph.get("description"), "translations": _tr(ph),
            "position": pos, "organization_id": None, "service_id": None, "location_id": None,
            "service_at_location_id": None, "contact_id": None, **owner})


def _contacts(rows: _Rows, contacts: Iterable[dict[str, Any]], **owner: str | None) -> None:
    for pos, c in enumerate(contacts or []):
        if rows.add(m.Contact, {
                "id": c["id"], "name": c.get("name"), "title": c.get("title"),
                "department": c.get("department"), "email": c.get("email"), "translations": _tr(c),
                "position": pos, "organization_id": None, "service_id": None, **owner}):
            _phones(rows, c.get("phones"), contact_id=c["id"], **owner)


def _schedules(rows: _Rows, schedules: Iterable[dict[str, Any]], **owner: str | None) -> list:
    added = []
    for pos, s in enumerate(schedules or []):
        row = {
            "id": s["id"], "freq": s.get("freq"), "byday": s.get("byday"),
            "opens_at": s.get("opens_at"), "closes_at": s.get("closes_at"),
            "valid_from": _date(s.get("valid_from")), "valid_to": _date(s.get("valid_to")),
            "description": s.get("description"), "notes": s.get("notes"),
            "attending_type": s.get("attending_type"), "translations": _tr(s), "position": pos,
            "service_id": None, "location_id": None, "service_at_location_id": None, **owner}
        rows.add(m.Schedule, row)
        added.append(row)
    return added


def _location(rows: _Rows, loc: dict[str, Any]) -> list:
    """Add a location once; returns its own schedules (they apply to every service there)."""
    if not rows.add(m.Location, {
            "id": loc["id"], "organization_id": loc.get("organization_id"),
            "location_type": loc.get("location_type", "physical"), "name": loc.get("name"),
            "description": loc.get("description"), "transportation": loc.get("transportation"),
            "url": loc.get("url"), "latitude": loc.get("latitude"), "longitude": loc.get("longitude"),
            "translations": _tr(loc)}):
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
            "position": pos})
    _phones(rows, loc.get("phones"), location_id=loc["id"])
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
        "translations": _tr(term)})


def _intervals(rows: _Rows, service_id: str, schedules: list[dict[str, Any]]) -> None:
    for s in schedules:
        rule = rule_from_schedule(s["freq"], s["byday"], s["opens_at"], s["closes_at"],
                                  s["valid_from"], s["valid_to"])
        if rule is None:
            continue
        for weekday in sorted(rule.weekdays):
            rows.intervals.append({"service_id": service_id, "weekday": weekday,
                                   "opens": rule.opens, "closes": rule.closes,
                                   "valid_from": rule.valid_from, "valid_to": rule.valid_to})


def rows_from_feed(doc: dict[str, Any]) -> _Rows:
    rows = _Rows()
    if doc.get("taxonomy"):
        tx = doc["taxonomy"]
        rows.add(m.Taxonomy, {"id": tx["id"], "name": tx.get("name", ""),
                              "description": tx.get("description", "")})
    for term in doc.get("taxonomy_terms", []):
        _term(rows, term)
    for svc in doc["services"]:
        org = svc.get("organization") or {}
        org_id = org.get("id") or svc.get("organization_id")
        if org and rows.add(m.Organization, {
                "id": org["id"], "name": org["name"], "alternate_name": org.get("alternate_name"),
                "description": org.get("description") or "", "email": org.get("email"),
                "website": org.get("website"), "logo": org.get("logo"),
                "logo_sha256": org.get("x_logo_sha256"),
                "year_incorporated": org.get("year_incorporated"),
                "legal_status": org.get("legal_status"), "demo": bool(org.get("x_demo")),
                "translations": _tr(org)}):
            _phones(rows, org.get("phones"), organization_id=org["id"])
            _contacts(rows, org.get("contacts"), organization_id=org["id"])
        rows.add(m.Service, {
            "id": svc["id"], "organization_id": org_id, "name": svc["name"],
            "alternate_name": svc.get("alternate_name"), "description": svc.get("description") or "",
            "url": svc.get("url"), "email": svc.get("email"), "status": svc.get("status", "active"),
            "interpretation_services": svc.get("interpretation_services"),
            "application_process": svc.get("application_process"),
            "fees_description": svc.get("fees_description"),
            "eligibility_description": svc.get("eligibility_description"),
            "minimum_age": svc.get("minimum_age"), "maximum_age": svc.get("maximum_age"),
            "alert": svc.get("alert"), "assured_date": _date(svc.get("assured_date")),
            "last_modified": _datetime(svc.get("last_modified")), "demo": bool(svc.get("x_demo")),
            "urgent_order": _urgent(svc.get("x_urgent")), "sensitive": bool(svc.get("x_sensitive")),
            "neutral_title": svc.get("x_neutral_title"), "translations": _tr(svc)})
        _phones(rows, svc.get("phones"), service_id=svc["id"])
        _contacts(rows, svc.get("contacts"), service_id=svc["id"])
        applying = _schedules(rows, svc.get("schedules"), service_id=svc["id"])
        for pos, d in enumerate(svc.get("required_documents") or []):
            rows.add(m.RequiredDocument, {"id": d["id"], "service_id": svc["id"],
                                          "document": d.get("document") or "", "uri": d.get("uri"),
                                          "translations": _tr(d), "position": pos})
        for pos, lang in enumerate(svc.get("languages") or []):
            rows.add(m.Language, {"id": lang["id"], "service_id": svc["id"], "name": lang.get("name"),
                                  "code": lang.get("code"), "note": lang.get("note"),
                                  "translations": _tr(lang), "position": pos})
        for attr in svc.get("attributes") or []:
            term_id = attr.get("taxonomy_term_id") or (attr.get("taxonomy_term") or {}).get("id")
            if not term_id:
                continue
            if attr.get("taxonomy_term"):
                _term(rows, attr["taxonomy_term"])
            rows.add(m.ServiceTerm, {"id": attr["id"], "service_id": svc["id"], "term_id": term_id,
                                     "value": attr.get("value")})
        for pos, sal in enumerate(svc.get("service_at_locations") or []):
            loc = sal.get("location") or {}
            loc_id = loc.get("id") or sal.get("location_id")
            applying += _location(rows, loc) if loc else []
            rows.add(m.ServiceAtLocation, {"id": sal["id"], "service_id": svc["id"],
                                           "location_id": loc_id, "description": sal.get("description"),
                                           "translations": _tr(sal), "position": pos})
            _phones(rows, sal.get("phones"), service_at_location_id=sal["id"], service_id=svc["id"])
            applying += _schedules(rows, sal.get("schedules"), service_at_location_id=sal["id"],
                                   service_id=svc["id"])
        _intervals(rows, svc["id"], applying)
    return rows


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
    statement = cls.__table__.insert()
    for start in range(0, len(batch), INSERT_CHUNK):
        conn.execute(statement, batch[start:start + INSERT_CHUNK])


def build(session: Session, doc: dict[str, Any], source: str = "") -> int:
    """Replace the whole catalogue with ``doc`` inside the caller's transaction; returns services."""
    rows = rows_from_feed(doc)
    session.execute(text(f"DELETE FROM {FTS_TABLE}"))
    for cls in m.DELETE_ORDER:
        session.execute(delete(cls))
    # Core executemany straight to the driver: the ORM's bulk path would cost 5x more here.
    # Chunks keep the driver's parameter lists small on a 100k-service feed.
    conn = session.connection()
    for cls in reversed(m.DELETE_ORDER):
        _insert(conn, cls, list(rows.rows[cls].values()))
    _insert(conn, m.OpeningInterval, rows.intervals)
    write_meta(session, doc, source)
    session.flush()
    index_rows(session)
    return len(rows.rows[m.Service])


# ---------------------------------------------------------------- export back to HSDS


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values so the export carries what HSDS validators expect."""
    return {k: v for k, v in obj.items() if v not in (None, "", [], {})}


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return feedmod.format_timestamp(value if value.tzinfo else value.replace(tzinfo=timezone.utc))
    return value.isoformat()


def _export_phone(p: m.Phone) -> dict[str, Any]:
    return _clean({"id": p.id, "number": p.number, "extension": p.extension, "type": p.type,
                   "description": p.description, "organization_id": p.organization_id,
                   "service_id": p.service_id, "location_id": p.location_id,
                   "service_at_location_id": p.service_at_location_id, "contact_id": p.contact_id,
                   TR: p.translations})


def _export_schedule(s: m.Schedule) -> dict[str, Any]:
    return _clean({"id": s.id, "service_id": s.service_id, "location_id": s.location_id,
                   "service_at_location_id": s.service_at_location_id, "freq": s.freq,
                   "byday": s.byday, "opens_at": s.opens_at, "closes_at": s.closes_at,
                   "valid_from": _iso(s.valid_from), "valid_to": _iso(s.valid_to),
                   "description": s.description, "notes": s.notes,
                   "attending_type": s.attending_type, TR: s.translations})


def _export_contact(c: m.Contact) -> dict[str, Any]:
    return _clean({"id": c.id, "organization_id": c.organization_id, "service_id": c.service_id,
                   "name": c.name, "title": c.title, "department": c.department, "email": c.email,
                   "phones": [_export_phone(p) for p in c.phones], TR: c.translations})


def _export_term(t: m.TaxonomyTerm) -> dict[str, Any]:
    return _clean({"id": t.id, "code": t.code, "name": t.name, "description": t.description or t.name,
                   "parent_id": t.parent_id, "taxonomy_id": t.taxonomy_id, "x_icon": t.icon,
                   "x_icon_url": t.icon_url, "x_icon_sha256": t.icon_sha256,
                   "x_order": t.sort_order, "x_sensitive": t.sensitive or None,
                   "x_neutral_title": t.neutral_title, TR: t.translations})


def _export_location(loc: m.Location) -> dict[str, Any]:
    return _clean({
        "id": loc.id, "location_type": loc.location_type, "organization_id": loc.organization_id,
        "name": loc.name, "description": loc.description, "transportation": loc.transportation,
        "url": loc.url, "latitude": loc.latitude, "longitude": loc.longitude,
        "addresses": [_clean({"id": a.id, "location_id": a.location_id, "attention": a.attention,
                              "address_1": a.address_1, "address_2": a.address_2, "city": a.city,
                              "region": a.region, "state_province": a.state_province,
                              "postal_code": a.postal_code, "country": a.country,
                              "address_type": a.address_type}) for a in loc.addresses],
        "accessibility": [_clean({"id": a.id, "location_id": a.location_id,
                                  "description": a.description, "details": a.details, "url": a.url,
                                  TR: a.translations}) for a in loc.accessibility],
        "phones": [_export_phone(p) for p in loc.phones],
        "schedules": [_export_schedule(s) for s in loc.schedules],
        TR: loc.translations})


def export_service(svc: m.Service) -> dict[str, Any]:
    org = svc.organization
    return _clean({
        "id": svc.id, "organization_id": svc.organization_id, "name": svc.name,
        "alternate_name": svc.alternate_name, "description": svc.description, "url": svc.url,
        "email": svc.email, "status": svc.status,
        "interpretation_services": svc.interpretation_services,
        "application_process": svc.application_process, "fees_description": svc.fees_description,
        "eligibility_description": svc.eligibility_description, "minimum_age": svc.minimum_age,
        "maximum_age": svc.maximum_age, "alert": svc.alert, "assured_date": _iso(svc.assured_date),
        "last_modified": _iso(svc.last_modified), "x_demo": svc.demo or None,
        "x_urgent": svc.urgent_order, "x_sensitive": svc.sensitive or None,
        "x_neutral_title": svc.neutral_title,
        "organization": _clean({
            "id": org.id, "name": org.name, "alternate_name": org.alternate_name,
            "description": org.description or org.name, "email": org.email, "website": org.website,
            "logo": org.logo, "x_logo_sha256": org.logo_sha256,
            "year_incorporated": org.year_incorporated, "legal_status": org.legal_status,
            "phones": [_export_phone(p) for p in org.phones],
            "contacts": [_export_contact(c) for c in org.contacts],
            "x_demo": org.demo or None, TR: org.translations}),
        "phones": [_export_phone(p) for p in svc.phones],
        "schedules": [_export_schedule(s) for s in svc.schedules],
        "contacts": [_export_contact(c) for c in svc.contacts],
        "required_documents": [_clean({"id": d.id, "service_id": d.service_id, "document": d.document,
                                       "uri": d.uri, TR: d.translations}) for d in svc.documents],
        "languages": [_clean({"id": lg.id, "service_id": lg.service_id, "name": lg.name,
                              "code": lg.code, "note": lg.note, TR: lg.translations})
                      for lg in svc.languages],
        "attributes": [_clean({"id": link.id, "link_id": svc.id, "link_type": "service_category",
                               "link_entity": "service", "taxonomy_term_id": term.id,
                               "value": link.value, "taxonomy_term": _export_term(term)})
                       for link, term in _term_links(svc)],
        "service_at_locations": [_clean({
            "id": sal.id, "service_id": svc.id, "location_id": sal.location_id,
            "description": sal.description, "location": _export_location(sal.location),
            "phones": [_export_phone(p) for p in sal.phones],
            "schedules": [_export_schedule(s) for s in sal.schedules],
            TR: sal.translations}) for sal in svc.service_at_locations],
        TR: svc.translations})


def _term_links(svc: m.Service):
    terms = {t.id: t for t in svc.terms}
    return [(link, terms[link.term_id]) for link in svc.term_links if link.term_id in terms]


EXPORT_LOADS = (
    selectinload(m.Service.organization).selectinload(m.Organization.phones),
    selectinload(m.Service.organization).selectinload(m.Organization.contacts)
    .selectinload(m.Contact.phones),
    selectinload(m.Service.phones), selectinload(m.Service.schedules),
    selectinload(m.Service.contacts).selectinload(m.Contact.phones),
    selectinload(m.Service.documents), selectinload(m.Service.languages),
    selectinload(m.Service.terms), selectinload(m.Service.term_links),
    selectinload(m.Service.service_at_locations).selectinload(m.ServiceAtLocation.phones),
    selectinload(m.Service.service_at_locations).selectinload(m.ServiceAtLocation.schedules),
    selectinload(m.Service.service_at_locations).selectinload(m.ServiceAtLocation.location)
    .selectinload(m.Location.addresses),
    selectinload(m.Service.service_at_locations).selectinload(m.ServiceAtLocation.location)
    .selectinload(m.Location.accessibility),
    selectinload(m.Service.service_at_locations).selectinload(m.ServiceAtLocation.location)
    .selectinload(m.Location.phones),
    selectinload(m.Service.service_at_locations).selectinload(m.ServiceAtLocation.location)
    .selectinload(m.Location.schedules),
)


def export_document(session: Session, version: int | None = None) -> dict[str, Any]:
    """The catalogue as a feed document (HSDS fully nested services in an envelope)."""
    meta = dict(session.execute(select(m.Meta.key, m.Meta.value)).all())
    services = session.scalars(select(m.Service).options(*EXPORT_LOADS).order_by(m.Service.name)).all()
    terms = session.scalars(select(m.TaxonomyTerm)).all()
    by_id = {t.id: t for t in terms}

    def depth(t: m.TaxonomyTerm) -> int:
        d = 0
        while t.parent_id and t.parent_id in by_id and d < 50:
            t, d = by_id[t.parent_id], d + 1
        return d

    ordered = sorted(terms, key=lambda t: (depth(t), t.sort_order, t.name))
    taxonomy = session.scalars(select(m.Taxonomy)).first()
    publisher = json.loads(meta.get("publisher") or "{}") or None
    doc = feedmod.new_document(
        [export_service(s) for s in services], [_export_term(t) for t in ordered],
        version=version if version is not None else int(meta.get("feed_version", "1")),
        taxonomy=_clean({"id": taxonomy.id, "name": taxonomy.name,
                         "description": taxonomy.description}) if taxonomy else None,
        publisher=publisher,
        generated_at=feedmod.parse_timestamp(meta["generated_at"]) if meta.get("generated_at") else None,
        expires_at=feedmod.parse_timestamp(meta["expires_at"]) if meta.get("expires_at") else None)
    return doc

"""Export the catalogue database back to an HSDS 3.0 feed document (``kiosk export-hsds``).

The export is the inverse of :func:`kiosk.catalogue.build.build`: a feed built from the export
gives the same rows. Empty values are dropped so that HSDS validators see what they expect.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kiosk.catalogue import models as m
from sync.feed import document as feedmod

TR = feedmod.TRANSLATIONS_KEY


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values so the export carries what HSDS validators expect."""
    return {k: v for k, v in obj.items() if v not in (None, "", [], {})}


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return feedmod.format_timestamp(value if value.tzinfo else value.replace(tzinfo=timezone.utc))
    return value.isoformat()


def _export_phone(p: m.Phone, owners: bool = True) -> dict[str, Any]:
    """A phone; without ``owners``, its owner ids only as the feed wrote them (kept in extra)."""
    mine = {"organization_id": p.organization_id, "service_id": p.service_id,
            "location_id": p.location_id, "service_at_location_id": p.service_at_location_id,
            "contact_id": p.contact_id} if owners else {}
    return _clean({"id": p.id, "number": p.number, "extension": p.extension, "type": p.type,
                   "description": p.description, **mine, TR: p.translations}) | (p.extra or {})


def _export_schedule(s: m.Schedule) -> dict[str, Any]:
    return _clean({"id": s.id, "service_id": s.service_id, "location_id": s.location_id,
                   "service_at_location_id": s.service_at_location_id, "freq": s.freq,
                   "byday": s.byday, "opens_at": s.opens_at, "closes_at": s.closes_at,
                   "valid_from": _iso(s.valid_from), "valid_to": _iso(s.valid_to),
                   "description": s.description, "notes": s.notes,
                   "attending_type": s.attending_type, TR: s.translations}) | (s.extra or {})


def _export_contact(c: m.Contact) -> dict[str, Any]:
    """A contact with its phones. An organization's or a service's names its owner; a location's
    or a service_at_location's, with its phones, names the owner ids the feed wrote in it and no
    other (the build keeps them in extra), as the export gave them back before they were rows."""
    nested_in_place = c.location_id is not None or c.service_at_location_id is not None
    mine = {} if nested_in_place else {"organization_id": c.organization_id, "service_id": c.service_id}
    return _clean({"id": c.id, **mine, "name": c.name, "title": c.title, "department": c.department,
                   "email": c.email, "phones": [_export_phone(p, owners=not nested_in_place) for p in c.phones],
                   TR: c.translations}) | (c.extra or {})


def _export_term(t: m.TaxonomyTerm) -> dict[str, Any]:
    return _clean({"id": t.id, "code": t.code, "name": t.name, "description": t.description or t.name,
                   "parent_id": t.parent_id, "taxonomy_id": t.taxonomy_id, "x_icon": t.icon,
                   "x_icon_url": t.icon_url, "x_icon_sha256": t.icon_sha256,
                   "x_order": t.sort_order, "x_sensitive": t.sensitive or None,
                   "x_neutral_title": t.neutral_title, TR: t.translations}) | (t.extra or {})


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
                                  TR: a.translations}) | (a.extra or {}) for a in loc.accessibility],
        "phones": [_export_phone(p) for p in loc.phones],
        "schedules": [_export_schedule(s) for s in loc.schedules],
        "contacts": [_export_contact(c) for c in loc.contacts],
        TR: loc.translations}) | (loc.extra or {})


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
            "x_demo": org.demo or None, TR: org.translations}) | (org.extra or {}),
        "phones": [_export_phone(p) for p in svc.phones],
        "schedules": [_export_schedule(s) for s in svc.schedules],
        "contacts": [_export_contact(c) for c in svc.contacts],
        "required_documents": [_clean({"id": d.id, "service_id": d.service_id, "document": d.document,
                                       "uri": d.uri, TR: d.translations}) | (d.extra or {}) for d in svc.documents],
        "languages": [_clean({"id": lg.id, "service_id": lg.service_id, "name": lg.name,
                              "code": lg.code, "note": lg.note, TR: lg.translations}) | (lg.extra or {})
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
            "contacts": [_export_contact(c) for c in sal.contacts],
            TR: sal.translations}) | (sal.extra or {}) for sal in svc.service_at_locations],
        TR: svc.translations}) | (svc.extra or {})


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
    selectinload(m.Service.service_at_locations).selectinload(m.ServiceAtLocation.contacts)
    .selectinload(m.Contact.phones),
    selectinload(m.Service.service_at_locations).selectinload(m.ServiceAtLocation.location)
    .selectinload(m.Location.addresses),
    selectinload(m.Service.service_at_locations).selectinload(m.ServiceAtLocation.location)
    .selectinload(m.Location.accessibility),
    selectinload(m.Service.service_at_locations).selectinload(m.ServiceAtLocation.location)
    .selectinload(m.Location.phones),
    selectinload(m.Service.service_at_locations).selectinload(m.ServiceAtLocation.location)
    .selectinload(m.Location.schedules),
    selectinload(m.Service.service_at_locations).selectinload(m.ServiceAtLocation.location)
    .selectinload(m.Location.contacts).selectinload(m.Contact.phones),
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
                         "description": taxonomy.description}) | (taxonomy.extra or {}) if taxonomy else None,
        publisher=publisher,
        generated_at=feedmod.parse_timestamp(meta["generated_at"]) if meta.get("generated_at") else None,
        expires_at=feedmod.parse_timestamp(meta["expires_at"]) if meta.get("expires_at") else None)
    return doc

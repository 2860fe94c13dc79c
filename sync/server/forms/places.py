"""The organization and location forms."""
from __future__ import annotations

import copy
from typing import Any

from starlette.datastructures import FormData

from sync.server.catalogue import new_id
from sync.server.forms.fields import (
    Errors,
    Rows,
    Text,
    by_id,
    clean,
    put,
    rows_from_post,
    texts_from_post,
    texts_into_doc,
    texts_to_form,
    validate_float,
    validate_rows,
    validate_single,
    validate_texts,
)
from sync.server.forms.rows import (
    ACCESSIBILITY,
    CONTACTS,
    PHONES,
    SCHEDULES,
    accessibility_from_rows,
    accessibility_rows,
    contact_rows,
    contacts_from_rows,
    phone_rows,
    phones_from_rows,
    schedule_from_row,
    schedule_rows,
)

ORGANIZATION_TEXTS = (
    Text("name", "Name", required=True),
    Text("alternate_name", "Other name"),
    Text("description", "Description", required=True, long=True),
)


ORGANIZATION_ROWS = (PHONES, CONTACTS)


LOCATION_TEXTS = (
    Text("name", "Name", required=True),
    Text("description", "Description", long=True),
    Text("transportation", "How to get there", long=True),
)


LOCATION_ROWS = (PHONES, Rows("schedules", "Opening hours", SCHEDULES.fields[1:], blank=1), ACCESSIBILITY)


def organization_to_form(doc: dict[str, Any]) -> dict[str, Any]:
    values = texts_to_form(doc, ORGANIZATION_TEXTS)
    values.update({"email": doc.get("email") or "", "website": doc.get("website") or "",
                   "demo": bool(doc.get("x_demo")), "phones": phone_rows(doc.get("phones") or []),
                   "contacts": contact_rows(doc.get("contacts") or [])})
    return values


def organization_from_post(form: FormData) -> dict[str, Any]:
    values = texts_from_post(form, ORGANIZATION_TEXTS)
    values["email"], values["website"] = clean(form.get("email")), clean(form.get("website"))
    values["demo"] = bool(form.get("demo"))
    for spec in ORGANIZATION_ROWS:
        values[spec.name] = rows_from_post(form, spec)
    return values


def validate_organization(values: dict[str, Any]) -> Errors:
    errors: Errors = {}
    validate_texts(values, ORGANIZATION_TEXTS, errors)
    validate_single(values, "email", "email", errors)
    validate_single(values, "website", "url", errors)
    for spec in ORGANIZATION_ROWS:
        validate_rows(values, spec, errors)
    return errors


def organization_from_form(values: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    doc = copy.deepcopy(old) if old else {"id": new_id()}
    texts_into_doc(doc, values, ORGANIZATION_TEXTS)
    put(doc, "email", values.get("email"))
    put(doc, "website", values.get("website"))
    if values.get("demo"):
        doc["x_demo"] = True
    else:
        doc.pop("x_demo", None)
    owner = {"organization_id": doc["id"]}
    put(doc, "phones", phones_from_rows(values.get("phones") or [], doc.get("phones") or [], owner))
    put(doc, "contacts", contacts_from_rows(values.get("contacts") or [], doc.get("contacts") or [], owner))
    return doc


def location_to_form(doc: dict[str, Any]) -> dict[str, Any]:
    values = texts_to_form(doc, LOCATION_TEXTS)
    addr = (doc.get("addresses") or [{}])[0] or {}
    values.update({
        "address_1": addr.get("address_1") or "", "city": addr.get("city") or "",
        "postal_code": addr.get("postal_code") or "",
        "latitude": str(doc["latitude"]) if doc.get("latitude") is not None else "",
        "longitude": str(doc["longitude"]) if doc.get("longitude") is not None else "",
        "phones": phone_rows(doc.get("phones") or []),
        "schedules": schedule_rows(doc.get("schedules") or []),
        "accessibility": accessibility_rows(doc.get("accessibility") or []),
    })
    return values


def location_from_post(form: FormData) -> dict[str, Any]:
    values = texts_from_post(form, LOCATION_TEXTS)
    for key in ("address_1", "city", "postal_code", "latitude", "longitude"):
        values[key] = clean(form.get(key))
    for spec in LOCATION_ROWS:
        values[spec.name] = rows_from_post(form, spec)
    return values


def validate_location(values: dict[str, Any]) -> Errors:
    errors: Errors = {}
    validate_texts(values, LOCATION_TEXTS, errors)
    for key in ("address_1", "city", "postal_code"):
        validate_single(values, key, "text", errors)
    lat = validate_float(values, "latitude", errors, -90, 90)
    lon = validate_float(values, "longitude", errors, -180, 180)
    if (lat is None) != (lon is None) and "latitude" not in errors and "longitude" not in errors:
        errors["longitude" if lat is not None else "latitude"] = "Give both latitude and longitude, or neither."
    if values.get("address_1") and not values.get("city"):
        errors["city"] = "Required."
    for spec in LOCATION_ROWS:
        validate_rows(values, spec, errors)
    return errors


def location_from_form(values: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    doc = copy.deepcopy(old) if old else {"id": new_id(), "location_type": "physical"}
    lid = doc["id"]
    texts_into_doc(doc, values, LOCATION_TEXTS)
    for key in ("latitude", "longitude"):
        put(doc, key, float(values[key].replace(",", ".")) if values.get(key) else None)
    addresses = doc.get("addresses") or []
    if values.get("address_1"):
        first = copy.deepcopy(addresses[0]) if addresses else {
            "id": new_id(), "state_province": "Elbasan", "country": "AL", "address_type": "physical"}
        first.update({"location_id": lid, "address_1": values["address_1"], "city": values["city"]})
        first.setdefault("state_province", "Elbasan")
        first.setdefault("country", "AL")
        put(first, "postal_code", values.get("postal_code"))
        doc["addresses"] = [first] + addresses[1:]
    else:
        put(doc, "addresses", addresses[1:])
    put(doc, "phones", phones_from_rows(values.get("phones") or [], doc.get("phones") or [], {"location_id": lid}))
    old_schedules = by_id(doc.get("schedules") or [])
    put(doc, "schedules", [schedule_from_row(r, old_schedules.get(r["id"]), {"location_id": lid})
                            for r in values.get("schedules") or []])
    put(doc, "accessibility", accessibility_from_rows(values.get("accessibility") or [],
                                                       doc.get("accessibility") or [], lid))
    return doc

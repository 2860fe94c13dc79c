"""The service form."""
from __future__ import annotations

import copy
from datetime import date
from typing import Any

from starlette.datastructures import FormData

from sync.publish.sources import LANGUAGE_NAMES
from sync.server.catalogue import new_id, set_en
from sync.server.forms.discretion import flags_from_post, flags_into_doc, flags_to_form, validate_flags
from sync.server.forms.fields import (
    LANGUAGE_RE,
    STATUSES,
    Errors,
    Text,
    by_id,
    clean,
    parse_date,
    put,
    rows_from_post,
    texts_from_post,
    texts_into_doc,
    texts_to_form,
    validate_int,
    validate_rows,
    validate_single,
    validate_texts,
)
from sync.server.forms.rows import (
    CONTACTS,
    DOCUMENTS,
    PHONES,
    SCHEDULES,
    contact_rows,
    contacts_from_rows,
    document_rows,
    documents_from_rows,
    phone_rows,
    phones_from_rows,
    schedule_from_row,
    schedule_rows,
)

SERVICE_TEXTS = (
    Text("name", "Name", required=True),
    Text("alternate_name", "Other name"),
    Text("description", "Description", required=True, long=True),
    Text("eligibility_description", "Who can apply", long=True),
    Text("application_process", "How to apply", long=True),
    Text("fees_description", "Fees"),
    Text("interpretation_services", "Interpretation"),
    Text("alert", "Temporary notice", long=True, help="Shown on top, e.g. closed for the holidays."),
)


SERVICE_ROWS = (PHONES, SCHEDULES, CONTACTS, DOCUMENTS)


def service_to_form(doc: dict[str, Any]) -> dict[str, Any]:
    values = texts_to_form(doc, SERVICE_TEXTS)
    values.update({
        "status": doc.get("status") or "active", "organization_id": doc.get("organization_id") or "",
        "url": doc.get("url") or "", "email": doc.get("email") or "",
        "minimum_age": str(doc["minimum_age"]) if doc.get("minimum_age") is not None else "",
        "maximum_age": str(doc["maximum_age"]) if doc.get("maximum_age") is not None else "",
        "assured_date": doc.get("assured_date") or "",
        "categories": [a.get("taxonomy_term_id") for a in doc.get("attributes") or [] if a.get("taxonomy_term_id")],
        "locations": [s.get("location_id") for s in doc.get("service_at_locations") or [] if s.get("location_id")],
        "languages": [lg.get("code") for lg in doc.get("languages") or [] if lg.get("code")],
        "phones": phone_rows(doc.get("phones") or []),
        "contacts": contact_rows(doc.get("contacts") or []),
        "required_documents": document_rows(doc.get("required_documents") or []),
    })
    schedules = schedule_rows(doc.get("schedules") or [])
    for sal in doc.get("service_at_locations") or []:
        schedules += schedule_rows(sal.get("schedules") or [], sal.get("location_id") or "")
    values["schedules"] = schedules
    values.update(flags_to_form(doc, urgent=True))
    return values


def service_from_post(form: FormData) -> dict[str, Any]:
    values = texts_from_post(form, SERVICE_TEXTS)
    for key in ("status", "organization_id", "url", "email", "minimum_age", "maximum_age", "assured_date"):
        values[key] = clean(form.get(key))
    values["categories"] = [clean(v) for v in form.getlist("categories") if clean(v)]
    values["locations"] = [clean(v) for v in form.getlist("locations") if clean(v)]
    values["languages"] = [clean(v) for v in form.getlist("languages") if clean(v)]
    for spec in SERVICE_ROWS:
        values[spec.name] = rows_from_post(form, spec)
    values.update(flags_from_post(form, urgent=True))
    return values


def validate_service(values: dict[str, Any], *, organizations: set[str], categories: set[str],
                     locations: set[str], provider_names: tuple[str, ...] = ()) -> Errors:
    errors: Errors = {}
    validate_texts(values, SERVICE_TEXTS, errors)
    if values.get("status") not in STATUSES:
        errors["status"] = "Choose one of the list."
    if values.get("organization_id") not in organizations:
        errors["organization_id"] = "Choose the organization that provides the service."
    validate_single(values, "url", "url", errors)
    validate_single(values, "email", "email", errors)
    low = validate_int(values, "minimum_age", errors, 0, 150)
    high = validate_int(values, "maximum_age", errors, 0, 150)
    if low is not None and high is not None and high < low:
        errors["maximum_age"] = "Lower than the minimum age."
    if values.get("assured_date"):
        day = parse_date(values["assured_date"])
        if day is None:
            errors["assured_date"] = "A date as YYYY-MM-DD, e.g. 2026-12-31."
        elif day > date.today():
            errors["assured_date"] = "This date is in the future."
    if not values.get("categories"):
        errors["categories"] = "Choose at least one category: visitors find services by category."
    elif not set(values["categories"]) <= categories:
        errors["categories"] = "Unknown category."
    if not set(values.get("locations") or []) <= locations:
        errors["locations"] = "Unknown location."
    if not all(LANGUAGE_RE.match(code) for code in values.get("languages") or []):
        errors["languages"] = "Unknown language."
    for spec in SERVICE_ROWS:
        validate_rows(values, spec, errors, where_choices=values.get("locations") or [])
    validate_flags(values, errors, urgent=True, names=(values.get("name") or "", values.get("name_en") or "",
                                                        *provider_names))
    return errors


def service_from_form(values: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    doc = copy.deepcopy(old) if old else {"id": new_id()}
    sid = doc["id"]
    texts_into_doc(doc, values, SERVICE_TEXTS)
    doc["status"] = values["status"]
    doc["organization_id"] = values["organization_id"]
    put(doc, "url", values.get("url"))
    put(doc, "email", values.get("email"))
    for key in ("minimum_age", "maximum_age"):
        put(doc, key, int(values[key]) if values.get(key) else None)
    put(doc, "assured_date", values.get("assured_date"))
    flags_into_doc(doc, values, urgent=True)
    old_attrs = {a.get("taxonomy_term_id"): a for a in doc.get("attributes") or []}
    doc["attributes"] = [copy.deepcopy(old_attrs.get(tid)) or
                         {"id": new_id(), "taxonomy_term_id": tid, "link_type": "service_category",
                          "link_entity": "service", "link_id": sid}
                         for tid in dict.fromkeys(values.get("categories") or [])]
    old_langs = {lg.get("code"): lg for lg in doc.get("languages") or []}
    languages = []
    for code in dict.fromkeys(values.get("languages") or []):
        lg = copy.deepcopy(old_langs.get(code)) or {"id": new_id(), "code": code}
        lg["service_id"] = sid
        lg.setdefault("name", LANGUAGE_NAMES.get(code, (code, code))[0])
        if LANGUAGE_NAMES.get(code):
            set_en(lg, "name", LANGUAGE_NAMES[code][1])
        languages.append(lg)
    put(doc, "languages", languages)
    put(doc, "phones", phones_from_rows(values.get("phones") or [], doc.get("phones") or [], {"service_id": sid}))
    put(doc, "contacts", contacts_from_rows(values.get("contacts") or [], doc.get("contacts") or [],
                                             {"service_id": sid}))
    put(doc, "required_documents", documents_from_rows(values.get("required_documents") or [],
                                                        doc.get("required_documents") or [], sid))
    # Places and the hours at each.
    old_sals = {s.get("location_id"): s for s in doc.get("service_at_locations") or []}
    old_schedules = by_id(doc.get("schedules") or [])
    for s in old_sals.values():
        old_schedules.update(by_id(s.get("schedules") or []))
    sals = []
    for loc_id in dict.fromkeys(values.get("locations") or []):
        sal = copy.deepcopy(old_sals.get(loc_id)) or {"id": new_id(), "location_id": loc_id}
        sal["service_id"] = sid
        sal.pop("schedules", None)
        sals.append(sal)
    sal_by_loc = {s["location_id"]: s for s in sals}
    service_schedules = []
    for row in values.get("schedules") or []:
        where = row.get("where") or ""
        if where and where in sal_by_loc:
            sal = sal_by_loc[where]
            sal.setdefault("schedules", []).append(
                schedule_from_row(row, old_schedules.get(row["id"]), {"service_at_location_id": sal["id"]}))
        else:
            service_schedules.append(schedule_from_row(row, old_schedules.get(row["id"]), {"service_id": sid}))
    put(doc, "schedules", service_schedules)
    put(doc, "service_at_locations", sals)
    put(doc, "attributes", doc.get("attributes"))
    return doc

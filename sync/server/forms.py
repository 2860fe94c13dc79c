"""The editing forms: HSDS documents <-> form values, and validation with a message per field.

A form's *values* are a plain dict: ``name`` / ``name_en`` for a field in Albanian and English,
lists of dicts for repeated rows (``values["phones"] == [{"id": ..., "number": ...}, ...]``,
posted as ``phones-0-number``), lists of ids for checkboxes. *Errors* are keyed like the posted
fields (``name``, ``phones-0-number``) and hold English message ids that the page translates.

Converting back (``*_from_form``) starts from the stored document, so HSDS fields the form does
not show are kept, and rows keep their ids.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterable, Union

from starlette.datastructures import FormData

from sync.feed import verify as verifymod
from sync.server.catalogue import en, new_id, set_en
from sync.publish.sources import LANGUAGE_NAMES

STATUSES = ("active", "inactive", "defunct", "temporarily closed")
PHONE_TYPES = ("voice", "cell", "text", "fax", "sms", "video", "pager", "textphone")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
SHORT = 500
LONG = 20_000

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[0-9 ()./-]{3,40}$")
TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")

#: An error message: an English message id, or (message id, its parameters).
Message = Union[str, tuple[str, dict[str, Any]]]
Errors = dict[str, Message]


@dataclass(frozen=True)
class Text:
    """A text field; ``bilingual`` ones have an English twin ``<name>_en``."""

    name: str
    label: str
    required: bool = False
    bilingual: bool = True
    long: bool = False
    help: str = ""


@dataclass(frozen=True)
class RowField:
    name: str
    label: str
    required: bool = False
    bilingual: bool = False
    kind: str = "text"          # text | select | days | time | date | email | phone | url | where
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rows:
    name: str
    label: str
    fields: tuple[RowField, ...]
    blank: int = 2              # empty rows offered for adding

    def field_names(self) -> list[str]:
        out = []
        for f in self.fields:
            out.append(f.name)
            if f.bilingual:
                out.append(f.name + "_en")
        return out


PHONES = Rows("phones", "Phones", (
    RowField("number", "Number", required=True, kind="phone"),
    RowField("type", "Type", kind="select", choices=PHONE_TYPES),
    RowField("description", "Description", bilingual=True)), blank=1)
SCHEDULES = Rows("schedules", "Opening hours", (
    RowField("where", "Where", kind="where"),
    RowField("days", "Days", required=True, kind="days"),
    RowField("opens_at", "Opens", required=True, kind="time"),
    RowField("closes_at", "Closes", required=True, kind="time"),
    RowField("valid_from", "From date", kind="date"),
    RowField("valid_to", "To date", kind="date"),
    RowField("notes", "Notes", bilingual=True)), blank=2)
CONTACTS = Rows("contacts", "Contact people", (
    RowField("name", "Name", required=True),
    RowField("title", "Title", bilingual=True),
    RowField("email", "Email", kind="email"),
    RowField("phone", "Phone", kind="phone")), blank=1)
DOCUMENTS = Rows("required_documents", "Documents to bring", (
    RowField("document", "Document", required=True, bilingual=True),
    RowField("uri", "Link (https://)", kind="url")), blank=2)
ACCESSIBILITY = Rows("accessibility", "Accessibility", (
    RowField("description", "Description", required=True, bilingual=True),
    RowField("details", "Details", bilingual=True)), blank=1)

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
CATEGORY_TEXTS = (
    Text("name", "Name", required=True),
    Text("description", "Description", required=True, long=True),
)


# ------------------------------------------------------------------------------- helpers


def clean(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def _put(doc: dict[str, Any], key: str, value: Any) -> None:
    if value in (None, "", []):
        doc.pop(key, None)
    else:
        doc[key] = value


def text_problem(value: str, *, long: bool = False) -> Message | None:
    if len(value) > (LONG if long else SHORT):
        return ("Too long (at most {n} characters).", {"n": LONG if long else SHORT})
    if verifymod.BAD_CHARS.search(value):
        return "Contains invisible control characters; type the text again."
    if not long and "\n" in value:
        return "One line only."
    return None


def normalize_time(value: str) -> str | None:
    """HH:MM (also H:MM and H.MM); 24:00 is the end of the day (a service open until midnight)."""
    if value.strip() in ("24:00", "24.00"):
        return "24:00"
    m = TIME_RE.match(value.strip())
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else None


def parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def field_problem(kind: str, value: str) -> Message | None:
    if not value:
        return None
    if kind == "email" and not EMAIL_RE.match(value):
        return "Not an email address (name@example.org)."
    if kind == "phone" and (not PHONE_RE.match(value) or sum(c.isdigit() for c in value) < 3):
        return "Not a phone number: digits, spaces and + only."
    if kind == "url" and not re.match(r"^https://[^\s/$.?#][^\s]*$", value):
        return "The address must start with https://"
    if kind == "time" and normalize_time(value) is None:
        return "A time as HH:MM, e.g. 08:30."
    if kind == "date" and parse_date(value) is None:
        return "A date as YYYY-MM-DD, e.g. 2026-12-31."
    return None


def tel_key(number: str) -> str:
    return re.sub(r"[^0-9+]", "", number or "")


# ------------------------------------------------------------------------------- posted values


def texts_from_post(form: FormData, texts: Iterable[Text]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for t in texts:
        values[t.name] = clean(form.get(t.name))
        if t.bilingual:
            values[t.name + "_en"] = clean(form.get(t.name + "_en"))
    return values


def rows_from_post(form: FormData, spec: Rows) -> list[dict[str, Any]]:
    prefix = spec.name + "-"
    indices = sorted({int(m.group(1)) for key in form.keys()
                      for m in [re.match(re.escape(prefix) + r"(\d+)-", key)] if m})
    rows = []
    for i in indices[:200]:
        def get(key: str, i: int = i) -> Any:
            return form.get(f"{prefix}{i}-{key}")

        if get("delete"):
            continue
        row: dict[str, Any] = {"id": clean(get("id"))}
        for f in spec.fields:
            if f.kind == "days":
                row[f.name] = [d for d in form.getlist(f"{prefix}{i}-{f.name}") if d in DAYS]
            else:
                row[f.name] = clean(get(f.name))
            if f.bilingual:
                row[f.name + "_en"] = clean(get(f.name + "_en"))
        if not any(v for k, v in row.items() if k not in ("id", "type", "where")):
            continue  # a blank row
        rows.append(row)
    return rows


def validate_texts(values: dict[str, Any], texts: Iterable[Text], errors: Errors) -> None:
    for t in texts:
        for key in ([t.name, t.name + "_en"] if t.bilingual else [t.name]):
            value = values.get(key, "")
            if t.required and key == t.name and not value:
                errors[key] = "Required in Albanian."
                continue
            problem = text_problem(value, long=t.long)
            if problem:
                errors[key] = problem


def validate_rows(values: dict[str, Any], spec: Rows, errors: Errors,
                  where_choices: Iterable[str] = ()) -> None:
    where_ok = set(where_choices) | {""}
    for i, row in enumerate(values.get(spec.name) or []):
        for f in spec.fields:
            key = f"{spec.name}-{i}-{f.name}"
            value = row.get(f.name)
            if f.kind == "days":
                if not value:
                    errors[key] = "Choose at least one day."
                continue
            if f.kind == "where":
                if value not in where_ok:
                    errors[key] = "Tick this location above first, or choose all places."
                continue
            if f.required and not value:
                errors[key] = "Required."
                continue
            if f.kind == "select" and value and value not in f.choices:
                errors[key] = "Choose one of the list."
                continue
            problem = field_problem(f.kind, value or "") or text_problem(value or "")
            if problem:
                errors[key] = problem
            if f.bilingual:
                problem = text_problem(row.get(f.name + "_en") or "")
                if problem:
                    errors[key + "_en"] = problem
        if spec.name == "schedules" and not any(f"{spec.name}-{i}-{k}" in errors for k in ("opens_at", "closes_at")):
            if normalize_time(row.get("opens_at", "")) == normalize_time(row.get("closes_at", "")):
                errors[f"{spec.name}-{i}-closes_at"] = "Closing time equals opening time."
        if spec.name == "schedules" and row.get("valid_from") and row.get("valid_to"):
            a, b = parse_date(row["valid_from"]), parse_date(row["valid_to"])
            if a and b and b < a:
                errors[f"{spec.name}-{i}-valid_to"] = "The end date is before the start date."


def validate_single(values: dict[str, Any], key: str, kind: str, errors: Errors,
                    required: bool = False) -> None:
    value = values.get(key) or ""
    if required and not value:
        errors[key] = "Required."
        return
    problem = field_problem(kind, value) or text_problem(value)
    if problem:
        errors[key] = problem


def validate_int(values: dict[str, Any], key: str, errors: Errors, low: int, high: int) -> int | None:
    value = values.get(key) or ""
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        errors[key] = "A whole number."
        return None
    if not low <= number <= high:
        errors[key] = ("From {low} to {high}.", {"low": low, "high": high})
        return None
    return number


def validate_float(values: dict[str, Any], key: str, errors: Errors, low: float, high: float) -> float | None:
    value = (values.get(key) or "").replace(",", ".")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        errors[key] = "A number, e.g. 41.1125."
        return None
    if not low <= number <= high:
        errors[key] = ("From {low} to {high}.", {"low": low, "high": high})
        return None
    return number


# ------------------------------------------------------------------------------- rows <-> HSDS


def _by_id(items: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for i in items if isinstance(i, dict) and i.get("id")}


def phone_rows(phones: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": p.get("id", ""), "number": p.get("number", ""), "type": p.get("type", ""),
             "description": p.get("description", ""), "description_en": en(p, "description") or ""}
            for p in phones or []]


def phones_from_rows(rows: list[dict[str, Any]], old: Iterable[dict[str, Any]], owner: dict[str, str]) -> list[dict]:
    olds = _by_id(old or [])
    out = []
    for row in rows:
        p = copy.deepcopy(olds.get(row["id"])) or {"id": new_id()}
        p.update(owner)
        p["number"] = row["number"]
        _put(p, "type", row.get("type"))
        _put(p, "description", row.get("description"))
        set_en(p, "description", row.get("description_en"))
        out.append(p)
    return out


def schedule_rows(schedules: Iterable[dict[str, Any]], where: str = "") -> list[dict[str, Any]]:
    return [{"id": s.get("id", ""), "where": where, "days": [d for d in (s.get("byday") or "").split(",") if d],
             "opens_at": s.get("opens_at", ""), "closes_at": s.get("closes_at", ""),
             "valid_from": s.get("valid_from", ""), "valid_to": s.get("valid_to", ""),
             "notes": s.get("notes", ""), "notes_en": en(s, "notes") or ""} for s in schedules or []]


def schedule_from_row(row: dict[str, Any], old: dict[str, Any] | None, owner: dict[str, str]) -> dict[str, Any]:
    s = copy.deepcopy(old) if old else {"id": new_id()}
    for key in ("service_id", "location_id", "service_at_location_id"):
        s.pop(key, None)
    s.update(owner)
    s["freq"] = s.get("freq") or "WEEKLY"
    s["byday"] = ",".join(d for d in DAYS if d in row.get("days", []))
    s["opens_at"] = normalize_time(row["opens_at"]) or row["opens_at"]
    s["closes_at"] = normalize_time(row["closes_at"]) or row["closes_at"]
    _put(s, "valid_from", row.get("valid_from"))
    _put(s, "valid_to", row.get("valid_to"))
    _put(s, "notes", row.get("notes"))
    set_en(s, "notes", row.get("notes_en"))
    return s


def contact_rows(contacts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": c.get("id", ""), "name": c.get("name", ""), "title": c.get("title", ""),
             "title_en": en(c, "title") or "", "email": c.get("email", ""),
             "phone": ((c.get("phones") or [{}])[0] or {}).get("number", "")} for c in contacts or []]


def contacts_from_rows(rows: list[dict[str, Any]], old: Iterable[dict[str, Any]], owner: dict[str, str]) -> list[dict]:
    olds = _by_id(old or [])
    out = []
    for row in rows:
        c = copy.deepcopy(olds.get(row["id"])) or {"id": new_id()}
        c.update(owner)
        _put(c, "name", row.get("name"))
        _put(c, "title", row.get("title"))
        set_en(c, "title", row.get("title_en"))
        _put(c, "email", row.get("email"))
        phones = c.get("phones") or []
        if row.get("phone"):
            first = copy.deepcopy(phones[0]) if phones else {"id": new_id()}
            first.update({"number": row["phone"], "contact_id": c["id"]})
            c["phones"] = [first] + phones[1:]
        else:
            c.pop("phones", None)
        out.append(c)
    return out


def document_rows(docs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": d.get("id", ""), "document": d.get("document", ""), "document_en": en(d, "document") or "",
             "uri": d.get("uri", "")} for d in docs or []]


def documents_from_rows(rows: list[dict[str, Any]], old: Iterable[dict[str, Any]], service_id: str) -> list[dict]:
    olds = _by_id(old or [])
    out = []
    for row in rows:
        d = copy.deepcopy(olds.get(row["id"])) or {"id": new_id()}
        d["service_id"] = service_id
        d["document"] = row["document"]
        set_en(d, "document", row.get("document_en"))
        _put(d, "uri", row.get("uri"))
        out.append(d)
    return out


def accessibility_rows(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": a.get("id", ""), "description": a.get("description", ""),
             "description_en": en(a, "description") or "", "details": a.get("details", ""),
             "details_en": en(a, "details") or ""} for a in items or []]


def accessibility_from_rows(rows: list[dict[str, Any]], old: Iterable[dict[str, Any]], location_id: str) -> list[dict]:
    olds = _by_id(old or [])
    out = []
    for row in rows:
        a = copy.deepcopy(olds.get(row["id"])) or {"id": new_id()}
        a["location_id"] = location_id
        a["description"] = row["description"]
        set_en(a, "description", row.get("description_en"))
        _put(a, "details", row.get("details"))
        set_en(a, "details", row.get("details_en"))
        out.append(a)
    return out


def texts_to_form(doc: dict[str, Any], texts: Iterable[Text]) -> dict[str, Any]:
    values = {}
    for t in texts:
        values[t.name] = doc.get(t.name) or ""
        if t.bilingual:
            values[t.name + "_en"] = en(doc, t.name) or ""
    return values


def texts_into_doc(doc: dict[str, Any], values: dict[str, Any], texts: Iterable[Text]) -> None:
    for t in texts:
        _put(doc, t.name, values.get(t.name))
        if t.bilingual:
            set_en(doc, t.name, values.get(t.name + "_en"))


# ------------------------------------------------------------------------------- services


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
    return values


def validate_service(values: dict[str, Any], *, organizations: set[str], categories: set[str],
                     locations: set[str]) -> Errors:
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
    return errors


def service_from_form(values: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    doc = copy.deepcopy(old) if old else {"id": new_id()}
    sid = doc["id"]
    texts_into_doc(doc, values, SERVICE_TEXTS)
    doc["status"] = values["status"]
    doc["organization_id"] = values["organization_id"]
    _put(doc, "url", values.get("url"))
    _put(doc, "email", values.get("email"))
    for key in ("minimum_age", "maximum_age"):
        _put(doc, key, int(values[key]) if values.get(key) else None)
    _put(doc, "assured_date", values.get("assured_date"))
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
    _put(doc, "languages", languages)
    _put(doc, "phones", phones_from_rows(values.get("phones") or [], doc.get("phones") or [], {"service_id": sid}))
    _put(doc, "contacts", contacts_from_rows(values.get("contacts") or [], doc.get("contacts") or [],
                                             {"service_id": sid}))
    _put(doc, "required_documents", documents_from_rows(values.get("required_documents") or [],
                                                        doc.get("required_documents") or [], sid))
    # Places and the hours at each.
    old_sals = {s.get("location_id"): s for s in doc.get("service_at_locations") or []}
    old_schedules = _by_id(doc.get("schedules") or [])
    for s in old_sals.values():
        old_schedules.update(_by_id(s.get("schedules") or []))
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
    _put(doc, "schedules", service_schedules)
    _put(doc, "service_at_locations", sals)
    _put(doc, "attributes", doc.get("attributes"))
    return doc


# ------------------------------------------------------------------------------- organizations


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
    _put(doc, "email", values.get("email"))
    _put(doc, "website", values.get("website"))
    if values.get("demo"):
        doc["x_demo"] = True
    else:
        doc.pop("x_demo", None)
    owner = {"organization_id": doc["id"]}
    _put(doc, "phones", phones_from_rows(values.get("phones") or [], doc.get("phones") or [], owner))
    _put(doc, "contacts", contacts_from_rows(values.get("contacts") or [], doc.get("contacts") or [], owner))
    return doc


# ------------------------------------------------------------------------------- locations


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
        _put(doc, key, float(values[key].replace(",", ".")) if values.get(key) else None)
    addresses = doc.get("addresses") or []
    if values.get("address_1"):
        first = copy.deepcopy(addresses[0]) if addresses else {
            "id": new_id(), "state_province": "Elbasan", "country": "AL", "address_type": "physical"}
        first.update({"location_id": lid, "address_1": values["address_1"], "city": values["city"]})
        first.setdefault("state_province", "Elbasan")
        first.setdefault("country", "AL")
        _put(first, "postal_code", values.get("postal_code"))
        doc["addresses"] = [first] + addresses[1:]
    else:
        _put(doc, "addresses", addresses[1:])
    _put(doc, "phones", phones_from_rows(values.get("phones") or [], doc.get("phones") or [], {"location_id": lid}))
    old_schedules = _by_id(doc.get("schedules") or [])
    _put(doc, "schedules", [schedule_from_row(r, old_schedules.get(r["id"]), {"location_id": lid})
                            for r in values.get("schedules") or []])
    _put(doc, "accessibility", accessibility_from_rows(values.get("accessibility") or [],
                                                       doc.get("accessibility") or [], lid))
    return doc


# ------------------------------------------------------------------------------- categories


def category_to_form(doc: dict[str, Any]) -> dict[str, Any]:
    values = texts_to_form(doc, CATEGORY_TEXTS)
    values.update({"code": doc.get("code") or "", "parent_id": doc.get("parent_id") or "",
                   "icon": doc.get("x_icon") or "",
                   "order": str(doc["x_order"]) if doc.get("x_order") is not None else ""})
    return values


def category_from_post(form: FormData) -> dict[str, Any]:
    values = texts_from_post(form, CATEGORY_TEXTS)
    for key in ("code", "parent_id", "icon", "order"):
        values[key] = clean(form.get(key))
    return values


def validate_category(values: dict[str, Any], *, parents: set[str], codes_taken: set[str]) -> Errors:
    errors: Errors = {}
    validate_texts(values, CATEGORY_TEXTS, errors)
    code = values.get("code") or ""
    if not code:
        errors["code"] = "Required."
    elif not CODE_RE.match(code):
        errors["code"] = "Letters, digits, '-' and '_' only, e.g. children."
    elif code in codes_taken:
        errors["code"] = "Another category already has this code."
    if values.get("parent_id") and values["parent_id"] not in parents:
        errors["parent_id"] = "Choose one of the list."
    if values.get("icon") and not verifymod.ICON_RE.match(values["icon"]):
        errors["icon"] = "Choose one of the list."
    validate_int(values, "order", errors, -100000, 100000)
    return errors


def category_from_form(values: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    doc = copy.deepcopy(old) if old else {"id": new_id()}
    texts_into_doc(doc, values, CATEGORY_TEXTS)
    doc["code"] = values["code"]
    _put(doc, "parent_id", values.get("parent_id"))
    _put(doc, "x_icon", values.get("icon"))
    doc["x_order"] = int(values["order"]) if values.get("order") else 0
    return doc


def blank_rows(spec: Rows, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows to show: the given ones and ``spec.blank`` empty ones to add more."""
    empty = {"id": ""}
    for f in spec.fields:
        empty[f.name] = [] if f.kind == "days" else ""
        if f.bilingual:
            empty[f.name + "_en"] = ""
    return list(rows) + [dict(empty) for _ in range(spec.blank)]


FormKind = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class FormPage:
    values: dict[str, Any]
    errors: Errors = field(default_factory=dict)

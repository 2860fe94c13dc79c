"""The repeated rows of the forms (phones, opening hours, contacts, documents, accessibility)
and the HSDS lists they stand for."""
from __future__ import annotations

import copy
from typing import Any, Iterable

from sync.server.catalogue import en, new_id, set_en
from sync.server.forms.fields import DAYS, PHONE_TYPES, RowField, Rows, by_id, normalize_time, put

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


def phone_rows(phones: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": p.get("id", ""), "number": p.get("number", ""), "type": p.get("type", ""),
             "description": p.get("description", ""), "description_en": en(p, "description") or ""}
            for p in phones or []]


def phones_from_rows(rows: list[dict[str, Any]], old: Iterable[dict[str, Any]], owner: dict[str, str]) -> list[dict]:
    olds = by_id(old or [])
    out = []
    for row in rows:
        p = copy.deepcopy(olds.get(row["id"])) or {"id": new_id()}
        p.update(owner)
        p["number"] = row["number"]
        put(p, "type", row.get("type"))
        put(p, "description", row.get("description"))
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
    put(s, "valid_from", row.get("valid_from"))
    put(s, "valid_to", row.get("valid_to"))
    put(s, "notes", row.get("notes"))
    set_en(s, "notes", row.get("notes_en"))
    return s


def contact_rows(contacts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": c.get("id", ""), "name": c.get("name", ""), "title": c.get("title", ""),
             "title_en": en(c, "title") or "", "email": c.get("email", ""),
             "phone": ((c.get("phones") or [{}])[0] or {}).get("number", "")} for c in contacts or []]


def contacts_from_rows(rows: list[dict[str, Any]], old: Iterable[dict[str, Any]], owner: dict[str, str]) -> list[dict]:
    olds = by_id(old or [])
    out = []
    for row in rows:
        c = copy.deepcopy(olds.get(row["id"])) or {"id": new_id()}
        c.update(owner)
        put(c, "name", row.get("name"))
        put(c, "title", row.get("title"))
        set_en(c, "title", row.get("title_en"))
        put(c, "email", row.get("email"))
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
    olds = by_id(old or [])
    out = []
    for row in rows:
        d = copy.deepcopy(olds.get(row["id"])) or {"id": new_id()}
        d["service_id"] = service_id
        d["document"] = row["document"]
        set_en(d, "document", row.get("document_en"))
        put(d, "uri", row.get("uri"))
        out.append(d)
    return out


def accessibility_rows(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": a.get("id", ""), "description": a.get("description", ""),
             "description_en": en(a, "description") or "", "details": a.get("details", ""),
             "details_en": en(a, "details") or ""} for a in items or []]


def accessibility_from_rows(rows: list[dict[str, Any]], old: Iterable[dict[str, Any]], location_id: str) -> list[dict]:
    olds = by_id(old or [])
    out = []
    for row in rows:
        a = copy.deepcopy(olds.get(row["id"])) or {"id": new_id()}
        a["location_id"] = location_id
        a["description"] = row["description"]
        set_en(a, "description", row.get("description_en"))
        put(a, "details", row.get("details"))
        set_en(a, "details", row.get("details_en"))
        out.append(a)
    return out

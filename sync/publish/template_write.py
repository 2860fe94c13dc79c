"""Writing the spreadsheet template (:mod:`sync.publish.template`): blank, or filled from a feed."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sync.publish.loaded import TR, terms_from_services
from sync.publish.template import TEMPLATE_SHEETS


def write_template(path: Path, doc: dict[str, Any] | None = None) -> Path:
    """The spreadsheet template: headers, an Albanian help row, and (from ``doc``) the rows."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    data = _template_rows(doc) if doc else {}
    for sheet, columns in TEMPLATE_SHEETS.items():
        ws = wb.create_sheet(sheet)
        ws.append([c for c, _h in columns])
        ws.append(["# " + columns[0][1]] + [h for _c, h in columns[1:]])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for cell in ws[2]:
            cell.font = Font(italic=True, color="666666")
        for row in data.get(sheet, []):
            ws.append([row.get(c) for c, _h in columns])
        ws.freeze_panes = "B3"
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return Path(path)


def _en(obj: dict[str, Any], key: str) -> Any:
    return ((obj.get(TR) or {}).get("en") or {}).get(key)


def _numbers(obj: dict[str, Any]) -> str | None:
    return "\n".join(p["number"] for p in obj.get("phones") or []) or None


def _category_row(tid: str, t: dict[str, Any], code_of: dict[str, str]) -> dict[str, Any]:
    return {"code": code_of[tid], "id": tid, "name": t.get("name"), "name_en": _en(t, "name"),
            "description": t.get("description"), "description_en": _en(t, "description"),
            "parent": code_of.get(t.get("parent_id")), "icon": t.get("x_icon"), "order": t.get("x_order"),
            **_discretion_cells(t)}


def _discretion_cells(obj: dict[str, Any]) -> dict[str, Any]:
    return {"urgent": obj.get("x_urgent"), "sensitive": "po" if obj.get("x_sensitive") else None,
            "neutral_title": obj.get("x_neutral_title"), "neutral_title_en": _en(obj, "x_neutral_title")}


def _organization_row(org: dict[str, Any]) -> dict[str, Any]:
    return {"code": org["id"], "id": org["id"], "name": org.get("name"), "name_en": _en(org, "name"),
            "description": org.get("description"), "description_en": _en(org, "description"),
            "email": org.get("email"), "website": org.get("website"), "phone": _numbers(org),
            "logo": org.get("logo"), "demo": "po" if org.get("x_demo") else None}


def _location_row(loc: dict[str, Any]) -> dict[str, Any]:
    addr = (loc.get("addresses") or [{}])[0]
    acc = (loc.get("accessibility") or [{}])[0]
    return {"code": loc["id"], "id": loc["id"], "name": loc.get("name"), "name_en": _en(loc, "name"),
            "address": addr.get("address_1"), "city": addr.get("city"),
            "postal_code": addr.get("postal_code"), "latitude": loc.get("latitude"),
            "longitude": loc.get("longitude"), "transportation": loc.get("transportation"),
            "transportation_en": _en(loc, "transportation"),
            "accessibility": acc.get("description"), "accessibility_en": _en(acc, "description"),
            "phone": _numbers(loc)}


def _service_row(svc: dict[str, Any], org: dict[str, Any], locations: list[str],
                 code_of: dict[str, str]) -> dict[str, Any]:
    docs = svc.get("required_documents") or []
    return {
        "code": svc["id"], "id": svc["id"], "name": svc.get("name"), "name_en": _en(svc, "name"),
        "description": svc.get("description"), "description_en": _en(svc, "description"),
        "organization": org.get("id"),
        "categories": ", ".join(code_of.get(a.get("taxonomy_term_id") or a["taxonomy_term"]["id"], "")
                                for a in svc.get("attributes") or []) or None,
        "locations": ", ".join(locations) or None, "status": svc.get("status"),
        "eligibility": svc.get("eligibility_description"),
        "eligibility_en": _en(svc, "eligibility_description"),
        "application_process": svc.get("application_process"),
        "application_process_en": _en(svc, "application_process"),
        "documents": "\n".join(d.get("document", "") for d in docs) or None,
        "documents_en": "\n".join(_en(d, "document") or d.get("document", "") for d in docs) or None,
        "fees": svc.get("fees_description"), "fees_en": _en(svc, "fees_description"),
        "phone": _numbers(svc), "email": svc.get("email"), "url": svc.get("url"),
        "languages": ", ".join(lg.get("code", "") for lg in svc.get("languages") or []) or None,
        "minimum_age": svc.get("minimum_age"), "maximum_age": svc.get("maximum_age"),
        "alert": svc.get("alert"), "alert_en": _en(svc, "alert"),
        "demo": "po" if svc.get("x_demo") else None, **_discretion_cells(svc)}


def _template_rows(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """A feed as template rows; codes are the objects' HSDS codes or their ids."""
    terms = {t["id"]: t for t in terms_from_services(doc["services"], doc.get("taxonomy_terms") or [])}
    code_of = {tid: (t.get("code") or tid) for tid, t in terms.items()}
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in TEMPLATE_SHEETS}
    out["categories"] = [_category_row(tid, t, code_of) for tid, t in terms.items()]
    orgs: dict[str, dict[str, Any]] = {}
    locs: dict[str, dict[str, Any]] = {}
    for svc in doc["services"]:
        org = svc.get("organization") or {}
        if org and org["id"] not in orgs:
            orgs[org["id"]] = _organization_row(org)
        sal_locs = []
        for sal in svc.get("service_at_locations") or []:
            loc = sal.get("location") or {}
            if not loc:
                continue
            sal_locs.append(loc["id"])
            locs.setdefault(loc["id"], _location_row(loc))
            out["schedules"] += [_schedule_row(svc["id"], loc["id"], s) for s in sal.get("schedules") or []]
        out["schedules"] += [_schedule_row(svc["id"], None, s) for s in svc.get("schedules") or []]
        out["services"].append(_service_row(svc, org, sal_locs, code_of))
    out["organizations"] = list(orgs.values())
    out["locations"] = list(locs.values())
    return out


def _schedule_row(service: str, location: str | None, s: dict[str, Any]) -> dict[str, Any]:
    return {"service": service, "location": location, "days": s.get("byday"), "opens": s.get("opens_at"),
            "closes": s.get("closes_at"), "valid_from": s.get("valid_from"), "valid_to": s.get("valid_to"),
            "notes": s.get("notes"), "notes_en": _en(s, "notes")}

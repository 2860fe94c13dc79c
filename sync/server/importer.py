"""Import and export: the spreadsheet template (.xlsx), HSDS JSON, the HSDS CSV datapackage (.zip).

An import is checked whole before anything changes, in three steps:

1. the file itself, cell by cell: every problem is reported with its sheet (or CSV file), row
   and column, all at once;
2. the catalogue it makes (with ``kiosk-feed``'s own readers in :mod:`sync.publish.sources`);
3. the catalogue as it would be after the import, through the kiosks' own checks
   (:func:`sync.feed.verify.check_content`), inside the import's transaction.

Only when all three pass is the transaction committed: everything changes, or nothing does.

The spreadsheet is the ``kiosk-feed template`` (sheets ``categories``, ``organizations``,
``locations``, ``services``, ``schedules``) plus an instructions sheet. It carries fewer fields
than HSDS, so a spreadsheet import changes only what its columns hold: an existing service keeps
its contacts, its date of last check, its phone descriptions and so on.
"""
from __future__ import annotations

import copy
import csv
import json
import re
import tempfile
import uuid
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Iterable

from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from sync.feed import document as feedmod
from sync.publish import build as publish, sources
from sync.feed import verify as verifymod
from sync.server import catalogue, csv_cells
from sync.server.assets import strip_local_files
from sync.server.audit import Actor, record
from sync.server.catalogue import TR, CatalogueError, Parts
from sync.server.forms.fields import DAYS, EMAIL_RE, PHONE_RE, STATUSES, normalize_time, tel_key
from sync.server.imports import archives
from sync.server.imports.problems import MAX_ROWS, MAX_UPLOAD, ImportOutcome, ImportRefused, Problem
from sync.server.models import Category, Location, Organization, Service

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
CODE_RE = re.compile(r"^[^\s,;]{1,100}$")
LANG_CODE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


# ------------------------------------------------------------------------------- cells


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "po" if value else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()[:5] if isinstance(value, time) else value.isoformat()
    return str(value).strip()


def lines(value: Any) -> list[str]:
    return [x.strip() for x in cell_text(value).splitlines() if x.strip()]


def codes(value: Any) -> list[str]:
    return [c.strip() for c in cell_text(value).replace(";", ",").replace("\n", ",").split(",") if c.strip()]


class SheetChecker:
    """Collects problems of one sheet, with Excel's row numbers and column letters."""

    def __init__(self, name: str, header: list[str], problems: list[Problem]):
        self.name = name
        self.header = header
        self.problems = problems
        self.col = {h: i for i, h in enumerate(header) if h}

    def where(self, column: str) -> str:
        i = self.col.get(column)
        return f"{get_column_letter(i + 1)} ({column})" if i is not None else column

    def add(self, row: int | None, column: str | None, message: str, **params: Any) -> None:
        self.problems.append(Problem(self.name, row, self.where(column) if column else None, message, params))

    def text(self, r: int, values: dict[str, Any], column: str, *, required: bool = False, long: bool = False) -> str:
        text = cell_text(values.get(column))
        if required and not text:
            self.add(r, column, "Required: this cell is empty.")
        elif len(text) > (20_000 if long else 500):
            self.add(r, column, "Too long (at most {n} characters).", n=20_000 if long else 500)
        elif verifymod.BAD_CHARS.search(text):
            self.add(r, column, "Contains invisible control characters; type the text again.")
        return text


def _sheet_rows(ws) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    rows = ws.iter_rows(values_only=True)
    try:
        header = [cell_text(h) for h in next(rows)]
    except StopIteration:
        return [], []
    out = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS:
            break
        row = {h: v for h, v in zip(header, values, strict=False) if h and v is not None and cell_text(v) != ""}
        if not row or cell_text(values[0] if values else "").startswith("#"):
            continue
        out.append((number, row))
    return header, out


REQUIRED_COLUMNS = {"categories": ["code", "name"], "organizations": ["code", "name"], "locations": ["code"],
                    "services": ["code", "name", "organization"], "schedules": ["service", "days", "opens", "closes"]}


def check_workbook(path: Path) -> tuple[list[Problem], dict[str, list[str]]]:
    """Every problem of a filled template, by sheet, row and column. Also returns the headers."""
    import openpyxl

    problems: list[Problem] = []
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds
        return [Problem("", None, None,
                        "This is not a spreadsheet in .xlsx format (save it as Excel 2007-365 .xlsx).")], {}
    sheets: dict[str, tuple[list[str], list[tuple[int, dict[str, Any]]]]] = {}
    try:
        for ws in wb.worksheets:
            if ws.title in sources.TEMPLATE_SHEETS:
                sheets[ws.title] = _sheet_rows(ws)
    except archives.ZIP_ERRORS:
        return [Problem("", None, None, "The zip file is damaged: it cannot be unpacked.")], {}
    finally:
        wb.close()
    for name in ("categories", "organizations", "services"):
        if name not in sheets:
            problems.append(Problem(name, None, None, "The sheet {sheet} is missing.", {"sheet": name}))
    if problems:
        return problems, {}
    checkers: dict[str, SheetChecker] = {}
    for name, (header, _rows) in sheets.items():
        c = checkers[name] = SheetChecker(name, header, problems)
        known = {col for col, _help in sources.TEMPLATE_SHEETS[name]}
        for i, h in enumerate(header):
            if h and h not in known:
                problems.append(Problem(name, 1, f"{get_column_letter(i + 1)} ({h})",
                                        "Unknown column {column}: use the column names of the template.",
                                        {"column": h}))
        for col in REQUIRED_COLUMNS.get(name, []):
            if col not in c.col:
                problems.append(Problem(name, 1, col, "The column {column} is missing.", {"column": col}))
    if problems:
        return problems, {n: h for n, (h, _r) in sheets.items()}

    def unique_codes(name: str) -> dict[str, int]:
        seen: dict[str, int] = {}
        c = checkers[name]
        for r, row in sheets[name][1]:
            code = c.text(r, row, "code", required=True)
            if not code:
                continue
            if not CODE_RE.match(code):
                c.add(r, "code", "A code has no spaces, commas or semicolons.")
            elif code in seen:
                c.add(r, "code", "The code {code} is also on row {other}.", code=code, other=seen[code])
            else:
                seen[code] = r
            ident = cell_text(row.get("id"))
            if ident and not UUID_RE.match(ident):
                c.add(r, "id", "Not a UUID; leave the cell empty to have one made from the code.")
        return seen

    cat_codes = unique_codes("categories")
    org_codes = unique_codes("organizations")
    loc_codes = unique_codes("locations") if "locations" in sheets else {}
    svc_codes = unique_codes("services")

    c = checkers["categories"]
    parents: dict[str, str] = {}
    for r, row in sheets["categories"][1]:
        c.text(r, row, "name", required=True)
        for col in ("name_en",):
            c.text(r, row, col)
        for col in ("description", "description_en"):
            c.text(r, row, col, long=True)
        parent = cell_text(row.get("parent"))
        code = cell_text(row.get("code"))
        if parent:
            if parent not in cat_codes:
                c.add(r, "parent", "No category has the code {code}.", code=parent)
            elif parent == code:
                c.add(r, "parent", "A category cannot be inside itself.")
            else:
                parents[code] = parent
        icon = cell_text(row.get("icon"))
        if icon and not verifymod.ICON_RE.match(icon):
            c.add(r, "icon", "An icon name: small letters, digits and '-' (e.g. children).")
        if cell_text(row.get("icon_file")):
            c.add(r, "icon_file", "The server cannot read files from your computer; leave icon_file empty and "
                                  "choose an icon name.")
        _int(c, r, row, "order", -100000, 100000)
    for code in parents:  # cycles
        seen, cur = set(), code
        while cur in parents and cur not in seen:
            seen.add(cur)
            cur = parents[cur]
        if cur in seen:
            c.add(cat_codes[code], "parent", "The categories {code} and {other} are inside each other.",
                  code=code, other=parents[code])

    c = checkers["organizations"]
    for r, row in sheets["organizations"][1]:
        c.text(r, row, "name", required=True)
        c.text(r, row, "name_en")
        for col in ("description", "description_en"):
            c.text(r, row, col, long=True)
        _email(c, r, row, "email")
        _https(c, r, row, "website")
        _phones(c, r, row, "phone")
        logo = cell_text(row.get("logo"))
        if logo and not logo.startswith("https://"):
            c.add(r, "logo", "The server cannot read files from your computer; give an https:// address or leave "
                             "it empty.")

    if "locations" in sheets:
        c = checkers["locations"]
        for r, row in sheets["locations"][1]:
            for col in ("name", "name_en", "address", "city", "postal_code"):
                c.text(r, row, col)
            for col in ("transportation", "transportation_en", "accessibility", "accessibility_en"):
                c.text(r, row, col, long=True)
            lat = _number(c, r, row, "latitude", -90, 90)
            lon = _number(c, r, row, "longitude", -180, 180)
            if (lat is None) != (lon is None) and not (row.get("latitude") is not None and lat is None) \
                    and not (row.get("longitude") is not None and lon is None):
                c.add(r, "longitude" if lat is not None else "latitude",
                      "Give both latitude and longitude, or neither.")
            _phones(c, r, row, "phone")

    c = checkers["services"]
    svc_locations: dict[str, set[str]] = {}
    for r, row in sheets["services"][1]:
        c.text(r, row, "name", required=True)
        for col in ("name_en", "fees", "fees_en"):
            c.text(r, row, col)
        for col in ("description", "description_en", "eligibility", "eligibility_en", "application_process",
                    "application_process_en", "alert", "alert_en", "documents", "documents_en"):
            c.text(r, row, col, long=True)
        org = cell_text(row.get("organization"))
        if not org:
            c.add(r, "organization", "Required: this cell is empty.")
        elif org not in org_codes:
            c.add(r, "organization", "No organization has the code {code}.", code=org)
        cats = codes(row.get("categories"))
        if not cats:
            c.add(r, "categories", "Give at least one category code: visitors find services by category.")
        for code in cats:
            if code not in cat_codes:
                c.add(r, "categories", "No category has the code {code}.", code=code)
        here = codes(row.get("locations"))
        for code in here:
            if code not in loc_codes:
                c.add(r, "locations", "No location has the code {code}.", code=code)
        svc_locations[cell_text(row.get("code"))] = set(here)
        status = cell_text(row.get("status"))
        if status and status not in STATUSES:
            c.add(r, "status", "Write one of: {choices}.", choices=", ".join(STATUSES))
        _email(c, r, row, "email")
        _https(c, r, row, "url")
        _phones(c, r, row, "phone")
        for code in codes(row.get("languages")):
            if not LANG_CODE_RE.match(code):
                c.add(r, "languages", "Not a language code: {code} (use sq, en, it ...).", code=code)
        low = _int(c, r, row, "minimum_age", 0, 150)
        high = _int(c, r, row, "maximum_age", 0, 150)
        if low is not None and high is not None and high < low:
            c.add(r, "maximum_age", "Lower than the minimum age.")
        if len(lines(row.get("documents_en"))) > len(lines(row.get("documents"))):
            c.add(r, "documents_en", "More English lines than Albanian ones: one line per document in both.")

    if "schedules" in sheets:
        c = checkers["schedules"]
        for r, row in sheets["schedules"][1]:
            svc = cell_text(row.get("service"))
            if not svc:
                c.add(r, "service", "Required: this cell is empty.")
            elif svc not in svc_codes:
                c.add(r, "service", "No service has the code {code}.", code=svc)
            loc = cell_text(row.get("location"))
            if loc:
                if loc not in loc_codes:
                    c.add(r, "location", "No location has the code {code}.", code=loc)
                elif svc in svc_locations and loc not in svc_locations[svc]:
                    c.add(r, "location", "The service {code} is not offered at {location}: add the location to "
                                         "the service's locations column.", code=svc, location=loc)
            days = [d for d in cell_text(row.get("days")).replace(" ", "").upper().split(",") if d]
            if not days:
                c.add(r, "days", "Required: this cell is empty.")
            elif any(d not in DAYS for d in days):
                c.add(r, "days", "Days as MO,TU,WE,TH,FR,SA,SU separated by commas.")
            times = {}
            for col in ("opens", "closes"):
                text = cell_text(row.get(col))
                if not text:
                    c.add(r, col, "Required: this cell is empty.")
                elif normalize_time(text) is None or normalize_time(text) != text:
                    c.add(r, col, "A time as HH:MM, e.g. 08:30.")
                else:
                    times[col] = text
            if len(times) == 2 and times["opens"] == times["closes"]:
                c.add(r, "closes", "Closing time equals opening time.")
            dates = {}
            for col in ("valid_from", "valid_to"):
                text = cell_text(row.get(col))
                if text:
                    try:
                        dates[col] = date.fromisoformat(text)
                    except ValueError:
                        c.add(r, col, "A date as YYYY-MM-DD, e.g. 2026-12-31.")
            if len(dates) == 2 and dates["valid_to"] < dates["valid_from"]:
                c.add(r, "valid_to", "The end date is before the start date.")
            for col in ("notes", "notes_en"):
                c.text(r, row, col, long=True)
    return problems, {n: h for n, (h, _r) in sheets.items()}


def _int(c: SheetChecker, r: int, row: dict[str, Any], col: str, low: int, high: int) -> int | None:
    value = row.get(col)
    if value is None or cell_text(value) == "":
        return None
    try:
        number = float(cell_text(value).replace(",", "."))
        if not number.is_integer():
            raise ValueError
    except ValueError:
        c.add(r, col, "A whole number.")
        return None
    if not low <= number <= high:
        c.add(r, col, "From {low} to {high}.", low=low, high=high)
        return None
    return int(number)


def _number(c: SheetChecker, r: int, row: dict[str, Any], col: str, low: float, high: float) -> float | None:
    value = row.get(col)
    if value is None or cell_text(value) == "":
        return None
    try:
        number = float(cell_text(value).replace(",", "."))
    except ValueError:
        c.add(r, col, "A number, e.g. 41.1125.")
        return None
    if not low <= number <= high:
        c.add(r, col, "From {low} to {high}.", low=low, high=high)
        return None
    return number


def _email(c: SheetChecker, r: int, row: dict[str, Any], col: str) -> None:
    text = c.text(r, row, col)
    if text and not EMAIL_RE.match(text):
        c.add(r, col, "Not an email address (name@example.org).")


def _https(c: SheetChecker, r: int, row: dict[str, Any], col: str) -> None:
    text = c.text(r, row, col)
    if text and not re.match(r"^https://[^\s/$.?#][^\s]*$", text):
        c.add(r, col, "The address must start with https://")


def _phones(c: SheetChecker, r: int, row: dict[str, Any], col: str) -> None:
    for number in lines(row.get(col)):
        if not PHONE_RE.match(number) or sum(ch.isdigit() for ch in number) < 3:
            c.add(r, col, "Not a phone number: {value} (digits, spaces and + only; one number per line).",
                  value=number[:40])


# ------------------------------------------------------------------------------- spreadsheet overlay

# template column -> what it sets (plain key, or "@key" for the English translation of key)
COLUMN_FIELDS = {
    "categories": {"name": ["name"], "name_en": ["@name"], "description": ["description"],
                   "description_en": ["@description"], "parent": ["parent_id"], "icon": ["x_icon"],
                   "order": ["x_order"], "code": ["code"]},
    "organizations": {"name": ["name"], "name_en": ["@name"], "description": ["description"],
                      "description_en": ["@description"], "email": ["email"], "website": ["website"],
                      "phone": ["phones"], "logo": ["logo"], "demo": ["x_demo"]},
    "locations": {"name": ["name"], "name_en": ["@name"], "address": ["addresses"], "latitude": ["latitude"],
                  "longitude": ["longitude"], "transportation": ["transportation"],
                  "transportation_en": ["@transportation"], "accessibility": ["accessibility"],
                  "phone": ["phones"]},
    "services": {"name": ["name"], "name_en": ["@name"], "description": ["description"],
                 "description_en": ["@description"], "organization": ["organization_id"],
                 "categories": ["attributes"], "locations": ["service_at_locations"], "status": ["status"],
                 "eligibility": ["eligibility_description"], "eligibility_en": ["@eligibility_description"],
                 "application_process": ["application_process"],
                 "application_process_en": ["@application_process"], "documents": ["required_documents"],
                 "fees": ["fees_description"], "fees_en": ["@fees_description"], "phone": ["phones"],
                 "email": ["email"], "url": ["url"], "languages": ["languages"], "minimum_age": ["minimum_age"],
                 "maximum_age": ["maximum_age"], "alert": ["alert"], "alert_en": ["@alert"], "demo": ["x_demo"]},
}


def _covered(sheet: str, header: Iterable[str]) -> tuple[set[str], set[str]]:
    keys, en_keys = set(), set()
    for col in header:
        for target in COLUMN_FIELDS.get(sheet, {}).get(col, []):
            (en_keys if target.startswith("@") else keys).add(target.lstrip("@"))
    return keys, en_keys


def _match(new_items: list[dict], old_items: list[dict], key, keep_old: bool = False) -> list[dict]:  # noqa: ANN001
    """New list items, each starting from the old item with the same key (keeping its id and the
    fields the spreadsheet does not carry). ``keep_old``: a matched item is the old one as it was
    (the spreadsheet carries nothing but the key)."""
    olds: dict[Any, list[dict]] = {}
    for item in old_items or []:
        olds.setdefault(key(item), []).append(item)
    out = []
    for item in new_items or []:
        candidates = olds.get(key(item))
        if candidates:
            base = copy.deepcopy(candidates.pop(0))
            if keep_old:
                out.append(base)
                continue
            tr_new = (item.get(TR) or {}).get("en") or {}
            merged = {**base, **{k: v for k, v in item.items() if k not in ("id", TR)}}
            en = dict((base.get(TR) or {}).get("en") or {})
            en.update(tr_new)
            if en:
                merged[TR] = {**(base.get(TR) or {}), "en": en}
            out.append(merged)
        else:
            out.append(item)
    return out


def overlay(old: dict[str, Any] | None, new: dict[str, Any], keys: set[str], en_keys: set[str],
            lists: dict[str, Any] | None = None) -> dict[str, Any]:
    """``old`` with the spreadsheet's fields (``keys``, and ``en_keys`` of the English translation)
    taken from ``new``; list fields matched item by item with ``lists[field](new, old)``."""
    if old is None:
        return new
    out = copy.deepcopy(old)
    for key in keys:
        if key in (lists or {}):
            value = lists[key](new.get(key) or [], old.get(key) or [])
        else:
            value = new.get(key)
        if value in (None, "", []):
            if old.get(key) is False:
                continue  # an unticked box reads back as empty: false stays false
            out.pop(key, None)
        else:
            out[key] = value
    en_old = dict(((old.get(TR) or {}).get("en")) or {})
    en_new = ((new.get(TR) or {}).get("en")) or {}
    for key in en_keys:
        if en_new.get(key):
            en_old[key] = en_new[key]
        else:
            en_old.pop(key, None)
    trs = dict(out.get(TR) or {})
    if en_old:
        trs["en"] = en_old
    else:
        trs.pop("en", None)
    if trs:
        out[TR] = trs
    else:
        out.pop(TR, None)
    return out


def _phones_by_number(new: list[dict], old: list[dict]) -> list[dict]:
    return _match(new, old, lambda p: tel_key(p.get("number", "")))


def _schedule_key(s: dict[str, Any]) -> tuple:
    return (s.get("byday"), s.get("opens_at"), s.get("closes_at"), s.get("valid_from"), s.get("valid_to"))


def overlay_parts(db: Session, parts: Parts, headers: dict[str, list[str]]) -> Parts:
    """Spreadsheet parts laid over what the database has, so fields without a column survive."""
    tax_id = catalogue.taxonomy(db)["id"]
    out = Parts(taxonomy=None, publisher=None)
    keys, en_keys = _covered("categories", headers.get("categories", []))
    for cid, term in parts.categories.items():
        row = db.get(Category, cid)
        term = dict(term, taxonomy_id=(row.doc.get("taxonomy_id") if row else None) or tax_id)
        term.pop("x_icon_file", None)
        out.categories[cid] = overlay(row.doc if row else None, term, keys, en_keys)
    keys, en_keys = _covered("organizations", headers.get("organizations", []))
    for oid, org in parts.organizations.items():
        row = db.get(Organization, oid)
        out.organizations[oid] = overlay(row.doc if row else None, org, keys, en_keys, {"phones": _phones_by_number})
    keys, en_keys = _covered("locations", headers.get("locations", []))

    def first_address(new: list[dict], old: list[dict]) -> list[dict]:
        if not new:
            return old[1:]
        if not old:
            return new
        carried = ("address_1", "city", "postal_code")  # what the spreadsheet's columns hold
        first = dict(old[0], **{k: new[0][k] for k in carried if new[0].get(k)})
        for k in carried:
            if not new[0].get(k):
                first.pop(k, None)
        return [first] + old[1:]

    def first_access(new: list[dict], old: list[dict]) -> list[dict]:
        if not new:
            return old[1:]
        if not old:
            return new
        merged = overlay(old[0], new[0], {"description"}, {"description"})
        return [merged] + old[1:]

    for lid, loc in parts.locations.items():
        row = db.get(Location, lid)
        out.locations[lid] = overlay(row.doc if row else None, loc, keys, en_keys,
                                     {"phones": _phones_by_number, "addresses": first_address,
                                      "accessibility": first_access})
    keys, en_keys = _covered("services", headers.get("services", []))
    with_schedules = "schedules" in headers

    def schedules(new: list[dict], old: list[dict]) -> list[dict]:
        return _match(new, old, _schedule_key)

    for sid, svc in parts.services.items():
        row = db.get(Service, sid)
        old = row.doc if row else None

        def sals(new: list[dict], old_sals: list[dict]) -> list[dict]:
            olds = {s.get("location_id"): s for s in old_sals}
            result = []
            for sal in new:
                base = copy.deepcopy(olds.get(sal.get("location_id"))) or sal
                if with_schedules:
                    merged = schedules(sal.get("schedules") or [], base.get("schedules") or [])
                    for s in merged:
                        s["service_at_location_id"] = base["id"]
                    if merged:
                        base["schedules"] = merged
                    else:
                        base.pop("schedules", None)
                result.append(base)
            return result

        lists = {"phones": _phones_by_number,
                 "required_documents": lambda n, o: _match(n, o, lambda d: d.get("document")),
                 "languages": lambda n, o: _match(n, o, lambda lg: lg.get("code"), keep_old=True),
                 "attributes": lambda n, o: _match(n, o, lambda a: a.get("taxonomy_term_id"), keep_old=True),
                 "service_at_locations": sals, "schedules": schedules}
        service_keys = set(keys) | ({"schedules"} if with_schedules else set())
        out.services[sid] = overlay(old, svc, service_keys, en_keys, lists)
    return out


# ------------------------------------------------------------------------------- per-format readers


def _schema_problems(services: list[dict[str, Any]], label: str) -> list[Problem]:
    validator = verifymod.service_validator()
    problems = []
    for i, svc in enumerate(services):
        if not isinstance(svc, dict):
            problems.append(Problem(label, i + 1, None, "Not a JSON object."))
            continue
        for error in list(validator.iter_errors(publish.normalize(svc)))[:20]:
            path = "/".join(str(p) for p in error.absolute_path) or "(service)"
            problems.append(Problem(label, i + 1, path, "{detail} (service {name})",
                                    {"detail": error.message[:300],
                                     "name": str(svc.get("name") or svc.get("id"))[:80]}))
        if len(problems) > 500:
            break
    return problems


def read_json_upload(path: Path) -> tuple[list[Problem], Parts | None]:
    try:
        loaded = sources.read_json(path)
    except feedmod.FeedError as exc:
        return [Problem("JSON", None, None, "Not an HSDS JSON file: {detail}", {"detail": exc.detail[:300]})], None
    problems = _schema_problems(loaded.services, "services")
    if problems:
        return problems, None
    try:
        parts = catalogue.decompose(loaded.services, loaded.taxonomy_terms, loaded.taxonomy, loaded.publisher)
    except CatalogueError as exc:
        return [Problem("services", None, None, exc.message, exc.params)], None
    return [], parts


CSV_REFS = {  # file -> {column: referenced table}
    "service": {"organization_id": "organization"},
    "service_at_location": {"service_id": "service", "location_id": "location"},
    "address": {"location_id": "location"},
    "phone": {"organization_id": "organization", "service_id": "service", "location_id": "location",
              "service_at_location_id": "service_at_location", "contact_id": "contact"},
    "schedule": {"service_id": "service", "location_id": "location", "service_at_location_id": "service_at_location"},
    "contact": {"organization_id": "organization", "service_id": "service", "location_id": "location",
                "service_at_location_id": "service_at_location"},
    "language": {"service_id": "service", "location_id": "location"},
    "accessibility": {"location_id": "location"},
    "required_document": {"service_id": "service"},
    "taxonomy_term": {"parent_id": "taxonomy_term"},
    "attribute": {"taxonomy_term_id": "taxonomy_term", "link_id": "service"},
}


def check_datapackage(folder: Path) -> list[Problem]:
    problems: list[Problem] = []
    files = sources._table_files(folder)  # noqa: SLF001 - the reader's own file discovery
    if "service" not in files:
        return [Problem("services.csv", None, None, "The file {file} is missing.", {"file": "services.csv"})]
    tables: dict[str, list[tuple[int, dict[str, str]]]] = {}
    headers: dict[str, list[str]] = {}
    for table, path in files.items():
        if table not in sources.TABLES:
            continue
        try:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                reader = csv.DictReader(fh)
                headers[table] = list(reader.fieldnames or [])
                tables[table] = [(n, row) for n, row in enumerate(reader, start=2) if n <= MAX_ROWS]
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            problems.append(Problem(path.name, None, None, "Cannot read the file: {detail}",
                                    {"detail": str(exc)[:200]}))
    ids: dict[str, set[str]] = {}
    for table, rows in tables.items():
        name = files[table].name
        seen: dict[str, int] = {}
        for n, row in rows:
            ident = (row.get("id") or "").strip()
            if not ident:
                problems.append(Problem(name, n, "id", "Required: this cell is empty."))
            elif not UUID_RE.match(ident):
                problems.append(Problem(name, n, "id", "Not a UUID."))
            elif ident in seen:
                problems.append(Problem(name, n, "id", "The id is also on row {other}.", {"other": seen[ident]}))
            else:
                seen[ident] = n
            for key in ("latitude", "longitude", "minimum_age", "maximum_age", "x_order", "year_incorporated"):
                text = (row.get(key) or "").strip()
                if text:
                    try:
                        float(text)
                    except ValueError:
                        problems.append(Problem(name, n, key, "A number, e.g. 41.1125."))
            text = (row.get(TR) or "").strip()
            if text:
                try:
                    value = json.loads(text)
                    if not isinstance(value, dict):
                        raise ValueError
                except ValueError:
                    problems.append(Problem(name, n, TR, "Not JSON like {example}.",
                                            {"example": '{"en": {"name": "..."}}'}))
            for key, value in row.items():
                if isinstance(value, str) and verifymod.BAD_CHARS.search(value):
                    problems.append(Problem(name, n, key,
                                            "Contains invisible control characters; type the text again."))
        ids[table] = set(seen)
    for table, refs in CSV_REFS.items():
        for n, row in tables.get(table, []):
            for column, target in refs.items():
                value = (row.get(column) or "").strip()
                if value and value not in ids.get(target, set()):
                    problems.append(Problem(files[table].name, n, column, "No {table} has the id {id}.",
                                            {"table": target, "id": value}))
    for n, row in tables.get("service", []):
        if not (row.get("name") or "").strip():
            problems.append(Problem(files["service"].name, n, "name", "Required: this cell is empty."))
        if not (row.get("organization_id") or "").strip():
            problems.append(Problem(files["service"].name, n, "organization_id", "Required: this cell is empty."))
    return problems[:1000]


def read_zip_upload(data: bytes, workdir: Path) -> tuple[list[Problem], Parts | None]:
    problems = archives.safe_extract(data, workdir)
    if problems:
        return problems, None
    for path in workdir.rglob("*.csv"):
        try:
            csv_cells.rewrite(path, csv_cells.restore)
        except (UnicodeDecodeError, csv.Error):
            pass  # check_datapackage reports the file
    folder = workdir
    if not any(workdir.glob("*.csv")):
        subdirs = [p for p in workdir.iterdir() if p.is_dir() and any(p.glob("*.csv"))]
        if len(subdirs) == 1:
            folder = subdirs[0]
    problems = check_datapackage(folder)
    if problems:
        return problems, None
    try:
        loaded = sources.read_datapackage(folder)
    except (feedmod.FeedError, ValueError) as exc:
        return [Problem("datapackage", None, None, "Not an HSDS datapackage: {detail}",
                        {"detail": str(getattr(exc, "detail", exc))[:300]})], None
    problems = _schema_problems(loaded.services, "services.csv")
    if problems:
        return problems, None
    try:
        return [], catalogue.decompose(loaded.services, loaded.taxonomy_terms, loaded.taxonomy, None)
    except CatalogueError as exc:
        return [Problem("services.csv", None, None, exc.message, exc.params)], None


def read_xlsx_upload(path: Path) -> tuple[list[Problem], Parts | None, dict[str, list[str]]]:
    problems, headers = check_workbook(path)
    if problems:
        return problems, None, headers
    try:
        loaded = sources.read_template(path)
    except (feedmod.FeedError, TypeError, *archives.ZIP_ERRORS) as exc:
        return [Problem("", None, None, "The spreadsheet could not be read: {detail}",
                        {"detail": str(getattr(exc, "detail", exc))[:300]})], None, headers
    try:
        parts = catalogue.decompose(loaded.services, loaded.taxonomy_terms, None, None)
    except CatalogueError as exc:
        return [Problem("services", None, None, exc.message, exc.params)], None, headers
    # Organizations and locations nobody uses are in the spreadsheet too.
    return [], parts, headers


# ------------------------------------------------------------------------------- the import


def detect_kind(filename: str, data: bytes) -> str | None:
    name = filename.lower()
    if data[:2] == b"PK":
        if name.endswith(".xlsx"):
            return "xlsx"
        archive = archives.open_archive(data)
        if archive is None:
            return None
        with archive:
            names = archive.namelist()
        return "xlsx" if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names) else "zip"
    if name.endswith(".json") or data.lstrip()[:1] in (b"{", b"["):
        return "json"
    return None


def run_import(db: Session, filename: str, data: bytes, actor: Actor, *, replace: bool) -> ImportOutcome:
    """Check and apply an upload in the caller's transaction. Raises ImportRefused with every
    problem found, after which the caller must roll the transaction back (leaving the ``with
    Database.session()`` block through the exception does); otherwise the caller commits."""
    if len(data) > MAX_UPLOAD:
        raise ImportRefused([Problem("", None, None, "The file is larger than {n} MB.", {"n": MAX_UPLOAD // 2**20})])
    kind = detect_kind(filename, data)
    if kind is None:
        raise ImportRefused([Problem("", None, None, "Unknown file type: upload the .xlsx template, an HSDS .json "
                                                     "file or a .zip of the HSDS CSV files.")])
    found = archives.check_archive(data) if kind in ("xlsx", "zip") else None
    if found:
        raise ImportRefused([found])
    with tempfile.TemporaryDirectory(prefix="kiosk-server-import-") as tmp:
        work = Path(tmp)
        headers: dict[str, list[str]] = {}
        if kind == "xlsx":
            path = work / "upload.xlsx"
            path.write_bytes(data)
            problems, parts, headers = read_xlsx_upload(path)
            if parts is not None:
                parts = overlay_parts(db, parts, headers)
                parts.organizations.update(_unused_sheet_entities(path, "organizations", parts, db, headers))
        elif kind == "json":
            path = work / "upload.json"
            path.write_bytes(data)
            problems, parts = read_json_upload(path)
        else:
            problems, parts = read_zip_upload(data, work / "package")
    if problems or parts is None:
        raise ImportRefused(problems or [Problem("", None, None, "Nothing to import.")])
    if not parts.services:
        raise ImportRefused([Problem("services", None, None, "The file has no services.")])
    dropped = strip_parts(parts)
    try:
        report = catalogue.apply_parts(db, parts, actor, replace=replace)
        assembled = catalogue.assemble(db)
        doc = publish.normalize(feedmod.new_document(assembled.services, assembled.taxonomy_terms, version=1,
                                                     taxonomy=assembled.taxonomy))
        try:
            verifymod.check_content(doc)
        except feedmod.FeedError as exc:
            raise ImportRefused([Problem("", None, None, "The kiosks would refuse this catalogue: {detail}",
                                         {"detail": exc.detail[:500]})]) from exc
    except CatalogueError as exc:
        raise ImportRefused([Problem("", None, None, exc.message, exc.params)]) from exc
    details: dict[str, Any] = {k: {w: names[:200] for w, names in v.items() if w != "unchanged"}
                               for k, v in report.items()}
    details["mode"] = "replace" if replace else "merge"
    if dropped:
        details["local_files_dropped"] = dropped[:50]
    record(db, actor, "import", entity_type="catalogue", entity_id=kind, summary=filename[:200], details=details)
    return ImportOutcome(kind, [], report, True)


def strip_parts(parts: Parts) -> list[str]:
    """Take every local file reference out of an import (see :mod:`sync.server.assets`); returns
    what was dropped."""
    dropped: list[str] = []
    for table in (parts.categories, parts.organizations, parts.locations, parts.services):
        for key, doc in table.items():
            table[key], gone = strip_local_files(doc)
            dropped += gone
    for name in ("taxonomy", "publisher"):
        if getattr(parts, name):
            doc, gone = strip_local_files(getattr(parts, name))
            setattr(parts, name, doc)
            dropped += gone
    return dropped


def _unused_sheet_entities(path: Path, sheet: str, parts: Parts, db: Session,
                           headers: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """Organizations listed in the spreadsheet that no service names (read_template only keeps
    the ones services use): import them too."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        _header, rows = _sheet_rows(wb[sheet])
    finally:
        wb.close()
    keys, en_keys = _covered("organizations", headers.get("organizations", []))
    out = {}
    for _n, row in rows:
        code = cell_text(row.get("code"))
        oid = cell_text(row.get("id")) or str(uuid.uuid5(sources.NAMESPACE, f"organization:{code}"))
        if oid in parts.organizations:
            continue
        name = cell_text(row.get("name"))
        org: dict[str, Any] = {"id": oid, "name": name, "description": cell_text(row.get("description")) or name}
        for key in ("email", "website"):
            if cell_text(row.get(key)):
                org[key] = cell_text(row.get(key))
        en = {k: cell_text(row.get(f"{k}_en")) for k in ("name", "description") if cell_text(row.get(f"{k}_en"))}
        if en:
            org[TR] = {"en": en}
        numbers = lines(row.get("phone"))
        if numbers:
            org["phones"] = [{"id": str(uuid.uuid5(sources.NAMESPACE, f"phone:org:{code}:{i}")), "number": n}
                             for i, n in enumerate(numbers)]
        existing = db.get(Organization, oid)
        out[oid] = overlay(existing.doc if existing else None, org, keys, en_keys, {"phones": _phones_by_number})
    return out

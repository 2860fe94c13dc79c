"""The filled spreadsheet template, checked cell by cell before anything is read from it: every
problem with its sheet, row and column (Excel's letters), all at once."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from sync.feed import verify as verifymod
from sync.publish import sources
from sync.server.forms.fields import DAYS, STATUSES, normalize_time
from sync.server.imports import archives
from sync.server.imports.cells import (
    CODE_RE,
    LANG_CODE_RE,
    UUID_RE,
    SheetChecker,
    cell_text,
    check_email,
    check_https,
    check_int,
    check_number,
    check_phones,
    codes,
    lines,
    sheet_rows,
)
from sync.server.imports.problems import Problem, problem

REQUIRED_COLUMNS = {"categories": ["code", "name"], "organizations": ["code", "name"], "locations": ["code"],
                    "services": ["code", "name", "organization"], "schedules": ["service", "days", "opens", "closes"]}
Rows = list[tuple[int, dict[str, Any]]]
Sheets = dict[str, tuple[list[str], Rows]]


def check_workbook(path: Path) -> tuple[list[Problem], dict[str, list[str]]]:
    """Every problem of a filled template, by sheet, row and column. Also returns the headers."""
    sheets, problems = _read_sheets(path)
    if problems:
        return problems, {}
    headers = {name: header for name, (header, _rows) in sheets.items()}
    checkers = {name: SheetChecker(name, header, problems) for name, header in headers.items()}
    _check_columns(checkers)
    if problems:
        return problems, headers
    known = {name: _unique_codes(checkers[name], sheets[name][1]) for name in sheets if name != "schedules"}
    known.setdefault("locations", {})
    _check_categories(checkers["categories"], sheets["categories"][1], known["categories"])
    _check_organizations(checkers["organizations"], sheets["organizations"][1])
    if "locations" in sheets:
        _check_locations(checkers["locations"], sheets["locations"][1])
    offered = _check_services(checkers["services"], sheets["services"][1], known)
    if "schedules" in sheets:
        _check_schedules(checkers["schedules"], sheets["schedules"][1], known, offered)
    return problems, headers


def _read_sheets(path: Path) -> tuple[Sheets, list[Problem]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds
        return {}, [problem("This is not a spreadsheet in .xlsx format (save it as Excel 2007-365 .xlsx).")]
    sheets: Sheets = {}
    try:
        for ws in wb.worksheets:
            if ws.title in sources.TEMPLATE_SHEETS:
                sheets[ws.title] = sheet_rows(ws)
    except archives.ZIP_ERRORS:  # a member that does not unpack, or a sheet that is not XML
        return {}, [problem("The spreadsheet is damaged: it cannot be read.")]
    finally:
        wb.close()
    return sheets, [Problem(name, None, None, "The sheet {sheet} is missing.", {"sheet": name})
                    for name in ("categories", "organizations", "services") if name not in sheets]


def _check_columns(checkers: dict[str, SheetChecker]) -> None:
    for name, c in checkers.items():
        known = {col for col, _help in sources.TEMPLATE_SHEETS[name]}
        for i, h in enumerate(c.header):
            if h and h not in known:
                c.problems.append(Problem(name, 1, f"{get_column_letter(i + 1)} ({h})",
                                          "Unknown column {column}: use the column names of the template.",
                                          {"column": h}))
        for col in REQUIRED_COLUMNS.get(name, []):
            if col not in c.col:
                c.problems.append(Problem(name, 1, col, "The column {column} is missing.", {"column": col}))


def _unique_codes(c: SheetChecker, rows: Rows) -> dict[str, int]:
    """The sheet's codes and their rows; a missing, malformed or repeated code is a problem."""
    seen: dict[str, int] = {}
    for r, row in rows:
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


def _check_categories(c: SheetChecker, rows: Rows, cat_codes: dict[str, int]) -> None:
    parents: dict[str, str] = {}
    for r, row in rows:
        c.text(r, row, "name", required=True)
        c.text(r, row, "name_en")
        for col in ("description", "description_en"):
            c.text(r, row, col, long=True)
        parent, code = cell_text(row.get("parent")), cell_text(row.get("code"))
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
        check_int(c, r, row, "order", -100000, 100000)
    for code in parents:  # cycles
        seen, cur = set(), code
        while cur in parents and cur not in seen:
            seen.add(cur)
            cur = parents[cur]
        if cur in seen:
            c.add(cat_codes[code], "parent", "The categories {code} and {other} are inside each other.",
                  code=code, other=parents[code])


def _check_organizations(c: SheetChecker, rows: Rows) -> None:
    for r, row in rows:
        c.text(r, row, "name", required=True)
        c.text(r, row, "name_en")
        for col in ("description", "description_en"):
            c.text(r, row, col, long=True)
        check_email(c, r, row, "email")
        check_https(c, r, row, "website")
        check_phones(c, r, row, "phone")
        logo = cell_text(row.get("logo"))
        if logo and not logo.startswith("https://"):
            c.add(r, "logo", "The server cannot read files from your computer; give an https:// address or leave "
                             "it empty.")


def _check_locations(c: SheetChecker, rows: Rows) -> None:
    for r, row in rows:
        for col in ("name", "name_en", "address", "city", "postal_code"):
            c.text(r, row, col)
        for col in ("transportation", "transportation_en", "accessibility", "accessibility_en"):
            c.text(r, row, col, long=True)
        lat = check_number(c, r, row, "latitude", -90, 90)
        lon = check_number(c, r, row, "longitude", -180, 180)
        if (lat is None) != (lon is None) and not (row.get("latitude") is not None and lat is None) \
                and not (row.get("longitude") is not None and lon is None):
            c.add(r, "longitude" if lat is not None else "latitude", "Give both latitude and longitude, or neither.")
        check_phones(c, r, row, "phone")


def _check_service_links(c: SheetChecker, r: int, row: dict[str, Any], known: dict[str, dict[str, int]]) -> set[str]:
    """The organization, categories and locations a service row names; returns its locations."""
    org = cell_text(row.get("organization"))
    if not org:
        c.add(r, "organization", "Required: this cell is empty.")
    elif org not in known["organizations"]:
        c.add(r, "organization", "No organization has the code {code}.", code=org)
    cats = codes(row.get("categories"))
    if not cats:
        c.add(r, "categories", "Give at least one category code: visitors find services by category.")
    for code in cats:
        if code not in known["categories"]:
            c.add(r, "categories", "No category has the code {code}.", code=code)
    here = codes(row.get("locations"))
    for code in here:
        if code not in known["locations"]:
            c.add(r, "locations", "No location has the code {code}.", code=code)
    return set(here)


def _check_services(c: SheetChecker, rows: Rows, known: dict[str, dict[str, int]]) -> dict[str, set[str]]:
    """Every service row; returns each service's locations (by code)."""
    offered: dict[str, set[str]] = {}
    for r, row in rows:
        c.text(r, row, "name", required=True)
        for col in ("name_en", "fees", "fees_en"):
            c.text(r, row, col)
        for col in ("description", "description_en", "eligibility", "eligibility_en", "application_process",
                    "application_process_en", "alert", "alert_en", "documents", "documents_en"):
            c.text(r, row, col, long=True)
        offered[cell_text(row.get("code"))] = _check_service_links(c, r, row, known)
        status = cell_text(row.get("status"))
        if status and status not in STATUSES:
            c.add(r, "status", "Write one of: {choices}.", choices=", ".join(STATUSES))
        check_email(c, r, row, "email")
        check_https(c, r, row, "url")
        check_phones(c, r, row, "phone")
        for code in codes(row.get("languages")):
            if not LANG_CODE_RE.match(code):
                c.add(r, "languages", "Not a language code: {code} (use sq, en, it ...).", code=code)
        low = check_int(c, r, row, "minimum_age", 0, 150)
        high = check_int(c, r, row, "maximum_age", 0, 150)
        if low is not None and high is not None and high < low:
            c.add(r, "maximum_age", "Lower than the minimum age.")
        if len(lines(row.get("documents_en"))) > len(lines(row.get("documents"))):
            c.add(r, "documents_en", "More English lines than Albanian ones: one line per document in both.")
    return offered


def _check_hours(c: SheetChecker, r: int, row: dict[str, Any]) -> None:
    """Days, opening and closing time, and the dates a schedule row is valid between."""
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


def _check_schedules(c: SheetChecker, rows: Rows, known: dict[str, dict[str, int]],
                     offered: dict[str, set[str]]) -> None:
    for r, row in rows:
        svc = cell_text(row.get("service"))
        if not svc:
            c.add(r, "service", "Required: this cell is empty.")
        elif svc not in known["services"]:
            c.add(r, "service", "No service has the code {code}.", code=svc)
        loc = cell_text(row.get("location"))
        if loc:
            if loc not in known["locations"]:
                c.add(r, "location", "No location has the code {code}.", code=loc)
            elif svc in offered and loc not in offered[svc]:
                c.add(r, "location", "The service {code} is not offered at {location}: add the location to "
                                     "the service's locations column.", code=svc, location=loc)
        _check_hours(c, r, row)
        for col in ("notes", "notes_en"):
            c.text(r, row, col, long=True)

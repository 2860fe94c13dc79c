"""Spreadsheet cells as text, and the checks of one sheet's cells with Excel's row numbers and
column letters."""
from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from openpyxl.utils import get_column_letter

from sync.feed import verify as verifymod
from sync.server.forms.fields import EMAIL_RE, PHONE_RE
from sync.server.imports.problems import MAX_ROWS, Problem

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
CODE_RE = re.compile(r"^[^\s,;]{1,100}$")
LANG_CODE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


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


def sheet_rows(ws) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
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


def check_int(c: SheetChecker, r: int, row: dict[str, Any], col: str, low: int, high: int) -> int | None:
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


def check_number(c: SheetChecker, r: int, row: dict[str, Any], col: str, low: float, high: float) -> float | None:
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


def check_email(c: SheetChecker, r: int, row: dict[str, Any], col: str) -> None:
    text = c.text(r, row, col)
    if text and not EMAIL_RE.match(text):
        c.add(r, col, "Not an email address (name@example.org).")


def check_https(c: SheetChecker, r: int, row: dict[str, Any], col: str) -> None:
    text = c.text(r, row, col)
    if text and not re.match(r"^https://[^\s/$.?#][^\s]*$", text):
        c.add(r, col, "The address must start with https://")


def check_phones(c: SheetChecker, r: int, row: dict[str, Any], col: str) -> None:
    for number in lines(row.get(col)):
        if not PHONE_RE.match(number) or sum(ch.isdigit() for ch in number) < 3:
            c.add(r, col, "Not a phone number: {value} (digits, spaces and + only; one number per line).",
                  value=number[:40])

"""What every form is made of: text fields in two languages, repeated rows, and the checks with
a message per field (see :mod:`sync.server.forms`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Union

from starlette.datastructures import FormData

from sync.feed import verify as verifymod
from sync.server.catalogue import en, set_en

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


def clean(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def put(doc: dict[str, Any], key: str, value: Any) -> None:
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


def by_id(items: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for i in items if isinstance(i, dict) and i.get("id")}


def texts_to_form(doc: dict[str, Any], texts: Iterable[Text]) -> dict[str, Any]:
    values = {}
    for t in texts:
        values[t.name] = doc.get(t.name) or ""
        if t.bilingual:
            values[t.name + "_en"] = en(doc, t.name) or ""
    return values


def texts_into_doc(doc: dict[str, Any], values: dict[str, Any], texts: Iterable[Text]) -> None:
    for t in texts:
        put(doc, t.name, values.get(t.name))
        if t.bilingual:
            set_en(doc, t.name, values.get(t.name + "_en"))


def blank_rows(spec: Rows, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows to show: the given ones and ``spec.blank`` empty ones to add more."""
    empty = {"id": ""}
    for f in spec.fields:
        empty[f.name] = [] if f.kind == "days" else ""
        if f.bilingual:
            empty[f.name + "_en"] = ""
    return list(rows) + [dict(empty) for _ in range(spec.blank)]



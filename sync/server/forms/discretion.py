"""The fields of visitors in danger (issue 14) on the service and category forms: urgent line
and its place (services only), sensitive, and the neutral title in Albanian and English (see
:mod:`sync.server.danger` for what they mean on the kiosk)."""
from __future__ import annotations

from typing import Any, Iterable

from starlette.datastructures import FormData

from sync.server.catalogue import en, set_en
from sync.server.danger import NEUTRAL_MAX, URGENT_MAX
from sync.server.forms.fields import Errors, Text, clean, text_problem, validate_int

NEUTRAL = Text("neutral_title", "Neutral title",
               help="Shown instead of the name on the saved contact, the slip and the phone page, e.g. Counselling.")


def flags_to_form(doc: dict[str, Any], *, urgent: bool) -> dict[str, Any]:
    values: dict[str, Any] = {"sensitive": doc.get("x_sensitive") is True,
                              "neutral_title": doc.get("x_neutral_title") or "",
                              "neutral_title_en": en(doc, "x_neutral_title") or ""}
    if urgent:
        order = doc.get("x_urgent")
        values["urgent"] = order is True or (isinstance(order, int) and not isinstance(order, bool) and order > 0)
        values["urgent_order"] = str(order) if values["urgent"] and order is not True else ""
    return values


def flags_from_post(form: FormData, *, urgent: bool) -> dict[str, Any]:
    values: dict[str, Any] = {"sensitive": bool(form.get("sensitive")),
                              "neutral_title": clean(form.get("neutral_title")),
                              "neutral_title_en": clean(form.get("neutral_title_en"))}
    if urgent:
        values["urgent"] = bool(form.get("urgent"))
        values["urgent_order"] = clean(form.get("urgent_order"))
    return values


def validate_flags(values: dict[str, Any], errors: Errors, *, urgent: bool, names: Iterable[str] = ()) -> None:
    """A neutral title is required when the record is sensitive, fits a slip's heading (one
    line, at most NEUTRAL_MAX characters) and does not repeat the name it hides."""
    if urgent:
        validate_int(values, "urgent_order", errors, 1, URGENT_MAX)
        if values.get("urgent_order") and not values.get("urgent") and "urgent_order" not in errors:
            errors["urgent_order"] = "Tick “urgent line” too, or leave the place empty."
    hidden = {n.strip().casefold() for n in names if n and n.strip()}
    for key in ("neutral_title", "neutral_title_en"):
        value = values.get(key) or ""
        if not value:
            continue
        problem = text_problem(value)
        if problem is None and value.casefold() in hidden:
            problem = "The neutral title must not be the name it hides."
        if problem is None and len(value) > NEUTRAL_MAX:
            problem = ("Too long (at most {n} characters).", {"n": NEUTRAL_MAX})
        if problem:
            errors[key] = problem
    if values.get("sensitive") and not values.get("neutral_title") and "neutral_title" not in errors:
        errors["neutral_title"] = "Required when it is marked sensitive: the title a visitor can safely carry."


def flags_into_doc(doc: dict[str, Any], values: dict[str, Any], *, urgent: bool) -> None:
    if urgent:
        if values.get("urgent"):
            doc["x_urgent"] = int(values["urgent_order"]) if values.get("urgent_order") else True
        else:
            doc.pop("x_urgent", None)
    if values.get("sensitive"):
        doc["x_sensitive"] = True
    else:
        doc.pop("x_sensitive", None)
    if values.get("neutral_title"):
        doc["x_neutral_title"] = values["neutral_title"]
    else:
        doc.pop("x_neutral_title", None)
    set_en(doc, "x_neutral_title", values.get("neutral_title_en"))

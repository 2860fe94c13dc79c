"""The category form."""
from __future__ import annotations

import copy
from typing import Any

from starlette.datastructures import FormData

from sync.feed import verify as verifymod
from sync.server.catalogue import new_id
from sync.server.forms.discretion import flags_from_post, flags_into_doc, flags_to_form, validate_flags
from sync.server.forms.fields import (
    CODE_RE,
    Errors,
    Text,
    clean,
    put,
    texts_from_post,
    texts_into_doc,
    texts_to_form,
    validate_int,
    validate_texts,
)

CATEGORY_TEXTS = (
    Text("name", "Name", required=True),
    Text("description", "Description", required=True, long=True),
)


def category_to_form(doc: dict[str, Any]) -> dict[str, Any]:
    values = texts_to_form(doc, CATEGORY_TEXTS)
    values.update({"code": doc.get("code") or "", "parent_id": doc.get("parent_id") or "",
                   "icon": doc.get("x_icon") or "",
                   "order": str(doc["x_order"]) if doc.get("x_order") is not None else ""})
    values.update(flags_to_form(doc, urgent=False))
    return values


def category_from_post(form: FormData) -> dict[str, Any]:
    values = texts_from_post(form, CATEGORY_TEXTS)
    for key in ("code", "parent_id", "icon", "order"):
        values[key] = clean(form.get(key))
    values.update(flags_from_post(form, urgent=False))
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
    validate_flags(values, errors, urgent=False, names=(values.get("name") or "", values.get("name_en") or ""))
    return errors


def category_from_form(values: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    doc = copy.deepcopy(old) if old else {"id": new_id()}
    texts_into_doc(doc, values, CATEGORY_TEXTS)
    doc["code"] = values["code"]
    put(doc, "parent_id", values.get("parent_id"))
    put(doc, "x_icon", values.get("icon"))
    doc["x_order"] = int(values["order"]) if values.get("order") else 0
    flags_into_doc(doc, values, urgent=False)
    return doc

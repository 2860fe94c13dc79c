"""Visitors in danger (issue 14) on the server: the catalogue fields that mark a line as urgent
and a service or category as sensitive, what the server stores of them, and the checks an
import goes through.

The fields travel in the feed and in every export as HSDS extensions (the kiosk reads them in
``kiosk/catalogue/build.py``):

* ``x_urgent`` (service): its place on the kiosk's "Urgent help" screen, a whole number from 1
  (first) to :data:`URGENT_MAX`; ``true`` is an urgent line without a place (it comes last);
* ``x_sensitive`` (service or taxonomy term): ``true`` when a visitor may be at risk if someone
  sees what she took home; a service is sensitive too when one of its categories or their
  parents is;
* ``x_neutral_title`` (service or taxonomy term, translated in ``x_translations``): the title a
  saved contact, a slip and the "open on phone" page carry instead of the service's and the
  provider's names (e.g. "Këshillim" / "Counselling").
"""
from __future__ import annotations

from typing import Any, Iterable

from sync.feed import document as feedmod
from sync.feed import verify as verifymod

TR = feedmod.TRANSLATIONS_KEY
URGENT_MAX = 999
NEUTRAL_MAX = 60


def urgent_order(value: Any) -> int | None:
    """The stored order of ``x_urgent`` (the kiosk's rule: ``true`` sorts last, as 999)."""
    if value is True:
        return URGENT_MAX
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= URGENT_MAX:
        return value
    return None


def neutral_title(obj: dict[str, Any] | None, lang: str) -> str:
    """``x_neutral_title`` in ``lang``, falling back to the Albanian one."""
    obj = obj or {}
    if lang != "sq":
        value = ((obj.get(TR) or {}).get(lang) or {}).get("x_neutral_title")
        if isinstance(value, str) and value.strip():
            return value.strip()
    value = obj.get("x_neutral_title")
    return value.strip() if isinstance(value, str) else ""


def discretion(svc: dict[str, Any], terms: dict[str, dict[str, Any]], lang: str) -> tuple[bool, str]:
    """Whether a fully nested service is sensitive (itself, one of its categories or a parent of
    one), and the neutral title in ``lang`` (its own first, then its categories'). The same rule
    as the kiosk's ``kiosk.catalogue.queries.discretion``."""
    sensitive = svc.get("x_sensitive") is True
    title = neutral_title(svc, lang) if sensitive else ""
    for attr in svc.get("attributes") or []:
        term = terms.get(attr.get("taxonomy_term_id") or "") or attr.get("taxonomy_term") or {}
        seen: set[str] = set()
        while term and term.get("id") not in seen:
            seen.add(term.get("id"))
            if term.get("x_sensitive") is True:
                sensitive = True
                title = title or neutral_title(term, lang)
            term = terms.get(term.get("parent_id") or "") or {}
    return sensitive, title


# ------------------------------------------------------------------------------- imports

#: (record, field, English message id, its parameters): what an import mended; the import page
#: lists them beside the other warnings.
Mended = tuple[str, str, str, dict[str, Any]]


def _where(doc: dict[str, Any]) -> str:
    name = doc.get("name") if isinstance(doc.get("name"), str) else ""
    return " ".join(x for x in (str(doc.get("id") or ""), f"«{name[:80]}»" if name else "") if x)


def _clean_title(doc: dict[str, Any], holder: dict[str, Any], key: str, label: str, out: list[Mended]) -> None:
    value = holder.get(key)
    if value is None:
        return
    if not isinstance(value, str) or verifymod.BAD_CHARS.search(value) or "\n" in value:
        holder.pop(key)
        out.append((_where(doc), label, "Not a one-line text: the neutral title was dropped.", {}))
    elif not value.strip():
        holder.pop(key)
    elif len(value.strip()) > NEUTRAL_MAX:
        out.append((_where(doc), label, "A neutral title longer than {n} characters: the kiosks cut it.",
                    {"n": NEUTRAL_MAX}))


def clean_flags(doc: dict[str, Any], *, service: bool) -> list[Mended]:
    """Mend an imported service or category's flags in place: a flag of the wrong type is dropped
    (an imported field is hostile), and a sensitive record without a neutral title is noted."""
    out: list[Mended] = []
    if service and "x_urgent" in doc:
        value = doc["x_urgent"]
        if isinstance(value, str) and value.strip().isdigit():
            value = doc["x_urgent"] = int(value.strip())
        if value in (None, False):
            doc.pop("x_urgent")
        elif urgent_order(value) is None:
            doc.pop("x_urgent")
            out.append((_where(doc), "x_urgent",
                        "Not a place in the urgent list (a whole number from 1 to {n}): dropped.", {"n": URGENT_MAX}))
    if "x_sensitive" in doc:
        if doc["x_sensitive"] in (None, False):
            doc.pop("x_sensitive")
        elif doc["x_sensitive"] is not True:
            doc.pop("x_sensitive")
            out.append((_where(doc), "x_sensitive", "Not true or false: the sensitive mark was dropped.", {}))
    _clean_title(doc, doc, "x_neutral_title", "x_neutral_title", out)
    english = (doc.get(TR) or {}).get("en") if isinstance(doc.get(TR), dict) else None
    if isinstance(english, dict):
        _clean_title(doc, english, "x_neutral_title", "x_translations.en.x_neutral_title", out)
    if doc.get("x_sensitive") is True and not neutral_title(doc, "sq"):
        out.append((_where(doc), "x_neutral_title",
                    "Marked sensitive without a neutral title: the kiosks use a general one.", {}))
    return out


def clean_all(categories: Iterable[dict[str, Any]], services: Iterable[dict[str, Any]]) -> list[Mended]:
    out: list[Mended] = []
    for doc in categories:
        out += clean_flags(doc, service=False)
    for doc in services:
        out += clean_flags(doc, service=True)
    return out

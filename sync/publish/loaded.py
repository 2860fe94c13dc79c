"""What every source reader returns (:class:`LoadedSource`) and the helpers they share."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from sync.feed import document as feedmod
from sync.feed.findings import Findings

TR = feedmod.TRANSLATIONS_KEY
YES = frozenset({"1", "true", "yes", "po", "x"})   # "po" is Albanian for yes


def is_yes(value: object) -> bool:
    """A spreadsheet or CSV cell that means true."""
    return str(value).strip().lower() in YES


@dataclass
class LoadedSource:
    services: list[dict[str, Any]]
    taxonomy_terms: list[dict[str, Any]]
    taxonomy: dict[str, Any] | None = None
    publisher: dict[str, Any] | None = None
    languages: tuple[str, ...] = ("sq", "en")
    findings: Findings = field(default_factory=Findings)   # what reading fixed, dropped, converted


class SourceError(feedmod.FeedError):
    """A source that cannot be read; ``message_code`` (when given) words it in both languages."""

    def __init__(self, detail: str, message_code: str = "", **params: Any):
        super().__init__("bad_source", detail, message_code, **params)


def parents_first(terms: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Categories ordered so that each comes after its parent (then by x_order and name)."""
    by_id = {t["id"]: t for t in terms}

    def depth(t: dict[str, Any]) -> int:
        d = 0
        while t.get("parent_id") in by_id and d < 32:
            t, d = by_id[t["parent_id"]], d + 1
        return d

    return sorted(terms, key=lambda t: (depth(t), t.get("x_order") or 0, t.get("name") or ""))


def terms_from_services(services: Iterable[dict[str, Any]],
                        known: Iterable[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """The ``known`` categories plus those only the services' attributes carry, parents first."""
    terms = {t["id"]: t for t in known}
    for service in services:
        for attr in service.get("attributes") or []:
            term = attr.get("taxonomy_term")
            if isinstance(term, dict) and term.get("id") and term["id"] not in terms:
                terms[term["id"]] = term
    return parents_first(list(terms.values()))

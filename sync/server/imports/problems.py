"""What an import reports: every problem with its sheet (or file), row and column."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sync.feed.findings import MESSAGES, Finding

MAX_UPLOAD = 50 * 1024 * 1024
MAX_ROWS = 50_000
#: At most this many values in a JSON import (counted before it is parsed, see
#: sync.publish.sources.json_values). Parsing makes each value a Python object, and 49 MiB of
#: ``[[],[],...]`` took the server to 1.57 GB. The biggest bench feed an upload may be
#: (bench-results/feeds, 10,000 services: 44 MiB, 1.58 million values, 213 MB parsed) is 166
#: times Elbasan's catalogue and passes; the worst file this lets through parses to about the same
#: 210 MB (2 million ``[0]`` lists), whatever its shape.
MAX_JSON_VALUES = 2_000_000
#: At most this many errors or warnings of the feed checks are listed on the import page.
MAX_LISTED = 1000


@dataclass
class Problem:
    """One thing wrong with an import: where (sheet or file, row, column) and what (an English
    message id and its parameters)."""

    sheet: str
    row: int | None
    column: str | None
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column,
                "message": self.message.format(**self.params) if self.params else self.message}


def problem(message: str, **params: Any) -> Problem:
    """A problem of the whole file."""
    return Problem("", None, None, message, params)


def from_refusal(sheet: str, exc: Exception, fallback: str) -> Problem:
    """A feed error (:class:`sync.feed.document.FeedError`) as a line of the import page: in the
    staff's language when it has a message code (``feed_too_deep``, ``feed_not_json``...), else
    ``fallback`` ("... {detail}") with its English detail."""
    code = getattr(exc, "message_code", "")
    if code in MESSAGES:
        return Problem(sheet, None, None, MESSAGES[code][0], dict(getattr(exc, "params", {}) or {}))
    return Problem(sheet, None, None, fallback, {"detail": str(getattr(exc, "detail", "") or exc)[:300]})


def from_finding(finding: Finding) -> Problem:
    """An error or a warning of the feed checks (sync.feed.findings) as a line of the import page:
    the record (id and name) in the first column, the field, the message (translated there)."""
    record = finding.record
    where = " ".join(x for x in (record.id, f"«{record.name}»" if record.name else "") if x)
    return Problem(where, None, finding.field or None, MESSAGES[finding.code][0], dict(finding.params))


@dataclass
class ImportOutcome:
    kind: str
    problems: list[Problem]
    report: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    applied: bool = False
    warnings: list[Problem] = field(default_factory=list)   # what was mended or dropped (issue 15)

    @property
    def ok(self) -> bool:
        return not self.problems


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
        self.warnings = warnings or []

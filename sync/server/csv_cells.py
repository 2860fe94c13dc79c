"""CSV cells that a spreadsheet program would run as a formula, and back.

OWASP's rule for CSV injection: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading ``'``, so Excel or LibreOffice show it as text. A cell that
already starts with ``'`` before one of those gets one more, which makes the change reversible:
the import takes exactly one ``'`` off, so an exported datapackage imports to the same catalogue.
Plain numbers (``-19.5``) are no formula and stay as they are.
"""
from __future__ import annotations

import csv
import os
import re
from pathlib import Path
from typing import Callable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")


def _escaped_formula(value: str) -> bool:
    return value.lstrip("'").startswith(TRIGGERS) and not NUMBER.match(value.lstrip("'"))


def neutralise(value: str) -> str:
    return "'" + value if _escaped_formula(value) else value


def restore(value: str) -> str:
    return value[1:] if value.startswith("'") and _escaped_formula(value) else value


def rewrite(path: Path, cell: Callable[[str], str]) -> None:
    """Apply ``cell`` to every cell of the CSV file at ``path`` (UTF-8), streaming."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with path.open(newline="", encoding="utf-8-sig") as src, tmp.open("w", newline="", encoding="utf-8") as dst:
            writer = csv.writer(dst)
            for row in csv.reader(src):
                writer.writerow([cell(value) for value in row])
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)

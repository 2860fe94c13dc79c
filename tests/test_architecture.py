"""The arrows between the parts (see ARCHITECTURE.md), read from every module's imports with ``ast``.

    kiosk/app.py, kiosk/cli.py   (the wiring point and the command)
        -> kiosk/ui               (Kivy: screens, widgets)
        -> kiosk                  (reads, operations, updates, pin, handoff, config, ...)
        -> kiosk/catalogue        (SQLAlchemy, the derived SQLite index)
        -> sync/feed              (the contract both ends import)

Imports inside functions count as much as those at the top. A failure names each module, the
line, the forbidden import and the rule it breaks.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Callable, Iterator, Optional

ROOT = Path(__file__).resolve().parents[1]
ENTRY = {"kiosk.app", "kiosk.cli", "main"}
SHARED = ("kiosk.paths", "kiosk.__version__")   # the folders and the version: read from every layer


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(source: str, module: str, is_package: bool = False) -> Iterator[tuple[int, str]]:
    """(line, imported module) for every import in ``source``, relative ones resolved."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            yield node.lineno, base
            for alias in node.names:     # "from kiosk import memory" imports kiosk.memory
                yield node.lineno, f"{base}.{alias.name}"


def within(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def _kivy(src: str, target: str) -> Optional[str]:
    if within(target, "kivy") and not (within(src, "kiosk.ui") or src == "kiosk.app"):
        return "nothing outside kiosk/ui imports Kivy (kiosk/app.py, the one wiring point, may)"
    return None


def _sync_side(src: str, target: str) -> Optional[str]:
    if within(src, "sync") and within(target, "kiosk"):
        return "sync never imports kiosk"
    if within(src, "sync.feed") and within(target, "sync.client", "sync.publish", "sync.server"):
        return "sync/feed (the contract) imports no other sync package"
    if within(src, "sync.client") and within(target, "sync.server", "sync.publish"):
        return "sync/client (the kiosk's side of the wire) never imports sync/server or sync/publish"
    if within(src, "sync.server") and within(target, "sync.client"):
        return "sync/server never imports sync/client"
    return None


def _kiosk_layers(src: str, target: str) -> Optional[str]:
    if not within(src, "kiosk") or src in ENTRY:
        return None
    if within(target, *ENTRY):
        return "only the command (kiosk/cli.py) imports the wiring point kiosk/app.py"
    if within(src, "kiosk.ui"):
        return None
    if within(target, "kiosk.ui"):
        return "below the UI nothing imports kiosk/ui"
    if within(target, "sync.publish", "sync.server"):
        return "the kiosk runs the client side of the wire only (sync/feed, sync/client)"
    if within(src, "kiosk.catalogue"):
        if within(target, "kiosk") and not within(target, "kiosk.catalogue", *SHARED) and target != "kiosk":
            return "kiosk/catalogue imports only itself (and sync/feed)"
        if within(target, "sync") and not within(target, "sync.feed"):
            return "kiosk/catalogue imports only sync/feed of sync"
    elif within(target, "sqlalchemy"):
        return "no ORM queries outside kiosk/catalogue (the screens read through kiosk/reads.py)"
    return None


def _one_of_each(src: str, target: str) -> Optional[str]:
    if within(src, "kiosk") and target == "gc" and src != "kiosk.memory":
        return "kiosk/memory.py is the one place that owns the garbage collector's policy"
    return None


RULES: list[Callable[[str, str], Optional[str]]] = [_kivy, _sync_side, _kiosk_layers, _one_of_each]


def violations(source: str, module: str, where: str, is_package: bool = False) -> list[str]:
    found: dict[tuple[int, str], str] = {}
    for line, target in imports(source, module, is_package):
        for rule in RULES:
            reason = rule(module, target)
            if reason is not None and (line, reason) not in found:   # once per import statement
                found[(line, reason)] = f"{where}:{line}: {module} imports {target}: {reason}"
    return list(found.values())


def project_modules() -> Iterator[Path]:
    yield ROOT / "main.py"
    for package in ("kiosk", "sync"):
        yield from sorted((ROOT / package).rglob("*.py"))


def test_every_module_follows_the_arrows():
    found = []
    for path in project_modules():
        found += violations(path.read_text(encoding="utf-8"), module_name(path),
                            str(path.relative_to(ROOT)), path.name == "__init__.py")
    assert not found, "imports against the arrows (see ARCHITECTURE.md):\n" + "\n".join(found)


def test_the_checker_names_module_line_import_and_rule():
    """The rules catch what they are meant to (a check that can never fail proves nothing)."""
    cases = {
        ("kiosk.reads", "import os\nfrom kivy.clock import Clock\n"):
            "kiosk/reads.py:2: kiosk.reads imports kivy.clock: nothing outside kiosk/ui imports Kivy",
        ("kiosk.handoff.printer", "def f():\n    from kiosk.ui.threads import on_main\n"):
            "kiosk.handoff.printer imports kiosk.ui.threads: below the UI nothing imports kiosk/ui",
        ("kiosk.ui.screenshots", "from kiosk.app import create_app\n"):
            "only the command (kiosk/cli.py) imports the wiring point",
        ("kiosk.ui.scanning", "from kiosk import app\n"):
            "kiosk.ui.scanning imports kiosk.app: only the command",
        ("kiosk.catalogue.store", "from kiosk.reads import Reads\n"):
            "kiosk/catalogue imports only itself",
        ("kiosk.handoff.scanner", "from sqlalchemy import select\n"): "no ORM queries outside kiosk/catalogue",
        ("kiosk.reads", "import gc\n"): "kiosk/memory.py is the one place",
        ("sync.feed.verify", "from ..client import client\n"): "sync.feed.verify imports sync.client",
        ("sync.client.client", "from sync.publish.build import normalize\n"): "sync/client (the kiosk's side",
        ("sync.server.app", "import sync.client.client\n"): "sync/server never imports sync/client",
        ("sync.publish.cli", "from kiosk.config import Config\n"): "sync never imports kiosk",
        ("kiosk.updates", "from sync.server import app\n"): "the kiosk runs the client side of the wire only",
    }
    for (module, source), expected in cases.items():
        where = module.replace(".", "/") + ".py"
        found = violations(source, module, where)
        assert len(found) == 1 and expected in found[0], (module, found)
    allowed = {
        "kiosk.app": "from kivy.clock import Clock\nfrom kiosk.ui.application import KioskApp\n",
        "kiosk.ui.staff": "from kivy.clock import Clock\nfrom kiosk.operations import Operations\n",
        "kiosk.reads": "from kiosk.catalogue import queries\nfrom kiosk import memory\n",
        "kiosk.catalogue.store": "from kiosk.paths import SAMPLE_FEED\nfrom sync.feed.files import write_atomic\n",
        "kiosk.memory": "import gc\n",
        "kiosk.cli": "from kiosk.app import run\nfrom kiosk.ui.screenshots import render_all\n",
    }
    for module, source in allowed.items():
        assert violations(source, module, module) == [], module


def test_relative_imports_are_resolved():
    assert list(imports("from . import files\n", "sync.feed.verify")) == [(1, "sync.feed"),
                                                                          (1, "sync.feed.files")]
    assert list(imports("from ..client import client\n", "sync.feed", is_package=True)) == [
        (1, "sync.client"), (1, "sync.client.client")]

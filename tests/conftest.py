"""Shared fixtures: a catalogue built from the hand-made test feed, in a temporary directory."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("KIVY_NO_ARGS", "1")

from factories import make_feed  # noqa: E402

from kiosk.catalogue.store import Catalogue  # noqa: E402

from factories import HSDS_SERVICE_SCHEMA  # noqa: E402


@pytest.fixture
def catalogue(tmp_path: Path) -> Catalogue:
    cat = Catalogue(tmp_path / "catalogue.sqlite3")
    cat.create_schema()
    cat.load(make_feed(), source="test")
    yield cat
    cat.dispose()


@pytest.fixture
def session(catalogue):
    with catalogue.session() as s:
        yield s


@pytest.fixture(scope="session")
def hsds_validator():
    import json

    import jsonschema

    schema = json.loads(HSDS_SERVICE_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())

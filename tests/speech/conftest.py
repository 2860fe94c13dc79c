"""Fixtures of the speech tests: the bundled sample catalogue in a temporary database, at a
fixed moment, and the espeak-ng that the tests need for real."""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.catalogue.hours import TZ
from kiosk.catalogue.store import Catalogue
from kiosk.paths import SAMPLE_FEED
from sync.feed import document as feedmod

#: A Tuesday morning in Elbasan: most sample services are open, some open later.
NOW = datetime(2026, 11, 3, 10, 0, tzinfo=TZ)
HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    cat = Catalogue(tmp_path_factory.mktemp("speech") / "catalogue.sqlite3")
    cat.create_schema()
    raw = SAMPLE_FEED.read_bytes()
    cat.load(feedmod.loads(raw), raw=raw, source="sample")
    yield cat
    cat.dispose()


@pytest.fixture
def sample_session(sample):
    with sample.session() as session:
        yield session


@pytest.fixture(scope="session")
def espeak():
    """espeak-ng must be installed for these tests (Debian package espeak-ng)."""
    path = shutil.which("espeak-ng")
    assert path, "espeak-ng is not installed: apt-get install espeak-ng"
    return path


@pytest.fixture
def paced_sink(tmp_path):
    """A player command that takes audio at a sound card's pace (22 050 samples a second) and
    counts the bytes it took, for machines without a sound card (CI)."""
    import sys

    counter = tmp_path / "played"
    return [sys.executable, str(HERE / "paced_sink.py"), "{rate}", str(counter)], counter

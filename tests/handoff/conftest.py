"""Fixtures of the hand-off tests: hand-made service details and a fixed moment."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from handofflib import NOW, make_detail  # noqa: E402


@pytest.fixture
def detail():
    return make_detail()


@pytest.fixture
def now():
    return NOW

"""Fixtures of the feedback tests: a settable clock and a store in a temporary data dir."""
from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kiosk.feedback.store import FeedbackStore  # noqa: E402
from kiosk.feedback.visits import Visits  # noqa: E402


class Clock:
    """Wall time (UTC, aware) and a monotonic clock that move only when told."""

    def __init__(self, start: datetime):
        self.now = start
        self.mono = 1000.0

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def advance(self, **delta: float) -> None:
        step = timedelta(**delta)
        self.now += step
        self.mono += step.total_seconds()


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 8, 5, tzinfo=timezone.utc))  # a Monday, 09:05 in Elbasan


@pytest.fixture
def make_store(tmp_path, clock):
    stores = []

    def make(**kwargs) -> FeedbackStore:
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("visits", Visits(clock=clock.monotonic))
        store = FeedbackStore.in_dir(tmp_path / "data", **kwargs)
        stores.append(store)
        return store

    yield make
    for store in stores:
        try:
            store.close()
        except Exception:  # noqa: BLE001 - already closed by the test
            pass

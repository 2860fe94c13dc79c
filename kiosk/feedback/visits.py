"""The visit in progress and the day's search candidates: in memory only, never on disk, never sent.

A visit is a random token and a start time; when it ends only its length bucket is counted. A
search that found nothing is remembered as a keyed hash of the normalised term and the set of
keyed hashes of the visits that typed it (the key is a random secret of the day, so the memory of
a running kiosk does not hold a single sub-threshold term in clear). A term becomes an unmet search
once :data:`VISITS_NEEDED` separate visits typed it that day; only then is its text handed on, to
be counted in the current hour. A sensitive subject (a shelter's page) is remembered the same way:
a keyed hash of its key and the keyed hashes of the visits that opened it, so that it is counted
under its own key only once :data:`SENSITIVE_VISITS_NEEDED` separate visits of the day opened it.
When the day is over (at the next flush or search) every hash, the key and every visit set are
forgotten.
"""
from __future__ import annotations

import hashlib
import secrets
import threading
import time
from datetime import date
from typing import Callable

from sync.feed.telemetry import SENSITIVE_VISITS_NEEDED, normalise_term

VISITS_NEEDED = 3
MAX_CANDIDATES = 5000          # distinct unmet terms remembered per day; more are not remembered
VISIT_BUCKETS = ((60, "visit:<1m"), (180, "visit:1-3m"), (600, "visit:3-10m"))
LONGEST_BUCKET = "visit:>10m"


def length_bucket(seconds: float) -> str:
    """The count key for a visit that lasted ``seconds``."""
    for limit, key in VISIT_BUCKETS:
        if seconds < limit:
            return key
    return LONGEST_BUCKET


class Visits:
    """Thread-safe; every method is memory only and quick (fit for the UI thread)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, needed: int = VISITS_NEEDED):
        self._clock = clock
        self._needed = needed
        self._lock = threading.Lock()
        self._token: bytes | None = None
        self._started = 0.0
        self._day: date | None = None
        self._key = b""
        self._seen: dict[bytes, set[bytes]] = {}
        self._subjects: dict[bytes, set[bytes]] = {}

    @property
    def active(self) -> bool:
        return self._token is not None

    def start(self) -> None:
        """A visitor touched the screen; nothing happens if a visit is already going on."""
        with self._lock:
            if self._token is None:
                self._token = secrets.token_bytes(16)
                self._started = self._clock()

    def end(self, trailing_idle: float = 0.0) -> str | None:
        """The visit ended (idle reset or home button): its length bucket, or None if none ran.

        ``trailing_idle`` is the untouched time before an idle reset, which is not part of the visit.
        """
        with self._lock:
            if self._token is None:
                return None
            length = max(0.0, self._clock() - self._started - max(0.0, trailing_idle))
            self._token = None
            return length_bucket(length)

    def roll(self, day: date) -> None:
        """On a new day, forget the day's key and every hash made with it."""
        with self._lock:
            if day != self._day:
                self._day, self._key, self._seen, self._subjects = day, secrets.token_bytes(32), {}, {}

    def _hashes(self, text: str) -> tuple[bytes, bytes]:
        """The keyed hashes of ``text`` and of the visit in progress (call with the lock held)."""
        return (hashlib.blake2b(text.encode("utf-8"), key=self._key, digest_size=16).digest(),
                hashlib.blake2b(self._token or b"", key=self._key, digest_size=16).digest())

    def sensitive(self, key: str, day: date,
                  needed: int = SENSITIVE_VISITS_NEEDED) -> tuple[bool, int]:
        """A sensitive subject's key was counted: ``(first time this visit, n to count under the key)``.

        ``n`` is ``needed`` when this visit is the ``needed``-th separate visit of ``day`` (the
        earlier ones are counted now, never before), 1 for each later visit, else 0. The same
        visit again is ``(False, 0)``.
        """
        self.roll(day)
        with self._lock:
            name, visit = self._hashes(key)
            visits = self._subjects.get(name)
            if visits is None:
                if len(self._subjects) >= MAX_CANDIDATES:
                    return True, 0
                visits = self._subjects[name] = set()
            if visit in visits:
                return False, 0
            visits.add(visit)
            if len(visits) < needed:
                return True, 0
            return True, (needed if len(visits) == needed else 1)

    def unmet(self, term: str, day: date) -> tuple[str, int] | None:
        """A search that found nothing: ``(term, n)`` to add to the current hour, or None.

        ``n`` is :data:`VISITS_NEEDED` when this visit makes the term qualify (the earlier visits
        are counted now, never before), 1 for each later visit, and None for the same visit again.
        """
        kept = normalise_term(term)
        if kept is None:
            return None
        self.start()
        self.roll(day)
        with self._lock:
            name, visit = self._hashes(kept)
            visits = self._seen.get(name)
            if visits is None:
                if len(self._seen) >= MAX_CANDIDATES:
                    return None
                visits = self._seen[name] = set()
            if visit in visits:
                return None
            visits.add(visit)
            if len(visits) < self._needed:
                return None
            return kept, (self._needed if len(visits) == self._needed else 1)

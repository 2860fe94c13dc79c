"""A busy kiosk, simulated: visits with a realistic spread of events, hour after hour, day after day.

Every count the simulated visitor makes is also added to ``expected``, so a test can check that
what finally reaches the server is exactly what was counted (nothing lost, nothing twice).
"""
from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass, field

from kiosk.feedback.store import FeedbackStore
from kiosk.feedback.visits import length_bucket

CATEGORIES = [f"category:{name}" for name in (
    "ndihme-ekonomike", "aftesi-e-kufizuar", "femije", "dhune-ne-familje", "punesim", "strehim",
    "ndihme-ligjore", "te-moshuar", "te-rinj", "gra", "shendet", "arsim")]
COMMON_TERMS = ["strehim emergjence", "bono ushqimi", "pension 2026", "karta e moshuarit"]
FAMILIES = ["category", "service", "organization", "search", "qr", "slip", "lang", "access"]
WEIGHTS = [8, 14, 5, 3, 3, 2, 2, 3]


@dataclass
class Simulation:
    store: FeedbackStore
    clock: object                       # tests/feedback/conftest.Clock
    seed: int = 16
    services: int = 400
    organizations: int = 150
    expected: Counter = field(default_factory=Counter)
    unique_terms: list[str] = field(default_factory=list)
    visits: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        ids = [str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
               for _ in range(self.services + self.organizations)]
        self.service_keys = [f"service:{i}" for i in ids[:self.services]]
        self.org_keys = [f"organization:{i}" for i in ids[self.services:]]

    def _event_key(self) -> str:
        rng = self.rng
        family = rng.choices(FAMILIES, WEIGHTS)[0]
        if family == "category":
            return rng.choice(CATEGORIES)
        if family == "service":  # a few services are looked at far more than the rest
            return self.service_keys[min(int(rng.paretovariate(1.2)) - 1, self.services - 1)
                                     if rng.random() < 0.6 else rng.randrange(self.services)]
        if family == "organization":
            return rng.choice(self.org_keys)
        if family == "search":
            return "search"
        if family == "qr":
            return "qr:" + rng.choice(["service", "phone", "map", "contact"])
        if family == "slip":
            return rng.choice(["slip:ok"] * 9 + ["slip:failed"])
        if family == "lang":
            return rng.choice(["lang:sq", "lang:en"])
        return rng.choice(["text:large", "contrast:high", "speech:on"])

    def visit(self, events: int = 40) -> None:
        store, rng = self.store, self.rng
        store.visit_started()
        for _ in range(events - 1):
            key = self._event_key()
            store.count(key)
            self.expected[key] += 1
        if rng.random() < 0.2:   # a term nobody else types: must never leave the kiosk
            term = "zz " + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=10))
            self.unique_terms.append(term)
        else:
            term = rng.choice(COMMON_TERMS)
        store.unmet_search(term)
        self.expected["search:none"] += 1
        length = rng.uniform(20, 900)
        self.clock.mono += length
        store.visit_ended()
        self.expected["visit"] += 1
        self.expected[length_bucket(length)] += 1
        self.visits += 1

    def day(self, visits: int = 300, open_hours: int = 10) -> None:
        """One day: the kiosk's clock is at opening time; it ends at the next opening time."""
        start = self.clock.now
        per_hour = visits // open_hours
        for _hour in range(open_hours):
            for _ in range(per_hour):
                self.visit()
            self.clock.advance(hours=1)
            self.store.flush()
        self.clock.now = start
        self.clock.advance(days=1)

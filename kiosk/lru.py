"""The one small least-recently-used cache: rendered QR codes, decoded pictures, QR textures. No Kivy."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, Optional, TypeVar

V = TypeVar("V")


class Lru(Generic[V]):
    """At most ``maxsize`` values, the least recently used dropped first; safe on any thread."""

    def __init__(self, maxsize: int = 64):
        self.maxsize = maxsize
        self._lock = threading.Lock()
        self._items: "OrderedDict[Hashable, V]" = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> Optional[V]:
        """The value kept for ``key`` (now the most recently used), or None."""
        with self._lock:
            if key not in self._items:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return self._items[key]

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept for ``key``, else ``make()`` kept. ``make`` runs outside the lock: two
        threads may make the same value once each."""
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._items

    def __getitem__(self, key: Hashable) -> V:
        with self._lock:
            return self._items[key]

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

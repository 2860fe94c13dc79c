"""The read facade: the catalogue as the screens see it. No Kivy here.

Screens ask :class:`Reads` for plain, already-translated data (the dataclasses of
:mod:`kiosk.catalogue.cards`); every call opens its own session (one per unit of work) so a call
may run on any thread, and :meth:`Reads.submit` runs it on a worker thread (the UI brings the
result back to the main thread with :func:`kiosk.ui.threads.on_main`). What only depends on the
catalogue is kept in a small cache until another catalogue is loaded; opening status is judged at
each call. Downloaded icons and logos, the sync's status and the scanner's lookups come through
here too, so that no screen reads the catalogue or the sync any other way.
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Optional

from kiosk import images
from kiosk.catalogue import cards
from kiosk.catalogue import codes
from kiosk.catalogue import queries as q
from kiosk.catalogue.store import Catalogue, CatalogueInfo

log = logging.getLogger(__name__)

Now = Callable[[], Optional[datetime]]


@dataclass(frozen=True)
class CategoryPage:
    """What the category screen shows: the category, its sub-categories and its services."""

    category: cards.CategoryCard
    parent: Optional[cards.CategoryCard]
    subcategories: tuple[cards.CategoryCard, ...]
    services: tuple[cards.ServiceRow, ...]
    total: int  # services in the category without the "open now" filter


class Reads:
    """The catalogue as the screens see it; safe to call from any thread.

    ``now`` returns the moment opening hours are judged at (None: the real current time); the
    screenshots and tests pass a fixed one. On a kiosk that syncs (see :mod:`kiosk.bootstrap`)
    ``asset_path`` finds downloaded icons and logos by their SHA-256 and ``sync_status`` returns
    the persisted :class:`~kiosk.freshness.SyncStatus`; on one that does not they are None.
    """

    def __init__(self, catalogue: Catalogue, now: Now | None = None, *, workers: int = 2,
                 asset_path: Optional[Callable[[str], Optional[Path]]] = None,
                 sync_status: Optional[Callable[[], Any]] = None):
        self.catalogue = catalogue
        self._now = now or (lambda: None)
        self.asset_path = asset_path
        self.sync_status = sync_status
        self.pictures = images.Pictures()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kiosk-io")
        # Warming runs on its own thread so it never queues ahead of what a visitor asked for.
        self._warm_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-warm")
        self._pending = 0
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._cache_token: Optional[str] = None
        self._cache_lock = threading.Lock()
        self._sensitive: Optional[tuple[str, frozenset[str]]] = None

    # ----------------------------------------------------------- queries (any thread)

    def now(self) -> Optional[datetime]:
        return self._now()

    def categories(self, lang: str, open_now: bool = False,
                   cached_only: bool = False) -> Optional[list[cards.CategoryCard]]:
        """The home screen's tiles. ``cached_only``: only if already at hand (else None)."""
        with self.catalogue.session() as session:
            if open_now:
                return None if cached_only else q.top_categories(session, lang, open_now=True, now=self.now())
            if cached_only:
                return self._peek(session, ("categories", lang))
            return self._cached(session, ("categories", lang), lambda: q.top_categories(session, lang))

    #: the most services a page may list and still be made on the UI thread from the cache
    READY_ROWS = 3000

    def category_page(self, term_id: str, lang: str, open_now: bool = False,
                      cached_only: bool = False) -> Optional[CategoryPage]:
        """A category's page at the current time. ``cached_only``: only if its catalogue part is
        already at hand and small enough to finish in a few milliseconds (else None)."""
        now = self.now()
        with self.catalogue.session() as session:
            key = ("category", term_id, lang)
            if cached_only:
                static = self._peek(session, key)
                if static is None or open_now or len(static[3]) > self.READY_ROWS:
                    return None
            else:
                static = self._cached(session, key, lambda: self._category_static(session, term_id, lang))
            if static is None:
                return None
            card, parent, subs, listing = static
            if open_now:
                subs = tuple(q.subcategories(session, term_id, lang, open_now=True, now=now))
            rows = q.rows_at(session, listing, now, open_now)
            return CategoryPage(card, parent, subs, tuple(rows), len(listing))

    @staticmethod
    def _category_static(session, term_id: str, lang: str):
        """What a category page shows that depends only on the catalogue (None: no such category)."""
        card = q.category(session, term_id, lang)
        if card is None:
            return None
        parent = q.category(session, card.parent_id, lang) if card.parent_id else None
        return (card, parent, tuple(q.subcategories(session, term_id, lang)),
                tuple(q.category_listing(session, term_id, lang)))

    # ----------------------------------------------------------- cache

    CACHE_ENTRIES = 96

    def _peek(self, session, key: tuple) -> Any:
        """The cached value of ``key`` for the loaded catalogue, or None."""
        token = q.catalogue_token(session)
        with self._cache_lock:
            return self._cache.get(key) if token == self._cache_token else None

    def _cached(self, session, key: tuple, make: Callable[[], Any]) -> Any:
        """``make()``, kept until another catalogue is loaded (its load id changes)."""
        token = q.catalogue_token(session)
        with self._cache_lock:
            if token != self._cache_token:
                self._cache.clear()
                self._cache_token = token
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = make()
        with self._cache_lock:
            if token == self._cache_token:
                self._cache[key] = value
                while len(self._cache) > self.CACHE_ENTRIES:
                    self._cache.popitem(last=False)
        return value

    def sensitive_subjects(self) -> frozenset[str]:
        """The ids of the loaded catalogue whose usage counts and reports must not place a visitor
        (sensitive categories, services and their providers: :func:`queries.sensitive_subjects`)."""
        with self.catalogue.session() as session:
            token = q.catalogue_token(session)
            known = self._sensitive
            if known is not None and known[0] == token:
                return known[1]
            ids = q.sensitive_subjects(session)
        self._sensitive = (token, ids)
        return ids

    def is_sensitive(self, subject_id: str) -> bool:
        """Whether ``subject_id`` is one of :meth:`sensitive_subjects` (the feedback store asks)."""
        return subject_id in self.sensitive_subjects()

    def warm(self, lang: str) -> Future:
        """Prepare the home screen and every top category in ``lang`` in the background, so the
        visitor's first touches find them ready."""
        def work() -> None:
            self.sensitive_subjects()
            cards = self.categories(lang)
            for card in cards:
                self.picture(card.icon_sha256)
            for card in cards:
                self.category_page(card.id, lang)
        future = self._warm_pool.submit(work)
        future.add_done_callback(self._done_warming)
        return future

    @staticmethod
    def _done_warming(future: Future) -> None:
        if not future.cancelled() and future.exception() is not None:
            log.warning("warming the catalogue cache failed", exc_info=future.exception())

    def service(self, service_id: str, lang: str) -> Optional[cards.ServiceDetail]:
        with self.catalogue.session() as session:
            return q.service_detail(session, service_id, lang, now=self.now())

    def service_page(self, service_id: str, lang: str, cached_only: bool = False
                     ) -> Optional[tuple[Optional[cards.ServiceDetail], list[tuple[str, ...]]]]:
        """A service and its provider's addresses, as the service screen shows them now.
        Kept for the minute (opening status changes by the minute) so a page prepared by
        :meth:`prefetch_services` opens at once; ``cached_only``: None unless prepared."""
        now = self.now()
        minute = (now or datetime.now()).replace(second=0, microsecond=0)
        key = ("service", service_id, lang, minute.isoformat())
        with self.catalogue.session() as session:
            if cached_only:
                return self._peek(session, key)

            def make():
                detail = q.service_detail(session, service_id, lang, now=now)
                addresses = q.organization_addresses(session, detail.organization.id) if detail else []
                return detail, addresses

            return self._cached(session, key, make)

    def prefetch_services(self, service_ids: list[str], lang: str) -> Future:
        """Prepare the pages of the services a visitor is looking at (the first rows of a list),
        in the background, so the one touched opens in the frame that answers the touch."""
        def work() -> None:
            for service_id in service_ids:
                self.service_page(service_id, lang)
        future = self._warm_pool.submit(work)
        future.add_done_callback(self._done_warming)
        return future

    def urgent_lines(self, lang: str) -> list[cards.UrgentLine]:
        """The lines staff marked ``x_urgent``, in their order, with whether each answers now."""
        with self.catalogue.session() as session:
            return q.urgent_lines(session, lang, now=self.now())

    def organization_addresses(self, org_id: str) -> list[tuple[str, ...]]:
        with self.catalogue.session() as session:
            return q.organization_addresses(session, org_id)

    def organization(self, org_id: str, lang: str) -> Optional[cards.OrganizationDetail]:
        with self.catalogue.session() as session:
            return q.organization_detail(session, org_id, lang, now=self.now())

    def search(self, text: str, lang: str, limit: int = 40) -> list[cards.SearchResult]:
        if not text.strip():
            return []
        with self.catalogue.session() as session:
            return q.search(session, text, lang, now=self.now(), limit=limit)

    def scanned_service(self, kind: str, value: str) -> Optional[str]:
        """The visible service a scan names (see :func:`kiosk.catalogue.codes.scanned_service`)."""
        with self.catalogue.session() as session:
            return codes.scanned_service(session, kind, value)

    def info(self) -> CatalogueInfo:
        return self.catalogue.info()

    def is_demo(self) -> bool:
        with self.catalogue.session() as session:
            return q.catalogue_is_demo(session)

    def picture(self, sha256: str) -> Optional[images.Picture]:
        """A downloaded icon or logo, checked and decoded; None: show the bundled icon instead."""
        if not sha256 or self.asset_path is None:
            return None
        try:
            return self.pictures.load(self.asset_path(sha256), sha256)
        except Exception:  # noqa: BLE001 - a picture must never break a screen
            log.exception("picture %s", sha256[:12])
            return None

    def information_date(self) -> Optional[datetime]:
        """When the information dates from, once the sync has not succeeded for
        ``stale_after_days`` (the home screen then says so); None when it is current or when
        this kiosk does not sync."""
        if self.sync_status is None:
            return None
        try:
            status = self.sync_status()
        except Exception:  # noqa: BLE001 - the home screen shows without the line then
            log.exception("sync status")
            return None
        return status.stale_since if getattr(status, "stale", False) else None

    # ----------------------------------------------------------- worker threads

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        """Run ``fn(*args, **kwargs)`` on a worker thread; the future's callbacks run there too."""
        with self._lock:
            self._pending += 1
        future = self._pool.submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future) -> None:
        with self._lock:
            self._pending -= 1
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            log.error("background task failed", exc_info=exc)

    @property
    def pending(self) -> int:
        """How many submitted calls have not finished yet."""
        with self._lock:
            return self._pending

    def close(self) -> None:
        self._warm_pool.shutdown(wait=True, cancel_futures=True)
        self._pool.shutdown(wait=True, cancel_futures=True)

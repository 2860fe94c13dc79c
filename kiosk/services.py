"""The service layer the kiosk's screens call. No Kivy here.

Screens ask :class:`KioskServices` for plain, already-translated data (the dataclasses of
:mod:`kiosk.catalogue.queries`); every call opens its own session (one per unit of work) so a call
may run on any thread, and :meth:`KioskServices.submit` runs it on a worker thread. The UI brings
the result back to the main thread itself.

:class:`Operations` is what the staff panel asks to act on the machine (sync now, print a test
slip); until the sync client and the printer exist it answers honestly that they are not
configured or not available. :class:`PinGuard` checks the staff PIN and keeps the lockout after
wrong PINs in a small JSON file, so restarting the kiosk does not reset it.
"""
from __future__ import annotations

import gc
import json
import logging
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Optional

from kiosk import images
from kiosk.catalogue import queries as q
from kiosk.catalogue.store import Catalogue, CatalogueInfo
from sync.feed.files import write_atomic

log = logging.getLogger(__name__)

Now = Callable[[], Optional[datetime]]


@dataclass(frozen=True)
class CategoryPage:
    """What the category screen shows: the category, its sub-categories and its services."""

    category: q.CategoryCard
    parent: Optional[q.CategoryCard]
    subcategories: tuple[q.CategoryCard, ...]
    services: tuple[q.ServiceRow, ...]
    total: int  # services in the category without the "open now" filter


class KioskServices:
    """The catalogue as the screens see it; safe to call from any thread.

    ``now`` returns the moment opening hours are judged at (None: the real current time); the
    screenshots and tests pass a fixed one. With a catalogue sync (:func:`kiosk.app.attach_sync`)
    ``asset_path`` finds downloaded icons and logos by their SHA-256 and ``sync_status`` returns
    the sync's :class:`~kiosk.sync_service.SyncStatus`; without one they stay None.
    """

    asset_path: Optional[Callable[[str], Optional[Path]]] = None
    sync_status: Optional[Callable[[], Any]] = None

    def __init__(self, catalogue: Catalogue, now: Now | None = None, workers: int = 2):
        self.catalogue = catalogue
        self._now = now or (lambda: None)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kiosk-io")
        # Warming runs on its own thread so it never queues ahead of what a visitor asked for.
        self._warm_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-warm")
        self._pending = 0
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._cache_token: Optional[str] = None
        self._cache_lock = threading.Lock()

    # ----------------------------------------------------------- queries (any thread)

    def now(self) -> Optional[datetime]:
        return self._now()

    def categories(self, lang: str, open_now: bool = False,
                   cached_only: bool = False) -> Optional[list[q.CategoryCard]]:
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

    def warm(self, lang: str) -> Future:
        """Prepare the home screen and every top category in ``lang`` in the background, so the
        visitor's first touches find them ready."""
        def work() -> None:
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

    def service(self, service_id: str, lang: str) -> Optional[q.ServiceDetail]:
        with self.catalogue.session() as session:
            return q.service_detail(session, service_id, lang, now=self.now())

    def service_page(self, service_id: str, lang: str, cached_only: bool = False
                     ) -> Optional[tuple[Optional[q.ServiceDetail], list[tuple[str, ...]]]]:
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
            gc.freeze()   # long-lived now: keep them out of the collections during the visit
        future = self._warm_pool.submit(work)
        future.add_done_callback(self._done_warming)
        return future

    def organization_addresses(self, org_id: str) -> list[tuple[str, ...]]:
        with self.catalogue.session() as session:
            return q.organization_addresses(session, org_id)

    def organization(self, org_id: str, lang: str) -> Optional[q.OrganizationDetail]:
        with self.catalogue.session() as session:
            return q.organization_detail(session, org_id, lang, now=self.now())

    def search(self, text: str, lang: str, limit: int = 40) -> list[q.SearchResult]:
        if not text.strip():
            return []
        with self.catalogue.session() as session:
            return q.search(session, text, lang, now=self.now(), limit=limit)

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
            return images.load_picture(self.asset_path(sha256), sha256)
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


# ------------------------------------------------------------------ machine operations


@dataclass(frozen=True)
class ActionResult:
    """The outcome of a staff action.

    ``code`` is one of ``ok``, ``not_configured``, ``unavailable``, ``failed``; the UI turns it
    into a sentence in the visitor's language. ``detail`` is technical text for staff (English,
    from the underlying error), may be empty.
    """

    ok: bool
    code: str
    detail: str = ""
    at: float = 0.0


class Operations:
    """What the staff panel can ask of this machine.

    Sync and printing arrive in later issues: ``sync_now`` and ``print_test_slip`` look for those
    modules and report ``not_configured`` (no feed URL, printer kind "none") or ``unavailable``
    (configured, but this version cannot do it yet). They never pretend to succeed.
    """

    def __init__(self, config: Any, clock: Callable[[], float] = time.time):
        self.config = config
        self._clock = clock
        self.last_sync: Optional[ActionResult] = None
        self.last_print: Optional[ActionResult] = None

    @property
    def sync_configured(self) -> bool:
        return bool(getattr(self.config.sync, "feed_url", None))

    @property
    def printer_configured(self) -> bool:
        return getattr(self.config.printer, "kind", "none") not in (None, "none")

    def sync_now(self) -> ActionResult:
        """Fetch, verify and apply the catalogue feed now (blocking: call it from a worker)."""
        if not self.sync_configured:
            result = ActionResult(False, "not_configured", at=self._clock())
        else:
            runner = _optional_attr("sync.client", "sync_now")
            if runner is None:
                result = ActionResult(False, "unavailable", "sync.client.sync_now not found",
                                      at=self._clock())
            else:
                try:
                    outcome = runner(self.config)
                    ok = bool(getattr(outcome, "ok", outcome))
                    result = ActionResult(ok, "ok" if ok else "failed", str(getattr(outcome, "detail", "")),
                                          at=self._clock())
                except Exception as exc:  # noqa: BLE001 - any failure is reported to staff
                    log.exception("sync failed")
                    result = ActionResult(False, "failed", f"{type(exc).__name__}: {exc}", at=self._clock())
        self.last_sync = result
        return result

    def print_test_slip(self) -> ActionResult:
        """Print a test slip (blocking: call it from a worker)."""
        if not self.printer_configured:
            result = ActionResult(False, "not_configured", at=self._clock())
        else:
            printer = _optional_attr("kiosk.handoff.printer", "print_test_slip")
            if printer is None:
                result = ActionResult(False, "unavailable", "kiosk.handoff.printer not found",
                                      at=self._clock())
            else:
                try:
                    printer(self.config)
                    result = ActionResult(True, "ok", at=self._clock())
                except Exception as exc:  # noqa: BLE001
                    log.exception("test slip failed")
                    result = ActionResult(False, "failed", f"{type(exc).__name__}: {exc}", at=self._clock())
        self.last_print = result
        return result

    def printer_state(self) -> str:
        """``not_configured``, ``unavailable`` (no printing code yet) or ``configured``."""
        if not self.printer_configured:
            return "not_configured"
        if _optional_attr("kiosk.handoff.printer", "print_test_slip") is None:
            return "unavailable"
        return "configured"


def _optional_attr(module: str, name: str) -> Optional[Callable[..., Any]]:
    import importlib

    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    attr = getattr(mod, name, None)
    return attr if callable(attr) else None


# ------------------------------------------------------------------ staff PIN


@dataclass(frozen=True)
class PinResult:
    ok: bool
    locked_for: float = 0.0      # seconds until the pad opens again (0: not locked)
    attempts_left: int = 0


class PinGuard:
    """Checks the staff PIN; after ``max_attempts`` wrong PINs the pad locks.

    Each lockout lasts twice the previous one (30 s, 60 s, 120 s ... at most ``max_delay``) until
    a right PIN is entered. The state lives in ``state_path`` (JSON, written atomically) and uses
    wall-clock time so that a restart does not reset it; a lock that claims to last longer than
    ``max_delay`` (the clock went back) is cut to ``max_delay``.
    """

    def __init__(self, pin_hash: Optional[str], state_path: Path, *,
                 now: Callable[[], float] = time.time, max_attempts: int = 5,
                 base_delay: float = 30.0, max_delay: float = 3600.0,
                 verify: Optional[Callable[[str, Optional[str]], bool]] = None):
        self.pin_hash = pin_hash
        self.state_path = Path(state_path)
        self._now = now
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._verify = verify
        self._lock = threading.Lock()
        self._state = self._read()

    @property
    def enabled(self) -> bool:
        return bool(self.pin_hash)

    def _read(self) -> dict[str, float]:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
            return {"failures": int(data.get("failures", 0)), "lockouts": int(data.get("lockouts", 0)),
                    "locked_until": float(data.get("locked_until", 0.0))}
        except FileNotFoundError:
            return {"failures": 0, "lockouts": 0, "locked_until": 0.0}
        except (OSError, ValueError, TypeError, AttributeError):
            # A damaged file must not open the pad: treat it as one lockout just begun.
            log.warning("PIN state %s unreadable; locking the pad", self.state_path)
            return {"failures": 0, "lockouts": 1, "locked_until": self._now() + self.base_delay}

    def _write(self) -> None:
        write_atomic(self.state_path, json.dumps(self._state).encode("utf-8"), mode=0o600)

    def locked_for(self) -> float:
        """Seconds until a PIN may be tried again; 0 when the pad is open."""
        with self._lock:
            return self._locked_for()

    def _locked_for(self) -> float:
        remaining = self._state["locked_until"] - self._now()
        if remaining <= 0:
            return 0.0
        return min(remaining, self.max_delay)

    @property
    def attempts_left(self) -> int:
        with self._lock:
            return self.max_attempts - int(self._state["failures"])

    def check(self, pin: str) -> PinResult:
        """Try ``pin`` (blocking, ~0.1 s of hashing: call it from a worker thread)."""
        with self._lock:
            wait = self._locked_for()
            if wait > 0:
                return PinResult(False, wait, 0)
            if self._state["locked_until"]:
                # A lock has run out: a fresh round of attempts, the lockout count stays.
                self._state["locked_until"] = 0.0
                self._state["failures"] = 0
            verify = self._verify
            if verify is None:
                from kiosk.config import verify_pin as verify
            if self.pin_hash and verify(pin, self.pin_hash):
                self._state = {"failures": 0, "lockouts": 0, "locked_until": 0.0}
                self._write()
                return PinResult(True, 0.0, self.max_attempts)
            self._state["failures"] += 1
            if self._state["failures"] >= self.max_attempts:
                delay = min(self.base_delay * (2 ** int(self._state["lockouts"])), self.max_delay)
                self._state["lockouts"] += 1
                self._state["failures"] = 0
                self._state["locked_until"] = self._now() + delay
                self._write()
                return PinResult(False, delay, 0)
            self._write()
            return PinResult(False, 0.0, self.max_attempts - int(self._state["failures"]))

"""The screens, each built when it is first needed: only the welcome screen before the first frame.

Building all nine screens (their modules, kv rules and widget trees) took most of the kiosk's
start-up. :class:`LazyScreens` is the app's screen manager: it knows every screen by name, but
makes one (imports its module, loads its kv files, creates the widget tree) only when it is asked
for it (``get_screen``, ``current = name``) or when :meth:`LazyScreens.build_next` is called.
The app builds the welcome screen at once and the others one per frame after the first frame
(see ``KioskApp._build_rest``), while the visitor looks at the welcome screen, except the staff
screen (:data:`ON_DEMAND`), built when the corner hold opens it. A touch that needs a screen not
yet built builds it at once, so nothing waits for the queue.
"""
from __future__ import annotations

import importlib
import logging
import time
from typing import Any, Callable, Optional

from kivy.uix.screenmanager import ScreenManager

from kiosk.ui.kv import load_kv

log = logging.getLogger(__name__)

#: name: (module, class, kv files its widgets need beyond the shared widgets.kv and speaking.kv)
SCREENS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "welcome": ("kiosk.ui.welcome", "WelcomeScreen", ("welcome.kv",)),
    "home": ("kiosk.ui.home", "HomeScreen", ("home.kv",)),
    "category": ("kiosk.ui.category", "CategoryScreen", ("category.kv",)),
    "service": ("kiosk.ui.service", "ServiceScreen", ("handoff.kv", "service.kv")),
    "organization": ("kiosk.ui.organization", "OrganizationScreen", ("handoff.kv", "organization.kv")),
    "search": ("kiosk.ui.search", "SearchScreen", ("keyboard.kv", "search.kv")),
    "staff": ("kiosk.ui.staff", "StaffScreen", ("staff.kv",)),
    "urgent": ("kiosk.ui.urgent", "UrgentScreen", ("handoff.kv", "urgent.kv")),
    "report": ("kiosk.ui.report", "ReportScreen", ("report.kv",)),
}
#: the order the screens are built in after the first frame: what a visitor reaches first, first
ORDER = ("welcome", "home", "category", "service", "search", "urgent", "organization", "report", "staff")
#: screens built only when asked for, never ahead: the staff screen, which a visitor never
#: reaches and staff open by holding a corner for seconds (70 widgets and its kv rules, kept
#: out of the memory of every kiosk that is not being serviced)
ON_DEMAND = ("staff",)


def make_screen(name: str):
    """A new screen ``name``, with its module imported and its kv rules loaded."""
    module_name, class_name, kv_files = SCREENS[name]
    if "keyboard.kv" in kv_files:
        importlib.import_module("kiosk.ui.keyboard")   # its widgets are named in search.kv
    load_kv(*kv_files)
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(name=name)


class LazyScreens(ScreenManager):
    """A screen manager that builds its screens when they are first asked for."""

    def __init__(self, *, names: tuple[str, ...] = ORDER, on_demand: tuple[str, ...] = ON_DEMAND,
                 make: Callable[[str], Any] = make_screen,
                 prepare: Optional[Callable[[Any], None]] = None, **kwargs: Any) -> None:
        """``names``: every screen, in the order :meth:`build_next` builds them, but those
        ``on_demand`` (built only when asked for); ``make(name)`` creates one; ``prepare(screen)``
        runs on each before it joins the manager."""
        self._make = make
        self._prepare = prepare
        self._unbuilt: list[str] = list(names)
        self._waiting: list[str] = [name for name in names if name not in on_demand]
        self._watchers: list[tuple[Optional[str], Callable[[Any], None]]] = []
        #: seconds each screen took to build, by name (for the bench and the log)
        self.build_seconds: dict[str, float] = {}
        super().__init__(**kwargs)

    @property
    def waiting(self) -> tuple[str, ...]:
        """The screens not built yet that :meth:`build_next` will build (not those on demand)."""
        return tuple(self._waiting)

    @property
    def unbuilt(self) -> tuple[str, ...]:
        """Every screen not built yet, those on demand too."""
        return tuple(self._unbuilt)

    def build(self, name: str):
        """Build screen ``name`` now (if it is not built yet) and return it."""
        if name not in self._unbuilt:
            return super().get_screen(name)
        self._unbuilt.remove(name)
        if name in self._waiting:
            self._waiting.remove(name)
        started = time.perf_counter()
        screen = self._make(name)
        if self._prepare is not None:
            self._prepare(screen)
        self.add_widget(screen)
        self.build_seconds[name] = time.perf_counter() - started
        log.debug("screen %s built in %.0f ms", name, self.build_seconds[name] * 1000)
        for wanted, watcher in list(self._watchers):
            if wanted is None or wanted == name:
                watcher(screen)
        return screen

    def build_next(self) -> Optional[str]:
        """Build the next screen waiting; its name, or None when every screen is built."""
        if not self._waiting:
            return None
        name = self._waiting[0]
        self.build(name)
        return name

    def build_all(self) -> None:
        while self.build_next() is not None:
            pass

    def when_built(self, name: Optional[str], watcher: Callable[[Any], None]) -> None:
        """Call ``watcher(screen)`` for screen ``name`` (every screen when None): now for one
        already built, else when it is built."""
        self._watchers.append((name, watcher))
        for screen in list(self.screens):
            if name is None or screen.name == name:
                watcher(screen)

    def get_screen(self, name: str):
        if name in self._unbuilt:
            return self.build(name)
        return super().get_screen(name)

    def has_screen(self, name: str) -> bool:
        return name in self._unbuilt or super().has_screen(name)

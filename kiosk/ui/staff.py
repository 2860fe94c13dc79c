"""The hidden staff panel, behind a PIN.

Staff hold the top-left corner for a few seconds (see :class:`kiosk.ui.lockdown.CornerHold`) and
enter their PIN here. :class:`kiosk.services.PinGuard` checks it off the main thread and locks the
pad for a growing time after five wrong PINs, a lock that survives a restart. Behind the PIN:
what catalogue this kiosk has, how the last sync went, the printer, the software version, and
"sync now", "print a test slip" and "exit kiosk".
"""
from __future__ import annotations

import math
from datetime import datetime, timezone
from functools import partial
from typing import Optional

from babel.dates import format_datetime
from kivy.clock import Clock
from kivy.metrics import dp
from kivy.graphics import Color, Ellipse, Line
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, OptionProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk import __version__
from kiosk.catalogue.hours import TZ
from kiosk.services import ActionResult, PinResult
from kiosk.ui.base import KioskScreen
from kiosk.ui.i18n import tr
from kiosk.ui.widgets import KLabel

MIN_PIN, MAX_PIN = 4, 8


def format_wait(seconds: float) -> str:
    seconds = max(0, math.ceil(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def format_stamp(text: str, lang: str) -> str:
    """An ISO time from the catalogue as a local date and time, or the text itself."""
    if not text:
        return tr._("unknown")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return format_datetime(moment, "medium", tzinfo=TZ, locale=lang)


def action_message(action: str, result: ActionResult) -> str:
    """What a staff action's result means, in the visitor's (here: the staff's) language."""
    if action == "sync":
        messages = {
            "ok": tr._("The catalogue is up to date."),
            "not_configured": tr._("Sync is not configured: the configuration has no feed address."),
            "unavailable": tr._("This version of the kiosk cannot sync yet."),
            "failed": tr._("Sync failed."),
        }
    else:
        messages = {
            "ok": tr._("The test slip was sent to the printer."),
            "not_configured": tr._("No printer is configured."),
            "unavailable": tr._("This version of the kiosk cannot print yet."),
            "failed": tr._("Printing failed."),
        }
    text = messages.get(result.code, result.code)
    if result.detail and result.code == "failed":
        text += f" ({result.detail})"
    return text


class PinDots(Widget):
    """One dot per digit typed (the digits themselves are never shown)."""

    count = NumericProperty(0)
    slots = NumericProperty(MIN_PIN)
    color = ListProperty([0, 0, 0, 1])

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bind(count=self._draw, slots=self._draw, pos=self._draw, size=self._draw, color=self._draw)

    def _draw(self, *_args) -> None:
        self.canvas.clear()
        n = max(self.slots, self.count)
        radius, gap = dp(14), dp(22)
        total = n * 2 * radius + (n - 1) * gap
        x = self.center_x - total / 2
        y = self.center_y
        with self.canvas:
            Color(*self.color)
            for i in range(n):
                cx = x + radius + i * (2 * radius + gap)
                if i < self.count:
                    Ellipse(pos=(cx - radius, y - radius), size=(2 * radius, 2 * radius))
                else:
                    Line(circle=(cx, y, radius - dp(1.5)), width=dp(2))


class StaffScreen(KioskScreen):
    mode = OptionProperty("pin", options=["pin", "panel"])
    pin = StringProperty("")
    message = StringProperty("")
    message_tone = StringProperty("muted")
    locked_for = NumericProperty(0)
    checking = BooleanProperty(False)
    busy = BooleanProperty(False)
    confirm_exit = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._lock_event = None

    # ------------------------------------------------------------ PIN pad

    def show(self, params: dict, scroll: Optional[dict] = None) -> None:
        self.params = dict(params)
        self.mode = "pin"
        self.pin = ""
        self.message = ""
        self.confirm_exit = False
        self._refresh_lock()

    def reload(self) -> None:
        if self.mode == "panel":
            self.load_panel()

    def press_digit(self, digit: str) -> None:
        if self.locked_for > 0 or self.checking or len(self.pin) >= MAX_PIN:
            return
        self.pin += digit
        self.message = ""

    def press_clear(self) -> None:
        self.pin = ""

    def press_enter(self) -> None:
        if self.locked_for > 0 or self.checking:
            return
        if len(self.pin) < MIN_PIN:
            self._say(tr._("Enter at least {n} digits.").format(n=MIN_PIN), "alert")
            return
        guard = self.app.pin_guard
        pin, self.pin = self.pin, ""
        self.checking = True
        self.app.call_async(guard.check, pin, on_done=self._checked,
                            on_error=lambda exc: self._checked(PinResult(False)))

    def _checked(self, result: PinResult) -> None:
        self.checking = False
        if self.manager is None or self.manager.current != self.name:
            return
        if result.ok:
            self.mode = "panel"
            self.message = ""
            self.load_panel()
            return
        if result.locked_for > 0:
            self._refresh_lock()
        else:
            self._say(tr.ngettext("Wrong PIN. {n} try left.", "Wrong PIN. {n} tries left.",
                                  result.attempts_left).format(n=result.attempts_left), "alert")

    def _say(self, text: str, tone: str = "muted") -> None:
        self.message = text
        self.message_tone = tone

    def _refresh_lock(self, *_args) -> None:
        app = self.app
        wait = app.pin_guard.locked_for() if app is not None else 0
        self.locked_for = wait
        if wait > 0:
            self._say(tr._("Too many wrong PINs. The pad is locked for {time}.").format(
                time=format_wait(wait)), "alert")
            if self._lock_event is None:
                self._lock_event = Clock.schedule_interval(self._refresh_lock, 0.5)
        else:
            if self._lock_event is not None:
                self._lock_event.cancel()
                self._lock_event = None
                self._say(tr._("You can try again."))

    # ------------------------------------------------------------ panel

    def load_panel(self) -> None:
        app = self.app
        app.call_async(app.services.info, on_done=self._show_info,
                       on_error=lambda exc: self._show_info(None))

    def _show_info(self, info) -> None:
        app = self.app
        config = app.kiosk_config
        ops = app.operations
        lang = tr.lang
        rows: list[tuple[str, str]] = [
            (tr._("Kiosk"), config.kiosk.id),
            (tr._("Software version"), __version__),
        ]
        if info is None:
            rows.append((tr._("Catalogue"), tr._("The catalogue could not be read.")))
        else:
            rows += [
                (tr._("Catalogue version"), str(info.version)),
                (tr._("Services"), str(info.service_count)),
                (tr._("Catalogue made"), format_stamp(info.generated_at, lang)),
                (tr._("Loaded on this kiosk"), format_stamp(info.loaded_at, lang)),
                (tr._("Valid until"), format_stamp(info.expires_at, lang)),
                (tr._("Source"), info.source or tr._("unknown")),
            ]
            if info.demo:
                rows.append((tr._("Demo data"), tr._("Yes: some names, numbers and addresses are invented.")))
            age = _age_days(info.generated_at)
            if age is not None and age > config.kiosk.stale_after_days:
                rows.append((tr._("Warning"), tr.ngettext(
                    "The catalogue is {n} day old.", "The catalogue is {n} days old.", age).format(n=age)))
        rows.append((tr._("Feed address"), config.sync.feed_url or tr._("not configured")))
        last = ops.last_sync
        rows.append((tr._("Last sync"), action_message("sync", last) if last else tr._("No sync since the kiosk started.")))
        state = ops.printer_state()
        printer = {"not_configured": tr._("No printer is configured."),
                   "unavailable": tr._("Configured ({kind}), but this version cannot print yet.").format(
                       kind=config.printer.kind),
                   "configured": tr._("Configured ({kind}).").format(kind=config.printer.kind)}[state]
        rows.append((tr._("Printer"), printer))
        grid = self.ids.info
        grid.clear_widgets()
        for label, value in rows:
            grid.add_widget(KLabel(text=label, bold=True, tone="muted", size_hint_x=0.4))
            grid.add_widget(KLabel(text=value, size_hint_x=0.6))

    def sync_now(self) -> None:
        self._run("sync", self.app.operations.sync_now)

    def print_test(self) -> None:
        self._run("print", self.app.operations.print_test_slip)

    def _run(self, action: str, fn) -> None:
        if self.busy:
            return
        self.busy = True
        self._say(tr._("Working..."))
        self.app.call_async(fn, on_done=partial(self._ran, action),
                            on_error=lambda exc: self._ran(action, ActionResult(False, "failed", str(exc))))

    def _ran(self, action: str, result: ActionResult) -> None:
        self.busy = False
        self._say(action_message(action, result), "text" if result.ok else "alert")
        if self.mode == "panel":
            self.load_panel()
            if action == "sync" and result.ok:
                self.app.catalogue_changed()

    def exit_kiosk(self) -> None:
        if not self.confirm_exit:
            self.confirm_exit = True
            self._say(tr._("Press \u201cExit kiosk\u201d again to close the kiosk."), "alert")
            return
        self.app.exit_kiosk()

    def close_panel(self) -> None:
        self.mode = "pin"
        self.app.go_home()

    def reset_session(self) -> None:
        super().reset_session()
        self.mode = "pin"
        self.pin = ""
        self.message = ""
        self.confirm_exit = False
        self.checking = False
        self.busy = False
        if self._lock_event is not None:
            self._lock_event.cancel()
            self._lock_event = None


def _age_days(stamp: str) -> Optional[int]:
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0, (datetime.now(timezone.utc) - moment).days)

"""The hidden staff panel, behind a PIN.

Staff hold the top-left corner for a few seconds (see :class:`kiosk.ui.lockdown.CornerHold`) and
enter their PIN here. :class:`kiosk.pin.PinGuard` checks it off the main thread and locks the
pad for a growing time after five wrong PINs, a lock that survives a restart. Behind the PIN:
what catalogue this kiosk has, how the last sync went (the persisted status), the printer, the
software version, and "sync now", "print a test slip" and "exit kiosk". The facts come from
:meth:`kiosk.operations.Operations.panel`; this screen only words them.
"""
from __future__ import annotations

import math
from functools import partial
from typing import Any, Optional

from babel.dates import format_datetime
from kivy.clock import Clock
from kivy.metrics import dp
from kivy.graphics import Color, Ellipse, Line
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, OptionProperty, StringProperty
from kivy.uix.widget import Widget

from kiosk import __version__
from kiosk.catalogue.hours import TZ
from kiosk.freshness import SyncStatus, moment
from kiosk.operations import ActionResult, PanelFacts
from kiosk.pin import PinResult
from kiosk.ui.base import KioskScreen
from kiosk.ui.i18n import tr
from kiosk.ui.threads import on_main
from kiosk.ui.widgets import KLabel

MIN_PIN, MAX_PIN = 4, 8


def format_wait(seconds: float) -> str:
    seconds = max(0, math.ceil(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def format_stamp(text: str, lang: str) -> str:
    """An ISO time from the catalogue as a local date and time, or the text itself."""
    if not text:
        return tr._("unknown")
    when = moment(text)
    return format_datetime(when, "medium", tzinfo=TZ, locale=lang) if when else text


def sync_text(status: Optional[SyncStatus], lang: str) -> str:
    """The persisted outcome of the last sync, in words: when, and how it went."""
    if status is None:
        return tr._("not configured")
    if status.last_attempt is None:
        return tr._("No sync yet.")
    when = format_datetime(status.last_attempt, "medium", tzinfo=TZ, locale=lang)
    if status.last_outcome in ("updated", "unchanged"):
        return f"{when}: {tr._('The catalogue is up to date.')}"
    code = (status.last_error or {}).get("code") or ""
    return f"{when}: {tr._('Sync failed.')}" + (f" ({code})" if code else "")


def feedback_text(status: Any, lang: str) -> str:
    """What waits to be sent to the server, and when it last went."""
    sent = (format_datetime(moment(status.last_sent), "medium", tzinfo=TZ, locale=lang)
            if status.last_sent and moment(status.last_sent) else tr._("never"))
    return tr._("{reports} reports and {hours} hours waiting; last sent: {when}").format(
        reports=status.reports_waiting, hours=status.hours_waiting + status.days_waiting, when=sent)


def action_message(action: str, result: ActionResult) -> str:
    """What a staff action's result means, in the visitor's (here: the staff's) language."""
    if action == "sync":
        messages = {
            "ok": tr._("The catalogue is up to date."),
            "not_configured": tr._("Sync is not configured: the configuration has no feed address."),
            "failed": tr._("Sync failed."),
        }
    else:
        messages = {
            "ok": tr._("The test slip was sent to the printer."),
            "not_configured": tr._("No printer is configured."),
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
                    Line(circle=(cx, y, radius - dp(1.5)), width=dp(2), joint="bevel")


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
        self._masked(len(self.pin))

    def press_clear(self) -> None:
        self.pin = ""
        self._masked(0, deleted=True)

    def _masked(self, count: int, deleted: bool = False) -> None:
        """With speech on, the PIN pad says only that a digit was entered (never which)."""
        speech = getattr(self.app, "speech", None)
        if speech is not None:
            speech.masked(count, deleted)

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
        ops = self.app.operations
        self.app.call_async(ops.panel, on_done=self._show_facts,
                            on_error=lambda exc: self._show_facts(PanelFacts(None, None, False, None,
                                                                             ops.printer_state())))

    def _show_facts(self, facts: PanelFacts) -> None:
        config = self.app.kiosk_config
        rows = [(tr._("Kiosk"), config.kiosk.id), (tr._("Software version"), __version__)]
        rows += self._catalogue_rows(facts)
        rows.append((tr._("Feed address"), config.sync.feed_url or tr._("not configured")))
        rows.append((tr._("Last sync"), sync_text(facts.sync, tr.lang)))
        if facts.sync is not None:
            rows.append((tr._("Last successful sync"), format_datetime(
                facts.sync.last_success, "medium", tzinfo=TZ, locale=tr.lang)
                if facts.sync.last_success else tr._("never")))
        printer = (tr._("Configured ({kind}).").format(kind=config.printer.kind)
                   if facts.printer == "configured" else tr._("No printer is configured."))
        rows.append((tr._("Printer"), printer))
        if facts.feedback is not None:
            rows.append((tr._("Reports and usage counts"), feedback_text(facts.feedback, tr.lang)))
        speech = getattr(self.app, "speech", None)
        spoken = speech.status_line(tr.lang) if speech is not None else ""
        if spoken:   # ready, or why not (no espeak-ng, no voice, no sound device, turned off)
            rows.append((tr._("Read aloud"), spoken))
        grid = self.ids.info
        grid.clear_widgets()
        for label, value in rows:
            grid.add_widget(KLabel(text=label, bold=True, tone="muted", size_hint_x=0.4))
            grid.add_widget(KLabel(text=value, size_hint_x=0.6))

    @staticmethod
    def _catalogue_rows(facts: PanelFacts) -> list[tuple[str, str]]:
        info, lang = facts.info, tr.lang
        if info is None:
            return [(tr._("Catalogue"), tr._("The catalogue could not be read."))]
        rows = [
            (tr._("Catalogue version"), str(info.version)),
            (tr._("Services"), str(info.service_count)),
            (tr._("Catalogue made"), format_stamp(info.generated_at, lang)),
            (tr._("Loaded on this kiosk"), format_stamp(info.loaded_at, lang)),
            (tr._("Valid until"), format_stamp(info.expires_at, lang)),
            (tr._("Source"), info.source or tr._("unknown")),
        ]
        if info.demo:
            rows.append((tr._("Demo data"), tr._("Yes: some names, numbers and addresses are invented.")))
        if facts.too_old:
            rows.append((tr._("Warning"), tr.ngettext(
                "The catalogue is {n} day old.", "The catalogue is {n} days old.",
                facts.age_days).format(n=facts.age_days)))
        return rows

    def sync_now(self) -> None:
        if self._start_work():
            self.app.operations.sync_now(on_main(partial(self._ran, "sync")))

    def print_test(self) -> None:
        if self._start_work():
            self.app.call_async(self.app.operations.print_test_slip, on_done=partial(self._ran, "print"),
                                on_error=lambda exc: self._ran("print", ActionResult(False, "failed", str(exc))))

    def _start_work(self) -> bool:
        if self.busy:
            return False
        self.busy = True
        self._say(tr._("Working..."))
        return True

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

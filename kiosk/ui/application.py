"""The Kivy application: screens, navigation, language, accessibility, idle reset and lockdown.

Import this module only after :func:`kiosk.ui.lockdown.prepare_kivy` (``kiosk.app`` does it).
The screens change only through the methods here (``open_category``, ``go_back``...), which keep
the visitor's history; ``reset_session`` forgets the visitor entirely.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable, Optional

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import NoTransition, SlideTransition

from kiosk import memory
from kiosk.i18n import DEFAULT_LANGUAGE
from kiosk.lru import Lru
from kiosk.ui import collector
from kiosk.ui.i18n import tr
from kiosk.ui.idle import IdlePrompt, IdleWatcher
from kiosk.ui.kv import load_kv as load_kv_rules
from kiosk.ui.lockdown import CornerHold, Lockdown
from kiosk.ui.motion import attract_for
from kiosk.ui.rest import Rest
from kiosk.ui.scanning import ScannerInput
from kiosk.ui.screens import LazyScreens
from kiosk.ui.stage import Stage
from kiosk.ui.theme import SCALES, theme
from kiosk.ui.threads import call_on_main, on_main
from kiosk.watchdog import Watchdog

log = logging.getLogger(__name__)


def _service_handoff(app: "KioskApp", detail: Any):
    """The service page's codes and Print button (:func:`kiosk.ui.handoff.service_handoff`).
    The hand-off module (QR codes, printing: 26 ms of imports) is first imported once the
    welcome screen is drawn (:meth:`KioskApp.attach_kiosk`), not before it."""
    from kiosk.ui.handoff import service_handoff

    return service_handoff(app, detail)


@dataclass
class HistoryEntry:
    screen: str
    params: dict
    scroll: dict = field(default_factory=dict)


class KioskApp(App):
    """The visitor-facing kiosk."""

    lang = StringProperty(DEFAULT_LANGUAGE)
    next_lang = StringProperty("")
    open_now = BooleanProperty(False)
    demo = BooleanProperty(False)
    #: the screen shows a sensitive service or category: the quick exit stands out
    discreet = BooleanProperty(False)
    current_screen = StringProperty("welcome")
    languages = ListProperty([])
    #: the shared top bar's height: each screen's ``BarSpace`` keeps this much room for it
    bar_height = NumericProperty(0)
    #: the foot's height (urgent help and the quick exit within reach on a tall portrait panel,
    #: else 0): each screen's ``ExitSpace`` keeps this much room for it
    foot_height = NumericProperty(0)
    use_kivy_settings = False

    TRANSITION_SECONDS = 0.28

    def __init__(self, kiosk, *, clock: Callable[[], float] = time.monotonic, strict: bool = True,
                 windowed: bool = False, animate: bool = True, config: Any = None, speech: Any = None,
                 make_kiosk: Optional[Callable[[], Any]] = None, **kwargs):
        """``kiosk``: the pieces :func:`kiosk.bootstrap.build_kiosk` made; or None, with their
        ``config``, the ``speech`` engine and ``make_kiosk()`` to make the rest once the
        welcome screen is first drawn (:meth:`attach_kiosk`)."""
        super().__init__(**kwargs)
        kiosk_config = kiosk.config if kiosk is not None else config
        self.kiosk = None
        self.kiosk_config = kiosk_config
        self._make_kiosk = make_kiosk
        self.reads = self.operations = self.pin_guard = self.printer = self.updates = self.qr = None
        if kiosk is not None:
            self._attach(kiosk)
        self.qr_textures: Lru = Lru(24)   # textures of the codes shown (or made ready) before
        self.clock = clock
        self.strict = strict
        self.windowed = windowed
        self.animate = animate
        self.languages = list(kiosk_config.kiosk.languages)
        self.default_language = kiosk_config.kiosk.default_language
        self.history: list[HistoryEntry] = []
        #: hand-off actions for the service screen: factory(ServiceDetail) -> widget or None
        self.service_actions: list[Callable[[Any], Any]] = [partial(_service_handoff, self)]
        #: the service and organization pages' hand-off panels, refilled for each page
        #: (:func:`kiosk.ui.handoff.page_panel`)
        self.handoff_panels: dict[str, Any] = {}
        self.idle: Optional[IdleWatcher] = None
        self.idle_prompt: Optional[IdlePrompt] = None
        self.lockdown: Optional[Lockdown] = None
        self.corner: Optional[CornerHold] = None
        self.scanner: Optional[ScannerInput] = None
        from kiosk.ui.speaking import SpeechController

        #: speech: ``app.speech.stop()`` silences it at once, ``reset()`` is the next visitor's
        self.speech = SpeechController(self, kiosk.speech if kiosk is not None else speech,
                                       kiosk_config.speech)
        self.keypad = None
        self.sm: Optional[LazyScreens] = None
        #: the window's root: the screen manager and the one top bar (:mod:`kiosk.ui.stage`)
        self.stage: Optional[Stage] = None
        self._ticker = None
        #: systemd's watchdog (kiosk/watchdog.py): READY when the welcome screen is first drawn,
        #: then pings from this main loop's tick, so a frozen screen is restarted
        self.watchdog = Watchdog()
        self.usage = None   # kiosk.ui.usage.UsageTracker, once the screens exist
        self.rest: Optional[Rest] = None
        self.screens_at_first_frame: tuple[str, ...] = ()
        self.title = tr._("Social services kiosk")

    def _attach(self, kiosk) -> None:
        self.kiosk = kiosk
        self.reads = kiosk.reads
        self.operations = kiosk.operations
        self.pin_guard = kiosk.pin_guard
        self.printer = kiosk.printer
        self.updates = kiosk.updates
        self.qr = kiosk.qr

    #: the pieces left for after the first frame could not be made: the app stopped, and
    #: :func:`kiosk.app.run` exits with status 1 (systemd starts the kiosk again)
    start_failed = False

    def attach_kiosk(self) -> bool:
        """Make the pieces the welcome screen did not need (the catalogue, the sync, printing,
        the feedback), if they were left for after its first frame, and start what runs on
        them: the scanner and keypad input, speech keys, usage counts, the updates and the
        feedback sender. Done once, on the clock tick after the first frame (before that
        frame's successor reads any touch), or sooner by anything that needs them (a touch read
        before the first frame). False when they could not be made: the app is stopping."""
        if self.kiosk is not None:
            return True
        if self._make_kiosk is None:
            return False
        started = time.perf_counter()
        make, self._make_kiosk = self._make_kiosk, None
        try:
            kiosk = make()
        except Exception:  # noqa: BLE001 - as a failed start before the window: logged, exit 1
            log.exception("the kiosk could not start")
            self.start_failed = True
            self.strict = False
            self.stop()
            return False
        self._attach(kiosk)
        from kiosk.ui import handoff  # noqa: F401 - the service pages' codes, left out of the first frame

        if self.lockdown is not None:         # on_start has run: start what it left
            self._start_pieces()
        self.kiosk.start_sending()
        log.info("catalogue and the rest made after the first frame in %.0f ms",
                 (time.perf_counter() - started) * 1000)
        return True

    # ------------------------------------------------------------ building

    #: seconds after start (or a new catalogue) before the pages are prepared in the background
    WARM_DELAY = 1.0
    #: seconds after the welcome screen shows before memory is tidied (its own frame first)
    TIDY_DELAY = 0.5

    def build(self):
        """The stage: the screen manager with only the welcome screen (the others are built after
        the first frame, :meth:`_build_rest`, or at once when a touch needs one:
        :mod:`kiosk.ui.screens`), and room above it for the top bar they share."""
        # the layout follows the window's shape (compact on a small panel, portrait on a totem)
        theme.fit_window(*Window.size)
        Window.bind(size=lambda _w, size: theme.fit_window(*size))
        # Each frame starts by clearing the window to the screens' background, so no screen
        # paints it again: a rectangle over the whole window cost 2.9 ms of a 17 ms frame under
        # llvmpipe, where a clear costs next to nothing.
        Window.clearcolor = list(theme.bg)
        theme.bind(bg=lambda _theme, bg: setattr(Window, "clearcolor", list(bg)))
        # Icons are decoded once and kept: Kivy otherwise forgets an image after 60 s unused and
        # decodes its PNG again the next time a page shows it.
        from kivy.cache import Cache

        Cache.register("kv.image", timeout=None)
        # Pages nest many wrapping labels; their first layout may take more passes than Kivy's
        # default budget of 10 per frame.
        Clock.max_iteration = 40
        transition = (SlideTransition(duration=self.TRANSITION_SECONDS) if self.animate
                      else NoTransition())
        sm = LazyScreens(transition=transition, prepare=self._screen_built)
        self.sm = sm
        sm.build("welcome")
        sm.bind(current=self._screen_changed)
        self.stage = Stage(sm, make_bar=self._make_top_bar, make_foot=self._make_foot)
        self.stage.bind(bar_height=self.setter("bar_height"), foot_height=self.setter("foot_height"))
        self.set_language(self.default_language, reload=False)
        return self.stage

    @staticmethod
    def _make_top_bar():
        from kiosk.ui.widgets import TopBar

        return TopBar()

    @staticmethod
    def _make_foot():
        from kiosk.ui.widgets import ExitFoot

        return ExitFoot()

    @property
    def top_bar(self):
        """The top bar every screen but the welcome shows (made with the first of them)."""
        return self.stage.ensure_bar() if self.stage is not None else None

    def _screen_built(self, screen) -> None:
        if screen.name == "welcome":
            screen.centre_name = self.kiosk_config.kiosk.centre_name or ""
            screen.set_languages(self.languages)

    #: seconds between two screens built after the first frame (a frame or two of breath)
    BUILD_GAP = 0.05

    def _build_rest(self, _dt=None) -> None:
        """One more screen, then the next on a later frame, never under a finger (a touch that
        needs a screen builds it itself)."""
        if self.sm is None or not self.sm.waiting:
            return
        if collector.finger_down():
            Clock.schedule_once(self._build_rest, 0.25)
            return
        self.sm.build_next()
        if self.sm.waiting:
            Clock.schedule_once(self._build_rest, self.BUILD_GAP)
        else:
            log.info("every screen built but those made on demand (%s)", ", ".join(
                f"{name} {s * 1000:.0f} ms" for name, s in self.sm.build_seconds.items()))

    def load_kv(self, filename=None):
        # The kv files are loaded explicitly in build(); no automatic <appname>.kv.
        return False

    def open_settings(self, *_args):
        return False

    def on_start(self) -> None:
        cfg = self.kiosk_config
        self.lockdown = Lockdown(Window, allow_close=lambda: not self.strict,
                                 on_terminate=self._terminated)
        self.idle = IdleWatcher(cfg.kiosk.idle_timeout, cfg.kiosk.idle_countdown, now=self.clock,
                                on_prompt=self._idle_prompt, on_countdown=self._idle_countdown,
                                on_cancel=self._idle_cancel, on_reset=self.reset_session,
                                sensitive_timeout=cfg.kiosk.idle_timeout_sensitive)
        self.idle.sensitive = self.discreet
        self.corner = CornerHold(Window, cfg.staff.corner_hold_seconds, self.open_staff, now=self.clock,
                                 zone=dp(90), slop=dp(40))
        # Window callbacks run newest first: activity and the corner watch see every touch, and
        # the lockdown filter (bound last) runs before both and before any widget.
        Window.bind(on_touch_down=self._activity, on_touch_move=self._activity,
                    on_touch_up=self._activity)
        self.corner.install()
        self.lockdown.install()
        self._ticker = Clock.schedule_interval(self.tick, 0.25)
        Window.bind(on_flip=self._first_drawn)
        Window.canvas.ask_update()      # a frame after start, even when nothing moves
        self.rest = Rest(attract=lambda: attract_for(self.sm.get_screen("welcome")),
                         blank_after_minutes=cfg.display.blank_after_minutes)
        Window.bind(on_hide=lambda *_a: self.rest.window_hidden(True),
                    on_minimize=lambda *_a: self.rest.window_hidden(True),
                    on_show=lambda *_a: self.rest.window_hidden(False),
                    on_restore=lambda *_a: self.rest.window_hidden(False))
        if self.kiosk is not None:
            self._start_pieces()
        self._screen_changed(self.sm, self.sm.current)

    def _start_pieces(self) -> None:
        """What runs on the kiosk's pieces: bound after the lockdown, as :meth:`on_start` left it."""
        self._make_idle_prompt()
        # bound after the lockdown, so it sees every key first (and swallows it too)
        self.scanner = ScannerInput(self, Window, self.kiosk.scanner, now=self.clock).install()
        # bound after the scanner, so it sees keypad keys first (and passes them on)
        from kiosk.ui.keypad import KeypadInput

        self.speech.install(Window)
        self.keypad = KeypadInput(self, Window, self.speech, self.scanner, now=self.clock).install()
        if self.kiosk.feedback is not None:
            from kiosk.ui.usage import UsageTracker

            self.usage = UsageTracker(self, self.kiosk.feedback).install()
        self.start_updates()
        self.catalogue_changed()

    def _terminated(self, _signum: int) -> None:
        """SIGTERM (systemd stopping the unit): stop at the next clock tick, through
        :meth:`on_stop`, as a close in a windowed run would."""
        Clock.schedule_once(lambda _dt: self.stop(), 0)

    def on_stop(self) -> None:
        if self.lockdown is not None:
            self.lockdown.uninstall()
        if self._ticker is not None:
            self._ticker.cancel()
        Window.unbind(on_flip=self._first_drawn)
        self.watchdog.stopping()
        if self.rest is not None:
            self.rest.stop()
        self.stop_updates()

    def _first_drawn(self, *_args) -> None:
        """The first frame is being put on the screen (handlers of ``on_flip`` run just before
        the buffer swap): once it is shown, make the pieces left for then, tell systemd the
        kiosk is ready, and build the other screens while the visitor looks at the welcome screen."""
        if self.sm is not None and self.sm.current == "welcome":
            Window.unbind(on_flip=self._first_drawn)
            #: the screens that existed when the first frame was drawn (only the welcome screen)
            self.screens_at_first_frame = tuple(screen.name for screen in self.sm.screens)
            # the next clock tick runs before the next frame reads its input: a touch on the
            # welcome screen finds every piece made
            Clock.schedule_once(self._after_first_frame, 0)

    def _after_first_frame(self, _dt=None) -> None:
        if not self.attach_kiosk():
            return
        self.watchdog.ready("welcome screen drawn")
        Clock.schedule_once(self._build_rest, self.BUILD_GAP)

    def tick(self, *_args) -> None:
        """Four times a second: the watchdog's ping, the idle countdown and the staff corner."""
        self.watchdog.tick()
        if self.idle is not None:
            self.idle.tick()
        if self.corner is not None:
            self.corner.tick()

    # ------------------------------------------------------------ background work

    def call_async(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None],
                   on_error: Optional[Callable[[BaseException], None]] = None) -> None:
        """Run ``fn(*args)`` on a worker thread; ``on_done(result)`` runs on the main thread."""
        def deliver(future) -> None:
            exc = future.exception()
            if exc is None:
                on_done(future.result())
            elif on_error is not None:
                on_error(exc)
            else:
                log.error("background call %s failed: %r", getattr(fn, "__name__", fn), exc)

        def finished(future) -> None:
            if not future.cancelled():      # cancelled: the app is closing
                call_on_main(deliver, future)

        self.reads.submit(fn, *args).add_done_callback(finished)

    def catalogue_changed(self) -> None:
        """The catalogue was (re)loaded: update the demo ribbon and what is on screen, and prepare
        the home screen and its categories in the background."""
        self.call_async(self.reads.is_demo, on_done=self._set_demo, on_error=lambda exc: None)
        # after the first frames, so starting up is not slowed by it; then tidy memory
        Clock.schedule_once(self._warm, self.WARM_DELAY)
        if self.sm is not None and self.sm.current not in ("welcome", "staff"):
            self.sm.current_screen.reload()

    def _tidy_when_idle(self, _dt=None) -> None:
        """Tidy memory on the welcome screen, but never under a finger: a collection takes a
        few hundred milliseconds, and a touch then (a visitor arriving, staff holding the
        corner) waits for it. Tried again a second later."""
        if self.sm is None or self.sm.current != "welcome":
            return
        if collector.finger_down():
            Clock.schedule_once(self._tidy_when_idle, 1.0)
            return
        memory.tidy()

    def _warm(self, _dt=None) -> None:
        self.reads.warm(self.lang).add_done_callback(lambda _f: call_on_main(self._tidy_when_idle))

    def _set_demo(self, demo: bool) -> None:
        with memory.quiet():
            self.demo = bool(demo)

    # ------------------------------------------------------------ navigation

    def _screen(self, name: str):
        return self.sm.get_screen(name)

    def _show(self, name: str, params: dict, direction: str, scroll: Optional[dict] = None) -> None:
        screen = self._screen(name)
        screen.show(params, scroll)
        if self.sm.current == name:
            return
        self.sm.transition.direction = direction
        self.sm.current = name

    def go(self, name: str, params: Optional[dict] = None) -> None:
        """Open a screen, remembering where the visitor was."""
        current = self.sm.current_screen
        if current.name not in ("welcome", "staff"):
            self.history.append(HistoryEntry(current.name, dict(current.params), current.scroll_state()))
            del self.history[:-50]
        self._show(name, params or {}, "left")

    def go_back(self) -> None:
        if self.sm.current == "welcome":
            return   # nothing before the welcome screen (after a quick exit: no way back)
        if self.history:
            entry = self.history.pop()
            self._show(entry.screen, entry.params, "right", entry.scroll)
        elif self.sm.current == "home":
            self._show("welcome", {}, "right")
        else:
            self.go_home()

    def go_home(self) -> None:
        if self.usage is not None:
            self.usage.visit_over()
        self.history.clear()
        self._show("home", {}, "right")

    def start(self, lang: str) -> None:
        """From the welcome screen: start a visit in ``lang``."""
        if not self.attach_kiosk():
            return
        self.set_language(lang, reload=False)
        if self.lang != self.default_language:
            self.reads.warm(self.lang)
        self.history.clear()
        self._show("home", {}, "left")

    def open_category(self, term_id: str) -> None:
        self.go("category", {"term_id": term_id})

    def open_service(self, service_id: str) -> None:
        self.go("service", {"service_id": service_id})

    def open_organization(self, org_id: str) -> None:
        self.go("organization", {"org_id": org_id})

    def open_item(self, kind: str, item_id: str) -> None:
        if kind == "organization":
            self.open_organization(item_id)
        else:
            self.open_service(item_id)

    def open_search(self) -> None:
        self.go("search", {})

    def open_urgent(self) -> None:
        """Urgent help: one tap from every visitor screen (Back returns to where the visitor was)."""
        if self.sm.current != "urgent":
            self.go("urgent", {})

    def open_staff(self) -> None:
        if not self.attach_kiosk() or not self.pin_guard.enabled or self.sm.current == "staff":
            return
        self.go("staff", {})

    def _screen_changed(self, _sm, name: str) -> None:
        self.current_screen = name
        self.discreet = bool(getattr(self.sm.get_screen(name), "sensitive", False))
        if self.rest is not None:
            self.rest.screen(name)
        if self.idle is not None:
            self.idle.enable(name != "welcome")
        if name == "welcome":
            # nobody is waiting for the screen: the moment to tidy memory (see kiosk.memory);
            # not before the first frame (Kivy's clock, stale until then, would run it at once,
            # 40 ms before the welcome screen shows): the start's own warm-up tidies after it
            if self.screens_at_first_frame:
                Clock.schedule_once(self._tidy_when_idle, self.TIDY_DELAY)
            if self.scanner is not None:
                self.scanner.notice.hide()   # nothing of the last visit stays
            self.apply_waiting_catalogue()

    # ------------------------------------------------------------ catalogue updates

    def start_updates(self) -> None:
        """Start the sync scheduler (with the app): a catalogue it verified waits for the welcome screen."""
        if self.updates is not None:
            self.updates.start(on_pending=on_main(self.catalogue_waiting))

    def stop_updates(self) -> None:
        if self.updates is not None:
            self.updates.stop(timeout=2.0)

    def catalogue_waiting(self, _version: int) -> None:
        """A verified catalogue waits: applied at once if nobody is using the kiosk."""
        if self.sm is not None and self.sm.current == "welcome":
            self.apply_waiting_catalogue()

    def apply_waiting_catalogue(self) -> None:
        """Make a staged catalogue visible (on the welcome screen only: never under a visitor)."""
        if self.updates is not None and self.updates.has_pending():
            self.updates.apply_pending_async(on_main(self._catalogue_applied))

    def _catalogue_applied(self, result: Any) -> None:
        if result is not None and getattr(result, "ok", False):
            self.catalogue_changed()

    # ------------------------------------------------------------ visitor's choices

    def set_language(self, lang: str, reload: bool = True) -> None:
        if lang not in self.languages:
            lang = self.default_language
        with memory.quiet():
            tr.switch(lang)
            self.lang = tr.lang
            others = [code for code in self.languages if code != self.lang]
            if others:
                index = self.languages.index(self.lang) if self.lang in self.languages else -1
                self.next_lang = self.languages[(index + 1) % len(self.languages)]
            else:
                self.next_lang = ""
        if reload and self.sm is not None and self.sm.current != "welcome":
            self.sm.current_screen.reload()

    def next_language(self) -> None:
        if self.next_lang:
            self.set_language(self.next_lang)

    def set_text_scale(self, scale: float) -> None:
        with memory.quiet():
            theme.scale = min(SCALES, key=lambda s: abs(s - scale))

    def toggle_contrast(self) -> None:
        with memory.quiet():
            theme.contrast = not theme.contrast

    def toggle_open_now(self) -> None:
        with memory.quiet():
            self.open_now = not self.open_now
        if self.sm is not None and self.sm.current in ("home", "category"):
            self.sm.current_screen.reload()

    # ------------------------------------------------------------ idle and reset

    def _activity(self, _window, touch) -> bool:
        if self.rest is not None:
            self.rest.touched()
        if self.idle is not None and self.idle.activity():
            touch.ud["kiosk.idle_answer"] = True
        return False

    def on_discreet(self, _instance, value: bool) -> None:
        # a sensitive page left on screen is seen by whoever comes next: it starts over sooner
        if self.idle is not None:
            self.idle.sensitive = bool(value)

    def _make_idle_prompt(self) -> IdlePrompt:
        """The "Are you still there?" prompt, made after the first frame (its kv rules and
        widgets cost 14 ms the welcome screen does not need), or when it is first due."""
        if self.idle_prompt is None:
            load_kv_rules("idle.kv", "scanning.kv")
            self.idle_prompt = IdlePrompt(app=self)
            self.idle_prompt.total = self.kiosk_config.kiosk.idle_countdown
        return self.idle_prompt

    def _idle_prompt(self, remaining: float) -> None:
        prompt = self._make_idle_prompt()
        prompt.show_seconds(remaining)
        if not prompt.showing:
            prompt.show(animation=self.animate)
            self.speech.idle_prompt(prompt.seconds)     # the number the screen shows

    def _idle_countdown(self, remaining: float) -> None:
        self._make_idle_prompt().show_seconds(remaining)

    def _idle_cancel(self) -> None:
        if self.idle_prompt is not None:
            self.idle_prompt.hide(animation=self.animate)

    def quick_exit(self) -> None:
        """"Quick exit": the neutral welcome screen at once, speech silenced, a print not yet
        sent cancelled, and the visit forgotten exactly as the idle reset forgets it."""
        self.stop_speech()
        cancel = getattr(self.printer, "cancel", None)
        if callable(cancel):
            cancel()
        if self.usage is not None:
            self.usage.visit_over()   # it ends now, not after an idle wait
        self.reset_session()

    def stop_speech(self) -> None:
        """Silence whatever the kiosk is reading aloud (if it has speech)."""
        for holder in (self, self.kiosk):
            stop = getattr(getattr(holder, "speech", None), "stop", None)
            if callable(stop):
                try:
                    stop()
                except Exception:  # noqa: BLE001 - leaving must never fail
                    log.exception("stopping speech failed")
                return

    def reset_session(self) -> None:
        """Forget the visitor: history, search, scroll positions, language, text size, contrast,
        and speech (off, at the default rate and volume)."""
        self.speech.reset()
        if self.usage is not None:
            self.usage.visit_over(idle=True)
        if self.idle_prompt is not None:
            self.idle_prompt.remove_now()
        self.history.clear()
        with memory.quiet():
            self.open_now = False
            theme.reset()
        self.set_language(self.default_language, reload=False)
        for screen in self.sm.screens:
            screen.reset_session()
        from kiosk.ui.handoff import forget_panels

        forget_panels(self)
        transition = self.sm.transition
        if transition.is_active:
            # finish the slide under way first, or it would complete later over the welcome
            # screen and leave the manager refusing touches meanwhile
            transition.stop()
        self.sm.transition = NoTransition()
        self.sm.current = "welcome"
        self.sm.transition = transition
        if self.idle is not None:
            self.idle.enable(False)

    # ------------------------------------------------------------ staff

    def exit_kiosk(self) -> None:
        log.warning("kiosk closed from the staff panel")
        self.strict = False
        self.stop()


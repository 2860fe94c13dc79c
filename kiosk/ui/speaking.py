"""Speech on the touch screen and the keypad: the app's :class:`SpeechController` (``app.speech``).

The controller owns the speech mode the visitor turns on ("Dëgjo / Listen" in every top bar, or
any keypad key) and drives :class:`kiosk.speech.engine.SpeechEngine`, which synthesises and plays
off the main thread and returns at once from every call. While speech is on:

- a screen that opens says what a visitor needs to choose (:meth:`screen_ready`): home every
  topic, a category or the search results each row's name and status, a service its name,
  status, phone, where to go and take-away, then how to hear the whole page
  (:func:`kiosk.ui.spoken.opening_parts`); Listen reads the whole page;
- touching a card or a button says it; a touch anywhere (but on the speech controls) first
  interrupts what was being said (EN 301 549 5.1.3.5);
- the keypad moves a focus ring through the screen (:mod:`kiosk.ui.focus`);
- the idle countdown waits while speech plays (:meth:`reading_aloud`, the watcher's ``busy``),
  and the touch that answers "are you still there?" only answers it: it says nothing of the
  card under the question.

What is said comes from the plain functions of :mod:`kiosk.speech` (:mod:`kiosk.ui.spoken`
picks the one for the screen on show). :meth:`stop` silences speech at once (the quick exit
calls it); :meth:`reset` (the idle reset) also turns speech off and puts the rate and volume back
to the configured defaults (5.1.3.13). The staff PIN is never spoken: only "digit entered".
"""
from __future__ import annotations

import logging
import weakref
from collections import deque
from typing import Any, Iterable, Optional

from kivy.clock import Clock
from kivy.event import EventDispatcher
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.speech import keypad as kp
from kiosk.speech import receipts, screens
from kiosk.speech.engine import GAINS_DB, RATES, SpeechEngine, as_parts
from kiosk.speech.parts import Part, join
from kiosk.ui import spoken
from kiosk.ui.threads import on_main
from kiosk.ui.widgets import KButton

log = logging.getLogger(__name__)

#: parts said when a screen without an opening of its own opens (the staff panel, a QR page):
#: its heading and first lines (Listen reads all of it)
OPENING_PARTS = 3
#: the Listen buttons and speech bars on screen: touching them never interrupts speech
_CONTROLS: "weakref.WeakSet[Any]" = weakref.WeakSet()


class ListenButton(KButton):
    """"Dëgjo / Listen" in every top bar: speech on, and the screen read from the top."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        _CONTROLS.add(self)


class SpeechBar(BoxLayout):
    """Beside Listen while speech is on: speech off, pause, repeat, speed and volume in steps."""

    speech_bar = True     # the focus ring lists it with the top bar, after the page
    focus_section = "speech"      # one section of the focus ring (Left and Right jump)
    compact = BooleanProperty(False)
    #: the narrowest panels (720 px wide, portrait): speed and volume as figures only
    narrow = BooleanProperty(False)
    #: the top bar has no room for the demo notice in its row: it asks for it here...
    ribbon_wanted = BooleanProperty(False)
    #: ...and it is shown here while the bar is on and has room for it between its groups
    ribbon_shown = BooleanProperty(False)

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        _CONTROLS.add(self)

    def on_touch_down(self, touch):
        if self.opacity <= 0:
            return False     # folded away: its buttons (laid out over the bar) take nothing
        if super().on_touch_down(touch):
            return True
        # between its buttons too: a touch here is for speech, not for the page below
        return self.collide_point(*touch.pos)

    def on_touch_move(self, touch):
        return super().on_touch_move(touch) if self.opacity > 0 else False

    def on_touch_up(self, touch):
        return super().on_touch_up(touch) if self.opacity > 0 else False


class SpeechController(EventDispatcher):
    """``app.speech``: the speech mode, its controls, and what the kiosk says when."""

    on = BooleanProperty(False)          # the visitor turned speech on
    available = BooleanProperty(False)   # the engine can speak (espeak-ng and a sound device)
    speaking = BooleanProperty(False)
    paused = BooleanProperty(False)
    rate = NumericProperty(1)            # 0 .. len(RATES) - 1
    volume = NumericProperty(2)          # 0 .. len(GAINS_DB) - 1
    #: the last text fed to the engine, a part a line (tests and the staff panel read it)
    last_text = StringProperty("")
    #: how the visitor turned speech on: screens.BY_TOUCH (Listen), screens.BY_KEYPAD, "" (off)
    way_in = StringProperty("")

    rates = len(RATES)
    volumes = len(GAINS_DB)

    def __init__(self, app: Any, engine: SpeechEngine, section: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.app = app
        self.engine = engine
        self.default_rate = getattr(section, "rate_step", 1)
        self.default_volume = getattr(section, "volume_step", 2)
        self.keymap = kp.KeyMap(getattr(section, "keys", None) or None)
        #: what was fed to the engine, newest last: (language, text)
        self.history: deque[tuple[str, str]] = deque(maxlen=100)
        self.said = 0                # how many times say() fed the engine
        self.focus = None            # kiosk.ui.focus.FocusController, made in install()
        self._heard = on_main(self._engine_event)
        self.rate, self.volume = self.default_rate, self.default_volume
        self.use_engine(engine)

    def use_engine(self, engine: SpeechEngine) -> None:
        """Speak with ``engine`` from now on (at the visitor's rate and volume)."""
        self.engine = engine
        if hasattr(engine, "listener"):
            engine.listener = lambda name, _number: self._heard(name)
        engine.set_rate(self.rate)
        engine.set_volume(self.volume)
        self.refresh()

    # ------------------------------------------------------------ wiring

    def install(self, window: Any) -> None:
        """Watch touches (bound after the lockdown filter, so it runs first... and lets them pass)."""
        from kiosk.ui.focus import FocusController

        self.focus = FocusController(self.app, self, window)
        window.bind(on_touch_down=self._touch_down, on_touch_up=self._touch_up)
        self.app.sm.bind(current=self._screen_changed)
        idle = getattr(self.app, "idle", None)
        if idle is not None:
            idle.busy = self.reading_aloud    # no "are you still there?" over a reading

    def reading_aloud(self) -> bool:
        """Is the kiosk reading to the visitor now (speech on, playing, not paused)?"""
        status = self.engine.status()
        return bool(self.on and status is not None and status.speaking and not status.paused)

    def refresh(self) -> None:
        status = self.engine.status()
        self.available = bool(status and status.available)

    def status_line(self, lang: str) -> str:
        """The staff panel's line about speech."""
        status = self.engine.status()
        return status.message(lang) if status is not None else ""

    def _engine_event(self, name: str) -> None:
        status = self.engine.status()
        if status is None:
            return
        self.speaking, self.paused = status.speaking, status.paused
        if not status.available and self.available:
            self.available = False

    # ------------------------------------------------------------ speaking

    def say(self, speech: Iterable[Part] | Part | str, lang: Optional[str] = None) -> None:
        """Say ``speech`` now, interrupting whatever was being said."""
        lang = lang or self.app.lang
        parts = as_parts(speech, lang)
        if not parts:
            return
        text = join(parts)
        self.last_text = text
        self.history.append((lang, text))
        self.said += 1
        self.paused = False
        self.engine.speak(parts, lang)
        self.speaking = self.available

    def stop(self) -> None:
        """Silence at once (a new action, the quick exit). Speech stays on."""
        self.engine.stop()
        self.speaking = self.paused = False

    def turn_on(self, way_in: str = screens.BY_KEYPAD) -> bool:
        """Speech on; True if it was off. ``way_in``: how (a key, unless Listen was touched)."""
        was_off = not self.on
        if was_off:
            self.way_in = way_in
        self.on = True
        return was_off

    def turn_off(self) -> None:
        self.stop()
        self.on = False
        self.way_in = ""
        if self.focus is not None:
            self.focus.clear()

    def listen(self) -> None:
        """"Dëgjo / Listen": speech on, and the whole screen read from the top."""
        self.turn_on(screens.BY_TOUCH)
        self.read_screen()

    def read_screen(self, opening: bool = False) -> None:
        if opening and self.app.sm.current != "welcome":
            self.say(spoken.opening_parts(self.app, self.app.lang, OPENING_PARTS))
        else:
            self.say(spoken.screen_parts(self.app, self.app.lang))

    def pause_resume(self) -> None:
        if self.paused:
            self.engine.resume()
            self.paused = False
        elif self.speaking:
            self.engine.pause()
            self.paused = True
        else:
            self.say(kp.paused(self.app.lang))

    def repeat(self) -> None:
        self.paused = False
        self.engine.repeat()

    def change_rate(self, step: int) -> None:
        self.rate = max(0, min(self.rates - 1, self.rate + step))
        self.engine.set_rate(self.rate)
        self.say(kp.speed_feedback(self.rate, self.rates, self.app.lang))

    def change_volume(self, step: int) -> None:
        self.volume = max(0, min(self.volumes - 1, self.volume + step))
        self.engine.set_volume(self.volume)
        self.say(kp.volume_feedback(self.volume, self.volumes, self.app.lang))

    def help(self) -> None:
        # on a tall portrait panel, where the foot stands under this screen: say it is there
        stage = getattr(self.app, "stage", None)
        self.say(screens.help_text(self.app.lang, keymap=self.keymap,
                                   foot=bool(stage is not None and stage.foot_shown)))

    def reset(self) -> None:
        """The next visitor: silence, speech off, the configured rate and volume."""
        self.engine.reset()
        self.rate, self.volume = self.default_rate, self.default_volume
        self.engine.set_rate(self.rate)
        self.engine.set_volume(self.volume)
        self.on = self.speaking = self.paused = False
        self.last_text = self.way_in = ""
        if self.focus is not None:
            self.focus.clear()

    # ------------------------------------------------------------ what happens on screen

    def screen_ready(self, screen: Any) -> None:
        """A screen delivered its data: say its opening if it is the one on show."""
        if self.on and self.app.sm is not None and self.app.sm.current == screen.name:
            if self.focus is not None:
                self.focus.screen_changed()
            self.read_screen(opening=True)

    def _screen_changed(self, _sm: Any, name: str) -> None:
        if self.focus is not None:
            self.focus.screen_changed()
        if not self.on:
            return
        screen = self.app.sm.get_screen(name)
        if not getattr(screen, "loading", False):
            self.read_screen(opening=True)
        else:
            self.stop()    # the page is on its way: its opening follows in screen_ready

    def idle_prompt(self, seconds: float) -> None:
        if self.on:
            self.say(screens.idle_prompt(int(seconds), self.app.lang))

    def masked(self, count: int, deleted: bool = False) -> None:
        """A key of the staff PIN pad: never the digit."""
        if self.on:
            self.say(kp.masked_entry(count, self.app.lang, deleted))

    def printing(self, code: str, slip: Any = None) -> None:
        """The printing outcome; after a printed slip, what the slip says (the visitor's receipt)."""
        if not self.on:
            return
        parts = receipts.printing_outcome(code, self.app.lang)
        if slip is not None:
            parts += receipts.slip(slip)
        self.say(parts)

    # ------------------------------------------------------------ touches

    def _on_control(self, touch: Any) -> bool:
        for widget in list(_CONTROLS):
            if widget.get_root_window() is None or widget.opacity <= 0 or widget.disabled:
                continue
            if widget.collide_point(*widget.to_widget(*touch.pos)):
                return True
        return False

    def _touch_down(self, _window: Any, touch: Any) -> bool:
        if not self.on:
            return False
        touch.ud["speech.control"] = control = self._on_control(touch)
        touch.ud["speech.screen"] = spoken.where(self.app)
        touch.ud["speech.said"] = self.said
        idle = getattr(self.app, "idle", None)
        # the question is still up for this touch (the app's watcher may hear it after us)
        touch.ud["speech.answers"] = bool(idle is not None and idle.prompting)
        if not control:
            self.stop()     # every action interrupts what was being said
        return False

    def _touch_up(self, _window: Any, touch: Any) -> bool:
        if not self.on or touch.ud.get("speech.control") or "speech.screen" not in touch.ud:
            return False
        if touch.ud.get("kiosk.corner_hold"):
            return False
        if touch.ud.get("speech.answers") or touch.ud.get("kiosk.idle_answer"):
            return False    # it answered "are you still there?", and does nothing else
        dx, dy = touch.x - touch.ox, touch.y - touch.oy
        if dx * dx + dy * dy > dp(24) ** 2:
            return False    # a swipe or a scroll, not a touch on a card
        before, said = touch.ud["speech.screen"], touch.ud.get("speech.said")
        Clock.schedule_once(lambda _dt: self._touched(touch.pos, before, said), 0)
        return False

    def _touched(self, pos: tuple[float, float], before: tuple, said: Optional[int] = None) -> None:
        """After a tap: say what was touched, unless it opened another page (which says its own)
        or the action said something itself ("Thank you!" for a report, "Printing your slip"),
        which the touched button's name would cut off."""
        if spoken.where(self.app) != before or self.app.sm.transition.is_active:
            return
        if said is not None and self.said != said:
            return
        if self.focus is None:
            return
        target = self.focus.touched(pos)
        if target is None:
            return
        if target.masked:
            return          # a PIN key: the staff screen says "digit entered" itself
        self.say(target.speech(self.app.lang))

"""``kiosk screenshots DIR``: every screen, in both languages and in high contrast, as PNG files.

The real app runs in-process (under Xvfb in CI) and is driven through the same methods a touch
would call; each picture is drawn into an off-screen framebuffer of the chosen size, so a small
virtual screen does not crop a 1920x1080 or portrait picture. Opening hours are judged at a fixed
moment (a Wednesday morning) so the pictures do not change from day to day. The app comes wired
from :func:`kiosk.app.screenshot_app` (the UI never imports the wiring point).

The service screen is also drawn once per QR code choice (save contact, open on phone, call,
directions) in each language, on a service whose provider has all four; without a configured
``[handoff] public_base_url`` the pictures use :data:`PUBLIC_BASE_URL`.

``--check`` draws each panel size (``--size WxH``) twice: every screen at the first text size,
then the six of :data:`LARGE_SCREENS` at the largest (``welcome-sq-large-1366x768.png``...), where
text outgrows its boxes and the bars (:func:`checked_variants`).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Optional

log = logging.getLogger(__name__)

#: The moment the screenshots show (Europe/Tirane wall-clock time): Wednesday 10:30.
FIXED_NOW = datetime(2026, 11, 25, 10, 30)

#: Where the "open on phone" codes point when the configuration names no public server.
PUBLIC_BASE_URL = "https://sherbime.elbasan.gov.al"
#: The service screen once per QR code choice (``service-qr-contact-sq.png``...).
QR_KINDS = ("contact", "link", "call", "directions")
QR_SCREENS = tuple(f"service-qr-{kind}" for kind in QR_KINDS)

#: Visitors in danger: the urgent-help screen, and a sensitive service with its discreet
#: "save contact" code shown (``urgent-sq.png``, ``service-sensitive-sq.png``).
DANGER = ("urgent", "service-sensitive")
#: every panel size the kiosk is drawn for (``make screenshots``): the 7" Raspberry Pi displays,
#: 10.1" panels, 15-27" monitors, a 32" 4K panel, and portrait panels and totems
SIZES = ((800, 480), (1024, 600), (1280, 720), (1280, 800), (1366, 768), (1920, 1080),
         (3840, 2160), (720, 1280), (1080, 1920))
#: what a visitor might meet from another system's data (issue 15), drawn when the catalogue has it:
#: a service whose website is http: (text only, no code) and one with a very long name
EXTRA_SCREENS = ("service-http", "service-http-site", "service-long", "category-long")
SIZE_SCREENS = ("welcome", "home", "category", "service", "organization", "search", "idle",
                "staff-pin", "staff", "speech-controls", "speech-search", "speech-search-empty"
                ) + EXTRA_SCREENS + DANGER
#: the screens ``--check`` draws again at the largest text size at every panel size: where the
#: biggest text meets the edges and the bars (the welcome's title and how-to-listen lines, the
#: topic and service lists, a service with its take-away buttons, the search keyboard, urgent
#: help). Not every screen: each size already draws 18, and these six add about a third.
LARGE_SCREENS = ("welcome", "home", "category", "service", "search", "urgent")
#: a name longer than this is "very long" (what the kiosk shows on a line is about 120)
LONG_NAME = 120

SEARCH_WORDS = {"sq": ("çerdh", "ndihm", "strehim", "pension"), "en": ("nursery", "help", "shelter", "child")}
FULL = ("welcome", "home", "category", "service", "organization", "search", "idle", "staff-pin", "staff")
#: Speech (issue 13): the speech bar beside Listen on a service, the keypad's focus ring on home,
#: the search screen with the speech bar taking room from its keyboard (with results, and empty).
SPEECH_SCREENS = ("speech-controls", "focus-ring", "speech-search", "speech-search-empty")


@dataclass(frozen=True)
class Variant:
    lang: str
    contrast: bool = False
    scale: float = 1.0
    size: tuple[int, int] = (1920, 1080)
    suffix: str = ""
    screens: tuple[str, ...] = FULL

    def filename(self, screen: str) -> str:
        parts = [screen, self.lang]
        if self.contrast:
            parts.append("contrast")
        if self.scale != 1.0:
            parts.append("large")
        if self.suffix:
            parts.append(self.suffix)
        return "-".join(parts) + ".png"


def size_variant(lang: str, size: tuple[int, int]) -> Variant:
    """Every screen at one panel size: ``home-sq-800x480.png``..."""
    return Variant(lang, size=tuple(size), suffix=f"{size[0]}x{size[1]}", screens=SIZE_SCREENS)


def large_variant(lang: str, size: tuple[int, int], screens: tuple[str, ...] = LARGE_SCREENS) -> Variant:
    """``screens`` (:data:`LARGE_SCREENS`) at one panel size at the largest text:
    ``home-sq-large-800x480.png``..."""
    from kiosk.ui.theme import SCALES

    return Variant(lang, scale=max(SCALES), size=tuple(size), suffix=f"{size[0]}x{size[1]}",
                   screens=tuple(screens))


def checked_variants(variants: list[Variant]) -> list[Variant]:
    """What ``--check`` draws: ``variants``, each one at a panel size (with a size suffix, such
    as :func:`size_variant`) followed by those of its screens in :data:`LARGE_SCREENS` at the
    largest text (:func:`large_variant`), unless the list already has that size at that text.
    The largest text is where words outgrow their boxes and the bars."""
    from kiosk.ui.theme import SCALES

    largest = max(SCALES)
    have = {(v.lang, v.size) for v in variants if v.scale == largest and v.suffix}
    checked: list[Variant] = []
    for variant in variants:
        checked.append(variant)
        screens = tuple(s for s in LARGE_SCREENS if s in variant.screens)
        key = (variant.lang, variant.size)
        if variant.suffix and variant.scale != largest and screens and key not in have:
            checked.append(large_variant(variant.lang, variant.size, screens))
            have.add(key)
    return checked


def parse_size(text: str) -> tuple[tuple[int, int], Optional[float]]:
    """``"1280x800"`` or ``"1280x800@10.1"`` (a diagonal in inches): ((1280, 800), 10.1)."""
    size, _, diagonal = text.strip().lower().partition("@")
    width, sep, height = size.partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise ValueError(text)
    w, h = int(width), int(height)
    if not (320 <= w <= 8192 and 320 <= h <= 8192):
        raise ValueError(text)
    return (w, h), (float(diagonal) if diagonal else None)


def default_variants(languages: tuple[str, ...]) -> list[Variant]:
    variants = [Variant(lang, screens=FULL + QR_SCREENS + DANGER + SPEECH_SCREENS) for lang in languages]
    variants += [Variant(lang, contrast=True, screens=FULL + SPEECH_SCREENS) for lang in languages]
    first = languages[0]
    variants.append(Variant(first, scale=1.5, screens=("home", "service", "search")))
    # other panel sizes: `--size WxH`, one process each (their own density; make screenshots)
    return variants


class Renderer:
    """Drives a running (embedded) app from screen to screen and captures the window."""

    def __init__(self, app):
        from kivy.base import EventLoop

        self.app = app
        self.loop = EventLoop

    def pump(self, frames: int = 1) -> None:
        for _ in range(frames):
            self.loop.idle()

    def settle(self, min_frames: int = 4, timeout: float = 10.0) -> None:
        """Run frames until background work, transitions and animations are done."""
        import time

        deadline = time.monotonic() + timeout
        self.pump(min_frames)
        while time.monotonic() < deadline:
            busy = self.app.reads.pending or self.app.sm.transition.is_active
            if not busy:
                self.pump(3)
                if not (self.app.reads.pending or self.app.sm.transition.is_active):
                    break
            self.pump(1)
            time.sleep(0.005)

    def capture(self, path: Path) -> Path:
        """Draw the whole window (screens and pop-ups) into an off-screen buffer and save it."""
        from kivy.core.window import Window
        from kivy.graphics import ClearBuffers, ClearColor, Fbo
        from PIL import Image as PILImage

        self.pump(2)
        width, height = (int(v) for v in Window.size)
        fbo = Fbo(size=(width, height), with_stencilbuffer=True)
        with fbo:
            ClearColor(*Window.clearcolor)      # the screens' background (KioskApp.build)
            ClearBuffers()
        canvas = Window.canvas
        parent = Window.render_context
        index = parent.indexof(canvas)
        parent.remove(canvas)
        try:
            fbo.add(canvas)
            fbo.draw()
            pixels = fbo.texture.pixels
            fbo.remove(canvas)
        finally:
            parent.insert(index, canvas) if index >= 0 else parent.add(canvas)
        image = PILImage.frombytes("RGBA", (width, height), pixels).transpose(PILImage.FLIP_TOP_BOTTOM)
        path.parent.mkdir(parents=True, exist_ok=True)
        image.convert("RGB").save(path, optimize=True)
        return path


def _pick_subjects(services, lang: str) -> dict[str, Optional[str]]:
    """A category with the most services, its richest service, and that service's provider."""
    cards = services.categories(lang)
    if not cards:
        return {"category": None, "service": None, "organization": None}
    category = max(cards, key=lambda c: (c.has_children, c.service_count))
    page = services.category_page(category.id, lang)
    best, best_score = None, -1
    for row in (page.services if page else ())[:30]:
        detail = services.service(row.id, lang)
        if detail is None:
            continue
        score = (len(detail.documents) + 2 * len(detail.locations) + (3 if detail.alert else 0)
                 + (2 if detail.eligibility else 0) + (2 if detail.application_process else 0)
                 + (1 if detail.fees else 0) + len(detail.organization.phones))
        if score > best_score:
            best, best_score = detail, score
    return {"category": category.id, "service": best.id if best else None,
            "organization": best.organization.id if best else None}


def _pick_extras(services, lang: str) -> dict[str, Optional[str]]:
    """A service whose website is http: and the one with the longest name (over
    :data:`LONG_NAME`) with one of its categories, when the catalogue has them."""
    found: dict[str, Optional[str]] = {"http": None, "long": None, "long_category": None}
    longest = LONG_NAME
    for card in services.categories(lang):
        page = services.category_page(card.id, lang)
        for row in (page.services if page else ()):
            if len(row.name) > longest:
                longest, found["long"], found["long_category"] = len(row.name), row.id, card.id
            if found["http"] is None:
                detail = services.service(row.id, lang)
                sites = (detail.url, detail.organization.website) if detail else ()
                if any(site.startswith("http:") for site in sites):
                    found["http"] = row.id
    return found


def _pick_qr_service(services, lang: str, public_base_url: Optional[str],
                     preferred: Optional[str]) -> Optional[str]:
    """A service that offers every QR code choice, its provider's contact card with a website:
    ``preferred`` if it does, else the first such service category by category."""
    from kiosk.handoff.payloads import service_choices

    def complete(service_id: Optional[str]) -> bool:
        detail = services.service(service_id, lang) if service_id else None
        if detail is None:
            return False
        choices = {c.kind: c.payload for c in service_choices(detail, lang, public_base_url)}
        return set(choices) >= set(QR_KINDS) and "\r\nURL:https://" in choices["contact"]

    if complete(preferred):
        return preferred
    for card in services.categories(lang):
        page = services.category_page(card.id, lang)
        for row in (page.services if page else ()):
            if complete(row.id):
                return row.id
    return None


def _open_service(renderer: Renderer, service_id: str):
    """Open a service and wait for its QR code (made off the main thread); its hand-off panel."""
    from kiosk.ui.handoff import HandoffPanel

    app = renderer.app
    app.open_service(service_id)
    renderer.settle()
    screen = app.sm.get_screen("service")
    panel = next((w for w in screen.walk(restrict=True) if isinstance(w, HandoffPanel)), None)
    if panel is not None:
        _wait_for_code(renderer, panel)
    return panel


def _wait_for_code(renderer: Renderer, panel, timeout: float = 10.0) -> None:
    import time

    choice = panel.choice(panel.selected)
    deadline = time.monotonic() + timeout
    while choice is not None and panel.ids.qr.payload != choice.payload and time.monotonic() < deadline:
        renderer.pump(1)
        time.sleep(0.005)


def _show_qr_choices(renderer: Renderer, service_id: str, wanted: set[str],
                     shot: Callable[[str], None]) -> None:
    """The service screen with each QR code choice selected and its code drawn."""
    panel = _open_service(renderer, service_id)
    for kind in QR_KINDS:
        if panel is None or panel.choice(kind) is None or f"service-qr-{kind}" not in wanted:
            continue
        panel.select(kind)
        _wait_for_code(renderer, panel)
        shot(f"service-qr-{kind}")


def _pick_sensitive_service(services, lang: str) -> Optional[str]:
    """A sensitive service that offers a "save contact" code (the first, category by category)."""
    from kiosk.handoff.payloads import service_choices

    for card in services.categories(lang):
        page = services.category_page(card.id, lang)
        for row in (page.services if page else ()):
            detail = services.service(row.id, lang)
            if detail is not None and detail.sensitive and any(
                    c.kind == "contact" for c in service_choices(detail, lang)):
                return row.id
    return None


def _show_danger(renderer: Renderer, wanted: set[str], sensitive: Optional[str],
                 shot: Callable[[str], None]) -> None:
    """The urgent-help screen with its call codes drawn, and a sensitive service with its
    discreet contact code (and its prominent quick exit)."""
    import time

    app = renderer.app
    if "urgent" in wanted:
        app.open_urgent()
        renderer.settle()
        urgent = app.sm.get_screen("urgent")
        deadline = time.monotonic() + 10
        while not urgent.codes_shown and time.monotonic() < deadline:
            renderer.pump(1)
            time.sleep(0.005)
        shot("urgent")
    if sensitive and "service-sensitive" in wanted:
        panel = _open_service(renderer, sensitive)
        if panel is not None and panel.choice("contact") is not None:
            panel.select("contact")
            _wait_for_code(renderer, panel)
        shot("service-sensitive")


def _search_word(services, lang: str, fallback: str) -> str:
    for word in SEARCH_WORDS.get(lang, ()):
        if services.search(word, lang):
            return word
    return fallback


def _type_search(renderer: Renderer, variant: Variant, subjects: dict[str, Optional[str]]) -> None:
    """The search screen with a word typed on its keyboard, results shown."""
    import time

    app = renderer.app
    app.open_search()
    renderer.settle()
    search = app.sm.get_screen("search")
    search.clear_query()
    renderer.settle()
    keyboard = search.ids.keyboard
    fallback = (app.reads.service(subjects["service"], variant.lang).name[:5].lower()
                if subjects["service"] else "a")
    for char in _search_word(app.reads, variant.lang, fallback):
        key = keyboard.key_for(char)
        if key is not None:
            key.dispatch("on_release")
        else:
            search.type_key(char)
        renderer.pump(1)
    renderer.settle()
    time.sleep(0.2)  # the search waits for typing to pause
    renderer.settle()


def _show_idle(renderer: Renderer, shot: Callable[[str], None]) -> None:
    """The "are you still there?" prompt over the home screen, then away again."""
    app = renderer.app
    app.go_home()
    renderer.settle()
    idle = app.idle
    idle.last_activity = idle.now() - idle.timeout - 3
    idle.tick()
    renderer.settle(min_frames=8)
    shot("idle")
    idle.activity()
    renderer.settle(min_frames=8)


def _show_speech(renderer: Renderer, service_id: Optional[str], wanted: set[str],
                 shot: Callable[[str], None], search: Callable[[], None]) -> None:
    """Speech on: its controls on a service page; the focus ring on the third item of home;
    the search screen (``search`` types its word) under the speech controls."""
    app = renderer.app
    speech = app.speech
    if "speech-controls" in wanted and service_id:
        _open_service(renderer, service_id)
        speech.turn_on()
        speech.stop()
        shot("speech-controls")
    if "focus-ring" in wanted:
        app.go_home()
        renderer.settle()
        speech.turn_on()
        for _ in range(3):
            speech.focus.move(1)
        speech.stop()
        renderer.settle(min_frames=6)
        shot("focus-ring")
    if "speech-search" in wanted:
        search()
        speech.turn_on()
        speech.stop()
        renderer.settle(min_frames=6)
        shot("speech-search")
        app.sm.get_screen("search").clear_query()
        renderer.settle(min_frames=6)
        shot("speech-search-empty")     # the "what are you looking for?" hint, in the room left
    speech.turn_off()
    renderer.settle()


def _show_staff(renderer: Renderer, wanted: set[str], shot: Callable[[str], None]) -> None:
    app = renderer.app
    app.go("staff", {})
    staff = app.sm.get_screen("staff")
    if "staff-pin" in wanted:
        staff.pin = "12"
        shot("staff-pin")
    if "staff" in wanted:
        staff.pin = ""
        staff.mode = "panel"
        staff.load_panel()
        shot("staff")


def _prepare_variant(renderer: Renderer, variant: Variant) -> None:
    from kivy.core.window import Window

    from kiosk.ui.theme import theme

    app = renderer.app
    if tuple(Window.size) != variant.size:
        Window.size = variant.size
        renderer.pump(6)
    app.reset_session()
    app.set_language(variant.lang, reload=False)
    if theme.contrast != variant.contrast:
        app.toggle_contrast()
    app.set_text_scale(variant.scale)
    renderer.settle()


def _still_moving(renderer: Renderer, frames: int = 4) -> list[str]:
    """The texts whose place or size changes over ``frames`` more frames of a settled page: a
    layout feeding on itself (a height fitted to rows read half laid out) moves every frame,
    redraws for ever and keeps a core busy on a kiosk nobody touches."""
    from kivy.core.window import Window
    from kivy.uix.label import Label

    def places() -> dict[int, tuple]:
        return {id(w): (w.text[:30], *(round(v) for v in (*w.to_window(*w.pos), *w.size)))
                for root in Window.children for w in root.walk(restrict=True)
                if isinstance(w, Label) and w.text}

    before = places()
    renderer.pump(frames)
    after = places()
    return sorted({after[k][0] for k in after.keys() & before.keys() if after[k] != before[k]})


def render_variant(renderer: Renderer, variant: Variant, out_dir: Path,
                   subjects: dict[str, Optional[str]], problems: Optional[list] = None,
                   on_shot: Optional[Callable[[str, Variant, Any], None]] = None) -> list[Path]:
    app = renderer.app
    _prepare_variant(renderer, variant)
    written: list[Path] = []

    def shot(screen: str) -> None:
        renderer.settle()
        written.append(renderer.capture(out_dir / variant.filename(screen)))
        if problems is not None and screen != "idle":     # (its countdown moves on purpose)
            moving = _still_moving(renderer)
            if moving:
                problems.append(f"{variant.filename(screen)}: still moving after it settled "
                                f"(a layout that never comes to rest): {moving}")
        if on_shot is not None:
            on_shot(screen, variant, app)
        if problems is not None:
            from kiosk.ui.cliptest import clipped
            from kivy.core.window import Window

            size = "x".join(str(int(v)) for v in Window.size)
            problems.extend(f"{variant.filename(screen)} [{size}]: {p}" for p in clipped(Window))
            qr = _first_code_out_of_view(app, screen)
            if qr:
                problems.append(f"{variant.filename(screen)} [{size}]: the first QR code: {qr}")
            problems.extend(f"{variant.filename(screen)} [{size}]: {p}" for p in _search_unfit(app, screen))
            problems.extend(f"{variant.filename(screen)} [{size}]: {p}" for p in under_foot(app))

    wanted = set(variant.screens)
    if "welcome" in wanted:
        shot("welcome")
    app.start(variant.lang)
    if "home" in wanted:
        shot("home")
    if subjects["category"] and "category" in wanted:
        app.open_category(subjects["category"])
        shot("category")
    if subjects["service"] and "service" in wanted:
        _open_service(renderer, subjects["service"])
        shot("service")
    if subjects.get("qr") and wanted & set(QR_SCREENS):
        _show_qr_choices(renderer, subjects["qr"], wanted, shot)
    if subjects.get("http") and "service-http" in wanted:
        _open_service(renderer, subjects["http"])
        shot("service-http")
        if "service-http-site" in wanted and _scroll_to_website(renderer, app.sm.get_screen("service")):
            shot("service-http-site")
    if subjects.get("long") and "service-long" in wanted:
        _open_service(renderer, subjects["long"])
        shot("service-long")
    if subjects.get("long_category") and "category-long" in wanted:
        app.open_category(subjects["long_category"])
        renderer.settle()
        _scroll_to_row(renderer, app.sm.get_screen("category"), subjects["long"])
        shot("category-long")
    if subjects["organization"] and "organization" in wanted:
        app.open_organization(subjects["organization"])
        shot("organization")
    if "search" in wanted:
        _type_search(renderer, variant, subjects)
        shot("search")
    if wanted & set(DANGER):
        _show_danger(renderer, wanted, subjects.get("sensitive"), shot)
    if wanted & set(SPEECH_SCREENS):
        _show_speech(renderer, subjects["service"], wanted, shot,
                     lambda: _type_search(renderer, variant, subjects))
    if "idle" in wanted:
        _show_idle(renderer, shot)
    if "staff-pin" in wanted or "staff" in wanted:
        _show_staff(renderer, wanted, shot)
    return written


def _search_unfit(app, screen: str) -> list[str]:
    """On a search screen: the typed words under the top bar, results shown in less than a row,
    or the results' scroll buttons over the typed words (what is wrong)."""
    from kiosk.ui.cliptest import window_rect as box
    from kiosk.ui.widgets import ScrollButtons

    if not screen.startswith(("search", "speech-search")):
        return []
    page = app.sm.get_screen("search")
    field, rv = page.ids.field, page.ids.rv
    wrong = []
    under = box(field)[3] - (page.height - page.ids.bar_space.height)
    if under > 0.5:
        wrong.append(f"the typed words are {under:.0f} px under the top bar")
    if page.state == "results":
        row = rv.layout_manager.default_size[1]
        if rv.height < row:
            wrong.append(f"the results show {rv.height:.0f} px, less than a row ({row:.0f})")
        fx0, fy0, fx1, fy1 = box(field)
        for buttons in (w for w in page.walk(restrict=True) if isinstance(w, ScrollButtons)):
            for b in buttons.children:
                x0, y0, x1, y1 = box(b)
                if b.opacity > 0 and x0 < fx1 and fx0 < x1 and y0 < fy1 and fy0 < y1:
                    wrong.append("a scroll button of the results lies over the typed words")
                    return wrong
    return wrong


def under_foot(app) -> list[str]:
    """With the foot on show (a tall portrait panel, :mod:`kiosk.ui.stage`): each text or button
    of the page that reaches under it, where the foot's urgent help and quick exit would hide it
    (what is wrong). A widget in a scroll view counts by the part of it the view shows."""
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.label import Label
    from kivy.uix.recycleview import RecycleView
    from kivy.uix.scrollview import ScrollView

    from kiosk.ui.cliptest import TOLERANCE, window_rect

    stage = getattr(app, "stage", None)
    if stage is None or not stage.foot_shown:
        return []
    foot_top = window_rect(stage.foot)[3]
    wrong: list[str] = []

    def visit(widget, low: float) -> None:
        if widget.opacity <= 0.01 or widget.width <= 0 or widget.height <= 0:
            return
        _x0, y0, _x1, y1 = window_rect(widget)
        bottom = max(y0, low)         # its lowest pixel on view
        if isinstance(widget, (Label, ButtonBehavior)) and bottom < y1 and bottom < foot_top - TOLERANCE:
            text = " ".join(str(getattr(widget, "text", "") or "").split())[:40]
            wrong.append(f"{type(widget).__name__} {text!r} reaches {foot_top - bottom:.0f} px "
                         f"under the foot (its top at {foot_top:.0f})")
            return
        if isinstance(widget, (ScrollView, RecycleView)):
            low = max(low, y0)        # what it holds shows only above its bottom edge
        for child in widget.children:
            visit(child, low)

    visit(app.sm.current_screen, 0.0)
    return wrong


def _first_code_out_of_view(app, screen: str) -> str:
    """On a window of 1024x600 or more, or a portrait one of 600x1024 or more, the service page's
    first QR code must be in view without scrolling (what is wrong, or empty), with speech off and
    with speech on (``speech-controls``: its controls take another row of the bar, and the page
    gives the code the room: the name beside the code on a small landscape panel,
    :meth:`kiosk.ui.service.ServiceScreen.place_head`; the explanation under it where room is
    short; the demo notice in a row of the bar rather than a band under it).

    Not at 800x480: a contact card's code is 356 px (89 modules of the 4 px a screen code needs),
    taller than the 319 px under the bar with speech on, and with speech off the code and its
    explanation need 379 of the 367 px left."""
    from kivy.core.window import Window

    from kiosk.ui.cliptest import out_of_view
    from kiosk.ui.handoff import HandoffPanel

    width, height = Window.size
    # (not "service-long": a 480-character name makes its contact card a 125-module code, 500 px
    # at the 4 px a module a screen code needs, taller than the room under the bar at 768-800 px)
    if screen not in ("service", "service-http", "speech-controls") or min(width, height) < 600 \
            or max(width, height) < 1024:
        return ""
    page = app.sm.get_screen("service")
    panel = next((w for w in page.walk(restrict=True) if isinstance(w, HandoffPanel)), None)
    if panel is None:
        return ""
    return out_of_view(panel.ids.qr, page.ids.scroll) if page.ids.scroll.scroll_y >= 0.999 else "page scrolled"


def _scroll_to_website(renderer: Renderer, page) -> bool:
    """Scroll the service page to its contact card's website line (shown as text)."""
    from kiosk.ui.widgets import InfoLine

    line = next((w for w in page.walk(restrict=True) if isinstance(w, InfoLine) and w.icon == "website"), None)
    if line is None:
        return False
    page.ids.scroll.scroll_to(line, padding=200, animate=False)
    renderer.settle()
    return True


def _scroll_to_row(renderer: Renderer, screen, item_id: Optional[str]) -> None:
    """Scroll a category list so that the row of ``item_id`` is in view."""
    rv = screen.ids.rv
    index = next((i for i, row in enumerate(rv.data) if row.get("item_id") == item_id), None)
    if index is None or len(rv.data) < 2:
        return
    renderer.pump(2)
    rv.scroll_y = max(0.0, 1.0 - index / (len(rv.data) - 1))
    renderer.settle()


def screenshot_config(config: Any) -> Any:
    """``config`` with :data:`PUBLIC_BASE_URL` when it names no public server (for the QR codes)."""
    if config.handoff.public_base_url:
        return config
    handoff = config.handoff.model_copy(update={"public_base_url": PUBLIC_BASE_URL})
    return config.model_copy(update={"handoff": handoff})


def render_all(app: Any, out_dir: Path, *, variants: Optional[list[Variant]] = None,
               problems: Optional[list] = None,
               on_shot: Optional[Callable[[str, Variant, Any], None]] = None) -> list[Path]:
    """Render the screens of ``app`` (made by :func:`kiosk.app.screenshot_app`, not yet running)
    to ``out_dir``; returns the files written. Stops the app afterwards. With ``problems`` (a
    list), every screen drawn is also checked for clipped text
    (:func:`kiosk.ui.cliptest.clipped`) and what is found is appended to it, and each panel
    size is drawn again at the largest text (:func:`checked_variants`). ``on_shot(screen,
    variant, app)``, when given, is called after each picture, with the screen still on view."""
    from kivy.base import runTouchApp

    out_dir = Path(out_dir)
    config = app.kiosk_config
    app._run_prepare()
    runTouchApp(embedded=True)
    renderer = Renderer(app)
    written: list[Path] = []
    try:
        renderer.settle()
        lang = config.kiosk.default_language
        subjects = _pick_subjects(app.reads, lang)
        subjects["qr"] = _pick_qr_service(app.reads, lang, config.handoff.public_base_url,
                                          subjects["service"])
        subjects["sensitive"] = _pick_sensitive_service(app.reads, lang)
        subjects.update(_pick_extras(app.reads, lang))
        chosen = variants or default_variants(tuple(config.kiosk.languages))
        for variant in checked_variants(chosen) if problems is not None else chosen:
            written += render_variant(renderer, variant, out_dir, subjects, problems, on_shot)
    finally:
        app.kiosk.close()
        app.stop()
    return written

"""``kiosk screenshots DIR``: every screen, in both languages and in high contrast, as PNG files.

The real app runs in-process (under Xvfb in CI) and is driven through the same methods a touch
would call; each picture is drawn into an off-screen framebuffer of the chosen size, so a small
virtual screen does not crop a 1920x1080 or portrait picture. Opening hours are judged at a fixed
moment (a Wednesday morning) so the pictures do not change from day to day. The app comes wired
from :func:`kiosk.app.screenshot_app` (the UI never imports the wiring point).

The service screen is also drawn once per QR code choice (save contact, open on phone, call,
directions) in each language, on a service whose provider has all four; without a configured
``[handoff] public_base_url`` the pictures use :data:`PUBLIC_BASE_URL`.
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

SEARCH_WORDS = {"sq": ("çerdh", "ndihm", "strehim", "pension"), "en": ("nursery", "help", "shelter", "child")}
FULL = ("welcome", "home", "category", "service", "organization", "search", "idle", "staff-pin", "staff")
#: Speech (issue 13): the speech bar beside Listen on a service, the keypad's focus ring on home.
SPEECH_SCREENS = ("speech-controls", "focus-ring")


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


def default_variants(languages: tuple[str, ...]) -> list[Variant]:
    variants = [Variant(lang, screens=FULL + QR_SCREENS + SPEECH_SCREENS) for lang in languages]
    variants += [Variant(lang, contrast=True, screens=FULL + SPEECH_SCREENS) for lang in languages]
    first = languages[0]
    variants.append(Variant(first, scale=1.5, screens=("home", "service", "search")))
    variants.append(Variant(first, size=(1280, 800), suffix="1280x800",
                            screens=("welcome", "home", "category", "service", "search", "idle")
                            + SPEECH_SCREENS))
    variants.append(Variant(first, size=(1080, 1920), suffix="portrait",
                            screens=("welcome", "home", "category", "service", "search")))
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
            ClearColor(0, 0, 0, 1)
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
                 shot: Callable[[str], None]) -> None:
    """Speech on: its controls on a service page; the focus ring on the third item of home."""
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


def render_variant(renderer: Renderer, variant: Variant, out_dir: Path,
                   subjects: dict[str, Optional[str]]) -> list[Path]:
    app = renderer.app
    _prepare_variant(renderer, variant)
    written: list[Path] = []

    def shot(screen: str) -> None:
        renderer.settle()
        written.append(renderer.capture(out_dir / variant.filename(screen)))

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
    if subjects["organization"] and "organization" in wanted:
        app.open_organization(subjects["organization"])
        shot("organization")
    if "search" in wanted:
        _type_search(renderer, variant, subjects)
        shot("search")
    if wanted & set(SPEECH_SCREENS):
        _show_speech(renderer, subjects["service"], wanted, shot)
    if "idle" in wanted:
        _show_idle(renderer, shot)
    if "staff-pin" in wanted or "staff" in wanted:
        _show_staff(renderer, wanted, shot)
    return written


def screenshot_config(config: Any) -> Any:
    """``config`` with :data:`PUBLIC_BASE_URL` when it names no public server (for the QR codes)."""
    if config.handoff.public_base_url:
        return config
    handoff = config.handoff.model_copy(update={"public_base_url": PUBLIC_BASE_URL})
    return config.model_copy(update={"handoff": handoff})


def render_all(app: Any, out_dir: Path, *, variants: Optional[list[Variant]] = None) -> list[Path]:
    """Render the screens of ``app`` (made by :func:`kiosk.app.screenshot_app`, not yet running)
    to ``out_dir``; returns the files written. Stops the app afterwards."""
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
        for variant in variants or default_variants(tuple(config.kiosk.languages)):
            written += render_variant(renderer, variant, out_dir, subjects)
    finally:
        app.kiosk.close()
        app.stop()
    return written

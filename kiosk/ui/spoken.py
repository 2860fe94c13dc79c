"""What the screen on show says, from the data it shows: one call into :mod:`kiosk.speech.screens`.

Each screen keeps what its last :meth:`~kiosk.ui.base.KioskScreen.apply` showed in
``spoken_data`` (plain dataclasses from the read facade); this module hands that to the plain
function for the screen. A page that could not be shown says why, as on screen; a sensitive
service first says that headphones are more private (EN 301 549 5.1.3.8-9).
"""
from __future__ import annotations

from typing import Any

from kiosk.speech import screens
from kiosk.speech.parts import Part, plain, say, sentence


def where(app: Any) -> tuple:
    """The page on show (screen and parameters), to tell whether a touch opened another one."""
    sm = app.sm
    if sm is None:
        return ()
    screen = sm.current_screen
    return sm.current, tuple(sorted(getattr(screen, "params", {}).items()))


def opening_parts(app: Any, lang: str, count: int) -> list[Part]:
    """What a screen says when it opens: its first ``count`` parts; a sensitive service only
    its privacy notice and how to hear the rest, so its name is not said out loud in the lobby
    unless the visitor asks (Listen, or the keypad's ring)."""
    screen = app.sm.current_screen
    data = getattr(screen, "spoken_data", None)
    if screen.name == "service" and data is not None and getattr(data[0], "sensitive", False) \
            and not getattr(screen, "failed", False):
        return screens.private_listening(lang) + [say(lang, screens.PRIVATE_NEXT)]
    return screen_parts(app, lang)[:count]


def screen_parts(app: Any, lang: str) -> list[Part]:
    """Everything the screen on show says, in reading order."""
    screen = app.sm.current_screen
    name = screen.name
    data = getattr(screen, "spoken_data", None)
    if name == "welcome":
        langs = list(app.languages)
        return screens.welcome(langs, app.kiosk_config.kiosk.centre_name)
    if getattr(screen, "failed", False):
        return screens.error("failed", lang)
    if name == "search":
        return screens.search(screen.query, data or (), lang)
    if name == "staff":
        return _visible_text(screen, lang)
    if data is None:
        return _visible_text(screen, lang) if not getattr(screen, "missing", False) else \
            screens.error(f"{name}_missing", lang)
    if name == "home":
        cards, open_now = data
        return screens.home(cards, lang, open_now)
    if name == "category":
        page, open_now = data
        return screens.category(page.category, page.services, lang, open_now)
    if name == "service":
        detail, today, addresses = data
        panel = _take_away_panel(screen)
        titles = [c.title for c in panel.choices] if panel is not None else []
        parts = screens.service(detail, lang, today, addresses, titles,
                                bool(panel is not None and panel.can_print))
        if getattr(detail, "sensitive", False):
            parts = screens.private_listening(lang) + parts
        return parts
    if name == "organization":
        return screens.organization(data, lang)
    if name == "urgent":
        return screens.urgent(data, lang)
    return _visible_text(screen, lang)


def _take_away_panel(screen: Any) -> Any:
    from kiosk.ui.handoff import HandoffPanel

    return next((w for w in screen.walk(restrict=True) if isinstance(w, HandoffPanel)), None)


def _visible_text(root: Any, lang: str) -> list[Part]:
    """The labels of a screen that has no spoken function (the staff panel), top to bottom."""
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.label import Label

    from kiosk.ui.focus import shown

    parts = []
    for widget in root.walk(restrict=True):
        if not (isinstance(widget, Label) and widget.text.strip() and shown(widget)):
            continue
        parent = widget.parent
        while parent is not None and parent is not root and not isinstance(parent, ButtonBehavior):
            parent = parent.parent
        if isinstance(parent, ButtonBehavior):
            continue    # keys and buttons are read one by one, as the focus reaches them
        parts.append(plain(lang, sentence(widget.text)))
    return parts

"""What the screen on show says, from the data it shows: one call into :mod:`kiosk.speech.screens`.

Each screen keeps what its last :meth:`~kiosk.ui.base.KioskScreen.apply` showed in
``spoken_data`` (plain dataclasses from the read facade); this module hands that to the plain
function for the screen. A page that could not be shown says why, as on screen; a sensitive
screen that would name something sensitive first says that headphones are more private
(EN 301 549 5.1.3.8-9), and a list says a sensitive row by its neutral title.
"""
from __future__ import annotations

from typing import Any

from kiosk.speech import cards, screens
from kiosk.speech.parts import Part, plain, say, sentence


def where(app: Any) -> tuple:
    """The page on show (screen and parameters), to tell whether a touch opened another one."""
    sm = app.sm
    if sm is None:
        return ()
    screen = sm.current_screen
    return sm.current, tuple(sorted(getattr(screen, "params", {}).items()))


#: the screens whose plain function has an opening of its own (``opening=True``): home and
#: urgent help say their whole list, the others what a visitor needs to choose, concisely
OPENINGS = frozenset({"home", "category", "search", "service", "organization", "urgent"})


def opening_parts(app: Any, lang: str, count: int = 3) -> list[Part]:
    """What a screen says when it opens. Home, a category, search results, a service, an
    organization and urgent help: their list (every topic, every row's name and status) or a
    service's name, status, phone, where to go and take-away, then how to hear the whole page
    (:func:`kiosk.speech.screens.the_rest`). Any other screen: its first ``count`` parts.

    A sensitive page (a service, a category, whatever sets ``screen.sensitive``) says only its
    privacy notice and how to hear the rest, so its name is not said out loud in the lobby
    unless the visitor asks (Listen, or the keypad's ring); a list holding a sensitive row the
    notice, then its opening, that row by its neutral title."""
    screen = app.sm.current_screen
    if _sensitive(screen):
        return screens.private_listening(lang) + [say(lang, screens.PRIVATE_NEXT)]
    if screen.name in OPENINGS and not getattr(screen, "failed", False) and (
            screen.name == "search" or getattr(screen, "spoken_data", None) is not None):
        return _screen_parts(app, lang, opening=True)
    parts = screen_parts(app, lang)
    private = screens.private_listening(lang)
    if parts[:len(private)] == private:
        count += len(private)        # the notice comes on top of what the screen says first
    return parts[:count]


def _sensitive(screen: Any) -> bool:
    """The page on show is itself sensitive (not a page that could not be shown)."""
    if getattr(screen, "failed", False) or getattr(screen, "missing", False):
        return False
    if screen.name == "urgent":      # the lines are said at once: the notice comes first, no more
        return False
    data = getattr(screen, "spoken_data", None)
    if screen.name == "service" and data is not None and getattr(data[0], "sensitive", False):
        return True
    return bool(getattr(screen, "sensitive", False))


def private_rows(screen: Any, lang: str) -> dict[str, str]:
    """The rows of a list on show that are said by their neutral title (the keypad's ring says
    them so too): item id -> what is said. Nothing on a sensitive page: the visitor chose it and
    heard the notice, so its rows are said by name, as the page is read (empty)."""
    if _sensitive(screen):
        return {}
    data = getattr(screen, "spoken_data", None)
    if data is None:
        return {}
    if screen.name == "search":
        rows = data
    elif screen.name == "category":
        rows = data[0].services
    elif screen.name == "organization":
        rows = data.services
    else:
        return {}
    return {r.id: cards.neutral_title(r.neutral_title, lang) for r in rows if getattr(r, "sensitive", False)}


def screen_parts(app: Any, lang: str) -> list[Part]:
    """Everything the screen on show says, in reading order; on a sensitive page the headphones
    notice first."""
    parts = _screen_parts(app, lang)
    private = screens.private_listening(lang)
    if _sensitive(app.sm.current_screen) and parts[:len(private)] != private:
        parts = private + parts
    return parts


def _screen_parts(app: Any, lang: str, opening: bool = False) -> list[Part]:
    """The screen on show's plain function; ``opening``: its opening (:data:`OPENINGS`)."""
    screen = app.sm.current_screen
    name = screen.name
    data = getattr(screen, "spoken_data", None)
    keymap = getattr(getattr(app, "speech", None), "keymap", None)
    if name == "welcome":
        langs = list(app.languages)
        # how the visitor turned speech on decides what they still need to hear of it
        return screens.welcome(langs, app.kiosk_config.kiosk.centre_name, keymap=app.speech.keymap,
                               listening=app.speech.way_in if app.speech.on else "")
    if getattr(screen, "failed", False):
        return screens.error("failed", lang)
    if name == "search":
        return screens.search(screen.query, data or (), lang, opening=opening, keymap=keymap)
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
        return screens.category(page.category, page.services, lang, open_now, subcategories=page.subcategories,
                                opening=opening, keymap=keymap)
    if name == "service":
        detail, today, addresses = data
        panel = _take_away_panel(screen)
        titles = [c.title for c in panel.choices] if panel is not None else []
        return screens.service(detail, lang, today, addresses, titles,
                               bool(panel is not None and panel.can_print), opening=opening, keymap=keymap)
    if name == "organization":
        return screens.organization(data, lang, bool(getattr(screen, "sensitive", False)),
                                    opening=opening, keymap=keymap)
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

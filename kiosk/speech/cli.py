"""``kiosk speak [--screen NAME] [--id ID] [--lang sq|en] [--opening] [--wav FILE]``.

Prints what a screen would say, a part a line (what Listen reads; with ``--opening``, what it
says when it opens with speech on), and with ``--wav`` writes it as a WAV file, so staff can
check the pronunciation. It reads the kiosk's catalogue (the bundled sample until a
feed has been loaded). ``--id`` is a category, service or organization id, the search text, the
idle seconds, a printing outcome or an error reason, by screen; without it the first one is used.
"""
from __future__ import annotations

import sys
import wave
from pathlib import Path
from typing import Callable

from kiosk.i18n import LANGUAGES, _
from kiosk.speech.parts import Part, join

SCREENS = ("welcome", "home", "category", "service", "organization", "search", "urgent", "idle",
           "printing", "slip", "help", "error", "private")


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("speak", help=_("print what a screen says and write it as a WAV file"))
    p.add_argument("--screen", choices=SCREENS, default="service", help=_("the screen to read"))
    p.add_argument("--id", default=None, help=_("the item to read (a service id, a search text...)"))
    p.add_argument("--lang", choices=LANGUAGES, default=None, help=_("language of the speech"))
    p.add_argument("--opening", action="store_true",
                   help=_("what the screen says when it opens with speech on, not the whole screen"))
    p.add_argument("--wav", type=Path, metavar="FILE", help=_("write the speech to this WAV file"))


class NotFound(Exception):
    pass


def _first(session, kind: str) -> str:
    from kiosk.catalogue import queries as q

    found = q.first_id(session, kind)
    if found is None:
        raise NotFound("")
    return found


def _catalogue_screen(session, screen: str, item: str | None, lang: str, config,
                      opening: bool = False) -> list[Part]:
    from kiosk.catalogue import queries as q
    from kiosk.catalogue.hours import local_now
    from kiosk.speech import receipts, screens

    said = {"opening": opening, "keymap": _keymap(config)}
    if screen == "home":
        return screens.home(q.top_categories(session, lang), lang)
    if screen == "category":
        term = item or next((c.id for c in q.top_categories(session, lang)), None)
        card = q.category(session, term, lang) if term else None
        if card is None:
            raise NotFound(term or "")
        return screens.category(card, q.rows_at(session, q.category_listing(session, term, lang)), lang,
                                subcategories=q.subcategories(session, term, lang), **said)
    if screen == "organization":
        detail = q.organization_detail(session, item or _first(session, "organization"), lang)
        if detail is None:
            raise NotFound(item or "")
        return screens.organization(detail, lang, **said)
    if screen == "urgent":
        return screens.urgent(q.urgent_lines(session, lang), lang)
    if screen == "search":
        text = item or "pension"
        return screens.search(text, q.search(session, text, lang), lang, **said)
    detail = q.service_detail(session, item or _first(session, "service"), lang)
    if detail is None:
        raise NotFound(item or "")
    if screen == "slip":
        from kiosk.handoff.slip import build_slip

        return receipts.slip(build_slip(detail, lang, centre_name=config.kiosk.centre_name,
                                        public_base_url=config.handoff.public_base_url))
    from kiosk.handoff.payloads import service_choices

    addresses = q.organization_addresses(session, detail.organization.id)[:3]
    # the take-away buttons the page shows (a slip when a printer is configured)
    titles = [c.title for c in service_choices(detail, lang, config.handoff.public_base_url)]
    return screens.service(detail, lang, local_now().date(), addresses, titles, config.printer.kind != "none",
                           **said)


def _plain() -> dict[str, Callable[[str | None, str, object], list[Part]]]:
    """The screens said without the catalogue (their texts imported when asked: the kiosk's
    start builds this command's parser, not its texts)."""
    from kiosk.speech import receipts, screens

    return {
        "welcome": lambda item, lang, config: screens.welcome(
            [lang] + [x for x in config.kiosk.languages if x != lang], config.kiosk.centre_name,
            keymap=_keymap(config)),
        "idle": lambda item, lang, config: screens.idle_prompt(int(item) if (item or "").isdigit() else 30, lang),
        "printing": lambda item, lang, config: receipts.printing_outcome(item or "ok", lang),
        "help": lambda item, lang, config: screens.help_text(lang, keymap=_keymap(config)),
        "error": lambda item, lang, config: screens.error(item or "failed", lang),
        "private": lambda item, lang, config: screens.private_listening(lang),
    }


def _keymap(config):
    """The kiosk's configured keys (``[speech] keys``), as the help and the welcome name them."""
    from kiosk.speech.keys import KeyMap

    return KeyMap(config.speech.keys or None)


def speech_for(screen: str, item: str | None, lang: str, config, opening: bool = False) -> list[Part]:
    """The parts ``screen`` says in ``lang`` (``opening``: when it opens with speech on); raises
    :class:`NotFound` for an unknown id."""
    plain = _plain()
    if screen in plain:
        return plain[screen](item, lang, config)
    from kiosk.catalogue.store import open_catalogue

    catalogue = open_catalogue(config.kiosk.database)
    try:
        with catalogue.session() as session:
            return _catalogue_screen(session, screen, item, lang, config, opening)
    finally:
        catalogue.dispose()


def write_wav(parts: list[Part], path: Path) -> float:
    """Synthesise ``parts`` into a 16-bit mono WAV at ``path``; returns its length in seconds."""
    from kiosk.speech.engine import EspeakEngine

    rate, pcm = EspeakEngine(probe=False).probe_voices().synthesise(parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)
    return len(pcm) / 2 / rate


def run(args, config) -> int:
    lang = args.lang or config.kiosk.default_language
    try:
        parts = speech_for(args.screen, args.id, lang, config, getattr(args, "opening", False))
    except NotFound as exc:
        print(_("Nothing to read: no item has the id {id}.").format(id=exc), file=sys.stderr)
        return 1
    print(join(parts))
    if args.wav:
        try:
            seconds = write_wav(parts, args.wav)
        except RuntimeError as exc:
            print(_("Cannot write the speech: {error}").format(error=exc), file=sys.stderr)
            return 1
        print(_("Wrote {seconds} s of speech to {file}").format(seconds=f"{seconds:.1f}", file=args.wav),
              file=sys.stderr)
    return 0

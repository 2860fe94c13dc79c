"""Translations of every message the kiosk shows or prints, from gettext ``.po`` files.

``assets/locale/<lang>/LC_MESSAGES/kiosk.po`` holds the strings; ``make`` compiles them to ``.mo``
(``python -m kiosk.i18n compile``). When a ``.mo`` is missing or older than its ``.po`` (a fresh
checkout run without ``make``) the ``.po`` is read directly with Babel, so a visitor never sees a
raw message id. Albanian (``sq``) is the default language.

This module has no Kivy import: the UI wraps :data:`translator` in an observable for kv rules.
"""
from __future__ import annotations

import gettext
import sys
import threading
from pathlib import Path
from typing import Callable

from kiosk.paths import LOCALE_DIR

DOMAIN = "kiosk"
DEFAULT_LANGUAGE = "sq"
LANGUAGES = ("sq", "en")


def _load_po(path: Path) -> gettext.NullTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    import io

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=path.parent.parent.name)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def load(lang: str, locale_dir: Path = LOCALE_DIR) -> gettext.NullTranslations:
    """The translations of ``lang``; unknown languages get Albanian, never an exception."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    base = locale_dir / lang / "LC_MESSAGES"
    po, mo = base / f"{DOMAIN}.po", base / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        return gettext.translation(DOMAIN, localedir=str(locale_dir), languages=[lang], fallback=True)
    if po.exists():
        return _load_po(po)
    return gettext.NullTranslations()


class Translator:
    """The current language and its ``_`` function; listeners hear of every switch."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE):
        self._lock = threading.Lock()
        self._cache: dict[str, gettext.NullTranslations] = {}
        self._listeners: list[Callable[[str], None]] = []
        self.lang = DEFAULT_LANGUAGE
        self.switch(lang)

    def translations(self, lang: str) -> gettext.NullTranslations:
        with self._lock:
            if lang not in self._cache:
                self._cache[lang] = load(lang)
            return self._cache[lang]

    def switch(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self._current = self.translations(self.lang)
        for listener in list(self._listeners):
            listener(self.lang)

    def add_listener(self, listener: Callable[[str], None]) -> None:
        self._listeners.append(listener)

    def gettext(self, message: str) -> str:
        return self._current.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._current.ngettext(singular, plural, n)

    def in_language(self, lang: str, message: str) -> str:
        """``message`` in ``lang`` without switching the current language."""
        return self.translations(lang if lang in LANGUAGES else DEFAULT_LANGUAGE).gettext(message)

    _ = gettext


translator = Translator()


def _(message: str) -> str:
    return translator.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translator.ngettext(singular, plural, n)


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every ``.po`` under ``locale_dir`` to ``.mo``; returns the files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=po.parent.parent.name)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as fh:
            write_mo(fh, catalog)
        written.append(mo)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["compile"]:
        for mo in compile_all():
            print(f"compiled {mo}")
        return 0
    print("usage: python -m kiosk.i18n compile", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())

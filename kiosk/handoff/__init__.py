"""Taking a service home: QR codes on screen, a barcode scanner at the kiosk, printed slips.

- :mod:`kiosk.handoff.payloads`: what a QR code carries (vCard 3.0, https link, ``tel:``,
  directions) and the one-line explanation of each, in the visitor's language;
- :mod:`kiosk.handoff.qr`: QR matrices and images (error correction M, quiet zone 4, UTF-8 bytes
  without ECI), the module size for scanning from 40 cm, and the kiosk's cached code maker;
- :mod:`kiosk.handoff.scanner`: recognises a USB 2D scanner's "typed" scan among keystrokes;
- :mod:`kiosk.handoff.slip`: the printed slip as plain lines, rendered as ESC/POS bytes
  (:mod:`kiosk.handoff.slip_escpos`) and as a PNG preview (:mod:`kiosk.handoff.slip_picture`);
- :mod:`kiosk.handoff.printer`: the configured receipt printer, off the UI thread, with a 2 s
  answer and a per-minute limit; :mod:`kiosk.handoff.devices` opens it and reads its paper state.

Nothing here imports Kivy: the screens turn the plain data and bytes into widgets and textures.

Visitor-visible strings are marked with :func:`N_` (a gettext no-op that Babel's extractor
knows by default) and resolved in the visitor's language with :func:`in_lang`, so a message is
never translated into whichever language happened to be current when the module was imported.
"""
from __future__ import annotations

from kiosk.i18n import translator


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it (resolved later by :func:`in_lang`)."""
    return message


def in_lang(lang: str, message: str) -> str:
    """``message`` in ``lang`` (Albanian for an unknown language), without switching languages."""
    return translator.in_language(lang, message)


__all__ = ["N_", "in_lang"]

"""The printing outcome and the slip itself, as speech (the slip is the visitor's receipt).

No Kivy import.
"""
from __future__ import annotations

from kiosk.handoff import printer as printing
from kiosk.handoff.slip import CAPTION, GAP, HOURS, QR, RULE, Slip
from kiosk.speech.parts import N_, Part, plain, say, sentence

SLIP_SAYS = N_("Your slip says:")
SLIP_END = N_("End of the slip.")


def printing_outcome(code: str, lang: str) -> list[Part]:
    """What the visitor hears while the slip prints (``code`` "printing") and after."""
    if code == "printing":
        return [say(lang, printing.PRINTING)]
    return [say(lang, printing.MESSAGES.get(code, printing.MESSAGES[printing.ERROR]))]


def slip(receipt: Slip) -> list[Part]:
    """The slip's lines in order, as printed: the QR code itself is not read, its caption is."""
    lang = receipt.lang
    parts = [say(lang, SLIP_SAYS)]
    for line in receipt.lines:
        if line.style in (RULE, GAP, QR) or not line.text.strip():
            continue
        text = f"{line.text}: {line.right}" if line.style == HOURS else line.text
        if line.style == CAPTION and receipt.code and receipt.code in line.text:
            continue    # the kiosk's code is for the scanner, not for the ear
        parts.append(plain(lang, sentence(text)))
    parts.append(say(lang, SLIP_END))
    return parts

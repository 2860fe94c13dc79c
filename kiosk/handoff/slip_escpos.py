"""The slip as ESC/POS commands, through python-escpos (``Dummy`` for the bytes).

Text goes out in one code page chosen from the printer profile (:func:`choose_code_page`); a line
the page cannot print, or a whole slip for a printer without such a page, goes out as a picture
(:func:`kiosk.handoff.slip_picture.draw_lines`, ``GS v 0``). The QR code is printed natively
(``GS ( k``) where the profile supports it, else as a picture. No Kivy import.
"""
from __future__ import annotations

import textwrap
import unicodedata
from typing import Any, Optional

from kiosk.handoff import qr as qrmod
from kiosk.handoff.slip import (ALBANIAN_LETTERS, BOLD, CAPTION, CHECK, CODE_PAGE_PREFERENCE, DEFAULT_DPI,
                                DEFAULT_PRINT_WIDTH, GAP, HEADING, HOURS, LABEL, QR, RULE, SMALL, TEXT,
                                TITLE, Line, Slip)
from kiosk.handoff.slip_picture import draw_lines


_LOOKALIKES = {"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
               "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"',
               "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2026": "...", "\u00a0": " ",
               "\u2022": "*", "\u00b7": "-", "\u202f": " ", "\u2009": " "}


def _profile_int(profile, *keys: str) -> Optional[int]:
    data: Any = getattr(profile, "profile_data", {}) or {}
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    try:
        return int(data)
    except (TypeError, ValueError):
        return None


def choose_code_page(printer) -> Optional[str]:
    """The first code page of :data:`CODE_PAGE_PREFERENCE` that the printer's profile lists and
    that has ë Ë ç Ç, or None (then the slip is printed as a picture)."""
    pages = printer.profile.get_code_pages()
    encoder = printer.magic.encoder
    for name in CODE_PAGE_PREFERENCE:
        if name in pages and str(pages[name]).isdigit() and int(pages[name]) < 256:
            if all(encoder.can_encode(name, ch) for ch in ALBANIAN_LETTERS):
                return name
    return None


def _fits(encoder, page: str, text: str) -> bool:
    return all(encoder.can_encode(page, ch) for ch in text)


def _for_page(encoder, page: str, text: str) -> str:
    """``text`` with characters the page lacks replaced by ASCII look-alikes where there is one."""
    return "".join(ch if encoder.can_encode(page, ch) else _LOOKALIKES.get(ch, ch) for ch in text)


def _ascii(text: str) -> str:
    """Last resort for a printer that can print neither the letters nor pictures: ë to e."""
    text = "".join(_LOOKALIKES.get(ch, ch) for ch in text)
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).encode("ascii", "replace").decode()


def _raster(printer, image, width: Optional[int] = None) -> None:
    """Print a Pillow image with ``GS v 0`` in bands, centred on ``width`` dots when given."""
    from PIL import Image

    from escpos.image import EscposImage

    if width and image.width < width:
        padded = Image.new("L", (width, image.height), 255)
        padded.paste(image.convert("L"), ((width - image.width) // 2, 0))
        image = padded
    for top in range(0, image.height, 256):
        band = EscposImage(image.crop((0, top, image.width, min(image.height, top + 256))))
        header = (b"\x1dv0\x00" + band.width_bytes.to_bytes(2, "little")
                  + band.height.to_bytes(2, "little"))
        printer._raw(header + band.to_raster_format())


def _columns(printer, font: str = "a") -> int:
    try:
        return int(printer.profile.get_columns(font))
    except Exception:  # noqa: BLE001
        return 42


def render_escpos(slip: Slip, printer, *, cut: bool = True) -> Optional[str]:
    """Send the slip to a python-escpos printer object; returns the code page used (None: the
    slip went out as a picture). Works on ``Dummy`` to get the bytes."""
    profile = printer.profile
    dpi = _profile_int(profile, "media", "dpi") or DEFAULT_DPI
    dots = qrmod.printer_dots_per_module(dpi)
    width = _profile_int(profile, "media", "width", "pixels") or DEFAULT_PRINT_WIDTH
    raster = bool(profile.supports("bitImageRaster"))
    page = choose_code_page(printer)
    printer.hw("INIT")
    if page is None:
        if raster:
            _raster(printer, draw_lines(slip.lines, width, dots))
        else:
            _render_text(slip, printer, None, dots, width, raster=False)
    else:
        printer.charcode(page)  # ESC t n, once; every text after it is encoded in this page
        _render_text(slip, printer, page, dots, width, raster)
    if cut:
        printer.cut(mode="PART")
    return page


class _TextOut:
    """Writes a slip's lines as text: styles sent only when they change, a row the code page
    cannot print sent as a picture (or, without raster support, in ASCII)."""

    def __init__(self, printer, page: Optional[str], dots: int, width: int, raster: bool):
        self.printer, self.page, self.dots, self.width, self.raster = printer, page, dots, width, raster
        self.encoder = printer.magic.encoder
        self.cols = _columns(printer, "a")
        self.has_small = "1" in (getattr(printer.profile, "profile_data", {}).get("fonts") or {})
        self.small_cols = _columns(printer, "b") if self.has_small else self.cols
        self.state: dict[str, Any] = {}

    def emit(self, text: str, line: Line) -> None:
        """One printed row; a row the code page cannot print goes out as a picture."""
        printer, page, encoder = self.printer, self.page, self.encoder
        if page is not None:
            text = _for_page(encoder, page, text)
            if _fits(encoder, page, text):
                printer.text(text + "\n")
                return
        if self.raster:
            row = Line(line.style if line.style != HOURS else TEXT, text, strong=line.strong)
            _raster(printer, draw_lines([row], self.width, self.dots, margin=0), self.width)
            return
        if page is None:
            printer.text(_ascii(text) + "\n")
        else:
            printer.text(_for_page(encoder, page, _ascii(text)) + "\n")

    def styled(self, align: str = "left", bold: bool = False, tall: bool = False, small: bool = False) -> None:
        """Send only the style settings that change."""
        wanted = {"align": align, "bold": bold, "tall": tall, "font": "b" if small and self.has_small else "a"}
        changed = {k: v for k, v in wanted.items() if self.state.get(k) != v}
        if not changed:
            return
        size = {}
        if "tall" in changed:  # ESC ! also resets bold and font: send them again
            size = {"double_height": tall, "normal_textsize": not tall}
            changed.update(bold=bold, font=wanted["font"])
        self.printer.set(align=changed.get("align"), bold=changed.get("bold"), font=changed.get("font"), **size)
        self.state.update(wanted)

    def wrapped(self, line: Line, cols: int, first: str = "", rest: str = "") -> None:
        rows = textwrap.wrap(line.text, cols - len(first)) or [""]
        self.emit(first + rows[0], line)
        for row in rows[1:]:
            self.emit(rest + row, line)

    def line(self, line: Line) -> None:
        style, printer = line.style, self.printer
        if style == GAP:
            printer.ln()
        elif style == RULE:
            self.styled()
            printer.text("-" * self.cols + "\n")
        elif style == QR:
            _print_qr(printer, line.text, self.dots, self.width, self.raster)
            self.state["align"] = "left"
        elif style in (TITLE, HEADING):
            self.styled(align="center" if style == TITLE else "left", bold=True, tall=True)
            self.wrapped(line, self.cols)
        elif style == HOURS:
            self.styled(bold=line.strong)
            room = max(1, self.cols - len(line.right) - 1)
            left = textwrap.wrap(line.text, room) or [""]
            self.emit(left[0].ljust(room) + " " + line.right, line)
            for row in left[1:]:
                self.emit(row, line)
        elif style == CHECK:
            self.styled()
            self.wrapped(line, self.cols, "[ ] ", "    ")
        elif style in (SMALL, CAPTION):
            self.styled(align="center" if style == CAPTION else "left", small=True)
            self.wrapped(line, self.small_cols)
        else:
            if style == LABEL:
                self.styled()
                printer.ln()
            self.styled(bold=style in (LABEL, BOLD) or line.strong)
            self.wrapped(line, self.cols)


def _render_text(slip: Slip, printer, page: Optional[str], dots: int, width: int, raster: bool) -> None:
    out = _TextOut(printer, page, dots, width, raster)
    for line in slip.lines:
        out.line(line)
    out.styled()


def _print_qr(printer, payload: str, dots: int, width: int, raster: bool) -> None:
    """The QR code: natively (``GS ( k``, the printer encodes the UTF-8 bytes itself, no ECI)
    when the profile supports it, else as a picture of the same matrix, else not at all."""
    from escpos.constants import QR_ECLEVEL_M

    modules = qrmod.make_matrix(payload).size
    dots = max(1, min(dots, width // modules))  # a narrow (58 mm) roll: smaller modules, still whole
    printer.set(align="center")
    if printer.profile.supports("qrCode"):
        printer.qr(payload, ec=QR_ECLEVEL_M, size=dots, native=True)
        printer.ln()
    elif raster:
        _raster(printer, qrmod.render(payload, dots), width)
    printer.set(align="left")


def make_dummy(profile: str = "default"):
    """A python-escpos ``Dummy`` printer with ``profile`` (collects the bytes in ``.output``)."""
    from escpos.printer import Dummy

    return Dummy(profile=profile)

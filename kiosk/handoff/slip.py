"""The printed slip: built once as plain lines, then rendered as ESC/POS bytes or as a picture.

:func:`build_slip` turns a :class:`~kiosk.catalogue.queries.ServiceDetail` into a :class:`Slip`
(centre name, service, provider, phones, address, today's and this week's hours, the documents
to bring as a checklist, a QR code, the date and time, a footer), every word already in the
visitor's language. Then:

- :func:`render_escpos` writes it to any python-escpos printer object (``Dummy`` for bytes).
  Text goes out in one code page chosen from the printer profile: the first of CP858, CP1252,
  CP850, ... (:data:`CODE_PAGE_PREFERENCE`) that the profile lists and that has ë, Ë, ç and Ç,
  selected once with ``ESC t n`` (n from the profile). In CP858 ë Ë ç Ç are 0x89 0xD3 0x87
  0x80; in CP1252 0xEB 0xCB 0xE7 0xC7. Typographic characters the page lacks become their
  ASCII look-alikes (``–`` to ``-``); a line that still has a character the page lacks is
  printed as a picture. A printer with no suitable code page gets the whole slip as a picture
  (``GS v 0``). The QR code is printed natively (``GS ( k``) where the profile supports it,
  else as a picture; the slip ends with a cut (``GS V``);
- :func:`render_image` draws it with Pillow (a 576-dot wide receipt: 72 mm printable on 80 mm
  paper at 203 dpi) in Roboto, the font Kivy ships, found without running any Kivy code;
- :func:`write_slip` does both for ``kiosk slip SERVICE_ID --out FILE.bin [--png FILE.png]``.

No Kivy import.
"""
from __future__ import annotations

import importlib.util
import textwrap
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Sequence

from kiosk.catalogue.hours import DayHours, OpenStatus, local_now
from kiosk.catalogue.queries import (LocationInfo, OrganizationCard, PhoneInfo, ServiceDetail)
from kiosk.handoff import N_, in_lang
from kiosk.handoff import payloads
from kiosk.handoff import qr as qrmod

__all__ = [
    "Line", "Slip", "build_slip", "render_escpos", "render_image", "slip_bytes", "write_slip",
    "choose_code_page", "make_dummy", "test_detail", "CODE_PAGE_PREFERENCE", "PREVIEW_WIDTH",
]

#: Code pages with ë Ë ç Ç, best first: CP858 (CP850 with €) and CP1252 are on nearly every
#: ESC/POS printer; the others are there for profiles that lack both.
CODE_PAGE_PREFERENCE = ("CP858", "CP1252", "CP850", "ISO_8859-15", "CP852", "ISO_8859-2", "CP1250")
ALBANIAN_LETTERS = "ëËçÇ"
PREVIEW_WIDTH = 576          # dots: 72 mm printable width at 203 dpi
DEFAULT_PRINT_WIDTH = 512    # dots, when the profile does not say: fits 80 mm printers at 180-203 dpi
DEFAULT_DPI = 203
MAX_PHONES = 3
MAX_LOCATIONS = 2

# Line styles
TITLE, HEADING, LABEL, TEXT, BOLD, SMALL, CHECK, HOURS, RULE, GAP, QR, CAPTION = (
    "title", "heading", "label", "text", "bold", "small", "check", "hours", "rule", "gap", "qr",
    "caption")

DEFAULT_CENTRE_NAME = N_("Social Services Information Centre")
M_PHONE = N_("Phone")
M_ADDRESS = N_("Address")
M_HOURS = N_("When it is open")
M_TODAY = N_("Today: {hours}")
M_CLOSED = N_("Closed")
M_NO_HOURS = N_("No opening hours listed")
M_TEMP_CLOSED = N_("Temporarily closed")
M_IMPORTANT = N_("Important")
M_DOCUMENTS = N_("Documents to bring")
M_SCAN_LINK = payloads.EXPLANATIONS[payloads.LINK]  # the same line as under the on-screen code
M_SCAN_CODE = N_("Hold this code to the kiosk's scanner to see this service again.")
M_CODE = N_("Kiosk code: {code}")
M_PRINTED = N_("Printed on {date} at {time}")
M_FOOTER = N_("Information can change. Call before you go.")
M_TEST_TITLE = N_("Printer test")
M_TEST_ORG = N_("Municipality of Elbasan")


@dataclass(frozen=True)
class Line:
    """One element of a slip: ``style`` is one of title, heading, label, text, bold, small,
    check, hours (``text`` left, ``right`` right-aligned), rule, gap, qr (``text`` is the
    payload) or caption (centred small text)."""

    style: str
    text: str = ""
    right: str = ""
    strong: bool = False


@dataclass(frozen=True)
class Slip:
    lang: str
    lines: tuple[Line, ...]
    qr_payload: Optional[str]
    code: Optional[str]
    printed_at: datetime

    def text(self) -> str:
        """The slip as plain text, for logs and tests."""
        out = []
        for line in self.lines:
            if line.style == HOURS:
                out.append(f"{line.text}: {line.right}")
            elif line.style == QR:
                out.append(f"[QR {line.text}]")
            elif line.style == CHECK:
                out.append(f"[ ] {line.text}")
            elif line.style not in (RULE, GAP):
                out.append(line.text)
        return "\n".join(out)


# ------------------------------------------------------------------ building

def _clean(text: str) -> str:
    return " ".join((text or "").split())


def _weekday(weekday: int, lang: str) -> str:
    from babel.dates import get_day_names

    try:
        name = get_day_names("wide", locale=lang)[weekday]
    except Exception:  # noqa: BLE001 - an unknown locale falls back to Albanian
        name = get_day_names("wide", locale="sq")[weekday]
    return name[:1].upper() + name[1:]


def _long_date(day: date, lang: str) -> str:
    from babel.dates import format_date

    try:
        return format_date(day, "long", locale=lang)
    except Exception:  # noqa: BLE001
        return day.isoformat()


def _week(detail: ServiceDetail) -> tuple[DayHours, ...]:
    if any(d.intervals for d in detail.week):
        return detail.week
    for loc in detail.locations:
        if any(d.intervals for d in loc.week):
            return loc.week
    return ()


def slip_qr_payload(detail: ServiceDetail, public_base_url: Optional[str]) -> tuple[Optional[str], str]:
    """What the slip's QR code carries, and its kind: the public service link when one is
    configured (a phone opens it, the kiosk's scanner recognises it), else the kiosk's short code
    (for the kiosk's scanner only)."""
    link = payloads.service_url(public_base_url, detail.id)
    if link:
        return link, payloads.LINK
    code = payloads.short_code(detail.id)
    return (code, "code") if code else (None, "")


def _hours_lines(detail: ServiceDetail, lang: str, local: datetime) -> list[Line]:
    """"When it is open": today's hours in bold, then the week, then up to two notes."""
    t = lambda msg: in_lang(lang, msg)  # noqa: E731
    lines = [Line(LABEL, t(M_HOURS))]
    week = _week(detail)
    if detail.service_status == "temporarily closed":
        return lines + [Line(TEXT, t(M_TEMP_CLOSED))]
    if not week:
        return lines + [Line(TEXT, t(M_NO_HOURS))]
    today = next((d for d in week if d.is_today), None) or next(
        (d for d in week if d.day == local.date()), None)
    if today is not None:
        hours = ", ".join(today.intervals) or t(M_CLOSED)
        lines.append(Line(BOLD, t(M_TODAY).format(hours=hours)))
    for day in week:
        lines.append(Line(HOURS, _weekday(day.weekday, lang), ", ".join(day.intervals) or t(M_CLOSED),
                          strong=day.is_today))
    notes = list(dict.fromkeys(n for d in week for n in d.notes))
    notes += [n for loc in detail.locations for n in loc.schedule_notes if n not in notes]
    return lines + [Line(SMALL, _clean(note)) for note in notes[:2]]


def _heading(detail: ServiceDetail, lang: str) -> list[Line]:
    """The service and its provider; for a sensitive service only the neutral title."""
    if detail.sensitive:
        return [Line(HEADING, _clean(payloads.neutral_title(detail, lang)))]
    lines = [Line(HEADING, _clean(detail.name))]
    org = _clean(detail.organization.name)
    if org and org != _clean(detail.name):
        lines.append(Line(TEXT, org))
    return lines


def build_slip(detail: ServiceDetail, lang: str, now: Optional[datetime] = None, *,
               centre_name: Optional[str] = None, public_base_url: Optional[str] = None,
               with_address: Optional[bool] = None) -> Slip:
    """The slip for ``detail`` in ``lang``, as printed at ``now`` (Europe/Tirane wall clock).

    A sensitive service's slip carries its neutral title and leaves the address out unless the
    visitor asked for it (``with_address=True``); other slips always show the address.
    """
    t = lambda msg: in_lang(lang, msg)  # noqa: E731
    local = local_now(now)
    if with_address is None:
        with_address = not detail.sensitive
    lines: list[Line] = [Line(TITLE, _clean(centre_name or t(DEFAULT_CENTRE_NAME))), Line(RULE),
                         *_heading(detail, lang)]
    if detail.service_status == "temporarily closed":
        lines.append(Line(BOLD, t(M_TEMP_CLOSED)))
    if detail.alert.strip():
        lines += [Line(LABEL, t(M_IMPORTANT)), Line(TEXT, _clean(detail.alert))]

    phones = payloads.provider_phones(detail)[:MAX_PHONES]
    if phones:
        lines.append(Line(LABEL, t(M_PHONE)))
        for p in phones:
            number = _clean(p.number)
            lines.append(Line(TEXT, f"{number} ({_clean(p.description)})" if p.description.strip() else number))

    places = [loc for loc in detail.locations if loc.address_lines][:MAX_LOCATIONS] if with_address else []
    if places:
        lines.append(Line(LABEL, t(M_ADDRESS)))
        for loc in places:
            lines.append(Line(TEXT, ", ".join(_clean(x) for x in loc.address_lines)))

    lines += _hours_lines(detail, lang, local)
    docs = [d for d in (_clean(x) for x in detail.documents) if d]
    if docs:
        lines.append(Line(LABEL, t(M_DOCUMENTS)))
        lines += [Line(CHECK, d) for d in docs]

    payload, kind = slip_qr_payload(detail, public_base_url)
    code = payloads.short_code(detail.id)
    if payload:
        lines += [Line(GAP), Line(QR, payload),
                  Line(CAPTION, t(M_SCAN_LINK if kind == payloads.LINK else M_SCAN_CODE))]
    if code:
        lines.append(Line(CAPTION, t(M_CODE).format(code=code)))
    lines += [Line(RULE),
              Line(CAPTION, t(M_PRINTED).format(date=_long_date(local.date(), lang),
                                                time=f"{local.hour:02d}:{local.minute:02d}")),
              Line(CAPTION, t(M_FOOTER))]
    return Slip(lang, tuple(lines), payload, code, local)


def test_detail(lang: str = "sq", now: Optional[datetime] = None) -> ServiceDetail:
    """A made-up service for the staff panel's test slip: every Albanian letter that can go
    wrong (ë Ë ç Ç), a phone, an address, hours, documents and a QR code, no catalogue needed."""
    from kiosk.catalogue.hours import WeeklyRule, week_hours

    rules = [WeeklyRule(frozenset(range(5)), 8 * 60, 16 * 60)]
    week = tuple(week_hours(rules, now))
    phone = PhoneInfo("+355 54 200 100", "voice", "")
    org = OrganizationCard("00000000-0000-4000-8000-000000000000", in_lang(lang, M_TEST_ORG), "", "",
                           "", "", "", (phone,), (), True)
    loc = LocationInfo("00000000-0000-4000-8000-000000000001", "", "", ("Rruga Ëngjëll Çela 1", "3001 Elbasan"),
                       None, None, "", (), (), week, OpenStatus("no_hours"))
    return ServiceDetail(
        id="00000000-0000-4000-8000-0000000000e1", name=f"{in_lang(lang, M_TEST_TITLE)}: ë Ë ç Ç",
        alternate_name="", description="", service_status="active", eligibility="",
        application_process="", fees="", documents=("Kartë identiteti", "ÇERTIFIKATË FAMILJARE – ËSHTË"),
        languages=(), interpretation="", alert="", assured_date=None, last_modified=None, url="",
        email="", demo=True, organization=org, phones=(phone,), locations=(loc,), categories=(),
        status=OpenStatus("no_hours"), week=week)


# ------------------------------------------------------------------ fonts and pictures

def _kivy_fonts_dir() -> Optional[Path]:
    """Kivy's bundled fonts, located without importing (and so without running) Kivy."""
    try:
        spec = importlib.util.find_spec("kivy")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "fonts"
    return path if path.is_dir() else None


@lru_cache(maxsize=None)
def _font(bold: bool, size: int):
    from PIL import ImageFont

    candidates = []
    kivy_fonts = _kivy_fonts_dir()
    if kivy_fonts:
        candidates.append(kivy_fonts / ("Roboto-Bold.ttf" if bold else "Roboto-Regular.ttf"))
        candidates.append(kivy_fonts / "DejaVuSans.ttf")
    candidates += [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf" if bold
                        else "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")]
    for path in candidates:
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


# (bold, size in px at 203 dpi, gap after) per style. 24 px is the printer's own font A height.
_STYLE = {TITLE: (True, 34, 6), HEADING: (True, 32, 4), LABEL: (True, 24, 2), TEXT: (False, 24, 2),
          BOLD: (True, 24, 2), SMALL: (False, 21, 2), CHECK: (False, 24, 4), HOURS: (False, 24, 2),
          CAPTION: (False, 21, 2)}


def _wrap_px(text: str, font, width: int) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}" if current else word
        if font.getlength(trial) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        while font.getlength(word) > width:  # a word longer than the line: break it
            cut = max(1, int(len(word) * width / font.getlength(word)))
            while cut > 1 and font.getlength(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


def _draw_lines(lines: Sequence[Line], width: int, dots_per_module: int, margin: int = 12):
    """The lines drawn on a white strip ``width`` dots wide ('L' image, black ink)."""
    from PIL import Image, ImageDraw

    pieces: list[tuple[str, Any]] = []  # (kind, data) laid out first, drawn after
    height = margin
    inner = width - 2 * margin
    for line in lines:
        if line.style == GAP:
            height += 12
            pieces.append(("gap", 12))
        elif line.style == RULE:
            pieces.append(("rule", height + 6))
            height += 14
        elif line.style == QR:
            image = qrmod.render(line.text, dots_per_module)
            pieces.append(("image", (image, height)))
            height += image.height
        else:
            bold, size, after = _STYLE.get(line.style, _STYLE[TEXT])
            font = _font(bold or line.strong, size)
            step = round(size * 1.25)
            if line.style == LABEL:
                height += 8
            if line.style == HOURS:
                right_w = font.getlength(line.right)
                rows = _wrap_px(line.text, font, int(inner - right_w - 12)) or [""]
                pieces.append(("hours", (line, font, height, rows)))
                height += step * len(rows)
            else:
                indent = 34 if line.style == CHECK else 0
                rows = _wrap_px(line.text, font, inner - indent)
                pieces.append(("text", (line, font, height, rows, indent, step)))
                height += step * len(rows)
            height += after
    height += margin
    canvas = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(canvas)
    for kind, data in pieces:
        if kind == "rule":
            draw.line([(margin, data), (width - margin, data)], fill=0, width=2)
        elif kind == "image":
            image, top = data
            canvas.paste(image, ((width - image.width) // 2, top))
        elif kind == "hours":
            line, font, top, rows = data
            step = round(font.size * 1.25)
            for i, row in enumerate(rows):
                draw.text((margin, top + i * step), row, font=font, fill=0)
            draw.text((width - margin - font.getlength(line.right), top), line.right, font=font, fill=0)
        elif kind == "text":
            line, font, top, rows, indent, step = data
            centred = line.style in (TITLE, CAPTION)
            if line.style == CHECK:
                box = font.size - 6
                draw.rectangle([margin + 2, top + 5, margin + 2 + box, top + 5 + box], outline=0, width=2)
            for i, row in enumerate(rows):
                x = (width - font.getlength(row)) / 2 if centred else margin + indent
                draw.text((x, top + i * step), row, font=font, fill=0)
    return canvas


def render_image(slip: Slip, width: int = PREVIEW_WIDTH, dots_per_module: Optional[int] = None):
    """The slip as a Pillow image (mode 'L'), as a 203 dpi printer would print it."""
    return _draw_lines(slip.lines, width, dots_per_module or qrmod.printer_dots_per_module(DEFAULT_DPI))


# ------------------------------------------------------------------ ESC/POS

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
            _raster(printer, _draw_lines(slip.lines, width, dots))
        else:
            _render_text(slip, printer, None, dots, width, raster=False)
    else:
        printer.charcode(page)  # ESC t n, once; every text after it is encoded in this page
        _render_text(slip, printer, page, dots, width, raster)
    if cut:
        printer.cut(mode="PART")
    return page


def _render_text(slip: Slip, printer, page: Optional[str], dots: int, width: int, raster: bool) -> None:
    encoder = printer.magic.encoder
    cols = _columns(printer, "a")
    small_cols = _columns(printer, "b")

    def emit(text: str, line: Line) -> None:
        """One printed row; a row the code page cannot print goes out as a picture."""
        if page is not None:
            text = _for_page(encoder, page, text)
            if _fits(encoder, page, text):
                printer.text(text + "\n")
                return
        if raster:
            _raster(printer, _draw_lines([Line(line.style if line.style != HOURS else TEXT, text,
                                                strong=line.strong)], width, dots, margin=0),
                    width)
            return
        if page is None:
            printer.text(_ascii(text) + "\n")
        else:
            printer.text(_for_page(encoder, page, _ascii(text)) + "\n")

    has_small = "1" in (getattr(printer.profile, "profile_data", {}).get("fonts") or {})
    if not has_small:
        small_cols = cols

    state: dict[str, Any] = {}

    def styled(align: str = "left", bold: bool = False, tall: bool = False, small: bool = False):
        """Send only the style settings that change."""
        wanted = {"align": align, "bold": bold, "tall": tall, "font": "b" if small and has_small else "a"}
        changed = {k: v for k, v in wanted.items() if state.get(k) != v}
        if not changed:
            return
        size = {}
        if "tall" in changed:  # ESC ! also resets bold and font: send them again
            size = {"double_height": tall, "normal_textsize": not tall}
            changed.update(bold=bold, font=wanted["font"])
        printer.set(align=changed.get("align"), bold=changed.get("bold"), font=changed.get("font"), **size)
        state.update(wanted)

    for line in slip.lines:
        style = line.style
        if style == GAP:
            printer.ln()
        elif style == RULE:
            styled()
            printer.text("-" * cols + "\n")
        elif style == QR:
            _print_qr(printer, line.text, dots, width, raster)
            state["align"] = "left"
        elif style in (TITLE, HEADING):
            styled(align="center" if style == TITLE else "left", bold=True, tall=True)
            for row in textwrap.wrap(line.text, cols) or [""]:
                emit(row, line)
        elif style == HOURS:
            styled(bold=line.strong)
            room = max(1, cols - len(line.right) - 1)
            left = textwrap.wrap(line.text, room) or [""]
            emit(left[0].ljust(room) + " " + line.right, line)
            for row in left[1:]:
                emit(row, line)
        elif style == CHECK:
            styled()
            rows = textwrap.wrap(line.text, cols - 4) or [""]
            emit("[ ] " + rows[0], line)
            for row in rows[1:]:
                emit("    " + row, line)
        elif style in (SMALL, CAPTION):
            styled(align="center" if style == CAPTION else "left", small=True)
            for row in textwrap.wrap(line.text, small_cols) or [""]:
                emit(row, line)
        else:
            if style == LABEL:
                styled()
                printer.ln()
            styled(bold=style in (LABEL, BOLD) or line.strong)
            for row in textwrap.wrap(line.text, cols) or [""]:
                emit(row, line)
    styled()


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


# ------------------------------------------------------------------ bytes and files

def make_dummy(profile: str = "default"):
    """A python-escpos ``Dummy`` printer with ``profile`` (collects the bytes in ``.output``)."""
    from escpos.printer import Dummy

    return Dummy(profile=profile)


def slip_bytes(slip: Slip, profile: str = "default") -> bytes:
    printer = make_dummy(profile)
    render_escpos(slip, printer)
    return printer.output


def write_slip(detail: ServiceDetail, out_bin: Path, png: Optional[Path] = None, lang: str = "sq",
               now: Optional[datetime] = None, profile: str = "default", *,
               centre_name: Optional[str] = None, public_base_url: Optional[str] = None) -> bytes:
    """Write the ESC/POS bytes of ``detail``'s slip to ``out_bin`` and, with ``png``, a preview.

    For ``kiosk slip SERVICE_ID --out FILE.bin [--png FILE.png]``: no printer needed. Returns
    the bytes written.
    """
    slip = build_slip(detail, lang, now, centre_name=centre_name, public_base_url=public_base_url)
    data = slip_bytes(slip, profile)
    out_bin = Path(out_bin)
    out_bin.parent.mkdir(parents=True, exist_ok=True)
    out_bin.write_bytes(data)
    if png is not None:
        png = Path(png)
        png.parent.mkdir(parents=True, exist_ok=True)
        render_image(slip).save(png, format="PNG", optimize=True)
    return data

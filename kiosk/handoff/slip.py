"""The printed slip: built once as plain lines, then rendered as ESC/POS bytes or as a picture.

:func:`build_slip` turns a :class:`~kiosk.catalogue.cards.ServiceDetail` into a :class:`Slip`
(centre name, service, provider, phones, address, today's and this week's hours, the documents
to bring as a checklist, a QR code, the date and time, a footer), every word already in the
visitor's language. Then:

- :func:`kiosk.handoff.slip_escpos.render_escpos` writes it to any python-escpos printer object
  (``Dummy`` for bytes, :func:`slip_bytes`).
  Text goes out in one code page chosen from the printer profile: the first of CP858, CP1252,
  CP850, ... (:data:`CODE_PAGE_PREFERENCE`) that the profile lists and that has ë, Ë, ç and Ç,
  selected once with ``ESC t n`` (n from the profile). In CP858 ë Ë ç Ç are 0x89 0xD3 0x87
  0x80; in CP1252 0xEB 0xCB 0xE7 0xC7. Typographic characters the page lacks become their
  ASCII look-alikes (``–`` to ``-``); a line that still has a character the page lacks is
  printed as a picture. A printer with no suitable code page gets the whole slip as a picture
  (``GS v 0``). The QR code is printed natively (``GS ( k``) where the profile supports it,
  else as a picture; the slip ends with a cut (``GS V``);
- :func:`kiosk.handoff.slip_picture.render_image` draws it with Pillow (a 576-dot wide receipt:
  72 mm printable on 80 mm paper at 203 dpi) in Roboto, the font Kivy ships, found without
  running any Kivy code;
- :func:`write_slip` does both for ``kiosk slip SERVICE_ID --out FILE.bin [--png FILE.png]``.

No Kivy import.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Optional

from kiosk.catalogue.hours import DayHours, OpenStatus, local_now
from kiosk.catalogue.cards import (LocationInfo, OrganizationCard, PhoneInfo, ServiceDetail)
from kiosk.handoff import N_, in_lang, links, payloads, vcard
from kiosk.handoff import phones as phone_words

__all__ = [
    "Line", "Slip", "build_slip", "slip_bytes", "write_slip", "test_detail", "CODE_PAGE_PREFERENCE",
    "PREVIEW_WIDTH",
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
M_POSTAL = N_("Postal address")
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
    (for the kiosk's scanner only). A sensitive service's slip has none: whoever finds the slip
    could scan it, at the kiosk or with a phone, and see the service's real name and address."""
    if detail.sensitive:
        return None, ""
    link = links.service_url(public_base_url, detail.id)
    if link:
        return link, payloads.LINK
    code = links.short_code(detail.id)
    return (code, "code") if code else (None, "")


def _heading(detail: ServiceDetail, lang: str) -> list[Line]:
    """The service and its provider; for a sensitive service only the neutral title."""
    if detail.sensitive:
        return [Line(HEADING, _clean(vcard.neutral_title(detail, lang)))]
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
    visitor asked for it (``with_address=True``); other slips always show the address. It has
    no QR code and no kiosk code (:func:`slip_qr_payload`).
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
    lines += _contact_lines(detail, t, with_address, lang)
    lines += _hours_lines(detail, lang, local, t)
    docs = [d for d in (_clean(x) for x in detail.documents) if d]
    if docs:
        lines.append(Line(LABEL, t(M_DOCUMENTS)))
        lines += [Line(CHECK, d) for d in docs]
    payload, kind = slip_qr_payload(detail, public_base_url)
    # nor the kiosk code written out: typed or scanned at the kiosk it reopens the real page
    code = None if detail.sensitive else links.short_code(detail.id)
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


def _contact_lines(detail: ServiceDetail, t, with_address: bool = True, lang: str = "sq") -> list[Line]:
    """The provider's phones (each with its kind and extension, as on screen) and
    (``with_address``) the service's addresses."""
    lines: list[Line] = []
    phones = vcard.provider_phones(detail)[:MAX_PHONES]
    if phones:
        lines.append(Line(LABEL, t(M_PHONE)))
        for p in phones:
            lines.append(Line(TEXT, _clean(phone_words.phone_text(p, lang, note_sep=" "))))
    places = [loc for loc in detail.locations if loc.address_lines][:MAX_LOCATIONS] if with_address else []
    if places:
        lines.append(Line(LABEL, t(M_ADDRESS)))
        for loc in places:
            lines.append(Line(TEXT, ", ".join(_clean(x) for x in loc.address_lines)))
    posts = [loc for loc in detail.locations if loc.postal_lines][:MAX_LOCATIONS] if with_address else []
    if posts:
        lines.append(Line(LABEL, t(M_POSTAL)))
        for loc in posts:
            lines.append(Line(TEXT, ", ".join(_clean(x) for x in loc.postal_lines)))
    return lines


def _hours_lines(detail: ServiceDetail, lang: str, local: datetime, t) -> list[Line]:
    """When it is open: today's hours, the week, up to two notes."""
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


# ------------------------------------------------------------------ bytes and files

def slip_bytes(slip: Slip, profile: str = "default") -> bytes:
    """The slip's ESC/POS bytes for a printer of ``profile``."""
    from kiosk.handoff.slip_escpos import make_dummy, render_escpos

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
        from kiosk.handoff.slip_picture import render_image

        png = Path(png)
        png.parent.mkdir(parents=True, exist_ok=True)
        render_image(slip).save(png, format="PNG", optimize=True)
    return data

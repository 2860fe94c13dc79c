"""Words for the screens: opening status, dates, weekdays and counts, in the visitor's language.

Everything here goes through the translator or Babel's locale data; no visitor-facing word is
written in code.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Callable, Optional

from babel.dates import format_date, get_day_names

from kiosk.catalogue.hours import OpenStatus
from kiosk.ui.i18n import tr

# Chip kinds, which choose the chip's colours.
OPEN, LATER, CLOSED, NONE = "open", "later", "closed", "none"


def weekday_name(weekday: int, lang: Optional[str] = None) -> str:
    """The full name of a weekday (0 = Monday), capitalised: "E hënë", "Monday"."""
    name = get_day_names("wide", locale=lang or tr.lang)[weekday]
    return name[:1].upper() + name[1:]


def long_date(day: date, lang: Optional[str] = None) -> str:
    return format_date(day, "long", locale=lang or tr.lang)


def status_chip(status: Optional[OpenStatus], service_status: str = "active") -> tuple[str, str]:
    """(kind, short text) for a status chip: open now, opens at 08:00, closed today."""
    if service_status == "temporarily closed":
        return CLOSED, tr._("Temporarily closed")
    if status is None:
        return NONE, ""
    if status.state == "open":
        return OPEN, tr._("Open now")
    if status.state == "opens_later":
        return LATER, tr._("Opens at {time}").format(time=status.opens)
    if status.state == "closed_today":
        return CLOSED, tr._("Closed for today")
    return NONE, tr._("No opening hours listed")


def status_detail(status: Optional[OpenStatus], today: Optional[date] = None,
                  service_status: str = "active") -> str:
    """A sentence to go beside the chip: until when it is open, or when it opens next."""
    if service_status == "temporarily closed":
        return tr._("This service is closed for now. Call before you go.")
    if status is None:
        return ""
    if status.state == "open":
        if status.always:
            return tr._("Open day and night.")
        if status.closes:
            return tr._("Open until {time}.").format(time=status.closes)
        return ""
    if status.state == "opens_later":
        return tr._("Closed now. Opens today at {time}.").format(time=status.opens)
    if status.state == "closed_today":
        if status.next_day and status.opens:
            if today is not None and status.next_day == today + timedelta(days=1):
                return tr._("Opens tomorrow at {time}.").format(time=status.opens)
            return tr._("Next opening: {day} at {time}.").format(
                day=weekday_name(status.next_day.weekday()), time=status.opens)
        return tr._("No opening in the next seven days.")
    return tr._("Call to ask when it is open.")


def services_count(n: int) -> str:
    return tr.ngettext("{n} service", "{n} services", n).format(n=n)


def open_services_count(n: int) -> str:
    return tr.ngettext("{n} service open now", "{n} services open now", n).format(n=n)


def results_count(n: int) -> str:
    return tr.ngettext("{n} result", "{n} results", n).format(n=n)


#: where an e-mail or web address may break: before "@", "." and "/", after "-" and "_"
_ADDRESS_PIECES = re.compile(r"[^@./\-_]+[\-_]*|[@./][^@./\-_]*[\-_]*")


def address_lines(address: str, fits: Callable[[str], bool]) -> str:
    """``address`` (an e-mail or web address) with a line break wherever the next piece would
    not fit on the line (``fits`` measures one line), and before an e-mail address's "@" first:
    "sherbimet-sociale" / "@example.org", never "sherbimet-sociale@ex" / "ample.org". A single
    piece too long for any line stays whole, for the label to break as it must."""
    if not address or fits(address) or any(c.isspace() for c in address):
        return address
    lines: list[str] = []
    # an e-mail address that does not fit breaks before its "@" first: name, then domain
    at = address.find("@")
    for part in (address[:at], address[at:]) if at > 0 else (address,):
        line = ""
        for piece in _ADDRESS_PIECES.findall(part):
            if line and not fits(line + piece):
                lines.append(line)
                line = piece
            else:
                line += piece
        lines.append(line)
    return "\n".join(lines)

"""The schedule step of the checks: weekly rules the kiosk would show wrongly, or not at all.

The kiosk reads a schedule as a weekly rule (``kiosk/catalogue/hours.py``): ``freq`` WEEKLY or
none, ``byday`` days (none: every day), ``opens_at``/``closes_at`` as ``HH:MM[:SS]`` with an
optional ``Z`` or offset, ``valid_from``/``valid_to`` dates. Whatever else a schedule says was
read wrongly or dropped without a word; here each case is a warning naming the record and the
field, and where the warning says so the document is mended:

* ``opens_at`` equal to ``closes_at`` (read as open 24 hours): the times are dropped, unless
  both are 00:00 (the whole day, as meant);
* no ``freq`` and no ``byday``: read as every day (kept, and said);
* ``interval`` over 1, ``count``, ``byweekno``, ``bymonthday``, ``bymonth``, ordinal days
  (``2MO``), a ``freq`` other than WEEKLY: the kiosk honours none of them; only the schedule's
  description and notes are to be shown (said, the schedule kept as it is: the opening hours'
  reading is ``kiosk/catalogue/hours.py``'s);
* a time that is not ``HH:MM[:SS]`` (``25:00``, ``9am``): dropped;
* ``valid_from`` after ``valid_to``: the schedule is never valid, and is dropped.

This module knows only JSON: it does not import the kiosk.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

from sync.feed.document import date_or_none
from sync.feed.findings import Findings, Record

# HH:MM[:SS] (one-digit hours as the kiosk reads them too), 24:00 for the end of the day, and
# an optional Z or offset from UTC.
TIME_RE = re.compile(r"^(?P<h>[01]?\d|2[0-4]):(?P<m>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?"
                     r"(?P<off>[Zz]|(?P<sign>[+-])(?P<oh>\d{2})(?::?(?P<om>[0-5]\d))?)?$")
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Fields of an iCal rule the kiosk does not honour, and when a value of them matters.
UNHONOURED = ("interval", "count", "byweekno", "bymonthday", "byyearday", "bymonth")


def minutes(text: str) -> tuple[int, int | None] | None:
    """Minutes after midnight and the UTC offset in minutes (None: local time) of an HSDS time,
    or None when it is no time the kiosk can show."""
    found = TIME_RE.match(text.strip())
    if not found:
        return None
    hours, mins = int(found["h"]), int(found["m"])
    if hours == 24 and mins:
        return None
    offset = None
    if found["off"]:
        offset = 0 if found["sign"] is None else \
            (int(found["oh"]) * 60 + int(found["om"] or 0)) * (-1 if found["sign"] == "-" else 1)
        if not -12 * 60 <= offset <= 14 * 60:
            return None
    return hours * 60 + mins, offset


def unhonoured(s: dict[str, Any]) -> tuple[str, str] | None:
    """The first field of ``s`` that the kiosk's weekly reading would get wrong, and its value
    (the kiosk then shows the schedule's description and notes, no weekly hours)."""
    freq = s.get("freq")
    if isinstance(freq, str) and freq.strip() and freq.strip().upper() != "WEEKLY":
        return "freq", freq
    for key in UNHONOURED:
        value = s.get(key)
        if value is None or value == "" or value == []:
            continue
        if key == "interval" and isinstance(value, (int, float)) and not isinstance(value, bool) and value <= 1:
            continue
        return key, str(value)
    byday = s.get("byday")
    if isinstance(byday, str) and byday.strip():
        for part in byday.upper().replace(" ", "").split(","):
            if part[-2:] in DAY_CODES and part[:-2] not in ("", "+"):
                return "byday", byday
    return None


def _schedules_of(obj: Any, where: str, depth: int = 0) -> Iterator[tuple[list[Any], str]]:
    """Every ``schedules`` list in a record (the service's, its places', their locations')."""
    if not isinstance(obj, dict) or depth > 6:
        return
    for key, value in obj.items():
        if key == "x_translations":
            continue
        if key == "schedules" and isinstance(value, list):
            yield value, f"{where}{key}"
        elif isinstance(value, dict):
            yield from _schedules_of(value, f"{where}{key}.", depth + 1)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from _schedules_of(item, f"{where}{key}[{i}].", depth + 1)


def check_schedule(s: dict[str, Any], record: Record, where: str, findings: Findings) -> bool:
    """One schedule: warnings, mending it in place; False when it is to be dropped."""
    start, end = date_or_none(s.get("valid_from")), date_or_none(s.get("valid_to"))
    if start and end and start > end:
        findings.warn("schedule_inverted", record, f"{where}.valid_from", start=str(s["valid_from"])[:10],
                      end=str(s["valid_to"])[:10])
        return False
    times = {}
    for key in ("opens_at", "closes_at"):
        value = s.get(key)
        if value is None or value == "":
            continue
        parsed = minutes(value) if isinstance(value, str) else None
        if parsed is None:
            findings.warn("bad_time", record, f"{where}.{key}", value=str(value)[:20])
            del s[key]
        else:
            times[key] = parsed
    if not times:
        return True
    odd = unhonoured(s)
    if odd is not None:
        findings.warn("schedule_unhonoured", record, f"{where}.{odd[0]}", value=odd[1][:40])
        return True
    if len(times) == 2 and _same_moment(times["opens_at"], times["closes_at"]):
        if times["opens_at"][0] != 0:
            findings.warn("schedule_no_length", record, f"{where}.closes_at", value=str(s["opens_at"])[:20])
            del s["opens_at"], s["closes_at"]
            return True
    if not s.get("freq") and not s.get("byday"):
        findings.warn("schedule_every_day", record, f"{where}.byday")
    return True


def _same_moment(opens: tuple[int, int | None], closes: tuple[int, int | None]) -> bool:
    (o, o_off), (c, c_off) = opens, closes
    o_off = c_off if o_off is None else o_off
    c_off = o_off if c_off is None else c_off
    return (o - (o_off or 0)) % (24 * 60) == (c - (c_off or 0)) % (24 * 60)


def check_schedules(record_obj: dict[str, Any], record: Record, findings: Findings) -> None:
    """Every schedule of one record (a service), mended or dropped in place."""
    for schedules, where in list(_schedules_of(record_obj, "")):
        kept = [s for i, s in enumerate(schedules)
                if not isinstance(s, dict) or check_schedule(s, record, f"{where}[{i}]", findings)]
        schedules[:] = kept

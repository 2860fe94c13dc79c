"""Opening hours: "open now", "opens at", "closed today" and this week's hours.

Schedules are HSDS weekly rules in the centre's local time, Europe/Tirane. Times are compared as
local wall-clock times, so summer time (last Sunday of March to last Sunday of October) needs no
special case: 08:00 is 08:00 on both sides of the change. A rule whose ``closes_at`` is not after
its ``opens_at`` crosses midnight and ends on the next day; ``24:00`` means the end of the day.

A time written in UTC or with an offset (``07:00Z``, ``09:00+05:00``) is no wall-clock time here:
it becomes two local rules, one for winter (UTC+1) and one for summer time (UTC+2), each applying
only on the days of its season (``WeeklyRule.summer``): ``07:00Z`` is 08:00 in January, 09:00 in July.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import functools
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Optional
from zoneinfo import ZoneInfo

from sync.feed.schedules import DAY_CODES
from sync.feed.schedules import minutes as hsds_time

TZ = ZoneInfo("Europe/Tirane")
DAY = 24 * 60


@functools.lru_cache(maxsize=4096)
def is_summer(day: date) -> bool:
    """Whether Tirana keeps summer time on ``day`` (judged at noon)."""
    return bool(TZ.dst(datetime.combine(day, time(12))))


def _season_offsets() -> dict[bool, int]:
    """Tirana's offset from UTC in minutes, in winter (False) and in summer (True)."""
    return {summer: int(TZ.utcoffset(datetime(2026, 7 if summer else 1, 15)).total_seconds() // 60)
            for summer in (False, True)}


SEASON_OFFSETS = _season_offsets()


@dataclass(frozen=True)
class WeeklyRule:
    """One weekly opening rule: on ``weekdays`` from ``opens`` to ``closes`` minutes after midnight."""

    weekdays: frozenset[int]
    opens: int
    closes: int  # > DAY when the interval ends on the next day
    valid_from: Optional[date] = None
    valid_to: Optional[date] = None
    note: str = ""
    summer: Optional[bool] = None   # a rule converted from UTC: only in summer (True) or winter time

    def applies_on(self, day: date) -> bool:
        if day.weekday() not in self.weekdays:
            return False
        if self.summer is not None and is_summer(day) != self.summer:
            return False
        if self.valid_from and day < self.valid_from:
            return False
        if self.valid_to and day > self.valid_to:
            return False
        return True


def parse_time(text: str | None) -> tuple[Optional[int], Optional[int]]:
    """An HSDS time: minutes after midnight as written, and the UTC offset in minutes it was
    written in (``Z`` 0, ``+05:00`` 300) or None for local time; (None, None) for what is no
    time. The feed's checks read a time the same way (:func:`sync.feed.schedules.minutes`), so
    what they let through is what the kiosk shows."""
    read = hsds_time(text) if text else None
    return read if read is not None else (None, None)


def parse_byday(text: str | None) -> frozenset[int]:
    """Weekdays (0 = Monday) of an iCal ``byday``; ordinal prefixes (``2MO``) are not weekly."""
    if not text:
        return frozenset(range(7))
    days = set()
    for part in text.upper().replace(" ", "").split(","):
        code = part[-2:]
        if code in DAY_CODES and part[:-2] in ("", "+"):
            days.add(DAY_CODES.index(code))
    return frozenset(days)


def rules_from_schedule(freq: str | None, byday: str | None, opens_at: str | None,
                        closes_at: str | None, valid_from: date | None = None,
                        valid_to: date | None = None, note: str = "") -> list[WeeklyRule]:
    """The weekly rules of HSDS schedule fields: none when they are no weekly opening rule, one in
    local time, or for times written in UTC or with an offset one per season, in local time."""
    if freq and freq.upper() != "WEEKLY":
        return []
    (opens, open_off), (closes, close_off) = parse_time(opens_at), parse_time(closes_at)
    if opens is None or closes is None or opens == DAY:
        return []
    days = parse_byday(byday)
    if not days:
        return []
    if open_off is None and close_off is None:
        return [WeeklyRule(days, opens, closes + DAY if closes <= opens else closes, valid_from, valid_to, note)]
    open_off = close_off if open_off is None else open_off
    close_off = open_off if close_off is None else close_off
    closes += open_off - close_off        # both in the opening time's offset
    if closes <= opens:
        closes += DAY
    rules = []
    for summer, local in SEASON_OFFSETS.items():
        start, end = opens + local - open_off, closes + local - open_off
        shift = start // DAY                  # the local day may be the one before or after,
        moved = timedelta(days=shift)         # and the dates it is valid on move with it
        rules.append(WeeklyRule(frozenset((d + shift) % 7 for d in days), start - shift * DAY,
                                end - shift * DAY, valid_from and valid_from + moved,
                                valid_to and valid_to + moved, note, summer))
    return rules


@dataclass(frozen=True)
class Interval:
    """An opening on one calendar day, in minutes after that day's midnight (``closes`` may pass 1440)."""

    day: date
    opens: int
    closes: int

    def label(self) -> str:
        return f"{format_minutes(self.opens)}–{format_minutes(self.closes)}"


def format_minutes(minutes: int) -> str:
    if minutes == DAY:
        return "24:00"
    minutes %= DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def intervals_on(rules: Iterable[WeeklyRule], day: date) -> list[Interval]:
    """The openings that start on ``day``, merged and sorted."""
    spans = sorted((r.opens, r.closes) for r in rules if r.applies_on(day))
    merged: list[list[int]] = []
    for opens, closes in spans:
        if merged and opens <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], closes)
        else:
            merged.append([opens, closes])
    return [Interval(day, o, c) for o, c in merged]


@dataclass(frozen=True)
class OpenStatus:
    """Where a service stands at one moment.

    ``state`` is ``open`` (until ``closes``), ``opens_later`` (today at ``opens``),
    ``closed_today`` (next opening ``next_day`` at ``opens``, if any) or ``no_hours``.
    """

    state: str
    opens: Optional[str] = None
    closes: Optional[str] = None
    next_day: Optional[date] = None
    always: bool = False

    @property
    def is_open(self) -> bool:
        return self.state == "open"


def local_now(now: datetime | None = None) -> datetime:
    """``now`` (or the current time) as a naive wall-clock time in Europe/Tirane."""
    moment = now or datetime.now(timezone.utc)
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(TZ).replace(tzinfo=None)


def status_at(rules: Iterable[WeeklyRule], now: datetime | None = None) -> OpenStatus:
    rules = list(rules)
    if not rules:
        return OpenStatus("no_hours")
    local = local_now(now)
    today = local.date()
    minute = local.hour * 60 + local.minute
    # Yesterday's openings that run past midnight count for today.
    for iv in intervals_on(rules, today - timedelta(days=1)):
        if iv.closes > DAY and minute < iv.closes - DAY:
            return _open_until(rules, today, iv.closes - DAY)
    for iv in intervals_on(rules, today):
        if iv.opens <= minute < iv.closes:
            return _open_until(rules, today, iv.closes)
    for iv in intervals_on(rules, today):
        if iv.opens > minute:
            return OpenStatus("opens_later", opens=format_minutes(iv.opens))
    for ahead in range(1, 8):
        day = today + timedelta(days=ahead)
        ivs = intervals_on(rules, day)
        if ivs:
            return OpenStatus("closed_today", opens=format_minutes(ivs[0].opens), next_day=day)
    return OpenStatus("closed_today")


def _open_until(rules: list[WeeklyRule], today: date, closes: int) -> OpenStatus:
    """Open now; follow openings that continue without a gap (a 24-hour service never closes)."""
    day, end = today, closes
    for _ in range(8):
        if end < DAY:
            break
        nxt = day + timedelta(days=1)
        follow = [iv for iv in intervals_on(rules, nxt) if iv.opens <= end - DAY]
        if not follow:
            break
        day, end = nxt, max(iv.closes for iv in follow)
    else:
        return OpenStatus("open", always=True)
    return OpenStatus("open", closes=format_minutes(end))


@dataclass(frozen=True)
class DayHours:
    day: date
    weekday: int
    intervals: tuple[str, ...]
    is_today: bool
    notes: tuple[str, ...] = field(default=())


def week_hours(rules: Iterable[WeeklyRule], now: datetime | None = None) -> list[DayHours]:
    """This week's hours, Monday to Sunday, with today marked."""
    rules = list(rules)
    today = local_now(now).date()
    monday = today - timedelta(days=today.weekday())
    week = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        applying = [r for r in rules if r.applies_on(day)]
        notes = tuple(dict.fromkeys(r.note for r in applying if r.note))
        week.append(DayHours(day, offset, tuple(iv.label() for iv in intervals_on(applying, day)),
                             day == today, notes))
    return week

"""Which services are open when: read from the derived opening-interval index. No Kivy here.

The catalogue's schedules are turned into weekly rules (:mod:`kiosk.catalogue.hours`) when it is
built; these functions find the services open at a moment and judge each one's status, with
equal timetables built and judged once (services share a handful of them).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Callable, Iterable, Sequence, TypeVar

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from kiosk.catalogue import models as m
from kiosk.catalogue.hours import OpenStatus, WeeklyRule, is_summer, local_now, rules_from_schedule, status_at
from sync.feed.document import date_or_none
from sync.feed.schedules import unhonoured

T = TypeVar("T")


def open_now_where(now: datetime | None) -> tuple[str, dict]:
    local = local_now(now)
    today = local.date()
    yesterday = today - timedelta(days=1)
    minute = local.hour * 60 + local.minute
    sql = ("((weekday = :wd AND opens <= :mn AND closes > :mn"
           " AND (valid_from IS NULL OR valid_from <= :d) AND (valid_to IS NULL OR valid_to >= :d)"
           " AND (summer IS NULL OR summer = :s))"
           " OR (weekday = :pwd AND closes > :mn + 1440"
           " AND (valid_from IS NULL OR valid_from <= :pd) AND (valid_to IS NULL OR valid_to >= :pd)"
           " AND (summer IS NULL OR summer = :ps)))")
    return sql, {"wd": today.weekday(), "pwd": yesterday.weekday(), "mn": minute,
                 "d": today.isoformat(), "pd": yesterday.isoformat(),
                 "s": int(is_summer(today)), "ps": int(is_summer(yesterday))}


def open_service_ids(session: Session, now: datetime | None = None) -> set[str]:
    """Ids of the services open at ``now`` (Europe/Tirane), from the derived interval index."""
    sql, params = open_now_where(now)
    return set(session.scalars(text(
        f"SELECT id FROM service WHERE timetable_id IN (SELECT timetable_id FROM opening_interval WHERE {sql})")
        .columns(id=m.Key), params))


def pack(intervals: Iterable[tuple]) -> str:
    """``(weekday, opens, closes, valid_from, valid_to, summer)`` intervals as the text a
    ``timetable`` row keeps: ``weekday,opens,closes,valid_from,valid_to,summer`` (dates ISO, or
    empty; summer 1, 0 or empty) joined by ``;``."""
    return ";".join(f"{wd},{opens},{closes},{vf.isoformat() if vf else ''},{vt.isoformat() if vt else ''},"
                    f"{'' if summer is None else int(summer)}"
                    for wd, opens, closes, vf, vt, summer in intervals)


def unpack(packed: str, made: dict[tuple, WeeklyRule] | None = None) -> tuple[WeeklyRule, ...]:
    """The weekly rules of a packed timetable; ``made`` shares equal rules between timetables."""
    made = {} if made is None else made
    rules = []
    for piece in packed.split(";"):
        wd, opens, closes, valid_from, valid_to, summer = piece.split(",")
        key = (int(wd), int(opens), int(closes),
               date.fromisoformat(valid_from) if valid_from else None,
               date.fromisoformat(valid_to) if valid_to else None,
               None if summer == "" else summer == "1")
        rule = made.get(key)
        if rule is None:
            rule = made[key] = WeeklyRule(frozenset({key[0]}), *key[1:5], summer=key[5])
        rules.append(rule)
    return tuple(rules)


class Timetables:
    """Packed timetables read into rules, each distinct one once (a frozen dataclass is dear to
    construct thousands of times; services share a few hundred timetables at 100k)."""

    def __init__(self) -> None:
        self._made: dict[tuple, WeeklyRule] = {}
        self._read: dict[str, tuple[WeeklyRule, ...]] = {}

    def __call__(self, packed: str | None) -> tuple[WeeklyRule, ...]:
        if not packed:
            return ()
        rules = self._read.get(packed)
        if rules is None:
            rules = self._read[packed] = unpack(packed, self._made)
        return rules


def rules_for(session: Session, service_ids) -> dict[str, tuple[WeeklyRule, ...]]:
    """The weekly opening rules of each service with any: ``service_ids`` a list (read in chunks
    under SQLite's parameter limit) or a SELECT of ids."""
    svc, tt = m.Service.__table__, m.Timetable.__table__
    read = Timetables()

    def query(ids):
        return select(svc.c.id, tt.c.packed).join(tt, tt.c.id == svc.c.timetable_id).where(svc.c.id.in_(ids))
    if isinstance(service_ids, (list, tuple, set, frozenset)):
        ids = list(service_ids)
        found = (row for start in range(0, len(ids), 900) for row in session.execute(query(ids[start:start + 900])))
    else:
        found = session.execute(query(service_ids))
    return {sid: read(packed) for sid, packed in found}


def status_judge(now: datetime | None) -> Callable[[tuple[WeeklyRule, ...]], OpenStatus]:
    """``judge(timetable)``: the open status at ``now``. Services share a handful of timetables,
    so each distinct one is judged once."""
    judged: dict[tuple, OpenStatus] = {}

    def judge(timetable: tuple[WeeklyRule, ...]) -> OpenStatus:
        status = judged.get(timetable)
        if status is None:
            status = judged[timetable] = status_at(timetable, now)
        return status
    return judge


def statuses(session: Session, service_ids: Iterable[str], now: datetime | None = None
             ) -> dict[str, OpenStatus]:
    """Each service's open status at ``now``."""
    service_ids = list(service_ids)
    rules = rules_for(session, service_ids)
    judge = status_judge(now)
    return {sid: judge(tuple(rules.get(sid, ()))) for sid in service_ids}


def schedules_at(own: Sequence[T], at_place: Sequence[T], at_location: Sequence[T]) -> Sequence[T]:
    """The schedules that say when a service is given at one place. HSDS: the most specific
    wins: the service_at_location's own, else the service's, else the building's (a service open
    Tuesday 10-12 in a building open Monday to Friday 08-20 is open Tuesday 10-12 only)."""
    return at_place or own or at_location


def service_schedules(own: Sequence[T], places: Iterable[tuple[Sequence[T], Sequence[T]]]) -> list[T]:
    """Every schedule that opens a service somewhere: :func:`schedules_at` for each of its
    ``places`` (``(service_at_location's, location's)`` schedules), its own when it has no place.
    The catalogue's build (the "open now" index) and the service page both use this."""
    places = list(places)
    if not places:
        return list(own)
    out: list[T] = []
    seen: set[int] = set()
    for at_place, at_location in places:
        for s in schedules_at(own, at_place, at_location):
            if id(s) not in seen:
                seen.add(id(s))
                out.append(s)
    return out


def weekly_rules(freq: str | None, byday: str | None, opens_at: str | None, closes_at: str | None,
                 valid_from: date | None, valid_to: date | None, extra: dict | None,
                 note: str = "") -> list[WeeklyRule]:
    """The weekly rules of a schedule as HSDS means them: its ``until`` and ``dtstart`` (kept in
    ``extra``) narrow the dates it is valid; a rule the kiosk cannot follow week by week (every
    other week, a count, days of the month: :func:`sync.feed.schedules.unhonoured`) gives none,
    and the page shows the schedule's description and notes instead (:func:`notes_of`)."""
    extra = extra or {}
    if unhonoured({**extra, "freq": freq, "byday": byday}):
        return []
    valid_from = _later(valid_from, date_or_none(extra.get("dtstart")))
    valid_to = _earlier(valid_to, date_or_none(extra.get("until")))
    return rules_from_schedule(freq, byday, opens_at, closes_at, valid_from, valid_to, note)


def _later(a: date | None, b: date | None) -> date | None:
    return max(a, b) if a and b else a or b


def _earlier(a: date | None, b: date | None) -> date | None:
    return min(a, b) if a and b else a or b


def rules_of(schedules: Iterable[m.Schedule], lang: str) -> list[WeeklyRule]:
    out = []
    for s in schedules:
        out += weekly_rules(s.freq, s.byday, s.opens_at, s.closes_at, s.valid_from, s.valid_to, s.extra,
                            s.t("notes", lang) or s.t("description", lang) or "")
    return out


def notes_of(schedules: Iterable[m.Schedule], lang: str) -> tuple[str, ...]:
    """What the schedules say in words that their weekly hours do not: the notes of each, and
    the description of one that gives no weekly hours ("E hëna e parë e muajit, 09:00-12:00")."""
    out = []
    for s in schedules:
        words = s.t("notes", lang) or s.t("description", lang) or ""
        if words:
            out.append(words)
    return tuple(dict.fromkeys(out))

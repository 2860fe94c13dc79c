"""Which services are open when: read from the derived opening-interval index. No Kivy here.

The catalogue's schedules are turned into weekly rules (:mod:`kiosk.catalogue.hours`) when it is
built; these functions find the services open at a moment and judge each one's status, with
equal timetables built and judged once (services share a handful of them).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Callable, Iterable

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from kiosk.catalogue import models as m
from kiosk.catalogue.hours import OpenStatus, WeeklyRule, local_now, rule_from_schedule, status_at


def open_now_where(now: datetime | None) -> tuple[str, dict]:
    local = local_now(now)
    today = local.date()
    yesterday = today - timedelta(days=1)
    minute = local.hour * 60 + local.minute
    sql = ("((weekday = :wd AND opens <= :mn AND closes > :mn"
           " AND (valid_from IS NULL OR valid_from <= :d) AND (valid_to IS NULL OR valid_to >= :d))"
           " OR (weekday = :pwd AND closes > :mn + 1440"
           " AND (valid_from IS NULL OR valid_from <= :pd) AND (valid_to IS NULL OR valid_to >= :pd)))")
    return sql, {"wd": today.weekday(), "pwd": yesterday.weekday(), "mn": minute,
                 "d": today.isoformat(), "pd": yesterday.isoformat()}


def open_service_ids(session: Session, now: datetime | None = None) -> set[str]:
    """Ids of the services open at ``now`` (Europe/Tirane), from the derived interval index."""
    sql, params = open_now_where(now)
    return set(session.scalars(text(f"SELECT DISTINCT service_id FROM opening_interval WHERE {sql}"),
                               params))


def _interval_rows(session: Session, service_ids) -> Iterable[tuple]:
    """``(service_id, weekday, opens, closes, valid_from, valid_to)`` of ``service_ids``: a list
    (read in chunks under SQLite's parameter limit) or a SELECT of ids."""
    oi = m.OpeningInterval.__table__
    cols = (oi.c.service_id, oi.c.weekday, oi.c.opens, oi.c.closes, oi.c.valid_from, oi.c.valid_to)
    if not isinstance(service_ids, (list, tuple, set, frozenset)):
        yield from session.execute(select(*cols).where(oi.c.service_id.in_(service_ids)))
        return
    ids = list(service_ids)
    for start in range(0, len(ids), 900):
        yield from session.execute(select(*cols).where(oi.c.service_id.in_(ids[start:start + 900])))


def rules_for(session: Session, service_ids) -> dict[str, list[WeeklyRule]]:
    """The weekly opening rules of each service, from the derived interval index.

    Services share a handful of timetables, so equal rules are built once (a frozen dataclass
    is dear to construct thousands of times).
    """
    rules: dict[str, list[WeeklyRule]] = defaultdict(list)
    made: dict[tuple, WeeklyRule] = {}
    for sid, *key in _interval_rows(session, service_ids):
        key = tuple(key)
        rule = made.get(key)
        if rule is None:
            rule = made[key] = WeeklyRule(frozenset({key[0]}), *key[1:])
        rules[sid].append(rule)
    return rules


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


def rules_of(schedules: Iterable[m.Schedule], lang: str) -> list[WeeklyRule]:
    out = []
    for s in schedules:
        rule = rule_from_schedule(s.freq, s.byday, s.opens_at, s.closes_at, s.valid_from, s.valid_to,
                                  s.t("notes", lang) or s.t("description", lang) or "")
        if rule is not None:
            out.append(rule)
    return out

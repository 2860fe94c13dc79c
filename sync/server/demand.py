"""What visitors looked for, from the kiosks' anonymous usage counts: the figures of the demand
page (``/admin/demand``) and of its CSV and xlsx exports, for a period of local days and one
kiosk or all. Counts are per kiosk and hour (or per local day, for a kiosk's merged records and
for sensitive subjects, which are never counted per hour); the period's days are Europe/Tirane days.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.server.feedback_ingest import TIRANE, local_day
from sync.server.feedback_models import UnmetSearch, UsageCount
from sync.server.models import Category, Organization, Service

MAX_DAYS = 400
TOP = 20
LENGTHS = (("visit:<1m", "under 1 minute"), ("visit:1-3m", "1 to 3 minutes"),
           ("visit:3-10m", "3 to 10 minutes"), ("visit:>10m", "more than 10 minutes"))
LANGUAGES = (("lang:sq", "Albanian"), ("lang:en", "English"))
ACCESS = (("text:large", "Larger text"), ("contrast:high", "High contrast"), ("speech:on", "Read aloud"))
QR_KINDS = (("qr:contact", "Save the contact"), ("qr:link", "Open on the phone"), ("qr:call", "Call"),
            ("qr:directions", "Directions"))
SLIPS = (("slip:ok", "Slips printed"), ("slip:failed", "Slips that failed"))
SEARCHES = (("search", "Searches opened"), ("search:none", "Searches that found nothing"))
#: Visits that opened a sensitive subject, all together, per day (sync.feed.telemetry)
SENSITIVE = (("sensitive:service", "Sensitive services"), ("sensitive:category", "Sensitive categories"),
             ("sensitive:organization", "Their providers"), ("sensitive:qr_service", "Their QR codes"),
             ("sensitive:slip_service", "Their slips"))


@dataclass(frozen=True)
class Period:
    start: date
    end: date            # inclusive
    kiosk_id: int | None

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[local midnight of start, local midnight after end), as naive UTC."""
        def midnight(day: date) -> datetime:
            return datetime.combine(day, time(0), TIRANE).astimezone(timezone.utc).replace(tzinfo=None)
        return midnight(self.start), midnight(self.end + timedelta(days=1))


def parse_period(start: str | None, end: str | None, kiosk: str | None, today: date | None = None) -> Period:
    """The asked period, or the last 30 days; at most 400 days; a bad value falls back."""
    today = today or datetime.now(TIRANE).date()

    def day(text: str | None, default: date) -> date:
        try:
            return date.fromisoformat(text) if text and len(text) == 10 else default
        except ValueError:
            return default

    stop = min(day(end, today), today + timedelta(days=1))
    begin = day(start, stop - timedelta(days=29))
    if begin > stop:
        begin, stop = stop, begin
    begin = max(begin, stop - timedelta(days=MAX_DAYS - 1))
    kiosk_id = int(kiosk) if kiosk and kiosk.isdigit() and len(kiosk) < 12 else None
    return Period(begin, stop, kiosk_id)


@dataclass
class Demand:
    period: Period
    totals: dict[str, int]
    visits_per_day: list[tuple[date, int]]
    categories: list[tuple[str, str, int]] = field(default_factory=list)     # (id, name, n)
    services: list[tuple[str, str, int]] = field(default_factory=list)
    organizations: list[tuple[str, str, int]] = field(default_factory=list)
    handoffs: list[tuple[str, str, int, int]] = field(default_factory=list)  # (id, name, qr, slips)
    unmet: list[tuple[str, int]] = field(default_factory=list)

    def fixed(self, keys: tuple[tuple[str, str], ...]) -> list[tuple[str, str, int]]:
        """(key, label message id, n) for a fixed list of keys."""
        return [(key, label, self.totals.get(key, 0)) for key, label in keys]

    @property
    def visits(self) -> int:
        return self.totals.get("visit", 0)


def _filtered(query, model, period: Period):
    return query.where(model.kiosk_id == period.kiosk_id) if period.kiosk_id is not None else query


def _family(totals: dict[str, int], family: str) -> Iterator[tuple[str, int]]:
    prefix = family + ":"
    for key, n in totals.items():
        if key.startswith(prefix):
            yield key[len(prefix):], n


def _named(db: Session, model, items: list[tuple[str, int]], limit: int = TOP) -> list[tuple[str, str, int]]:
    items = sorted(items, key=lambda kv: (-kv[1], kv[0]))[:limit]
    names = dict(db.execute(select(model.id, model.name).where(model.id.in_([i for i, _n in items]))).all())
    return [(i, names.get(i, ""), n) for i, n in items]


def compute(db: Session, period: Period) -> Demand:
    low, high = period.utc_bounds()
    in_period = (UsageCount.hour >= low, UsageCount.hour < high)
    totals = dict(db.execute(_filtered(select(UsageCount.key, func.sum(UsageCount.n)).where(*in_period), UsageCount,
                                       period).group_by(UsageCount.key)).all())
    totals = {k: int(v) for k, v in totals.items()}
    per_day = {d: 0 for d in period.days}
    for hour, n in db.execute(_filtered(select(UsageCount.hour, func.sum(UsageCount.n)).where(
            *in_period, UsageCount.key == "visit"), UsageCount, period).group_by(UsageCount.hour)):
        day = local_day(hour)
        if day in per_day:
            per_day[day] += int(n)
    demand = Demand(period, totals, sorted(per_day.items()))
    demand.categories = _named(db, Category, list(_family(totals, "category")))
    demand.services = _named(db, Service, list(_family(totals, "service")))
    demand.organizations = _named(db, Organization, list(_family(totals, "organization")))
    qr = dict(_family(totals, "qr_service"))
    slips = dict(_family(totals, "slip_service"))
    both = sorted(set(qr) | set(slips), key=lambda i: (-(qr.get(i, 0) + slips.get(i, 0)), i))[:TOP]
    names = dict(db.execute(select(Service.id, Service.name).where(Service.id.in_(both))).all())
    demand.handoffs = [(i, names.get(i, ""), qr.get(i, 0), slips.get(i, 0)) for i in both]
    query = select(UnmetSearch.term, func.sum(UnmetSearch.n)).where(UnmetSearch.day >= period.start,
                                                                    UnmetSearch.day <= period.end)
    rows = db.execute(_filtered(query, UnmetSearch, period).group_by(UnmetSearch.term)
                      .order_by(func.sum(UnmetSearch.n).desc(), UnmetSearch.term).limit(100)).all()
    demand.unmet = [(term, int(n)) for term, n in rows]
    return demand


def rows(demand: Demand, tr) -> list[tuple[str, str, str, int]]:
    """The export's rows: (what, key, name, count); one per day, category, service, term..."""
    out: list[tuple[str, str, str, int]] = []
    out += [("visits_per_day", d.isoformat(), "", n) for d, n in demand.visits_per_day]
    out += [("visit_length", key, tr(label), n) for key, label, n in demand.fixed(LENGTHS)]
    out += [("category", i, name, n) for i, name, n in demand.categories]
    out += [("service", i, name, n) for i, name, n in demand.services]
    out += [("organization", i, name, n) for i, name, n in demand.organizations]
    out += [("qr", key, tr(label), n) for key, label, n in demand.fixed(QR_KINDS)]
    out += [("slip", key, tr(label), n) for key, label, n in demand.fixed(SLIPS)]
    for i, name, qr, slips in demand.handoffs:
        out += [("qr_service", i, name, qr), ("slip_service", i, name, slips)]
    out += [("language", key, tr(label), n) for key, label, n in demand.fixed(LANGUAGES)]
    out += [("accessibility", key, tr(label), n) for key, label, n in demand.fixed(ACCESS)]
    out += [("search", key, tr(label), n) for key, label, n in demand.fixed(SEARCHES)]
    out += [("sensitive", key, tr(label), n) for key, label, n in demand.fixed(SENSITIVE)]
    out += [("unmet_search", term, term, n) for term, n in demand.unmet]
    return out

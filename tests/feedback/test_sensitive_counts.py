"""Visitors in danger: a sensitive subject (a shelter's service, its category, its provider) is
never counted in an hour. Its keys go to the day's record, once a visit, under
``sensitive:<family>``, and under their own key only once three separate visits of the day opened
it; a report on it keeps its subject but only its day. Not in memory, not on disk, not on the wire."""
from __future__ import annotations

import sqlite3
from datetime import datetime

from factories import uid

from kiosk.bootstrap import build_kiosk
from kiosk.config import Config, KioskSection
from kiosk.feedback.store import TZ
from sync.feed import telemetry

SHELTER = "c5427737-1d45-5c07-be53-0c1e40e569e3"
NURSERY = "6f1c2b9e-1111-4222-8333-444455556666"


def sensitive_store(make_store):
    return make_store(sensitive=lambda subject: subject == SHELTER)


def shelter_visit(store, clock, *extra: str) -> None:
    store.visit_started()
    store.count("lang:en")
    store.count(f"service:{SHELTER}")
    store.count(f"service:{SHELTER}")       # back to the page: the same visit
    store.count(f"service:{NURSERY}")
    for key in extra:
        store.count(key)
    clock.mono += 30
    store.visit_ended()


def counts_of(records) -> tuple[dict[str, int], dict[str, int]]:
    """(what the hour records carry, what the day records carry), summed."""
    hours: dict[str, int] = {}
    days: dict[str, int] = {}
    for record in records:
        into = days if record["span"] == "day" else hours
        for key, n in record["counts"].items():
            into[key] = into.get(key, 0) + n
    return hours, days


def test_one_visit_to_the_shelter_is_a_day_count_without_its_name(make_store, clock):
    store = sensitive_store(make_store)
    shelter_visit(store, clock, f"qr_service:{SHELTER}", "qr:contact", f"slip_service:{SHELTER}", "slip:ok")
    with store._lock:   # nothing in the hour's buffer names the shelter, even before a flush
        assert all(SHELTER not in key for buffer in store._counts.values() for key in buffer)
    store.flush()
    raw = b"".join(p.read_bytes() for p in store.path.parent.iterdir())     # the WAL too
    assert SHELTER.encode() not in raw
    clock.advance(hours=1)
    assert [r["span"] for r in store.pending().hours] == ["hour"]           # the day is not over
    clock.advance(days=1)
    hours, days = counts_of(store.pending().hours)
    assert hours == {"visit": 1, "visit:<1m": 1, "lang:en": 1, f"service:{NURSERY}": 1,
                     "qr:contact": 1, "slip:ok": 1}
    assert days == {"sensitive:service": 1, "sensitive:qr_service": 1, "sensitive:slip_service": 1}
    day = [r for r in store.pending().hours if r["span"] == "day"][0]
    assert day["hour"] == "2026-03-02T00:00:00+01:00"
    assert telemetry.parse_usage(telemetry.encode(telemetry.UsagePost.model_validate({"hours": [day]})))


def test_its_own_key_comes_once_three_separate_visits_of_the_day_opened_it(make_store, clock):
    store = sensitive_store(make_store)
    for _ in range(2):
        shelter_visit(store, clock)
    store.flush()
    assert SHELTER.encode() not in b"".join(p.read_bytes() for p in store.path.parent.iterdir())
    shelter_visit(store, clock)
    shelter_visit(store, clock)
    clock.advance(days=1)
    shelter_visit(store, clock)              # another day: its visits do not add to the first's
    clock.advance(days=1)
    pending = store.pending().hours
    days = [r["counts"] for r in pending if r["span"] == "day"]
    assert days == [{"sensitive:service": 4, f"service:{SHELTER}": 4}, {"sensitive:service": 1}]
    assert all(f"service:{SHELTER}" not in r["counts"] for r in pending if r["span"] == "hour")


def test_a_report_on_the_shelter_keeps_its_subject_and_only_its_day(make_store, clock):
    store = sensitive_store(make_store)
    plain = store.record_report("service", NURSERY, "phone", 3)
    shelter = store.record_report("service", SHELTER, "address", 3)
    clock.advance(hours=1)
    assert [r["id"] for r in store.pending().reports] == [plain]   # sent after its hour; not the shelter's
    clock.advance(days=1)
    reports = {r["id"]: r for r in store.pending().reports}
    assert reports[plain]["span"] == "hour" and reports[plain]["hour"] == "2026-03-02T08:00:00Z"
    assert reports[shelter] == {"id": shelter, "subject": "service", "subject_id": SHELTER, "reason": "address",
                                "catalogue_version": 3, "hour": "2026-03-02T00:00:00+01:00", "span": "day"}
    post = telemetry.parse_reports(telemetry.encode(telemetry.ReportsPost.model_validate(
        {"reports": list(reports.values())})))
    assert {r.span for r in post.reports} == {"hour", "day"}


def test_a_store_made_before_report_spans_keeps_its_reports(tmp_path, make_store, clock):
    path = tmp_path / "data" / "feedback.sqlite3"
    path.parent.mkdir()
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE report (id TEXT PRIMARY KEY, subject TEXT NOT NULL, subject_id TEXT NOT NULL,"
                     " reason TEXT NOT NULL, catalogue_version INTEGER NOT NULL, hour INTEGER NOT NULL);")
    start = int(clock.now.timestamp()) // 3600 * 3600
    db.execute("INSERT INTO report VALUES ('a1b2c3d4-0000-4000-8000-000000000001', 'service', ?, 'phone', 1, ?)",
               (NURSERY, start))
    db.commit()
    db.close()
    store = sensitive_store(make_store)
    store.record_report("service", SHELTER, "hours", 1)
    clock.advance(days=1)
    assert sorted(r["span"] for r in store.pending().reports) == ["day", "hour"]


def test_the_catalogue_says_which_subjects_are_sensitive_and_the_wiring_asks_it(catalogue, tmp_path, clock):
    kiosk = build_kiosk(Config(kiosk=KioskSection(data_dir=tmp_path)), catalogue=catalogue)
    try:
        shelter, nursery = uid("svc:shelter"), uid("svc:nursery")
        ids = kiosk.reads.sensitive_subjects()
        assert shelter in ids and uid("org:social") in ids          # the shelter and its provider
        assert nursery not in ids and uid("svc:hotline") not in ids and uid("org:ngo") not in ids
        store = kiosk.feedback
        store.clock = clock
        store.visit_started()
        store.count(f"service:{shelter}")
        store.count(f"organization:{uid('org:social')}")
        store.count(f"service:{nursery}")
        with store._lock:
            hourly = {key for buffer in store._counts.values() for key in buffer}
            daily = {key for buffer in store._days.values() for key in buffer}
        assert hourly == {f"service:{nursery}"}
        assert daily == {"sensitive:service", "sensitive:organization"}
    finally:
        kiosk.close()


def test_a_category_marked_sensitive_covers_the_categories_below_and_its_services(tmp_path):
    from kiosk.catalogue.store import open_catalogue
    from kiosk.reads import Reads

    catalogue = open_catalogue(tmp_path / "catalogue.sqlite3")   # the sample: domestic violence is sensitive
    reads = Reads(catalogue)
    try:
        ids = reads.sensitive_subjects()
        assert SHELTER in ids                                     # the sample's shelter, in that category
        from kiosk.catalogue import models as m
        from sqlalchemy import select
        with catalogue.session() as session:
            marked = set(session.scalars(select(m.TaxonomyTerm.id).where(m.TaxonomyTerm.sensitive.is_(True))))
            plain = session.scalars(select(m.Service.id).where(m.Service.sensitive.is_(False))).all()
        assert marked and marked <= ids
        assert any(s not in ids for s in plain)
        assert reads.sensitive_subjects() is ids                  # kept until another catalogue loads
    finally:
        reads.close()
        catalogue.dispose()


def test_the_day_of_a_sensitive_count_is_the_local_day(make_store, clock):
    store = sensitive_store(make_store)
    clock.now = datetime(2026, 3, 2, 23, 30, tzinfo=TZ).astimezone(clock.now.tzinfo)   # 23:30 in Elbasan
    shelter_visit(store, clock)
    clock.advance(hours=1)                                                             # 00:30 the next day
    shelter_visit(store, clock)
    clock.advance(days=1)
    days = sorted(r["hour"] for r in store.pending().hours if r["span"] == "day")
    assert days == ["2026-03-02T00:00:00+01:00", "2026-03-03T00:00:00+01:00"]

"""Visitors in danger on the server's side of the counts: a key or a report naming a sensitive
subject (the sample's shelter, the domestic-violence category, their providers) is never stored
with its hour, whatever a kiosk sends; the demand page shows the day counts of sensitive subjects
together, in Albanian and in English, and in its CSV."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

from serverkit import DESK_ID
from sqlalchemy import select
from test_server_feedback import add_kiosk, post, report, usage

from sync.server.feedback_ingest import TIRANE, sensitive_subjects
from sync.server.feedback_models import FeedbackReceipt, FeedbackReport, UsageCount
from sync.server.models import Service

SHELTER = "c5427737-1d45-5c07-be53-0c1e40e569e3"     # sensitive itself in the sample
DV_TERM = "1caba832-a793-5c96-816e-d1f3109bcd3d"     # "Dhuna në familje", sensitive in the sample


def rows(server):
    with server.state.db.session() as db:
        return {(r.span, r.hour, r.key): r.n for r in db.scalars(select(UsageCount))}


def midnight_utc(hour_text: str) -> datetime:
    hour = datetime.fromisoformat(hour_text.replace("Z", "+00:00"))
    local = datetime.combine(hour.astimezone(TIRANE).date(), datetime.min.time(), TIRANE)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def test_the_server_knows_the_sensitive_subjects_of_its_catalogue(server):
    with server.state.db.session() as db:
        ids = sensitive_subjects(db)
        provider = db.get(Service, SHELTER).organization_id
    assert {SHELTER, DV_TERM, provider} <= ids and DESK_ID not in ids


def test_an_older_kiosks_hour_record_naming_the_shelter_is_stored_as_its_day_all_together(server):
    """...and a day record of this version (past the threshold) is stored as it came."""
    token = add_kiosk(server)
    record = usage({"visit": 1, "visit:<1m": 1, "lang:en": 1, f"service:{SHELTER}": 2, f"category:{DV_TERM}": 1,
                    f"qr_service:{SHELTER}": 1, f"service:{DESK_ID}": 1})
    assert post(server.client(), "/api/usage", token, {"hours": [record]}).json() == {"accepted": [record["id"]]}
    stored = rows(server)
    assert not any(SHELTER in key or DV_TERM in key for _span, _hour, key in stored)
    hour = datetime.fromisoformat(record["hour"].replace("Z", "+00:00")).replace(tzinfo=None)
    day = midnight_utc(record["hour"])
    assert stored == {("hour", hour, "visit"): 1, ("hour", hour, "visit:<1m"): 1, ("hour", hour, "lang:en"): 1,
                      ("hour", hour, f"service:{DESK_ID}"): 1, ("day", day, "sensitive:service"): 2,
                      ("day", day, "sensitive:category"): 1, ("day", day, "sensitive:qr_service"): 1}
    # this version's day record (the shelter under its own key once three visits opened it): as sent
    moment = datetime.now(TIRANE) - timedelta(days=1)
    midnight = datetime.combine(moment.date(), datetime.min.time(), TIRANE)
    record = {"id": f"{midnight.date().isoformat()}/ab12cd34", "hour": midnight.isoformat(), "span": "day",
              "counts": {"sensitive:service": 4, f"service:{SHELTER}": 3}}
    assert post(server.client(), "/api/usage", token, {"hours": [record]}).status_code == 200
    at = midnight.astimezone(timezone.utc).replace(tzinfo=None)
    after = rows(server)
    assert after[("day", at, f"service:{SHELTER}")] == 3
    assert after[("day", at, "sensitive:service")] == 4 + (2 if at == day else 0)


def test_a_report_on_the_shelter_keeps_its_subject_and_only_its_day(server):
    token = add_kiosk(server)
    old_kiosk = report(SHELTER, "address")                    # an older kiosk: its hour
    new_kiosk = {**report(SHELTER, "hours"), "span": "day"}   # this version: its day already
    plain = report(DESK_ID)
    r = post(server.client(), "/api/reports", token, {"reports": [old_kiosk, new_kiosk, plain]})
    assert r.status_code == 200 and len(r.json()["accepted"]) == 3
    with server.state.db.session() as db:
        stored = {x.id: x for x in db.scalars(select(FeedbackReport))}
        receipts = {x.item_id: x.received_at for x in db.scalars(select(FeedbackReceipt))}
    for sent in (old_kiosk, new_kiosk):
        row = stored[sent["id"]]
        assert (row.subject, row.subject_id, row.reason) == ("service", SHELTER, sent["reason"])
        assert row.hour == row.received_at == receipts[sent["id"]] == midnight_utc(sent["hour"])
    assert stored[plain["id"]].hour == datetime.fromisoformat(plain["hour"].replace("Z", "+00:00")).replace(tzinfo=None)
    assert receipts[plain["id"]] > stored[plain["id"]].hour        # received now, not cut


def test_the_demand_page_shows_sensitive_subjects_per_day_in_both_languages(server, admin):
    token = add_kiosk(server)
    post(server.client(), "/api/usage", token, {"hours": [usage({"visit": 2, f"service:{SHELTER}": 2,
                                                                  f"category:{DV_TERM}": 1})]})
    english = admin.get("/admin/demand?lang=en").text
    assert "Sensitive services, counted per day" in english and "never per hour" in english
    albanian = admin.get("/admin/demand?lang=sq").text
    assert "Shërbime të ndjeshme, të numëruara për ditë" in albanian and "kurrë për orë" in albanian
    table = list(csv.reader(io.StringIO(admin.get("/admin/demand?format=csv&lang=en").content.decode("utf-8-sig"))))
    assert ["sensitive", "sensitive:service", "Sensitive services", "2"] in table
    assert not any(SHELTER in cell for row in table for cell in row)


def test_what_was_stored_before_a_service_was_marked_sensitive_is_folded_into_its_day(server):
    from sync.server import feedback_ingest

    token = add_kiosk(server)
    client = server.client()
    record = usage({"visit": 1, f"service:{DESK_ID}": 2, f"slip_service:{DESK_ID}": 1})
    sent = report(DESK_ID, "hours")
    assert post(client, "/api/usage", token, {"hours": [record]}).status_code == 200
    assert post(client, "/api/reports", token, {"reports": [sent]}).status_code == 200
    hour = datetime.fromisoformat(record["hour"].replace("Z", "+00:00")).replace(tzinfo=None)
    assert rows(server)[("hour", hour, f"service:{DESK_ID}")] == 2
    with server.state.db.session() as db:     # staff mark the desk sensitive, later
        db.get(Service, DESK_ID).sensitive = True
    feedback_ingest._last_prune[0] = float("-inf")     # the next post is the hour's housekeeping
    later = usage({"visit": 1}, hours_ago=2, tag="bb")
    assert post(client, "/api/usage", token, {"hours": [later]}).status_code == 200
    day = midnight_utc(record["hour"])
    stored = rows(server)
    assert not any(DESK_ID in key for _span, _hour, key in stored)
    assert stored[("day", day, "sensitive:service")] == 2 and stored[("day", day, "sensitive:slip_service")] == 1
    with server.state.db.session() as db:
        row = db.scalars(select(FeedbackReport).where(FeedbackReport.id == sent["id"])).one()
        receipt = db.scalars(select(FeedbackReceipt).where(FeedbackReceipt.item_id == sent["id"])).one()
        assert (row.subject_id, row.reason) == (DESK_ID, "hours")
        assert row.hour == row.received_at == receipt.received_at == midnight_utc(sent["hour"])
        assert feedback_ingest.fold_sensitive(db) == 0        # once folded, nothing more to do


def test_publishing_a_service_newly_marked_sensitive_folds_its_hours_at_once(server, admin):
    """Staff mark a service sensitive and publish: from that version the kiosks count it per day,
    and the demand page stops showing its hours at the publish, not at the next hourly tidy."""
    import copy

    from sync.server import catalogue_writes
    from sync.server.audit import SYSTEM
    from test_server_attacks import publish

    token = add_kiosk(server)
    record = usage({"visit": 1, f"service:{DESK_ID}": 3})
    assert post(server.client(), "/api/usage", token, {"hours": [record]}).status_code == 200
    hour = datetime.fromisoformat(record["hour"].replace("Z", "+00:00")).replace(tzinfo=None)
    assert rows(server)[("hour", hour, f"service:{DESK_ID}")] == 3
    with server.state.db.session() as db:
        doc = copy.deepcopy(db.get(Service, DESK_ID).doc)
        doc["x_sensitive"] = True
        catalogue_writes.save_service(db, doc, SYSTEM)
    assert rows(server)[("hour", hour, f"service:{DESK_ID}")] == 3      # saved, not yet published
    publish(admin)
    stored = rows(server)
    assert not any(DESK_ID in key for _span, _hour, key in stored)
    assert stored[("day", midnight_utc(record["hour"]), "sensitive:service")] == 3

"""The feedback routes (issue 16): POST /api/reports and /api/usage (kiosk token only, byte caps
before parsing, idempotent by id, hostile bodies), the reports queue and resolving from the
service editor, the demand page and its CSV and xlsx, and `kiosk-server add-kiosk`."""
from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from serverkit import DESK_ID, csrf_of

from sync.server.models import Kiosk, Service, utcnow
from sync.server.security import new_kiosk_token, token_digest


def add_kiosk(server, name: str = "lobby-1", revoked: bool = False) -> str:
    token = new_kiosk_token()
    with server.state.db.session() as db:
        db.add(Kiosk(name=name, token_sha256=token_digest(token), token_hint=token[3:9], created_by="test",
                     heartbeats=0, revoked_at=utcnow() if revoked else None))
    return token


def last_hour(hours_ago: int = 1) -> str:
    moment = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) - timedelta(hours=hours_ago)
    return moment.isoformat().replace("+00:00", "Z")


def report(subject_id: str = DESK_ID, reason: str = "phone", **extra) -> dict:
    return {"id": str(uuid.uuid4()), "subject": "service", "subject_id": subject_id, "reason": reason,
            "catalogue_version": 2, "hour": last_hour(), **extra}


def usage(counts: dict, unmet: dict | None = None, hours_ago: int = 1, tag: str = "aa") -> dict:
    hour = last_hour(hours_ago)
    return {"id": f"{hour[:13]}Z/{tag}", "hour": hour, "counts": counts, "unmet_searches": unmet or {}}


def post(client, path: str, token: str | None, body, **kw):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(path, content=data, headers={**headers, "Content-Type": "application/json", **kw})


def figures(server):
    from sqlalchemy import func, select

    from sync.server.feedback_models import FeedbackReport, UnmetSearch, UsageCount

    with server.state.db.session() as db:
        counts = dict(db.execute(select(UsageCount.key, func.sum(UsageCount.n)).group_by(UsageCount.key)).all())
        terms = dict(db.execute(select(UnmetSearch.term, func.sum(UnmetSearch.n)).group_by(UnmetSearch.term)).all())
        reports = db.scalar(select(func.count()).select_from(FeedbackReport))
    return counts, terms, reports


def test_only_a_live_kiosk_token_is_accepted(server):
    token = add_kiosk(server)
    revoked = add_kiosk(server, "old", revoked=True)
    client = server.client()
    body = {"reports": [report()]}
    for bad in (None, "nonsense", revoked):
        r = post(client, "/api/reports", bad, body)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = client.post("/api/usage", json={"hours": []}, headers={"Authorization": "Basic " + token})
    assert r.status_code == 401
    assert figures(server)[2] == 0
    assert post(client, "/api/reports", token, body).status_code == 200


def test_reports_are_idempotent_by_id(server):
    token = add_kiosk(server)
    other = add_kiosk(server, "lobby-2")
    client = server.client()
    first = [report(), report(reason="hours")]
    r = post(client, "/api/reports", token, {"reports": first})
    assert r.status_code == 200 and r.json() == {"accepted": [first[0]["id"], first[1]["id"]]}
    again = post(client, "/api/reports", token, {"reports": first + [report()]})
    assert again.status_code == 200 and len(again.json()["accepted"]) == 3
    assert figures(server)[2] == 3
    # the same id from another kiosk is another report
    assert post(client, "/api/reports", other, {"reports": first[:1]}).status_code == 200
    assert figures(server)[2] == 4
    # the same id twice in one post is stored once
    twice = report()
    assert post(client, "/api/reports", token, {"reports": [twice, twice]}).json() == {"accepted": [twice["id"]]}
    assert figures(server)[2] == 5


def test_usage_is_counted_once_and_days_and_terms_add_up(server):
    token = add_kiosk(server)
    client = server.client()
    rec = usage({"visit": 4, "visit:1-3m": 4, f"service:{DESK_ID}": 3, "lang:en": 1}, {"strehim": 3})
    for _ in range(3):
        r = post(client, "/api/usage", token, {"hours": [rec]})
        assert r.status_code == 200 and r.json() == {"accepted": [rec["id"]]}
    later = usage({"visit": 1}, {"strehim": 1}, tag="bb")
    assert post(client, "/api/usage", token, {"hours": [later]}).status_code == 200
    counts, terms, _ = figures(server)
    assert counts["visit"] == 5 and counts[f"service:{DESK_ID}"] == 3 and counts["lang:en"] == 1
    assert terms == {"strehim": 4}


@pytest.mark.parametrize("body, status", [
    (b"not json", 422), (b"[]", 422), (b'{"hours": [{"id": "x", "hour": "2026-01-01T10:00:00"}]}', 422),
    (json.dumps({"hours": [{"id": "a/b", "hour": "2026-03-01T10:00:00Z", "counts": {"Bad Key": 1}}]}), 422),
    (json.dumps({"hours": [{"id": "a/b", "hour": "2026-03-01T10:00:00Z", "counts": {"visit": -1}}]}), 422),
    (json.dumps({"hours": [{"id": "a/b", "hour": "2026-03-01T10:00:00Z", "counts": {"visit": 1.5}}]}), 422),
    (json.dumps({"hours": [{"id": "a/b", "hour": "2026-03-01T10:00:00Z", "unmet_searches": {"Tel 0691234": 3}}]}), 422),
    (json.dumps({"hours": [{"id": "'; drop table kiosks; --", "hour": "2026-03-01T10:00:00Z"}]}), 422),
    (b'{"hours": ' + b"[" * 5000 + b"]" * 5000 + b"}", 422),
])
def test_hostile_usage_bodies_are_refused_and_nothing_is_stored(server, body, status):
    token = add_kiosk(server)
    r = post(server.client(), "/api/usage", token, body)
    assert r.status_code == status, r.text
    assert "error" in r.json()
    assert figures(server) == ({}, {}, 0)


def test_a_post_with_one_bad_record_stores_none_of_it(server):
    token = add_kiosk(server)
    future = datetime.now(timezone.utc) + timedelta(days=3)
    good = usage({"visit": 2})
    bad = {"id": "future/x", "hour": future.isoformat(), "counts": {"visit": 9}}
    old = {"id": "old/x", "hour": "2020-01-01T10:00:00Z", "counts": {"visit": 9}}
    for post_body in ({"hours": [good, bad]}, {"hours": [old, good]}):
        assert post(server.client(), "/api/usage", token, post_body).status_code == 422
    assert figures(server)[0] == {}
    assert post(server.client(), "/api/usage", token, {"hours": [good]}).status_code == 200


def test_byte_caps_come_before_parsing(server):
    token = add_kiosk(server)
    client = server.client()
    big = b'{"reports": [' + b" " * (256 * 1024) + b"]}"
    assert post(client, "/api/reports", token, big).status_code == 413
    huge = b'{"hours": [' + b" " * (1024 * 1024) + b"]}"
    assert post(client, "/api/usage", token, huge).status_code == 413
    # a token is checked before the body: no token, no 413 but 401
    assert post(client, "/api/usage", None, b"{}").status_code == 401
    # the largest post the contract allows is taken
    hours = [usage({f"service:{uuid.UUID(int=i)}": 1 for i in range(k * 100, k * 100 + 100)}, tag=f"t{k}")
             for k in range(20)]
    body = json.dumps({"hours": hours}).encode()
    assert len(body) < 1024 * 1024
    assert post(client, "/api/usage", token, body).status_code == 200


def test_queue_groups_reports_and_resolving_in_the_editor_marks_the_service_checked(server, admin):
    token = add_kiosk(server)
    other = add_kiosk(server, "lobby-2")
    client = server.client()
    post(client, "/api/reports", token, {"reports": [report(), report(), report(reason="hours")]})
    post(client, "/api/reports", other, {"reports": [report()]})
    page = admin.get("/admin/reports?lang=en")
    assert page.status_code == 200
    rows = page.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    assert len(rows) == 2
    phone = next(r for r in rows if "The phone does not answer" in r)
    assert "<b>3</b>" in phone and "lobby-1, lobby-2" in phone and f'href="/admin/services/{DESK_ID}"' in phone
    assert "1 reports wait" not in admin.get("/admin?lang=en").text
    assert "4 reports wait for an editor." in admin.get("/admin?lang=en").text
    sq = admin.get("/admin/reports?lang=sq").text
    assert "Telefoni nuk përgjigjet" in sq and "Raportet nga kioskat" in sq
    with server.state.db.session() as db:
        db.get(Service, DESK_ID).assured_date = "2020-01-01"
    editor_page = admin.get(f"/admin/services/{DESK_ID}?lang=en").text
    assert "Visitors reported a mistake here" in editor_page
    r = admin.post(f"/admin/reports/service/{DESK_ID}/fixed", data={"csrf_token": csrf_of(editor_page)},
                   follow_redirects=False)
    assert r.status_code == 303
    with server.state.db.session() as db:
        assert db.get(Service, DESK_ID).assured_date == datetime.now().date().isoformat()
    assert "No reports here." in admin.get("/admin/reports?lang=en").text
    resolved = admin.get("/admin/reports?status=resolved&lang=en").text
    assert "<b>3</b>" in resolved and "<b>1</b>" in resolved
    assert "action-reports_resolved" not in admin.get("/admin/audit?lang=en").text


def test_dismiss_from_the_queue_and_a_report_about_something_deleted(server, admin):
    token = add_kiosk(server)
    gone = str(uuid.uuid4())
    post(server.client(), "/api/reports", token, {"reports": [report(gone, "closed")]})
    page = admin.get("/admin/reports?lang=en").text
    assert "no longer in the catalogue" in page
    r = admin.post("/admin/reports/close", data={"csrf_token": csrf_of(page), "subject": "service",
                                                 "subject_id": gone, "reason": "closed", "status": "dismissed"})
    assert r.status_code == 200
    assert "No reports here." in admin.get("/admin/reports").text or "Nuk ka raporte" in admin.get("/admin/reports").text
    assert gone in admin.get("/admin/reports?status=dismissed").text
    # without the form's token nothing changes
    post(server.client(), "/api/reports", token, {"reports": [report(gone, "phone")]})
    assert admin.post("/admin/reports/close", data={"subject_id": gone, "reason": "phone",
                                                    "status": "dismissed"}).status_code == 403


def test_demand_page_csv_and_xlsx(server, admin):
    from openpyxl import load_workbook

    token = add_kiosk(server)
    hostile = "=cmd|' /c calc'!a#"
    post(server.client(), "/api/usage", token, {"hours": [usage(
        {"visit": 7, "visit:<1m": 3, "visit:3-10m": 4, f"service:{DESK_ID}": 5, f"qr_service:{DESK_ID}": 2,
         "qr:contact": 2, "slip:ok": 1, "lang:en": 2, "text:large": 1, "search": 3, "search:none": 3},
        {"strehim": 3, hostile: 3})]})
    page = admin.get("/admin/demand?lang=en")
    assert page.status_code == 200
    assert page.text.count("<svg") >= 8 and "strehim" in page.text and "Visits per day" in page.text
    with server.state.db.session() as db:
        name = db.get(Service, DESK_ID).name
    assert name[:30] in page.text
    assert "Çfarë kërkojnë vizitorët" in admin.get("/admin/demand?lang=sq").text
    r = admin.get("/admin/demand?format=csv")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["what", "key", "name", "count"]
    assert ["service", DESK_ID, name, "5"] in rows and ["unmet_search", "strehim", "strehim", "3"] in rows
    assert ["unmet_search", "'" + hostile, "'" + hostile, "3"] in rows
    assert sum(int(r[3]) for r in rows[1:] if r[0] == "visits_per_day") == 7
    x = admin.get("/admin/demand?format=xlsx")
    sheet = load_workbook(io.BytesIO(x.content)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert ["qr_service", DESK_ID, name, 2] in cells
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    # another kiosk's filter sees nothing; a bad period falls back
    with server.state.db.session() as db:
        kid = db.query(Kiosk).filter_by(name="lobby-1").one().id
    assert "strehim" in admin.get(f"/admin/demand?kiosk={kid}").text
    assert "strehim" not in admin.get(f"/admin/demand?kiosk={kid + 99}").text
    assert admin.get("/admin/demand?from=nonsense&to=2026-99-99&kiosk=-1").status_code == 200
    assert server.client().get("/admin/demand", follow_redirects=False).status_code == 303


def test_add_kiosk_prints_the_token_once_and_stores_its_digest(tmp_path, capsys):
    from sync.server.cli import main
    from sync.server.db import Database

    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "add-kiosk", "lobby-9", "--description", "Hyrja"]) == 0
    out = capsys.readouterr().out
    token = next(line.split('"')[1] for line in out.splitlines() if line.startswith("token = "))
    assert 'id = "lobby-9"' in out and "heartbeat_url = " in out and "public_keys = [" in out
    db = Database(data / "server.sqlite3") if (data / "server.sqlite3").exists() else None
    if db is None:
        db = Database(next(data.glob("*.sqlite3")))
    with db.session() as s:
        row = s.query(Kiosk).filter_by(name="lobby-9").one()
        assert row.token_sha256 == token_digest(token) and token not in json.dumps(
            [row.token_hint, row.description, row.token_sha256])
    db.dispose()
    assert main(["--data-dir", str(data), "add-kiosk", "lobby-9"]) == 1
    assert main(["--data-dir", str(data), "add-kiosk", "../etc"]) == 2

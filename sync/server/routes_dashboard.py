"""The staff overview, the list of services to review, and the download of a published version."""
from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from sync.server import catalogue, publishing, routes_reports
from sync.server.db import alphabetical
from sync.server.editing import not_found
from sync.server.models import Category, FeedVersion, Kiosk, Location, Organization, Service, utcnow
from sync.server.web import RowId, render, require_user, state

router = APIRouter(prefix="/admin")


@router.get("")
def dashboard(request: Request) -> Response:
    user = require_user(request)
    st = state(request)
    cfg = st.config
    with st.db.session() as db:
        counts = {name: db.scalar(select(func.count()).select_from(model)) for name, model in
                  (("services", Service), ("organizations", Organization), ("locations", Location),
                   ("categories", Category))}
        latest = publishing.current(db)
        draft_hash = catalogue.assemble(db).content_hash() if counts["services"] else ""
        review = review_query(db, cfg.review_months, count=True)
        kiosks = list(db.scalars(select(Kiosk).where(Kiosk.revoked_at.is_(None))))
        reports_waiting = routes_reports.waiting(db)
    silent = [k for k in kiosks if is_silent(k, cfg.silent_minutes)]
    return render(request, "dashboard.html", {
        "counts": counts, "latest": latest, "unpublished": bool(draft_hash) and (
            latest is None or latest.content_sha256 != draft_hash),
        "review_count": review, "kiosk_count": len(kiosks), "silent": silent, "user": user,
        "reports_waiting": reports_waiting})


def is_silent(kiosk: Kiosk, minutes: int) -> bool:
    return kiosk.last_seen_at is None or utcnow() - kiosk.last_seen_at > timedelta(minutes=minutes)


def review_query(db: Session, months: int, count: bool = False):
    cutoff = (date.today() - timedelta(days=round(months * 30.44))).isoformat()
    query = select(Service).where(or_(Service.assured_date.is_(None), Service.assured_date < cutoff))
    if count:
        return db.scalar(select(func.count()).select_from(query.subquery()))
    return list(db.scalars(query.order_by(Service.assured_date.is_not(None), Service.assured_date, alphabetical(Service.name))))


@router.get("/review")
def review(request: Request) -> Response:
    require_user(request)
    st = state(request)
    with st.db.session() as db:
        rows = review_query(db, st.config.review_months)
        orgs = dict(db.execute(select(Organization.id, Organization.name)).all())
    return render(request, "review.html", {"rows": rows, "orgs": orgs, "months": st.config.review_months})


@router.get("/feed-versions/{version}/feed.json")
def feed_version_download(request: Request, version: RowId) -> Response:
    require_user(request)
    with state(request).db.session() as db:
        row = db.get(FeedVersion, version)
        if row is None:
            return not_found(request)
        data = row.feed_gz
    return Response(data, media_type="application/json",
                    headers={"Content-Encoding": "gzip",
                             "Content-Disposition": f'attachment; filename="feed-v{version}.json"'})

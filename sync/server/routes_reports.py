"""The editors' queue of "this is wrong" reports from the kiosks: ``/admin/reports``.

Reports are grouped by what they are about and why (subject, subject id, reason), newest first,
with how many times and from which kiosks they came. An editor resolves a group (the information
was corrected) or dismisses it (nothing was wrong). Resolving from the service editor after a fix
(``POST /admin/reports/service/{id}/fixed``) also marks the service as checked today
(``assured_date``), in the same transaction, with an audit entry.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sync.feed.telemetry import REASONS, SUBJECTS
from sync.server import catalogue_writes
from sync.server.audit import record
from sync.server.catalogue import CatalogueError
from sync.server.feedback_models import REPORT_STATUSES, FeedbackReport
from sync.server.models import Kiosk, Organization, Service, utcnow
from sync.server.routes_auth import actor_of
from sync.server.web import checked_form, flash, redirect, render, require_user, state

router = APIRouter(prefix="/admin")
REASON_LABELS = {"phone": "The phone does not answer", "address": "The address is wrong",
                 "hours": "The hours are wrong", "closed": "The service has closed", "other": "Something else"}
LIMIT = 300


@dataclass(frozen=True)
class ReportGroup:
    subject: str
    subject_id: str
    reason: str
    count: int
    latest: datetime
    kiosks: tuple[str, ...]
    name: str | None          # None: no longer in the catalogue

    @property
    def href(self) -> str | None:
        if self.name is None:
            return None
        return f"/admin/{'services' if self.subject == 'service' else 'organizations'}/{self.subject_id}"


def waiting(db: Session) -> int:
    """How many reports wait (the overview's figure)."""
    return db.scalar(select(func.count()).select_from(FeedbackReport).where(FeedbackReport.status == "new")) or 0


def groups(db: Session, status: str = "new", subject_id: str | None = None) -> list[ReportGroup]:
    query = (select(FeedbackReport.subject, FeedbackReport.subject_id, FeedbackReport.reason,
                    func.count(), func.max(FeedbackReport.hour))
             .where(FeedbackReport.status == status)
             .group_by(FeedbackReport.subject, FeedbackReport.subject_id, FeedbackReport.reason)
             .order_by(func.max(FeedbackReport.hour).desc(), func.count().desc()).limit(LIMIT))
    if subject_id is not None:
        query = query.where(FeedbackReport.subject_id == subject_id)
    rows = db.execute(query).all()
    ids = {r[1] for r in rows}
    names = dict(db.execute(select(Service.id, Service.name).where(Service.id.in_(ids))).all())
    orgs = dict(db.execute(select(Organization.id, Organization.name).where(Organization.id.in_(ids))).all())
    kiosks: dict[tuple[str, str], set[str]] = {}
    for sid, reason, name in db.execute(
            select(FeedbackReport.subject_id, FeedbackReport.reason, Kiosk.name)
            .join(Kiosk, Kiosk.id == FeedbackReport.kiosk_id)
            .where(FeedbackReport.status == status, FeedbackReport.subject_id.in_(ids)).distinct()):
        kiosks.setdefault((sid, reason), set()).add(name)
    return [ReportGroup(subject, sid, reason, count, latest, tuple(sorted(kiosks.get((sid, reason), ()))),
                        (names if subject == "service" else orgs).get(sid))
            for subject, sid, reason, count, latest in rows]


def _set_status(db: Session, status: str, subject_id: str, reason: str | None, who: str) -> int:
    stmt = update(FeedbackReport).where(FeedbackReport.status == "new", FeedbackReport.subject_id == subject_id)
    if reason:
        stmt = stmt.where(FeedbackReport.reason == reason)
    result = db.execute(stmt.values(status=status, resolved_at=utcnow(), resolved_by=who[:64]))
    return result.rowcount or 0


@router.get("/reports")
def reports_page(request: Request) -> Response:
    require_user(request)
    status = request.query_params.get("status") or "new"
    status = status if status in REPORT_STATUSES else "new"
    with state(request).db.session() as db:
        rows = groups(db, status)
        counts = dict(db.execute(select(FeedbackReport.status, func.count()).group_by(FeedbackReport.status)).all())
    return render(request, "reports.html", {"rows": rows, "status": status, "statuses": REPORT_STATUSES,
                                            "counts": counts, "reasons": REASON_LABELS,
                                            "status_labels": {s: f"reports-{s}" for s in REPORT_STATUSES}})


@router.post("/reports/close")
async def reports_close(request: Request) -> Response:
    """Resolve or dismiss one group of new reports (form: subject_id, reason, status)."""
    user = require_user(request)
    form = await checked_form(request)
    status = str(form.get("status") or "")
    subject_id = str(form.get("subject_id") or "")[:36]
    reason = str(form.get("reason") or "")
    if status not in ("resolved", "dismissed") or reason not in REASONS or not subject_id:
        flash(request, "Something went wrong.", "error")
        return redirect("/admin/reports")
    actor = actor_of(request, user)
    with state(request).db.session() as db:
        n = _set_status(db, status, subject_id, reason, user.username)
        subject = str(form.get("subject") or "")
        record(db, actor, f"reports_{status}", entity_type=subject if subject in SUBJECTS else "",
               entity_id=subject_id, summary=f"{reason}: {n}")
    flash(request, "Resolved: {n} reports." if status == "resolved" else "Dismissed: {n} reports.", n=n)
    return redirect("/admin/reports")


@router.post("/reports/service/{service_id}/fixed")
async def service_fixed(request: Request, service_id: str) -> Response:
    """From the service editor, after a fix: every new report of the service resolved, and the
    service marked as checked today."""
    user = require_user(request)
    await checked_form(request)
    actor = actor_of(request, user)
    try:
        with state(request).db.session() as db:
            catalogue_writes.mark_checked(db, service_id, actor)
            n = _set_status(db, "resolved", service_id, None, user.username)
            record(db, actor, "reports_resolved", entity_type="service", entity_id=service_id, summary=f"all: {n}")
    except CatalogueError as exc:
        flash(request, exc.message, "error", **exc.params)
        return redirect("/admin/reports")
    flash(request, "Resolved: {n} reports. The service is marked as checked today.", n=n)
    return redirect(f"/admin/services/{service_id}")

"""``/admin/demand``: what visitors looked for, as charts (server-rendered SVG), and as CSV
(``?format=csv``, a row per day, category, service or term with its count) or xlsx
(``?format=xlsx``) for reports to donors. Figures: :mod:`sync.server.demand`."""
from __future__ import annotations

import csv
import io

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from sync.server import charts, csv_cells, demand, i18n
from sync.server.models import Kiosk
from sync.server.web import lang_of, render, require_user, state

router = APIRouter(prefix="/admin")
HEADER = ("what", "key", "name", "count")


def _filename(period: demand.Period, ext: str) -> str:
    return f"demand-{period.start.isoformat()}-{period.end.isoformat()}.{ext}"


def _csv(table: list[tuple[str, str, str, int]], period: demand.Period) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for what, key, name, n in table:
        writer.writerow([what, csv_cells.neutralise(key), csv_cells.neutralise(name), n])
    return Response(("\ufeff" + out.getvalue()).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_filename(period, "csv")}"'})


def _xlsx(table: list[tuple[str, str, str, int]], period: demand.Period, kiosk: str, tr) -> Response:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "demand"
    sheet.append([tr("What visitors look for"), f"{period.start.isoformat()} – {period.end.isoformat()}", kiosk])
    sheet.append(list(HEADER))
    for what, key, name, n in table:
        sheet.append([what, key, name, n])
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":  # a hostile term or name is text, never a formula
                cell.data_type = "s"
    for letter, width in (("A", 18), ("B", 40), ("C", 50), ("D", 10)):
        sheet.column_dimensions[letter].width = width
    data = io.BytesIO()
    book.save(data)
    return Response(data.getvalue(), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{_filename(period, "xlsx")}"'})


@router.get("/demand")
def demand_page(request: Request) -> Response:
    require_user(request)
    q = request.query_params
    period = demand.parse_period(q.get("from"), q.get("to"), q.get("kiosk"))
    with state(request).db.session() as db:
        figures = demand.compute(db, period)
        kiosks = list(db.execute(select(Kiosk.id, Kiosk.name).order_by(Kiosk.name)))
    tr = i18n.translator(lang_of(request))
    kiosk_name = next((name for kid, name in kiosks if kid == period.kiosk_id), tr("All kiosks"))
    fmt = q.get("format")
    if fmt in ("csv", "xlsx"):
        table = demand.rows(figures, tr)
        return _csv(table, period) if fmt == "csv" else _xlsx(table, period, kiosk_name, tr)
    named = lambda items: [(name or i, n) for i, name, n in items]  # noqa: E731
    fixed = lambda keys: [(tr(label), n) for _k, label, n in figures.fixed(keys)]  # noqa: E731
    svg = {
        "visits": charts.columns([(d.strftime("%d.%m"), n) for d, n in figures.visits_per_day], tr("Visits per day")),
        "lengths": charts.bars(fixed(demand.LENGTHS), tr("How long visits lasted")),
        "categories": charts.bars(named(figures.categories), tr("Categories opened most")),
        "services": charts.bars(named(figures.services), tr("Services opened most")),
        "qr": charts.bars(fixed(demand.QR_KINDS) + fixed(demand.SLIPS), tr("Taken home")),
        "handoffs": charts.bars([(name or i, qr + slips) for i, name, qr, slips in figures.handoffs],
                                tr("QR codes and slips per service")),
        "languages": charts.bars(fixed(demand.LANGUAGES) + fixed(demand.ACCESS), tr("Language and accessibility")),
        "sensitive": charts.bars(fixed(demand.SENSITIVE), tr("Sensitive services, counted per day")),
        "unmet": charts.bars(figures.unmet[:TOP_TERMS], tr("Searches that found nothing")),
    }
    query = f"from={period.start.isoformat()}&to={period.end.isoformat()}" + (
        f"&kiosk={period.kiosk_id}" if period.kiosk_id is not None else "")
    return render(request, "demand.html", {"d": figures, "period": period, "kiosks": kiosks, "svg": svg,
                                           "kiosk_name": kiosk_name, "query": query, "m": demand})


TOP_TERMS = 20

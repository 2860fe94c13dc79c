"""Export: the spreadsheet template (.xlsx) with an instructions sheet, the HSDS CSV datapackage
(.zip) and the source document (HSDS JSON) of the catalogue as it is in the database.

Every export imports back to the same catalogue. No cell runs as a formula in a spreadsheet
program: .xlsx cells are text cells, and CSV cells that start like a formula are neutralised
(:mod:`sync.server.csv_cells`, undone by the import).
"""
from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from sync.publish import build as publish
from sync.publish import sources
from sync.server import catalogue, csv_cells

INSTRUCTIONS_SQ = [
    "UDHËZIME – Katalogu i shërbimeve sociale, Bashkia Elbasan",
    "",
    "Plotësoni fletët categories, organizations, locations, services dhe schedules; një rresht për çdo gjë.",
    "Rreshti 1 ka emrat e kolonave: mos i ndryshoni. Rreshti 2 (fillon me #) shpjegon kolonën dhe nuk lexohet.",
    "Kolona code: një kod i shkurtër, unik në fletë, pa hapësira (p.sh. femije-cerdhe). Me të lidhen fletët:",
    "  services.organization = kodi i organizatës;",
    "  services.categories dhe services.locations = kode të ndara me presje;",
    "  schedules.service = kodi i shërbimit; schedules.location = kodi i vendndodhjes (bosh: në çdo vend).",
    "Kolonat *_en janë përkthimi në anglisht; po të jenë bosh, kioska tregon shqipen.",
    "Disa vlera në një qelizë (telefonat, dokumentet): një për rresht (Alt+Enter në Excel, Ctrl+Enter në LibreOffice).",
    "Ditët: MO,TU,WE,TH,FR,SA,SU. Orët: HH:MM (08:00). Datat: VVVV-MM-DD (2026-12-31).",
    "Kolona id: mos e prekni për rreshtat ekzistues; lëreni bosh për rreshtat e rinj.",
    "Importi kontrollohet i tëri: nëse ka gabime, serveri tregon fletën, rreshtin dhe kolonën dhe nuk ndryshon asgjë.",
    "Fushat që nuk janë në këtë fletë (p.sh. kontaktet, data e kontrollit) mbeten siç janë në server.",
    "Pas importit, shtypni \"Publiko\" që kioskat të marrin ndryshimet.",
]
INSTRUCTIONS_EN = [
    "INSTRUCTIONS – Social services catalogue, Municipality of Elbasan",
    "",
    "Fill in the sheets categories, organizations, locations, services and schedules; one row per item.",
    "Row 1 holds the column names: do not change them. Row 2 (starting with #) explains the column and is not read.",
    "Column code: a short code, unique in its sheet, without spaces (e.g. children-nursery). The sheets link by code:",
    "  services.organization = the organization's code;",
    "  services.categories and services.locations = codes separated by commas;",
    "  schedules.service = the service's code; schedules.location = the location's code (empty: every place).",
    "The *_en columns are the English translation; when empty, the kiosk shows the Albanian.",
    "Several values in one cell (phones, documents): one per line (Alt+Enter in Excel, Ctrl+Enter in LibreOffice).",
    "Days: MO,TU,WE,TH,FR,SA,SU. Times: HH:MM (08:00). Dates: YYYY-MM-DD (2026-12-31).",
    "Column id: leave it as it is on existing rows; leave it empty on new rows.",
    "The import is checked whole: if anything is wrong the server lists sheet, row and column and changes nothing.",
    "Fields this spreadsheet does not hold (e.g. contacts, date of last check) stay as they are on the server.",
    "After importing, press \"Publish\" so the kiosks get the changes.",
]


def export_xlsx(doc: dict[str, Any] | None, path: Path) -> Path:
    """The template (filled from ``doc`` when given) with an instructions sheet first."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    sources.write_template(path, doc)
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("udhezime-instructions", 0)
    ws.column_dimensions["A"].width = 120
    for i, text in enumerate(INSTRUCTIONS_SQ + ["", ""] + INSTRUCTIONS_EN, start=1):
        cell = ws.cell(row=i, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if text.startswith(("UDHËZIME", "INSTRUCTIONS")):
            cell.font = Font(bold=True, size=14)
    row = len(INSTRUCTIONS_SQ) + len(INSTRUCTIONS_EN) + 4
    ws.cell(row=row, column=1, value="Kolonat / Columns").font = Font(bold=True, size=12)
    for sheet, columns in sources.TEMPLATE_SHEETS.items():
        row += 2
        ws.cell(row=row, column=1, value=sheet).font = Font(bold=True)
        for col, help_text in columns:
            row += 1
            ws.cell(row=row, column=1, value=f"  {col}: {help_text}")
    for name, widths in (("categories", 24), ("organizations", 30), ("locations", 26), ("services", 30),
                         ("schedules", 18)):
        if name in wb.sheetnames:
            sheet = wb[name]
            for i in range(1, sheet.max_column + 1):
                sheet.column_dimensions[get_column_letter(i)].width = widths
    for sheet in wb.worksheets[1:]:
        _text_never_formula(sheet)
    wb.active = 0
    wb.save(path)
    return path


def _text_never_formula(sheet) -> None:  # noqa: ANN001 - an openpyxl worksheet
    """openpyxl writes a text starting with ``=`` as a formula: make every such cell text again."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def export_zip(doc: dict[str, Any]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="kiosk-server-export-") as tmp:
        folder = sources.write_datapackage(doc, Path(tmp) / "hsds")
        for path in folder.glob("*.csv"):
            csv_cells.rewrite(path, csv_cells.neutralise)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.iterdir()):
                archive.write(path, path.name)
        return buf.getvalue()


def export_document(db: Session) -> dict[str, Any]:
    """The catalogue as a source document (HSDS JSON with categories, no envelope)."""
    return publish.normalize(catalogue.assemble(db).document())

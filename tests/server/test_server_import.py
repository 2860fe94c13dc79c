"""Import and export: the spreadsheet template, HSDS JSON, the CSV datapackage. An import is
checked whole, reports problems by sheet, row and column, and changes everything or nothing."""
from __future__ import annotations

import copy
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from serverkit import DESK_ID, SAMPLE, form_of
from sqlalchemy import func, select

from sync.feed import verify as verifymod
from sync.server.models import AuditEntry, Category, Location, Organization, Service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def catalogue_state(server) -> dict:
    with server.state.db.session() as db:
        return {kind: {r.id: json.dumps(r.doc, sort_keys=True) for r in db.scalars(select(model))}
                for kind, model in (("services", Service), ("organizations", Organization),
                                    ("locations", Location), ("categories", Category))}


def upload(client, name: str, data: bytes, mode: str = "replace"):
    html, token = form_of(client, "/admin/import")
    return client.post("/admin/import", data={"csrf_token": token, "mode": mode},
                       files={"file": (name, data, XLSX if name.endswith(".xlsx") else "application/octet-stream")})


def exported_workbook(admin) -> openpyxl.Workbook:
    response = admin.get("/admin/export/catalogue.xlsx")
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.content))


def save(wb: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def column(ws, name: str) -> int:
    return [c.value for c in ws[1]].index(name) + 1


def row_of(ws, key_col: str, value: str) -> int:
    col = column(ws, key_col)
    for r in range(3, ws.max_row + 1):
        if ws.cell(r, col).value == value:
            return r
    raise KeyError(value)


def problems_of(html: str) -> list[tuple[str, str, str, str]]:
    table = html.split('<table class="list problems">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table)
    return [tuple(_unescape(x) for x in row) for row in rows]


def warnings_of(html: str) -> list[tuple[str, str, str]]:
    """The import page's warnings (issue 15): record, field, what was done."""
    if '<section class="card warnings">' not in html:
        return []
    table = html.split('<section class="card warnings">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table)
    return [tuple(_unescape(x) for x in row) for row in rows]


def _unescape(text: str) -> str:
    return text.replace("&#39;", "'").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def test_export_has_a_sheet_per_table_and_instructions(admin):
    wb = exported_workbook(admin)
    assert wb.sheetnames == ["udhezime-instructions", "categories", "organizations", "locations", "services",
                             "schedules"]
    assert wb.active.title == "udhezime-instructions"
    text = "\n".join(str(c.value) for c in wb["udhezime-instructions"]["A"] if c.value)
    assert "UDHËZIME" in text and "INSTRUCTIONS" in text and "sheet, row and column" in text
    services = wb["services"]
    assert services.max_row == 2 + len(json.loads(SAMPLE.read_text(encoding="utf-8"))["services"])
    assert str(services.cell(2, 1).value).startswith("#")  # the help row
    blank = openpyxl.load_workbook(io.BytesIO(admin.get("/admin/export/template.xlsx").content))
    assert blank["services"].max_row == 2


def test_spreadsheet_round_trip_changes_nothing(server, admin):
    before = catalogue_state(server)
    response = upload(admin, "katalogu.xlsx", save(exported_workbook(admin)))
    assert response.status_code == 200, response.text[:3000]
    assert catalogue_state(server) == before


def test_spreadsheet_with_errors_is_reported_by_sheet_row_column_and_changes_nothing(server, admin):
    wb = exported_workbook(admin)
    svc = wb["services"]
    desk = row_of(svc, "id", DESK_ID)
    svc.cell(desk, column(svc, "name")).value = "Emër që nuk duhet të ruhet"   # a valid change, in a bad file
    svc.cell(desk, column(svc, "organization")).value = "no-such-org"
    svc.cell(desk + 1, column(svc, "categories")).value = "children, no-such-category"
    svc.cell(desk + 2, column(svc, "email")).value = "not an email"
    svc.cell(desk + 3, column(svc, "minimum_age")).value = "twelve"
    svc.cell(desk + 4, column(svc, "name")).value = None
    sched = wb["schedules"]
    sched.cell(3, column(sched, "opens")).value = "8am"
    sched.cell(4, column(sched, "days")).value = "Monday"
    loc = wb["locations"]
    loc.cell(3, column(loc, "latitude")).value = "north"
    cats = wb["categories"]
    cats.cell(4, column(cats, "code")).value = cats.cell(3, column(cats, "code")).value  # duplicate code
    before = catalogue_state(server)
    with server.state.db.session() as db:
        audit_before = db.scalar(select(func.count()).select_from(AuditEntry))

    response = upload(admin, "me-gabime.xlsx", save(wb))
    assert response.status_code == 422
    problems = problems_of(response.text)
    found = {(sheet, row, col.split(" ")[0]) for sheet, row, col, _msg in problems}
    org_col = openpyxl.utils.get_column_letter(column(svc, "organization"))
    expected = {
        ("services", str(desk), org_col),
        ("services", str(desk + 1), openpyxl.utils.get_column_letter(column(svc, "categories"))),
        ("services", str(desk + 2), openpyxl.utils.get_column_letter(column(svc, "email"))),
        ("services", str(desk + 3), openpyxl.utils.get_column_letter(column(svc, "minimum_age"))),
        ("services", str(desk + 4), openpyxl.utils.get_column_letter(column(svc, "name"))),
        ("schedules", "3", openpyxl.utils.get_column_letter(column(sched, "opens"))),
        ("schedules", "4", openpyxl.utils.get_column_letter(column(sched, "days"))),
        ("locations", "3", openpyxl.utils.get_column_letter(column(loc, "latitude"))),
        ("categories", "4", "A"),
    }
    assert expected <= found, (expected - found, problems)
    message = next(m for s, r, c, m in problems if s == "services" and r == str(desk) and c.startswith(org_col))
    assert message == "Asnjë organizatë nuk ka kodin no-such-org."
    assert f"{org_col} (organization)" in {c for _s, _r, c, _m in problems}
    assert catalogue_state(server) == before
    with server.state.db.session() as db:
        entries = list(db.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert len(entries) == audit_before + 1 and entries[-1].action == "import_refused"


def test_correct_spreadsheet_changes_everything(server, admin):
    wb = exported_workbook(admin)
    svc = wb["services"]
    desk = row_of(svc, "id", DESK_ID)
    svc.cell(desk, column(svc, "name")).value = "Sporteli i informacionit (i ri)"
    svc.cell(desk, column(svc, "name_en")).value = "Information desk (new)"
    doomed_row = desk + 1
    doomed_id = svc.cell(doomed_row, column(svc, "id")).value
    svc.delete_rows(doomed_row)
    sched = wb["schedules"]
    for r in range(sched.max_row, 2, -1):  # its hours go with it
        if sched.cell(r, column(sched, "service")).value == doomed_id:
            sched.delete_rows(r)
    org_code = svc.cell(desk, column(svc, "organization")).value
    svc.append({column(svc, "code"): "keshillim-te-rinj", column(svc, "name"): "Këshillim për të rinjtë",
                column(svc, "name_en"): "Counselling for young people", column(svc, "organization"): org_code,
                column(svc, "categories"): "youth", column(svc, "description"): "Falas, çdo të mërkurë.",
                column(svc, "documents"): "Kartë identiteti\nVërtetim shkollimi",
                column(svc, "documents_en"): "Identity card\nSchool certificate"})
    sched.append({column(sched, "service"): "keshillim-te-rinj", column(sched, "days"): "WE",
                  column(sched, "opens"): "14:00", column(sched, "closes"): "17:00"})
    cats = wb["categories"]
    r = row_of(cats, "code", "youth")
    cats.cell(r, column(cats, "name_en")).value = "Young people"
    with server.state.db.session() as db:
        desk_before = db.get(Service, DESK_ID).doc

    response = upload(admin, "katalogu.xlsx", save(wb))
    assert response.status_code == 200, response.text[:3000]
    assert "U importua katalogu.xlsx" in response.text
    with server.state.db.session() as db:
        desk_doc = db.get(Service, DESK_ID).doc
        assert db.get(Service, doomed_id) is None
        new = db.scalar(select(Service).where(Service.name == "Këshillim për të rinjtë"))
        youth = db.scalar(select(Category).where(Category.code == "youth"))
        audit = db.scalars(select(AuditEntry).where(AuditEntry.action == "import")).all()
    assert desk_doc["name"] == "Sporteli i informacionit (i ri)"
    assert desk_doc["x_translations"]["en"]["name"] == "Information desk (new)"
    # what the spreadsheet has no column for is kept
    for key in ("interpretation_services", "assured_date", "alternate_name"):
        assert desk_doc.get(key) == desk_before.get(key), key
    assert desk_doc["phones"] == desk_before["phones"]
    assert desk_doc["service_at_locations"] == desk_before["service_at_locations"]
    assert new.doc["required_documents"][1]["x_translations"]["en"]["document"] == "School certificate"
    assert new.doc["schedules"][0]["byday"] == "WE"
    assert youth.doc["x_translations"]["en"]["name"] == "Young people"
    assert audit[-1].actor == "admin"
    assert "Këshillim për të rinjtë" in audit[-1].details["services"]["created"]


def test_import_is_one_transaction(server, admin, monkeypatch):
    """A failure after the first rows were written leaves everything as it was."""
    wb = exported_workbook(admin)
    svc = wb["services"]
    svc.cell(row_of(svc, "id", DESK_ID), column(svc, "name")).value = "Nuk duhet të mbetet"
    before = catalogue_state(server)
    from sync.feed import document as feedmod

    def refuse(doc, *args, **kwargs):
        assert any(s["name"] == "Nuk duhet të mbetet" for s in doc["services"])  # already written...
        raise feedmod.FeedError("invalid", "services[3].name: refused for the test")

    monkeypatch.setattr(verifymod, "check_content", refuse)
    response = upload(admin, "katalogu.xlsx", save(wb))
    assert response.status_code == 422 and "refused for the test" in response.text
    assert catalogue_state(server) == before                                  # ... and rolled back


def test_merge_mode_keeps_what_the_file_does_not_name(server, admin):
    wb = exported_workbook(admin)
    svc = wb["services"]
    svc.delete_rows(4, svc.max_row - 3)  # keep only the first service row
    del wb["schedules"]                   # no sheet: every service keeps its hours
    before = catalogue_state(server)
    response = upload(admin, "pak.xlsx", save(wb), mode="merge")
    assert response.status_code == 200, response.text[:2000]
    assert catalogue_state(server)["services"].keys() == before["services"].keys()


def test_hsds_json_import(server, admin):
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    changed = copy.deepcopy(doc)
    desk = next(s for s in changed["services"] if s["id"] == DESK_ID)
    desk["name"] = "Nga JSON"
    response = upload(admin, "katalog.json", json.dumps(changed).encode())
    assert response.status_code == 200, response.text[:2000]
    with server.state.db.session() as db:
        assert db.get(Service, DESK_ID).doc["name"] == "Nga JSON"
    bad = copy.deepcopy(doc)
    bad["services"][2]["id"] = "not-a-uuid"
    bad["services"][4]["status"] = 7
    before = catalogue_state(server)
    response = upload(admin, "katalog.json", json.dumps(bad).encode())
    assert response.status_code == 422
    problems = problems_of(response.text)   # by record since issue 15: id and name, then the field
    assert any(p[0].startswith("not-a-uuid «") and p[2] == "id" for p in problems), problems
    assert any(p[0].startswith(bad["services"][4]["id"]) and p[2] == "status" for p in problems), problems
    assert catalogue_state(server) == before


def test_csv_datapackage_round_trip_and_errors(server, admin):
    package = admin.get("/admin/export/datapackage.zip")
    assert package.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(package.content)).namelist()
    assert {"datapackage.json", "services.csv", "organizations.csv", "taxonomy_terms.csv"} <= set(names)
    before = catalogue_state(server)
    response = upload(admin, "hsds.zip", package.content)
    assert response.status_code == 200, response.text[:3000]
    assert catalogue_state(server) == before

    archive = zipfile.ZipFile(io.BytesIO(package.content))
    files = {n: archive.read(n) for n in names}
    lines = files["services.csv"].decode().splitlines()
    header = lines[1 - 1].split(",")
    org_index = header.index("organization_id")
    cells = lines[2].split(",")
    cells[org_index] = "11111111-1111-4111-8111-111111111111"
    lines[2] = ",".join(cells)
    files["services.csv"] = ("\n".join(lines) + "\n").encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for n, data in files.items():
            out.writestr(n, data)
    # A service whose organization is not in the package is imported with a stand-in, and said
    # so (issue 15: a warning, not a refusal) ...
    response = upload(admin, "hsds.zip", buf.getvalue())
    assert response.status_code == 200, response.text[:3000]
    assert any(w[1] == "organization_id" and "11111111-1111-4111-8111-111111111111" in w[2]
               for w in warnings_of(response.text)), warnings_of(response.text)[:5] or response.text[-1500:]
    # ... while a package whose services repeat an id is refused.
    lines.append(lines[2])
    files["services.csv"] = ("\n".join(lines) + "\n").encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for n, data in files.items():
            out.writestr(n, data)
    after = catalogue_state(server)
    response = upload(admin, "hsds.zip", buf.getvalue())
    assert response.status_code == 422
    assert any(p[0] == "services.csv" and "përdoret dy herë" in p[3] for p in problems_of(response.text))
    assert catalogue_state(server) == after


@pytest.mark.parametrize("name,data", [("x.txt", b"hello"), ("x.xlsx", b"PK\x03\x04 not really"),
                                       ("x.zip", b"PK\x03\x04broken")])
def test_unreadable_files(admin, name, data):
    response = upload(admin, name, data)
    assert response.status_code == 422 and "problems" in response.text


def test_command_line_import(server, tmp_path, capsys):
    from sync.server.cli import main

    bad = tmp_path / "bad.json"
    bad.write_text('{"services": [{"id": "x", "name": 3}]}', encoding="utf-8")
    assert main(["--data-dir", str(server.data_dir), "import", str(bad)]) == 1
    assert "x: no name" in capsys.readouterr().err
    assert main(["--data-dir", str(server.data_dir), "import", str(SAMPLE), "--merge"]) == 0
    assert main(["--data-dir", str(server.data_dir), "publish", "--note", "cli"]) == 0
    assert json.loads((Path(server.data_dir) / "feed" / "feed.json").read_bytes())["version"] == 3


def test_official_example_imports_with_its_warnings_listed(server, admin):
    """Issue 15: the specification's own example is imported ("apply" with warnings), and the
    page lists what was kept or mended beside the report."""
    example = Path(__file__).resolve().parents[1] / "data" / "hsds-examples" / "service_full.json"
    response = upload(admin, "service_full.json", example.read_bytes(), mode="merge")
    assert response.status_code == 200, response.text[:3000]
    warnings = warnings_of(response.text)
    # 8 the example always had, and its two locations at latitude 100, dropped as no place on Earth
    assert len(warnings) == 14, warnings
    assert sum("latitude" in field for _record, field, _text in warnings) == 2, warnings
    assert ("ac148810-d857-441c-9679-408f346de14b «Community Counselling»", "url",
            "adresë http: u mbajt; kioska e tregon vetëm si tekst, kurrë si lidhje ose kod QR") in warnings
    with server.state.db.session() as db:
        assert db.get(Service, "ac148810-d857-441c-9679-408f346de14b").doc["url"] == "http://example.com/counselling"


def test_a_json_file_that_cannot_be_read_is_told_in_the_staffs_language(server, admin):
    """"JSON nested too deeply" and "not JSON" came through in English on an Albanian page."""
    response = upload(admin, "thell.json", b"[" * 5000 + b"]" * 5000)
    assert response.status_code == 422
    problems = problems_of(response.text)
    assert any("JSON i futur shumë thellë" in p[3] for p in problems), problems
    response = upload(admin, "keq.json", b"{not json at all")
    assert response.status_code == 422
    assert any("nuk është JSON" in p[3] for p in problems_of(response.text)), problems_of(response.text)

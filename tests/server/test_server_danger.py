"""Visitors in danger on the server (issue 14): staff mark a line as urgent (with its place) and a
service or a category as sensitive with a neutral title, in the forms (Albanian and English); the
marks are checked, stored (document and listed columns, migrated), imported with their hostile
values mended, exported (JSON, spreadsheet, CSV datapackage extension table), published in the
signed feed and served by the HSDS API."""
from __future__ import annotations

import copy
import csv
import io
import json
import re
import zipfile

from formlib import post_form
from serverkit import DESK_ID, SAMPLE, form_of
from sqlalchemy import select, text

from sync.server.models import Category, Organization, Service, ServiceCategory

DV_TERM = "1caba832-a793-5c96-816e-d1f3109bcd3d"       # "Dhuna në familje", sensitive in the sample
SHELTER = "c5427737-1d45-5c07-be53-0c1e40e569e3"        # sensitive itself: "Mbështetje për familjen"
POLICE = "2ec35fe2-64a4-565e-a6d1-26e461db8a13"         # urgent line 1, in no sensitive category
WOMEN_LINE = "60ff270c-f5b6-5195-ac4b-890790d6c462"     # urgent line 3, in the sensitive category
JSON_ACCEPT = {"Accept": "application/json"}


def _row(server, model, ident):
    with server.state.db.session() as db:
        row = db.get(model, ident)
        return copy.deepcopy(row.doc), getattr(row, "urgent_order", None), row.sensitive


def error_of(html: str, field: str) -> str:
    match = re.search(r'<p class="error" id="err-' + re.escape(field) + r'">([^<]+)</p>', html)
    assert match, f"no error next to {field}"
    return match.group(1).replace("&#34;", '"').replace("&#39;", "'")


def publish_now(client) -> None:
    html, token = form_of(client, "/admin/publish")
    response = client.post("/admin/publish", data={"csrf_token": token, "note": "danger"}, follow_redirects=False)
    assert response.status_code == 303, response.text[:1000]


def upload(client, name: str, data: bytes):
    _html, token = form_of(client, "/admin/import")
    return client.post("/admin/import", data={"csrf_token": token, "mode": "replace"},
                       files={"file": (name, data, "application/octet-stream")})


def test_service_form_marks_an_urgent_sensitive_line(server, admin):
    path = f"/admin/services/{DESK_ID}"
    page = admin.get(path).text
    assert "Vizitorë në rrezik" in page and "Titulli neutral" in page and 'name="urgent"' in page
    response = post_form(admin, path, path, {"urgent": "1", "urgent_order": "7", "sensitive": "1",
                                             "neutral_title": "Këshillim familjar",
                                             "neutral_title_en": "Family counselling"})
    assert response.status_code == 303, response.text[:2000]
    doc, order, sensitive = _row(server, Service, DESK_ID)
    assert doc["x_urgent"] == 7 and doc["x_sensitive"] is True and doc["x_neutral_title"] == "Këshillim familjar"
    assert doc["x_translations"]["en"]["x_neutral_title"] == "Family counselling"
    assert (order, sensitive) == (7, True)
    page = admin.get(path).text   # shown back as saved
    assert re.search(r'name="urgent" value="1" checked', page) and 'value="Family counselling"' in page
    # The list finds it among the urgent lines and the sensitive services (its own mark or a category's).
    urgent = admin.get("/admin/services?flag=urgent").text
    assert DESK_ID in urgent and POLICE in urgent and SHELTER not in urgent
    flagged = admin.get("/admin/services?flag=sensitive").text
    assert DESK_ID in flagged and SHELTER in flagged and WOMEN_LINE in flagged   # by its category
    assert POLICE not in flagged
    # An urgent line without a place comes after the numbered ones; unticking takes the marks off.
    assert post_form(admin, path, path, {"urgent_order": ""}).status_code == 303
    assert _row(server, Service, DESK_ID)[0]["x_urgent"] is True and _row(server, Service, DESK_ID)[1] == 999
    response = post_form(admin, path, path, {"neutral_title": "", "neutral_title_en": ""},
                         drop=("urgent", "sensitive"))
    assert response.status_code == 303, response.text[:2000]
    doc, order, sensitive = _row(server, Service, DESK_ID)
    assert not {"x_urgent", "x_sensitive", "x_neutral_title"} & set(doc) and (order, sensitive) == (None, False)
    assert "x_neutral_title" not in (doc.get("x_translations") or {}).get("en", {})


def test_service_form_checks_the_marks_in_both_languages(server, admin):
    path = f"/admin/services/{DESK_ID}"
    before = _row(server, Service, DESK_ID)
    response = post_form(admin, path, path, {"sensitive": "1", "urgent_order": "0"})
    assert response.status_code == 422
    assert error_of(response.text, "neutral_title").startswith("I detyrueshëm kur është shënuar i ndjeshëm")
    assert error_of(response.text, "urgent_order") == "Nga 1 deri në 999."
    name = before[0]["name"]
    response = post_form(admin, path, path, {"sensitive": "1", "neutral_title": name.upper(),
                                             "neutral_title_en": "x" * 61, "urgent_order": "3"})
    assert response.status_code == 422
    assert error_of(response.text, "neutral_title") == "Titulli neutral nuk duhet të jetë emri që fsheh."
    assert error_of(response.text, "neutral_title_en") == "Shumë i gjatë (të shumtën 60 shkronja)."
    assert error_of(response.text, "urgent_order").startswith("Shënoni edhe")
    admin.get("/admin?lang=en")
    response = post_form(admin, path, path, {"sensitive": "1", "neutral_title": "Një\u202etitull"})
    assert response.status_code == 422
    assert error_of(response.text, "neutral_title") == "Contains invisible control characters; type the text again."
    response = post_form(admin, path, path, {"sensitive": "1"})
    assert error_of(response.text, "neutral_title") == (
        "Required when it is marked sensitive: the title a visitor can safely carry.")
    assert "Visitors in danger" in response.text and "Neutral title" in response.text
    # the provider's name is hidden too
    with server.state.db.session() as db:
        provider = db.get(Organization, before[0]["organization_id"]).name
    response = post_form(admin, path, path, {"sensitive": "1", "neutral_title": provider})
    assert response.status_code == 422, response.text[-3000:]
    assert error_of(response.text, "neutral_title") == "The neutral title must not be the name it hides."
    assert _row(server, Service, DESK_ID) == before


def test_category_form_marks_a_sensitive_category(server, admin):
    cat_id = "247a281a-a1aa-52eb-8259-8c91d0e20ce1"
    path = f"/admin/categories/{cat_id}"
    response = post_form(admin, path, path, {"sensitive": "1"})
    assert response.status_code == 422 and error_of(response.text, "neutral_title").startswith("I detyrueshëm")
    response = post_form(admin, path, path, {"sensitive": "1", "neutral_title": "Ndihmë",
                                             "neutral_title_en": "Help"})
    assert response.status_code == 303, response.text[:2000]
    doc, _order, sensitive = _row(server, Category, cat_id)
    assert sensitive and doc["x_sensitive"] is True and doc["x_neutral_title"] == "Ndihmë"
    assert doc["x_translations"]["en"]["x_neutral_title"] == "Help"
    assert 'class="badge sensitive"' in admin.get("/admin/categories").text
    # a service in it says where its discretion comes from
    with server.state.db.session() as db:
        sid = db.scalar(select(ServiceCategory.service_id).where(ServiceCategory.category_id == cat_id).limit(1))
    page = admin.get(f"/admin/services/{sid}").text
    assert "I ndjeshëm edhe nga kategoria:" in page
    admin.get("/admin?lang=en")
    page = admin.get(path).text
    assert "Sensitive: the services in this category" in page and 'value="Help"' in page


def test_import_mends_hostile_marks_and_lists_them(server, admin):
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    by_id = {s["id"]: s for s in doc["services"]}
    by_id[DESK_ID]["x_urgent"] = "first!"
    by_id[SHELTER]["x_sensitive"] = "yes"
    by_id[POLICE]["x_urgent"] = "2"
    by_id[POLICE]["x_sensitive"] = True
    by_id[POLICE].pop("x_neutral_title", None)
    term = next(t for t in doc["taxonomy_terms"] if t["id"] == DV_TERM)
    term["x_neutral_title"] = {"not": "text"}
    response = upload(admin, "katalog.json", json.dumps(doc).encode())
    assert response.status_code == 200, response.text[:2000]
    warnings = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>",
                          response.text.split('<section class="card warnings">', 1)[1])
    said: dict[tuple[str, str], list[str]] = {}
    for where, field, what in warnings:
        said.setdefault((where.split(" ")[0], field), []).append(what)
    assert said[(DESK_ID, "x_urgent")][0].startswith("Nuk është vend në listën urgjente")
    assert said[(SHELTER, "x_sensitive")] == ["Nuk është po ose jo: shënimi i ndjeshëm u hoq."]
    assert said[(POLICE, "x_neutral_title")][0].startswith("I shënuar i ndjeshëm pa titull neutral")
    assert [w[:29] for w in said[(DV_TERM, "x_neutral_title")]] == [
        "Nuk është tekst me një rresht", "I shënuar i ndjeshëm pa titul"]
    assert "x_urgent" not in _row(server, Service, DESK_ID)[0]
    assert _row(server, Service, SHELTER)[2] is False
    police = _row(server, Service, POLICE)
    assert police[0]["x_urgent"] == 2 and police[1:] == (2, True)
    dv = _row(server, Category, DV_TERM)
    assert dv[2] is True and "x_neutral_title" not in dv[0]
    # the same notes in English
    admin.get("/admin?lang=en")
    response = upload(admin, "katalog.json", json.dumps(doc).encode())
    assert "Not true or false: the sensitive mark was dropped." in response.text
    assert "Marked sensitive without a neutral title: the kiosks use a general one." in response.text


def _extension_fields(package: bytes) -> dict[tuple[str, str], str]:
    archive = zipfile.ZipFile(io.BytesIO(package))
    rows = csv.DictReader(io.StringIO(archive.read("x_fields.csv").decode("utf-8")))
    return {(r["id"], r["field"]): r["value"] for r in rows}


def test_exports_carry_the_marks_and_import_back_to_the_same(server, admin):
    path = f"/admin/services/{DESK_ID}"
    assert post_form(admin, path, path, {"urgent": "1", "urgent_order": "6", "sensitive": "1",
                                         "neutral_title": "Këshillim", "neutral_title_en": "Advice"}).status_code == 303
    exported = json.loads(admin.get("/admin/export/catalogue.json").content)
    desk = next(s for s in exported["services"] if s["id"] == DESK_ID)
    assert (desk["x_urgent"], desk["x_sensitive"], desk["x_neutral_title"]) == (6, True, "Këshillim")
    assert desk["x_translations"]["en"]["x_neutral_title"] == "Advice"
    assert next(t for t in exported["taxonomy_terms"] if t["id"] == DV_TERM)["x_sensitive"] is True
    package = admin.get("/admin/export/datapackage.zip").content
    ext = _extension_fields(package)
    assert json.loads(ext[(DESK_ID, "x_urgent")]) == 6 and json.loads(ext[(DESK_ID, "x_sensitive")]) is True
    assert json.loads(ext[(DESK_ID, "x_neutral_title")]) == "Këshillim"
    assert json.loads(ext[(DV_TERM, "x_sensitive")]) is True
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(package)).read("datapackage.json"))
    assert "x_fields" in {r["name"] for r in manifest["resources"]}
    with server.state.db.session() as db:
        before = {r.id: (r.doc, r.urgent_order, r.sensitive) for r in db.scalars(select(Service))}
    for name, data in (("hsds.zip", package), ("katalog.json", json.dumps(exported).encode()),
                       ("katalogu.xlsx", admin.get("/admin/export/catalogue.xlsx").content)):
        response = upload(admin, name, data)
        assert response.status_code == 200, (name, response.text[:2000])
        with server.state.db.session() as db:
            after = {r.id: (r.doc, r.urgent_order, r.sensitive) for r in db.scalars(select(Service))}
        assert {k: v[1:] for k, v in after.items()} == {k: v[1:] for k, v in before.items()}, name
        assert {k: {f: v[0].get(f) for f in ("x_urgent", "x_sensitive", "x_neutral_title")}
                for k, v in after.items()} == {k: {f: v[0].get(f) for f in ("x_urgent", "x_sensitive",
                                                                               "x_neutral_title")}
                                               for k, v in before.items()}, name


def test_published_feed_and_hsds_api_carry_the_marks(server, admin):
    path = f"/admin/services/{DESK_ID}"
    assert post_form(admin, path, path, {"urgent": "1", "urgent_order": "9", "sensitive": "1",
                                         "neutral_title": "Informacion", "neutral_title_en": "Information"}
                     ).status_code == 303
    publish_now(admin)
    feed = json.loads((server.data_dir / "feed" / "feed.json").read_text(encoding="utf-8"))
    desk = next(s for s in feed["services"] if s["id"] == DESK_ID)
    assert (desk["x_urgent"], desk["x_sensitive"], desk["x_neutral_title"]) == (9, True, "Informacion")
    assert next(t for t in feed["taxonomy_terms"] if t["id"] == DV_TERM)["x_neutral_title"] == "Këshillim"
    api = server.client()
    svc = api.get(f"/services/{DESK_ID}", headers=JSON_ACCEPT).json()
    assert (svc["x_urgent"], svc["x_sensitive"]) == (9, True)
    assert svc["x_translations"]["en"]["x_neutral_title"] == "Information"
    listed = api.get("/services?per_page=200", headers=JSON_ACCEPT).json()["contents"]
    assert next(s for s in listed if s["id"] == POLICE)["x_urgent"] == 1
    term = api.get(f"/taxonomy_terms/{DV_TERM}", headers=JSON_ACCEPT).json()
    assert term["x_sensitive"] is True and term["x_translations"]["en"]["x_neutral_title"] == "Counselling"


def test_migration_copies_the_marks_of_existing_rows(tmp_path):
    from sync.server.db import Database, migrate

    db = Database(tmp_path / "old.sqlite3")
    migrate(db.engine, "0002")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO organizations (id, name, doc, updated_at) VALUES ('o', 'O', '{}', '2026-01-01')"))
        conn.execute(text("INSERT INTO categories (id, code, name, sort_order, doc, updated_at) VALUES "
                          "('c', 'c', 'C', 0, :doc, '2026-01-01')"), {"doc": json.dumps({"x_sensitive": True})})
        for sid, doc in (("a", {"x_urgent": 3}), ("b", {"x_urgent": True, "x_sensitive": True}),
                         ("c", {"x_urgent": "x"}), ("d", {})):
            conn.execute(text("INSERT INTO services (id, organization_id, name, status, doc, created_at, updated_at) "
                              "VALUES (:id, 'o', :id, 'active', :doc, '2026-01-01', '2026-01-01')"),
                         {"id": sid, "doc": json.dumps(doc)})
    db.migrate()
    with db.session() as session:
        got = {r.id: (r.urgent_order, r.sensitive) for r in session.scalars(select(Service))}
        assert got == {"a": (3, False), "b": (999, True), "c": (None, False), "d": (None, False)}
        assert session.get(Category, "c").sensitive is True
    migrate(db.engine, "0002")   # and back down
    db.dispose()


COUNSELLING = "893781a9-ea71-5622-a50e-5307f1faa59a"   # in the sensitive category, not marked itself


def _title(html: str) -> str:
    return re.search(r"<title>([^<]*)</title>", html).group(1)


def test_public_page_of_a_sensitive_service_is_neutral(server):
    client = server.client()
    for lang, neutral, exit_word in (("sq", "Mbështetje për familjen", "Dil shpejt"),
                                     ("en", "Family support", "Quick exit")):
        page = client.get(f"/services/{SHELTER}?lang={lang}", headers={"Accept": "text/html"})
        assert page.status_code == 200
        html = page.text
        assert _title(html).startswith(neutral + " – ") and re.search(r"<h1>([^<]*)</h1>", html).group(1) == neutral
        for hidden in ("Strehim", "Shelter", "shelter", "Dritë", "Dhuna", "violence"):
            assert hidden not in _title(html), hidden
        assert f'class="quick-exit" id="quick-exit" href="https://www.google.com/search?q=' in html
        assert f">{exit_word}</a>" in html and '<script src="/static/quick-exit.js" defer></script>' in html
        assert 'content="noindex,nofollow"' in html
        assert page.headers["cache-control"] == "no-store" and page.headers["x-robots-tag"] == "noindex, nofollow"
        assert 'class="chip">Dhuna' not in html   # the categories are not shown either
    # in a sensitive category: the category's neutral title
    html = client.get(f"/services/{COUNSELLING}", headers={"Accept": "text/html"}).text
    assert _title(html).startswith("Këshillim – ") and "Dil shpejt" in html
    # the sensitive category's list is neutral too
    html = client.get(f"/services?category={DV_TERM}&lang=en", headers={"Accept": "text/html"}).text
    assert _title(html).startswith("Counselling – ") and "Quick exit" in html
    # an ordinary service keeps its name and has no quick exit
    page = client.get(f"/services/{DESK_ID}", headers={"Accept": "text/html"})
    assert "quick-exit" not in page.text and "Sporteli" in _title(page.text)
    assert page.headers["cache-control"].startswith("public")
    # the script is served from the server itself (the pages allow no other)
    script = client.get("/static/quick-exit.js")
    assert script.status_code == 200 and "location.replace" in script.text


def test_an_urgent_line_needs_a_number_to_call(server, admin):
    response = post_form(admin, "/admin/organizations/new", "/admin/organizations/new", {
        "name": "Shoqata pa telefon", "description": "Një organizatë e re, pa numër ende."})
    assert response.status_code == 303, response.text[:2000]
    org_id = response.headers["location"].rsplit("/", 1)[1]
    line = {"name": "Linja e re", "description": "Një linjë ndihme.", "organization_id": org_id,
            "categories": DV_TERM, "urgent": "1", "urgent_order": "8"}
    response = post_form(admin, "/admin/services/new", "/admin/services/new", line)
    assert response.status_code == 422
    assert error_of(response.text, "urgent_order").startswith("Një linjë urgjente ka nevojë për një numër telefoni")
    response = post_form(admin, "/admin/services/new", "/admin/services/new",
                         {**line, "phones-0-number": "116 117", "neutral_title": "Ndihmë"})
    assert response.status_code == 303, response.text[:2000]
    sid = response.headers["location"].rsplit("/", 1)[1]
    assert _row(server, Service, sid)[1] == 8


def test_public_organization_page_of_a_sensitive_provider_has_the_quick_exit(server):
    client = server.client()
    with server.state.db.session() as db:
        org_id = db.get(Service, SHELTER).organization_id
    html = client.get(f"/organizations/{org_id}?lang=en", headers={"Accept": "text/html"}).text
    assert 'id="quick-exit"' in html and ">Quick exit</a>" in html
    with server.state.db.session() as db:
        desk_org = db.get(Service, DESK_ID).organization_id
    assert 'id="quick-exit"' not in client.get(f"/organizations/{desk_org}", headers={"Accept": "text/html"}).text

"""Editing the catalogue in the browser forms: Albanian and English side by side, validation
messages next to the field, nested rows, audit log, conflicts, preview."""
from __future__ import annotations

import re

from formlib import get_field, post_form, read_form
from serverkit import DESK_ID, form_of
from sqlalchemy import select

from sync.server.models import AuditEntry, Category, Location, Organization, Service

ORG_ID = "090bc249-37cb-5329-99fb-569a0ac0ee91"
LOC_ID = "fde8b26a-7576-5ccd-bad6-3f1de511eca0"


def service_doc(server, sid=DESK_ID):
    with server.state.db.session() as db:
        return db.get(Service, sid).doc


def error_next_to(html: str, field: str) -> str:
    """The error message shown right under the field ``field``."""
    match = re.search(r'name="' + re.escape(field) + r'"[^>]*>(?:</textarea>)?\s*(?:<small>[^<]*</small>\s*)?'
                      r'<p class="error" id="err-' + re.escape(field) + r'">([^<]+)</p>', html)
    assert match, f"no error next to {field}"
    return match.group(1)


def test_form_shows_albanian_and_english_side_by_side(admin):
    html, _token = form_of(admin, f"/admin/services/{DESK_ID}")
    fields = read_form(html, f"/admin/services/{DESK_ID}")
    assert get_field(fields, "name") == "Sporteli i informacionit për shërbimet sociale"
    assert get_field(fields, "name_en") == "Social services information desk"
    assert get_field(fields, "description_en").startswith("Ask about any social service")
    # the two languages of one field are in one row
    row = re.search(r'<div class="bi-row[^"]*">\s*<label class="bi-label" for="f-name">.*?</div>\s*</div>', html, re.S)
    assert row and 'name="name"' in row.group(0) and 'name="name_en"' in row.group(0)
    # nested rows: documents, hours at the location, phones
    assert get_field(fields, "required_documents-0-document") == "Kartë identiteti, nëse e keni"
    assert get_field(fields, "schedules-0-where") == LOC_ID
    assert get_field(fields, "phones-0-number") == "+355 54 200 100"


def test_change_albanian_name_is_saved_and_audited(server, admin):
    response = post_form(admin, f"/admin/services/{DESK_ID}", f"/admin/services/{DESK_ID}",
                         {"name": "Sporteli i ri i informacionit"})
    assert response.status_code == 303, response.text[:2000]
    doc = service_doc(server)
    assert doc["name"] == "Sporteli i ri i informacionit"
    assert doc["x_translations"]["en"]["name"] == "Social services information desk"
    # nothing else changed: the form keeps fields it does not show, and every nested id
    assert doc["interpretation_services"].startswith("Flasim anglisht")
    assert [s["id"] for s in doc["service_at_locations"][0]["schedules"]] == [
        "7c017ef9-98a7-5f9e-a169-edac2991f1c8", "f5edb6d8-9c27-56ae-8f13-d6548efec4b2",
        "0a1665eb-7a2b-586b-9da6-81b7c6e3fd15", "296c3d41-ee16-54b4-9c40-7608e3c9947d"]
    with server.state.db.session() as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "update")
                           .order_by(AuditEntry.id.desc())).first()
    assert entry.actor == "admin" and entry.entity_id == DESK_ID
    assert entry.details["name"] == ["Sporteli i informacionit për shërbimet sociale", "Sporteli i ri i informacionit"]
    assert set(entry.details) == {"name", "last_modified"}
    page = admin.get("/admin/audit")
    assert "Sporteli i ri i informacionit" in page.text


def test_validation_messages_next_to_the_field_and_nothing_saved(server, admin):
    before = service_doc(server)
    response = post_form(admin, f"/admin/services/{DESK_ID}", f"/admin/services/{DESK_ID}", {
        "name": "", "email": "not-an-email", "url": "http://insecure.example", "minimum_age": "abc",
        "schedules-0-opens_at": "25:00", "phones-0-number": "call me", "required_documents-0-document": "",
        "required_documents-0-document_en": "ID card"})
    assert response.status_code == 422
    html = response.text
    assert error_next_to(html, "name") == "E detyrueshme në shqip."
    assert error_next_to(html, "email").startswith("Nuk është adresë emaili")
    assert error_next_to(html, "url") == "Adresa duhet të fillojë me https://"
    assert error_next_to(html, "minimum_age") == "Një numër i plotë."
    assert 'id="err-schedules-0-opens_at">Një orë si HH:MM' in html
    assert 'id="err-phones-0-number">Nuk është numër telefoni' in html
    assert 'id="err-required_documents-0-document">E detyrueshme.' in html
    # what the user typed is still there
    assert 'value="not-an-email"' in html and 'value="25:00"' in html
    assert service_doc(server) == before


def test_validation_messages_in_english(admin):
    admin.get("/admin?lang=en")
    response = post_form(admin, f"/admin/services/{DESK_ID}", f"/admin/services/{DESK_ID}",
                         {"name": "", "categories": ""}, drop=("categories",))
    assert response.status_code == 422
    assert error_next_to(response.text, "name") == "Required in Albanian."
    assert "Choose at least one category" in response.text


def test_rows_add_and_remove(server, admin):
    page_path = f"/admin/services/{DESK_ID}"
    html, _ = form_of(admin, page_path)
    fields = read_form(html, page_path)
    n_docs = len([f for f in fields if re.match(r"required_documents-\d+-id$", f[0]) and f[1]])
    response = post_form(admin, page_path, page_path, {
        f"required_documents-{n_docs}-document": "Vërtetim banimi",
        f"required_documents-{n_docs}-document_en": "Proof of address",
        "required_documents-0-delete": "1",
        "phones-1-number": "+355 69 123 4567", "phones-1-type": "cell",
        "phones-1-description": "Celular", "phones-1-description_en": "Mobile"})
    assert response.status_code == 303, response.text[:3000]
    doc = service_doc(server)
    docs = [d["document"] for d in doc["required_documents"]]
    assert "Kartë identiteti, nëse e keni" not in docs and docs[-1] == "Vërtetim banimi"
    assert doc["required_documents"][-1]["x_translations"] == {"en": {"document": "Proof of address"}}
    assert doc["phones"][-1]["number"] == "+355 69 123 4567" and doc["phones"][-1]["type"] == "cell"


def test_schedule_for_a_location_not_ticked_is_refused(admin):
    response = post_form(admin, f"/admin/services/{DESK_ID}", f"/admin/services/{DESK_ID}", {},
                         drop=("locations",))
    assert response.status_code == 422
    assert 'id="err-schedules-0-where"' in response.text


def test_new_service(server, admin):
    response = post_form(admin, "/admin/services/new", "/admin/services/new", {
        "name": "Këshillim psikologjik falas", "name_en": "Free counselling",
        "description": "Seanca me psikolog për të rinjtë.", "organization_id": ORG_ID,
        "categories": "247a281a-a1aa-52eb-8259-8c91d0e20ce1", "locations": LOC_ID,
        "schedules-0-where": LOC_ID, "schedules-0-days": "MO", "schedules-0-opens_at": "9:00",
        "schedules-0-closes_at": "12:00"})
    assert response.status_code == 303, response.text[:3000]
    sid = response.headers["location"].rsplit("/", 1)[1]
    doc = service_doc(server, sid)
    assert doc["organization_id"] == ORG_ID
    sal = doc["service_at_locations"][0]
    assert sal["location_id"] == LOC_ID
    assert sal["schedules"][0]["opens_at"] == "09:00" and sal["schedules"][0]["byday"] == "MO"
    assert doc["attributes"][0]["taxonomy_term_id"] == "247a281a-a1aa-52eb-8259-8c91d0e20ce1"
    preview = admin.get(f"/admin/services/{sid}/preview?view=en")
    assert "Free counselling" in preview.text and "Monday" in preview.text


def test_two_editors_saving_the_same_service(server, admin, editor):
    path = f"/admin/services/{DESK_ID}"
    stale_page = editor.get(path).text
    assert post_form(admin, path, path, {"name": "Emri nga admini"}).status_code == 303
    fields = read_form(stale_page, path)
    for item in fields:
        if item[0] == "name":
            item[1] = "Emri nga redaktorja"
    data: dict = {}
    for k, v in fields:
        data.setdefault(k, []).append(v)
    response = editor.post(path, data={k: v if len(v) > 1 else v[0] for k, v in data.items()})
    assert response.status_code == 409
    assert service_doc(server)["name"] == "Emri nga admini"


def test_organization_location_category_editing(server, admin):
    r = post_form(admin, f"/admin/organizations/{ORG_ID}", f"/admin/organizations/{ORG_ID}",
                  {"name_en": "Information Centre", "website": "ftp://x"})
    assert r.status_code == 422 and 'id="err-website"' in r.text
    r = post_form(admin, f"/admin/organizations/{ORG_ID}", f"/admin/organizations/{ORG_ID}",
                  {"name_en": "Information Centre"})
    assert r.status_code == 303
    with server.state.db.session() as db:
        assert db.get(Organization, ORG_ID).doc["x_translations"]["en"]["name"] == "Information Centre"
    # an organization with services cannot be deleted
    html, token = form_of(admin, f"/admin/organizations/{ORG_ID}")
    admin.post(f"/admin/organizations/{ORG_ID}/delete", data={"csrf_token": token})
    with server.state.db.session() as db:
        assert db.get(Organization, ORG_ID) is not None

    r = post_form(admin, f"/admin/locations/{LOC_ID}", f"/admin/locations/{LOC_ID}",
                  {"latitude": "", "longitude": "20.1"})
    assert r.status_code == 422 and 'id="err-latitude"' in r.text
    r = post_form(admin, f"/admin/locations/{LOC_ID}", f"/admin/locations/{LOC_ID}", {"address_1": "Rruga e Re 5"})
    assert r.status_code == 303
    with server.state.db.session() as db:
        loc = db.get(Location, LOC_ID).doc
    assert loc["addresses"][0]["address_1"] == "Rruga e Re 5"
    assert loc["addresses"][0]["id"] == "314af369-6929-563c-bb63-4bca7416de11"

    r = post_form(admin, "/admin/categories/new", "/admin/categories/new",
                  {"code": "children", "name": "Fëmijët", "description": "x"})
    assert r.status_code == 422 and 'id="err-code"' in r.text
    r = post_form(admin, "/admin/categories/new", "/admin/categories/new",
                  {"code": "cerdhe-publike", "name": "Çerdhe", "name_en": "Nurseries",
                   "description": "Çerdhet e qytetit", "parent_id": "2d034f59-8aeb-55fb-b1af-bdf6b74ad08c",
                   "icon": "children", "order": "5"})
    assert r.status_code == 303, r.text[:2000]
    with server.state.db.session() as db:
        cat = db.scalar(select(Category).where(Category.code == "cerdhe-publike"))
    assert cat.parent_id == "2d034f59-8aeb-55fb-b1af-bdf6b74ad08c" and cat.doc["x_icon"] == "children"
    # a category cannot move inside its own child
    parent = "2d034f59-8aeb-55fb-b1af-bdf6b74ad08c"
    r = post_form(admin, f"/admin/categories/{parent}", f"/admin/categories/{parent}", {"parent_id": cat.id})
    assert r.status_code == 422


def test_review_list_and_mark_checked(server, admin):
    from datetime import date

    page = admin.get("/admin/review")
    assert page.status_code == 200
    with server.state.db.session() as db:
        stale = [s for s in db.scalars(select(Service)) if not s.assured_date or s.assured_date < "2025-11-01"]
    assert stale, "the sample has services to review"
    sid = stale[0].id
    assert f"/admin/services/{sid}" in page.text
    html, token = form_of(admin, "/admin/review")
    admin.post(f"/admin/services/{sid}/checked", data={"csrf_token": token, "back": "/admin/review"})
    assert service_doc(server, sid)["assured_date"] == date.today().isoformat()
    assert f"/admin/services/{sid}\"" not in admin.get("/admin/review").text


def test_pages_render_in_both_languages(admin):
    for lang, word in (("sq", "Shërbimet"), ("en", "Services")):
        page = admin.get(f"/admin/services?lang={lang}")
        assert f'<html lang="{lang}">' in page.text and word in page.text
    for path in ("/admin", "/admin/organizations", "/admin/locations", "/admin/categories", "/admin/import",
                 "/admin/publish", "/admin/kiosks", "/admin/accounts", "/admin/audit", "/admin/review",
                 "/admin/services/new", "/admin/organizations/new", "/admin/locations/new", "/admin/categories/new",
                 f"/admin/services/{DESK_ID}/preview", f"/admin/locations/{LOC_ID}", f"/admin/organizations/{ORG_ID}"):
        assert admin.get(path).status_code == 200, path



def test_the_kiosks_reason_for_refusing_a_service_is_in_the_staff_language(server):
    """The form's own checks come first (a control character is marked next to its field); the
    kiosks' checks after them word their reason in the staff's language, not in English."""
    from sync.server.routes_services import check_service

    doc = dict(service_doc(server), description="Sportel\x1b[2J")
    with server.state.db.session() as db:
        sq, en = check_service(db, doc, "sq"), check_service(db, doc, "en")
        unchanged = check_service(db, service_doc(server), "sq")
    assert sq[0] == en[0] == "The kiosks would refuse this service: {detail}"
    assert sq[1]["detail"].startswith(f"shërbimi {DESK_ID}") and "shenjë kontrolli U+001B" in sq[1]["detail"]
    assert en[1]["detail"].startswith(f"service {DESK_ID}") and "control character U+001B" in en[1]["detail"]
    assert unchanged is None

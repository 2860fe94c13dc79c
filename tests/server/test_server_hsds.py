"""The HSDS 3.0 read API (validated against the vendored schemas and openapi.json's paging
fields) and the public, phone-sized service pages."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from serverkit import DESK_ID

HSDS = Path(__file__).resolve().parents[2] / "sync" / "feed" / "hsds"
SERVICE_SCHEMA = json.loads((HSDS / "service.json").read_text(encoding="utf-8"))
SERVICE_LIST_SCHEMA = json.loads((HSDS / "service_list.json").read_text(encoding="utf-8"))
OPENAPI = json.loads((HSDS / "openapi.json").read_text(encoding="utf-8"))
PAGE = OPENAPI["components"]["schemas"]["Page"]
# The server is seeded with the bundled sample: its sizes, not numbers copied by hand.
_SAMPLE = json.loads((HSDS.parents[2] / "assets" / "sample" / "catalogue.json").read_text(encoding="utf-8"))
SERVICES = len(_SAMPLE["services"])
ORGANIZATIONS = len({s["organization"]["id"] for s in _SAMPLE["services"]})


def validator(schema):
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


SERVICE = validator(SERVICE_SCHEMA)
SERVICE_LIST = validator(SERVICE_LIST_SCHEMA)
TERM = validator(SERVICE_SCHEMA["properties"]["attributes"]["items"]["properties"]["taxonomy_term"])
ORGANIZATION = validator(SERVICE_SCHEMA["properties"]["organization"])
PAGE_SCHEMA = validator({**PAGE, "required": sorted(PAGE["properties"]),
                         "properties": {**PAGE["properties"], "contents": {"type": "array"}}})
JSON = {"Accept": "application/json"}


def check_page(body: dict, *, page: int, per_page: int, total: int) -> None:
    PAGE_SCHEMA.validate(body)
    pages = -(-total // per_page)
    assert body["total_items"] == total and body["total_pages"] == pages and body["page_number"] == page
    assert body["size"] == len(body["contents"]) == max(0, min(per_page, total - (page - 1) * per_page))
    assert body["first_page"] == (page == 1) and body["last_page"] == (page >= pages)
    assert body["empty"] == (body["size"] == 0)


def test_root_describes_the_api(server):
    body = server.client().get("/", headers=JSON).json()
    assert body["version"] == "3.0" and body["openapi_url"].endswith("/openapi.json")
    assert server.client().get("/openapi.json").json()["paths"].keys() >= {"/services", "/taxonomy_terms"}


def test_services_paged_and_valid(server):
    client = server.client()
    first = client.get("/services?per_page=20", headers=JSON).json()
    check_page(first, page=1, per_page=20, total=SERVICES)
    last = client.get("/services?per_page=20&page=3", headers=JSON).json()
    check_page(last, page=3, per_page=20, total=SERVICES)
    beyond = client.get("/services?per_page=20&page=9", headers=JSON).json()
    check_page(beyond, page=9, per_page=20, total=SERVICES)
    seen = set()
    for page in (1, 2, 3):
        body = client.get(f"/services?per_page=20&page={page}", headers=JSON).json()
        for item in body["contents"]:
            SERVICE_LIST.validate(item)
            assert not any(isinstance(v, list) for v in item.values())
            seen.add(item["id"])
    assert len(seen) == SERVICES
    full = client.get("/services?full=true&per_page=100", headers=JSON).json()
    check_page(full, page=1, per_page=100, total=SERVICES)
    for item in full["contents"]:
        SERVICE.validate(item)
    minimal = client.get("/services?minimal=true&per_page=1000", headers=JSON).json()
    assert {"id", "name"} <= set(minimal["contents"][0])
    assert client.get("/services?per_page=0", headers=JSON).status_code == 400
    assert client.get("/services?page=x", headers=JSON).status_code == 400


def test_service_by_id_is_a_valid_fully_nested_service(server):
    client = server.client()
    response = client.get(f"/services/{DESK_ID}", headers=JSON)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert response.headers["access-control-allow-origin"] == "*"
    body = response.json()
    SERVICE.validate(body)
    assert body["organization"]["name"].startswith("Qendra e Informacionit")
    assert body["service_at_locations"][0]["location"]["addresses"][0]["city"] == "Elbasan"
    again = client.get(f"/services/{DESK_ID}", headers={**JSON, "If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    missing = client.get("/services/00000000-0000-4000-8000-000000000000", headers=JSON)
    assert missing.status_code == 404 and "error" in missing.json()


def test_filters(server):
    client = server.client()
    terms = client.get("/taxonomy_terms?per_page=100", headers=JSON).json()
    check_page(terms, page=1, per_page=100, total=17)
    for term in terms["contents"]:
        TERM.validate(term)
    children = next(t for t in terms["contents"] if t["code"] == "children")
    found = client.get(f"/services?taxonomy_term_id={children['id']}&per_page=100", headers=JSON).json()
    assert 0 < found["total_items"] < SERVICES
    full = client.get(f"/services?taxonomy_term_id={children['id']}&full=true&per_page=100", headers=JSON).json()
    assert all(any(a["taxonomy_term_id"] == children["id"] or a["taxonomy_term"].get("parent_id") == children["id"]
                   for a in s["attributes"]) for s in full["contents"])
    search = client.get("/services?search=ndihme ekonomike", headers=JSON).json()  # without ë: still found
    assert search["total_items"] >= 1
    top = client.get("/taxonomy_terms?top_only=true&per_page=100", headers=JSON).json()
    assert all(not t.get("parent_id") for t in top["contents"]) and top["total_items"] < 17
    org = "090bc249-37cb-5329-99fb-569a0ac0ee91"
    by_org = client.get(f"/services?organization_id={org}", headers=JSON).json()
    assert by_org["total_items"] >= 1 and all(s["organization_id"] == org for s in by_org["contents"])
    assert client.get("/services?modified_after=nonsense", headers=JSON).status_code == 400
    later = client.get("/services?modified_after=2100-01-01T00:00:00Z", headers=JSON).json()
    check_page(later, page=1, per_page=50, total=0)


def test_organizations_and_taxonomies(server):
    client = server.client()
    orgs = client.get("/organizations?per_page=5", headers=JSON).json()
    check_page(orgs, page=1, per_page=5, total=ORGANIZATIONS)
    for org in orgs["contents"]:
        ORGANIZATION.validate(org)
    one = client.get(f"/organizations/{orgs['contents'][0]['id']}", headers=JSON).json()
    ORGANIZATION.validate({k: v for k, v in one.items() if k != "services"})
    assert one["services"] and {"id", "name"} <= set(one["services"][0])
    tax = client.get("/taxonomies", headers=JSON).json()
    check_page(tax, page=1, per_page=50, total=1)
    assert client.get(f"/taxonomies/{tax['contents'][0]['id']}", headers=JSON).status_code == 200
    sal = client.get("/service_at_locations?per_page=5", headers=JSON).json()
    assert sal["total_items"] > 0
    ndjson = client.get("/services?format=ndjson")
    assert len(ndjson.text.strip().splitlines()) == SERVICES


def test_api_serves_what_is_published_not_drafts(server, admin):
    from formlib import post_form

    post_form(admin, f"/admin/services/{DESK_ID}", f"/admin/services/{DESK_ID}", {"name": "Draft name"})
    client = server.client()
    assert client.get(f"/services/{DESK_ID}", headers=JSON).json()["name"] != "Draft name"
    assert "Draft name" not in client.get(f"/services/{DESK_ID}", headers={"Accept": "text/html"}).text


@pytest.mark.parametrize("lang", ["sq", "en"])
def test_public_service_page(server, lang):
    client = server.client()
    page = client.get(f"/services/{DESK_ID}?lang={lang}", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert 'href="tel:+35554200100"' in html                      # tap to call
    assert "https://www.openstreetmap.org/?mlat=41.112140&amp;mlon=20.082310" in html  # map link
    if lang == "sq":
        assert "Sporteli i informacionit për shërbimet sociale" in html
        assert "E hënë – E premte" in html and "08:00–16:00" in html   # hours
        assert "Kartë identiteti, nëse e keni" in html                # documents
        assert "Dokumentet që duhen sjellë" in html
    else:
        assert "Social services information desk" in html
        assert "Monday – Friday" in html
        assert "Documents to bring" in html and "Identity card" in html
    assert 'href="?lang=' in html  # the other language, one tap away


def test_public_pages_language_from_the_phone(server):
    client = server.client()
    english = client.get(f"/services/{DESK_ID}", headers={"Accept": "text/html", "Accept-Language": "en-GB,en;q=0.9"})
    assert "Social services information desk" in english.text
    albanian = client.get(f"/services/{DESK_ID}", headers={"Accept": "text/html", "Accept-Language": "sq,en;q=0.8"})
    assert "Sporteli i informacionit" in albanian.text
    missing = client.get("/services/00000000-0000-4000-8000-000000000000", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and "nuk është më në katalog" in missing.text
    home = client.get("/", headers={"Accept": "text/html"})
    assert home.status_code == 200 and "/services?category=" in home.text
    listing = client.get("/services?q=sportel", headers={"Accept": "text/html"})
    assert f"/services/{DESK_ID}" in listing.text


def test_public_organization_page(server):
    org = "090bc249-37cb-5329-99fb-569a0ac0ee91"
    page = server.client().get(f"/organizations/{org}?lang=en", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Social Services Information Centre" in page.text
    assert f"/services/{DESK_ID}" in page.text and 'href="tel:' in page.text

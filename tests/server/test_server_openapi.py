"""The HSDS API answers as its OpenAPI document says (issue 15, item 8).

``/openapi.json`` has no reference outside itself (the specification's schemas are our own
copies, under ``components/schemas``), and schemathesis 4 (``--checks all``: status codes,
content types, response schemas, schema-valid requests accepted, schema-violating ones refused,
405 for undeclared methods) finds no failure against the running, seeded server on 127.0.0.1.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from serverkit import DESK_ID
from serverlib import LiveServer

from sync.server.openapi_doc import COPIES, HSDS, SPEC, external_refs

#: answers' shapes and the OpenAPI document; hostile parameters reach PostgreSQL in test_server_attacks' fuzz and test_10
pytestmark = pytest.mark.one_engine

JSON = {"Accept": "application/json"}
ORG_ID = "090bc249-37cb-5329-99fb-569a0ac0ee91"
DV_TERM = "1caba832-a793-5c96-816e-d1f3109bcd3d"


def test_openapi_json_has_no_reference_outside_itself(server):
    client = server.client()
    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert "raw.githubusercontent.com" not in response.text
    doc = response.json()
    assert list(external_refs(doc)) == []
    # every local reference points at something, and each copy is the vendored file unchanged
    for ref in set(re.findall(r'"\$ref":"(#/[^"]+)"', response.text)):
        node = doc
        for part in ref[2:].split("/"):
            node = node[part]
    for filename, name in COPIES.values():
        ours = json.loads((HSDS / filename).read_text(encoding="utf-8"))
        ours.pop("$schema", None), ours.pop("$id", None)
        assert json.dumps(doc["components"]["schemas"][name], sort_keys=True).replace(
            '"#/components/schemas/taxonomy"', '"taxonomy.json"').replace(
            '"#/components/schemas/metadata"', '"metadata.json"') == json.dumps(ours, sort_keys=True), name
    # the specification's own copy is kept as it was (tests/test_catalogue.py checks its SHA-256)
    assert SPEC in (HSDS / "openapi.json").read_text(encoding="utf-8")
    assert doc["info"]["title"].startswith("Social services of Elbasan")


def _validator(doc: dict, name: str) -> jsonschema.Validator:
    schema = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_answers_validate_against_the_served_schemas(server):
    client = server.client()
    doc = client.get("/openapi.json").json()
    _validator(doc, "service").validate(client.get(f"/services/{DESK_ID}", headers=JSON).json())
    _validator(doc, "organization").validate(client.get(f"/organizations/{ORG_ID}", headers=JSON).json())
    _validator(doc, "organization").validate(
        client.get(f"/organizations/{ORG_ID}?full_service=true", headers=JSON).json())
    _validator(doc, "taxonomy_term").validate(client.get(f"/taxonomy_terms/{DV_TERM}", headers=JSON).json())
    sal = client.get("/service_at_locations?per_page=1", headers=JSON).json()["contents"][0]
    _validator(doc, "service_at_location_list").validate(sal)
    _validator(doc, "service_at_location").validate(client.get(f"/service_at_locations/{sal['id']}",
                                                               headers=JSON).json())
    for item in client.get("/services?per_page=5", headers=JSON).json()["contents"]:
        _validator(doc, "service_list").validate(item)
    # answers the document lists, for what it forbids
    for bad in ("page=0", "per_page=1001", "full=yes", "format=xml", "modified_after=yesterday", "page="):
        response = client.get(f"/services?{bad}", headers=JSON)
        assert response.status_code == 400 and "error" in response.json(), bad
    assert client.get("/services?modified_after=2026-01-01T00:00:00%2B01:00", headers=JSON).status_code == 200
    assert client.get("/services/nothing", headers=JSON).status_code == 404
    response = client.post("/services", headers=JSON)
    assert response.status_code == 405 and "GET" in response.headers["allow"]
    lines = client.get("/taxonomy_terms?format=ndjson").text.splitlines()
    assert all(json.loads(line)["id"] for line in lines) and len(lines) > 10


class _Counted:
    """The app, counting the HTTP requests it answers."""

    def __init__(self, app):  # noqa: ANN001
        self.app, self.requests = app, 0

    async def __call__(self, scope, receive, send):  # noqa: ANN001
        if scope["type"] == "http":
            self.requests += 1
        await self.app(scope, receive, send)


def _ids(client) -> dict[str, str]:
    sal = client.get("/service_at_locations?per_page=1", headers=JSON).json()["contents"][0]["id"]
    taxonomy = client.get("/taxonomies", headers=JSON).json()["contents"][0]["id"]
    return {"/services/{id}": DESK_ID, "/organizations/{id}": ORG_ID, "/taxonomy_terms/{id}": DV_TERM,
            "/taxonomies/{id}": taxonomy, "/service_at_locations/{id}": sal}


def test_schemathesis_finds_no_failure(server, tmp_path):
    """Runs the real schemathesis CLI, bounded to 25 examples an operation (about 800 requests,
    well under a minute here), with a fixed seed so that a failure can be replayed."""
    cli = Path(sys.executable).with_name("schemathesis")
    if not cli.exists() and not shutil.which("schemathesis"):
        pytest.skip("schemathesis is not installed (pip install 'schemathesis>=4,<5')")
    config = tmp_path / "schemathesis.toml"
    # the {id} operations are given ids of the published catalogue, so their 200 answers are checked
    config.write_text("".join(f'[[operations]]\ninclude-path = "{path}"\nparameters = {{ id = "{ident}" }}\n'
                              for path, ident in _ids(server.client()).items()), encoding="utf-8")
    counted = _Counted(server.app)
    live = LiveServer(counted).start()
    try:
        run = subprocess.run(
            [str(cli) if cli.exists() else "schemathesis", "--config-file", str(config), "run",
             f"{live.url}/openapi.json", "--checks", "all", "--max-examples", "25", "--seed", "20261203",
             "--generation-database", "none", "--no-color", "--workers", "1"],
            cwd=tmp_path, capture_output=True, text=True, timeout=240)
    finally:
        live.stop()
    out = run.stdout + run.stderr
    summary = out[out.rfind("SUMMARY"):]
    print(f"schemathesis: {counted.requests} requests answered\n{summary}")
    assert run.returncode == 0, out[-6000:]
    assert "No issues found" in out and "Unresolvable" not in out and "unresolvable" not in out, out[-6000:]
    assert "Tested: 11" in out, out[-3000:]
    assert counted.requests > 300

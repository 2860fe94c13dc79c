"""Issue 15 on the catalogue server: its import takes every shape kiosk-feed takes, refuses only
on errors, and reports the warnings; the official examples then publish."""
from __future__ import annotations

import io
import json
import zipfile
from collections import Counter

import pytest
from hsdslib import EXAMPLES, legacy_package, other_system_list, oruk_list

from sync.server import bootstrap, publishing
from sync.server.audit import SYSTEM
from sync.server.config import ServerConfig
from sync.server.imports.problems import ImportRefused
from sync.server.imports.run import run_import
from sync.server.models import Service


@pytest.fixture
def state(tmp_path):
    st = bootstrap.start(ServerConfig(data_dir=tmp_path / "data"))
    yield st
    st.db.dispose()


def zipped(folder) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for path in sorted(folder.iterdir()):
            out.write(path, path.name)
    return buf.getvalue()


def shapes(tmp_path) -> dict[str, bytes]:
    service = (EXAMPLES / "service_full.json").read_bytes()
    organization = json.loads((EXAMPLES / "organization_full.json").read_text(encoding="utf-8"))
    organization["services"][0]["id"] = "5f0c1d9e-8f43-4e0a-9a51-2b6f0a7c3e11"   # another service
    return {
        "service_full.json": service,
        "organization_full.json": (EXAMPLES / "organization_full.json").read_bytes(),
        "service_list.json": (EXAMPLES / "service_list.json").read_bytes(),
        "lines.json": json.dumps(json.loads(service)).encode() + b"\n" + json.dumps(organization).encode() + b"\n",
        "hsds-csv.zip": zipped(EXAMPLES / "csv"),
        "hsds-1.1.zip": zipped(legacy_package(tmp_path / "legacy", 60)),
        "oruk.json": oruk_list(tmp_path / "oruk.json").read_bytes(),
        "other.json": json.dumps(other_system_list()).encode(),
    }


def test_every_shape_imports_with_warnings_and_publishes(state, tmp_path):
    for name, data in shapes(tmp_path).items():
        with state.db.session() as db:
            outcome = run_import(db, name, data, SYSTEM, replace=True)
        assert outcome.applied and outcome.warnings, name
        with state.db.session() as db:
            count = db.query(Service).count()
            result = publishing.publish_catalogue(db, state.feed_target, actor=SYSTEM, note=name)
        assert count >= 1 and result, name
        feed = json.loads((state.config.feed_dir / "feed.json").read_bytes())
        assert len(feed["services"]) == count, name


def test_errors_still_refuse_and_the_warnings_come_too(state):
    services = other_system_list()
    services[0]["name"] = "Strehë\x00"
    with state.db.session() as db, pytest.raises(ImportRefused) as err:
        run_import(db, "bad.json", json.dumps(services).encode(), SYSTEM, replace=True)
    assert [p.message for p in err.value.problems] == [
        "control character U+{char}, which cannot be cleaned: type the text again"]
    assert Counter(p.message.split(":")[0] for p in err.value.warnings)["an http"] >= 1
    with state.db.session() as db:
        assert db.query(Service).count() == 0

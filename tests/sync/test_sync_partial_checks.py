"""What imports only in part is said: a page of the HSDS API's paged list, and a service in no
category (found only by search)."""
from __future__ import annotations

import json

import pytest

from synclib import clean_feed

from sync.feed import verify
from sync.publish import build as publish
from sync.publish import sources
from sync.publish.cli import main


def page(tmp_path, **envelope):
    services = clean_feed(1)["services"]
    path = tmp_path / "page.json"
    path.write_text(json.dumps(dict({"contents": services}, **envelope), ensure_ascii=False), encoding="utf-8")
    return path, len(services)


def test_a_page_of_a_longer_list_is_said_with_how_many_were_expected(tmp_path, capsys):
    path, read = page(tmp_path, total_items=40, total_pages=4, page_number=1, last_page=False)
    loaded = sources.load_source(path)
    [warning] = [f for f in loaded.findings if f.code == "partial_page"]
    assert warning.level == "warning" and warning.record.kind == "file" and warning.field == "total_items"
    assert f"{read} of 40" in warning.message("en") and f"{read} nga 40" in warning.message("sq")
    assert main(["check", str(path), "--lang", "sq"]) == 0
    assert "nuk importohen" in capsys.readouterr().out


def test_a_page_that_is_not_the_last_without_a_count_is_said(tmp_path):
    path, read = page(tmp_path, last_page=False)
    _doc, findings = publish.check_source(path)
    assert [f.params for f in findings if f.code == "partial_page_unknown"] == [{"read": read}]


@pytest.mark.parametrize("envelope", [{}, {"total_items": 6, "last_page": True}, {"total_pages": 1}])
def test_a_whole_list_says_nothing(tmp_path, envelope):
    path, read = page(tmp_path, **envelope)
    if "total_items" in envelope:
        envelope["total_items"] = read
        path, _ = page(tmp_path, **envelope)
    assert not [f for f in sources.load_source(path).findings if f.code.startswith("partial_page")]


def test_a_service_in_no_category_is_said():
    doc = clean_feed(2)
    service = doc["services"][0]
    service["attributes"] = []
    findings = verify.conform(doc)
    assert not findings.errors
    assert [(f.code, f.record.id, f.field) for f in findings] == [("no_category", service["id"], "attributes")]
    assert findings.items[0].message("en") == "service in no category: found only by search"
    assert "kërkim" in findings.items[0].message("sq")


def test_a_service_whose_only_category_is_missing_is_said_too():
    doc = clean_feed(2)
    service = doc["services"][0]
    service["attributes"] = [{"id": "00000000-0000-4000-8000-0000000000ab",
                              "taxonomy_term_id": "00000000-0000-4000-8000-0000000000ac"}]
    codes = [f.code for f in verify.conform(doc)]
    assert codes == ["attribute_dropped", "no_category"]

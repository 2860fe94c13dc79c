"""``kiosk load-feed`` makes the checks a sync makes: a feed with errors is refused (exit 1, the
findings named, no traceback) and the catalogue stays as it was; warnings mend what is loaded."""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "sync"))

from synclib import clean_feed  # noqa: E402

from kiosk.cli import main  # noqa: E402
from sync.feed import document as feedmod  # noqa: E402


def config(tmp_path):
    db = tmp_path / "data" / "catalogue.sqlite3"
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\ndatabase = "{db}"\n')
    return path


def info(tmp_path, capsys):
    capsys.readouterr()
    assert main(["--config", str(config(tmp_path)), "info"]) == 0
    return capsys.readouterr().out


def test_a_phone_without_a_number_is_refused_and_the_catalogue_kept(tmp_path, capsys):
    before = info(tmp_path, capsys)
    doc = clean_feed(7)
    doc["services"][0].setdefault("phones", [{"id": "00000000-0000-4000-8000-0000000000f1"}])
    doc["services"][0]["phones"][0].pop("number", None)
    feed = tmp_path / "bad.json"
    feed.write_bytes(feedmod.dumps(doc))
    assert main(["--config", str(config(tmp_path)), "load-feed", str(feed)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "phones[0]" in err and "number" in err
    assert info(tmp_path, capsys) == before


def test_a_good_feed_loads_mended(tmp_path, capsys):
    doc = clean_feed(7)
    doc["services"][0]["url"] = "javascript:alert(1)"
    feed = tmp_path / "good.json"
    feed.write_bytes(feedmod.dumps(doc))
    assert main(["--config", str(config(tmp_path)), "load-feed", str(feed)]) == 0
    captured = capsys.readouterr()
    assert "url" in captured.err
    kept = json.loads((tmp_path / "data" / "catalogue.sqlite3.feed.json").read_bytes())
    assert "url" not in kept["services"][0]
    assert "good.json" in info(tmp_path, capsys)   # the source of the catalogue now

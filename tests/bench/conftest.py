"""Benchmarks: run by `make bench`, never by `make test`. They print figures and ratios and
assert nothing about speed, so a slow machine never fails them.

Shared fixtures (any benchmark may use them):

* ``feeds``: {size: path} of the synthetic feeds (``sync.publish.synth``, seed 1), generated once and
  cached in ``bench-results/feeds`` under a name that changes when ``sync/publish/synth.py`` does.
* ``catalogue_dbs``: {size: path} of catalogue databases built from those feeds, cached in
  ``bench-results/db/<size>-<feed digest>-v<schema version>-<build code digest>/``; treat them as
  read-only (copy before writing, or use ``kiosk_data_dir``).
* ``kiosk_data_dir``: ``kiosk_data_dir(size)`` is a data directory (in pytest's tmp) holding a
  private copy of that database as ``catalogue.sqlite3``, made once per session: run the kiosk
  app on it (``KIOSK_DATA_DIR``) or open it with ``Catalogue``.
* ``catalogue_facts``: ``catalogue_facts(size)`` is a dict with the biggest top-level category
  (``top_id``, ``top_name``, ``top_count``) and its first service (``service_id``, ``service_name``).
* ``sensitive_data_dir``: ``sensitive_data_dir(size)`` is (a data directory like
  ``kiosk_data_dir``'s, the ids of the categories marked) for a variant of the synthetic feed whose
  :data:`SENSITIVE_TOPS` biggest top-level categories are ``x_sensitive`` (the feeds themselves
  mark nothing, and stay as they are), built by the real build and cached in
  ``bench-results/db/sensitive<N>-<size>-...``.
"""
from __future__ import annotations

import inspect
import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import (RESULTS, ROOT, SIZES, file_digest, judge, record, sha256_file,  # noqa: E402
                      write_table)

HERE = Path(__file__).resolve().parent
SEED = 1
#: The files whose change changes what the database holds (beyond the schema version).
BUILD_CODE = [ROOT / "kiosk" / "catalogue" / f for f in ("models.py", "build.py", "search.py",
                                                          "store.py", "hours.py")]


def _prune(directory: Path, prefix: str, keep: str) -> None:
    for old in directory.glob(prefix + "*"):
        if old.name != keep and not old.name.startswith(keep):
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def feeds():
    """Synthetic feeds by size, generated once (seed 1) and cached in bench-results/feeds."""
    from sync.publish import synth

    cache = RESULTS / "feeds"
    cache.mkdir(parents=True, exist_ok=True)
    code = file_digest([ROOT / "sync" / "publish" / "synth.py", ROOT / "sync" / "feed" / "document.py"])
    out = {}
    for size in SIZES:
        name = f"synthetic-{size}-seed{SEED}-{code}.json"
        path = cache / name
        if not path.exists():
            _prune(cache, f"synthetic-{size}-", name)
            _prune(cache, f"synthetic-{size}.", name)   # the old, unversioned name
            t0 = time.monotonic()
            tmp = path.with_suffix(".tmp")
            synth.write(tmp, size, seed=SEED)
            tmp.replace(path)
            print(f"\n[bench] generated {path.name} in {time.monotonic() - t0:.1f} s", flush=True)
        digest = path.with_name(path.name + ".sha256")
        if not digest.exists():
            digest.write_text(sha256_file(path))
        out[size] = path
    return out


def _space(db: Path) -> dict:
    """Where the file's bytes go (sqlite's dbstat): the search index, the tables, their indexes."""
    conn = sqlite3.connect(db)
    try:
        kinds = {name: kind for kind, name in conn.execute("SELECT type, name FROM sqlite_master")}
        out = {"search_index_mb": 0.0, "tables_mb": 0.0, "indexes_mb": 0.0}
        for name, size in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            key = ("search_index_mb" if name.startswith("search_") else
                   "indexes_mb" if kinds.get(name) == "index" or name.startswith("sqlite_autoindex")
                   else "tables_mb")
            out[key] += size / 1e6
        out["free_mb"] = conn.execute("PRAGMA freelist_count").fetchone()[0] * \
            conn.execute("PRAGMA page_size").fetchone()[0] / 1e6
        return {k: round(v, 1) for k, v in out.items()}
    finally:
        conn.close()


def _checkpoint(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def catalogue_dbs(feeds):
    """A catalogue database per size, built in a child process (time and peak memory recorded)
    or taken from the cache when the feed, the schema version and the build code are the same."""
    from kiosk.catalogue.models import SCHEMA_VERSION

    root = RESULTS / "db"
    root.mkdir(parents=True, exist_ok=True)
    code = file_digest(BUILD_CODE)
    dbs = {}
    for size, feed in feeds.items():
        feed_sha = Path(str(feed) + ".sha256").read_text().strip()[:12]
        key = f"{size}-{feed_sha}-v{SCHEMA_VERSION}-{code}"
        folder = root / key
        db = folder / "catalogue.sqlite3"
        stats_file = folder / "build.json"
        cached = db.exists() and stats_file.exists()
        if not cached:
            _prune(root, f"{size}-", key)
            shutil.rmtree(folder, ignore_errors=True)
            work = root / (key + ".partial")
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            print(f"\n[bench] building the {size}-service database (cached afterwards)...", flush=True)
            out = subprocess.run([sys.executable, str(HERE / "build_probe.py"), str(feed),
                                  str(work / "catalogue.sqlite3")],
                                 check=True, capture_output=True, text=True, cwd=str(ROOT))
            stats = json.loads(out.stdout.strip().splitlines()[-1])
            _checkpoint(work / "catalogue.sqlite3")
            for extra in work.glob("catalogue.sqlite3.feed.json*"):
                extra.unlink()              # the feed is in bench-results/feeds already
            stats["space"] = _space(work / "catalogue.sqlite3")
            (work / "build.json").write_text(json.dumps(stats))
            work.rename(folder)
        stats = json.loads(stats_file.read_text())
        record("build database from feed (child process)", size, "s", median=stats["total_s"],
               parse_s=stats["parse_s"], peak_rss_mb=stats["peak_rss_mb"], feed_mb=stats["feed_mb"],
               db_mb=stats["db_mb"], cached=cached)
        db_mb = round(db.stat().st_size / 1e6, 1)
        record("build: catalogue database size", size, "MB", median=db_mb,
               **(judge(db_mb, 300, "size", "<=") if size >= 100_000 else {}),
               **stats.get("space", {}))
        dbs[size] = db
    return dbs


@pytest.fixture(scope="session")
def kiosk_data_dir(catalogue_dbs, tmp_path_factory):
    """``kiosk_data_dir(size)``: a kiosk data directory with a private copy of the database."""
    made: dict[int, Path] = {}

    def get(size: int) -> Path:
        if size not in made:
            folder = tmp_path_factory.mktemp(f"kiosk-data-{size}")
            shutil.copyfile(catalogue_dbs[size], folder / "catalogue.sqlite3")
            made[size] = folder
        return made[size]

    yield get
    for folder in made.values():          # up to 700 MB each: not kept with pytest's tmp dirs
        for db in folder.glob("catalogue.sqlite3*"):
            db.unlink(missing_ok=True)


#: How many of the biggest top-level categories the sensitive variant marks, and the neutral title
#: (Albanian, English) it gives them.
SENSITIVE_TOPS = 2
NEUTRAL_TITLE = ("Këshillim", "Counselling")


def mark_sensitive(doc: dict, term_ids: set[str]) -> int:
    """Mark the categories ``term_ids`` of the feed document ``doc`` ``x_sensitive`` with
    :data:`NEUTRAL_TITLE`, as the staff server publishes such a category: in the category list
    and in every service's nested copy. Returns how many records were marked."""
    from sync.feed.document import TRANSLATIONS_KEY as TR

    def mark(term: dict) -> int:
        if term.get("id") not in term_ids:
            return 0
        term["x_sensitive"], term["x_neutral_title"] = True, NEUTRAL_TITLE[0]
        term.setdefault(TR, {}).setdefault("en", {})["x_neutral_title"] = NEUTRAL_TITLE[1]
        return 1

    marked = sum(mark(t) for t in doc["taxonomy_terms"])
    for svc in doc["services"]:
        marked += sum(mark(a["taxonomy_term"]) for a in svc.get("attributes") or [] if a.get("taxonomy_term"))
    return marked


def _biggest_tops(db: Path, count: int) -> list[str]:
    from kiosk.catalogue import queries
    from kiosk.catalogue.store import Catalogue

    cat = Catalogue(db)
    try:
        with cat.session() as s:
            tops = sorted(queries.top_categories(s, "sq"), key=lambda c: (-c.service_count, c.id))
        return [c.id for c in tops[:count]]
    finally:
        cat.dispose()


@pytest.fixture(scope="session")
def sensitive_data_dir(feeds, catalogue_dbs, kiosk_data_dir, tmp_path_factory):
    """``sensitive_data_dir(size)``: (a data directory with a private copy of the sensitive
    variant's database, the marked category ids). The variant's feed is the cached synthetic
    one with :func:`mark_sensitive` on its biggest top-level categories; its database is built
    in a child process (build_probe.py, as ``catalogue_dbs``) and cached beside the others."""
    from kiosk.catalogue.models import SCHEMA_VERSION
    from sync.feed import document as feedmod

    root = RESULTS / "db"
    code = file_digest(BUILD_CODE, extra=inspect.getsource(mark_sensitive) + repr(NEUTRAL_TITLE))
    made: dict[int, tuple[Path, list[str]]] = {}

    def get(size: int) -> tuple[Path, list[str]]:
        if size in made:
            return made[size]
        feed = feeds[size]
        feed_sha = Path(str(feed) + ".sha256").read_text().strip()[:12]
        prefix = f"sensitive{SENSITIVE_TOPS}-{size}-"
        key = f"{prefix}{feed_sha}-v{SCHEMA_VERSION}-{code}"
        folder = root / key
        if not (folder / "catalogue.sqlite3").exists() or not (folder / "marked.json").exists():
            _prune(root, prefix, key)
            shutil.rmtree(folder, ignore_errors=True)
            work = root / (key + ".partial")
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            ids = _biggest_tops(kiosk_data_dir(size) / "catalogue.sqlite3", SENSITIVE_TOPS)
            print(f"\n[bench] building the {size}-service database with {SENSITIVE_TOPS} sensitive "
                  "categories (cached afterwards)...", flush=True)
            doc = feedmod.loads(feed.read_bytes())
            records = mark_sensitive(doc, set(ids))
            (work / "feed.json").write_bytes(feedmod.dumps(doc))
            del doc
            out = subprocess.run([sys.executable, str(HERE / "build_probe.py"), str(work / "feed.json"),
                                  str(work / "catalogue.sqlite3")],
                                 check=True, capture_output=True, text=True, cwd=str(ROOT))
            stats = json.loads(out.stdout.strip().splitlines()[-1])
            _checkpoint(work / "catalogue.sqlite3")
            for extra in [work / "feed.json", *work.glob("catalogue.sqlite3.feed.json*")]:
                extra.unlink()
            (work / "marked.json").write_text(json.dumps({"ids": ids, "records": records, "build": stats}))
            work.rename(folder)
        ids = json.loads((folder / "marked.json").read_text())["ids"]
        private = tmp_path_factory.mktemp(f"kiosk-data-{size}-sensitive")
        shutil.copyfile(folder / "catalogue.sqlite3", private / "catalogue.sqlite3")
        made[size] = (private, ids)
        return made[size]

    yield get
    for private, _ids in made.values():
        for db in private.glob("catalogue.sqlite3*"):
            db.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def catalogue_facts(kiosk_data_dir):
    """``catalogue_facts(size)``: the biggest top-level category and its first service."""
    from benchlib import catalogue_facts as facts

    cache: dict[int, dict] = {}

    def get(size: int) -> dict:
        if size not in cache:
            cache[size] = facts(kiosk_data_dir(size) / "catalogue.sqlite3")
        return cache[size]

    return get


_deselected = 0


def pytest_deselected(items):
    global _deselected
    _deselected += len(items)


def pytest_sessionfinish(session, exitstatus):
    # a run of some benchmarks (-k, a file, fewer sizes) keeps the last whole run's results.txt:
    # its table goes to results-partial.txt beside it
    whole = (not _deselected and session.config.args == ["tests/bench"]
             and SIZES == [1000, 10000, 100000])
    name = "results" if whole else "results-partial"
    table = write_table(name)
    if table:
        print("\n\n" + table)
        print(f"\n(written to {RESULTS / (name + '.txt')} and {RESULTS / (name + '.json')})")

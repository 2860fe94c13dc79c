"""Build a catalogue database from a feed file in a fresh process; print time and peak memory.

    python tests/bench/build_probe.py FEED.json DB.sqlite3
"""
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    feed_path, db_path = Path(sys.argv[1]), Path(sys.argv[2])
    from kiosk.catalogue.store import Catalogue
    from sync.feed import document as feedmod

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    raw = feed_path.read_bytes()
    doc = feedmod.loads(raw)
    parsed = time.perf_counter()
    cat = Catalogue(db_path)
    cat.create_schema()
    count = cat.load(doc, raw=raw)
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"services": count, "parse_s": round(parsed - start, 3),
                      "build_s": round(done - parsed, 3), "total_s": round(done - start, 3),
                      "peak_rss_mb": round(peak / 1024, 1), "rss_before_mb": round(before / 1024, 1),
                      "feed_mb": round(len(raw) / 1e6, 2),
                      "db_mb": round(db_path.stat().st_size / 1e6, 2)}))


if __name__ == "__main__":
    main()

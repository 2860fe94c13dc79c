"""The HSDS schema check three ways: jsonschema (the reference), jsonschema-rs, fastjsonschema.

    python tests/bench/validator_probe.py FEED.json [ROUNDS]

Times one pass over every service of FEED (the first error of each, as the kiosk asks), and
compares verdicts (valid or not) on a corpus: every service of the feed plus, for a sample of
them, one broken copy per kind of damage a feed may carry (a wrong type, a missing required field,
a bad e-mail, URL or date, an unknown status, an empty string where text is required...).
Prints one JSON line: seconds per validator, verdict disagreements with jsonschema, and whether
the validator could be built at all (fastjsonschema knows drafts 4, 6 and 7 only).
"""
from __future__ import annotations

import copy
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sync.feed.schema import HSDS_SERVICE_SCHEMA, service_validator  # noqa: E402

DAMAGE = [
    ("name", 12), ("name", None), ("id", ""), ("status", "sometimes"), ("email", "not an e-mail"),
    ("url", "ht!tp://bad url"), ("assured_date", "2026-13-45"), ("minimum_age", "ten"),
    ("phones", "0691234567"), ("organization", None), ("languages", [{"name": 3}]),
]


def broken_copies(services, rng, n=300):
    out = []
    for service in rng.sample(services, min(n, len(services))):
        for key, value in DAMAGE:
            bad = copy.deepcopy(service)
            if value is None:
                bad.pop(key, None)
            else:
                bad[key] = value
            out.append(bad)
        bad = copy.deepcopy(service)
        del bad["id"]
        out.append(bad)
    return out


def main() -> None:
    feed = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    services = feed["services"]
    schema = json.loads(HSDS_SERVICE_SCHEMA.read_text(encoding="utf-8"))
    ref = service_validator()
    judges = {"jsonschema": lambda s: next(iter(ref.iter_errors(s)), None) is None}
    built = {"jsonschema": True}
    try:
        import jsonschema_rs

        rs = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
        judges["jsonschema-rs"] = rs.is_valid
        built["jsonschema-rs"] = True
    except Exception as exc:  # noqa: BLE001 - reported
        built["jsonschema-rs"] = f"{type(exc).__name__}: {exc}"[:200]
    try:
        import fastjsonschema

        fast = fastjsonschema.compile(schema)

        def fast_ok(s):
            try:
                fast(s)
                return True
            except fastjsonschema.JsonSchemaException:
                return False

        judges["fastjsonschema"] = fast_ok
        built["fastjsonschema"] = True
    except Exception as exc:  # noqa: BLE001 - reported
        built["fastjsonschema"] = f"{type(exc).__name__}: {exc}"[:200]
    seconds = {}
    for name, judge in judges.items():
        times = []
        for _ in range(rounds):
            t = time.perf_counter()
            for s in services:
                judge(s)
            times.append(time.perf_counter() - t)
        seconds[name] = sorted(times)
    corpus = services + broken_copies(services, random.Random(7))
    truth = [judges["jsonschema"](s) for s in corpus]
    disagree = {name: sum(1 for s, t in zip(corpus, truth) if judge(s) != t)
                for name, judge in judges.items()}
    parse = []
    raw = Path(sys.argv[1]).read_bytes()
    for _ in range(rounds):
        t = time.perf_counter()
        json.loads(raw)
        parse.append(time.perf_counter() - t)
    out = {"services": len(services), "seconds": seconds, "corpus": len(corpus),
           "invalid_in_corpus": truth.count(False), "disagreements": disagree, "built": built,
           "json_parse_s": sorted(parse)}
    try:
        import orjson

        op = []
        for _ in range(rounds):
            t = time.perf_counter()
            orjson.loads(raw)
            op.append(time.perf_counter() - t)
        out["orjson_parse_s"] = sorted(op)
    except ImportError:
        out["orjson_parse_s"] = None
    print(json.dumps(out))


if __name__ == "__main__":
    main()

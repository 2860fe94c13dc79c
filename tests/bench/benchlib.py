"""Shared helpers of the benchmarks: collect figures, summarize them, write the table."""
from __future__ import annotations

import json
import os
import statistics
from pathlib import Path

RESULTS = Path(os.environ.get("BENCH_RESULTS", Path(__file__).resolve().parents[2] / "bench-results"))
SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
_rows: list[dict] = []


def summarize(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"median": round(statistics.median(ordered), 3), "p95": round(p95, 3), "n": len(ordered)}


def record(name: str, size: int | None, unit: str, **values) -> None:
    _rows.append({"name": name, "size": size, "unit": unit, **values})


def write_table() -> str | None:
    if not _rows:
        return None
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "results.json").write_text(json.dumps(_rows, indent=1, ensure_ascii=False))
    lines = [f"{'benchmark':44} {'size':>7} {'median':>10} {'p95':>10} {'other':>22}"]
    for r in _rows:
        other = " ".join(f"{k}={v}" for k, v in r.items()
                         if k not in ("name", "size", "unit", "median", "p95", "n"))
        lines.append(f"{r['name']:44} {r['size'] or '':>7} {r.get('median', ''):>10} "
                     f"{r.get('p95', ''):>10} {other:>22}  {r['unit']}")
    table = "\n".join(lines)
    (RESULTS / "results.txt").write_text(table + "\n")
    return table

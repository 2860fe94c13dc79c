"""Shared helpers of the benchmarks: collect figures, summarize them, write the table; read memory
and CPU from /proc; run probe scripts in child processes.

A figure is recorded with :func:`record` (name, catalogue size, unit, median, p95, n, anything
else); ``target``/``met`` say which goal of issue 7 it is judged against (see :func:`judge`).
At the end of the session :func:`write_table` prints one table and writes
``bench-results/results.json`` and ``results.txt``.
"""
from __future__ import annotations

import hashlib
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Optional

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench-results"))
SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",") if x.strip()]
#: Repeats of the cold start (and of each Chromium page) per size; the issue asks for at least 5.
RUNS = max(5, int(os.environ.get("BENCH_RUNS", "5")))
_rows: list[dict] = []
_started = time.monotonic()


def _machine_busy() -> int:
    """Busy jiffies of the whole machine (every CPU), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4]          # all but idle and iowait


def _our_busy() -> int:
    """Jiffies used by this process, its waited-for children and the Xvfb beside it."""
    def times(pid, children_too: bool) -> int:
        try:
            f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0
        return int(f[11]) + int(f[12]) + ((int(f[13]) + int(f[14])) if children_too else 0)

    total = times(os.getpid(), True)
    for pid in tree(os.getpid())[1:]:
        total += times(pid, False)
    for pid in children(os.getppid()):               # xvfb-run's Xvfb serves our windows
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == "Xvfb":
                total += times(pid, False)
        except OSError:
            pass
    return total


_cpu_start: tuple = (None, None)    # set at the end of this module


def load_note() -> dict:
    """How busy the machine was with other work during the session (figures suffer from it)."""
    out = {"loadavg": Path("/proc/loadavg").read_text().split()[:3]}
    if _cpu_start[0] is not None:
        wall = time.monotonic() - _started
        hz, cpus = os.sysconf("SC_CLK_TCK"), os.cpu_count() or 1
        others = (_machine_busy() - _cpu_start[0]) - (_our_busy() - _cpu_start[1])
        out["others_cpu_pct"] = round(max(0.0, others / hz / wall / cpus * 100), 1)
    return out


def summarize(samples_ms: list[float]) -> dict:
    """Median and p95 (nearest rank) of ``samples_ms``, and their number."""
    ordered = sorted(samples_ms)
    if not ordered:
        return {"median": None, "p95": None, "n": 0}
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"median": round(statistics.median(ordered), 3), "p95": round(p95, 3), "n": len(ordered)}


def judge(value: Optional[float], limit: float, what: str = "p95", op: str = "<") -> dict:
    """``target`` and ``met`` fields for :func:`record`: is ``value`` (the row's ``what``) below
    ``limit``? (``op`` "<=" for an inclusive limit.)"""
    met = None if value is None else (value < limit if op == "<" else value <= limit)
    return {"target": f"{what} {op} {limit:g}", "met": met}


def record(name: str, size: int | None, unit: str, **values) -> dict:
    """Add a row; ``values`` usually hold median, p95, n (from :func:`summarize`), optionally
    target and met (from :func:`judge`), and any other figure worth printing."""
    row = {"name": name, "size": size, "unit": unit, **values}
    _rows.append(row)
    return row


def rows() -> list[dict]:
    return list(_rows)


#: Order of the sections in the table (a row goes under the first prefix its name starts with).
ORDER = ("cold start", "peak memory", "memory:", "touch", "search keystroke", "scroll", "search:",
         "search ", "category list", "qr", "idle cpu", "sync", "hsds", "feed parse", "chromium",
         "ours vs chromium", "build")


def _order(row: dict) -> tuple:
    """Sections in :data:`ORDER`; in a section, names in the order first recorded, then sizes."""
    name = row["name"].lower()
    section = next((i for i, p in enumerate(ORDER) if name.startswith(p)), len(ORDER) - 1)
    first = min((r.get("_seq", 0) for r in _rows if r["name"] == row["name"]), default=0)
    return section, first, row["size"] or 0


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 100:
            return f"{value:.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    return str(value)


def _met(row: dict) -> str:
    if "met" not in row:
        return ""
    return "-" if row["met"] is None else ("yes" if row["met"] else "NO")


def _size(size: Optional[int]) -> str:
    if not size:
        return ""
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


SKIP = ("name", "size", "unit", "median", "p95", "n", "target", "met", "_seq")


def format_table(table_rows: list[dict]) -> str:
    head = (f"{'benchmark':48} {'size':>5} {'median':>9} {'p95':>9} {'unit':6} {'n':>4}  "
            f"{'target':16} {'met':4} other")
    lines = [head, "-" * len(head)]
    last_section = None
    for r in sorted(table_rows, key=_order):
        section = _order(r)[0]
        if last_section is not None and section != last_section:
            lines.append("")
        last_section = section
        other = " ".join(f"{k}={_fmt(v)}" for k, v in r.items() if k not in SKIP)
        lines.append(f"{r['name'][:48]:48} {_size(r['size']):>5} {_fmt(r.get('median')):>9} "
                     f"{_fmt(r.get('p95')):>9} {r['unit'][:6]:6} {_fmt(r.get('n')) if r.get('n') else '':>4}  "
                     f"{str(r.get('target') or '')[:16]:16} {_met(r):4} {other}")
    return "\n".join(lines)


def _find(name: str, size) -> Optional[dict]:
    return next((r for r in _rows if r["name"] == name and r["size"] == size), None)


def _ratio(a, b) -> Optional[float]:
    return None if a is None or b in (None, 0) else round(a / b, 2)


#: The ``ours vs chromium`` ratios: (row, ours row, the test that records it, Chromium's row, the
#: test that records it, how, p95 target of the ratio or None). Chromium's directory has no attract
#: screen: the kiosk's welcome screen is set beside Chromium resting on its home page.
PAIRS = (
    ("first paint, welcome", "cold start: spawn to first drawn welcome screen",
     "test_bench_ui.py::test_cold_start", "chromium: home page, spawn to first paint",
     "test_bench_chromium.py::test_chromium", "spawn to our first drawn welcome vs spawn to Chromium's "
     "home page FCP", 1.5),
    ("first paint, home screen", "cold start: to home screen drawn (categories)",
     "test_bench_ui.py::test_cold_start", "chromium: home page, spawn to first paint",
     "test_bench_chromium.py::test_chromium", "our home screen drawn vs Chromium's home page FCP", None),
    ("touch home->category", "touch to next screen drawn: home->category",
     "test_bench_ui.py::test_touch_to_next_screen", "chromium: click to painted: home->category",
     "test_bench_chromium.py::test_chromium_navigation", "lift to the frame drawn vs mouseup to the "
     "category page painted", None),
    ("touch category->service", "touch to next screen drawn: category->service",
     "test_bench_ui.py::test_touch_to_next_screen", "chromium: click to painted: category->service",
     "test_bench_chromium.py::test_chromium_navigation", "lift to the frame drawn vs mouseup to the "
     "service page painted", None),
) + tuple(
    (f"idle CPU, {ours} screen", f"idle CPU: {ours} screen, nobody touching",
     "test_bench_ui.py::test_idle_cpu", f"chromium: idle CPU, {theirs} page",
     "test_bench_chromium.py::test_chromium_idle", f"% of one core: our process on {ours} vs every "
     f"Chromium process on its {theirs} page", None)
    for ours, theirs in (("welcome", "home"), ("home", "home"), ("category", "category"),
                         ("service", "service")))


def _missing(ours, ours_test: str, theirs, theirs_test: str) -> dict:
    """The cell and the note of a comparison one side of which did not run."""
    if ours is None:
        return {"median": "no ours", "missing": f"ours: {ours_test} did not run"}
    return {"median": "no theirs", "missing": f"Chromium: {theirs_test} did not run"}


def _versus(ours: Optional[float], theirs: Optional[float]):
    """ours/theirs; when Chromium's figure is 0 (an idle page), the cell says so."""
    if ours is None or theirs is None:
        return None
    if theirs == 0:
        return 1.0 if ours == 0 else "theirs=0"
    return round(ours / theirs, 2)


def compare() -> None:
    """The ``ours vs chromium`` rows, from the figures both sides recorded for a size in this run
    (a comparison one side of which did not run says so in its cell)."""
    if any(r["name"].startswith("ours vs chromium") for r in _rows):
        return
    for size in sorted({r["size"] for r in _rows if r["size"]}):
        for name, ours_name, ours_test, theirs_name, theirs_test, how, limit in PAIRS:
            ours, theirs = _find(ours_name, size), _find(theirs_name, size)
            if ours is None and theirs is None:
                continue
            row_name = f"ours vs chromium: {name}"
            if ours is None or theirs is None:
                record(row_name, size, "ratio", **_missing(ours, ours_test, theirs, theirs_test), how=how)
                continue
            p95 = _versus(ours.get("p95"), theirs.get("p95"))
            extra = judge(p95 if isinstance(p95, float) else None, limit, "p95", "<=") if limit else {}
            record(row_name, size, "ratio", median=_versus(ours.get("median"), theirs.get("median")),
                   p95=p95, **extra, ours=ours.get("median"), theirs=theirs.get("median"),
                   ours_p95=ours.get("p95"), theirs_p95=theirs.get("p95"), how=how)
        ours = _find("peak memory: kiosk after home + biggest category", size)
        theirs = _find("chromium: category page, peak memory (sum RSS)", size)
        if ours is None and theirs is None:
            continue
        for what in ("RSS", "PSS"):
            row_name = f"ours vs chromium: memory, {what} (ours/theirs)"
            if ours is None or theirs is None:
                record(row_name, size, "ratio", **_missing(ours, "test_bench_ui.py::test_cold_start",
                                                            theirs, "test_bench_chromium.py::test_chromium"))
            elif what == "RSS":
                ratio = _ratio(ours["median"], theirs["median"])
                record(row_name, size, "ratio", median=ratio, p95=_ratio(ours["p95"], theirs["p95"]),
                       **judge(ratio, 0.5, "median", "<="), ours_mb=ours["median"],
                       theirs_mb=theirs["median"],
                       how="our VmHWM vs peak sum of RSS of all Chromium processes")
            else:
                ratio = _ratio(ours.get("pss_peak_mb"), theirs.get("pss_mb"))
                record(row_name, size, "ratio", median=ratio, **judge(ratio, 0.45, "median", "<="),
                       ours_mb=ours.get("pss_peak_mb"), theirs_mb=theirs.get("pss_mb"),
                       how="peak sum of PSS, sampled every 100 ms: shared pages counted once")


def write_table(name: str = "results") -> str | None:
    """The table printed and written to ``RESULTS/<name>.json`` and ``.txt``."""
    if not _rows:
        return None
    compare()
    for i, r in enumerate(_rows):
        r.setdefault("_seq", i)
    RESULTS.mkdir(parents=True, exist_ok=True)
    ordered = sorted(_rows, key=_order)
    meta = {"sizes": SIZES, "runs": RUNS, "wall_s": round(time.monotonic() - _started, 1),
            "machine": machine(), "when": time.strftime("%Y-%m-%d %H:%M:%S %z"), **load_note()}
    clean = [{k: v for k, v in r.items() if k != "_seq"} for r in ordered]
    (RESULTS / f"{name}.json").write_text(json.dumps({"meta": meta, "rows": clean}, indent=1,
                                                     ensure_ascii=False))
    text = render(meta, clean)
    (RESULTS / f"{name}.txt").write_text(text + "\n")
    return text


def render(meta: dict, table_rows: list[dict]) -> str:
    """The table and its footer, from what ``results.json`` holds."""
    table = format_table(table_rows)
    footer = (f"\n{len(table_rows)} rows; sizes {','.join(_size(s) for s in meta['sizes'])}; "
              f"session {meta['wall_s']:.0f} s; {meta['machine']}; load average at the end "
              f"{' '.join(meta['loadavg'])}")
    if meta.get("others_cpu_pct") is not None:
        footer += (f"; other processes used {meta['others_cpu_pct']}% of the machine's CPU "
                   "during the session")
        if meta["others_cpu_pct"] > 10:
            footer += " (figures are inflated: rerun on a quiet machine)"
    return table + "\n" + footer


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = read_kb(Path("/proc/meminfo"), "MemTotal") or 0
    return f"{os.cpu_count()} CPU {cpu}, {mem / 1024 / 1024:.0f} GiB RAM, Python {sys.version.split()[0]}"


# ------------------------------------------------------------------ files and caches


def file_digest(paths: Iterable[Path], extra: str = "") -> str:
    h = hashlib.sha256(extra.encode())
    for p in paths:
        h.update(Path(p).name.encode())
        h.update(Path(p).read_bytes())
    return h.hexdigest()[:12]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ------------------------------------------------------------------ /proc


def read_kb(path: Path, key: str) -> Optional[int]:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def status_kb(pid: int | str, key: str) -> Optional[int]:
    """A ``kB`` field of /proc/<pid>/status (VmHWM, VmRSS...)."""
    return read_kb(Path(f"/proc/{pid}/status"), key)


def rss_kb(pid: int) -> Optional[int]:
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * (os.sysconf("SC_PAGE_SIZE") // 1024)


def pss_kb(pid: int) -> Optional[int]:
    return read_kb(Path(f"/proc/{pid}/smaps_rollup"), "Pss")


def cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return 0


def children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                out += [int(x) for x in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants that are alive now."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p in found or not os.path.exists(f"/proc/{p}"):
            continue
        found.append(p)
        todo += children(p)
    return found


class TreeSampler:
    """Samples the memory of a process and all its descendants in a thread: the sum of RSS every
    ``interval`` s (statm), the sum of PSS every ``pss_every`` samples (smaps_rollup), and each
    process's VmHWM; keeps the peaks. ``cpu()`` is the CPU time of the tree (for quiescence)."""

    def __init__(self, pid: int, interval: float = 0.02, pss_every: int = 5):
        self.pid = pid
        self.interval = interval
        self.pss_every = pss_every
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.hwm_kb: dict[int, int] = {}
        self.pids: set[int] = set()
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="tree-sampler")
        self.frozen = False

    def start(self) -> "TreeSampler":
        self._thread.start()
        return self

    def _run(self) -> None:
        members: list[int] = [self.pid]
        n = 0
        while not self._stop.is_set():
            if n % 5 == 0:
                members = tree(self.pid) or members
                self.pids.update(members)
            if not self.frozen:
                self.sample(members, pss=(n % self.pss_every == 0))
            n += 1
            self._stop.wait(self.interval)

    def sample(self, members: list[int], pss: bool = False) -> None:
        total = sum(rss_kb(p) or 0 for p in members)
        self.peak_rss_kb = max(self.peak_rss_kb, total)
        if pss:
            self.peak_pss_kb = max(self.peak_pss_kb, sum(pss_kb(p) or 0 for p in members))
        self.samples += 1

    def read_hwm(self) -> int:
        """Sum of VmHWM of the tree's processes alive now (each one's own peak)."""
        for p in tree(self.pid):
            hwm = status_kb(p, "VmHWM")
            if hwm:
                self.hwm_kb[p] = max(self.hwm_kb.get(p, 0), hwm)
        return sum(self.hwm_kb.values())

    def freeze(self) -> None:
        """Stop counting peaks (the measured phase is over) but keep the thread for cpu()."""
        self.sample(tree(self.pid), pss=True)
        self.frozen = True

    def cpu(self) -> int:
        return sum(cpu_ticks(p) for p in tree(self.pid))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)


def wait_quiet(sampler: TreeSampler, *, window: float = 0.4, threshold: float = 0.04,
               timeout: float = 20.0, min_wait: float = 0.3) -> float:
    """Wait until the tree used less than ``threshold`` of one CPU over ``window`` s; returns the
    seconds waited."""
    hz = os.sysconf("SC_CLK_TCK")
    t0 = time.monotonic()
    time.sleep(min_wait)
    last_t, last_cpu = time.monotonic(), sampler.cpu()
    while time.monotonic() - t0 < timeout:
        time.sleep(window)
        now, cpu = time.monotonic(), sampler.cpu()
        if (cpu - last_cpu) / hz / (now - last_t) < threshold:
            break
        last_t, last_cpu = now, cpu
    return time.monotonic() - t0


# ------------------------------------------------------------------ child processes


def python() -> str:
    return sys.executable


def run_json(args: list[str], *, timeout: float = 900, env: Optional[dict] = None,
             what: str = "") -> dict:
    """Run a probe script (``python args...``); its last stdout line is JSON. Fails the test
    with the script's stderr when it does not give one."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run([python(), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=full_env, cwd=str(ROOT))
    lines = [l for l in proc.stdout.strip().splitlines() if l.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{what or args[0]} failed (exit {proc.returncode}):\n"
                           f"{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}")
    return json.loads(lines[-1])


def mb(kb: Optional[int]) -> Optional[float]:
    return None if kb is None else round(kb / 1024, 1)


# ------------------------------------------------------------------ the catalogue

#: The moment opening hours are judged at in the UI probes: a Wednesday morning, Europe/Tirane.
FIXED_NOW = "2026-11-25T10:30:00"


def catalogue_facts(db: Path) -> dict:
    """The biggest top-level category of the database at ``db`` and its first service."""
    from datetime import datetime

    from kiosk.catalogue import queries
    from kiosk.catalogue.store import Catalogue

    cat = Catalogue(Path(db))
    try:
        with cat.session() as s:
            tops = queries.top_categories(s, "sq")
            top = max(tops, key=lambda c: c.service_count)
            rows = queries.rows_at(s, queries.category_listing(s, top.id, "sq"),
                                   datetime.fromisoformat(FIXED_NOW))
            services = cat.info().service_count
        return {"top_id": top.id, "top_name": top.name, "top_count": len(rows),
                "categories": len(tops), "service_id": rows[0].id, "service_name": rows[0].name,
                "services": services}
    finally:
        cat.dispose()


try:
    _cpu_start = (_machine_busy(), _our_busy())
except (OSError, ValueError, IndexError):
    pass


if __name__ == "__main__":
    # The table again from bench-results/results.json (the run's figures are written there first).
    saved = json.loads((RESULTS / "results.json").read_text())
    text = render(saved["meta"], saved["rows"])
    (RESULTS / "results.txt").write_text(text + "\n")
    print(text)

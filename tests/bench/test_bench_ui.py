"""UI figures of the real kiosk under Xvfb: cold start and peak memory, touch to next screen drawn,
search keystroke to results drawn, frame times while a list scrolls.

Every figure comes from a child process (Kivy runs one app per process, and a cold start must be
one): ``coldstart_probe.py`` (the ``kiosk --windowed`` start-up path, unchanged, timed from the
parent's spawn) and ``ui_latency.py`` (screens, search, scroll; see kivyharness.py for how touches
are made and how "drawn" is detected). The app runs on a private copy of the cached catalogue
database (``kiosk_data_dir``). Nothing here asserts anything about speed.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchlib import (HERE, ROOT, RUNS, SIZES, TreeSampler, judge, record, run_json,
                      summarize)

pytestmark = pytest.mark.bench

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
WORDS = int(os.environ.get("BENCH_WORDS", "8"))
#: the "every service in one list" scroll run is made up to this many rows
SCROLL_ALL_MAX = int(os.environ.get("BENCH_SCROLL_ALL_MAX", "100000"))


@pytest.fixture(autouse=True)
def _display():
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        pytest.skip("no display: run under xvfb-run (make bench does)")


def med(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 1) if values else None


# ------------------------------------------------------------------ cold start


def _span(marks: dict, start: str, end: str):
    return marks[end] - marks[start] if start in marks and end in marks else None


def cold_start_once(data_dir: Path, top_id: str, out: Path) -> dict:
    env = dict(os.environ, KIOSK_DATA_DIR=str(data_dir), BENCH_COLDSTART_OUT=str(out),
               BENCH_TOP_ID=top_id)
    env.pop("KIOSK_CONFIG", None)
    out.unlink(missing_ok=True)
    spawn = time.monotonic()
    proc = subprocess.Popen([sys.executable, str(HERE / "coldstart_probe.py")], env=env, cwd=str(ROOT),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(proc.pid).start()
    try:
        stdout, stderr = proc.communicate(timeout=600)
    finally:
        sampler.stop()
    exited = time.monotonic()
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"cold start probe failed (exit {proc.returncode}):\n{stdout[-2000:]}\n{stderr[-4000:]}")
    data = json.loads(out.read_text())
    m = {k: (v - spawn if not k.endswith("_s") else v) for k, v in data["marks"].items()}
    return {"welcome": m["welcome_drawn"], "python": m["main"], "imports": m["imported"] - m["main"],
            "create_app": m["app_created"] - m["create_app"], "open_db": m.get("open_catalogue_s"),
            "first_frame": m["welcome_drawn"] - m["app_created"],
            "home": m["welcome_drawn"] + (m["home_drawn"] - m["home_started"]),
            "category_after_home": m["category_drawn"] - m["home_drawn"],
            "config": m["create_app"] - m["imported"],
            "bootstrap": _span(m, "bootstrap", "bootstrapped"), "window": _span(m, "create_app", "window"),
            "welcome_built": _span(m, "build", "welcome_built"), "to_build": m.get("build"),
            "first_frame_after_build": _span(m, "welcome_built", "welcome_drawn"),
            "screens_ready": m.get("screens_ready"),
            # touches are answered once the pieces exist: made after the first frame by `run`
            "touch_ready": max(m["welcome_drawn"], m.get("bootstrapped", 0)),
            "bootstrap_imports": _span(m, "bootstrap", "bootstrap_imported"),
            "pss_first_frame_kb": data["memory"].get("first_frame", {}).get("Pss"),
            "pss_welcome_kb": data["memory"].get("screens_ready", {}).get("Pss"),
            "hwm_welcome_kb": data["memory"]["welcome"]["VmHWM"], "hwm_end_kb": data["memory"]["end"]["VmHWM"],
            "peak_pss_kb": sampler.peak_pss_kb, "peak_rss_kb": sampler.peak_rss_kb,
            "exit_after_s": exited - spawn}


@pytest.mark.parametrize("size", SIZES)
def test_cold_start(size, kiosk_data_dir, catalogue_facts, tmp_path):
    facts = catalogue_facts(size)
    data = kiosk_data_dir(size)
    cold_start_once(data, facts["top_id"], tmp_path / "warm.json")   # warm-up: page cache, .pyc
    runs = [cold_start_once(data, facts["top_id"], tmp_path / f"run{i}.json") for i in range(RUNS)]
    ms = lambda key: [r[key] * 1000 for r in runs if r[key] is not None]  # noqa: E731
    welcome = summarize(ms("welcome"))
    record("cold start: spawn to first drawn welcome screen", size, "ms", **welcome,
           **(judge(welcome["p95"], 1200) if size == 10000 else {}),
           python=med(ms("python")), imports=med(ms("imports")), create_app=med(ms("create_app")),
           open_db=med(ms("open_db")), first_frame=med(ms("first_frame")))
    ready = summarize(ms("touch_ready"))
    record("cold start: spawn to touches answered (every piece made)", size, "ms", **ready,
           how="the later of the first drawn welcome and the pieces made after it")
    phases = (("interpreter up (spawn to main.py's first line)", "python"),
              ("kiosk imported (Python imports before the window)", "imports"),
              ("configuration read (imports to create_app)", "config"),
              ("after the first frame: catalogue, sync and the rest (build_pieces)", "bootstrap"),
              ("  of which their imports (SQLAlchemy, the catalogue)", "bootstrap_imports"),
              ("database opened (open_catalogue)", "open_db"),
              ("Kivy window made (create_app to window)", "window"),
              ("welcome screen built (App.build)", "welcome_built"),
              ("built to first frame drawn (on_start, layout, draw)", "first_frame_after_build"),
              ("every other visitor screen built (spawn to all ready)", "screens_ready"))
    for label, key in phases:
        values = ms(key)
        if values:
            record(f"cold start phase: {label}", size, "ms", **summarize(values))
    pss = [r["pss_first_frame_kb"] / 1024 for r in runs if r.get("pss_first_frame_kb")]
    if pss:
        record("memory: kiosk PSS at its first frame (welcome only)", size, "MB", **summarize(pss),
               how="sum of Pss, /proc/PID/smaps_rollup")
    pss = [r["pss_welcome_kb"] / 1024 for r in runs if r.get("pss_welcome_kb")]
    if pss:
        record("memory: kiosk PSS on welcome, every visitor screen built", size, "MB", **summarize(pss),
               how="sum of Pss, /proc/PID/smaps_rollup")
    record("cold start: to home screen drawn (categories)", size, "ms", **summarize(ms("home")),
           how="welcome + home drawn after app.start()")
    record("peak memory: kiosk on its welcome screen", size, "MB",
           **summarize([r["hwm_welcome_kb"] / 1024 for r in runs]), how="VmHWM")
    record("peak memory: kiosk after home + biggest category", size, "MB",
           **summarize([r["hwm_end_kb"] / 1024 for r in runs]), how="VmHWM at exit",
           pss_peak_mb=med([r["peak_pss_kb"] / 1024 for r in runs]),
           category_rows=facts["top_count"])


def floor_once(what: str, out: Path) -> dict:
    out.unlink(missing_ok=True)
    env = dict(os.environ, BENCH_FLOOR_OUT=str(out))
    spawn = time.monotonic()
    proc = subprocess.run([sys.executable, str(HERE / "floor_probe.py"), what], env=env, cwd=str(ROOT),
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"floor probe {what} failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    data = json.loads(out.read_text())
    done = data.get("first_frame", data.get("imported"))
    return {"ms": (done - spawn) * 1000, "pss_mb": data["pss_kb"] / 1024}


def test_floor(tmp_path):
    """What the stack costs before the kiosk builds anything, beside the cold start: a bare Kivy
    app's first frame and memory, and Python with the kiosk's modules imported (no window)."""
    for what, label, when in (("kivy", "bare Kivy app", "first frame"),
                              ("imports", "kiosk.app and kiosk.bootstrap imported", "no window")):
        floor_once(what, tmp_path / "warm.json")       # page cache, .pyc
        runs = [floor_once(what, tmp_path / f"{what}{i}.json") for i in range(RUNS)]
        record(f"cold start floor: {label}, {when}", None, "ms", **summarize([r["ms"] for r in runs]),
               how=f"floor_probe.py {what}, timed from the parent's spawn as the cold start is")
        record(f"memory: floor, {label}, {when}", None, "MB", **summarize([r["pss_mb"] for r in runs]),
               how="sum of Pss, /proc/PID/smaps_rollup")


# ------------------------------------------------------------------ touch to next screen


def _parts(step: dict, keys=("first_frame", "to_app", "fetch", "apply", "to_frame")) -> dict:
    out = {k: med(step[k]) for k in keys if k in step}
    if step.get("gc"):
        out["gc_max"] = round(max(step["gc"]), 1)     # the worst collection pause in a sample
    return out


@pytest.mark.parametrize("size", SIZES)
def test_touch_to_next_screen(size, kiosk_data_dir, catalogue_facts):
    facts = catalogue_facts(size)
    rounds = ROUNDS if size < 100000 else max(5, ROUNDS * 2 // 3)
    out = run_json([HERE / "ui_latency.py", "screens", kiosk_data_dir(size), facts["top_id"], rounds],
                   timeout=3600, what="ui_latency.py screens")
    for step in ("welcome->home", "home->category", "category->service"):
        s = summarize(out[step]["total"])
        extra = {"rows": facts["top_count"]} if step == "home->category" else {}
        record(f"touch to next screen drawn: {step}", size, "ms", **s, **judge(s["p95"], 100),
               **_parts(out[step]), frames=med(out[step]["frames_waited"]), **extra)


# ------------------------------------------------------------------ search keystrokes


@pytest.mark.parametrize("size", SIZES)
def test_search_keystroke(size, kiosk_data_dir, catalogue_facts):
    out = run_json([HERE / "ui_latency.py", "search", kiosk_data_dir(size), "-", WORDS],
                   timeout=3600, what="ui_latency.py search")["keystroke"]
    s = summarize(out["total"])
    target = judge(s["p95"], 50) if size == 10000 else judge(s["p95"], 80) if size == 100000 else {}
    record("search keystroke to results drawn", size, "ms", **s, **target,
           to_query=med(out.get("to_query", [])), query=med(out.get("query", [])),
           apply=med(out.get("apply", [])), to_frame=med(out.get("to_frame", [])),
           frames=med(out["frames_waited"]), results=med(out["results"]),
           gc_max=round(max(out.get("gc") or [0]), 1))


# ------------------------------------------------------------------ scrolling


def _frames(name: str, size: int, part: dict) -> None:
    frames = part.get("frame") or []
    if not frames:
        record(name, size, "ms", median=None, p95=None, rows=part.get("rows"),
               skipped=part.get("skipped", "nothing to scroll"))
        return
    over = sum(1 for f in frames if f > 1000 / 60) / len(frames) * 100
    s = summarize(frames)
    record(name, size, "ms", **s, over_16_7ms_pct=round(over, 1),
           fps=round(1000 / statistics.mean(frames), 1), rows=part.get("rows"))


@pytest.mark.parametrize("size", SIZES)
def test_scroll(size, kiosk_data_dir, catalogue_facts):
    facts = catalogue_facts(size)
    out = run_json([HERE / "ui_latency.py", "scroll", kiosk_data_dir(size), facts["top_id"],
                    SCROLL_ALL_MAX], timeout=3600, what="ui_latency.py scroll")
    _frames("scroll: biggest category list, frame time", size, out["category"])
    _frames("scroll: every service in the list, frame time", size, out["all"])
    if out["all"].get("fill"):
        record("scroll: fill the list with every service", size, "ms", **summarize(out["all"]["fill"]),
               rows=out["all"]["rows"], how="rv.data set to first frame drawn")


# ------------------------------------------------------------------ idle


IDLE_SECONDS = float(os.environ.get("BENCH_IDLE_SECONDS", "10"))


@pytest.mark.parametrize("size", SIZES)
def test_idle_cpu(size, kiosk_data_dir):
    """CPU of the kiosk's process while nobody touches it, on each screen (Xvfb not counted)."""
    out = run_json([HERE / "idle_probe.py", kiosk_data_dir(size), IDLE_SECONDS], timeout=900,
                   what="idle_probe.py")
    for screen, m in out.items():
        s = summarize(m["cpu_percent"])
        record(f"idle CPU: {screen} screen, nobody touching", size, "%", **s, **judge(s["p95"], 3, op="<="),
               fps=med(m["fps"]), how=f"process CPU time / wall time, 3 x {IDLE_SECONDS:g} s")


# ------------------------------------------------------------------ memory under continuous use


SOAK_BENCH_EVENTS = int(os.environ.get("BENCH_SOAK_EVENTS", "5000"))


def test_memory_after_monkey_events(tmp_path):
    """RSS of the UI test app after 2,000 monkey events (warm) and after BENCH_SOAK_EVENTS,
    never resting on the welcome screen (the soak of tests/ui/test_monkey.py, seed 7)."""
    out = tmp_path / "soak.json"
    env = dict(os.environ, KIOSK_SOAK_EVENTS=str(SOAK_BENCH_EVENTS), KIOSK_SOAK_WARMUP="2000",
               KIOSK_SOAK_OUT=str(out))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-m", "stress", "-p", "no:cacheprovider",
                           "tests/ui/test_monkey.py::test_soak_memory_stays_flat"],
                          cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=7200)
    if not out.exists():
        raise RuntimeError(f"soak failed (exit {proc.returncode}):\n{proc.stdout[-3000:]}")
    data = json.loads(out.read_text())
    growth = data["end_mb"] - data["warm_mb"]
    record(f"memory: growth over {SOAK_BENCH_EVENTS:,} monkey events, no welcome rest", None, "MB",
           median=round(growth, 1), p95=round(growth, 1), n=1, **judge(growth, 50, op="<="),
           warm_mb=data["warm_mb"], end_mb=data["end_mb"], seconds=data["seconds"],
           gc_full_max_ms=data["gc"]["full_max_ms"], gc_full=data["gc"]["full"])

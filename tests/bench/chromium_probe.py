"""Debian's Chromium showing one page, as a lobby directory in kiosk mode would: start to first
contentful paint, and the peak memory of all its processes.

    python tests/bench/chromium_probe.py FILE.html [RUNS]

For each run: a fresh profile directory; ``time.time()`` noted just before spawning
``/usr/bin/chromium --headless=new --kiosk ... file:///FILE.html`` (the page is on the command
line, as FullPageOS and Porteus Kiosk start it; Debian's launcher script ``exec``s the browser, so
the spawned pid is the browser process). A thread samples the whole process tree (the pid and its
descendants, found through /proc/<pid>/task/*/children): the sum of RSS every 20 ms and the sum of
PSS (smaps_rollup, which shares pages between processes fairly) every 100 ms, keeping the peaks.
When the tree has used less than 4 % of a CPU for 0.4 s (the page is loaded and painted), the
peaks are frozen, each process's VmHWM is read, and only then does Playwright attach over the
DevTools protocol (``connect_over_cdp``; attaching earlier would compete for the 2 CPUs) to read
``performance.timeOrigin`` and the ``first-contentful-paint`` entry: start to first paint =
timeOrigin + FCP - spawn time (both on the system's wall clock). The browser is then terminated
(SIGTERM to its pid; SIGKILL for any of its processes still alive 5 s later).

Prints one JSON line.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import TreeSampler, tree, wait_quiet  # noqa: E402

CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")

READ_TIMING = """async () => {
  const paint = performance.getEntriesByType('paint');
  const nav = performance.getEntriesByType('navigation')[0] || {};
  const lcp = await new Promise(resolve => {
    try {
      new PerformanceObserver(list => { const e = list.getEntries(); resolve(e[e.length - 1].startTime); })
        .observe({type: 'largest-contentful-paint', buffered: true});
    } catch (e) { resolve(null); }
    setTimeout(() => resolve(null), 500);
  });
  const find = name => (paint.find(e => e.name === name) || {}).startTime;
  return {timeOrigin: performance.timeOrigin, fp: find('first-paint'), fcp: find('first-contentful-paint'),
          lcp: lcp, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          nodes: document.getElementsByTagName('*').length};
}"""


def flags(profile: Path) -> list[str]:
    out = ["--headless=new", "--kiosk", f"--user-data-dir={profile}", "--no-first-run",
           "--no-default-browser-check", "--window-size=1280,800", "--remote-debugging-port=0",
           "--disable-session-crashed-bubble", "--noerrdialogs"]
    if os.geteuid() == 0:
        out.append("--no-sandbox")      # Chromium refuses to run as root with its sandbox
    return out


def one_run(url: str) -> dict:
    from playwright.sync_api import sync_playwright

    profile = Path(tempfile.mkdtemp(prefix="bench-chromium-"))
    spawn_wall = time.time()
    proc = subprocess.Popen([CHROMIUM, *flags(profile), url], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    sampler = TreeSampler(proc.pid).start()
    try:
        waited = wait_quiet(sampler)
        sampler.freeze()
        hwm = sampler.read_hwm()
        processes = len(tree(proc.pid))
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 20
        while not port_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        with sync_playwright() as p:
            browser = p.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
            pages = [pg for ctx in browser.contexts for pg in ctx.pages if pg.url.startswith("file:")]
            timing = pages[0].evaluate(READ_TIMING)
            browser.close()
    finally:
        sampler.stop()
        pids = sorted(sampler.pids | set(tree(proc.pid)))
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        for pid in pids:                     # the browser's own children, by pid, if any is left
            if pid != proc.pid and os.path.exists(f"/proc/{pid}"):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        shutil.rmtree(profile, ignore_errors=True)
    origin = timing["timeOrigin"]
    ms = lambda v: None if v is None else round(origin + v - spawn_wall * 1000, 1)  # noqa: E731
    return {"fcp_ms": ms(timing["fcp"]), "fp_ms": ms(timing["fp"]), "lcp_ms": ms(timing["lcp"]),
            "load_ms": ms(timing["load"]), "navigation_start_ms": round(origin - spawn_wall * 1000, 1),
            "peak_rss_kb": sampler.peak_rss_kb, "peak_pss_kb": sampler.peak_pss_kb, "sum_hwm_kb": hwm,
            "processes": processes, "quiet_after_s": round(waited, 2), "nodes": timing["nodes"]}


def main() -> None:
    page = Path(sys.argv[1]).resolve()
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    one_run(page.as_uri())                   # warm-up (disk cache of the browser's files), dropped
    results = [one_run(page.as_uri()) for _ in range(runs)]
    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    print(json.dumps({"runs": results, "version": version}))


if __name__ == "__main__":
    main()

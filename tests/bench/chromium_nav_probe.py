"""Debian's Chromium in kiosk mode on the static directory (htmlpage.py): its own navigation, and
its CPU while nobody touches it.

    python tests/bench/chromium_nav_probe.py nav SITE_DIR [ROUNDS]
    python tests/bench/chromium_nav_probe.py idle SITE_DIR [SECONDS]

**Navigation** (``nav``, ROUNDS default 15). One browser (``/usr/bin/chromium --headless=new --kiosk``, the flags of
chromium_probe.py) is started on the site's ``index.html``; Playwright attaches over the DevTools
protocol (``connect_over_cdp``: Debian's Chromium, Playwright downloads no browser) and adds one
init script to every document the tab loads (the pages have no script of their own): it notes the
``mouseup`` event's time (``performance.timeOrigin + event.timeStamp``, the wall clock) in
``sessionStorage``, and on the new page the time of the first task after the first animation
frame that follows the ``load`` event (the page laid out and painted in full: "complete").
ROUNDS + 1 rounds (the first warms the caches and is dropped), each:

* ``home->category``: go to ``index.html``, wait for its load and 0.3 s (the visitor looks), press
  the mouse on the biggest category's card (``a[href="category.html"]``, scrolled into view
  beforehand), hold 50 ms, release; wait for ``category.html`` to load;
* ``category->service``: 0.3 s later, the same on the category page's first row
  (``a[href="service/0.html"]``, the first service, the row the kiosk's bench taps).

From the release (mouseup) to the page painted in full (``painted``: the later of its first
contentful paint and the task after the first frame after load; on these pages the first paint
usually comes after load, so it is the FCP), and to each part: the new page's ``first-contentful-paint`` entry (``fcp``, Chromium
stamps it with the frame's presentation time), its ``largest-contentful-paint`` (``lcp``), its
``loadEventEnd`` (``load``) and the task after the first frame after load (``complete``). The
times are on one wall clock (both pages' ``timeOrigin``); the click is made with real input events
(``Input.dispatchMouseEvent``), so Chromium's hit testing, link activation, navigation, parsing,
style, layout and paint are all inside the figure, as the kiosk's touch -> next screen drawn holds
its touch dispatch, page build, layout and the buffer swap.

**Idle CPU** (``idle``, SECONDS default 10). For each page (home, category, service) a fresh browser is started with
the page on its command line (no DevTools client attached), left until the whole process tree used
less than 4 % of a CPU for 0.4 s, then 2 s more, then measured in three windows of IDLE_SECONDS
each: CPU time (utime + stime from /proc/PID/stat) summed over every process of the tree (a
process started during a window counts in full, one that ended is counted up to its last
reading), divided by the wall time: percent of one core, as idle_probe.py measures the kiosk's
process (there with ``time.process_time``, every thread).

Prints one JSON line: ``{"nav": {step: {"fcp": [ms..], ...}}, "clock": "event" | "python"}`` (the
release's time as the page noted it, or Python's clock just before sending it) or ``{"idle": {page:
{"cpu_percent": [..], "processes": n}}}``, with ``"version"``.
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

from benchlib import TreeSampler, cpu_ticks, tree, wait_quiet  # noqa: E402
from chromium_probe import CHROMIUM, flags  # noqa: E402

HOLD_MS = 50
LOOK_S = 0.3
IDLE_WINDOWS = 3

#: Runs in every document of the tab before the page itself (Page.addScriptToEvaluateOnNewDocument).
INIT_SCRIPT = """(() => {
  addEventListener('mouseup', e => {
    try { sessionStorage.setItem('bench_up', String(performance.timeOrigin + e.timeStamp)); } catch (x) {}
  }, {capture: true});
  addEventListener('load', () => requestAnimationFrame(() => setTimeout(() => {
    window.__bench_complete = performance.now();
  }, 0)));
})();"""

#: Read on the new page once it has loaded: its paint entries and the click's time.
READ_NAV = """async () => {
  const wait = (test, ms) => new Promise(resolve => {
    const t0 = performance.now();
    const poll = () => (test() || performance.now() - t0 > ms) ? resolve() : setTimeout(poll, 5);
    poll();
  });
  const fcp = () => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime;
  await wait(() => fcp() !== undefined && window.__bench_complete !== undefined, 10000);
  const lcp = await new Promise(resolve => {
    try {
      new PerformanceObserver(list => { const e = list.getEntries(); resolve(e[e.length - 1].startTime); })
        .observe({type: 'largest-contentful-paint', buffered: true});
    } catch (e) { resolve(null); }
    setTimeout(() => resolve(null), 300);
  });
  const nav = performance.getEntriesByType('navigation')[0] || {};
  let up = null;
  try { up = sessionStorage.getItem('bench_up'); sessionStorage.removeItem('bench_up'); } catch (x) {}
  return {origin: performance.timeOrigin, fcp: fcp() ?? null, lcp: lcp,
          load: nav.loadEventEnd || null, complete: window.__bench_complete ?? null,
          up: up === null ? null : Number(up), url: location.href,
          nodes: document.getElementsByTagName('*').length};
}"""


class Browser:
    """One Chromium, kiosk flags, on ``url``; ended by pid (SIGTERM, then SIGKILL 5 s later)."""

    def __init__(self, url: str):
        self.profile = Path(tempfile.mkdtemp(prefix="bench-chromium-"))
        self.proc = subprocess.Popen([CHROMIUM, *flags(self.profile), url], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        self.sampler = TreeSampler(self.proc.pid).start()

    def port(self) -> int:
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 20
        while not port_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return int(port_file.read_text().split()[0])

    def close(self) -> None:
        self.sampler.stop()
        pids = sorted(self.sampler.pids | set(tree(self.proc.pid)))
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        for pid in pids:                     # the browser's own children, by pid, if any is left
            if pid != self.proc.pid and os.path.exists(f"/proc/{pid}"):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        shutil.rmtree(self.profile, ignore_errors=True)


def idle(url: str, seconds: float) -> dict:
    hz = os.sysconf("SC_CLK_TCK")
    b = Browser(url)
    try:
        wait_quiet(b.sampler)
        time.sleep(2.0)
        out = {"cpu_percent": [], "processes": 0}
        for _ in range(IDLE_WINDOWS):
            before = {p: cpu_ticks(p) for p in tree(b.proc.pid)}
            t0 = time.monotonic()
            last = dict(before)
            end = t0 + seconds
            while time.monotonic() < end:     # read every second: a process that ends keeps its last figure
                time.sleep(min(1.0, max(0.0, end - time.monotonic())))
                for p in tree(b.proc.pid):
                    last[p] = max(last.get(p, 0), cpu_ticks(p))
            wall = time.monotonic() - t0
            ticks = sum(last[p] - before.get(p, 0) for p in last)
            out["cpu_percent"].append(round(100 * ticks / hz / wall, 2))
            out["processes"] = max(out["processes"], len(last))
        return out
    finally:
        b.close()


def click(page, selector: str) -> float:
    """Real mouse events on the element's centre: down, HOLD_MS, up. Returns the wall-clock ms
    just before the release was sent (used when the page could not note the event's own time)."""
    link = page.locator(selector).first
    link.scroll_into_view_if_needed()
    box = link.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 20)
    page.mouse.move(x, y)
    page.mouse.down()
    time.sleep(HOLD_MS / 1000)
    t_up = time.time() * 1000
    page.mouse.up()
    return t_up


def navigation(site: Path, rounds: int) -> tuple[dict, str]:
    from playwright.sync_api import sync_playwright

    index = (site / "index.html").as_uri()
    steps = {"home->category": ("a[href=\"category.html\"]", "category.html"),
             "category->service": ("a[href=\"service/0.html\"]", "service/0.html")}
    out = {name: {k: [] for k in ("painted", "fcp", "lcp", "load", "complete", "nodes")} for name in steps}
    clocks = set()
    b = Browser(index)
    try:
        wait_quiet(b.sampler)
        with sync_playwright() as p:
            browser = p.chromium.connect_over_cdp(f"http://127.0.0.1:{b.port()}")
            page = next(pg for ctx in browser.contexts for pg in ctx.pages if pg.url.startswith("file:"))
            page.add_init_script(INIT_SCRIPT)
            for r in range(rounds + 1):
                page.goto(index, wait_until="load")
                for name, (selector, target) in steps.items():
                    time.sleep(LOOK_S)
                    with page.expect_navigation(url=f"**/{target}", wait_until="load", timeout=60000):
                        t_up = click(page, selector)
                    t = page.evaluate(READ_NAV)
                    up = t["up"]
                    clocks.add("event" if up is not None else "python")
                    up = up if up is not None else t_up
                    if r == 0:
                        continue                      # warm-up round
                    got = {k: None if t[k] is None else round(t["origin"] + t[k] - up, 2)
                           for k in ("fcp", "lcp", "load", "complete")}
                    for k, v in got.items():
                        out[name][k].append(v)
                    done = [v for v in (got["fcp"], got["complete"]) if v is not None]
                    out[name]["painted"].append(max(done) if done else None)
                    out[name]["nodes"].append(t["nodes"])
            browser.close()
    finally:
        b.close()
    return out, "+".join(sorted(clocks))


def main() -> None:
    mode, site = sys.argv[1], Path(sys.argv[2]).resolve()
    if mode == "nav":
        nav, clock = navigation(site, int(sys.argv[3]) if len(sys.argv) > 3 else 15)
        out = {"nav": nav, "clock": clock}
    elif mode == "idle":
        seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
        out = {"idle": {name: idle((site / page).as_uri(), seconds)
                        for name, page in (("home", "index.html"), ("category", "category.html"),
                                           ("service", "service/0.html"))}}
    else:
        raise SystemExit(f"unknown mode {mode!r}: nav or idle")
    out["version"] = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    print(json.dumps(out))


if __name__ == "__main__":
    main()

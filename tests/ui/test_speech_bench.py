"""Measured, not run by ``make test`` (``make bench``): a touch on Listen -> the first audio chunk
written to the sound device, and the memory the engine adds. Prints the figures for docs/speech.md."""
from __future__ import annotations

import os
import statistics
import threading
import time

import pytest

pytestmark = [pytest.mark.ui, pytest.mark.bench]


def pss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))


def test_touch_on_listen_to_first_audio(ui):
    from kiosk.speech.engine import EspeakEngine

    app, speech = ui.app, ui.app.speech
    before = pss_kib(os.getpid())
    engine = EspeakEngine(device="null")
    speech.use_engine(engine)
    heard = threading.Event()
    moments: list[float] = []
    inner = engine.listener

    def listener(name, number):
        if name == "audio":
            moments.append(time.perf_counter())
            heard.set()
        inner(name, number)

    engine.listener = listener
    ui.tap(ui.button("Shqip"))
    button = ui.bar.ids.listen
    x, y = ui.center_of(button)
    delays, children = [], []
    for _ in range(20):
        speech.stop()
        ui.pump(2)
        heard.clear()
        touch = ui.touch_down(x, y)
        ui.pump(1)
        started = time.perf_counter()
        ui.touch_up(touch)
        ui.pump(1)
        assert heard.wait(5)
        delays.append(moments[-1] - started)
        job = engine._job
        if job is not None:
            children += [pss_kib(p.pid) for p in job.procs if p.poll() is None]
    after = pss_kib(os.getpid())
    delays.sort()
    median, p95 = statistics.median(delays), delays[int(0.95 * len(delays)) - 1]
    print(f"\ntouch on Listen -> first audio chunk: median {median * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms (20 runs)")
    print(f"kiosk process PSS before the engine {before} KiB, after 20 readings {after} KiB "
          f"(+{after - before} KiB); espeak-ng/aplay while speaking: "
          f"{max(children) if children else 0} KiB largest, {len(children)} samples")
    speech.reset()
    engine.close()

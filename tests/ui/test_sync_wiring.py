"""The catalogue sync wired into the app: staged feeds are applied on the welcome screen, the
staff panel's "Sync now" goes through the sync scheduler, and nothing syncs without a feed URL."""
from __future__ import annotations

import queue
import threading
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.ui


class FakeUpdates:
    def __init__(self):
        self.on_pending = None
        self.pending = False
        self.started = self.stopped = 0
        self.applied = 0

    def start(self, on_pending=None):
        self.started += 1
        self.on_pending = on_pending

    def stop(self, timeout=10.0):
        self.stopped += 1

    def has_pending(self):
        return self.pending

    def apply_pending_async(self, callback):
        self.pending = False
        self.applied += 1
        threading.Thread(target=callback, args=(SimpleNamespace(ok=True, version=2),), daemon=True).start()

    def sync_now(self, callback):
        threading.Thread(target=callback, args=(SimpleNamespace(ok=True, outcome="updated", detail=""),),
                         daemon=True).start()


def test_no_sync_without_a_feed_url(ui):
    app = ui.app
    assert app.updates is None and app.kiosk.updates is None and app.operations.updates is None
    assert app.reads.sync_status is None and app.reads.asset_path is None
    assert app.printer.heartbeat_state() == "not_configured"  # [printer] kind = "none"


def test_sync_is_wired_to_the_app(ui, monkeypatch):
    app = ui.app
    sync = FakeUpdates()
    monkeypatch.setattr(app, "updates", sync)
    monkeypatch.setattr(app.operations, "updates", sync)
    changed = []
    monkeypatch.setattr(app, "catalogue_changed", lambda: changed.append(app.sm.current))
    app.start_updates()
    assert sync.started == 1
    # a staged feed waits while a visitor uses the kiosk...
    ui.tap(ui.button("English"))
    sync.pending = True
    threading.Thread(target=sync.on_pending, args=(2,)).start()
    ui.run_for(0.2)
    assert sync.applied == 0 and changed == []
    # ...and is applied when the welcome screen shows; the screens then reload
    ui.go_welcome()
    ui.wait_until(lambda: changed == ["welcome"], what="catalogue_changed")
    assert sync.applied == 1
    # a feed staged while the kiosk idles on its welcome screen is applied at once
    sync.pending = True
    threading.Thread(target=sync.on_pending, args=(3,)).start()
    ui.wait_until(lambda: len(changed) == 2, what="the second catalogue")
    assert sync.applied == 2
    # staff "Sync now" runs through the sync scheduler, without holding a worker thread
    results: queue.Queue = queue.Queue()
    app.operations.sync_now(results.put)
    result = results.get(timeout=5)
    assert result.ok and result.code == "ok" and app.operations.last_sync is result
    app.stop_updates()
    assert sync.stopped == 1

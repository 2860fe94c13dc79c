"""The catalogue sync wired into the app: staged feeds are applied on the welcome screen, the
staff panel's "Sync now" goes through the sync service, and nothing syncs without a feed URL."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.ui


class FakeSync:
    def __init__(self, config, catalogue, *, deferred, on_pending, printer_state):
        self.deferred = deferred
        self.on_pending = on_pending
        self.printer_state = printer_state
        self.pending = False
        self.started = self.stopped = 0
        self.applied = 0

    def start(self):
        self.started += 1

    def stop(self, timeout=10.0):
        self.stopped += 1

    def has_pending(self):
        return self.pending

    def apply_pending_async(self, callback):
        self.pending = False
        self.applied += 1
        callback(SimpleNamespace(ok=True, version=2))

    def sync_now(self, callback):
        import threading

        threading.Thread(target=callback, args=(SimpleNamespace(ok=True, outcome="updated", detail=""),),
                         daemon=True).start()


class FakeApp:
    def __init__(self):
        self.welcome_hooks = []
        self.bound = {}
        self.changed = 0
        self.sm = SimpleNamespace(current="home")
        self.operations = None
        self.services = SimpleNamespace(asset_path=None, sync_status=None)

    def bind(self, **handlers):
        self.bound.update(handlers)

    def catalogue_changed(self):
        self.changed += 1


def _config(feed_url):
    return SimpleNamespace(sync=SimpleNamespace(feed_url=feed_url), printer=SimpleNamespace(kind="none"))


def test_no_sync_without_a_feed_url(ui):
    from kiosk.app import attach_sync

    assert getattr(ui.app, "sync_service", None) is None
    assert attach_sync(FakeApp(), _config(None), catalogue=None, service_factory=FakeSync) is None


def test_sync_is_wired_to_the_app(ui):
    from kiosk.app import attach_sync

    app = FakeApp()
    sync = attach_sync(app, _config("https://feed.example.org/catalogue.json"), catalogue=None,
                       service_factory=FakeSync, clock=lambda: 5.0)
    assert sync.deferred is True and app.sync_service is sync
    assert sync.printer_state() == "not_configured"  # for the heartbeat: [printer] kind = "none"
    app.bound["on_start"](app)
    assert sync.started == 1
    # a staged feed waits while a visitor uses the kiosk...
    sync.pending = True
    sync.on_pending(2)
    ui.pump(3)
    assert sync.applied == 0
    # ...and is applied when the welcome screen shows; the screens then reload
    for hook in app.welcome_hooks:
        hook()
    ui.wait_until(lambda: app.changed == 1, what="catalogue_changed")
    assert sync.applied == 1
    # staff "Sync now" runs through the sync service
    result = app.operations.sync_now()
    assert result.ok and result.code == "ok" and app.operations.last_sync is result
    app.bound["on_stop"](app)
    assert sync.stopped == 1

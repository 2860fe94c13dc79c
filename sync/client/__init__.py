"""The kiosk's side of the wire, split the way pip splits its ``network/``.

* :mod:`sync.client.http`: :class:`SyncError`, :class:`ClientOptions`, the deadline :class:`Guard`
  and the one session factory :func:`make_session`;
* :mod:`sync.client.hops`: which URLs and redirect hops the kiosk may fetch;
* :mod:`sync.client.fetch`: one streamed, capped GET;
* :mod:`sync.client.stores`: the asset cache, the status file, the process lock;
* :mod:`sync.client.client`: one sync attempt (:class:`SyncClient`, :class:`Target`, :class:`SyncResult`);
* :mod:`sync.client.heartbeat`: the best-effort heartbeat POST.

The kiosk imports the names below from this package, not from its modules.
"""
from sync.client.client import SyncClient, SyncResult, Target, Verified, verify_here
from sync.client.heartbeat import post_heartbeat, send_heartbeat
from sync.client.http import ClientOptions, SyncError, make_session
from sync.client.stores import AssetCache, ProcessLock, StatusStore

__all__ = ["AssetCache", "ClientOptions", "ProcessLock", "StatusStore", "SyncClient", "SyncError",
           "SyncResult", "Target", "Verified", "make_session", "post_heartbeat", "send_heartbeat", "verify_here"]

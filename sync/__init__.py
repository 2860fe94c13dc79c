"""The catalogue feed, split by which machine runs the code. Never imports ``kiosk``.

* ``sync.feed``: the contract both ends import (format, signing, verification, HSDS schemas);
* ``sync.client``: the kiosk's side of the wire (session, redirects, fetch, stores, heartbeat);
* ``sync.publish``: the staff-side tools (sources, build, the ``kiosk-feed`` CLI, synthetic feeds);
* ``sync.server``: the staff web application.
"""

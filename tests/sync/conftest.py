"""Fixtures of the sync tests: a publisher, a feed server on 127.0.0.1, a kiosk at version 1."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synclib import FeedServer, Publisher, make_kiosk  # noqa: E402


@pytest.fixture
def publisher(tmp_path):
    return Publisher(tmp_path / "www")


@pytest.fixture
def server(publisher):
    srv = FeedServer(publisher.root).start()
    yield srv
    srv.stop()


@pytest.fixture
def kiosk(tmp_path, server, publisher):
    """A kiosk whose catalogue is at version 1, pointed at the server, applying at once."""
    k = make_kiosk(tmp_path, server.url + "feed.json", [publisher.public_b64])
    yield k
    k.service.stop()
    k.catalogue.dispose()

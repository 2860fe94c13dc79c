"""The application for a process manager: each worker builds its own app from the settings
(``KIOSK_SERVER_*`` variables and ``KIOSK_SERVER_CONFIG``), on the shared database and data
directory. ``kiosk-server --workers 4`` uses it through uvicorn; gunicorn takes it as::

    gunicorn -k uvicorn.workers.UvicornWorker -w 4 'sync.server.asgi:app_from_environment()'

Nothing a request needs lives in one worker's memory only: staff sessions and login attempts
are rows of the database, the CSRF token rides in the session cookie signed with the secret
file of the data directory, the published feed and its index are read from the feed directory
(each worker rereads it when its ETag changes), and publishing takes a lock across processes
(:mod:`sync.server.locks`).
"""
from __future__ import annotations

from fastapi import FastAPI

from sync.server import bootstrap
from sync.server.app import create_app
from sync.server.config import load_config


def app_from_environment() -> FastAPI:
    return create_app(bootstrap.start(load_config()))

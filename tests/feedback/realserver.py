"""The real staff server (``sync.server``) on 127.0.0.1 for the feedback tests, with a kiosk token,
and a fault-injecting proxy in front of it: it can drop a post's answer after the server committed
it (``drop_after_commit``) or drop the connection before forwarding (``drop_before``)."""
from __future__ import annotations

import http.server
import sys
import threading
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from serverlib import LiveServer  # noqa: E402


class RealServer:
    def __init__(self, data_dir: Path):
        from sync.server import bootstrap
        from sync.server.app import create_app
        from sync.server.config import ServerConfig
        from sync.server.models import Kiosk
        from sync.server.security import new_kiosk_token, token_digest

        self.state = bootstrap.start(ServerConfig(data_dir=data_dir))
        self.app = create_app(self.state)
        self.token = new_kiosk_token()
        with self.state.db.session() as db:
            db.add(Kiosk(name="lobby-1", token_sha256=token_digest(self.token), token_hint=self.token[3:9],
                         created_by="test", heartbeats=0))
        self.live = LiveServer(self.app)

    def __enter__(self) -> "RealServer":
        self.live.start()
        self.api = self.live.url + "/api/"
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.live.stop()
        self.state.db.dispose()

    def totals(self) -> tuple[dict[str, int], dict[str, int], int]:
        """(count per key, visits per unmet term, reports) as the server holds them."""
        from sqlalchemy import func, select

        from sync.server.feedback_models import FeedbackReport, UnmetSearch, UsageCount

        with self.state.db.session() as db:
            counts = dict(db.execute(select(UsageCount.key, func.sum(UsageCount.n)).group_by(UsageCount.key)).all())
            terms = dict(db.execute(select(UnmetSearch.term, func.sum(UnmetSearch.n)).group_by(UnmetSearch.term)).all())
            reports = db.scalar(select(func.count()).select_from(FeedbackReport))
        return {k: int(v) for k, v in counts.items()}, {k: int(v) for k, v in terms.items()}, reports


class FaultyProxy:
    """Forwards POSTs to ``upstream``; each post takes the next fault from ``faults`` ('' = none)."""

    def __init__(self, upstream: str):
        proxy = self
        self.faults: list[str] = []
        self.posts = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                proxy.posts += 1
                fault = proxy.faults.pop(0) if proxy.faults else ""
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if fault == "drop_before":
                    self.close_connection = True
                    return
                answer = requests.post(upstream.rstrip("/") + self.path, data=body, timeout=30,
                                       headers={k: v for k, v in self.headers.items()
                                                if k.lower() in ("authorization", "content-type")})
                if fault == "drop_after_commit":
                    self.close_connection = True
                    return
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("content-type", "application/json"))
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "FaultyProxy":
        self.thread.start()
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

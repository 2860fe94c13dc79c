"""Debian's real nginx running deploy/nginx/kiosk-server.conf for the tests: as the unprivileged
``nobody`` (when the tests run as root), with a temporary prefix, on 127.0.0.1 ports only, with a
self-signed certificate for 127.0.0.1. Only the deployment file's paths, ports and certificate
are replaced; every replacement must find its text, so the test follows the file."""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from serverlib import free_port

REPO = Path(__file__).resolve().parents[2]
CONF = REPO / "deploy" / "nginx" / "kiosk-server.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def world_readable_dir(prefix: str) -> Path:
    """A temporary directory nginx's unprivileged workers can read (pytest's own are 0700)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(path, 0o755)
    return path


class Nginx:
    def __init__(self, *, feed_dir: Path, app_port: int):
        self.prefix = world_readable_dir("kiosk-nginx-")
        self.user = "nobody" if os.geteuid() == 0 else None
        self.http_port, self.https_port = free_port(), free_port()
        self.cert, key = self.prefix / "cert.pem", self.prefix / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out",
                        str(self.cert)], check=True, capture_output=True)
        text = CONF.read_text(encoding="utf-8")
        for old, new in (("    listen [::]:80;\n", ""), ("    listen [::]:443 ssl http2;\n", ""),
                         ("listen 80;", f"listen 127.0.0.1:{self.http_port};"),
                         ("listen 443 ssl http2;", f"listen 127.0.0.1:{self.https_port} ssl http2;"),
                         ("/etc/letsencrypt/live/services.example.org/fullchain.pem", str(self.cert)),
                         ("/etc/letsencrypt/live/services.example.org/privkey.pem", str(key)),
                         ("/srv/kiosk-feed", str(feed_dir)), ("server 127.0.0.1:8080;", f"server 127.0.0.1:{app_port};")):
            assert old in text, f"{CONF.name} no longer has {old!r}: update the test"
            text = text.replace(old, new)
        (self.prefix / "kiosk-server.conf").write_text(text, encoding="utf-8")
        temp = "\n".join(f"    {kind}_temp_path {self.prefix}/{kind};" for kind in
                         ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (self.prefix / "nginx.conf").write_text(f"""daemon off;
worker_processes 2;
pid {self.prefix}/nginx.pid;
error_log {self.prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
{temp}
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    include {self.prefix}/kiosk-server.conf;
}}
""", encoding="utf-8")
        if self.user:
            account = pwd.getpwnam(self.user)
            for path in [self.prefix, *self.prefix.iterdir()]:
                os.chown(path, account.pw_uid, account.pw_gid)
        command = [NGINX, "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf"), "-e",
                   str(self.prefix / "error.log")]
        check = subprocess.run(([ "runuser", "-u", self.user, "--"] if self.user else []) + command + ["-t"],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen((["runuser", "-u", self.user, "--"] if self.user else []) + command,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"https://127.0.0.1:{self.https_port}"
        self.http_url = f"http://127.0.0.1:{self.http_port}"
        import socket

        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and self.proc.poll() is None, self.error_log()
                time.sleep(0.1)

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.prefix, ignore_errors=True)

"""The crash test's child processes: a zygote that imports everything once, then forks one child per
request that runs the real ``kiosk sync`` (:func:`kiosk.cli.run_once`) and exits.

Protocol on stdin/stdout, one JSON object per line:
  parent -> zygote  {"data_dir": ..., "database": ..., "feed_url": ..., "public_keys": [...],
                     "marks": PATH}
  zygote -> parent  {"pid": PID}                       as soon as the child is forked
                    {"pid": PID, "status": STATUS}     when it has ended (waitpid status)
The child appends "A" to the marks file when it asks its build process for the new database file
(kiosk.buildproc; killed with the child, by PR_SET_PDEATHSIG) and "C" when the file has been
swapped in, so the parent can tell where a SIGKILL landed.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parent.parent)]

import synclib  # noqa: E402,F401 - imported before forking, like everything the child uses

from kiosk import buildproc, cli  # noqa: E402
from kiosk.catalogue import store  # noqa: E402
from kiosk.i18n import _  # noqa: E402,F401
from sync.client import ClientOptions  # noqa: E402
from sync.feed import schema  # noqa: E402

schema.service_validator()  # build the schema validator once, before forking
schema.term_validator()
schema.fast_service_check()
schema.fast_term_check()


def child(request: dict) -> int:
    marks = os.open(request["marks"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    # The build of the new database file runs in its own child (kiosk.buildproc.ChildJob), which
    # this process asks for it: the mark is made when it asks.
    build, swap = buildproc.ChildJob.build, store.Catalogue.swap

    def marked_build(self, *args, **kwargs):        # the new database file begins
        os.write(marks, b"A")
        return build(self, *args, **kwargs)

    def marked_swap(self, *args, **kwargs):         # ... and is in place
        try:
            return swap(self, *args, **kwargs)
        finally:
            os.write(marks, b"C")

    buildproc.ChildJob.build = marked_build
    store.Catalogue.swap = marked_swap
    config = SimpleNamespace(
        kiosk=SimpleNamespace(id="crash", data_dir=Path(request["data_dir"]),
                              database=Path(request["database"]), stale_after_days=7),
        sync=SimpleNamespace(feed_url=request["feed_url"], public_keys=tuple(request["public_keys"]),
                             interval_minutes=15, heartbeat_url=None, token=None,
                             max_feed_bytes=64 * 1024 * 1024))
    options = ClientOptions(connect_timeout=2, read_timeout=5, deadline=30, retries=0)
    code, _message = cli.run_once(config, options=options)
    return code


def main() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            try:
                code = child(request)
            except BaseException:  # noqa: BLE001
                code = 3
            os._exit(code)
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"pid": pid, "status": status}), flush=True)


if __name__ == "__main__":
    main()

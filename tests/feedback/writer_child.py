"""Child of the kill test: records reports and flushes counts for ever, printing each one only after
the store has committed it ("R <id>" for a report, "F <total visits>" for a flush)."""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.feedback.store import FeedbackStore  # noqa: E402


def main() -> None:
    store = FeedbackStore.in_dir(Path(sys.argv[1]))
    visits = 0
    while True:
        report = store.record_report("organization", uuid.uuid4(), "address", 3)
        if report:
            print("R", report, flush=True)
        store.count("visit", 2)
        store.count("qr:phone")
        store.flush()
        visits += 2
        print("F", visits, flush=True)


if __name__ == "__main__":
    main()

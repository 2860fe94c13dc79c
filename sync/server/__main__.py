"""``python -m sync.server`` == ``kiosk-server``."""
from sync.server.cli import main

raise SystemExit(main())

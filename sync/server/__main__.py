"""``python -m sync.server`` == ``kiosk-server``."""
from sync.server.app import main

raise SystemExit(main())

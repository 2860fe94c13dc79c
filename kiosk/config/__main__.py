"""``python -m kiosk.config``: see :mod:`kiosk.config.command`."""
from kiosk.config.command import main

raise SystemExit(main())

"""``python main.py`` does what the ``kiosk`` command does."""
from kiosk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())

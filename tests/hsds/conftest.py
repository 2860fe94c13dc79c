"""Fixtures of the HSDS tests: the official examples and catalogues from other systems."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

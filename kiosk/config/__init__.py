"""The kiosk's configuration: one TOML file plus environment overrides, validated, with clear errors.

- :mod:`kiosk.config.schema`: the sections, keys, defaults and checks (:class:`Config`);
- :mod:`kiosk.config.loading`: where the file is found, environment overrides, :func:`load_config`;
- :mod:`kiosk.config.errors`: :class:`ConfigError` and the sentences that name file, key and fix;
- :mod:`kiosk.config.command`: ``python -m kiosk.config example | check [FILE] | hash-pin``.

No Kivy import.
"""
from kiosk.config.command import example_config, main
from kiosk.config.errors import ConfigError
from kiosk.config.loading import CONFIG_FILENAME, ENV_PREFIX, config_path, load_config
from kiosk.config.schema import (Config, HandoffSection, KioskSection, PrinterSection, StaffSection,
                                 SyncSection)

__all__ = [
    "Config", "ConfigError", "KioskSection", "SyncSection", "PrinterSection", "HandoffSection",
    "StaffSection", "load_config", "config_path", "example_config", "main", "ENV_PREFIX",
    "CONFIG_FILENAME",
]

"""Importing a catalogue file (.xlsx template, HSDS JSON, HSDS CSV datapackage .zip), checked
whole before anything changes: see :mod:`sync.server.imports.run`."""

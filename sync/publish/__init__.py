"""Staff-side tools: read a source (JSON, CSV datapackage, .xlsx), build and sign a feed
directory, the ``kiosk-feed`` command, and the synthetic catalogue generator."""

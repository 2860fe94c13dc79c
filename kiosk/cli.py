"""The ``kiosk`` command. With no sub-command it starts the kiosk.

    kiosk [--config FILE] [--windowed]          start the kiosk (fullscreen unless --windowed)
    kiosk export-hsds FILE [--feed]             write the catalogue as HSDS 3.0 JSON
    kiosk load-feed FILE                        replace the local catalogue with a feed file
    kiosk info                                  show the loaded catalogue and the configuration used
    kiosk screenshots DIR                       render every screen to PNG files (under Xvfb)
    kiosk slip SERVICE_ID --out F.bin [--png F.png] [--lang en]   a slip's ESC/POS bytes and preview
    kiosk sync                                  fetch, verify and apply the catalogue feed once
    kiosk hash-pin                              print a salted hash of a staff PIN for the config
    kiosk example-config                        print a commented example configuration
"""
from __future__ import annotations

import argparse
import json
import logging
import logging.handlers
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Optional

from kiosk import __version__, doctor
from kiosk.i18n import _, translator
from kiosk.speech import cli as speech_cli
from sync.feed.document import utcnow


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description=_("Social services kiosk"))
    parser.add_argument("--config", metavar="FILE", help=_("configuration file (TOML)"))
    parser.add_argument("--windowed", action="store_true", help=_("run in a window, for development"))
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help=_("start the kiosk (the default)"))
    p = sub.add_parser("export-hsds", help=_("write the catalogue as HSDS 3.0 JSON"))
    p.add_argument("file", type=Path)
    p.add_argument("--feed", action="store_true",
                   help=_("write the whole feed document (envelope, categories) instead of the list"))
    p = sub.add_parser("load-feed", help=_("replace the local catalogue with a feed file"))
    p.add_argument("file", type=Path)
    sub.add_parser("info", help=_("show the loaded catalogue and the configuration used"))
    p = sub.add_parser("screenshots", help=_("render every screen to PNG files"))
    p.add_argument("dir", type=Path)
    p.add_argument("--size", action="append", metavar="WxH[@INCHES]",
                   help=_("render every screen at this panel size (repeatable), e.g. 800x480 or 1920x1080@27"))
    p.add_argument("--check", action="store_true",
                   help=_("fail when a text on a screen is cut (wider or taller than its box) or something a visitor needs is out of view"))
    p = sub.add_parser("slip", help=_("write a service's printed slip as ESC/POS bytes and a PNG preview"))
    p.add_argument("service_id")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.bin")
    p.add_argument("--png", type=Path, metavar="FILE.png")
    p.add_argument("--lang", default=None, help=_("language of the slip (sq or en)"))
    sub.add_parser("sync", help=_("fetch, verify and apply the catalogue feed once"))
    sub.add_parser("hash-pin", help=_("print a salted hash of a staff PIN"))
    sub.add_parser("example-config", help=_("print a commented example configuration"))
    speech_cli.add_parser(sub)
    doctor.add_parser(sub)
    return parser


def setup_logging(data_dir: Path, console: bool = True) -> None:
    """Log to a rotating file in the data directory (and to stderr)."""
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(log_dir / "kiosk.log", maxBytes=2_000_000,
                                                   backupCount=5, encoding="utf-8")
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler.setFormatter(fmt)
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(fmt)
        stream.setLevel(logging.WARNING)
        root.addHandler(stream)


def _open(config):
    from kiosk.catalogue.store import open_catalogue

    return open_catalogue(config.kiosk.database)


def cmd_export(config, args) -> int:
    from kiosk.catalogue.export import export_document

    catalogue = _open(config)
    with catalogue.session() as session:
        doc = export_document(session)
    out = doc if args.feed else doc["services"]
    args.file.parent.mkdir(parents=True, exist_ok=True)
    args.file.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(_("Wrote {count} services to {file}").format(count=len(doc["services"]), file=args.file))
    return 0


def cmd_load(config, args) -> int:
    from sync.feed import document as feedmod

    try:
        raw = args.file.read_bytes()
        doc = feedmod.loads(raw)
    except OSError as exc:
        print(_("Cannot read {file}: {error}").format(file=args.file, error=exc.strerror), file=sys.stderr)
        return 1
    except feedmod.FeedError as exc:
        print(_("{file} is not a catalogue feed: {error}").format(file=args.file, error=exc),
              file=sys.stderr)
        return 1
    # The checks a sync makes (values, structure, HSDS schema), mending by the warnings' rules:
    # a feed a sync would refuse is refused here too, and the catalogue is left as it was.
    from sync.feed import verify as verifymod
    from sync.feed.findings import report_lines

    lang = config.kiosk.default_language
    try:
        findings = verifymod.conform(doc)
    except verifymod.FeedRefused as exc:
        findings = exc.findings
    for line in report_lines(findings, lang):
        print(line, file=sys.stderr)
    if findings.errors:
        print(_("{file} is not a catalogue feed: {error}").format(
            file=args.file, error=verifymod.FeedRefused(findings)), file=sys.stderr)
        return 1
    catalogue = _open(config)
    count = catalogue.load(doc, raw=None if findings.items else raw, source=str(args.file.resolve()))
    print(_("Loaded catalogue version {version}: {count} services").format(
        version=doc["version"], count=count))
    return 0


def cmd_info(config, args) -> int:
    info = _open(config).info()
    print(_("Configuration: {file}").format(file=config.source or _("(defaults)")))
    print(_("Database: {file}").format(file=config.kiosk.database))
    print(_("Catalogue version {version}, {count} services, generated {generated}").format(
        version=info.version, count=info.service_count, generated=info.generated_at))
    print(_("Source: {source}").format(source=info.source))
    if info.demo:
        print(_("This is a demo catalogue."))
    _print_display(config)
    return 0


def _print_display(config) -> None:
    """What the kiosk found about its screen and how it sizes text and targets on it."""
    from kiosk import display

    panel = display.probe(display.configured_diagonal(config))
    if panel is None:
        print(_("Display: none found (no X or Wayland display, no connected screen)"))
        return
    figures = display.describe(display.sizing(panel))
    print(_("Display: {width_px}x{height_px} px, {diagonal_inches} inch, {dpi} dpi (from {source}); "
            "drawn at density {density}; a 12 mm touch target is {target_px} px").format(**figures))


def cmd_slip(config, args) -> int:
    from kiosk.catalogue import queries
    from kiosk.handoff.slip import write_slip

    lang = args.lang or config.kiosk.default_language
    catalogue = _open(config)
    with catalogue.session() as session:
        detail = queries.service_detail(session, args.service_id, lang)
    if detail is None:
        print(_("No service has the id {id}.").format(id=args.service_id), file=sys.stderr)
        return 1
    data = write_slip(detail, args.out, args.png, lang, profile=config.printer.profile,
                      centre_name=config.kiosk.centre_name,
                      public_base_url=config.handoff.public_base_url)
    print(_("Wrote {count} bytes to {file}").format(count=len(data), file=args.out))
    if args.png:
        print(_("Preview: {file}").format(file=args.png))
    return 0


def cmd_sync(config, args) -> int:
    code, message = run_once(config)
    print(message, file=sys.stdout if code == 0 else sys.stderr)
    return code


def describe(result: Any) -> str:
    """One line about a sync result (:class:`sync.client` ``SyncResult``), for the command line."""
    if result.outcome == "updated":
        return _("Catalogue updated to version {version}.").format(version=result.version)
    if result.outcome == "unchanged":
        return _("The catalogue is up to date (version {version}).").format(version=result.version)
    return _("Sync failed ({code}): {detail}").format(code=result.code, detail=result.detail)


def run_once(config: Any, *, now: Callable[[], datetime] = utcnow, options: Any = None,
             session_factory: Optional[Callable[[Any], Any]] = None,
             printer_state: Optional[Callable[[], str]] = None) -> tuple[int, str]:
    """``kiosk sync``: one attempt, applied at once. Returns (exit code, message): 0 when the
    catalogue was updated or already current, 1 when the attempt failed, 2 when sync is not
    configured. The heartbeat reports the printer ``[printer]`` names (see
    :meth:`kiosk.handoff.printer.SlipPrinter.heartbeat_state`) unless ``printer_state`` is given."""
    from kiosk.catalogue.store import open_catalogue
    from kiosk.handoff.printer import SlipPrinter
    from kiosk.updates import Updates

    if not config.sync.feed_url or not config.sync.public_keys:
        return 2, _("Sync is not configured: set [sync] feed_url and public_keys.")
    try:
        catalogue = open_catalogue(config.kiosk.database)
    except Exception as exc:  # noqa: BLE001 - report, never a traceback
        return 1, _("Cannot open the catalogue {file}: {error}").format(file=config.kiosk.database, error=exc)
    try:
        extra = {"session_factory": session_factory} if session_factory is not None else {}
        updates = Updates(config, catalogue, now=now, deferred=False, options=options,
                          printer_state=printer_state or SlipPrinter.from_config(config).heartbeat_state,
                          **extra)
        result = updates.run_sync(heartbeat_wait=5.0)
    finally:
        catalogue.dispose()
    return (0 if result.ok else 1), describe(result)


def cmd_screenshots(config, args) -> int:
    from kiosk.app import screenshot_app
    from kiosk.ui.screenshots import parse_size, render_all, size_variant

    try:
        sizes = [parse_size(text) for text in args.size or ()]
    except ValueError as exc:
        print(_("{size}: expected a size such as 1280x800 or 1280x800@10.1").format(size=exc), file=sys.stderr)
        return 2
    if len(sizes) > 1:
        # Kivy's density is fixed once the first widget exists: one process a size
        status = 0
        for text in args.size:
            argv = [sys.executable, "-m", "kiosk.cli"] + (["--config", args.config] if args.config else [])
            argv += ["screenshots", str(args.dir), "--size", text] + (["--check"] if args.check else [])
            status = max(status, subprocess.run(argv, check=False).returncode)
        return status
    problems: Optional[list[str]] = [] if args.check else None
    if sizes:
        (size, diagonal), lang = sizes[0], config.kiosk.default_language
        files = render_all(screenshot_app(config, size=size, diagonal_inches=diagonal), args.dir,
                           variants=[size_variant(lang, size)], problems=problems)
    else:
        files = render_all(screenshot_app(config), args.dir, problems=problems)
    for path in files:
        print(path)
    for problem in problems or ():
        print(_("on screen: {problem}").format(problem=problem), file=sys.stderr)
    return 0 if files and not problems else 1


def cmd_run(config, args) -> int:
    from kiosk.app import run

    return run(config, windowed=args.windowed or config.kiosk.windowed)


COMMANDS = {"run": cmd_run, "export-hsds": cmd_export, "load-feed": cmd_load, "info": cmd_info,
            "screenshots": cmd_screenshots, "slip": cmd_slip, "sync": cmd_sync,
            "speak": lambda config, args: speech_cli.run(args, config),
            "doctor": lambda config, args: doctor.run(args, config)}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in ("example-config", "hash-pin"):
        from kiosk.config import main as config_main

        return config_main(["example" if args.command == "example-config" else "hash-pin"])
    from kiosk.config import ConfigError, load_config

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    translator.switch(config.kiosk.default_language)
    setup_logging(Path(config.kiosk.data_dir), console=args.command not in (None, "run"))
    command = args.command or "run"
    return COMMANDS[command](config, args)


if __name__ == "__main__":
    raise SystemExit(main())

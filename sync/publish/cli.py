"""``kiosk-feed``: the staff-side command that makes, signs and checks catalogue feeds.

    kiosk-feed keygen [--dir DIR] [--name NAME] [--force]
    kiosk-feed check SOURCE [--assets FOLDER] [--lang sq|en]
    kiosk-feed build --from SOURCE --out DIR --key KEY [--assets FOLDER] [--version N] [--expires-days D]
    kiosk-feed verify DIR --pubkey KEY [--pubkey KEY2]
    kiosk-feed template OUT.xlsx [--from SOURCE]
    kiosk-feed export-csv SOURCE OUTDIR

SOURCE is an HSDS JSON file (a list of services, one service, an organization with its services,
an API page, newline-delimited JSON, an Open Referral UK list), an HSDS CSV datapackage folder
(3.0, or 1.1/2.0 converted), or the spreadsheet template (.xlsx). ``check`` and ``build`` list
per record the errors (which refuse the source) and the warnings (what was fixed or dropped),
in the staff's language (``--lang``, else $KIOSK_FEED_LANG or $LANG; Albanian by default).
DIR can be served as it is by any static web server (nginx, a CDN, ``python -m http.server``);
kiosks are pointed at ``https://.../DIR/feed.json`` and pinned to the public key.

Exit codes: 0 success (warnings allowed), 1 the feed or source was refused (errors), 2 usage or
file errors.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sync.feed import document as feedmod
from sync.feed import signing
from sync.feed.findings import FeedRefused, Findings, error_text, report_lines, summary_line
from sync.publish import build as publish, sources


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk-feed", description="Build, sign and check catalogue feeds.")
    sub = p.add_subparsers(dest="command", required=True)
    k = sub.add_parser("keygen", help="make an Ed25519 key pair (the secret key is owner-only)")
    k.add_argument("--dir", type=Path, default=Path("."), help="where to write the two files")
    k.add_argument("--name", default="kiosk-feed", help="file name stem: NAME.key and NAME.pub")
    k.add_argument("--force", action="store_true", help="overwrite an existing key")
    c = sub.add_parser("check", help="list the errors and warnings of a source, per record")
    c.add_argument("source", type=Path, help="HSDS .json/.ndjson, CSV datapackage folder, or .xlsx template")
    c.add_argument("--assets", type=Path, help="the folder icon and logo files are read from "
                   "(default: the folder of SOURCE)")
    c.add_argument("--lang", choices=("sq", "en"), help="the language of the report")
    b = sub.add_parser("build", help="build and sign a feed directory")
    b.add_argument("--from", dest="source", type=Path, required=True,
                   help="HSDS .json, CSV datapackage folder, or .xlsx template")
    b.add_argument("--out", type=Path, required=True, help="the directory to publish")
    b.add_argument("--key", type=Path, required=True, help="the secret key file")
    b.add_argument("--assets", type=Path, help="the only folder icon and logo files named in the "
                   "source are read from (default: the folder of --from)")
    b.add_argument("--version", type=int, help="catalogue version (default: the published one + 1)")
    b.add_argument("--expires-days", type=float, default=publish.DEFAULT_EXPIRES_DAYS,
                   help="days until kiosks refuse this feed (default %(default)s)")
    b.add_argument("--lang", choices=("sq", "en"), help="the language of the report")
    v = sub.add_parser("verify", help="check a feed directory as a kiosk would")
    v.add_argument("dir", type=Path)
    v.add_argument("--pubkey", action="append", required=True,
                   help="public key file or its base64 text (repeat for two keys)")
    t = sub.add_parser("template", help="write the spreadsheet template (.xlsx)")
    t.add_argument("out", type=Path)
    t.add_argument("--from", dest="source", type=Path, help="fill it from this source")
    e = sub.add_parser("export-csv", help="write a source as an HSDS CSV datapackage")
    e.add_argument("source", type=Path)
    e.add_argument("out", type=Path)
    return p


def cmd_keygen(args: argparse.Namespace) -> int:
    secret_path = args.dir / f"{args.name}.key"
    public_path = args.dir / f"{args.name}.pub"
    if secret_path.exists() and not args.force:
        print(f"{secret_path} exists; use --force to replace it (kiosks pinned to the old key "
              "would refuse feeds signed by the new one)", file=sys.stderr)
        return 2
    secret = signing.generate()
    signing.write_keypair(secret, secret_path, public_path, force=args.force)
    print(f"secret key: {secret_path} (owner-only; keep it off the web server)")
    print(f"public key: {public_path} (key id {secret.public.id_hex})")
    print("for kiosk.toml:")
    print(f'  [sync]\n  public_keys = ["{secret.public.b64}"]')
    return 0


def staff_language(chosen: str | None) -> str:
    if chosen:
        return chosen
    for name in ("KIOSK_FEED_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value.startswith(("sq", "en")):
            return value[:2]
    return "sq"


def refused(exc: Exception, lang: str) -> None:
    """A refusal on stderr, in the staff's language."""
    print(f"{'u refuzua' if lang == 'sq' else 'refused'}: {error_text(exc, lang)}", file=sys.stderr)


def print_findings(findings: Findings, lang: str, out=None) -> None:
    out = out or sys.stdout
    for line in report_lines(findings, lang):
        print(line, file=out)
    print(summary_line(findings, lang), file=out)


def _asset_folder(args: argparse.Namespace, source: Path) -> Path | None:
    assets = args.assets or (source if source.is_dir() else source.parent)
    if not assets.is_dir():
        print(f"{assets}: no such folder (--assets)", file=sys.stderr)
        return None
    return assets


def cmd_check(args: argparse.Namespace) -> int:
    lang = staff_language(args.lang)
    if not args.source.exists():
        print(f"{args.source}: no such file or folder", file=sys.stderr)
        return 2
    assets = _asset_folder(args, args.source)
    if assets is None:
        return 2
    try:
        _doc, findings = publish.check_source(args.source, asset_root=assets)
    except FeedRefused as exc:
        findings = exc.findings
    except feedmod.FeedError as exc:
        refused(exc, lang)
        return 1
    print_findings(findings, lang)
    return 1 if findings.errors else 0


def cmd_build(args: argparse.Namespace) -> int:
    try:
        secret = signing.load_secret_key(args.key)
    except (OSError, ValueError) as exc:
        print(f"cannot read the secret key {args.key}: {exc}", file=sys.stderr)
        return 2
    if not args.source.exists():
        print(f"{args.source}: no such file or folder", file=sys.stderr)
        return 2
    assets = _asset_folder(args, args.source)
    if assets is None:
        return 2
    lang = staff_language(args.lang)
    try:
        result = publish.build_feed(args.source, args.out, secret, version=args.version,
                                    expires_days=args.expires_days, asset_root=assets)
    except FeedRefused as exc:
        print_findings(exc.findings, lang, sys.stderr)
        refused(exc, lang)
        return 1
    except feedmod.FeedError as exc:
        refused(exc, lang)
        return 1
    except OSError as exc:
        print(f"cannot write {args.out}: {exc}", file=sys.stderr)
        return 2
    print_findings(result.findings, lang)
    print(f"version {result.version}: {result.services} services, {result.terms} categories, "
          f"{result.assets} assets; {result.feed_bytes} bytes, {result.gzip_bytes} gzipped; "
          f"signed by {result.key_id}")
    print(f"published in {result.out_dir}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    try:
        keys = [signing.load_public_key(k) for k in args.pubkey]
    except ValueError as exc:
        print(f"bad public key: {exc}", file=sys.stderr)
        return 2
    try:
        report = publish.verify_dir(args.dir, keys)
    except feedmod.FeedError as exc:
        print(f"FAILED {exc.code}: {exc.detail}", file=sys.stderr)
        return 1
    print(f"OK version {report.version}: {report.services} services, {report.terms} categories, "
          f"{report.assets} assets; expires {report.expires_at}; signed by {report.key_id}")
    print(f"trusted comment: {report.trusted_comment}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    doc = None
    if args.source:
        try:
            loaded = sources.load_source(args.source)
        except feedmod.FeedError as exc:
            refused(exc, staff_language(None))
            return 1
        doc = {"services": loaded.services, "taxonomy_terms": loaded.taxonomy_terms}
    sources.write_template(args.out, doc)
    print(f"wrote {args.out}")
    return 0


def cmd_export_csv(args: argparse.Namespace) -> int:
    """The source as the kiosks would get it (checked and mended), as an HSDS CSV datapackage."""
    try:
        doc, findings = publish.check_source(args.source, asset_root=None)
        findings.raise_errors()
    except FeedRefused as exc:
        print_findings(exc.findings, staff_language(None), sys.stderr)
        refused(exc, staff_language(None))
        return 1
    except feedmod.FeedError as exc:
        refused(exc, staff_language(None))
        return 1
    sources.write_datapackage(doc, args.out)
    print(f"wrote {args.out}")
    return 0


COMMANDS = {"keygen": cmd_keygen, "check": cmd_check, "build": cmd_build, "verify": cmd_verify, "template": cmd_template,
            "export-csv": cmd_export_csv}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())

"""Zip archives (an .xlsx is one) looked at before anything unpacks them.

A small file can unpack to gigabytes (one 1000 MB shared string in a 1 MB .xlsx took the server
to 2.4 GB). :func:`archive_problem` reads only the archive's directory and refuses too many
members, a member or a total over its cap, and a member that grew more than :data:`MAX_RATIO`
times. Python's zipfile never gives more bytes than a member declares, so the declared sizes
checked here bound what openpyxl or the CSV reader can be handed.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError

from sync.server.imports.problems import Problem, problem

MAX_MEMBERS = 2_000
MAX_MEMBER = 64 * 1024 * 1024
MAX_TOTAL = 256 * 1024 * 1024
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024  # smaller members may compress as well as they like
#: What reading a damaged archive raises (besides BadZipFile); an .xlsx is one of XML files, and
#: a member that is no XML (or defines entities that grow past expat's limit) is a ParseError.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
              RuntimeError, KeyError, ParseError)


def open_archive(data: bytes) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        return None


def archive_problem(archive: zipfile.ZipFile) -> Problem | None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        return problem("The zip file has more than {n} files.", n=MAX_MEMBERS)
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER or (info.file_size > RATIO_FROM and ratio > MAX_RATIO):
            return problem("{name} unpacks to {mb} MB, more than a catalogue needs: the file is refused.",
                           name=info.filename[:100], mb=info.file_size // 2**20)
        if total > MAX_TOTAL:
            return problem("The file unpacks to more than {mb} MB: it is refused.", mb=MAX_TOTAL // 2**20)
    return None


def check_archive(data: bytes) -> Problem | None:
    """Why ``data`` is no zip archive the import may unpack, or None."""
    archive = open_archive(data)
    if archive is None:
        return problem("This is not a .zip file.")
    with archive:
        return archive_problem(archive)


def safe_extract(data: bytes, target: Path) -> list[Problem]:
    """Unpack a checked archive into ``target``; no absolute paths, no ``..``, at most 3 levels."""
    archive = open_archive(data)
    if archive is None:
        return [problem("This is not a .zip file.")]
    with archive:
        found = archive_problem(archive)
        if found:
            return [found]
        try:
            for info in archive.infolist():
                name = info.filename
                if info.is_dir():
                    continue
                parts = Path(name).parts
                if name.startswith(("/", "\\")) or ".." in parts or len(parts) > 3:
                    return [Problem(name, None, None, "The zip file contains a path that is not allowed.")]
                dest = target / Path(*parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as src:
                    dest.write_bytes(src.read(MAX_MEMBER + 1))
        except ZIP_ERRORS:
            return [problem("The zip file is damaged: it cannot be unpacked.")]
    return []

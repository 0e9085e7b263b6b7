"""Reading report files of every format users really have into one raw text.

The format is decided by the file's bytes first and its name second, so a PDF saved as
``.txt`` or a Word file without an extension is still read correctly.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import InputError, NianbaoError
from extract.record import OcrProvenance

# Reports are rarely above a few MB; a much larger input is almost always the wrong file
# (an archive, a scanned bundle). The limit can be raised per call.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# How readers flatten a table row: cells joined by this, one row a line.
SEPARATOR = " | "


@dataclass
class RawDocument:
    """What a reader produced: text with table cells separated by `` | `` and newlines."""

    text: str
    format: str  # txt | html | docx | doc | pdf | image
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    # Set when (some of) the text was recognised from page images.
    ocr: OcrProvenance | None = None
    # What the reader could read but does not vouch for (low-confidence OCR numbers).
    problems: list[str] = field(default_factory=list)


# Scanned pages and photographs: PNG, JPEG, TIFF (both byte orders).
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# The compound file of Word 97–2003 (and of .xls, .ppt, WPS): read as a .doc, whose reader
# says so when it is not one.
_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")


def sniff_format(data: bytes, name: str) -> str:
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(_IMAGE_MAGIC):
        return "image"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(_OLE2):
        return "doc"
    lowered = head[:512].lower()
    if b"<html" in lowered or b"<!doctype html" in lowered or b"<body" in lowered:
        return "html"
    suffix = Path(name).suffix.lower()
    if suffix in (".htm", ".html", ".shtml"):
        return "html"
    return "txt"


def _reader(fmt: str) -> Callable[[bytes, str], RawDocument]:
    # Imported lazily: reading a .txt must not pay for lxml, python-docx, pdfminer or OCR.
    module = importlib.import_module(f"extract.ingest.{fmt}_reader")
    return module.read  # type: ignore[no-any-return]


def read_bytes(data: bytes, source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Decode one report from its bytes; ``source`` names it in error messages. Whatever a
    reader raises becomes an InputError that says what could not be read. ``max_bytes``
    also bounds what an archive (.docx) may inflate to."""
    if not data.strip():
        raise InputError(source, "the file is empty")
    fmt = sniff_format(data, source)
    try:
        if fmt == "docx":
            from extract.ingest.docx_reader import check_archive

            check_archive(data, source, max_bytes)
        return _reader(fmt)(data, source)
    except NianbaoError:
        raise  # said in words already (or a time limit, which is not the file's fault)
    except RecursionError as exc:
        raise InputError(
            source, f"the {fmt} file is nested too deeply to be read (RecursionError)"
        ) from exc
    except MemoryError as exc:
        raise InputError(
            source,
            f"the {fmt} file needs more memory to read than this machine allows "
            "(MemoryError); it is probably far larger inside than on disk",
        ) from exc
    except Exception as exc:
        from extract.redact import redact

        detail = str(exc).splitlines()[0][:200] if str(exc).strip() else ""
        what = type(exc).__name__ + (f": {detail}" if detail else "")
        raise InputError(
            source, redact(f"not a readable {fmt} file ({what}); is it damaged or truncated?")
        ) from exc


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_path(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES, unless_sha: str | None = None
) -> tuple[bytes, RawDocument | None]:
    """Read a regular file from disk; returns its bytes (for the checksum) and the decoded
    document, or None for the document when its checksum is ``unless_sha`` (unchanged).

    Only regular files are read: a FIFO would block forever and a device never ends, so
    they are refused by what they are, checked on the open descriptor."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer before we can refuse it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if path.is_symlink():
            raise InputError(str(path), "a broken symbolic link (its target is missing)") from exc
        raise InputError(str(path), f"cannot open the file ({exc.strerror})") from exc
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                str(path), f"{_kind(info.st_mode)}, not a file; only regular files are read"
            )
        if info.st_size > max_bytes:
            raise InputError(str(path), _too_large(info.st_size, max_bytes))
        data = fh.read(max_bytes + 1)  # a file growing as we read is still bounded
    if len(data) > max_bytes:
        raise InputError(str(path), _too_large(len(data), max_bytes))
    sha = hashlib.sha256(data).hexdigest()
    if unless_sha is not None and sha == unless_sha:
        return data, None
    try:
        return data, read_bytes(data, str(path), max_bytes)
    except NianbaoError as exc:
        exc.sha256 = sha
        raise


def file_sha(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The checksum of a regular file of at most ``max_bytes``, else ""."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return ""
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return ""
        return hashlib.sha256(fh.read(max_bytes + 1)).hexdigest()


def _too_large(size: int, max_bytes: int) -> str:
    return (
        f"the file is {size / (1024 * 1024):.1f} MB, over the {format_mb(max_bytes)} MB "
        "limit for one report; check it is a single report, or raise the limit with --max-mb"
    )


def format_mb(max_bytes: int) -> str:
    """A byte limit in the MiB the user typed (--max-mb 20 is 20, not 21)."""
    mb = max_bytes / (1024 * 1024)
    return f"{mb:g}" if mb >= 0.1 else f"{mb:.3g}"

"""Reading report files of every format users really have into one raw text.

The format is decided by the file's bytes first and its name second, so a PDF saved as
``.txt`` or a Word file without an extension is still read correctly.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import InputError
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
    format: str  # txt | html | docx | pdf | image
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    # Set when (some of) the text was recognised from page images.
    ocr: OcrProvenance | None = None
    # What the reader could read but does not vouch for (low-confidence OCR numbers).
    problems: list[str] = field(default_factory=list)


# Scanned pages and photographs: PNG, JPEG, TIFF (both byte orders).
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def sniff_format(data: bytes, name: str) -> str:
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(_IMAGE_MAGIC):
        return "image"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
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


def read_bytes(data: bytes, source: str) -> RawDocument:
    """Decode one report from its bytes; ``source`` names it in error messages."""
    if not data.strip():
        raise InputError(source, "the file is empty")
    return _reader(sniff_format(data, source))(data, source)


def read_path(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, RawDocument]:
    """Read a file from disk; returns its bytes (for the checksum) and the decoded document."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(str(path), f"cannot open the file ({exc.strerror})") from exc
    if size > max_bytes:
        raise InputError(
            str(path),
            f"the file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit for one "
            "report; check it is a single report, or raise the limit with --max-mb",
        )
    data = path.read_bytes()
    return data, read_bytes(data, str(path))

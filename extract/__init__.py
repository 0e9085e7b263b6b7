"""nianbao: Chinese government information-disclosure annual reports as checked data.

The Python API is two calls::

    from extract import extract, extract_text
    record = extract("report.docx")          # a path: any supported format
    record = extract_text(text, source="x")  # a string already in memory

Both return a :class:`extract.record.Record` (``record.model_dump()`` for plain JSON).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from extract.pipeline import Options
    from extract.record import Record


def extract(path: str | Path, options: Options | None = None) -> Record:
    """Extract one report file (.txt, .html, .docx, .pdf) into a record."""
    from extract.pipeline import extract_file

    return extract_file(path, options)[0]


def extract_text(text: str, source: str = "<text>", options: Options | None = None) -> Record:
    """Extract a report given as text (it is normalised first, like a file's text)."""
    from extract.pipeline import extract_bytes

    return extract_bytes(text.encode("utf-8"), source, options)[0]


__all__ = ["__version__", "extract", "extract_text"]

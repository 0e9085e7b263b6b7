"""Word files: paragraphs and tables in document order, merged cells counted once."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from extract.errors import InputError
from extract.ingest import SEPARATOR, RawDocument


def _table_lines(table: Table) -> list[str]:
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # python-docx returns a horizontally merged cell once per grid column it spans.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        lines.append(SEPARATOR.join(cells))
    return lines


def check_archive(data: bytes, source: str, max_bytes: int) -> None:
    """Refuse a .docx whose parts would inflate past ``max_bytes``, from the sizes its
    archive declares, before anything is inflated (a zip bomb is small on disk). zipfile
    never inflates a member past its declared size, so the declared sizes bound memory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise InputError(
            source,
            f"not a readable .docx file (old .doc files must be saved as .docx first): {exc}",
        ) from exc
    if "word/document.xml" not in names:
        raise InputError(source, f"{_zip_kind(names)}, not a Word document (.docx)")
    if total > max_bytes:
        raise InputError(
            source,
            f"the .docx inflates to {total / (1024 * 1024):.1f} MB, over the "
            f"{max_bytes / (1024 * 1024):g} MB limit for one report; check the file, or "
            "raise the limit with --max-mb",
        )


# What a ZIP archive that is not a Word document usually is, by its parts' folders.
_ZIP_KINDS = (
    ("xl/", "an Excel workbook (.xlsx): save the report as .docx or PDF"),
    ("ppt/", "a PowerPoint file (.pptx)"),
    ("content.xml", "an OpenDocument file (.odt/.ods): save it as .docx or PDF"),
)


def _zip_kind(names: list[str]) -> str:
    for prefix, kind in _ZIP_KINDS:
        if any(name.startswith(prefix) for name in names):
            return f"this is {kind}"
    return "this is a ZIP archive; unpack it and give its reports one by one"


def read(data: bytes, source: str) -> RawDocument:
    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(
            source,
            f"not a readable .docx file (old .doc files must be saved as .docx first): {exc}",
        ) from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend(_table_lines(block))
    return RawDocument(text="\n".join(lines), format="docx")

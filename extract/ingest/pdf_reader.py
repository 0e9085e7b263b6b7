"""PDFs with a text layer: running text and ruled tables, in reading order per page."""

from __future__ import annotations

import io
import logging

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError

from extract.errors import InputError
from extract.ingest import SEPARATOR, RawDocument

# pdfminer logs every font quirk at WARNING; those are not the user's problem.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _page_blocks(page: pdfplumber.page.Page) -> list[tuple[float, str]]:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    blocks: list[tuple[float, str]] = []
    for table in tables:
        rows = table.extract()
        text = "\n".join(SEPARATOR.join(" ".join((c or "").split()) for c in row)
                         for row in rows)
        blocks.append((table.bbox[1], text))
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    for line in outside.extract_text_lines():
        blocks.append((line["top"], line["text"]))
    blocks.sort(key=lambda b: b[0])
    return blocks


def read(data: bytes, source: str) -> RawDocument:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFSyntaxError, ValueError, KeyError) as exc:
        raise InputError(source, f"not a readable PDF: {exc}") from exc
    with pdf:
        if any(page.chars for page in pdf.pages):
            lines = [text for page in pdf.pages for _, text in _page_blocks(page)]
        else:
            raise InputError(source, "the PDF has no text layer (a scan); run OCR on it first, "
                                     "e.g. `ocrmypdf -l chi_sim in.pdf out.pdf`")
    return RawDocument(text="\n".join(lines), format="pdf",
                       notes=[f"{len(pdf.pages)} pages"])

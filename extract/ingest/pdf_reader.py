"""PDFs: running text and ruled tables, in reading order per page. Pages without a text
layer (scans) are recognised by OCR when the `ocr` extra is installed."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from extract.errors import InputError
from extract.ingest import SEPARATOR, RawDocument

_WRAP_SLACK = 15.0  # points: about one CJK character at body size


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _layout(page: Any) -> tuple[list[tuple[float, str]], list[dict[str, Any]]]:
    """The page's tables (top, text) and its text lines outside them."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    rendered = []
    for table in tables:
        rows = table.extract()
        text = "\n".join(SEPARATOR.join(" ".join((c or "").split()) for c in row) for row in rows)
        rendered.append((table.bbox[1], text))
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    return rendered, outside.extract_text_lines()


def _paragraphs(lines: list[dict[str, Any]], right: float) -> list[tuple[float, str]]:
    """Join lines that run to the right margin with the next: the layout wrapped them, not
    the author, and a number must not be cut from its unit ("7064" / "条")."""
    blocks: list[tuple[float, str]] = []
    paragraph: list[str] = []
    top = 0.0
    for line in lines:
        if not paragraph:
            top = line["top"]
        paragraph.append(line["text"])
        if line["x1"] < right - _WRAP_SLACK:
            blocks.append((top, "".join(paragraph)))
            paragraph = []
    if paragraph:
        blocks.append((top, "".join(paragraph)))
    return blocks


def _refusal(source: str, exc: PdfminerException) -> InputError:
    cause = exc.args[0] if exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return InputError(
            source,
            "the PDF is protected by a password and cannot be opened without it; save an "
            "unprotected copy (print to PDF) and extract that",
        )
    detail = str(cause) or type(cause).__name__
    return InputError(
        source, f"not a readable PDF ({detail}): the file is damaged or truncated; fetch it again"
    )


# Glyph codes pdfminer writes when a font has no Unicode mapping.
_CID = "(cid:"


# Words no page of a report's opening can do without (its title is 政府信息公开工作年度报告).
_REPORT_WORDS = ("公开", "政府", "信息", "情况", "报告")
_ENOUGH_TEXT = 100  # characters: fewer say too little either way


def _garbled(pdf: Any) -> bool:
    """Whether the text layer is not the text: most characters glyph codes ((cid:…)), or
    fonts whose codes map to the wrong characters (Latin debris, or Chinese characters
    nobody writes) so that the first pages, with text enough, hold none of the words
    every report opens with."""
    # page.chars is parsed once and kept: the layout pass reuses it.
    chars = [c["text"] for page in pdf.pages[:3] for c in page.chars]
    if not chars:
        return False
    if sum(text.startswith(_CID) for text in chars) * 2 >= len(chars):
        return True
    text = "".join(t for t in chars if not t.isspace())
    return len(text) >= _ENOUGH_TEXT and not any(word in text for word in _REPORT_WORDS)


def _unreadable_layer(pdf: Any, source: str) -> InputError:
    from extract.ingest.ocr import INSTALL_HINT

    encrypted = bool(getattr(pdf.doc, "encryption", None))
    why = (
        "the PDF is encrypted (an owner password restricting copying) and"
        if encrypted
        else "the PDF's fonts carry no usable Unicode mapping, so"
    )
    return InputError(
        source,
        f"{why} its text comes out as glyph codes ((cid:…)) or the wrong characters; "
        "nianbao reads such a PDF by OCR when the `ocr` extra is installed "
        f"({INSTALL_HINT}), or save an unprotected copy (print to PDF), or run OCR on it "
        "first, e.g. `ocrmypdf --force-ocr -l chi_sim in.pdf out.pdf`",
    )


def read(data: bytes, source: str) -> RawDocument:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        raise _refusal(source, exc) from exc
    except (PDFSyntaxError, ValueError, KeyError) as exc:
        raise InputError(source, f"not a readable PDF: {exc}") from exc
    with pdf:
        n_pages = len(pdf.pages)
        if _garbled(pdf):
            from extract.ingest import ocr

            if not ocr.available():
                raise _unreadable_layer(pdf, source)
            # The pages look right (the glyphs are there): recognised as a scan is.
            return _read_scanned(data, source, n_pages, "its text layer is unreadable")
        scanned = [i for i, page in enumerate(pdf.pages) if not page.chars]
        if len(scanned) == n_pages:
            return _read_scanned(data, source, n_pages)
        pages = [_layout(page) for page in pdf.pages]
    # The right margin of running text: where most full lines end, across the document (a
    # short last page must not set its own, and one overlong line must not set it for all).
    ends = Counter(
        round(line["x1"] / 5) * 5 for _, lines in pages for line in lines if len(line["text"]) >= 10
    )
    right = float(ends.most_common(1)[0][0]) if ends else 0.0
    recognised: dict[int, str] = {}
    notes = [f"{n_pages} pages"]
    ocr_result = None
    if scanned:
        from extract.ingest import ocr

        if ocr.available():
            # A scanned page among text pages (a signed last page, an attachment).
            ocr_result, texts = ocr.recognise(
                ocr.render_pdf_pages(data, scanned), source, [i + 1 for i in scanned], n_pages
            )
            recognised = dict(zip(scanned, texts, strict=True))
            notes.append(f"pages recognised by OCR: {[i + 1 for i in scanned]}")
        else:
            notes.append(f"pages without a text layer left out: {[i + 1 for i in scanned]}")
    out: list[str] = []
    for index, (tables, lines) in enumerate(pages):
        if index in recognised:
            out.append(recognised[index])
            continue
        blocks = sorted(tables + _paragraphs(lines, right), key=lambda b: b[0])
        out.extend(text for _, text in blocks)
    return RawDocument(
        text="\n".join(out),
        format="pdf",
        notes=notes,
        ocr=ocr_result.provenance() if ocr_result else None,
        problems=ocr_result.flags() if ocr_result else [],
    )


def _read_scanned(
    data: bytes, source: str, n_pages: int, why: str = "it has no text layer (a scan)"
) -> RawDocument:
    from extract.ingest import ocr

    ocr.require(source, f"the PDF cannot be read as text: {why}")
    every = list(range(n_pages))
    result, texts = ocr.recognise(
        ocr.render_pdf_pages(data, every), source, [i + 1 for i in every], n_pages
    )
    if not any(t.strip() for t in texts):
        raise InputError(
            source,
            f"the PDF cannot be read as text ({why}) and OCR recognised no text on its "
            f"{n_pages} page(s); is it a blank or a picture?",
        )
    return RawDocument(
        text="\n".join(texts),
        format="pdf",
        notes=[f"{n_pages} pages, recognised by OCR ({why})"],
        ocr=result.provenance(),
        problems=result.flags(),
    )

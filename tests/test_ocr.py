"""Scanned reports: page images through OCR to the standard tables.

Layout tests are pure and always run. Tests that recognise real page images need the `ocr`
extra and a CJK font to draw the scans; without either they skip, saying which. The
five-seed acceptance run is marked `slow` (minutes on two cores).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import DOC_IDS, FIXTURES, gold, seed_path
from scan import (
    active_disclosure_table,
    applications_table,
    cjk_font_missing,
    review_table,
    scan,
    scanned_report,
    text_pdf,
)

from extract.evaluation.gold import load_gold
from extract.evaluation.score import compare_tables, match_facts
from extract.ingest import ocr, read_bytes, sniff_format
from extract.ingest.ocr_layout import (
    Box,
    find_grids,
    number_cell,
    page_layout,
    paragraphs,
    standard_label,
)
from extract.inputs import expand
from extract.pipeline import extract_bytes, extract_file
from extract.record import Record

needs_ocr = pytest.mark.skipif(
    not ocr.available(), reason="the `ocr` extra is not installed (pip install 'nianbao[ocr]')"
)
_font = cjk_font_missing()
needs_font = pytest.mark.skipif(_font is not None, reason=_font or "")


# --- layout: pure, no engine ----------------------------------------------------------------


def _ruled(height: int, width: int, ys: list[int], xs: list[int]) -> np.ndarray:
    ink = np.zeros((height, width), dtype=bool)
    for y in ys:
        ink[y : y + 2, xs[0] : xs[-1] + 2] = True
    for x in xs:
        ink[ys[0] : ys[-1] + 2, x : x + 2] = True
    return ink


def test_a_ruled_table_becomes_rows_of_cells_with_merged_cells_once() -> None:
    # The review table's head: 行政复议 spans five columns, 行政诉讼 the other two here.
    xs, ys = [10, 110, 210, 310, 410], [10, 60, 110]
    ink = _ruled(200, 500, ys, xs)
    ink[12:60, 110:112] = False  # no rule between 行政复议's columns in the first row
    ink[12:60, 310:312] = False
    (grid,) = find_grids(ink)
    assert len(grid.xs) == 5 and len(grid.ys) == 3
    boxes = [
        Box(40, 25, 100, 45, "行政复议", 0.99),
        Box(240, 25, 300, 45, "行政诉讼", 0.99),
        Box(50, 75, 60, 95, "2", 0.99),
        Box(150, 75, 160, 95, "3", 0.98),
        Box(250, 75, 260, 95, "0", 0.97),
        Box(350, 75, 360, 95, "5", 0.99),
    ]
    layout = page_layout(boxes, [grid])
    assert layout.tables == [(grid.top, "行政复议 | 行政诉讼\n2 | 3 | 0 | 5")]
    assert layout.lines == [] and layout.flags == []


def test_a_low_confidence_number_is_flagged_with_its_cell() -> None:
    ink = _ruled(120, 320, [10, 60, 110], [10, 110, 210, 310])
    (grid,) = find_grids(ink)
    boxes = [
        Box(20, 25, 100, 45, "行政处罚", 0.99),
        Box(140, 25, 160, 45, "127", 0.99),
        Box(20, 75, 100, 95, "行政强制", 0.99),
        Box(140, 75, 160, 95, "16", 0.61),
    ]
    layout = page_layout(boxes, [grid])
    assert layout.tables[0][1] == "行政处罚 | 127 | \n行政强制 | 16 | "
    (flag,) = layout.flags
    assert (flag.text, flag.where) == ("16", "table 1, row 2, column 2")


def test_garbled_cell_numbers_are_corrected_and_flagged() -> None:
    assert number_cell("i") == "1"
    assert number_cell(".0") == "0"
    assert number_cell("1O") == "10"
    assert number_cell("ò") == "0"
    assert number_cell("0") is None  # fine as it is
    assert number_cell("其他") is None and number_cell("3.其他") is None
    ink = _ruled(70, 220, [10, 60], [10, 110, 210])
    (grid,) = find_grids(ink)
    layout = page_layout(
        [Box(20, 25, 100, 45, "行政强制", 0.99), Box(150, 25, 156, 45, "i", 0.7)], [grid]
    )
    assert layout.tables[0][1] == "行政强制 | 1"
    assert [(f.text, f.taken_as) for f in layout.flags] == [("i", "1")]


def test_a_misread_standard_row_label_is_restored() -> None:
    misread = "1. 申请人无正当理由遥期不补正、行政机关不再处理其政府信息公开申请"
    assert standard_label(misread) == (
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    )
    assert (
        standard_label("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请") is None
    )
    assert standard_label("2.申请人逾期未按收费通知要求缴纳费用") is None  # too far from both
    assert standard_label("行政许可") is None


def test_running_text_lines_join_into_paragraphs_at_the_right_margin() -> None:
    text = seed_path("lishan-2024").read_text("utf-8").splitlines()[4]
    # A paragraph wrapped over three lines by the page, then a heading line.
    pieces = [text[:30], text[30:60], text[60:], "(二)切实做好建议提案办理工作"]
    boxes = [
        Box(100, 100, 1000, 120, pieces[0], 0.99),
        Box(60, 130, 1000, 150, pieces[1], 0.99),
        Box(60, 160, 700, 180, pieces[2], 0.99),
        Box(60, 190, 500, 210, pieces[3], 0.99),
    ]
    layout = page_layout(boxes, [])
    assert [p for _, p in paragraphs(layout.lines, 1000, 30)] == [
        text,
        "(二)切实做好建议提案办理工作",
    ]


def test_a_page_of_tables_only_has_no_paragraphs() -> None:
    assert paragraphs([], 1000, 30, (100.0,)) == []


def test_an_unruled_table_row_keeps_its_cells_apart() -> None:
    boxes = [
        Box(60, 100, 200, 120, "行政许可", 0.99),
        Box(400, 100, 460, 120, "14494", 0.99),
    ]
    assert page_layout(boxes, []).lines[0].text == "行政许可 | 14494"


# --- inputs and the missing extra ------------------------------------------------------------


def _png(width: int = 40, height: int = 30) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (width, height), 255).save(out, format="PNG")
    return out.getvalue()


def _blank_scan_pdf() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (300, 400), 255).save(out, format="PDF", resolution=150)
    return out.getvalue()


def test_images_are_recognised_by_their_bytes(tmp_path: Path) -> None:
    from PIL import Image

    assert sniff_format(_png(), "page.txt") == "image"
    jpeg = io.BytesIO()
    Image.new("RGB", (10, 10), "white").save(jpeg, format="JPEG")
    assert sniff_format(jpeg.getvalue(), "scan") == "image"
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "p1.png").write_bytes(_png())
    (tmp_path / "page_files").mkdir()  # a saved web page's logos are not reports
    (tmp_path / "page_files" / "logo.png").write_bytes(_png())
    assert expand([str(tmp_path)]) == [tmp_path / "scans" / "p1.png"]


@pytest.mark.parametrize("kind", ["pdf", "image"])
def test_without_the_extra_the_error_names_it(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    data = _blank_scan_pdf() if kind == "pdf" else _png()
    record, text = extract_bytes(data, f"scan.{kind}")
    assert text == ""
    (error,) = record.errors
    assert error.where == "input"
    assert "pip install 'nianbao[ocr]'" in error.message
    assert ("no text layer" if kind == "pdf" else "an image") in error.message


# --- real recognition -------------------------------------------------------------------------


def _tables_page(doc_id: str, directory: Path) -> Path:
    """One scanned page: sections 三 and 四 of a seed as their standard tables."""
    g = gold(doc_id)
    blocks: list[tuple[str, Any]] = [
        ("p", "三、收到和处理政府信息公开申请情况"),
        ("table", applications_table(g["tables"]["applications"], g["format"])),
        ("p", "四、政府信息公开行政复议、行政诉讼情况"),
        ("table", review_table(g["tables"]["review_litigation"])),
    ]
    return text_pdf(blocks, directory / f"{doc_id}-tables.pdf")


@needs_ocr
@needs_font
def test_a_scanned_tables_page_gives_the_gold_tables(tmp_path: Path) -> None:
    typeset = _tables_page("luozhuang-2024", tmp_path)
    scanned = scan(typeset, tmp_path / "scan.pdf", tilt=0.3, noise=0.001)
    assert read_bytes(scanned.read_bytes(), "scan.pdf").ocr is not None
    record, text = extract_file(scanned)
    expected = gold("luozhuang-2024")["tables"]
    assert record.tables.model_dump()["applications"] == expected["applications"]
    assert record.tables.model_dump()["review_litigation"] == expected["review_litigation"]
    provenance = record.provenance.ocr
    assert provenance is not None and provenance.engine == "rapidocr" and provenance.pages == 1
    assert provenance.mean_confidence is not None and provenance.mean_confidence > 0.9
    assert record.provenance.input_format == "pdf"
    # Whatever the record says about the scan names a page and a place on it.
    for error in record.errors:
        if error.where == "ocr":
            assert re.match(r"page 1, (table \d+, row \d+, column \d+|line \d+) \(x", error.message)
    # The text the record's offsets refer to is the OCR text, tables flattened as in HTML.
    assert "一、本年新收政府信息公开申请数量 | 273 | 2 | 0 | 0 | 0 | 0 | 275\n" in text


@needs_ocr
@needs_font
def test_a_photographed_table_as_jpeg(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    g = gold("lishan-2024")
    blocks: list[tuple[str, Any]] = [
        ("p", "二、主动公开政府信息情况"),
        ("table", active_disclosure_table(g["tables"]["active_disclosure"], g["format"])),
        ("p", "四、政府信息公开行政复议、行政诉讼情况"),
        ("table", review_table(g["tables"]["review_litigation"])),
    ]
    page = pdfium.PdfDocument(str(text_pdf(blocks, tmp_path / "t.pdf")))[0]
    image = page.render(scale=150 / 72).to_pil().convert("RGB")
    rows = np.nonzero((np.asarray(image.convert("L")) < 128).any(axis=1))[0]
    image = image.crop((0, 0, image.width, int(rows.max()) + 40))  # the part with the tables
    photo = tmp_path / "photo.jpg"
    image.save(photo, quality=80)  # no dpi recorded, as from a phone
    record, _ = extract_file(photo)
    assert record.provenance.input_format == "image"
    tables = record.tables.model_dump()
    assert tables["active_disclosure"] == g["tables"]["active_disclosure"]
    assert tables["review_litigation"] == g["tables"]["review_litigation"]


# --- acceptance: the five seeds, scanned -------------------------------------------------------


def _flagged(cell: str, predicted: Any, record: Record) -> bool:
    """Is a wrong cell pointed out by the record: an OCR flag quoting it, a problem naming
    its row, or a failed check of its table whose numbers include it?"""
    table, _, rest = cell.partition(".")
    row = re.sub(r"^rows\.|\[\d+\]$", "", rest).split(".")[-1]
    shown = "" if predicted is None else str(predicted)
    for error in record.errors:
        if error.where == "ocr" and shown and f"'{shown}" in error.message:
            return True
        if error.where == f"tables.{table}" and row in error.message:
            return True
    return any(
        not check.ok and check.name.startswith(table) and shown in check.detail
        for check in record.checks
    )


@pytest.mark.slow
@needs_ocr
@needs_font
def test_five_scanned_seeds_give_their_tables_and_facts(tmp_path: Path) -> None:
    cells = exact = 0
    for doc_id in DOC_IDS:
        g = gold(doc_id)
        typeset, scanned = scanned_report(
            seed_path(doc_id).read_text("utf-8"), g, tmp_path, tilt=0.4, noise=0.002
        )
        golden = load_gold(FIXTURES / f"{doc_id}.json")
        base, _ = extract_file(typeset)
        record, text = extract_file(scanned)
        tables = compare_tables(record, golden)
        cells += tables.cells
        exact += tables.correct
        unflagged = [m for m in tables.mismatches if not _flagged(m.cell, m.predicted, record)]
        assert unflagged == [], doc_id
        f1 = {}
        for name, r in (("text", base), ("ocr", record)):
            m = match_facts(r, golden)
            tp, fp, fn = len(m.tp), len(m.fp), len(m.fn)
            f1[name] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        assert f1["ocr"] >= 0.95 * f1["text"], (doc_id, f1)
        for fact in record.facts:
            assert text[fact.start : fact.end] == fact.evidence
    assert exact >= 0.99 * cells, (exact, cells)


# --- a text layer that is not the text ------------------------------------------------------


def _printed_without_unicode_maps(tmp_path: Path) -> Path:
    """The opening of a seed report printed to PDF by Chromium, with its fonts' Unicode maps
    (/ToUnicode) renamed away, as PDFs made by some typesetters come: the pages look right,
    their text layer reads as glyph codes and wrong characters."""
    from procs import chromium
    from render import to_html

    text = seed_path("lishan-2024").read_text("utf-8")
    page = to_html(text[: text.index("二、主动公开")], tmp_path / "opening.html")
    printed = tmp_path / "printed.pdf"
    chromium(f"--print-to-pdf={printed}", "--no-pdf-header-footer", page.as_uri())
    data = printed.read_bytes()
    assert b"/ToUnicode" in data
    unmapped = tmp_path / "unmapped.pdf"
    unmapped.write_bytes(data.replace(b"/ToUnicode", b"/ToUnicodX"))  # same length: xref holds
    return unmapped


@pytest.mark.browser
@needs_ocr
@needs_font
def test_a_pdf_whose_text_layer_is_not_its_text_is_read_by_ocr(tmp_path: Path) -> None:
    record = extract_file(_printed_without_unicode_maps(tmp_path))[0]
    assert record.provenance.ocr is not None  # its text is what OCR read on the pages
    assert record.year == 2024
    found = {(f.field, f.value) for f in record.facts}
    assert {("applications_received", 29), ("npc_suggestions", 12), ("cppcc_proposals", 4)} <= found


@pytest.mark.browser
def test_without_ocr_an_unreadable_text_layer_says_how_to_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    path = _printed_without_unicode_maps(tmp_path)
    (error,) = extract_file(path)[0].errors
    assert error.where == "input"
    assert "glyph codes ((cid:…)) or the wrong characters" in error.message
    assert ocr.INSTALL_HINT in error.message and "ocrmypdf" in error.message


def test_a_laid_out_pdf_is_not_taken_for_an_unreadable_one(tmp_path: Path) -> None:
    import pdfplumber
    from render import to_pdf

    from extract.ingest.pdf_reader import _garbled

    pdf_path = to_pdf(seed_path("lishan-2024").read_text("utf-8"), tmp_path / "r.pdf")
    with pdfplumber.open(pdf_path) as pdf:
        assert not _garbled(pdf)

"""The same report as .txt, .html, .docx and .pdf gives the same record content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import DOC_IDS, seed_path
from render import to_docx, to_html, to_pdf

from extract import extract
from extract.record import Record


def _found(record: Record) -> set[tuple[str, float]]:
    """The record's facts as (field, value): what a re-published report must keep."""
    return {(f.field, f.value) for f in record.facts}


# Seeds whose tables are flattened one row a line, so their cells can be rebuilt exactly.
ROW_SEEDS = ("lishan-2024", "luozhuang-2019")
WRITERS = {"html": to_html, "docx": to_docx, "pdf": to_pdf}


@pytest.mark.parametrize("doc_id", ROW_SEEDS)
@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_same_tables_and_facts_in_every_format(doc_id: str, fmt: str, tmp_path: Path) -> None:
    text = seed_path(doc_id).read_text("utf-8")
    base = extract(seed_path(doc_id))
    converted = extract(WRITERS[fmt](text, tmp_path / f"{doc_id}.{fmt}"))
    assert converted.provenance.input_format == fmt
    assert converted.errors == []
    assert converted.tables == base.tables
    assert converted.format == base.format
    assert converted.year == base.year and converted.issuer == base.issuer
    assert _found(converted) == _found(base)


def test_html_drops_navigation_and_keeps_cells(tmp_path: Path) -> None:
    from extract.ingest import read_bytes

    text = seed_path("lishan-2024").read_text("utf-8")
    raw = read_bytes(to_html(text, tmp_path / "r.html").read_bytes(), "r.html")
    assert "网站导航" not in raw.text and "主办单位" not in raw.text and "var x" not in raw.text
    assert "行政许可 | 14494" in raw.text


@pytest.mark.parametrize("spans", [False, True], ids=["text", "spans"])
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_html_whose_paragraphs_wrap_in_the_source_reads_as_a_browser_shows_it(
    doc_id: str, spans: bool, tmp_path: Path
) -> None:
    # Editors and CMSs (LibreOffice's HTML export among them) break a paragraph's source
    # anywhere: "共承办建议提案\n54 件". A browser shows a space there, or nothing between two
    # Chinese characters; the facts are those of the text.
    text = seed_path(doc_id).read_text("utf-8")
    base = extract(seed_path(doc_id))
    # The break may fall between two elements (Word's HTML puts each run in a span), where
    # the characters on either side are in different text nodes.
    record = extract(to_html(text, tmp_path / "wrapped.html", wrap=37, spans=spans))
    assert record.tables == base.tables
    assert _found(record) == _found(base)


@pytest.mark.parametrize("layout", ["cell", "two-rows", "row-per-block"])
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_html_laid_out_in_a_layout_table_reads_as_the_text(
    doc_id: str, layout: str, tmp_path: Path
) -> None:
    # Old sites put the whole page in a table: the report's cells are page regions, not
    # data cells, and its opening sentence (naming all six parts) may sit in a cell alone.
    text = seed_path(doc_id).read_text("utf-8")
    base = extract(seed_path(doc_id))
    record = extract(to_html(text, tmp_path / "laid-out.html", layout=layout))
    assert record.errors == []
    assert record.tables == base.tables
    assert record.issuer == base.issuer and record.year == base.year
    assert _found(record) == _found(base)


def test_html_data_table_with_a_long_note_row_keeps_its_rows(tmp_path: Path) -> None:
    # A statistics table often ends in a note row, one cell across the table holding a
    # sentence or two: the table is still data (its rows are rows), not a page region.
    from extract.ingest import read_bytes

    text = seed_path("lishan-2024").read_text("utf-8")
    page = to_html(text, tmp_path / "r.html").read_text("utf-8")
    note = (
        "注:本表所列数据的统计时限为当年1月1日至12月31日,其中“本年新收政府信息公开申请数量”"
        "包括通过信函、网络、当面等渠道提交的申请,不含咨询类事项。对同一申请人就同一内容重复"
        "提出的申请,按照一件统计。“其他”项主要是指申请人撤回申请等情形。"
    )
    at = page.index("</table>", page.index("本年新收"))
    noted = page[:at] + f"<tr><td colspan='9'>{note}</td></tr>" + page[at:]
    plain = read_bytes(page.encode("utf-8"), "r.html").text
    read = read_bytes(noted.encode("utf-8"), "noted.html").text
    (row,) = [line for line in plain.splitlines() if line.startswith("一、本年新收")]
    assert " | " in row and row in read.splitlines()
    assert note in read.splitlines()


_CONTENTS = (
    "<div class='toc'><p>目录</p><p><a href='#1'>一、总体情况</a></p>"
    "<p><a href='#2'>二、主动公开政府信息情况</a></p>"
    "<p><a href='#3'>三、收到和处理政府信息公开申请情况</a></p>"
    "<p><a href='#4'>四、政府信息公开行政复议、行政诉讼情况</a></p>"
    "<p><a href='#5'>五、存在的主要问题及改进情况</a></p>"
    "<p><a href='#6'>六、其他需要报告的事项</a></p></div>"
)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_html_with_a_table_of_contents_reads_the_report_not_the_contents(
    doc_id: str, tmp_path: Path
) -> None:
    # A contents list at the top of the article names every numbered heading, in a far
    # smaller element than the report: it must not be taken for the report (every table
    # and fact was lost).
    text = seed_path(doc_id).read_text("utf-8")
    base = extract(seed_path(doc_id))
    path = to_html(text, tmp_path / "contents.html")
    page = path.read_text("utf-8")
    opening = "<div class='article-content'>"
    path.write_text(page.replace(opening, opening + _CONTENTS, 1), "utf-8")
    record = extract(path)
    assert record.tables == base.tables
    assert _found(record) == _found(base)


def test_html_line_breaks_between_chinese_characters_vanish_and_pre_keeps_its_lines() -> None:
    from extract.ingest import read_bytes

    page = (
        "<html><body><div><p>全年共收到政府信息公开申请\n  54 件,均已按时答复。本机关共承办建\n"
        "议提案12件。</p><pre>一、总体情况\n二、主动公开</pre>"
        "<div style='white-space: pre-line'>第一行\n第二行</div></div></body></html>"
    )
    text = read_bytes(page.encode("utf-8"), "p.html").text
    assert "全年共收到政府信息公开申请 54 件,均已按时答复。本机关共承办建议提案12件。" in text
    assert "一、总体情况\n二、主动公开" in text and "第一行\n第二行" in text


def test_gbk_html_is_decoded(tmp_path: Path) -> None:
    text = seed_path("lishan-2024").read_text("utf-8")
    record = extract(to_html(text, tmp_path / "gbk.html", encoding="gb18030"))
    assert record.provenance.encoding == "gb18030"
    assert record.issuer == "鞍山市立山区人民政府"


def test_format_is_sniffed_from_the_bytes_not_the_name(tmp_path: Path) -> None:
    text = seed_path("lishan-2024").read_text("utf-8")
    pdf = to_pdf(text, tmp_path / "r.pdf")
    renamed = tmp_path / "report.txt"
    renamed.write_bytes(pdf.read_bytes())
    assert extract(renamed).provenance.input_format == "pdf"


def test_offsets_refer_to_the_printed_text(tmp_path: Path) -> None:
    from extract.pipeline import extract_file

    text = seed_path("lishan-2024").read_text("utf-8")
    record, normalised = extract_file(to_docx(text, tmp_path / "r.docx"))
    for fact in record.facts:
        assert normalised[fact.start : fact.end] == fact.evidence


DOC_FILES = Path(__file__).parent / "data" / "doc"  # Word 97 files LibreOffice wrote (README)
needs_antiword = pytest.mark.skipif(
    shutil.which("antiword") is None, reason="antiword is not installed (apt install antiword)"
)


@needs_antiword
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_a_word_97_doc_gives_the_record_its_text_gives(doc_id: str) -> None:
    # antiword runs the wide tables of sections 三 and 四 into one line of cells and puts the
    # next heading at its end: the tables and sections are still those of the text.
    from extract.pipeline import extract_file

    base = extract(seed_path(doc_id))
    record, normalised = extract_file(DOC_FILES / f"{doc_id}.doc")
    assert record.provenance.input_format == "doc"
    assert record.errors == []
    assert record.tables == base.tables
    assert record.format == base.format
    assert record.year == base.year and record.issuer == base.issuer
    assert _found(record) == _found(base)
    for fact in record.facts:
        assert normalised[fact.start : fact.end] == fact.evidence


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_a_text_written_in_cjk_radicals_gives_the_record_of_the_text(
    doc_id: str, tmp_path: Path
) -> None:
    # A PDF whose font maps glyphs to the radicals blocks (Chrome's print to PDF) gives
    # "⼀、总体情况", "⼈⺠政府": every ideograph that has a radical look-alike is written as
    # that radical here, and the record is the text's.
    from extract.pipeline import extract_file
    from extract.textnorm import _RADICALS

    look_alike: dict[str, str] = {}
    for radical, ideograph in sorted(_RADICALS.items(), reverse=True):  # Kangxi ones win
        look_alike[chr(ideograph)] = chr(radical)
    text = seed_path(doc_id).read_text("utf-8")
    written = "".join(look_alike.get(ch, ch) for ch in text)
    assert written != text
    path = tmp_path / f"{doc_id}.txt"
    path.write_text(written, "utf-8")
    base = extract(seed_path(doc_id))
    record, normalised = extract_file(path)
    assert record.tables == base.tables and record.issuer == base.issuer
    assert record.year == base.year and record.errors == base.errors
    assert _found(record) == _found(base)
    for fact in record.facts:
        assert normalised[fact.start : fact.end] == fact.evidence

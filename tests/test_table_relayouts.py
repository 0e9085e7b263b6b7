"""Every seed, re-laid out the ways real reports reach us, gives back its gold tables."""

from __future__ import annotations

import pytest
from conftest import DOC_IDS, gold
from layouts import (
    all_run_together,
    blank_zeros,
    fees_in_yuan,
    flatten_unexpanded,
    html_active,
    html_review,
    lone_other_row,
    markdown_reordered,
    misprinted,
    pdf_debris,
    replace_body,
    run_together,
    score,
    seed_text,
    unexpanded_spans,
    unexpanded_spans_blank,
)

from extract import extract_text

# The standard gives table 二 no arithmetic, so a run-together row of it with several
# cells is ambiguous unless the digits allow one cut only (``116``, ``000``) or the relations
# its definitions imply leave one (``new_published ≤ total_published``); table 四's groups
# only fix each group's total. These are the cells the arithmetic leaves open and the
# narrative does not state (luozhuang-2019's review group is stated in its section 一).
AMBIGUOUS = {
    "luozhuang-2024": {"active_disclosure.normative_documents": 3},  # 2121
    "lishan-2024": {},
    "linyi-2023": {"active_disclosure.normative_documents": 3},  # 7853356
    "luozhuang-2019": {
        "active_disclosure.normative_documents": 3,  # 7713: 7|7|13 or 77|1|3
        "active_disclosure.administrative_licensing": 2,  # 134 增加 5834809: change, decisions
        "active_disclosure.centralized_procurement": 2,  # 81878681 万元
    },
    "yuezhuang-2024": {},
}


def _exact(doc_id: str, text: str):  # type: ignore[no-untyped-def]
    record = extract_text(text)
    exact, total, nulls, wrong = score(record.tables.model_dump(mode="json"), doc_id)
    return record, exact, total, nulls, wrong


@pytest.mark.parametrize("layout", [pdf_debris, misprinted], ids=lambda f: f.__name__)
def test_layout_gives_the_gold_tables(doc_id: str, layout) -> None:  # type: ignore[no-untyped-def]
    text = layout(seed_text(doc_id))
    assert text != seed_text(doc_id)
    record, exact, total, _, wrong = _exact(doc_id, text)
    assert wrong == []
    assert exact == total
    assert record.errors == []
    if layout is pdf_debris:  # the garbled headings are still headings: sections, facts intact
        assert not any("located by its own rows" in w.message for w in record.warnings)
        clean = extract_text(seed_text(doc_id))
        assert {(f.field, f.value) for f in record.facts} == {
            (f.field, f.value) for f in clean.facts
        }


@pytest.mark.parametrize("layout", [unexpanded_spans, markdown_reordered], ids=lambda f: f.__name__)
def test_converted_layout_gives_the_gold_tables(doc_id: str, layout) -> None:  # type: ignore[no-untyped-def]
    text = layout(seed_text(doc_id), doc_id)
    record, exact, total, _, wrong = _exact(doc_id, text)
    assert (exact, total - exact, wrong) == (total, 0, [])
    assert record.errors == []
    if layout is markdown_reordered:
        # 三 stands before 二 and both are still found under their headings
        assert not any("located by its own rows" in w.message for w in record.warnings)
        assert [w.message.split(":")[0] for w in record.warnings] == ["row granted"]


def test_vanished_blank_cells_are_placed_or_left_null_never_misplaced(doc_id: str) -> None:
    want = blank_zeros(gold(doc_id)["tables"])["applications"]["rows"]
    record = extract_text(unexpanded_spans_blank(seed_text(doc_id), doc_id))
    assert record.tables.applications is not None
    got = record.tables.applications.rows
    for key, row in want.items():
        for column, (w, g) in enumerate(zip(row, got[key], strict=True)):
            assert g is None or g == w, (key, column)
        if got[key] != row:  # a row the arithmetic could not place is named as ambiguous
            assert any(e.message.startswith(f"row {key}: ") for e in record.errors)


def test_fee_amount_in_yuan_goes_into_the_10k_yuan_key() -> None:
    record = extract_text(fees_in_yuan(seed_text("linyi-2023")))
    assert record.tables.active_disclosure is not None
    assert record.tables.active_disclosure["administrative_fees"] == {
        "amount_10k_yuan": 123750.1117
    }
    assert [w.message for w in record.warnings] == [
        "administrative_fees.amount_10k_yuan: printed in 元, converted to 万元"
    ]


def test_a_2021_table_with_one_other_row() -> None:
    # linyi prints 其他处理 as 75 2 0 0 0 0 77: the zero columns are zero in every sub-row,
    # the rest cannot be divided and is left null with an error keeping the printed row.
    record = extract_text(lone_other_row(seed_text("linyi-2023"), "linyi-2023"))
    assert record.tables.applications is not None
    rows = record.tables.applications.rows
    for key in ("other.no_correction", "other.unpaid_fee", "other.other"):
        assert rows[key] == [None, None, 0, 0, 0, 0, None]
    assert [e.message[:40] for e in record.errors] == [
        "(六)其他处理 is printed as one row [75, 2, 0, 0, 0, 0, 77]"[:40]
    ]
    # a row of zeros is three rows of zeros
    record = extract_text(lone_other_row(seed_text("yuezhuang-2024"), "yuezhuang-2024"))
    assert record.tables.model_dump(mode="json") == gold("yuezhuang-2024")["tables"]
    assert record.errors == []


def test_misprinted_rows_are_placed_by_position_and_say_so(doc_id: str) -> None:
    record = extract_text(misprinted(seed_text(doc_id)))
    placed = {w.message.split(":")[0] for w in record.warnings if "by their position" in w.message}
    assert placed == {
        "row administrative_punishment",
        "row withheld.prohibited_by_law",
        "row withheld.administrative_query",
    }


@pytest.mark.parametrize("layout", [run_together, all_run_together], ids=lambda f: f.__name__)
def test_run_together_cells_are_split_by_the_arithmetic(doc_id: str, layout) -> None:  # type: ignore[no-untyped-def]
    record, exact, total, nulls, wrong = _exact(doc_id, layout(seed_text(doc_id)))
    assert wrong == [], "a run-together cell must never be guessed"
    expected = AMBIGUOUS[doc_id]
    assert nulls == sum(expected.values())
    assert exact == total - nulls
    # every null cell is named in an error, and nothing else is an error
    named: dict[str, int] = {}
    for e in record.errors:
        assert e.where.startswith("tables."), e
        cells = e.message.split("ambiguous cells left null: ")[1].split(", ")
        named[e.where.removeprefix("tables.")] = named.get(
            e.where.removeprefix("tables."), 0
        ) + len(cells)
    by_table: dict[str, int] = {}
    for key, n in expected.items():
        by_table[key.split(".")[0]] = by_table.get(key.split(".")[0], 0) + n
    assert named == by_table
    assert any("run together" in w.message for w in record.warnings)


def test_run_together_seeds_overall() -> None:
    exact = total = 0
    for doc_id in DOC_IDS:
        _, e, t, _, wrong = _exact(doc_id, run_together(seed_text(doc_id)))
        assert wrong == []
        exact, total = exact + e, total + t
    assert (exact, total) == (985, 998)


def test_application_rows_read_two_ways_are_settled_by_the_columns() -> None:
    # 2074|28|2|8|3|1|2116 and 2074|2|8|28|3|1|2116 both add up; only the first lets
    # 总计 = the sum of the results in every column.
    record = extract_text(run_together(seed_text("linyi-2023")))
    assert record.tables.applications is not None
    assert record.tables.applications.rows["granted"] == [2074, 28, 2, 8, 3, 1, 2116]
    assert all(c.ok for c in record.checks if c.name.startswith("applications."))


def test_narrative_counts_are_not_a_run_together_table() -> None:
    # From a real report's section 一 (eval/corpus/tune/b17-gouzhao-2021): labels of table
    # 三 followed by short counts with their measure word are narrative, not cells.
    text = (
        "(二)依申请公开情况\n2021年,沟赵办事处共收到7件依申请公开件,办结6件,"
        "结转下年度继续办理1件,予以公开3件,按照规定在规定时间内办结。\n"
    )
    from extract.sections import split_sections
    from extract.tables.parse import parse_applications

    assert "applications" not in split_sections(text)  # "(二)" never numbers a section
    result = parse_applications(text, "2021")
    assert result.table is None
    assert result.warnings == []


def test_short_rows_of_table_two_are_placed_by_their_marks_or_left_null() -> None:
    # An HTML table 二 with blank cells, flattened so that the blanks vanish: 规范性文件 7 13
    # could be any two of its three columns; 增加 58 is the 本年增/减 cell and 78681 万元 the
    # amount, whatever stood before them.
    tables = gold("luozhuang-2019")["tables"]
    tables["active_disclosure"]["normative_documents"]["new_published"] = None
    tables["active_disclosure"]["administrative_licensing"]["items_last_year"] = None
    tables["active_disclosure"]["centralized_procurement"]["projects"] = None
    body = flatten_unexpanded(html_active(tables, "2019"))
    assert "规范性文件 | 7 | 13" in body and "政府集中采购 | 78681 万元" in body
    text = replace_body(seed_text("luozhuang-2019"), "active_disclosure", body)
    record = extract_text(text)
    assert record.tables.active_disclosure is not None
    got = record.tables.active_disclosure
    assert got["normative_documents"] == dict.fromkeys(
        ("new_made", "new_published", "total_published")
    )
    assert got["administrative_licensing"] == {
        "items_last_year": None,
        "change": 58,
        "decisions": 34809,
    }
    assert got["centralized_procurement"] == {"projects": None, "amount_10k_yuan": 78681}
    [error] = [e.message for e in record.errors if e.where == "tables.active_disclosure"]
    assert error.startswith("row normative_documents: the printed values 7 13 read 3 ways")
    placed = [w.message.split(":")[0] for w in record.warnings if "values printed" in w.message]
    assert placed == ["row administrative_licensing", "row centralized_procurement"]


def test_table_four_with_vanished_blank_cells_is_placed_by_its_totals(doc_id: str) -> None:
    # A report printing the zeros of table 四 blank, flattened so that the blanks vanish:
    # the values keep their order, and each placement where every group's 总计 is the sum
    # of its results is a reading; cells the readings disagree on are null and named.
    tables = gold(doc_id)["tables"]
    review = {
        g: {c: v or None for c, v in row.items()} for g, row in tables["review_litigation"].items()
    }
    body = flatten_unexpanded(html_review({"review_litigation": review}))
    record = extract_text(replace_body(seed_text(doc_id), "review_litigation", body))
    got = record.tables.model_dump(mode="json")["review_litigation"]
    if got is None:  # yuezhuang-2024: all zeros, so nothing printed, and the error says so
        assert not any(v for row in review.values() for v in row.values())
        assert [e.message for e in record.errors] == ["the table holds no numbers"]
        return
    for group, row in review.items():
        for column, want in row.items():
            assert got[group][column] in (None, want), (group, column)
    assert got["reconsideration"] == review["reconsideration"] or any(
        "ambiguous cells left null" in e.message for e in record.errors
    )
    if doc_id == "luozhuang-2019":  # 10 10 1 2 23 | 1 1 2 | 6 2 8: the totals stand fast
        assert got["reconsideration"] == review["reconsideration"]
        assert got["litigation_direct"]["total"] == 2
        assert got["litigation_after_reconsideration"]["total"] == 8


def test_a_page_on_one_line_keeps_its_sections(doc_id: str) -> None:
    # get_text() of a page with no block breaks: the headings stand inside the one line,
    # among numbered lines that are no headings (四、结转下年度继续办理, a pasted notice's
    # 一、轮训内容); the sections, the tables under them and the facts all come back.
    from extract.inline_sections import inline_sections

    text = all_run_together(seed_text(doc_id))
    assert text.count("\n") == 1
    sections = inline_sections(text)
    assert [text[s.start : s.body_start] for s in sections.values()] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    record = extract_text(text)
    assert not any(e.where == "sections" for e in record.errors)
    assert not any("no recognisable heading" in w.message for w in record.warnings)
    clean = extract_text(seed_text(doc_id))
    # the same facts (and, for luozhuang-2019, one more: a pasted notice's "依申请公开0件",
    # wrapped over two lines in the seed, is whole on one line)
    assert {(f.field, f.value) for f in clean.facts} <= {(f.field, f.value) for f in record.facts}


def test_numbered_items_that_name_no_standard_title_start_no_section() -> None:
    from extract.inline_sections import inline_sections, runs_on

    # From luozhuang-2019's pasted notices, on one line: numbered, but no standard title.
    notice = (
        "现将有关事宜通知如下:一、轮训内容一是优化各相关单位政务公开目录。二、轮训对象区政府"
        "有关部门。三、本年度办理结果予以公开。四、结转下年度继续办理。"
    )
    assert inline_sections(notice * 20) == {}
    assert runs_on(notice * 20)
    assert not runs_on(seed_text("linyi-2023"))  # a laid-out report keeps its own reader

"""The standard tables of the five seeds equal the hand-checked gold, cell for cell."""

from __future__ import annotations

from conftest import gold, seed_path

from extract import extract

# Checks that fail because the report itself is inconsistent (verified by hand):
REPORT_INCONSISTENT = {
    # narrative says 29 applications received, the table says 49
    ("lishan-2024", "cross.applications_received"),
    # narrative counts 8 lawsuits; the table has 2 direct + 8 after reconsideration
    ("luozhuang-2019", "cross.litigation_cases"),
}


def test_tables_equal_gold(doc_id: str) -> None:
    record = extract(seed_path(doc_id))
    expected = gold(doc_id)
    assert record.format == expected["format"]
    assert record.tables.model_dump(mode="json") == expected["tables"]
    assert record.errors == []


def test_every_check_holds_where_the_report_is_consistent(doc_id: str) -> None:
    record = extract(seed_path(doc_id))
    failed = {(doc_id, c.name) for c in record.checks if not c.ok}
    assert failed == {k for k in REPORT_INCONSISTENT if k[0] == doc_id}
    names = {c.name for c in record.checks}
    # the 勾稽关系 of every column, every row total and every review total are all checked
    assert {f"applications.balance.{c}" for c in ("natural_person", "total")} <= names
    assert "applications.results_sum.total" in names
    assert "applications.row_total.granted" in names
    assert "review_litigation.litigation_after_reconsideration.total" in names


def test_check_detail_shows_the_numbers() -> None:
    record = extract(seed_path("luozhuang-2024"))
    balance = next(c for c in record.checks if c.name == "applications.balance.total")
    assert balance.ok and balance.detail == "275+0 = 269+6"


def test_tables_found_by_their_rows_when_headings_are_missing(doc_id: str) -> None:
    import re

    from extract import extract_text

    text = seed_path(doc_id).read_text("utf-8")
    stripped = re.sub(
        r"^\s*[二三四]、(主动公开政府信息情况|收到和处理政府信息公开申请情况|"
        r"政府信息公开行政复议、行政诉讼情况)\s*$",
        "",
        text,
        flags=re.M,
    )
    assert stripped != text
    record = extract_text(stripped)
    assert record.tables.model_dump(mode="json") == gold(doc_id)["tables"]
    # the tables are right, so nothing is an error; how they were found is a warning
    assert record.errors == []
    assert {e.where for e in record.warnings} <= {
        "tables.active_disclosure",
        "tables.applications",
        "tables.review_litigation",
    }
    assert record.warnings and all("located by its own rows" in e.message for e in record.warnings)
    assert {(f.field, f.value) for f in record.facts} == {
        (f.field, f.value) for f in extract(seed_path(doc_id)).facts
    }

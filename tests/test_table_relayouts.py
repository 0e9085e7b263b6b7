"""Every seed, re-laid out the ways real reports reach us, gives back its gold tables."""

from __future__ import annotations

import pytest
from conftest import DOC_IDS
from layouts import all_run_together, misprinted, pdf_debris, run_together, score, seed_text

from extract import extract_text

# The standard gives table 二 no arithmetic, so a run-together row of it with several
# cells is ambiguous unless the digits allow one cut only (``116``, ``000``); table 四's
# groups only fix each group's total. These are the cells the arithmetic leaves open.
AMBIGUOUS = {
    "luozhuang-2024": {"active_disclosure.normative_documents": 3},  # 2121
    "lishan-2024": {},
    "linyi-2023": {"active_disclosure.normative_documents": 3},  # 7853356
    "luozhuang-2019": {
        "active_disclosure.normative_documents": 3,  # 7713
        "active_disclosure.administrative_licensing": 2,  # 134 增加 5834809: change, decisions
        "active_disclosure.centralized_procurement": 2,  # 81878681 万元
        "review_litigation.reconsideration": 4,  # 10 10 1 2 | 23 or 1 0 10 12 | 23 or …
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
        if e.where == "sections" and layout is all_run_together:
            continue  # one line of text has no headings: the tables are found by their rows
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
    assert (exact, total) == (981, 998)


def test_application_rows_read_two_ways_are_settled_by_the_columns() -> None:
    # 2074|28|2|8|3|1|2116 and 2074|2|8|28|3|1|2116 both add up; only the first lets
    # 总计 = the sum of the results in every column.
    record = extract_text(run_together(seed_text("linyi-2023")))
    assert record.tables.applications is not None
    assert record.tables.applications.rows["granted"] == [2074, 28, 2, 8, 3, 1, 2116]
    assert all(c.ok for c in record.checks if c.name.startswith("applications."))

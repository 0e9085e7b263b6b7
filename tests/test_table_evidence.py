"""Run-together cells the arithmetic leaves open are settled only by what the report itself
says: the relations the standard's definitions imply, and the narrative restating the table.
Anything less leaves them null with their error; nothing is guessed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, gold
from layouts import all_run_together, run_together, score, seed_text

from extract import extract_text
from extract.metadata import find_year
from extract.tables import implied, narrative
from extract.textnorm import normalise

# luozhuang-2019, section 一: the review group 10|10|1|2|23 restated in prose.
SAID = (
    "2019年,全区共收到因政府信息公开提起的行政复议23件,均已在规定时间内办结,其中维持具体"
    "行政行为10件,被依法纠错10件,其他情形1件,尚未审结2件。"
)
REVIEW_COLUMNS = [c for c, _ in narrative.COLUMNS["review_litigation"]]
ACTIVE_COLUMNS = [c for c, _ in narrative.COLUMNS["active_disclosure"]]


def _luozhuang_2019(said: str) -> str:
    text = seed_text("luozhuang-2019")
    assert SAID in text
    return text.replace(SAID, said)


def _corpus(doc_id: str) -> str:
    return normalise(Path(ROOT / "eval" / "corpus" / "tune" / f"{doc_id}.txt").read_text("utf-8"))


@pytest.mark.parametrize("layout", [run_together, all_run_together], ids=lambda f: f.__name__)
def test_the_narrative_settles_the_review_group_it_states(layout) -> None:  # type: ignore[no-untyped-def]
    # 10101223 reads 10|10|1|2, 10|1|0|12 and 1|0|10|12 (each adds up to 23); only the first
    # is what section 一 says, cell by cell.
    record = extract_text(layout(seed_text("luozhuang-2019")))
    got = record.tables.model_dump(mode="json")["review_litigation"]
    assert got == gold("luozhuang-2019")["tables"]["review_litigation"]
    assert not [e for e in record.errors if e.where == "tables.review_litigation"]
    [said] = [w.message for w in record.warnings if "the narrative states" in w.message]
    assert "reconsideration.corrected 10" in said
    assert "被依法纠错10件" in said
    assert "only 10|10|1|2|23|" in said


def test_a_statement_continued_in_the_next_sentence_counts() -> None:
    said = SAID.replace(",均已在规定时间内办结,其中", "。其中")
    record = extract_text(run_together(_luozhuang_2019(said)))
    assert record.tables.review_litigation is not None
    assert record.tables.review_litigation.reconsideration.corrected == 10


@pytest.mark.parametrize(
    "said",
    [
        # another year's cases
        SAID.replace("2019年", "2018年"),
        # the numbers stand beside other labels: no reading agrees with them all
        SAID.replace("纠错10件,其他情形1件", "纠错1件,其他情形10件"),
        # one number only, and both 10|10|1|2 and 10|1|0|12 have it
        "2019年,全区共收到因政府信息公开提起的行政复议23件,其中维持具体行政行为10件。",
        # one count for two labels
        SAID.replace("维持具体行政行为10件,被依法纠错10件", "维持和纠错各10件"),
        # the same counts said of litigation, not of reconsideration
        SAID.replace("行政复议", "行政诉讼"),
        # the body's reconsideration work as the reviewing authority, not about 信息公开
        SAID.replace("因政府信息公开提起的", ""),
        # the narrative states a cell two ways
        SAID + "全区因政府信息公开被申请行政复议的案件中,被依法纠错1件。",
    ],
    ids=[
        "other-year",
        "other-labels",
        "one-shared-number",
        "two-labels-one-count",
        "litigation",
        "not-about-disclosure",
        "stated-two-ways",
    ],
)
def test_what_the_narrative_does_not_state_stays_null(said: str) -> None:
    record = extract_text(run_together(_luozhuang_2019(said)))
    assert record.tables.review_litigation is not None
    group = record.tables.review_litigation.reconsideration
    assert (group.upheld, group.corrected, group.other, group.pending, group.total) == (
        None,
        None,
        None,
        None,
        23,
    )
    [error] = [e.message for e in record.errors if e.where == "tables.review_litigation"]
    assert error.endswith(
        "reconsideration.upheld, reconsideration.corrected, reconsideration.other, "
        "reconsideration.pending"
    )
    assert not any("the narrative states" in w.message for w in record.warnings)


def test_statements_read_from_real_reports() -> None:
    def said(doc_id: str, table: str, columns: list[str]) -> set[tuple[str, str, object]]:
        text = _corpus(doc_id)
        found = narrative.statements(text, table, columns, find_year(text))
        return {(s.row, s.column, s.value) for s in found}

    # "全年因政府信息公开产生行政复议案件6件和行政诉讼案件3件,其中行政复议结果维持5件,尚未审结1件,
    # 行政诉讼结果维持3件": the first clause names both (so neither), the litigation one says
    # not which kind.
    assert said("c25-dazuban-2023", "review_litigation", REVIEW_COLUMNS) == {
        ("reconsideration", "upheld", 5),
        ("reconsideration", "pending", 1),
    }
    # A 司法局 reporting the reconsiderations it decided ("受理行政复议申请56件…撤销4件,确认
    # 违法7件,维持12件"): not about 信息公开, so nothing.
    assert said("e22-xianningsfj-2020", "review_litigation", REVIEW_COLUMNS) == set()
    # "主动公开本年度制发的省政府规章2件" states 本年制发; "公开…规范性文件1件" (disclosed)
    # does not.
    assert said("d12-jlbgt-2025", "active_disclosure", ACTIVE_COLUMNS) == {
        ("regulations", "issued", 2)
    }
    assert said("a22-moyu-2025", "active_disclosure", ACTIVE_COLUMNS) == set()


@pytest.mark.parametrize(
    "sentence",
    [
        "2019年,因政府信息公开被申请的行政复议维持和纠错各10件。",  # two columns, one count
        "2019年,因政府信息公开提起的行政复议和行政诉讼维持10件。",  # two rows, one count
        "2019年,因政府信息公开提起的行政诉讼中,维持10件。",  # litigation of which kind?
        "2019年,因政府信息公开提起的行政复议维持约10件。",  # not exact
        "2019年,因政府信息公开提起的行政复议中维持的同比增加2件。",  # a change
        "上年因政府信息公开提起的行政复议中维持10件。",  # last year
        # a new sentence without 其中 names its own subject (here none of the table's)
        "2019年,因政府信息公开提起的行政复议10件。依申请公开答复中维持原决定10件。",
    ],
)
def test_a_clause_that_does_not_tie_one_count_to_one_cell_states_nothing(sentence: str) -> None:
    assert narrative.statements(sentence, "review_litigation", ["upheld", "corrected"], 2019) == []


def test_a_clause_ties_one_count_to_one_cell() -> None:
    found = narrative.statements(
        "2019年,因政府信息公开提起的行政复议3件,其中维持2件、纠正1件;经复议后提起行政诉讼的"
        "2件,均维持,其中尚未审结1件。",
        "review_litigation",
        REVIEW_COLUMNS,
        2019,
    )
    assert {(s.row, s.column, s.value) for s in found} == {
        ("reconsideration", "total", 3),
        ("reconsideration", "upheld", 2),
        ("reconsideration", "corrected", 1),
        ("litigation_after_reconsideration", "total", 2),
        ("litigation_after_reconsideration", "pending", 1),
    }


# Modelled on a real report (海城市西四镇 2025, section 一): "我镇共制定规范性文件0件,废止规范性
# 文件0件,现行有效的规范性文件。" Here with luozhuang-2024's own numbers, 2|1|21.
_ANCHOR = "积极推进规范性文件的立改废释工作,"
_DOCUMENTS = "2024年,全区共制定规范性文件2件,废止规范性文件1件,现行有效规范性文件21件。"


@pytest.mark.parametrize("layout", [run_together, all_run_together], ids=lambda f: f.__name__)
def test_the_narrative_settles_a_row_of_table_two(layout) -> None:  # type: ignore[no-untyped-def]
    text = seed_text("luozhuang-2024").replace(_ANCHOR, _DOCUMENTS + _ANCHOR)
    record = extract_text(layout(text))
    exact, total, nulls, wrong = score(record.tables.model_dump(mode="json"), "luozhuang-2024")
    assert (exact, total, nulls, wrong) == (200, 200, 0, [])
    assert not [e for e in record.errors if e.where.startswith("tables")]
    assert any("全区共制定规范性文件2件" in w.message for w in record.warnings)


@pytest.mark.parametrize(
    "said",
    [
        _DOCUMENTS.replace("2024年", "2023年"),  # last year's documents
        _DOCUMENTS.replace("规范性文件", "规章"),  # another row
        _DOCUMENTS.replace(",现行有效规范性文件21件", ""),  # in_force unstated: 2|1|21 or 2|12|1?
    ],
    ids=["other-year", "other-row", "one-cell-unstated"],
)
def test_table_two_stays_null_without_a_full_statement(said: str) -> None:
    text = seed_text("luozhuang-2024").replace(_ANCHOR, said + _ANCHOR)
    record = extract_text(run_together(text))
    assert record.tables.active_disclosure is not None
    assert record.tables.active_disclosure["normative_documents"] == {
        "issued": None,
        "repealed": None,
        "in_force": None,
    }
    assert any(
        e.message.startswith("row normative_documents: ")
        for e in record.errors
        if e.where == "tables.active_disclosure"
    )


# --- relations the definitions imply -----------------------------------------------------

_DOCS_2019 = ("new_made", "new_published", "total_published")


def test_new_published_never_exceeds_total_published() -> None:
    # 1210: 1|2|10, 1|21|0 or 12|1|0; only the first has new_published ≤ total_published.
    found = implied.narrow(
        "2019", "normative_documents", _DOCS_2019, [(1, 2, 10), (1, 21, 0), (12, 1, 0)]
    )
    assert found.readings == [(1, 2, 10)]
    assert found.settled_by is not None
    assert found.settled_by.text == "new_published ≤ total_published"
    # 7713 (luozhuang-2019): 7|71|3 goes, 7|7|13 and 77|1|3 both stay
    found = implied.narrow(
        "2019", "normative_documents", _DOCS_2019, [(7, 7, 13), (7, 71, 3), (77, 1, 3)]
    )
    assert (found.readings, found.settled_by) == ([(7, 7, 13), (77, 1, 3)], None)


def test_a_decrease_never_exceeds_last_years_items() -> None:
    columns = ("items_last_year", "change", "decisions")
    found = implied.narrow(
        "2019", "administrative_coercion", columns, [(130, -38, 1519), (130, -381, 519)]
    )
    assert found.readings == [(130, -38, 1519)]
    assert found.settled_by is not None and found.settled_by.text == "0 ≤ items_last_year + change"


def test_a_report_breaking_a_relation_learns_nothing_from_it() -> None:
    # Two readings that both put more documents in 本年新公开 than in the total: the report
    # misfills its table, and the relation says nothing about which reading it printed.
    readings = [(7, 71, 3), (77, 10, 3)]
    found = implied.narrow("2019", "normative_documents", _DOCS_2019, readings)
    assert found.readings == readings
    assert found.broken is not None and [r.text for r in found.broken] == [
        "new_published ≤ total_published"
    ]


def test_the_2021_standard_implies_no_bound_between_its_columns() -> None:
    # A document issued this year may be repealed, or lapse, the same year: 2|12|1 (in force
    # fewer than issued) is a correct table, so 2121 keeps all three readings.
    readings = [(2, 1, 21), (2, 12, 1), (21, 2, 1)]
    cols = ("issued", "repealed", "in_force")
    assert implied.narrow("2021", "normative_documents", cols, readings).readings == readings


def test_a_relation_settles_a_run_together_row_and_says_which() -> None:
    text = seed_text("luozhuang-2019").replace("规范性文件\t7\t7\t13", "规范性文件\t1\t2\t10")
    record = extract_text(run_together(text))
    assert record.tables.active_disclosure is not None
    assert record.tables.active_disclosure["normative_documents"] == {
        "new_made": 1,
        "new_published": 2,
        "total_published": 10,
    }
    assert any(
        w.message.startswith("row normative_documents: ")
        and "new_published ≤ total_published" in w.message
        for w in record.warnings
    )

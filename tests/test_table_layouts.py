"""The row reader must not depend on how a table was flattened."""

from __future__ import annotations

import pytest
from conftest import ROOT, gold

from extract.checks import application_checks
from extract.tables.parse import (
    parse_active_disclosure,
    parse_applications,
    parse_review_litigation,
)
from extract.tables.standard import APPLICATIONS

LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "三、本年度办理结果 (一)予以公开",
    "partially_granted": "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
    "withheld.state_secret": "(三)不予公开 1.属于国家秘密",
    "withheld.prohibited_by_law": "2.其他法律行政法规禁止公开",
    "withheld.security_stability": "3.危及“三安全一稳定”",
    "withheld.third_party_rights": "4.保护第三方合法权益",
    "withheld.internal_affairs": "5.属于三类内部事务信息",
    "withheld.process_info": "6.属于四类过程性信息",
    "withheld.enforcement_files": "7.属于行政执法案卷",
    "withheld.administrative_query": "8.属于行政查询事项",
    "unavailable.not_held": "(四)无法提供 1.本机关不掌握相关政府信息",
    "unavailable.needs_creation": "2.没有现成信息需要另行制作",
    "unavailable.unclear": "3.补正后申请内容仍不明确",
    "not_processed.petition": "(五)不予处理 1.信访举报投诉类申请",
    "not_processed.duplicate": "2.重复申请",
    "not_processed.publication": "3.要求提供公开出版物",
    "not_processed.excessive": "4.无正当理由大量反复申请",
    "not_processed.confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other.no_correction": (
        "(六)其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    ),
    "other.unpaid_fee": (
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    ),
    "other.other": "3.其他",
    "total_processed": "(七)总计",
    "carried_forward": "四、结转下年度继续办理",
}
HEADER = [
    "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)",
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "总计",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
]


def _cells(rows: dict[str, list[int]]) -> list[list[str]]:
    return [[*LABELS[key].split(" "), *map(str, values)] for key, values in rows.items()]


def layout_one_cell_a_line(rows: dict[str, list[int]]) -> str:
    return "\n".join([*HEADER, *(c for row in _cells(rows) for c in row)])


def layout_pipes(rows: dict[str, list[int]]) -> str:
    return "\n".join([" | ".join(HEADER), *(" | ".join(r) + " | |" for r in _cells(rows))])


def layout_tabs_with_merged_cells(rows: dict[str, list[int]]) -> str:
    lines = ["\t".join(HEADER)]
    for r in _cells(rows):
        label_cells = [c for c in r if not c.isdigit()]
        values = r[len(label_cells) :]
        lines.append("\t" + "\t".join(label_cells) + "\t\t" + "\t".join(values) + "\t\t")
    return "\n".join(lines)


def layout_blank_lines_and_split_labels(rows: dict[str, list[int]]) -> str:
    out = []
    for r in _cells(rows):
        for cell in r:
            if len(cell) > 12:  # a long label wrapped over two lines, as Word exports do
                out += [cell[:9], cell[9:]]
            else:
                out.append(cell)
            out.append("")
    return "\n\n".join(HEADER) + "\n\n" + "\n".join(out)


def layout_pdf_text(rows: dict[str, list[int]]) -> str:
    return "\n".join(" ".join(r) for r in _cells(rows))


LAYOUTS = [
    layout_one_cell_a_line,
    layout_pipes,
    layout_tabs_with_merged_cells,
    layout_blank_lines_and_split_labels,
    layout_pdf_text,
]


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda f: f.__name__)
def test_every_layout_reads_the_same(layout) -> None:  # type: ignore[no-untyped-def]
    rows = gold("linyi-2023")["tables"]["applications"]["rows"]
    result = parse_applications(layout(rows), "2021")
    assert result.problems == []
    assert result.table is not None
    assert result.table["rows"] == rows


def test_truncated_table_keeps_what_it_has_and_says_what_is_missing() -> None:
    rows = gold("linyi-2023")["tables"]["applications"]["rows"]
    text = layout_pipes(rows)
    cut = text[: text.index("(五)不予处理")]
    result = parse_applications(cut, "2021")
    assert result.table is not None
    assert result.table["rows"]["granted"] == rows["granted"]
    assert result.table["rows"]["total_processed"] == [None] * 7
    assert any("rows not found" in p and "total_processed" in p for p in result.problems)
    # with the totals missing, no check can claim the table balances
    assert not [
        c
        for c in application_checks(result.table["rows"])
        if c.name.startswith("applications.balance")
    ]


def test_empty_cells_are_null_never_zero() -> None:
    text = (
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n规章 | 0 | | 3\n"
        "行政规范性文件 | 5 | 1 | 40\n行政许可 | 120\n行政处罚 | 7\n行政强制 | 1\n"
        "行政事业性收费 | |"
    )
    result = parse_active_disclosure(text, "2021")
    assert result.table is not None
    assert result.table["regulations"] == {"issued": 0, "repealed": None, "in_force": 3}
    assert result.table["administrative_fees"] == {"amount_10k_yuan": None}


def test_2019_other_processing_has_no_sub_rows() -> None:
    rows = gold("luozhuang-2019")["tables"]["applications"]["rows"]
    assert set(rows) == {s.key for s in APPLICATIONS["2019"]}
    assert "other.total" in rows and "other.other" not in rows


def test_review_table_needs_fifteen_numbers() -> None:
    assert parse_review_litigation("行政复议 | 行政诉讼\n1 | 2 | 3").table is None
    ok = parse_review_litigation("结果维持\t结果纠正\n" + "\t".join(["1"] * 15))
    assert ok.table is not None and ok.table["reconsideration"]["total"] == 1


def test_signed_changes_in_the_2019_table() -> None:
    text = (
        "信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n行政许可\t134\t增加 58\t34809\n"
        "行政强制\t130\t减少 38 项\t1519"
    )
    result = parse_active_disclosure(text, "2019")
    assert result.table is not None
    assert result.table["administrative_coercion"]["change"] == -38
    assert result.table["administrative_licensing"]["change"] == 58


def test_review_table_beside_a_note_with_numbers() -> None:
    text = (
        "行政复议 | 行政诉讼\n"
        + " | ".join(map(str, range(1, 16)))
        + "\n注:另有复议申请于次年受理 | 2"
    )
    result = parse_review_litigation(text)
    assert result.table is not None
    assert result.table["litigation_after_reconsideration"]["total"] == 15
    assert result.problems == ["1 number(s) outside the table ignored"]


def test_numbers_with_no_row_say_where_they_stand() -> None:
    text = (ROOT / "eval" / "fixtures" / "lishan-2024.txt").read_text("utf-8")
    section = text[text.find("三、收到和处理") : text.find("四、政府信息公开行政复议")]
    damaged = section.replace("二、上年结转政府信息公开申请数量", "某某某某", 1)
    damaged = damaged.replace("一、本年新收政府信息公开申请数量", "另一行", 1)
    problems = parse_applications(damaged, "2021").problems
    orphan = next(p for p in problems if "follow no known row" in p)
    assert "on line " in orphan and "of the table" in orphan
    assert "the label before them reads '某某某某'" in orphan
    assert "they were left out" in orphan

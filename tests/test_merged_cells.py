"""The applications table as offices really lay it out: merged header cells and group
labels spanning rows, in Word (vertical and horizontal merges) and HTML (rowspan, colspan)."""

from __future__ import annotations

from pathlib import Path

from conftest import gold
from test_table_layouts import LABELS

from extract import extract

ROWS = gold("linyi-2023")["tables"]["applications"]["rows"]
KEYS = list(ROWS)
HEAD = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
GROUPS = {
    "withheld": "(三)不予公开",
    "unavailable": "(四)无法提供",
    "not_processed": "(五)不予处理",
    "other": "(六)其他处理",
}
SPANNING = ("new_received", "carried_over", "carried_forward")


def _label(key: str) -> str:
    return LABELS[key].split(" ")[-1]


def test_word_table_with_merged_cells(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("临沂市人民政府2023年政府信息公开工作年度报告")
    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    t = doc.add_table(rows=3 + len(KEYS), cols=10)
    t.cell(0, 0).merge(t.cell(2, 2)).text = HEAD
    t.cell(0, 3).merge(t.cell(0, 9)).text = "申请人情况"
    t.cell(1, 3).merge(t.cell(2, 3)).text = "自然人"
    t.cell(1, 4).merge(t.cell(1, 8)).text = "法人或其他组织"
    t.cell(1, 9).merge(t.cell(2, 9)).text = "总计"
    for j, name in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]):
        t.cell(2, 4 + j).text = name
    for i, key in enumerate(KEYS, start=3):
        if key in SPANNING:
            t.cell(i, 0).merge(t.cell(i, 2)).text = _label(key)
        else:
            t.cell(i, 2).text = _label(key)
        for j, value in enumerate(ROWS[key]):
            t.cell(i, 3 + j).text = str(value)
    first, last = 3 + KEYS.index("granted"), 3 + KEYS.index("total_processed")
    t.cell(first, 0).merge(t.cell(last, 0)).text = "三、本年度办理结果"
    for prefix, text in GROUPS.items():
        rows = [3 + i for i, k in enumerate(KEYS) if k.startswith(prefix + ".")]
        t.cell(rows[0], 1).merge(t.cell(rows[-1], 1)).text = text
    doc.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    doc.save(str(tmp_path / "merged.docx"))
    record = extract(tmp_path / "merged.docx")
    assert record.tables.applications is not None
    assert record.tables.applications.rows == ROWS


def test_html_table_with_rowspan_and_colspan(tmp_path: Path) -> None:
    trs = [
        f"<tr><td rowspan='3' colspan='3'>{HEAD}</td><td colspan='7'>申请人情况</td></tr>",
        "<tr><td rowspan='2'>自然人</td><td colspan='5'>法人或其他组织</td>"
        "<td rowspan='2'>总计</td></tr>",
        "<tr>"
        + "".join(
            f"<td>{n}</td>"
            for n in ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
        )
        + "</tr>",
    ]
    group_of = {k: k.split(".")[0] for k in KEYS if "." in k}
    seen: set[str] = set()
    results = KEYS.index("total_processed") - KEYS.index("granted") + 1
    for key in KEYS:
        cells = ""
        if key == "granted":
            cells += f"<td rowspan='{results}'>三、本年度办理结果</td>"
        group = group_of.get(key)
        if key in SPANNING:
            cells += f"<td colspan='3'>{_label(key)}</td>"
        elif group and group not in seen:
            seen.add(group)
            span = sum(1 for k in KEYS if group_of.get(k) == group)
            cells += f"<td rowspan='{span}'>{GROUPS[group]}</td><td>{_label(key)}</td>"
        elif group:
            cells += f"<td>{_label(key)}</td>"
        else:
            cells += f"<td colspan='2'>{_label(key)}</td>"
        cells += "".join(f"<td>{v}</td>" for v in ROWS[key])
        trs.append(f"<tr>{cells}</tr>")
    page = (
        "<html><body><div class='TRS_Editor'><p>三、收到和处理政府信息公开申请情况</p>"
        f"<table>{''.join(trs)}</table><p>四、政府信息公开行政复议、行政诉讼情况</p>"
        "</div></body></html>"
    )
    (tmp_path / "r.html").write_text(page, "utf-8")
    record = extract(tmp_path / "r.html")
    assert record.tables.applications is not None
    assert record.tables.applications.rows == ROWS

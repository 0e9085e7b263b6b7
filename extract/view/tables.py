"""The three standard tables laid out as reports print them, with their Chinese labels.

Each value cell carries its cell name (see :mod:`extract.view.cells`) and any marks a page
puts on it: a failed check, a gold mismatch. A marked cell's hover text says why.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

from extract.record import ApplicationsTable, Cell, ReviewLitigation, Tables
from extract.tables.labels import (
    ACTIVE_COLUMN_LABELS,
    ACTIVE_ROW_LABELS,
    APPLICANT_COLUMN_LABELS,
    APPLICATION_ROW_LABELS,
    REVIEW_COLUMN_LABELS,
    REVIEW_GROUP_LABELS,
)
from extract.tables.standard import REVIEW_COLUMNS, REVIEW_GROUPS
from extract.view.cells import active_cell, application_cell, review_cell

# cell name → (CSS class, why) for every mark on it
CellMarks = Mapping[str, Sequence[tuple[str, str]]]

_e = html.escape


def _value(x: Cell) -> str:
    if x is None:
        return "—"
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _td(name: str, value: Cell, marks: CellMarks, span: int = 1) -> str:
    found = marks.get(name, ())
    classes = sorted({cls for cls, _ in found} | ({"null"} if value is None else set()))
    tip = "; ".join([name, *(why for _, why in found)])
    attrs = f' class="{" ".join(classes)}"' if classes else ""
    colspan = f' colspan="{span}"' if span > 1 else ""
    return f'<td{attrs}{colspan} data-cell="{_e(name)}" title="{_e(tip)}">{_value(value)}</td>'


def _caption(title: str) -> str:
    return f"<caption>{_e(title)}</caption>"


def active_disclosure(rows: Mapping[str, Mapping[str, Cell]], marks: CellMarks) -> str:
    """Section 二: blocks of rows sharing their columns, each under its own header row."""
    width = max((len(cols) for cols in rows.values()), default=1)
    out = ['<table class="t active">', _caption("二、主动公开政府信息情况")]
    previous: tuple[str, ...] | None = None
    for key, values in rows.items():
        columns = tuple(values)
        if columns != previous:
            heads = [_e(ACTIVE_COLUMN_LABELS.get(c, c)) for c in columns]
            cells = "".join(
                f'<th{_fill(i, len(heads), width)} title="{_e(c)}">{h}</th>'
                for i, (c, h) in enumerate(zip(columns, heads, strict=True))
            )
            out.append(f"<tr><th>信息内容</th>{cells}</tr>")
            previous = columns
        cells = "".join(
            _td(active_cell(key, c), v, marks, _span(i, len(columns), width))
            for i, (c, v) in enumerate(values.items())
        )
        out.append(f'<tr><th class="label" title="{_e(key)}">{_row_label(key)}</th>{cells}</tr>')
    out.append("</table>")
    return "".join(out)


def _span(i: int, n: int, width: int) -> int:
    return width - n + 1 if i == n - 1 else 1


def _fill(i: int, n: int, width: int) -> str:
    span = _span(i, n, width)
    return f' colspan="{span}"' if span > 1 else ""


def _row_label(key: str) -> str:
    return _e(ACTIVE_ROW_LABELS.get(key, key))


# A row label's levels: 一、… / （一）… / 1.… (the standard's own numbering).
_LEVEL_SPLIT = re.compile(r"\s+(?=（[一二三四五六七八九十]）|\d+\.)")
_TOP = re.compile(r"^[一二三四五六七八九十]、")
_MIDDLE = re.compile(r"^（[一二三四五六七八九十]）")


def label_levels(label: str, above: str | None) -> tuple[str | None, str | None, str | None]:
    """(一、…, （一）…, 1.…) of an applications row label; a row with no top level sits
    under the one above it (三、本年度办理结果 holds （一）…（七）)."""
    levels: list[str | None] = [None, None, None]
    for part in _LEVEL_SPLIT.split(label.strip()):
        level = 0 if _TOP.match(part) else 1 if _MIDDLE.match(part) else 2
        levels[level] = part
    if levels[0] is None:
        levels[0] = above
    return levels[0], levels[1], levels[2]


def _label_cells(keys: Sequence[str]) -> list[str]:
    """The three label columns of the applications table, merged down like the printed form."""
    levels: list[tuple[str | None, str | None, str | None]] = []
    above: str | None = None
    for key in keys:
        row = label_levels(APPLICATION_ROW_LABELS.get(key, key), above)
        above = row[0]
        levels.append(row)
    out = []
    for r, (top, middle, item) in enumerate(levels):
        cells = []
        if r == 0 or levels[r - 1][0] != top:
            down = 1
            while r + down < len(levels) and levels[r + down][0] == top:
                down += 1
            across = 3 if middle is None and item is None else 1
            cells.append(_th(top or "", down if across == 1 else 1, across))
            if across == 3:
                out.append("".join(cells))
                continue
        if middle is not None and (r == 0 or levels[r - 1][1] != middle or levels[r - 1][0] != top):
            down = 1
            while (
                r + down < len(levels)
                and levels[r + down][1] == middle
                and levels[r + down][0] == top
            ):
                down += 1
            cells.append(_th(middle, down, 1 if item is not None else 2))
        if item is not None:
            cells.append(_th(item, 1, 1 if middle is not None else 2))
        out.append("".join(cells))
    return out


def _th(text: str, down: int, across: int) -> str:
    span = (f' rowspan="{down}"' if down > 1 else "") + (
        f' colspan="{across}"' if across > 1 else ""
    )
    return f'<th class="label"{span}>{_e(text)}</th>'


_BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def applications(table: ApplicationsTable, marks: CellMarks) -> str:
    """Section 三: three label columns, then 自然人, the five kinds of 法人或其他组织, 总计."""
    columns = table.columns
    labels = [APPLICANT_COLUMN_LABELS.get(c, c) for c in columns]
    group = [lab.partition("·") for lab in labels]
    organisations = [c for c, (_, sep, _) in zip(columns, group, strict=True) if sep]
    first: list[str] = []
    second = []
    for c, (head, sep, tail) in zip(columns, group, strict=True):
        if not sep:
            first.append(f'<th rowspan="2" title="{_e(c)}">{_e(head)}</th>')
        elif c == organisations[0]:
            first.append(f'<th colspan="{len(organisations)}">{_e(head)}</th>')
        if sep:
            second.append(f'<th title="{_e(c)}">{_e(tail)}</th>')
    out = [
        '<table class="t applications">',
        _caption("三、收到和处理政府信息公开申请情况"),
        f'<tr><th colspan="3" rowspan="3">{_BALANCE_NOTE}</th>'
        f'<th colspan="{len(columns)}">申请人情况</th></tr>',
        f"<tr>{''.join(first)}</tr>",
        f"<tr>{''.join(second)}</tr>",
    ]
    keys = list(table.rows)
    for key, label_html in zip(keys, _label_cells(keys), strict=True):
        values = table.rows[key]
        cells = "".join(_td(application_cell(key, i), v, marks) for i, v in enumerate(values))
        out.append(f'<tr data-row="{_e(key)}">{label_html}{cells}</tr>')
    out.append("</table>")
    return "".join(out)


def review_litigation(review: ReviewLitigation, marks: CellMarks) -> str:
    """Section 四: one row of fifteen numbers under 行政复议 and 行政诉讼's two groups."""
    groups = [REVIEW_GROUP_LABELS[g].partition("·") for g in REVIEW_GROUPS]
    n = len(REVIEW_COLUMNS)
    top = [f'<th colspan="{n}" rowspan="2">{_e(groups[0][0])}</th>']
    top.append(f'<th colspan="{n * (len(groups) - 1)}">{_e(groups[1][0])}</th>')
    middle = [f'<th colspan="{n}">{_e(g[2])}</th>' for g in groups[1:]]
    heads = "".join(
        f'<th title="{_e(c)}">{_e(REVIEW_COLUMN_LABELS[c])}</th>' for c in REVIEW_COLUMNS
    )
    values = "".join(
        _td(review_cell(g, c), getattr(getattr(review, g), c), marks)
        for g in REVIEW_GROUPS
        for c in REVIEW_COLUMNS
    )
    return (
        '<table class="t review">'
        + _caption("四、政府信息公开行政复议、行政诉讼情况")
        + f"<tr>{''.join(top)}</tr><tr>{''.join(middle)}</tr>"
        + f"<tr>{heads * len(groups)}</tr><tr>{values}</tr></table>"
    )


def render_tables(tables: Tables, marks: CellMarks) -> str:
    out = []
    missing = []
    if tables.active_disclosure is not None:
        out.append(active_disclosure(tables.active_disclosure, marks))
    else:
        missing.append("二")
    if tables.applications is not None:
        out.append(applications(tables.applications, marks))
    else:
        missing.append("三")
    if tables.review_litigation is not None:
        out.append(review_litigation(tables.review_litigation, marks))
    else:
        missing.append("四")
    if missing:
        out.append(f'<p class="note">no table read in section {"、".join(missing)}</p>')
    return "".join(out)

"""The seed reports re-laid out the ways real reports reach us, to test the table reader on.

Each transform takes a seed's normalised text and returns the same report in another layout:
the gold tables stay what they are, so the reader must give them back. The transforms work
on the text alone (they know the standard's headings, not the reader's code).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from conftest import FIXTURES, gold

from extract.textnorm import normalise

HEADINGS = {
    "active_disclosure": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
}
_NEXT = "五、存在的主要问题及改进情况"


def seed_text(doc_id: str) -> str:
    return normalise((FIXTURES / f"{doc_id}.txt").read_text("utf-8"))


def _line_start(text: str, heading: str) -> int:
    m = re.search(rf"^[ \t]*{re.escape(heading)}[ \t]*$", text, re.M)
    assert m, heading
    return m.start()


def table_spans(text: str) -> dict[str, tuple[int, int, int]]:
    """(heading start, body start, end) of the three table sections of a seed."""
    order = [*HEADINGS.values(), _NEXT]
    starts = [_line_start(text, h) for h in order]
    out = {}
    for k, key in enumerate(HEADINGS):
        body = text.index("\n", starts[k]) + 1
        out[key] = (starts[k], body, starts[k + 1])
    return out


def _replace_bodies(text: str, change: Callable[[str, str], str]) -> str:
    spans = table_spans(text)
    out, at = [], 0
    for key, (_, body, end) in spans.items():
        out += [text[at:body], change(key, text[body:end])]
        at = end
    out.append(text[at:])
    return "".join(out)


# --- run together: a crawler's get_text() of the page's tables ---------------------------


def run_together(text: str) -> str:
    """Every separator inside the tables removed: each table becomes one line of text."""
    return _replace_bodies(text, lambda _, body: re.sub(r"[\s|]+", "", body) + "\n")


def all_run_together(text: str) -> str:
    """The whole page as one line, as ``get_text()`` of a page with no block breaks."""
    return re.sub(r"[\s|]+", "", text) + "\n"


# --- scoring -------------------------------------------------------------------------------


def cells(tables: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(path, value) of every cell of the three tables."""
    for key, table in tables.items():
        if table is None:
            continue
        if key == "applications":
            for row, values in table["rows"].items():
                for c, v in enumerate(values):
                    yield f"{key}.{row}.{c}", v
        else:
            for row, columns in table.items():
                for column, v in columns.items():
                    yield f"{key}.{row}.{column}", v


def score(found: dict[str, Any], doc_id: str) -> tuple[int, int, int, list[str]]:
    """(exact, total, null where gold has a value, paths wrong with a value) against gold."""
    want = dict(cells(gold(doc_id)["tables"]))
    got = dict(cells(found))
    exact = sum(got.get(p, "missing") == v for p, v in want.items())
    nulls = sum(got.get(p, "missing") is None and v is not None for p, v in want.items())
    wrong = [p for p, v in want.items() if got.get(p) is not None and got.get(p) != v]
    return exact, len(want), nulls, wrong


# --- PDF text-layer debris -----------------------------------------------------------------

RUNNING_HEADER = "2023年政府信息公开工作年度报告"


def pdf_debris(text: str) -> str:
    """A stray comma before one heading, a bullet before another, heading 三 wrapped over two
    lines, and a page break (page number, running header) between rows of each table."""
    text = re.sub(r"^[ \t]*(二、主动公开政府信息情况)", r",\1", text, count=1, flags=re.M)
    text = re.sub(
        r"^[ \t]*三、收到和处理政府信息公开申请情况",
        "三、收到和处理政府信息公开\n申请情况",
        text,
        count=1,
        flags=re.M,
    )
    text = re.sub(r"^[ \t]*(四、政府信息公开行政复议)", r"· \1", text, count=1, flags=re.M)
    page = f"\n17\n{RUNNING_HEADER}\n"
    for anchor in (r"第二十条第\s*\(五\)项", r"二、上年结转政府信息公开申请数量"):
        m = re.search(rf"^[ \t]*{anchor}", text, re.M)
        assert m, anchor
        text = text[: m.start()] + page.lstrip("\n") + text[m.start() :]
    return text


# --- a label misprinted, a label missing ---------------------------------------------------


def misprinted(text: str) -> str:
    """禁止公开 misprinted as 止公开, 行政处罚 as 行政处, and the label of 8.属于行政查询事项
    missing, so that row is printed as numbers only."""
    spans = table_spans(text)
    a0, a1 = spans["active_disclosure"][1:]
    s0, s1 = spans["applications"][1:]
    active = text[a0:a1].replace("行政处罚", "行政处", 1)
    apps = text[s0:s1].replace("法规禁止公开", "法规止公开", 1)
    apps = re.sub(r"8\s*[.、]\s*属于行政查询事项", "", apps, count=1)
    return text[:a0] + active + text[a1:s0] + apps + text[s1:]

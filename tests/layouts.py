"""The seed reports re-laid out the ways real reports reach us, to test the table reader on.

Each transform takes a seed's normalised text and returns the same report in another layout:
the gold tables stay what they are, so the reader must give them back. The transforms work
on the text alone (they know the standard's headings, not the reader's code).
"""

from __future__ import annotations

import json
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


def replace_body(text: str, key: str, body: str) -> str:
    """The seed with the body of one table section replaced."""
    return _replace_bodies(text, lambda k, old: body if k == key else old)


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


# --- HTML tables with rowspan/colspan, flattened to pipes without expanding the spans -------

Td = tuple[str, int, int]  # text, rowspan, colspan
_APPLICATION_LABELS = {
    "new_received": ("一、本年新收政府信息公开申请数量",),
    "carried_over": ("二、上年结转政府信息公开申请数量",),
    "granted": ("三、本年度办理结果", "(一)予以公开"),
    "partially_granted": ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)",),
    "withheld.state_secret": ("(三)不予公开", "1.属于国家秘密"),
    "withheld.prohibited_by_law": ("2.其他法律行政法规禁止公开",),
    "withheld.security_stability": ("3.危及“三安全一稳定”",),
    "withheld.third_party_rights": ("4.保护第三方合法权益",),
    "withheld.internal_affairs": ("5.属于三类内部事务信息",),
    "withheld.process_info": ("6.属于四类过程性信息",),
    "withheld.enforcement_files": ("7.属于行政执法案卷",),
    "withheld.administrative_query": ("8.属于行政查询事项",),
    "unavailable.not_held": ("(四)无法提供", "1.本机关不掌握相关政府信息"),
    "unavailable.needs_creation": ("2.没有现成信息需要另行制作",),
    "unavailable.unclear": ("3.补正后申请内容仍不明确",),
    "not_processed.petition": ("(五)不予处理", "1.信访举报投诉类申请"),
    "not_processed.duplicate": ("2.重复申请",),
    "not_processed.publication": ("3.要求提供公开出版物",),
    "not_processed.excessive": ("4.无正当理由大量反复申请",),
    "not_processed.confirmation": ("5.要求行政机关确认或重新出具已获取信息",),
    "other.no_correction": (
        "(六)其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    "other.unpaid_fee": (
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    "other.other": ("3.其他",),
    "other.total": ("(六)其他处理",),
    "total_processed": ("(七)总计",),
    "carried_forward": ("四、结转下年度继续办理",),
}
_AD_HEADERS = {
    "2021": {
        "regulations": ("第二十条第(一)项", "本年制发件数", "本年废止件数", "现行有效件数"),
        "administrative_licensing": ("第二十条第(五)项", "本年处理决定数量"),
        "administrative_punishment": ("第二十条第(六)项", "本年处理决定数量"),
        "administrative_fees": ("第二十条第(八)项", "本年收费金额(单位:万元)"),
    },
    "2019": {
        "regulations": ("第二十条第(一)项", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
        "administrative_licensing": (
            "第二十条第(五)项",
            "上一年项目数量",
            "本年增/减",
            "处理决定数量",
        ),
        "administrative_punishment": (
            "第二十条第(六)项",
            "上一年项目数量",
            "本年增/减",
            "处理决定数量",
        ),
        "administrative_fees": ("第二十条第(八)项", "上一年项目数量", "本年增/减", ""),
        "centralized_procurement": ("第二十条第(九)项", "采购项目数量", "采购总金额"),
    },
}
_AD_LABELS = {
    "regulations": "规章",
    "normative_documents": "规范性文件",
    "administrative_licensing": "行政许可",
    "other_management_services": "其他对外管理服务事项",
    "administrative_punishment": "行政处罚",
    "administrative_coercion": "行政强制",
    "administrative_fees": "行政事业性收费",
    "centralized_procurement": "政府集中采购",
}


def _cell(value: Any, column: str) -> str:
    if value is None:
        return ""
    if column == "amount_10k_yuan" and isinstance(value, int):
        return f"{value} 万元"
    if column == "change":
        return f"增加 {value}" if value > 0 else f"减少 {-value} 项" if value < 0 else "0"
    return str(value)


def html_active(tables: dict[str, Any], fmt: str) -> list[list[Td]]:
    trs: list[list[Td]] = []
    headers = _AD_HEADERS[fmt]
    for key, row in tables["active_disclosure"].items():
        if key in headers:
            head = headers[key]
            trs.append([(head[0], 1, 4)])
            width = len(head) - 1
            trs.append(
                [("信息内容", 1, 1)]
                + [(h, 1, 4 - width if k == width - 1 else 1) for k, h in enumerate(head[1:])]
            )
        width = len(row)
        label = (
            _AD_LABELS[key] if fmt == "2019" or key != "normative_documents" else "行政规范性文件"
        )
        trs.append(
            [(label, 1, 1)]
            + [
                (_cell(v, c), 1, 3 - width + 1 if k == width - 1 else 1)
                for k, (c, v) in enumerate(row.items())
            ]
        )
    return trs


def html_applications(tables: dict[str, Any], fmt: str) -> list[list[Td]]:
    rows = tables["applications"]["rows"]
    org = "社会公益组织" if fmt == "2021" else "社会组织"
    trs: list[list[Td]] = [
        [
            ("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", 3, 3),
            ("申请人情况", 1, 7),
        ],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [
            ("商业企业", 1, 1),
            ("科研机构", 1, 1),
            (org, 1, 1),
            ("法律服务机构", 1, 1),
            ("其他", 1, 1),
        ],
    ]
    groups = {
        "三、本年度办理结果": sum(
            1 for k in rows if k not in ("new_received", "carried_over", "carried_forward")
        )
    }
    for prefix, first in (
        ("withheld", "(三)不予公开"),
        ("unavailable", "(四)无法提供"),
        ("not_processed", "(五)不予处理"),
        ("other", "(六)其他处理"),
    ):
        groups[first] = sum(1 for k in rows if k.startswith(prefix + "."))
    for key, values in rows.items():
        labels = _APPLICATION_LABELS[key]
        tds: list[Td] = []
        for n, label in enumerate(labels):
            last = n == len(labels) - 1
            span = groups.get(label, 1) if not last or key == "other.total" else 1
            if key == "other.total":
                span = 1
            depth = 3 if key in ("new_received", "carried_over", "carried_forward") else 2
            colspan = depth - len(labels) + 1 if last else 1
            if key == "other.total" or key == "total_processed" or key == "partially_granted":
                colspan = 2 if last else 1
            tds.append((label, span if not last else 1, colspan))
        tds += [(_cell(v, ""), 1, 1) for v in values]
        trs.append(tds)
    return trs


def html_review(tables: dict[str, Any]) -> list[list[Td]]:
    review = tables["review_litigation"]
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [*((h, 2, 1) for h in heads), ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [*((h, 1, 1) for h in heads), *((h, 1, 1) for h in heads)],
        [(_cell(v, ""), 1, 1) for group in review.values() for v in group.values()],
    ]


def flatten_unexpanded(trs: list[list[Td]]) -> str:
    """What a naive converter writes: each <tr> one line, the cells it holds joined by
    `` | `` (a cell spanning rows appears only in its first row, a spanning cell once),
    and empty cells dropped."""
    return "\n".join(" | ".join(t for t, _, _ in tds if t) for tds in trs) + "\n"


def unexpanded_spans(text: str, doc_id: str) -> str:
    """The seed with its three tables replaced by their HTML form flattened without
    expanding rowspans or colspans."""
    tables = gold(doc_id)["tables"]
    fmt = gold(doc_id)["format"]
    bodies = {
        "active_disclosure": flatten_unexpanded(html_active(tables, fmt)),
        "applications": flatten_unexpanded(html_applications(tables, fmt)),
        "review_litigation": flatten_unexpanded(html_review(tables)),
    }
    return _replace_bodies(text, lambda key, _: bodies[key])


# --- markdown from another converter: headings marked, 三 before 二, stray lines ------------


def _markdown_table(trs: list[list[Td]]) -> str:
    width = max(sum(c for _, _, c in tds) for tds in trs)
    lines = []
    for n, tds in enumerate(trs):
        lines.append("| " + " | ".join(t for t, _, _ in tds) + " |")
        if n == 0:
            lines.append("|" + " --- |" * width)
    return "\n".join(lines) + "\n"


def markdown_reordered(text: str, doc_id: str) -> str:
    """The report as another tool's markdown: ``##`` headings, pipe tables with a ``---``
    line and unexpanded spans, site furniture between sections, table 三 before table 二,
    and one row of table 三 with a value lost (the 自然人 cell of 予以公开)."""
    tables = gold(doc_id)["tables"]
    fmt = gold(doc_id)["format"]
    apps = html_applications(tables, fmt)
    for tds in apps:
        if tds[0][0] == "三、本年度办理结果":
            del tds[2]  # the first value after the two label cells
    bodies = {
        "active_disclosure": _markdown_table(html_active(tables, fmt)),
        "applications": _markdown_table(apps),
        "review_litigation": _markdown_table(html_review(tables)),
    }
    text = _replace_bodies(text, lambda key, _: "\n" + bodies[key] + "\n[打印本页] [关闭窗口]\n\n")
    spans = table_spans(text)
    a, s = spans["active_disclosure"], spans["applications"]
    text = text[: a[0]] + text[s[0] : s[2]] + text[a[0] : a[2]] + text[s[2] :]
    for heading in [*HEADINGS.values(), _NEXT, "一、总体情况", "六、其他需要报告的事项"]:
        text = re.sub(rf"^[ \t]*{re.escape(heading)}", f"## {heading}", text, count=1, flags=re.M)
    return text


def blank_zeros(tables: dict[str, Any]) -> dict[str, Any]:
    """The gold tables of a report that leaves zero cells of table 三 blank (the 总计
    column is always filled)."""
    out = json.loads(json.dumps(tables))
    for values in out["applications"]["rows"].values():
        values[:6] = [None if v == 0 else v for v in values[:6]]
    return out


def unexpanded_spans_blank(text: str, doc_id: str) -> str:
    """As ``unexpanded_spans``, from a report that leaves the zeros of table 三 blank: the
    blank cells vanish in the flattening, so a row's values lose their columns."""
    tables = blank_zeros(gold(doc_id)["tables"])
    body = flatten_unexpanded(html_applications(tables, gold(doc_id)["format"]))
    spans = table_spans(text)
    _, s0, s1 = spans["applications"]
    return text[:s0] + body + text[s1:]


# --- units and the 2021 其他处理 row ---------------------------------------------------------


def fees_in_yuan(text: str) -> str:
    """Table 二's fee amount printed in 元 instead of the standard's 万元."""
    spans = table_spans(text)
    _, a0, a1 = spans["active_disclosure"]
    body = text[a0:a1].replace("(单位:万元)", "(单位:元)")
    body = re.sub(
        r"(行政事业性收费[\s|]*)([\d.]+)",
        lambda m: m[1] + _yuan(m[2]),
        body,
        count=1,
    )
    return text[:a0] + body + text[a1:]


def _yuan(wan: str) -> str:
    whole, _, frac = wan.partition(".")
    digits = (whole + frac.ljust(4, "0")[:4]).lstrip("0") or "0"
    rest = frac[4:]
    return digits + ("." + rest if rest else "")


def lone_other_row(text: str, doc_id: str) -> str:
    """A 2021 table that prints (六)其他处理 as one row (the sum of its three sub-rows)."""
    tables = gold(doc_id)["tables"]
    rows = tables["applications"]["rows"]
    lone = [
        sum(x)
        for x in zip(
            *(rows[k] for k in ("other.no_correction", "other.unpaid_fee", "other.other")),
            strict=True,
        )
    ]
    trs = html_applications(tables, "2021")
    out = []
    for tds in trs:
        first = tds[0][0]
        if first.startswith(("2.申请人逾期未按收费", "3.其他")):
            continue
        if first == "(六)其他处理":
            tds = [("(六)其他处理", 1, 2), *((str(v), 1, 1) for v in lone)]
        out.append(tds)
    spans = table_spans(text)
    _, s0, s1 = spans["applications"]
    return text[:s0] + flatten_unexpanded(out) + text[s1:]

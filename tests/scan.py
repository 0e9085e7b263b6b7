"""Scanned reports made from real ones: what a county office puts on its site.

A seed report is typeset as a PDF whose sections 二、三、四 hold the standard tables as ruled
grid tables (merged cells as in the official templates of 国办公开办函〔2021〕30号 and
〔2019〕60号) filled with the seed's own numbers, every page is rasterised, optionally tilted
and speckled, and the images are wrapped back into a PDF with no text layer. The CJK glyphs
come from a system font (Debian's fonts-noto-cjk); without one the scans cannot be drawn.
"""

from __future__ import annotations

import html
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

from extract.sections import split_sections

DPI = 150
_TABLE_SECTIONS = ("active_disclosure", "applications", "review_litigation")


def cjk_font_missing() -> str | None:
    """Why scans cannot be drawn here, or None when they can."""
    if shutil.which("fc-list") is None:
        return "fontconfig is not installed (apt-get install fontconfig fonts-noto-cjk)"
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    if not listed.strip():
        return "no CJK font to draw the test scans (apt-get install fonts-noto-cjk)"
    return None


def _number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _change(value: Any) -> str:
    # 本年增/减 as the 2019-format reports write it: 增加 58, 减少 38.
    if value is None:
        return ""
    if value > 0:
        return f"增加{_number(value)}"
    if value < 0:
        return f"减少{_number(-value)}"
    return "0"


Table = tuple[list[list[str]], list[tuple[int, int, int, int]], list[float]]


def active_disclosure_table(t: dict[str, Any], fmt: str) -> Table:
    """Rows, spans (c0, r0, c1, r1) and column widths of the section 二 table."""
    rows: list[list[str]] = []
    spans: list[tuple[int, int, int, int]] = []

    def head(text: str) -> None:
        spans.append((0, len(rows), 3, len(rows)))
        rows.append([text, "", "", ""])

    def row(label: str, values: list[str]) -> None:
        if len(values) < 3:
            spans.append((len(values), len(rows), 3, len(rows)))
        rows.append([label, *values, *[""] * (3 - len(values))])

    if fmt == "2021":
        head("第二十条第（一）项")
        row("信息内容", ["本年制发件数", "本年废止件数", "现行有效件数"])
        for key, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
            row(label, [_number(t[key][c]) for c in ("issued", "repealed", "in_force")])
        head("第二十条第（五）项")
        row("信息内容", ["本年处理决定数量"])
        row("行政许可", [_number(t["administrative_licensing"]["decisions"])])
        head("第二十条第（六）项")
        row("信息内容", ["本年处理决定数量"])
        row("行政处罚", [_number(t["administrative_punishment"]["decisions"])])
        row("行政强制", [_number(t["administrative_coercion"]["decisions"])])
        head("第二十条第（八）项")
        row("信息内容", ["本年收费金额（单位：万元）"])
        row("行政事业性收费", [_number(t["administrative_fees"]["amount_10k_yuan"])])
    else:
        made = ("new_made", "new_published", "total_published")
        head("第二十条第（一）项")
        row("信息内容", ["本年新制作数量", "本年新公开数量", "对外公开总数量"])
        row("规章", [_number(t["regulations"][c]) for c in made])
        row("规范性文件", [_number(t["normative_documents"][c]) for c in made])

        def counted(key: str, label: str) -> None:
            r = t[key]
            row(
                label,
                [_number(r["items_last_year"]), _change(r["change"]), _number(r["decisions"])],
            )

        head("第二十条第（五）项")
        row("信息内容", ["上一年项目数量", "本年增/减", "处理决定数量"])
        counted("administrative_licensing", "行政许可")
        counted("other_management_services", "其他对外管理服务事项")
        head("第二十条第（六）项")
        row("信息内容", ["上一年项目数量", "本年增/减", "处理决定数量"])
        counted("administrative_punishment", "行政处罚")
        counted("administrative_coercion", "行政强制")
        head("第二十条第（八）项")
        row("信息内容", ["上一年项目数量", "本年增/减"])
        fees = t["administrative_fees"]
        row("行政事业性收费", [_number(fees["items_last_year"]), _change(fees["change"])])
        head("第二十条第（九）项")
        row("信息内容", ["采购项目数量", "采购总金额"])
        buy = t["centralized_procurement"]
        row("政府集中采购", [_number(buy["projects"]), _number(buy["amount_10k_yuan"])])
    return rows, spans, [150, 110, 110, 110]


_APPLICATION_LABELS = {
    "withheld": (
        "（三）不予公开",
        [
            ("state_secret", "1.属于国家秘密"),
            ("prohibited_by_law", "2.其他法律行政法规禁止公开"),
            ("security_stability", "3.危及“三安全一稳定”"),
            ("third_party_rights", "4.保护第三方合法权益"),
            ("internal_affairs", "5.属于三类内部事务信息"),
            ("process_info", "6.属于四类过程性信息"),
            ("enforcement_files", "7.属于行政执法案卷"),
            ("administrative_query", "8.属于行政查询事项"),
        ],
    ),
    "unavailable": (
        "（四）无法提供",
        [
            ("not_held", "1.本机关不掌握相关政府信息"),
            ("needs_creation", "2.没有现成信息需要另行制作"),
            ("unclear", "3.补正后申请内容仍不明确"),
        ],
    ),
    "not_processed": (
        "（五）不予处理",
        [
            ("petition", "1.信访举报投诉类申请"),
            ("duplicate", "2.重复申请"),
            ("publication", "3.要求提供公开出版物"),
            ("excessive", "4.无正当理由大量反复申请"),
            ("confirmation", "5.要求行政机关确认或重新出具已获取信息"),
        ],
    ),
    "other": (
        "（六）其他处理",
        [
            ("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            (
                "unpaid_fee",
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            ),
            ("other", "3.其他"),
        ],
    ),
}


def applications_table(t: dict[str, Any], fmt: str) -> Table:
    """The section 三 table with the official template's merged header and label cells."""
    values = t["rows"]
    org = "社会公益组织" if fmt == "2021" else "社会组织"
    rows: list[list[str]] = [
        [
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            "",
            "",
            "申请人情况",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", "", "商业企业", "科研机构", org, "法律服务机构", "其他", ""],
    ]
    spans = [(0, 0, 2, 2), (3, 0, 9, 0), (3, 1, 3, 2), (4, 1, 8, 1), (9, 1, 9, 2)]

    def data(key: str) -> list[str]:
        return [_number(v) for v in values[key]]

    def whole(label: str, key: str) -> None:
        spans.append((0, len(rows), 2, len(rows)))
        rows.append([label, "", "", *data(key)])

    whole("一、本年新收政府信息公开申请数量", "new_received")
    whole("二、上年结转政府信息公开申请数量", "carried_over")
    first = len(rows)
    for key, label in (
        ("granted", "（一）予以公开"),
        ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ):
        spans.append((1, len(rows), 2, len(rows)))
        rows.append(["三、本年度办理结果" if key == "granted" else "", label, "", *data(key)])
    for group, (title, items) in _APPLICATION_LABELS.items():
        if group == "other" and fmt == "2019":
            spans.append((1, len(rows), 2, len(rows)))
            rows.append(["", title, "", *data("other.total")])
            continue
        spans.append((1, len(rows), 1, len(rows) + len(items) - 1))
        for i, (key, label) in enumerate(items):
            rows.append(["", title if i == 0 else "", label, *data(f"{group}.{key}")])
    spans.append((1, len(rows), 2, len(rows)))
    rows.append(["", "（七）总计", "", *data("total_processed")])
    spans.append((0, first, 0, len(rows) - 1))
    whole("四、结转下年度继续办理", "carried_forward")
    return rows, spans, [52, 52, 118, *[37.0] * 7]


def review_table(t: dict[str, Any]) -> Table:
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [
        ["行政复议", *[""] * 4, "行政诉讼", *[""] * 9],
        [*results, "未经复议直接起诉", *[""] * 4, "复议后起诉", *[""] * 4],
        [*[""] * 5, *results, *results],
        [
            _number(t[group][c])
            for group in (
                "reconsideration",
                "litigation_direct",
                "litigation_after_reconsideration",
            )
            for c in ("upheld", "corrected", "other", "pending", "total")
        ],
    ]
    spans = [(0, 0, 4, 0), (5, 0, 14, 0), (5, 1, 9, 1), (10, 1, 14, 1)]
    spans += [(c, 1, c, 2) for c in range(5)]
    return rows, spans, [32.0] * 15


def report_blocks(text: str, gold: dict[str, Any]) -> list[tuple[str, Any]]:
    """("p", line) and ("table", Table) in order: the seed's text, its table sections
    replaced by the standard tables holding the seed's numbers."""
    sections = split_sections(text)
    tables = gold["tables"]
    fmt = gold["format"]
    made = {
        "active_disclosure": [active_disclosure_table(tables["active_disclosure"], fmt)],
        "applications": [applications_table(tables["applications"], fmt)],
        "review_litigation": [review_table(tables["review_litigation"])],
    }
    cuts = sorted(
        (sections[k].body_start, sections[k].end, k) for k in _TABLE_SECTIONS if k in sections
    )
    blocks: list[tuple[str, Any]] = []
    position = 0
    for start, end, key in cuts:
        blocks.extend(("p", line) for line in _lines(text[position:start]))
        blocks.extend(("table", table) for table in made[key])
        position = end
    blocks.extend(("p", line) for line in _lines(text[position:]))
    return blocks


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def text_pdf(blocks: list[tuple[str, Any]], path: Path) -> Path:
    """The report typeset with a text layer, its tables ruled grids."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)
    story: list[Any] = []
    for kind, content in blocks:
        if kind == "p":
            story.append(Paragraph(html.escape(content), body))
            continue
        rows, spans, widths = content
        data = [[Paragraph(html.escape(c), cell) for c in row] for row in rows]
        table = Table(data, colWidths=widths, repeatRows=0)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        style += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in spans]
        table.setStyle(TableStyle(style))
        story += [Spacer(1, 6), table, Spacer(1, 6)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def scan(pdf: Path, path: Path, tilt: float = 0.0, noise: float = 0.0, seed: int = 7) -> Path:
    """Rasterise every page at ``DPI``, tilt it by ``tilt`` degrees, speckle a share
    ``noise`` of its pixels, and wrap the images into a PDF without a text layer."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random(seed)
    generator = np.random.default_rng(seed)
    pages = []
    document = pdfium.PdfDocument(str(pdf))
    for page in document:
        image = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
        if tilt:
            angle = tilt * (1 if rng.random() < 0.5 else -1)
            image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
        if noise:
            pixels = np.asarray(image).copy()
            mask = generator.random(pixels.shape) < noise
            pixels[mask] = generator.integers(0, 256, int(mask.sum()), dtype=np.uint8)
            image = Image.fromarray(pixels)
        pages.append(image)
    document.close()
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=DPI)
    return path


def scanned_report(
    text: str, gold: dict[str, Any], directory: Path, **how: Any
) -> tuple[Path, Path]:
    """The text-layer PDF and its scan, for one seed."""
    blocks = report_blocks(text, gold)
    typeset = text_pdf(blocks, directory / f"{gold['doc_id']}.text.pdf")
    return typeset, scan(typeset, directory / f"{gold['doc_id']}.scan.pdf", **how)

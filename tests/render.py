"""Re-publishing a seed report as .html, .docx and .pdf, the way real sites and offices do.

Seeds whose tables are flattened one row a line (cells split by `` | `` or tabs) keep their
table structure exactly, so a converted file holds the same cells as the text.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

_CELLS = re.compile(r"\s*[|\t]\s*")


def blocks(text: str) -> list[tuple[str, object]]:
    """("p", line) and ("table", rows) in document order."""
    out: list[tuple[str, object]] = []
    rows: list[list[str]] = []
    for line in text.splitlines():
        if "|" in line or "\t" in line:
            rows.append(_CELLS.split(line.strip(" |")))
            continue
        if rows:
            out.append(("table", rows))
            rows = []
        if line.strip():
            out.append(("p", line.strip()))
    if rows:
        out.append(("table", rows))
    return out


def _rectangular(rows: list[list[str]]) -> list[list[str]]:
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def _wrapped(line: str, width: int | None, spans: bool = False) -> str:
    """A paragraph's source as editors write it, a line break every ``width`` characters;
    with ``spans``, each piece in an element of its own (Word's HTML, a span per run)."""
    if not width:
        return line
    pieces = [line[i : i + width] for i in range(0, len(line), width)]
    return "\n".join(f"<span>{p}</span>" for p in pieces) if spans else "\n".join(pieces)


def _laid_out(body: list[str], layout: str | None) -> str:
    """The report's blocks inside an old site's layout table: all in one cell beside a
    menu cell, split over two rows at section 二, or a row per block."""
    if layout is None:
        return "".join(body)
    if layout == "cell":
        return f"<table><tr><td>首页 政务公开</td><td>{''.join(body)}</td></tr></table>"
    if layout == "two-rows":
        at = next((i for i, b in enumerate(body) if b.startswith("<p>二、")), len(body) // 2)
        halves = ("".join(body[:at]), "".join(body[at:]))
        return "<table>" + "".join(f"<tr><td>{h}</td></tr>" for h in halves) + "</table>"
    assert layout == "row-per-block", layout
    return "<table>" + "".join(f"<tr><td>{b}</td></tr>" for b in body) + "</table>"


def to_html(
    text: str,
    path: Path,
    encoding: str = "utf-8",
    wrap: int | None = None,
    layout: str | None = None,
    spans: bool = False,
) -> Path:
    body = []
    for kind, content in blocks(text):
        if kind == "p":
            body.append(f"<p>{_wrapped(html.escape(str(content)), wrap, spans)}</p>")
        else:
            trs = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                for row in content
            )  # type: ignore[union-attr]
            body.append(f"<table border='1'>{trs}</table>")
    page = (
        f"<!DOCTYPE html><html><head><meta charset='{encoding}'><title>年报</title>"
        "<script>var x = '一、总体情况';</script></head><body>"
        "<div class='nav-bar'><a href='/'>首页</a> &gt; <a>政务公开</a> 总体情况</div>"
        "<div id='header'>网站导航 二、主动公开</div>"
        f"<div class='article-content'>{_laid_out(body, layout)}</div>"
        "<div class='footer'>主办单位: 人民政府办公室 电话: 0539-1234567</div>"
        "</body></html>"
    )
    path.write_bytes(page.encode(encoding))
    return path


def to_docx(text: str, path: Path) -> Path:
    from docx import Document

    document = Document()
    for kind, content in blocks(text):
        if kind == "p":
            document.add_paragraph(str(content))
            continue
        rows = _rectangular(content)  # type: ignore[arg-type]
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    document.save(str(path))
    return path


def to_pdf(text: str, path: Path) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10, leading=14, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=body, fontSize=7, leading=9)
    story: list[object] = []
    for kind, content in blocks(text):
        if kind == "p":
            story.append(Paragraph(html.escape(str(content)), body))
            continue
        rows = _rectangular(content)  # type: ignore[arg-type]
        data = [[Paragraph(html.escape(c), cell) for c in row] for row in rows]
        table = Table(data, colWidths=[480 / len(rows[0])] * len(rows[0]))
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        story.append(table)
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path

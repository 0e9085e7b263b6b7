"""HTML pages as saved from a government site: the report body, every table cell kept."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag

from extract.ingest import SEPARATOR, RawDocument
from extract.ingest.txt_reader import decode

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "iframe",
    "nav",
    "header",
    "footer",
    "form",
    "button",
    "select",
    "svg",
    "head",
)
_CHROME = re.compile(
    r"(^|[-_ ])(nav|menu|breadcrumb|crumb|footer|header|sidebar|share|"
    r"toolbar|banner|topbar|copyright|search)([-_ ]|$)",
    re.I,
)
_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "tr",
    "table",
    "ul",
    "ol",
    "pre",
    "blockquote",
    "dd",
    "dt",
    "center",
}
# Words that only the body of a report contains, used to find it among the page chrome.
_BODY_MARKERS = (
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "行政复议",
    "存在的主要问题",
    "其他需要报告的事项",
)


def _is_chrome(tag: Tag) -> bool:
    classes: list[str] = list(tag.get("class") or [])
    marks = " ".join([str(tag.get("id") or ""), *(str(c) for c in classes)])
    return bool(marks.strip()) and bool(_CHROME.search(marks))


def _body(soup: BeautifulSoup) -> Tag:
    """The smallest element that still holds the most report markers."""
    root = soup.body or soup
    best, best_score, best_len = root, -1, 10**12
    for tag in [root, *root.find_all(("div", "article", "section", "td", "main"))]:
        text = tag.get_text()
        score = sum(marker in text for marker in _BODY_MARKERS)
        if score > best_score or (score == best_score and len(text) < best_len):
            best, best_score, best_len = tag, score, len(text)
    return best


def _cell_text(cell: Tag) -> str:
    return " ".join(cell.get_text(" ").split())


def _render(node: Tag, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            out.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        if child.name == "table":
            out.append("\n")
            for row in child.find_all("tr"):
                if row.find_parent("table") is not child:
                    continue  # a nested table's rows are rendered inside their cell
                cells = [_cell_text(c) for c in row.find_all(("td", "th"), recursive=False)]
                out.append(SEPARATOR.join(cells) + "\n")
            continue
        if child.name in _BLOCK:
            out.append("\n")
        _render(child, out)
        if child.name in _BLOCK:
            out.append("\n")


def read(data: bytes, source: str) -> RawDocument:
    text, encoding = decode(data, source)
    soup = BeautifulSoup(text, "lxml")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        if tag.name not in ("html", "body") and _is_chrome(tag):
            tag.decompose()
    out: list[str] = []
    _render(_body(soup), out)
    lines = (" ".join(line.split()) for line in "".join(out).split("\n"))
    return RawDocument(
        text="\n".join(line for line in lines if line), format="html", encoding=encoding
    )

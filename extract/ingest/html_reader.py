"""HTML pages as saved from a government site: the report body, every table cell kept."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from bs4.element import CData, NavigableString, PageElement, Tag

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


def _text_spans(root: Tag) -> tuple[str, dict[int, tuple[int, int]]]:
    """The text of ``root`` as get_text() gives it, and where in it each tag's own text
    lies, in one iterative pass (a nested page must cost linear time, not a get_text()
    per tag, and must not recurse)."""
    pieces: list[str] = []
    offset = 0
    spans: dict[int, tuple[int, int]] = {}
    stack: list[tuple[PageElement, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            spans[id(node)] = (spans[id(node)][0], offset)
            continue
        if isinstance(node, Tag):
            spans[id(node)] = (offset, offset)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
        elif type(node) in (NavigableString, CData):  # what get_text() counts
            pieces.append(str(node))
            offset += len(pieces[-1])
    return "".join(pieces), spans


# A marker as a numbered heading ("二、主动公开政府信息情况", "四、政府信息公开行政复议…"): an
# opening sentence that lists the six parts by name holds every marker, but no heading.
_NUMBERED = {
    m: re.compile(rf"[一二三四五六]\s*[、.．][^\n。]{{0,10}}?{re.escape(m)}") for m in _BODY_MARKERS
}


# The report holds its figures (three statistics tables, counts in the text): a contents
# list, which names every numbered heading in a far smaller element, does not.
_FIGURES = re.compile(r"\d+")
_ENOUGH_FIGURES = 20


def _body(soup: BeautifulSoup) -> Tag:
    """The smallest element that still holds the most report markers, numbered headings
    first (an old site's layout table may put the opening paragraph, which names all six
    parts, in a cell of its own), and among those one that holds figures (not a contents
    list of the headings)."""
    root = soup.body or soup
    text, spans = _text_spans(root)
    found = [
        [(i.start(), i.end()) for i in pattern.finditer(text)]
        for pattern in (*_NUMBERED.values(), *(re.compile(re.escape(m)) for m in _BODY_MARKERS))
    ]
    headings = len(_NUMBERED)
    figures = [m.start() for m in _FIGURES.finditer(text)]

    def score(start: int, end: int) -> tuple[int, int, bool]:
        inside = [0, 0]
        for n, spans_of in enumerate(found):
            i = bisect.bisect_left(spans_of, (start, -1))
            inside[n >= headings] += i < len(spans_of) and spans_of[i][1] <= end
        held = bisect.bisect_left(figures, end) - bisect.bisect_left(figures, start)
        return inside[0], inside[1], held >= _ENOUGH_FIGURES

    best, best_score, best_len = root, (-1, -1, False), 10**12
    for tag in [root, *root.find_all(("div", "article", "section", "table", "td", "main"))]:
        start, end = spans[id(tag)]
        tag_score = score(start, end)
        if tag_score > best_score or (tag_score == best_score and end - start < best_len):
            best, best_score, best_len = tag, tag_score, end - start
    return best


def _cell_text(cell: Tag) -> str:
    return " ".join(cell.get_text(" ").split())


# A layout table (old sites put the whole page in one) holds the report, not its data: a
# cell with a table of its own, or a table whose text is mostly running text (cells with a
# sentence, longer than any cell label of the standard tables), is page regions, not data
# cells. A data table's note row (one cell across the table, a sentence or two about the
# figures) is running text too, but only a small part of its table.
_RUNNING_TEXT = 120


@dataclass
class _Table:
    rows: list[Tag] = field(default_factory=list)  # its own (a nested table's are its own)
    holds_table: bool = False
    text: int = 0  # characters of its text (a nested table's included)
    running: int = 0  # of those, in its own cells of running text

    @property
    def layout(self) -> bool:
        return self.holds_table or self.running * 2 > self.text


def _tables(root: Tag) -> dict[int, _Table]:
    """Each table under ``root`` (by id): its own rows, and whether it is a layout table.
    One iterative pass over the tree: a page of tables nested thousands deep costs linear
    time (a search of each table's subtree for its rows and cells did not)."""
    tables: dict[int, _Table] = {}
    open_tables: list[tuple[_Table, int]] = []  # and the text's length when it opened
    # The cells of a table's own rows still open (by id), innermost last: their table, and
    # the text's length and count of "。" when they opened.
    open_cells: dict[int, tuple[_Table, int, int]] = {}
    length = stops = 0
    stack: list[tuple[PageElement, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if not isinstance(node, Tag):
            if type(node) in (NavigableString, CData):  # what get_text() counts
                text = str(node)
                length += len(text)
                stops += text.count("。")
            continue
        if closing:
            if node.name == "table":
                table, started = open_tables.pop()
                table.text = length - started
            elif id(node) in open_cells:
                table, started, stops_before = open_cells.pop(id(node))
                if length - started > _RUNNING_TEXT and stops > stops_before:
                    table.running += length - started
            continue
        stack.append((node, True))
        if node.name == "table":
            if open_cells and open_tables:
                innermost = next(reversed(open_cells.values()))[0]
                if innermost is open_tables[-1][0]:
                    innermost.holds_table = True  # a cell holding a table: a page region
            tables[id(node)] = table = _Table()
            open_tables.append((table, length))
        elif node.name == "tr" and open_tables:
            open_tables[-1][0].rows.append(node)
        elif (
            node.name in ("td", "th")
            and open_tables
            and open_tables[-1][0].rows
            and node.parent is open_tables[-1][0].rows[-1]
        ):
            open_cells[id(node)] = (open_tables[-1][0], length, stops)
        stack.extend((child, False) for child in reversed(node.contents))
    return tables


# A line break in the page's source is white space, as a browser shows it: a space, or
# nothing between two Chinese characters (CSS Text 3's segment-break rule). Editors and
# CMSs wrap a paragraph's source at any width ("共承办建议提案\n54 件"); only <pre>, a
# textarea or a white-space: pre* style keep their lines.
# What is a space or nothing is decided on the rendered text, not in each text node: the
# characters either side are often in other elements ("<span>政府信息</span>\n<span>公开").
# A break is marked (NUL, which no page's text holds: it is removed from text nodes) and
# the marks, with the spaces about them, resolved when the page is rendered.
_SEGMENT_BREAK = re.compile(r"[ \t\r\f]*\n\s*")
_MARK = "\x00"
_MARKED = re.compile(r"[ \t\r\f]*\x00[ \t\r\f\x00]*")
_WIDE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_PRE_STYLE = re.compile(r"white-space\s*:\s*(?:pre|break-spaces)", re.I)


def _segment_break(m: re.Match[str]) -> str:
    text, start, end = m.string, m.start(), m.end()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return "" if _WIDE.match(before) and _WIDE.match(after) else " "


def _keeps_lines(tag: Tag) -> bool:
    return tag.name in ("pre", "textarea") or bool(_PRE_STYLE.search(str(tag.get("style") or "")))


def _render(node: Tag, out: list[str]) -> None:
    """The text of ``node``: block elements on lines of their own, a table one row a line
    with cells joined by the separator. Iterative: nesting depth costs no stack."""
    # Each frame: the children still to visit, whether the element was a block, and
    # whether it keeps its source's line breaks.
    stack: list[tuple[Iterator[PageElement], bool, bool]] = [
        (iter(node.children), False, _keeps_lines(node))
    ]
    tables = _tables(node)
    while stack:
        children, block, keeps = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if block:
                out.append("\n")
            continue
        if isinstance(child, NavigableString):
            text = str(child).replace(_MARK, "")
            out.append(text if keeps else _SEGMENT_BREAK.sub(_MARK, text))
            continue
        if not isinstance(child, Tag):
            continue
        table = tables.get(id(child)) if child.name == "table" else None
        if table is not None and not table.layout:
            out.append("\n")
            for row in table.rows:
                cells = [_cell_text(c) for c in row.find_all(("td", "th"), recursive=False)]
                out.append(SEPARATOR.join(cells) + "\n")
            continue
        # A cell reached here is a layout table's (a data table is read whole above): a
        # region of the page, on lines of its own.
        is_block = child.name in _BLOCK or child.name in ("td", "th")
        if is_block:
            out.append("\n")
        stack.append((iter(child.children), is_block, keeps or _keeps_lines(child)))


def read(data: bytes, source: str) -> RawDocument:
    text, encoding = decode(data, source)
    soup = BeautifulSoup(text, "lxml")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if vars(tag).get("_decomposed"):
            # Not tag.decomposed: on a Tag that attribute lookup falls through to
            # find("_decomposed"), a search of the whole subtree (quadratic when nested).
            continue
        if tag.name not in ("html", "body") and _is_chrome(tag):
            tag.decompose()
    out: list[str] = []
    _render(_body(soup), out)
    rendered = _MARKED.sub(_segment_break, "".join(out))
    lines = (" ".join(line.split()) for line in rendered.split("\n"))
    return RawDocument(
        text="\n".join(line for line in lines if line), format="html", encoding=encoding
    )

"""Splitting a report into its six standard parts, whatever the numbering style.

Headings are recognised by what they say (总体情况, 主动公开…) rather than by their numeral
alone: the tables themselves contain lines such as ``四、结转下年度继续办理`` and pasted
notices contain ``二、报名方式``, none of which start a section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SECTION_KEYS = (
    "overview",
    "active_disclosure",
    "applications",
    "review_litigation",
    "problems",
    "other",
)
_NUMERALS = "一二三四五六"
# The title of each section 一…六 as a regex, in order (also what inline_sections looks for).
SECTION_TITLES = (
    r"总体情况|概述|基本情况|工作概况|总体概况",
    r"主动公开政府信息(?:的)?情况|主动公开(?:政府)?信息",
    r"收到和处理政府信息公开申请|依申请公开(?:政府信息)?(?:工作)?情况|收到和处理.{0,4}申请",
    r"行政复议|行政诉讼",
    r"存在的?主要问题|问题及(?:其)?改进|存在(?:的)?问题和改进|改进情况",
    r"其他需要报告的事项|其他需要报告|需要报告的其他事项|其他事项",
)
# A top-level heading: optional "第X部分" or "X、" numbering (never "（X）"), then the title,
# on a short line of its own. Text layers put debris before it (a stray comma, a bullet, a
# markdown "##", a page number run into the line): up to four such characters are skipped,
# never an opening bracket, which would turn "（二）依申请公开情况" into a heading.
_HEADING = re.compile(
    r"^[ \t]*(?:[^\w\s(（\[【]|\d|_){0,4}[ \t]*"
    r"(?:第(?P<n1>[一二三四五六])部分[ \t、.,:]*"
    r"|(?P<n2>[一二三四五六])[ \t]*[、.,．:][ \t]*)?"
    r"(?P<title>[^\n]{0,40})$"
)
_MAX_CONTINUATION = 16  # a heading wrapped over two lines has a short second line
_TITLE_PATTERNS = tuple(re.compile(t) for t in SECTION_TITLES)
# The lines worth a look, found by two scans of the whole text: a line no title occurs in is
# no heading by itself (its title is part of it), and one without a numeral written as
# ``_HEADING`` reads one is not the first line of a wrapped heading either. Every branch of
# both starts with a character (the titles are alternations of words), so the regex engine
# scans for those characters directly: eight times faster than trying every position.
_ANY_TITLE = re.compile("|".join(SECTION_TITLES))
_NUMERAL_MARK = re.compile(
    r"[一二三四五六第](?:(?<=[一二三四五六])[ \t]*[、.,．:]|(?<=第)[一二三四五六]部分)"
)
# What ``_HEADING`` needs at the start of a line to read a numeral there.
_NUMBERED = re.compile(
    r"[ \t]*(?:[^\w\s(（\[【]|\d|_){0,4}[ \t]*"
    r"(?:第[一二三四五六]部分|[一二三四五六][ \t]*[、.,．:])"
)


@dataclass(frozen=True)
class Section:
    key: str
    number: int  # 1..6
    start: int  # offset of the heading line
    body_start: int  # offset just after the heading line
    end: int

    def text(self, document: str) -> str:
        return document[self.body_start : self.end]


def _title_index(line: str) -> tuple[int, int | None] | None:
    """(section index, index its numeral says or None) when the line is a top-level heading."""
    m = _HEADING.match(line)
    if m is None:
        return None
    title = m["title"].strip()
    numeral = m["n1"] or m["n2"]
    if not title or "|" in title or "\t" in title:
        return None
    for index, pattern in enumerate(_TITLE_PATTERNS):
        hit = pattern.search(title)
        if not hit:
            continue
        # An unnumbered heading must be the title itself, not a sentence that names it.
        if numeral is None and (hit.start() > 2 or len(title) > hit.end() + 6):
            continue
        if numeral is not None and _NUMERALS.index(numeral) != index and hit.start() > 4:
            continue
        return index, None if numeral is None else _NUMERALS.index(numeral)
    return None


def _candidates(text: str) -> list[tuple[int, int, int, int | None]]:
    """(section index, heading start, body start, numeral's index) for every plausible
    heading.

    A numbered line that is not a heading by itself may be one wrapped over two lines
    (``三、收到和处理政府信息公开`` / ``申请情况``): the two are read together.
    """
    found = []
    # Where the lines worth a look start, without splitting the whole text into lines.
    titled = {text.rfind("\n", 0, m.start()) + 1 for m in _ANY_TITLE.finditer(text)}
    marked = {text.rfind("\n", 0, m.start()) + 1 for m in _NUMERAL_MARK.finditer(text)}
    for start in sorted(titled | marked):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        if len(line) > 60 or not line.strip():
            continue
        hit = _title_index(line) if start in titled else None
        body = end + 1
        if hit is None and start in marked and end < len(text) and _NUMBERED.match(line):
            after = text.find("\n", end + 1)
            after = len(text) if after < 0 else after
            second = text[end + 1 : after].strip()
            m = _HEADING.match(line)
            if second and len(second) <= _MAX_CONTINUATION and m and (m["n1"] or m["n2"]):
                hit = _title_index(line.rstrip() + second)
                body = after + 1
        if hit is not None:
            found.append((hit[0], start, body, hit[1]))
    return found


def split_sections(text: str) -> dict[str, Section]:
    """Find the six sections; a section that cannot be found is simply absent.

    Sections are searched in their standard order first, which keeps a numbered line inside
    a table (``四、结转下年度继续办理``) from being taken for a heading. A section missed that
    way because the report puts it out of order (三 before 二) is then taken wherever its
    heading stands, provided it does not fall inside another section's heading.
    """
    heads: list[tuple[int, int, int]] = []
    position = 0
    candidates = _candidates(text)
    for index in range(len(SECTION_KEYS)):
        options = [c for c in candidates if c[0] == index and c[1] >= position]
        if not options:
            continue
        numbered = [c for c in options if c[3] is not None]
        _, start, body, _ = (numbered or options)[0]
        heads.append((index, start, min(body, len(text))))
        position = body
    taken = {h[0] for h in heads}
    for index in range(len(SECTION_KEYS)):
        # Out of order: only a numbered heading with the right numeral is trusted.
        options = [
            c
            for c in candidates
            if c[0] == index
            and index not in taken
            and c[3] == index
            and not any(h[1] <= c[1] < h[2] for h in heads)
        ]
        if options:
            heads.append((index, options[0][1], min(options[0][2], len(text))))
            taken.add(index)
    heads.sort(key=lambda h: h[1])
    sections = {}
    for i, (index, start, body) in enumerate(heads):
        end = heads[i + 1][1] if i + 1 < len(heads) else len(text)
        sections[SECTION_KEYS[index]] = Section(SECTION_KEYS[index], index + 1, start, body, end)
    return sections


NARRATIVE_KEYS = ("overview", "problems", "other")
TABLE_KEYS = ("active_disclosure", "applications", "review_litigation")
# A line of prose, not a table cell or row: a sentence with clause punctuation, never a cell
# separator. Table cells flattened one a line are short and have neither.
_PROSE_PUNCTUATION = re.compile(r"[，,。；;]")
_PROSE_MIN = 20
# The standard form's own notes ("(本列数据的勾稽关系为:…)", "(区分处理的,只计这一情形,…)")
# are punctuated like prose but belong to the table.
_FORM_NOTE = re.compile(r"勾稽关系|区分处理的|只计这一情形|不计其他情形")


def prose_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the lines between ``start`` and ``end`` that are sentences, not table rows."""
    spans = []
    lo = start
    while lo < end:
        hi = text.find("\n", lo, end)
        hi = end if hi < 0 else hi
        line = text[lo:hi]
        if (
            hi - lo >= _PROSE_MIN  # (the count of characters below is at most this)
            and "|" not in line
            and "\t" not in line
            and _PROSE_PUNCTUATION.search(line)
            and not _FORM_NOTE.search(line)
            and sum(not ch.isspace() for ch in line) >= _PROSE_MIN
        ):
            spans.append((lo, hi))
        lo = hi + 1
    return spans


def narrative_spans(text: str, sections: dict[str, Section]) -> list[tuple[int, int]]:
    """Where the free narrative is: sections 一、五、六 plus any preamble before 一, and the
    lines of prose that sections 二、三、四 put before or after their tables
    (三、收到和处理政府信息公开申请情况 / 本年度共收到…申请8件,…).

    With no sections found at all, the whole text is treated as narrative.
    """
    if not sections:
        return [(0, len(text))]
    spans = []
    first = min(s.start for s in sections.values())
    if first > 0:
        spans.append((0, first))
    for key in NARRATIVE_KEYS:
        if key in sections:
            spans.append((sections[key].start, sections[key].end))
    for key in TABLE_KEYS:
        if key in sections:
            spans.extend(prose_lines(text, sections[key].body_start, sections[key].end))
    return sorted(spans)


# Where a standard table stands when its section heading is missing or worded unusually:
# the first anchor that the table itself always contains, to the first anchor of what follows.
_TABLE_ANCHORS = {
    "active_disclosure": (("第二十条第",), ("勾稽关系", "申请人情况", "本年新收")),
    "applications": (
        ("勾稽关系", "申请人情况", "本年新收"),
        ("未经复议直接起诉", "复议后起诉", "存在的主要问题"),
    ),
    "review_litigation": (("未经复议直接起诉", "复议后起诉"), ("存在的主要问题", "其他需要报告")),
}
_REVIEW_LEAD = 400  # the header cells 行政复议 … stand before the anchor


def table_region(text: str, key: str) -> tuple[int, int] | None:
    """Span of a standard table located by its own rows, or None when it is not there."""
    starts, ends = _TABLE_ANCHORS[key]
    hits = [i for i in (text.find(a) for a in starts) if i >= 0]
    if not hits:
        return None
    start = min(hits)
    if key == "review_litigation":
        lead = text.rfind("行政复议", max(0, start - _REVIEW_LEAD), start)
        start = lead if lead >= 0 else start
    stops = [i for i in (text.find(a, start + 1) for a in ends) if i > start]
    end = min(stops) if stops else min(len(text), start + 8000)
    if key == "applications":  # the review header sits just before its anchor
        lead = text.rfind("行政复议", start, end)
        end = lead if lead > text.find("结转下年度", start) > 0 else end
    return start, end

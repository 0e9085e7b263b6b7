"""Section headings inside one long line: a whole page as a crawler's ``get_text()`` gives it.

With no line breaks, ``split_sections`` (which reads headings as short lines of their own)
finds nothing: ``…其他情形2件。二、主动公开政府信息情况第二十条第(一)项信息内容…``. Here a
heading is its numeral with 、 and the standard title right after it (``二、主动公开…``,
``四、政府信息公开行政复议…``), taken in the standard order, the numeral agreeing with the
title. Numbered lines inside tables and pasted notices (``四、结转下年度继续办理``,
``一、轮训内容``) name no standard title, so they never start a section.

Only used when no section was found at all and the text runs on in long lines: a laid-out
report keeps its own reader.
"""

from __future__ import annotations

import re

from extract.sections import SECTION_KEYS, SECTION_TITLES, Section

_NUMERALS = "一二三四五六"
_INLINE = re.compile(r"(?P<n>[一二三四五六])[、.．](?=(?P<after>.{0,40}))", re.S)
# A page on one line: a line this long holds more than a paragraph.
LONG_LINE = 1000
_TITLE_AT = 8  # the title starts within this many characters of the numeral
_HEADING_END = re.compile(r"[^,。;:]{0,8}?情况")


def runs_on(text: str) -> bool:
    return any(len(line) > LONG_LINE for line in text.split("\n"))


def inline_sections(text: str) -> dict[str, Section]:
    heads: list[tuple[int, int, int]] = []  # (index, heading start, body start)
    position = 0
    candidates = []
    for m in _INLINE.finditer(text):
        index = _NUMERALS.index(m["n"])
        hit = re.search(SECTION_TITLES[index], m["after"])
        if hit is None or hit.start() > _TITLE_AT:
            continue
        # Headings 一 to 五 end with 情况 (…行政复议、行政诉讼情况): the heading runs to it
        # when it follows the title closely; 六 ends with its title.
        tail = _HEADING_END.match(m["after"][hit.end() :]) if index < 5 else None
        length = hit.end() + (tail.end() if tail else 0)
        candidates.append((index, m.start(), m.start("after") + length))
    for index in range(len(SECTION_KEYS)):
        options = [c for c in candidates if c[0] == index and c[1] >= position]
        if options:
            heads.append(options[0])
            position = options[0][2]
    sections = {}
    for i, (index, start, body) in enumerate(heads):
        end = heads[i + 1][1] if i + 1 < len(heads) else len(text)
        sections[SECTION_KEYS[index]] = Section(SECTION_KEYS[index], index + 1, start, body, end)
    return sections

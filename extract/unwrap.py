"""Soft line breaks: a report's prose hard-wrapped at a fixed width, put back together.

Text copied out of a PDF viewer, or made by ``pdftotext``, and pasted into a web page breaks
every line of a paragraph where the page did ("…共承办建议提案" / "54 件,人大代表议案"): a
sentence, a number and its measure word, even a word end up on two lines, and nothing that
reads sentences finds them. Such a text is recognised by its many lines of one display width
that end without a sentence's punctuation; a break after such a line is joined, unless the
next line starts a heading or an item. Tables (cells split by ``|`` or tabs, or one cell a
line, always short) and texts not wrapped this way are left as they are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from itertools import pairwise

# Characters shown two columns wide: CJK and Hangul, the CJK punctuation and forms blocks,
# full-width forms.
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)
# A line a paragraph may end with: a sentence's or a clause-list's end.
_ENDS = "。;；!！?？:：…"
# A line that starts a heading, an item or a numbered point is never a continuation.
_STARTS_ITEM = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．](?!\d)"
    r"|第[一二三四五六七八九十]+[部章条节]|[一二三四五六七八九十]是|附件|[①-⑳])"
)
_MIN_WIDTH = 24  # narrower lines are table cells, headings, dates: never wrapped prose
_MIN_WRAPPED = 5  # lines at the wrap width, unpunctuated, before a text counts as wrapped
_SLACK = 3  # columns a wrapped line may fall short of its width (a wide character, a digit)


def _width(line: str) -> int:
    return len(line) + len(_WIDE.findall(line))


def _is_cell(line: str) -> bool:
    return "|" in line or "\t" in line


Measure = Callable[[str], int]
# How a wrapping tool counts: display columns (a PDF viewer, pdftotext: CJK two wide), with
# three columns' slack; or characters, with one (a tool that counts every character as one).
_MEASURES: tuple[tuple[Measure, int, int], ...] = (
    (_width, _MIN_WIDTH, _SLACK),
    (len, _MIN_WIDTH // 2, 1),
)


def wrap_width(lines: list[str]) -> tuple[Measure, int, int] | None:
    """How the text's prose is hard-wrapped: the measure, the width and its slack; None when
    it is not."""
    # Lines that run on into a next line: long, unpunctuated at the end, followed by text,
    # and not a heading or item of their own (a report's short unpunctuated sub-headings,
    # "(一)积极推动政府信息主动公开", are often of one width too).
    runs_on = [
        line
        for line, after in pairwise(lines)
        if len(line) >= _MIN_WIDTH // 2
        and line[-1] not in _ENDS
        and after.strip()
        and not _is_cell(line)
        and not _STARTS_ITEM.match(line)
    ]
    best: tuple[int, Measure, int, int] | None = None
    for measure, least, slack in _MEASURES:
        sizes = [size for line in runs_on if (size := measure(line)) >= least]
        if len(sizes) < _MIN_WRAPPED:
            continue
        counts = Counter(sizes)
        # The width with the most lines just short of it or at it (a line stops short when
        # the next character does not fit).
        at, width = max((sum(counts[w - k] for k in range(slack + 1)), w) for w in counts)
        # Wrapped prose: most run-on long lines stop at one width (a laid-out report's lines
        # end where its sentences do, at every width).
        if at >= _MIN_WRAPPED and at >= 0.5 * len(sizes) and (best is None or at > best[0]):
            best = (at, measure, width, slack)
    return None if best is None else best[1:]


def _joint(last: str, first: str) -> str:
    """What stands between two wrapped lines once joined: nothing inside Chinese text or a
    number cut in two ("48" / "1条"), a space between two words of Latin script."""
    if _WIDE.match(last) or _WIDE.match(first) or (last.isdigit() and first.isdigit()):
        return ""
    return " "


def unwrap(text: str) -> str:
    """``text`` with the soft line breaks of hard-wrapped prose joined (see the module).
    Widths are those of the text as written (full-width punctuation two columns wide), so
    this runs before full-width characters are made ASCII."""
    lines = [line.rstrip() for line in text.split("\n")]
    wrapped = wrap_width(lines)
    if wrapped is None:
        return text
    measure, width, slack = wrapped
    out: list[str] = []
    paragraph = [lines[0]]  # the pieces of the line being joined (one join, not one per piece)
    for before, line in pairwise(lines):
        soft = (
            before
            and line.strip()
            and before[-1] not in _ENDS
            and not _is_cell(before)
            and not _is_cell(line)
            and width - slack <= measure(before) <= width
            and not _STARTS_ITEM.match(line)
        )
        if soft:
            after = line.lstrip()
            paragraph += [_joint(before[-1], after[0]), after]
        else:
            out.append("".join(paragraph))
            paragraph = [line]
    out.append("".join(paragraph))
    return "\n".join(out)

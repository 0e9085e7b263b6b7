"""A document's text as HTML with spans of evidence marked; hovering a mark explains it."""

from __future__ import annotations

import html
from typing import NamedTuple


class Span(NamedTuple):
    start: int
    end: int
    cls: str  # the mark's CSS class
    tip: str  # what hovering it says


# When spans overlap, the character takes the class that matters most to a reader.
RANK = {"fp": 5, "miss": 4, "failed": 3, "disagree": 2, "tp": 1, "fact": 0}


def highlight(text: str, spans: list[Span]) -> str:
    """The text as HTML with every span marked; overlapping spans take the highest-ranked
    class, and tips of the same class are joined."""
    marks: list[tuple[str, str] | None] = [None] * len(text)
    for start, end, cls, tip in spans:
        for i in range(max(start, 0), min(end, len(text))):
            current = marks[i]
            if current is None or RANK[cls] > RANK[current[0]]:
                marks[i] = (cls, tip)
            elif current[0] == cls and tip not in current[1]:
                marks[i] = (cls, f"{current[1]}; {tip}")
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and marks[j] == marks[i]:
            j += 1
        chunk = html.escape(text[i:j])
        mark = marks[i]
        if mark is None:
            out.append(chunk)
        else:
            out.append(f'<mark class="{mark[0]}" title="{html.escape(mark[1])}">{chunk}</mark>')
        i = j
    return "".join(out)

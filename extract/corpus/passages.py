"""The passages two matched narratives share, for a reader to compare side by side.

Run on matched pairs only (never the corpus): difflib aligns the two masked texts, runs
separated by a short gap (a changed number, a changed name) are joined into one passage,
and each passage is shown in both originals.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from extract.corpus.narrative import mask_with_offsets

MIN_PASSAGE = 30  # masked characters: shorter common runs are stock phrases
MAX_GAP = 12  # a changed number or name between two runs keeps them one passage


@dataclass(frozen=True)
class Shared:
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_text: str
    b_text: str
    length: int  # masked characters the two have in common in this passage


def _runs(a: str, b: str) -> list[tuple[int, int, int]]:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return [(i, j, n) for i, j, n in matcher.get_matching_blocks() if n]


def _join(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int, int, int]]:
    """(a_start, a_end, b_start, b_end, common) of runs joined across short gaps."""
    joined: list[tuple[int, int, int, int, int]] = []
    for i, j, n in runs:
        if joined:
            a0, a1, b0, b1, common = joined[-1]
            if 0 <= i - a1 <= MAX_GAP and 0 <= j - b1 <= MAX_GAP:
                joined[-1] = (a0, i + n, b0, j + n, common + n)
                continue
        joined.append((i, i + n, j, j + n, n))
    return joined


def shared_passages(a_text: str, b_text: str) -> tuple[list[Shared], float]:
    """The passages, longest first, and the share of the shorter narrative they cover."""
    a, a_where = mask_with_offsets(a_text)
    b, b_where = mask_with_offsets(b_text)
    if not a or not b:
        return [], 0.0
    out = []
    for a0, a1, b0, b1, common in _join(_runs(a, b)):
        if common < MIN_PASSAGE:
            continue
        sa, ea = a_where[a0], a_where[a1 - 1] + 1
        sb, eb = b_where[b0], b_where[b1 - 1] + 1
        out.append(Shared(sa, ea, sb, eb, a_text[sa:ea], b_text[sb:eb], common))
    covered = sum(s.length for s in out) / min(len(a), len(b))
    return sorted(out, key=lambda s: (-s.length, s.a_start)), covered

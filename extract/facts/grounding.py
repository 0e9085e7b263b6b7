"""Grounding: is a fact's evidence in the text, and can its value be read from it?

Shared by the LLM path's validation, the gold checker and the scorer, so that all three
apply the same rule (docs/facts.md: verbatim, whitespace aside; docs/decisions.md: after the
normalisation applied to documents).

A model may normalise what it copies: quote and bracket widths (“” → "", 〔〕 → [],
《》 → <>), a full-width comma, a line break inside a number that PDF text carries
(``2\\n7个``). Those are folded *for comparison only*; every offset still points into the
document, and the evidence a record carries is the document's own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.facts.mentions import CLAUSE_BREAKS, Mention, find_mentions
from extract.textnorm import normalise

_ZERO = re.compile(r"未|没有|无|不|零|(?<![\d.])0(?![\d.])")
# One character for one, so that positions in the folded text are positions in the text.
_FOLD = str.maketrans(
    {
        **dict.fromkeys("“”„‟″「」『』＂", '"'),
        **dict.fromkeys("‘’‚‛′＇", "'"),
        **dict.fromkeys("〔［【〖", "["),
        **dict.fromkeys("〕］】〗", "]"),
        **dict.fromkeys("《〈＜", "<"),
        **dict.fromkeys("》〉＞", ">"),
        **dict.fromkeys("—–―－", "-"),
        "，": ",",
        "：": ":",
        "；": ";",
        "（": "(",
        "）": ")",
        "！": "!",
        "？": "?",
        "～": "~",
        "·": "·",
        "•": "·",
        "・": "·",
    }
)
# FACTS.md: evidence is "normally the clause, ≤ 60 chars"; longer is trimmed to the clause.
MAX_EVIDENCE = 60


def fold(text: str) -> str:
    """What a model may change without changing the meaning, folded to one form."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Anchor:
    """Where a fact stands in the text and what its mention says."""

    start: int
    end: int
    approximate: bool  # as the mention reads (an explicit zero is exact)
    unit: str | None  # None for an explicit zero (no measure word written)


def occurrences(text: str, evidence: str) -> list[tuple[int, int]]:
    """Every place the evidence stands in a normalised text: whitespace aside, quote,
    bracket and punctuation widths folded."""
    target = fold("".join(normalise(evidence).split()))
    if not target:
        return []
    positions = [i for i, ch in enumerate(text) if not ch.isspace()]
    flat = fold("".join(text[i] for i in positions))
    out = []
    k = flat.find(target)
    while k >= 0:
        out.append((positions[k], positions[k + len(target) - 1] + 1))
        k = flat.find(target, k + 1)
    return out


def locate(text: str, evidence: str) -> tuple[int, int] | None:
    """Where the evidence first stands in a normalised text, or None when it is not there."""
    found = occurrences(text, evidence)
    return found[0] if found else None


def mentions_in(text: str, lo: int, hi: int) -> list[Mention]:
    """Numbers with a measure word in ``text[lo:hi]``, reading a number that a line break or
    space splits (``2\\n7个``) as one; offsets are into ``text``."""
    keep = [
        i
        for i in range(lo, hi)
        if not (text[i].isspace() and i > lo and text[i - 1].isdigit() and _next_digit(text, i, hi))
    ]
    joined = "".join(text[i] for i in keep)
    out = []
    for m in find_mentions(joined):
        start, end = keep[m.start], keep[m.end - 1] + 1
        out.append(Mention(start, end, m.value, m.approximate, m.unit))
    return out


def _next_digit(text: str, i: int, hi: int) -> bool:
    j = i
    while j < hi and text[j].isspace():
        j += 1
    return j < hi and text[j].isdigit()


def readable_values(evidence: str) -> set[float]:
    """Every value a reader can take from an evidence string (0 for an explicit zero)."""
    text = normalise(evidence)
    values = {float(m.value) for m in mentions_in(text, 0, len(text))}
    if _ZERO.search(evidence):
        values.add(0.0)
    return values


def _clause(text: str, lo: int, hi: int, a: int, b: int) -> tuple[int, int]:
    """The clause of ``text[lo:hi]`` around ``text[a:b]``."""
    left = a
    while left > lo and text[left - 1] not in CLAUSE_BREAKS:
        left -= 1
    right = b
    while right < hi and text[right] not in CLAUSE_BREAKS:
        right += 1
    while left < a and text[left].isspace():
        left += 1
    while right > b and text[right - 1].isspace():
        right -= 1
    return left, right


def _anchor_in(text: str, lo: int, hi: int, value: float) -> Anchor | None:
    """The mention of ``value`` in ``text[lo:hi]`` (trimmed to its clause when the span is
    long), or None when the value cannot be read there."""
    for m in mentions_in(text, lo, hi):
        if float(m.value) == value:
            if hi - lo > MAX_EVIDENCE:
                lo, hi = _clause(text, lo, hi, m.start, m.end)
            elif not text[lo : m.start].strip() and not text[m.end : hi].strip():
                # Only the number (8场): the clause around it says what it counts.
                lo, hi = _clause(text, 0, len(text), m.start, m.end)
            return Anchor(lo, hi, m.approximate, m.unit)
    if value == 0:
        zero = _ZERO.search(text, lo, hi)
        if zero:
            if hi - lo > MAX_EVIDENCE:
                lo, hi = _clause(text, lo, hi, zero.start(), zero.end())
            return Anchor(lo, hi, False, None)
    return None


def ground(text: str, evidence: str, value: float) -> Anchor | str:
    """Where a fact with this evidence and value stands in ``text``, or why it cannot be
    placed there: evidence not in the text, value not in the evidence, or evidence that
    stands in several places saying different things."""
    found = occurrences(text, evidence)
    if not found:
        return f"evidence {evidence!r} is not in the text; copy the clause character for character"
    anchors = [a for a in (_anchor_in(text, lo, hi, float(value)) for lo, hi in found) if a]
    if not anchors:
        return f"value {value:g} cannot be read from evidence {evidence!r}"
    if len(anchors) == 1:
        return anchors[0]
    # The same words in several places: widen each to its clause. The same clause repeated
    # is one statement; different clauses are different facts, and guessing would anchor
    # this one to another's place.
    widened = [_clause(text, 0, len(text), a.start, a.end) for a in anchors]
    clauses = {"".join(text[lo:hi].split()) for lo, hi in widened}
    if len(clauses) == 1:
        lo, hi = widened[0]
        return Anchor(lo, hi, anchors[0].approximate, anchors[0].unit)
    shown = " / ".join(sorted(clauses))
    return (
        f"evidence {evidence!r} stands in {len(anchors)} places ({shown}); quote the whole "
        "clause of the one meant"
    )


def grounding_problem(text: str, evidence: str, value: float) -> str | None:
    """Why a fact is not grounded in ``text``, or None when it is."""
    placed = ground(text, evidence, value)
    return placed if isinstance(placed, str) else None

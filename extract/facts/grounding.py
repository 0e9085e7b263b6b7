"""Grounding: is a fact's evidence in the text, and can its value be read from it?

Shared by the LLM path's validators, the gold checker and the scorer, so that all three
apply the same rule (docs/facts.md: verbatim, whitespace aside; docs/decisions.md: after the
normalisation applied to documents).
"""

from __future__ import annotations

import re

from extract.facts.mentions import find_mentions
from extract.textnorm import find_verbatim, normalise

_ZERO = re.compile(r"未|没有|无|不|零|(?<![\d.])0(?![\d.])")


def readable_values(evidence: str) -> set[float]:
    """Every value a reader can take from an evidence string (0 for an explicit zero)."""
    values = {float(m.value) for m in find_mentions(normalise(evidence))}
    if _ZERO.search(evidence):
        values.add(0.0)
    return values


def locate(text: str, evidence: str) -> tuple[int, int] | None:
    """Where the evidence stands in a normalised text, or None when it is not there."""
    return find_verbatim(text, normalise(evidence))


def grounding_problem(text: str, evidence: str, value: float) -> str | None:
    """Why a fact is not grounded in ``text``, or None when it is."""
    if locate(text, evidence) is None:
        return f"evidence {evidence!r} is not in the text; copy the clause character for character"
    if float(value) not in readable_values(evidence):
        return f"value {value:g} cannot be read from evidence {evidence!r}"
    return None

"""Checking one chunk's answer fact by fact: read it, ground it, reconcile its flags.

A fact is kept when its evidence stands in the chunk (``grounding``: whitespace, quote and
bracket widths aside) and its value can be read there. Its ``approximate`` flag and unit
are the mention's, read from the evidence; where the model said otherwise a failed check
records the disagreement. Pure functions: no SDK, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.facts.grounding import Anchor, ground, mentions_in
from extract.llm.answers import Candidate, Rejected, read_fact
from extract.llm.chunking import NOT_COUNTS, Chunk
from extract.llm.schema import ChunkFact
from extract.record import Check


@dataclass(frozen=True)
class Failure:
    """A fact that failed, as the model gave it, and the reason to tell it."""

    fact: Candidate | Rejected
    reason: str

    def describe(self) -> str:
        return f"{self.fact.describe()}: {self.reason}"


@dataclass
class Checked:
    facts: list[ChunkFact] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _reconcile(fact: Candidate, anchor: Anchor, evidence: str) -> tuple[ChunkFact, list[Check]]:
    checks = []
    approximate = anchor.approximate
    if fact.approximate is not None and fact.approximate != approximate:
        checks.append(
            Check(
                name=f"llm.approximate.{fact.field}",
                ok=False,
                detail=f"{fact.describe()}: the model said approximate="
                f"{str(fact.approximate).lower()}, the evidence {evidence!r} says "
                f"{str(approximate).lower()}; kept the evidence's",
            )
        )
    unit = anchor.unit if anchor.unit is not None else fact.unit
    if fact.unit and anchor.unit and fact.unit != anchor.unit:
        checks.append(
            Check(
                name=f"llm.unit.{fact.field}",
                ok=False,
                detail=f"{fact.describe()}: the model said unit {fact.unit!r}, the evidence "
                f"{evidence!r} says {anchor.unit!r}; kept the evidence's",
            )
        )
    placed = ChunkFact(
        field=fact.field,  # type: ignore[arg-type]  # read_fact admits catalogue ids only
        value=_number(fact.value),
        unit=unit,
        approximate=approximate,
        start=anchor.start,
        end=anchor.end,
    )
    return placed, checks


def check_fact(chunk: Chunk, raw: object) -> tuple[ChunkFact, list[Check]] | Failure:
    """One raw fact of an answer: placed in the chunk, or why not."""
    fact = read_fact(raw)
    if isinstance(fact, Rejected):
        return Failure(fact, fact.reason)
    anchor = ground(chunk.text, fact.evidence, fact.value)
    if isinstance(anchor, str):
        return Failure(fact, anchor)
    if chunk.to_document(anchor.start, anchor.end) is None:
        return Failure(fact, "the evidence runs across two separate passages; quote one clause")
    return _reconcile(fact, anchor, chunk.text[anchor.start : anchor.end])


def check_answer(chunk: Chunk, raw_facts: list[object]) -> Checked:
    """Every fact of one answer, each on its own."""
    out = Checked()
    for raw in raw_facts:
        result = check_fact(chunk, raw)
        if isinstance(result, Failure):
            out.failures.append(result)
        else:
            out.facts.append(result[0])
            out.checks.extend(result[1])
    return out


_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
EXCERPT_MAX = 1500


def _bigrams(text: str) -> set[str]:
    squeezed = "".join(text.split())
    return {squeezed[i : i + 2] for i in range(len(squeezed) - 1)}


def _sentences_for(text: str, failure: Failure) -> list[tuple[int, int]]:
    """The sentences of the text a failing fact can come from: the one sharing most words
    with its evidence, and those that state its value (most alike first)."""
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]
    fact = failure.fact
    evidence = getattr(fact, "evidence", None)
    if isinstance(fact, Rejected) and isinstance(fact.raw, dict):
        evidence = str({str(k).lower(): v for k, v in fact.raw.items()}.get("evidence") or "")
    words = _bigrams(evidence or "")
    scored = sorted(
        ((len(words & _bigrams(text[lo:hi])), lo, hi) for lo, hi in sentences), reverse=True
    )
    out = []
    if scored and scored[0][0] >= max(2, len(words) // 3):
        out.append((scored[0][1], scored[0][2]))
    value = getattr(fact, "value", None)
    if value is not None and value != 0:
        stating = [
            (lo, hi)
            for _, lo, hi in scored
            if any(
                float(m.value) == value and m.unit not in NOT_COUNTS
                for m in mentions_in(text, lo, hi)
            )
        ]
        out.extend(s for s in stating[:2] if s not in out)
    return out


def can_come_from(text: str, failure: Failure) -> bool:
    """Whether some sentence of the text resembles the failing fact (shares its words or
    states its value): only then can a re-ask ground it."""
    return bool(_sentences_for(text, failure))


def excerpt_for(text: str, failures: list[Failure]) -> str:
    """The sentences a re-ask shows: where each failing fact can come from, in text order."""
    spans = sorted({s for f in failures for s in _sentences_for(text, f)})
    out: list[str] = []
    size = 0
    for lo, hi in spans:
        sentence = text[lo:hi].strip()
        if size + len(sentence) > EXCERPT_MAX and out:
            break
        out.append(sentence)
        size += len(sentence) + 1
    return "\n".join(out)

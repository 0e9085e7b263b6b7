"""How a document's narrative facts are found: rules, a model, or both.

Every finder takes the normalised text and the narrative spans and returns a FactResult;
the pipeline does not know which one ran.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from extract.facts.rules import extract_rules
from extract.record import Check, Fact, Problem, Usage

Spans = list[tuple[int, int]]


@dataclass
class FactResult:
    facts: list[Fact]
    problems: list[Problem] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    usage: Usage | None = None
    model: str | None = None
    prompt_version: str | None = None


FactFinder = Callable[[str, Spans], FactResult]


def rules_finder(text: str, spans: Spans) -> FactResult:
    return FactResult(facts=extract_rules(text, spans))


def merge(rules: list[Fact], llm: list[Fact]) -> tuple[list[Fact], list[Check]]:
    """Union of both paths; a (field, value) both found is one fact with method rules+llm.
    Each field either path found gets a check saying whether the two agree."""
    by_key = {(f.field, float(f.value)): f for f in llm}
    merged: list[Fact] = []
    for fact in rules:
        key = (fact.field, float(fact.value))
        if key in by_key:
            merged.append(fact.model_copy(update={"method": "rules+llm"}))
            del by_key[key]
        else:
            merged.append(fact)
    merged.extend(by_key.values())
    merged.sort(key=lambda f: f.start)
    checks = []
    for name in sorted({f.field for f in rules} | {f.field for f in llm}):
        a = sorted({f.value for f in rules if f.field == name})
        b = sorted({f.value for f in llm if f.field == name})
        checks.append(
            Check(
                name=f"hybrid.{name}",
                ok=a == b,
                detail=f"rules {', '.join(map(str, a)) or '—'}; "
                f"llm {', '.join(map(str, b)) or '—'}",
            )
        )
    return merged, checks


def with_rules(text: str, spans: Spans, result: FactResult) -> FactResult:
    """A model's result merged with the rules' facts for the same text (hybrid)."""
    facts, checks = merge(extract_rules(text, spans), result.facts)
    return FactResult(
        facts=facts,
        problems=result.problems,
        checks=[*result.checks, *checks],  # the model path's own checks too
        usage=result.usage,
        model=result.model,
        prompt_version=result.prompt_version,
    )


def hybrid(llm_finder: FactFinder) -> FactFinder:
    def find(text: str, spans: Spans) -> FactResult:
        return with_rules(text, spans, llm_finder(text, spans))

    return find

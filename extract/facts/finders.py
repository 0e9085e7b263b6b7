"""How a document's narrative facts are found: rules, a model, or both.

Every strategy is a :class:`FactFinder`: it takes a drafted document and returns a
FactResult; the pipeline does not know which one ran. Which one runs is decided in one
place, :func:`extract.methods.open_finder`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from extract.facts.rules import extract_rules
from extract.record import Check, Fact, Problem, Usage

if TYPE_CHECKING:
    from extract.pipeline import Draft

Spans = list[tuple[int, int]]


@dataclass
class FactResult:
    facts: list[Fact]
    problems: list[Problem] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    usage: Usage | None = None
    model: str | None = None
    prompt_version: str | None = None


class FactFinder(Protocol):
    """A fact-finding strategy.

    ``name`` is what the record's ``provenance.backend`` says. ``uses_rules`` asks for the
    rules' facts to be computed beside the draft (in the worker that parsed it);
    ``uses_model`` says whether ``find`` talks to a model: a finder that does not can run
    whole in a worker process, one that does runs on the parent's event loop.
    """

    @property
    def name(self) -> str: ...

    @property
    def uses_rules(self) -> bool: ...

    @property
    def uses_model(self) -> bool: ...

    async def find(self, draft: Draft) -> FactResult: ...


def rules_facts(draft: Draft) -> list[Fact]:
    """The rules' facts of a draft: computed with it when asked for, else now."""
    if draft.rule_facts is not None:
        return draft.rule_facts
    return extract_rules(draft.text, draft.spans)


@dataclass(frozen=True)
class RulesFinder:
    """The rules engine (``extract/data/rules.toml``): no model, no I/O."""

    name: str = "rules"
    uses_rules: bool = True
    uses_model: bool = False

    async def find(self, draft: Draft) -> FactResult:
        return FactResult(facts=rules_facts(draft))


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


@dataclass(frozen=True)
class HybridFinder:
    """A model's facts merged with the rules' (the one implementation of hybrid)."""

    model: FactFinder
    name: str = "hybrid"
    uses_rules: bool = True
    uses_model: bool = True

    async def find(self, draft: Draft) -> FactResult:
        result = await self.model.find(draft)
        facts, checks = merge(rules_facts(draft), result.facts)
        return FactResult(
            facts=facts,
            problems=result.problems,
            checks=[*result.checks, *checks],  # the model path's own checks too
            usage=result.usage,
            model=result.model,
            prompt_version=result.prompt_version,
        )

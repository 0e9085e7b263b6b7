"""The model as a FactFinder: one client and one gate shared by every document of a run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import instructor

from extract.facts.finders import FactResult
from extract.llm.client import CircuitBreaker
from extract.llm.extractor import extract_llm
from extract.llm.gate import ModelGate
from extract.llm.settings import LLMSettings

if TYPE_CHECKING:
    from extract.pipeline import Draft


@dataclass(frozen=True)
class LLMFinder:
    settings: LLMSettings
    client: instructor.AsyncInstructor
    gate: ModelGate
    breaker: CircuitBreaker  # one per run, across documents
    name: str = "llm"
    uses_rules: bool = False
    uses_model: bool = True

    async def find(self, draft: Draft) -> FactResult:
        return await extract_llm(
            draft.text,
            draft.spans,
            self.settings,
            self.client,
            self.gate,
            breaker=self.breaker,
        )

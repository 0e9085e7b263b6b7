"""The response model the LLM fills in, with grounding as validation.

A fact whose evidence is not verbatim in the chunk sent, or whose value cannot be read from
its evidence, fails validation; instructor then re-asks with the reason.
"""

from __future__ import annotations

from contextvars import ContextVar

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator

from extract.facts.grounding import grounding_problem
from extract.record import FieldId

# The chunk a request was about, for the grounding validator. A context variable rather
# than instructor's ``context=``: that one also renders the messages as Jinja templates,
# which report text (with its own braces) must never be, and costs time on every call.
CURRENT_CHUNK: ContextVar[str | None] = ContextVar("nianbao_chunk", default=None)


class LLMFact(BaseModel):
    field: FieldId = Field(description="Catalogue field id.")
    value: float = Field(description="The number, normalised (20余万 → 200000, 两 → 2).")
    unit: str | None = Field(default=None, description="Measure word as written, or null.")
    approximate: bool = Field(
        default=False, description="True when qualified by 余 多 近 约 左右 以上 超过 逾."
    )
    evidence: str = Field(
        min_length=1,
        max_length=120,
        description="Verbatim clause from the text holding the number.",
    )

    @model_validator(mode="after")
    def grounded(self, info: ValidationInfo) -> LLMFact:
        chunk = (info.context or {}).get("chunk", CURRENT_CHUNK.get())
        if chunk is not None:
            problem = grounding_problem(chunk, self.evidence, self.value)
            if problem:
                raise ValueError(f"{self.field}={self.value:g}: {problem}")
        return self


class ExtractedFacts(BaseModel):
    """Every fact of the catalogue stated in the text (an empty list when there is none)."""

    facts: list[LLMFact] = Field(default_factory=list)

    @field_validator("facts", mode="before")
    @classmethod
    def none_is_empty(cls, value: object) -> object:
        return [] if value is None else value

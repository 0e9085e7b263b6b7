"""What the model is asked to fill in, and what one chunk's answer becomes once checked.

``ExtractedFacts`` is the response schema sent to the model (tool parameters, JSON schema or
the schema in the prompt, by mode). Its answers are *not* validated against it strictly:
``answers`` reads them leniently and ``validation`` grounds each fact on its own.
``ChunkAnswer`` is the checked result of one chunk, the form kept in the response cache.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from extract.record import Check, FieldId


class LLMFact(BaseModel):
    field: FieldId = Field(description="Catalogue field id.")
    value: float = Field(description="The number, normalised (20余万 → 200000, 两 → 2).")
    unit: str | None = Field(default=None, description="Measure word as written, or null.")
    approximate: bool = Field(
        default=False, description="True when qualified by 余 多 近 约 左右 以上 超过 逾."
    )
    evidence: str = Field(
        min_length=1, description="Verbatim clause from the text holding the number."
    )


class ExtractedFacts(BaseModel):
    """Every fact of the catalogue stated in the text (an empty list when there is none)."""

    facts: list[LLMFact] = Field(default_factory=list)


class ChunkFact(BaseModel):
    """A grounded fact, placed by offsets into its chunk's text."""

    field: FieldId
    value: int | float
    unit: str | None
    approximate: bool
    start: int
    end: int


class ChunkAnswer(BaseModel):
    """One chunk's checked answer: the facts kept, one reason per fact dropped, and where
    the model and its evidence disagreed (kept: the evidence's reading)."""

    facts: list[ChunkFact] = Field(default_factory=list)
    dropped: list[str] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)

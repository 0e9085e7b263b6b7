"""The eval report as types: what `nianbao eval` scores, writes (-o), compares and prints.

Written with `model_dump(mode="json")`; a report written earlier (a baseline) is read back
with `EvalReport.model_validate`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


def _absent(value: object) -> bool:
    return value is None


class Scores(BaseModel):
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float


class Predicted(BaseModel):
    """A predicted fact: a true or a false positive, with the rule that decided it."""

    field: str
    value: int | float
    evidence: str
    start: int
    end: int
    approximate: bool
    method: str
    rule: str
    # Only a true positive has a gold fact to show.
    gold_evidence: str | None = Field(default=None, exclude_if=_absent)
    gold_approximate: bool | None = Field(default=None, exclude_if=_absent)
    grounded: bool | None = Field(default=None, exclude_if=_absent)


class Missed(BaseModel):
    """A gold fact no prediction matched."""

    field: str
    value: int | float
    evidence: str
    approximate: bool
    rule: str


class CellMismatch(BaseModel):
    cell: str
    gold: Any
    predicted: Any


class TableScore(BaseModel):
    cells: int
    correct: int
    mismatches: list[CellMismatch]


class MetadataScore(BaseModel):
    """A record's issuer and year against the gold's, when the gold names them."""

    issuer: str | None = None
    gold_issuer: str | None = None
    issuer_ok: bool | None = None
    year: int | None = None
    gold_year: int | None = None
    year_ok: bool | None = None


class DocumentScore(BaseModel):
    doc_id: str
    missing: bool
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float
    true_positives: list[Predicted]
    false_positives: list[Predicted]
    misses: list[Missed]
    tables: TableScore
    # (absent from reports written before issuers and years were scored; kept absent)
    metadata: MetadataScore | None = Field(default=None, exclude_if=_absent)


class CellTotals(BaseModel):
    correct: int
    total: int


class Summary(BaseModel):
    documents: int
    missing_documents: list[str]
    records_without_gold: list[str]
    micro: Scores
    per_field: dict[str, Scores]
    grounding: float | None
    approximate_agreement: float | None
    table_cell_accuracy: float | None
    table_cells: CellTotals
    table_exact_documents: float | None
    # Share of gold documents naming an issuer (a year) whose record has exactly it; None in
    # reports written before these were scored, and when no gold names one.
    issuer_accuracy: float | None = Field(default=None, exclude_if=_absent)
    year_accuracy: float | None = Field(default=None, exclude_if=_absent)


class EvalReport(BaseModel):
    summary: Summary
    documents: list[DocumentScore]


class Change(BaseModel):
    a: float | None
    b: float | None


class FieldChange(Change):
    delta: float


class DocumentChange(BaseModel):
    doc_id: str
    change: str | None = Field(default=None, exclude_if=_absent)  # "new in B"
    f1: Change | None = Field(default=None, exclude_if=_absent)
    facts_gained: list[list[Any]] | None = Field(default=None, exclude_if=_absent)
    facts_lost: list[list[Any]] | None = Field(default=None, exclude_if=_absent)
    table_cells: Change | None = Field(default=None, exclude_if=_absent)


class Comparison(BaseModel):
    """What changed from run A to run B, and whether B is worse."""

    headline: dict[str, Change]
    per_field: dict[str, FieldChange]
    documents: list[DocumentChange]
    regressed: list[str]
    threshold: float

"""What `nianbao corpus check` reports, defined once: the JSON output is these models."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Number = int | float
Cell = Number | None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocRef(_Strict):
    doc_id: str
    source: str
    sha256: str
    issuer: str | None = Field(description="The issuer as the record names it.")
    issuer_key: str | None = Field(description="The body it was grouped under.")
    year: int | None


class CarryOver(_Strict):
    issuer_key: str
    table: Literal[
        "applications", "reconsideration", "litigation_direct", "litigation_after_reconsideration"
    ]
    previous: DocRef = Field(description="Year N-1: its 结转下年度 row (or 尚未审结 cases).")
    current: DocRef = Field(description="Year N: its 上年结转 row (or its cases in all).")
    previous_value: Cell
    current_value: Cell
    columns: list[str] = Field(description="The columns that disagree (applications).")
    detail: str


class Anomaly(_Strict):
    kind: Literal["applications_jump", "granted_share_drop", "identical_tables"]
    issuer_key: str
    previous: DocRef
    current: DocRef
    detail: str


class Passage(_Strict):
    a_start: int = Field(description="Offsets in the narrative text (sections 一、五、六).")
    a_end: int
    b_start: int
    b_end: int
    a_text: str
    b_text: str


class NearDuplicate(_Strict):
    kind: Literal["across_years", "across_issuers"]
    a: DocRef = Field(description="The earlier report (or the first, in one year).")
    b: DocRef
    similarity: float = Field(description="MinHash estimate of the shingle Jaccard similarity.")
    shared: float | None = Field(
        description="Share of the shorter narrative inside shared passages (when computed)."
    )
    passages: list[Passage]


class DuplicateInput(_Strict):
    kind: Literal["identical_bytes", "same_report", "same_issuer_year"]
    documents: list[DocRef]
    detail: str


class Identity(_Strict):
    key: str
    name: str = Field(description="The name shown: the one used most often.")
    names: list[str] = Field(description="Every name records gave this body.")
    how: str = Field(description="What merged them: spelling, parent divisions, issuer map.")
    documents: int


class Ambiguous(_Strict):
    name: str
    candidates: list[str]


class SourceIssue(_Strict):
    doc: DocRef
    message: str


class Totals(_Strict):
    records: int
    grouped: int = Field(description="Records with an issuer and a year.")
    issuers: int
    narratives: int = Field(description="Narratives read and signed.")
    lsh_candidates: int = Field(description="Pairs the LSH index proposed (before checking).")


class CorpusReport(_Strict):
    inputs: list[str]
    totals: Totals
    settings: dict[str, float | int | bool]
    identities: list[Identity] = Field(description="Bodies known under more than one name.")
    ambiguous: list[Ambiguous]
    carry_over: list[CarryOver]
    anomalies: list[Anomaly]
    near_duplicates: list[NearDuplicate]
    duplicate_inputs: list[DuplicateInput]
    ungrouped: list[SourceIssue] = Field(description="Records with no issuer or no year.")
    sources: list[SourceIssue] = Field(description="Narratives that could not be read.")


def corpus_report_json_schema() -> dict[str, Any]:
    schema = CorpusReport.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://nianbao.invalid/schemas/corpus-report.schema.json"
    return schema

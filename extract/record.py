"""The extraction record of docs/record.md as pydantic models: the one definition of the contract.

``schemas/record.schema.json`` is generated from these (``nianbao schema``) and a test fails
when the two drift; every record is validated against that schema before it is written.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from extract import catalogue

SCHEMA_VERSION = "1"


def _known_field(value: str) -> str:
    if not catalogue.is_field_id(value):
        raise ValueError(f"unknown field {value!r}; the catalogue has {catalogue.field_ids()}")
    return value


# A catalogue field id: validated against, and published as an enum of, the catalogue.
FieldId = Annotated[
    str,
    AfterValidator(_known_field),
    WithJsonSchema({"type": "string", "enum": list(catalogue.field_ids())}),
]
Number = int | float
Method = Literal["rules", "llm", "rules+llm"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Fact(_Strict):
    field: FieldId = Field(description="Catalogue field id (docs/facts.md).")
    value: Number = Field(description="The number, normalised (docs/facts.md).")
    unit: str | None = Field(description="Measure word as written (条 件 次 场 …), or null.")
    approximate: bool = Field(description="True when qualified by 余 多 近 约 左右 以上 超过 逾.")
    evidence: str = Field(min_length=1, description="Verbatim clause holding the number.")
    start: int = Field(ge=0, description="Offset of evidence in the normalised text.")
    end: int = Field(ge=0, description="End offset (exclusive) of evidence.")
    method: Method = Field(description="Which path found the fact.")


class Check(_Strict):
    name: str
    ok: bool
    detail: str


class Problem(_Strict):
    where: str = Field(description="What failed: input, sections, tables.applications, …")
    message: str = Field(description="What went wrong, in words a user can act on.")


class Usage(_Strict):
    """Tokens a model consumed for one document or one run (re-asks included)."""

    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = Field(
        default=0,
        description="Of input_tokens, those the provider served from its prompt cache "
        "(billed at its cached price).",
    )
    cached: int = Field(default=0, description="Chunks answered from the response cache.")

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            requests=self.requests + other.requests,
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cached_input_tokens=self.cached_input_tokens + other.cached_input_tokens,
            cached=self.cached + other.cached,
        )


class OcrProvenance(_Strict):
    """How text was recognised from page images, when it was."""

    engine: str = Field(description="OCR engine (rapidocr).")
    version: str = Field(description="Engine package version.")
    models: str = Field(description="Detection and recognition models.")
    pages: int = Field(ge=0, description="Pages recognised by OCR.")
    dpi: int = Field(description="Resolution the pages were rendered or scaled to.")
    mean_confidence: float | None = Field(
        description="Mean recognition confidence over all characters, 0..1."
    )


class Provenance(_Strict):
    extractor: str
    backend: str
    model: str | None = None
    prompt_version: str | None = None
    schema_version: str = SCHEMA_VERSION
    input_format: str | None = Field(
        default=None, description="txt, html, docx, doc, pdf or image."
    )
    encoding: str | None = Field(default=None, description="Text encoding used for .txt/.html.")
    usage: Usage | None = Field(default=None, description="Model tokens spent, when a model ran.")
    ocr: OcrProvenance | None = Field(
        default=None, description="Set when text was recognised from page images (OCR)."
    )


Cell = Number | None
ApplicationsRow = Annotated[list[Cell], Field(min_length=7, max_length=7)]


class ApplicationsTable(_Strict):
    columns: list[str]
    rows: dict[str, ApplicationsRow]


class ReviewRow(_Strict):
    upheld: Cell
    corrected: Cell
    other: Cell
    pending: Cell
    total: Cell


class ReviewLitigation(_Strict):
    reconsideration: ReviewRow
    litigation_direct: ReviewRow
    litigation_after_reconsideration: ReviewRow


class Tables(_Strict):
    active_disclosure: dict[str, dict[str, Cell]] | None = None
    applications: ApplicationsTable | None = None
    review_litigation: ReviewLitigation | None = None


# The `where` of an error that fails a document as a whole: the file could not be read
# ("input"), or processing it failed or broke a bound ("document").
UNREADABLE = "input"
FAILED = "document"


class Record(_Strict):
    doc_id: str
    source: str
    sha256: str
    issuer: str | None
    year: int | None
    format: Literal["2021", "2019"] | None
    facts: list[Fact] = Field(default_factory=list)
    tables: Tables = Field(default_factory=Tables)
    checks: list[Check] = Field(default_factory=list)
    errors: list[Problem] = Field(default_factory=list)
    warnings: list[Problem] = Field(
        default_factory=list,
        description="Things read in an unusual way that a user may want to verify (a table "
        "located by its rows, a row placed by its position); the values are believed right.",
    )
    provenance: Provenance

    # Plain properties, not fields: they are not part of the record's JSON.
    @property
    def unreadable(self) -> bool:
        """The file could not be read."""
        return any(p.where == UNREADABLE for p in self.errors)

    @property
    def failed(self) -> bool:
        """The document failed as a whole (unreadable, crashed, over a bound)."""
        return any(p.where in (UNREADABLE, FAILED) for p in self.errors)


def record_json_schema() -> dict[str, Any]:
    schema = Record.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://nianbao.invalid/schemas/record.schema.json"
    return schema

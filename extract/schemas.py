"""Generating ``schemas/*.json`` from the models: the files are derived, never edited."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from extract import catalogue
from extract.corpus.findings import corpus_report_json_schema
from extract.record import record_json_schema


def catalogue_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://nianbao.invalid/schemas/catalogue.json",
        "title": "Narrative fact catalogue (docs/facts.md v1)",
        "fields": [
            {"id": f.id, "question": f.question, "units": list(f.units)} for f in catalogue.load()
        ],
    }


GENERATED: dict[str, Callable[[], dict[str, Any]]] = {
    "record.schema.json": record_json_schema,
    "catalogue.json": catalogue_schema,
    "corpus-report.schema.json": corpus_report_json_schema,
}


def render(make: Callable[[], dict[str, Any]]) -> str:
    return json.dumps(make(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(directory: Path, check: bool = False) -> list[str]:
    """Write every generated file; with ``check``, write nothing and return the stale ones."""
    stale = []
    for name, make in GENERATED.items():
        path = directory / name
        text = render(make)
        current = path.read_text("utf-8") if path.exists() else None
        if current != text:
            stale.append(name)
            if not check:
                directory.mkdir(parents=True, exist_ok=True)
                path.write_text(text, "utf-8")
    return stale

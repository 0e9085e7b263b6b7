"""The narrative fact catalogue of docs/facts.md, loaded once from package data.

Field ids, questions and units live in ``data/catalogue.json`` only; the record model, the
rules engine, the prompts and the scorer all read them from here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class FieldSpec:
    id: str
    question: str
    units: tuple[str, ...]


@cache
def load() -> tuple[FieldSpec, ...]:
    raw = json.loads(resources.files("extract.data").joinpath("catalogue.json").read_text("utf-8"))
    return tuple(FieldSpec(f["id"], f["question"], tuple(f["units"])) for f in raw["fields"])


@cache
def field_ids() -> tuple[str, ...]:
    return tuple(f.id for f in load())


@cache
def is_field_id(value: str) -> bool:
    """Whether ``value`` names a catalogue field (asked for every fact a record holds)."""
    return value in field_ids()

"""The record contract: schemas generated from the models, records valid, core SDK-free."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, seed_path

from extract import extract
from extract.schemas import write_schemas
from extract.validate import schema_errors, to_checked_json


def test_schemas_match_the_models() -> None:
    stale = write_schemas(ROOT / "schemas", check=True)
    assert stale == [], f"run `nianbao schema`: {stale} drifted from the models"


def test_records_validate_against_the_committed_schema(doc_id: str) -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads((ROOT / "schemas" / "record.schema.json").read_text("utf-8"))
    data = to_checked_json(extract(seed_path(doc_id)))
    assert list(Draft202012Validator(schema).iter_errors(data)) == []


def test_invalid_records_are_refused() -> None:
    data = to_checked_json(extract(seed_path("lishan-2024")))
    data["facts"][0]["field"] = "made_up_field"
    data["tables"]["applications"]["rows"]["granted"] = [1, 2]
    errors = schema_errors(data)
    assert any("made_up_field" in e for e in errors)
    assert any("granted" in e for e in errors)


def test_core_imports_no_model_sdk() -> None:
    code = (
        "import sys, extract, extract.pipeline, extract.evaluation.score, "
        "extract.facts.rules; from extract import extract as x; "
        "x(sys.argv[1]); print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('openai', 'instructor', 'httpx')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(seed_path("lishan-2024"))],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"


def test_print_text_is_what_offsets_refer_to(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from extract.cli import main

    result = CliRunner().invoke(
        main, ["extract", "-q", "--print-text", str(seed_path("yuezhuang-2024"))]
    )
    text = result.stdout
    assert "[bookmark" not in text and "(" in text and "（" not in text
    for fact in extract(seed_path("yuezhuang-2024")).facts:
        assert text[fact.start : fact.end] == fact.evidence

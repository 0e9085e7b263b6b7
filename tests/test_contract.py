"""The record contract: schemas generated from the models, records valid, core SDK-free."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, seed_path
from pydantic import ValidationError

from extract import extract
from extract.record import Record
from extract.schemas import write_schemas
from extract.validate import check_record, schema_errors, to_checked_json


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


def _break(data: dict[str, Any], how: str) -> None:
    fact, rows = data["facts"][0], data["tables"]["applications"]["rows"]
    if how == "unknown field":
        fact["field"] = "made_up_field"
    elif how == "short row":
        rows["granted"] = [1, 2]
    elif how == "negative offset":
        fact["start"] = -1
    elif how == "number as text":
        fact["value"] = "5"
    elif how == "flag as text":
        fact["approximate"] = "yes"
    elif how == "empty evidence":
        fact["evidence"] = ""
    elif how == "unknown method":
        fact["method"] = "guess"
    elif how == "extra key":
        data["comment"] = "x"
    elif how == "missing key":
        del data["doc_id"]
    elif how == "null list":
        data["checks"] = None


BREAKS = [
    "unknown field",
    "short row",
    "negative offset",
    "number as text",
    "flag as text",
    "empty evidence",
    "unknown method",
    "extra key",
    "missing key",
    "null list",
]


@pytest.mark.parametrize("how", BREAKS)
def test_model_and_schema_refuse_the_same_records(how: str) -> None:
    # Runs check records by the model (validate.check_record), not by walking the schema:
    # the two must agree, on valid records (above) and on broken ones.
    data = to_checked_json(extract(seed_path("lishan-2024")))
    assert Record.model_validate_json(json.dumps(data), strict=True).model_dump(mode="json") == data
    _break(data, how)
    assert schema_errors(data)
    with pytest.raises(ValidationError):
        Record.model_validate_json(json.dumps(data), strict=True)


def test_a_record_broken_after_it_was_built_is_refused() -> None:
    record = extract(seed_path("lishan-2024"))
    check_record(record)
    record.facts[0].start = -1  # pydantic does not check assignments
    with pytest.raises(ValueError, match=r"breaks the schema: facts/0/start"):
        check_record(record)


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


def test_importing_the_library_leaves_logging_alone() -> None:
    # Log levels are the program's to set: nianbao sets them in its own entry points only.
    code = (
        "import logging, extract.pipeline, extract.ingest.pdf_reader, extract.llm.client, "
        "extract.bulk.workers; from extract.logs import QUIET; "
        "print([logging.getLogger(n).level for n in QUIET])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[0, 0]"


def test_the_command_quiets_third_party_logs() -> None:
    import logging

    from click.testing import CliRunner

    from extract.cli import main
    from extract.logs import QUIET

    result = CliRunner().invoke(main, ["schema", "--check"])
    assert result.exit_code == 0, result.output
    assert {n: logging.getLogger(n).level for n in QUIET} == QUIET


def test_unreadable_and_failed_are_read_from_the_errors_not_written(tmp_path: Path) -> None:
    from extract.pipeline import extract_file

    good = extract(seed_path("lishan-2024"))
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", "utf-8")
    (bad, _) = extract_file(empty)
    assert (good.unreadable, good.failed) == (False, False)
    assert (bad.unreadable, bad.failed) == (True, True)
    for record in (good, bad):
        data = json.loads(record.model_dump_json())
        assert "unreadable" not in data and "failed" not in data

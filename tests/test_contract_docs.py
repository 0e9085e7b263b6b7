"""The project explains its own contract: docs generated from the code, no outside references."""

from __future__ import annotations

import subprocess
from pathlib import Path

from extract import catalogue
from extract.contract_docs import DOC, render
from extract.tables.labels import APPLICATION_ROW_LABELS
from extract.tables.standard import APPLICATIONS

ROOT = Path(__file__).resolve().parent.parent
# Spelled in pieces so that this file does not name them itself.
OUTSIDE = ("shared" + "/spec", ".." + "/shared")


def test_tables_doc_matches_the_standard() -> None:
    assert DOC.read_text("utf-8") == render(), (
        "docs/tables.md drifted from extract/tables/standard.py: "
        "run `python -m extract.contract_docs`"
    )


def test_every_row_key_has_its_printed_label() -> None:
    keys = {spec.key for specs in APPLICATIONS.values() for spec in specs}
    assert keys == set(APPLICATION_ROW_LABELS)
    assert "`withheld.third_party_rights` | （三）不予公开 4.保护第三方合法权益" in render()


def test_every_catalogue_field_is_documented() -> None:
    facts_doc = (ROOT / "docs" / "facts.md").read_text("utf-8")
    for field in catalogue.field_ids():
        assert f"`{field}`" in facts_doc


def test_no_reference_to_files_outside_the_repository() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    offenders = []
    for name in tracked:
        path = ROOT / name
        if path.suffix not in {".py", ".md", ".json", ".toml", ".txt", ".yaml"} or "eval/" in name:
            continue
        text = path.read_text("utf-8", errors="replace")
        if any(outside in text for outside in OUTSIDE):
            offenders.append(name)
    assert offenders == []

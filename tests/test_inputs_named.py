"""What the user names becomes inputs: nothing vanishes without a word."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import seed_path

from extract.cli import main


def test_a_folder_scan_says_what_it_skipped(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(seed_path("lishan-2024"), reports / "lishan-2024.txt")
    (reports / "附件1.xlsx").write_bytes(b"PK\x03\x04 not a report")
    (reports / "README").write_text("说明", "utf-8")
    out = tmp_path / "records.jsonl"
    result = CliRunner().invoke(main, ["extract", str(reports), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text("utf-8").splitlines()) == 1
    assert "skipped 2 file(s)" in result.output
    assert "1 .xlsx" in result.output and "1 (no extension)" in result.output


def test_a_file_named_directly_is_read_whatever_its_name(tmp_path: Path) -> None:
    odd = tmp_path / "report.download"
    shutil.copy(seed_path("yuezhuang-2024"), odd)
    result = CliRunner().invoke(main, ["extract", "-q", str(odd)])
    assert result.exit_code == 0, result.output
    assert '"issuer": "沂源县悦庄镇人民政府"' in result.output


def test_a_glob_that_matches_nothing_is_a_usage_error(tmp_path: Path) -> None:
    pattern = str(tmp_path / "*.pdf")
    result = CliRunner().invoke(main, ["extract", pattern])
    assert result.exit_code == 2
    assert "matches no file" in result.output
    assert '"doc_id"' not in result.output

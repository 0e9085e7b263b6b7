"""The bundled samples are found from any working directory (not only the repository root)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.cli import main
from extract.samples import samples_dir


def test_eval_runs_from_any_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["eval", "--run", "--brief", "-o", "e.json"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "e.json").is_file()
    assert sorted(p.stem for p in samples_dir().glob("*.json")) == [
        "linyi-2023",
        "lishan-2024",
        "luozhuang-2019",
        "luozhuang-2024",
        "yuezhuang-2024",
    ]


def test_check_gold_defaults_to_the_samples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["eval", "check-gold"])
    assert result.exit_code == 0, result.output
    assert "5 gold files, 0 problems" in result.output

"""One road for a document: the Python API, a plain run and a --store run give the same
bytes for the same inputs, and the strategy is chosen in one place."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner
from conftest import DOC_IDS, FIXTURES, ROOT

from extract.cli import main
from extract.pipeline import extract_file


def _inputs(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for doc_id in DOC_IDS:
        paths.append(Path(shutil.copy(FIXTURES / f"{doc_id}.txt", folder / f"{doc_id}.txt")))
    (folder / "empty.txt").write_bytes(b"")  # a failure record takes the same road
    paths.append(folder / "empty.txt")
    return sorted(paths)


def test_api_plain_and_store_runs_give_byte_identical_records(tmp_path: Path) -> None:
    paths = _inputs(tmp_path / "reports")
    api = "".join(
        json.dumps(extract_file(p)[0].model_dump(mode="json"), ensure_ascii=False) + "\n"
        for p in paths
    )
    plain, stored = tmp_path / "plain.jsonl", tmp_path / "stored.jsonl"
    runner = CliRunner()
    runner.invoke(main, ["extract", str(tmp_path / "reports"), "-q", "-o", str(plain)])
    runner.invoke(
        main,
        [
            "extract",
            str(tmp_path / "reports"),
            "-q",
            "--store",
            str(tmp_path / "run.sqlite"),
            "-o",
            str(stored),
        ],
    )
    assert plain.read_bytes() == api.encode("utf-8")
    assert stored.read_bytes() == api.encode("utf-8")
    assert len(api.splitlines()) == len(paths)


def test_the_strategy_is_chosen_in_one_place() -> None:
    def grep(pattern: str) -> list[str]:
        found = subprocess.run(
            ["grep", "-rlE", pattern, "extract"], cwd=ROOT, capture_output=True, text=True
        )
        return sorted(found.stdout.split())

    # every strategy is built in one place, and hybrid is implemented once
    assert grep(r"(Rules|LLM|Hybrid)Finder\(") == ["extract/methods.py"]
    assert grep(r"def merge\(|merge\(rules_facts") == ["extract/facts/finders.py"]

"""Bulk runs: resumable after kill -9, cached, concurrent, observable."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DOC_IDS, FIXTURES, gold
from fake_openai import oracle, serve
from procs import children

from extract.bulk.workers import RESULTS_PREFIX, STALE_SECONDS
from extract.cli import main
from extract.pipeline import extract_file


def _corpus(folder: Path, copies: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for i in range(copies):
        for doc_id in DOC_IDS:
            path = folder / f"{doc_id}-{i:03d}.txt"
            shutil.copy(FIXTURES / f"{doc_id}.txt", path)
            paths.append(path)
    return paths


def _gold_texts() -> list[tuple[str, list[dict]]]:
    return [(extract_file(FIXTURES / f"{d}.txt")[1], gold(d)["facts"]) for d in DOC_IDS]


def _env(url: str) -> dict[str, str]:
    return {"OPENAI_API_KEY": "sk-test-000000000000000000000", "OPENAI_BASE_URL": url}


def _rows(store: Path) -> list[tuple[str, int]]:
    # The store file exists a moment before its tables do: that moment is "no rows yet".
    try:
        with closing(sqlite3.connect(store)) as db:
            return db.execute("SELECT source, COUNT(*) FROM documents GROUP BY source").fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise


def test_sigkill_halfway_then_resume(tmp_path: Path) -> None:
    paths = _corpus(tmp_path / "reports", copies=60)  # 300 documents
    store, out = tmp_path / "run.sqlite", tmp_path / "out.jsonl"
    command = [
        sys.executable,
        "-m",
        "extract.cli",
        "extract",
        str(tmp_path / "reports"),
        "--store",
        str(store),
        "-o",
        str(out),
        "--quiet",
    ]
    victim = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if store.exists() and len(_rows(store)) >= 60:
            break
        time.sleep(0.02)
    workers = children(victim.pid)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    deadline = time.monotonic() + 15  # its workers leave within a second of it
    while any(Path(f"/proc/{w}").exists() for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    # The killed run could not remove its workers' results folder; aged past the hour a
    # folder of a run not running is kept, the next run removes it.
    (left,) = Path(tempfile.gettempdir()).glob(f"{RESULTS_PREFIX}{victim.pid}-*")
    aged = time.time() - 2 * STALE_SECONDS
    os.utime(left, (aged, aged))
    finished_before = len(_rows(store))
    assert 0 < finished_before < len(paths), "the kill must land halfway"

    resumed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    rows = _rows(store)
    assert len(rows) == len(paths) and all(n == 1 for _, n in rows)
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert sorted(r["source"] for r in records) == sorted(map(str, paths))
    assert all(r["tables"]["applications"] for r in records)

    again = subprocess.run([*command[:-1]], capture_output=True, text=True, timeout=120)
    assert "0 done now (0 failed), 300 unchanged" in again.stderr  # nothing is done twice
    assert not left.exists()


def test_a_changed_file_is_done_again(tmp_path: Path) -> None:
    paths = _corpus(tmp_path / "reports", copies=1)
    store = tmp_path / "run.sqlite"
    runner = CliRunner()
    runner.invoke(
        main,
        [
            "extract",
            str(tmp_path / "reports"),
            "--store",
            str(store),
            "-q",
            "-o",
            str(tmp_path / "a.jsonl"),
        ],
    )
    paths[0].write_text("一、总体情况\n开展培训5次。\n", "utf-8")
    result = runner.invoke(
        main,
        [
            "extract",
            str(tmp_path / "reports"),
            "--store",
            str(store),
            "-o",
            str(tmp_path / "b.jsonl"),
        ],
    )
    assert "1 done now (0 failed), 4 unchanged" in result.output
    assert len(_rows(store)) == len(paths)


def test_llm_bulk_run_uses_the_cache_and_counts_tokens(tmp_path: Path) -> None:
    _corpus(tmp_path / "reports", copies=2)
    texts = _gold_texts()
    store, out = tmp_path / "run.sqlite", tmp_path / "out.jsonl"
    with serve([oracle(texts)]) as server:
        env = _env(server.url)
        args = [
            "extract",
            str(tmp_path / "reports"),
            "--store",
            str(store),
            "-o",
            str(out),
            "--model",
            "gpt-4o-mini",
            "--concurrency",
            "4",
        ]
        first = CliRunner(env=env).invoke(main, args)
        assert first.exit_code == 0, first.output
        sent = len(server.requests)
        # the second copy of each report was never sent: no request went out twice
        distinct = {json.dumps(r, sort_keys=True) for r in server.requests}
        assert sent == len(distinct) == 5  # one chunk for each of the five seed reports
        assert "estimated cost" in first.output and "$" in first.output
        records = [json.loads(x) for x in out.read_text().splitlines()]
        assert len(records) == 10
        assert {(f["field"], f["value"]) for f in records[0]["facts"]}
        with sqlite3.connect(store) as db:  # the extractor changed: redo every document
            db.execute("DELETE FROM documents")
        second = CliRunner(env=env).invoke(main, args)
        assert second.exit_code == 0, second.output
        assert len(server.requests) == sent, "identical requests are answered from the store"
    usage = [json.loads(x)["provenance"]["usage"] for x in out.read_text().splitlines()]
    assert all(u["requests"] == 0 and u["cached"] > 0 for u in usage)


def test_plain_progress_lines_when_not_a_terminal(tmp_path: Path) -> None:
    _corpus(tmp_path / "reports", copies=1)
    result = CliRunner().invoke(
        main,
        [
            "extract",
            str(tmp_path / "reports"),
            "--store",
            str(tmp_path / "s.sqlite"),
            "-o",
            str(tmp_path / "o.jsonl"),
        ],
    )
    assert "extract: 5/5 done, 0 failed" in result.output


@pytest.mark.parametrize("rpm", [120.0])
def test_rate_limit_spaces_requests(rpm: float) -> None:
    import asyncio

    from extract.bulk.ratelimit import RateLimiter

    async def go() -> float:
        limiter = RateLimiter(rpm=rpm)
        limiter._requests.level = 0  # type: ignore[union-attr]  # start empty
        start = time.monotonic()
        for _ in range(3):
            await limiter.acquire(10)
        return time.monotonic() - start

    elapsed = asyncio.run(go())
    assert 1.3 < elapsed < 2.5  # 3 requests at 2 per second


def test_batch_api_mode(tmp_path: Path) -> None:
    _corpus(tmp_path / "reports", copies=1)
    texts = _gold_texts()
    store, out = tmp_path / "run.sqlite", tmp_path / "out.jsonl"
    with serve([oracle(texts)]) as server:
        env = _env(server.url)
        result = CliRunner(env=env).invoke(
            main,
            [
                "extract",
                str(tmp_path / "reports"),
                "--store",
                str(store),
                "-o",
                str(out),
                "--model",
                "gpt-4o-mini",
                "--batch",
                "--batch-poll",
                "0.01",
            ],
        )
        assert result.exit_code == 0, result.output
        assert "5 requests submitted" in result.output
        assert "5 answers valid, 0 failed validation" in result.output
        assert server.batch_polls == {"batch_1": 2}  # polled until done
        # every record was built from the batch answers: no live request was sent
        assert len(server.requests) == 5
    records = [json.loads(x) for x in out.read_text().splitlines()]
    found = {
        (r["doc_id"].rsplit("-", 1)[0], f["field"], f["value"]) for r in records for f in r["facts"]
    }
    expected = {(d, f["field"], f["value"]) for d in DOC_IDS for f in gold(d)["facts"]}
    assert found == expected
    assert all(r["provenance"]["usage"]["cached"] > 0 for r in records)


def test_batch_answers_that_fail_grounding_are_asked_live(tmp_path: Path) -> None:
    from fake_openai import answer

    _corpus(tmp_path / "reports", copies=1)
    invented = [
        {
            "field": "trainings",
            "value": 99,
            "unit": "次",
            "approximate": False,
            "evidence": "举办培训99次",
        }
    ]
    texts = _gold_texts()
    script = [answer(invented), oracle(texts)]  # the first batch line is hallucinated
    with serve(script) as server:
        env = _env(server.url)
        result = CliRunner(env=env).invoke(
            main,
            [
                "extract",
                str(tmp_path / "reports"),
                "--store",
                str(tmp_path / "s.sqlite"),
                "-o",
                str(tmp_path / "o.jsonl"),
                "--model",
                "m",
                "--batch",
                "--batch-poll",
                "0",
            ],
        )
        assert result.exit_code == 0, result.output
        assert "4 answers valid, 1 failed validation" in result.output
        assert len(server.requests) == 6  # 5 in the batch, then the failed one live

"""Fuzzing: generated and mutated documents through the real per-document boundary (a
worker process with a time limit and a memory cap) must give a record every time, and
never one that says our own code crashed.

The default run is a few seconds; `-m slow` runs the deeper one."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import seed_path
from hostile import SEED, docx_bytes, nested_html, pdf_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.bulk.workers import Bounds, PoolEngine
from extract.facts.finders import RulesFinder
from extract.pipeline import Options
from extract.record import Record

QUICK = settings(
    max_examples=12,
    deadline=None,  # the worker's time limit is the budget
    database=None,  # nothing written to the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DEEP = settings(QUICK, max_examples=300)
BOUNDS = Bounds(seconds=20, memory_mb=1536)
OPTIONS = Options(max_bytes=4 * 1024 * 1024)


def _seeds() -> dict[str, bytes]:
    text = seed_path(SEED).read_text("utf-8")
    html = f"<html><body><div>{text.replace(chr(10), '<br>')}</div></body></html>"
    return {
        ".txt": text.encode("utf-8"),
        ".html": html.encode("utf-8"),
        ".docx": docx_bytes(),
        ".pdf": pdf_bytes(),
    }


SEEDS = _seeds()


@pytest.fixture(scope="module")
def engine() -> Iterator[PoolEngine]:
    with PoolEngine(2, BOUNDS) as pool:
        yield pool


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _through(engine: PoolEngine, folder: Path, data: bytes, suffix: str) -> Record:
    path = folder / f"doc-{os.urandom(4).hex()}{suffix}"
    path.write_bytes(data)
    try:
        record = asyncio.run(engine.process(path, RulesFinder(), OPTIONS, None))
    finally:
        path.unlink()
    assert isinstance(record, Record) and record.source == str(path)
    crashes = [e.message for e in record.errors if "unexpected error" in e.message]
    assert not crashes, crashes  # a crash of our own code, not a bad input
    return record


@st.composite
def mutated(draw: st.DrawFn) -> tuple[bytes, str]:
    suffix = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[suffix])
    if draw(st.booleans()):
        del data[draw(st.integers(0, len(data))) :]  # truncated
    for _ in range(draw(st.integers(0, 8))):  # bits flipped
        if data:
            i = draw(st.integers(0, len(data) - 1))
            data[i] ^= 1 << draw(st.integers(0, 7))
    return bytes(data), suffix


@QUICK
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".txt", ".html", ".docx", ".pdf"]))
def test_random_bytes(engine: PoolEngine, folder: Path, data: bytes, suffix: str) -> None:
    _through(engine, folder, data, suffix)


@QUICK
@given(case=mutated())
def test_truncated_and_bit_flipped_seeds(
    engine: PoolEngine, folder: Path, case: tuple[bytes, str]
) -> None:
    _through(engine, folder, *case)


PIECES = ["9", "一", "9.", "1,", "约9", "件", "其中", "。", "其中9件", "<div>"]


@QUICK
@given(
    line=st.integers(10_000, 60_000),
    depth=st.integers(100, 20_000),
    piece=st.sampled_from(PIECES),
)
def test_huge_lines_and_deep_nesting(
    engine: PoolEngine, folder: Path, line: int, depth: int, piece: str
) -> None:
    _through(engine, folder, (piece * (line // len(piece))).encode("utf-8"), ".txt")
    _through(engine, folder, nested_html(depth), ".html")


@pytest.mark.slow
@settings(QUICK, max_examples=20)
@given(line=st.integers(60_000, 2_000_000), piece=st.sampled_from(PIECES))
def test_huger_lines(engine: PoolEngine, folder: Path, line: int, piece: str) -> None:
    # The densest of these run into the time limit: a record saying so is the right answer.
    _through(engine, folder, (piece * (line // len(piece))).encode("utf-8"), ".txt")


@pytest.mark.slow
@DEEP
@given(case=mutated())
def test_deeper_mutation_run(engine: PoolEngine, folder: Path, case: tuple[bytes, str]) -> None:
    _through(engine, folder, *case)

"""Throughput of the rules pipeline over the seed reports on 1 and N worker processes,
against its floor, measured on the same run.

The floor is what no extractor can avoid: reading, decoding and normalising the same files
(one core). The figures that matter are the ratios: one worker's throughput to the floor
(how much the extraction itself costs), and N workers' to one worker's (how well the pool
uses the cores).

    python bench/bench_parse.py [--copies 40] [--workers N]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
from pathlib import Path

from extract.bulk.runner import BulkConfig, Engine, InlineEngine, run
from extract.bulk.workers import PoolEngine, default_workers
from extract.facts.finders import RulesFinder
from extract.ingest import read_path
from extract.pipeline import Options
from extract.record import Record
from extract.textnorm import normalise

FIXTURES = Path(__file__).resolve().parent.parent / "eval" / "fixtures"


def _corpus(folder: Path, copies: int) -> list[Path]:
    paths = []
    for i in range(copies):
        for seed in sorted(FIXTURES.glob("*.txt")):
            paths.append(Path(shutil.copy(seed, folder / f"{seed.stem}-{i:04d}.txt")))
    return paths


def _floor(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        normalise(read_path(path)[1].text)  # type: ignore[union-attr]
    return len(paths) / (time.perf_counter() - start)


def _rate(paths: list[Path], engine: Engine, documents: int) -> float:
    emitted = [0]

    def emit(record: Record) -> None:
        # Counted, not kept: a run writes each record out and lets it go (keeping them all
        # here made the collector's passes over them part of what was measured).
        emitted[0] += 1

    async def go() -> None:
        await run(
            paths,
            RulesFinder(),
            Options(),
            BulkConfig(documents=documents),
            engine=engine,
            emit=emit,
        )

    asyncio.run(go())  # warm: workers started, modules imported
    emitted[0] = 0
    start = time.perf_counter()
    asyncio.run(go())
    elapsed = time.perf_counter() - start
    assert emitted[0] == len(paths)
    return len(paths) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = _corpus(Path(tmp), args.copies)
        floor = _floor(paths)
        inline = _rate(paths, InlineEngine(), 16)
        with PoolEngine(1) as one:
            single = _rate(paths, one, 16)
        with PoolEngine(args.workers) as many:
            multi = _rate(paths, many, 16)
    print(f"{len(paths)} documents (the {len(paths) // args.copies} seed reports × {args.copies})")
    print(f"read + normalise (floor, 1 core): {floor:8.1f} documents/s")
    print(f"in this process (--workers 0):    {inline:8.1f} documents/s")
    print(f"1 worker:                         {single:8.1f} documents/s")
    print(f"{args.workers} workers:                        {multi:8.1f} documents/s")
    print(f"ratio 1 worker / floor:           {single / floor:8.3f}")
    print(f"ratio {args.workers} workers / 1 worker:        {multi / single:8.3f}")


if __name__ == "__main__":
    main()

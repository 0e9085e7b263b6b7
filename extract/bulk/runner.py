"""Many documents, one road: every run (plain or with a store) goes through here.

Documents are started in input order, at most ``documents`` in progress at once; each goes
through ``pipeline.process_one`` on an Engine (in this process, or its CPU part in worker
processes) and its record is handed, as it finishes, to the store (when there is one) and
to ``emit`` in input order. Memory is bounded by the window, never by the number of inputs:
no task exists for a document that has not been started, and a finished record is kept
only until the ones before it are out.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from extract.bulk.store import RunStore
from extract.facts.finders import FactFinder
from extract.pipeline import Options, process_one
from extract.record import Record

Progress = Callable[[Record | None], None]
Emit = Callable[[Record], None]


@dataclass(frozen=True)
class BulkConfig:
    documents: int = 16  # documents in progress at once
    concurrency: int = 8  # model requests in flight, across all documents
    rpm: float | None = None
    tpm: float | None = None
    retry_failed: bool = False  # redo documents the store holds as failed

    def __post_init__(self) -> None:
        if self.documents < 1 or self.concurrency < 1:
            raise ValueError("documents and concurrency must be at least 1")
        if (self.rpm is not None and self.rpm <= 0) or (self.tpm is not None and self.tpm <= 0):
            raise ValueError("rpm and tpm must be greater than 0")


class Engine(Protocol):
    """Where a document's road runs."""

    async def process(
        self, path: Path, finder: FactFinder, options: Options, unless_sha: str | None
    ) -> Record | None: ...


class InlineEngine:
    """Everything in this process, on this event loop."""

    async def process(
        self, path: Path, finder: FactFinder, options: Options, unless_sha: str | None
    ) -> Record | None:
        return await process_one(path, finder, options, unless_sha=unless_sha)


@dataclass
class RunCounts:
    processed: int = 0  # records made now
    unchanged: int = 0  # finished in an earlier run, bytes unchanged: skipped
    failed: int = 0  # of those processed now, documents that failed as a whole


def _skip_unless(store: RunStore | None, path: Path, retry_failed: bool) -> str | None:
    """The checksum with which this input counts as finished (None: do it anyway)."""
    if store is None:
        return None
    state = store.state(str(path))
    if state is None:
        return None
    sha, status = state
    if status == "failed" and retry_failed:
        return None
    return sha or None


async def run(
    paths: Sequence[Path],
    finder: FactFinder,
    options: Options,
    config: BulkConfig,
    *,
    engine: Engine | None = None,
    store: RunStore | None = None,
    emit: Emit | None = None,
    progress: Progress | None = None,
) -> RunCounts:
    """Process every input; records go to the store as they finish and to ``emit`` in
    input order."""
    engine = engine or InlineEngine()
    counts = RunCounts()
    slots = asyncio.Semaphore(config.documents)
    # Records finished ahead of an earlier, slower one wait here for their turn; starting
    # is held back so that at most `ahead` of them can wait.
    ahead = config.documents * 4
    waiting: dict[int, Record | None] = {}
    next_out = 0
    moved = asyncio.Condition()
    failure: list[BaseException] = []

    async def one(index: int, path: Path) -> None:
        nonlocal next_out
        try:
            started = time.monotonic()
            unless = _skip_unless(store, path, config.retry_failed)
            record = await engine.process(path, finder, options, unless)
            if record is None:
                counts.unchanged += 1
            else:
                counts.processed += 1
                counts.failed += record.failed
                if store is not None:
                    store.save(record, time.monotonic() - started)
            if progress is not None:
                progress(record)
            if emit is not None:
                async with moved:
                    waiting[index] = record
                    while next_out in waiting:
                        ready = waiting.pop(next_out)
                        if ready is not None:
                            emit(ready)
                        next_out += 1
                    moved.notify_all()
        except BaseException as exc:  # a failing store or sink stops the run, loudly
            failure.append(exc)
            raise
        finally:
            slots.release()

    tasks: set[asyncio.Task[None]] = set()
    for index, path in enumerate(paths):
        if failure:
            break
        await slots.acquire()
        if emit is not None:

            def room(i: int = index) -> bool:
                return i - next_out < ahead or bool(failure)

            async with moved:
                await moved.wait_for(room)
        task = asyncio.create_task(one(index, path))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    if failure:
        raise failure[0]
    return counts

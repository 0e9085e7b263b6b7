"""Many documents on one event loop: resumable through the run store, bounded in flight,
rate-limited, cached, with progress.

Each document is read, drafted (sections, tables), given its facts (rules, or the model
through one shared client), finished, validated and committed to the store as one row.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from extract.bulk.store import RunStore
from extract.facts.finders import FactResult, with_rules
from extract.facts.rules import extract_rules
from extract.pipeline import Draft, Options, draft, finish, load_file
from extract.record import Record
from extract.validate import to_checked_json

AsyncFinder = Callable[[Draft], Awaitable[FactResult]]
Progress = Callable[[Record, bool], None]


@dataclass
class BulkConfig:
    documents: int = 16  # documents in progress at once
    concurrency: int = 8  # model requests in flight, across all documents
    rpm: float | None = None
    tpm: float | None = None


async def _rules(d: Draft) -> FactResult:
    return FactResult(facts=extract_rules(d.text, d.spans))


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def pending(paths: Sequence[Path], store: RunStore) -> list[Path]:
    """Inputs not yet finished with their current bytes."""
    done = store.finished()
    return [p for p in paths if str(p) not in done or done[str(p)] != _sha(p)]


async def process(path: Path, options: Options, find: AsyncFinder) -> Record:
    loaded = load_file(path, options)
    if loaded.failure is not None:
        return loaded.failure
    d = draft(loaded.text, source=str(path), sha256=loaded.sha256, raw=loaded.raw)
    found = await find(d)
    await asyncio.sleep(0)  # requests waiting for a slot go out before this document's CPU
    return finish(d, found, options.backend)


async def run(
    paths: Sequence[Path],
    options: Options,
    store: RunStore,
    find: AsyncFinder,
    config: BulkConfig,
    progress: Progress | None = None,
) -> int:
    """Process every pending input; returns how many were processed now."""
    todo = pending(paths, store)
    gate = asyncio.Semaphore(config.documents)

    async def one(path: Path) -> None:
        async with gate:
            started = time.monotonic()
            record = await process(path, options, find)
            to_checked_json(record)  # never store what the schema refuses
            store.save(record, time.monotonic() - started)
            if progress:
                progress(record, any(e.where == "input" for e in record.errors))

    await asyncio.gather(*(one(p) for p in todo))
    return len(todo)


def rules_finder() -> AsyncFinder:
    return _rules


def model_finder(
    settings: object, method: str, store: RunStore, config: BulkConfig, client: object
) -> AsyncFinder:
    """The LLM (or hybrid) finder sharing one client, gate, limiter and cache."""
    from extract.bulk.ratelimit import RateLimiter
    from extract.llm.client import CircuitBreaker
    from extract.llm.extractor import Shared, extract_llm
    from extract.llm.settings import LLMSettings

    assert isinstance(settings, LLMSettings)
    limiter = RateLimiter(config.rpm, config.tpm) if (config.rpm or config.tpm) else None
    # The HTTP pool bounds requests in flight (build_client's max_connections); this gate
    # only keeps parsing from running far ahead of it.
    shared = Shared(gate=asyncio.Semaphore(config.concurrency * 2), cache=store, limiter=limiter)
    breaker = CircuitBreaker(settings.breaker_failures)  # one for the whole run

    async def find(d: Draft) -> FactResult:
        result = await extract_llm(
            d.text,
            d.spans,
            settings,
            client,  # type: ignore[arg-type]
            shared,
            breaker=breaker,
        )
        return with_rules(d.text, d.spans, result) if method == "hybrid" else result

    return find

"""The I/O shell of an extract run: store, event loop, finder, progress, output."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import click

from extract.bulk.progress import Reporter
from extract.bulk.runner import BulkConfig, Engine, RunCounts, run
from extract.bulk.store import RunStore
from extract.methods import open_finder
from extract.outputs import atomic_text
from extract.pipeline import Options
from extract.record import Record
from extract.summary import RunSummary


def _line(record: Record) -> str:
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\n"


async def _batch(inputs: list[Path], options: Options, store: RunStore, poll: float) -> None:
    """Answer every uncached chunk through the Batch API first (into the store's cache)."""
    from extract.bulk.batch import run_batch
    from extract.methods import open_batch_client
    from extract.pipeline import Draft, prepare

    assert options.llm is not None

    def drafts() -> Iterator[Draft]:
        # One at a time: only the requests built from them are kept, not the documents.
        for path in inputs:
            state = store.state(str(path))
            ready = prepare(path, options, False, state[0] if state else None)
            if isinstance(ready, Draft):
                yield ready

    async with open_batch_client(options.llm) as client:
        await run_batch(
            client,
            drafts(),
            options.llm,
            store,
            poll,
            say=lambda m: click.echo(m, err=True),
        )


async def _drive(
    inputs: list[Path],
    options: Options,
    config: BulkConfig,
    store: RunStore | None,
    sink: TextIO | None,
    summary: RunSummary,
    reporter: Reporter | None,
    batch_poll: float | None,
    engine: Engine,
) -> RunCounts:
    if batch_poll is not None and store is not None:
        await _batch(inputs, options, store, batch_poll)

    def emit(record: Record) -> None:
        summary.add(record)
        assert sink is not None
        sink.write(_line(record))

    async with open_finder(
        options, cache=store, concurrency=config.concurrency, rpm=config.rpm, tpm=config.tpm
    ) as finder:
        return await run(
            inputs,
            finder,
            options,
            config,
            engine=engine,
            store=store,
            emit=emit if sink is not None else None,
            progress=reporter,
        )


def run_extract(
    inputs: list[Path],
    options: Options,
    config: BulkConfig,
    *,
    output: Path | None,
    store_path: Path | None,
    quiet: bool,
    batch_poll: float | None = None,
    engine: Engine | None = None,
) -> RunSummary:
    """Run every input through the one road. Without a store, records stream to the output
    in input order; with one, each is committed as it finishes and the output is written
    from the store, in input order, at the end."""
    from extract.bulk.runner import InlineEngine

    engine = engine or InlineEngine()
    summary = RunSummary()
    show = len(inputs) > 1
    reporter = Reporter(len(inputs), stream=io.StringIO() if quiet else None) if show else None
    store = RunStore(store_path) if store_path is not None else None
    try:
        if store is not None and not quiet:
            known = sum(store.state(str(p)) is not None for p in inputs)
            click.echo(
                f"{len(inputs)} inputs, {known} already in {store_path} (skipped unless their "
                "bytes changed)",
                err=True,
            )
        try:
            if store is None:
                with atomic_text(output) as sink:
                    counts = asyncio.run(
                        _drive(inputs, options, config, None, sink, summary, reporter, None, engine)
                    )
            else:
                counts = asyncio.run(
                    _drive(
                        inputs, options, config, store, None, summary, reporter, batch_poll, engine
                    )
                )
        except KeyboardInterrupt:
            if reporter is not None:
                reporter.close()
            if store is not None:
                click.echo(
                    f"interrupted: {sum(store.counts().values())} finished documents are "
                    f"safe in {store_path}; run the same command again to resume",
                    err=True,
                )
            else:
                click.echo("interrupted: no output written", err=True)
            raise SystemExit(130) from None
        if reporter is not None:
            reporter.close()
        if store is not None:
            if not quiet:
                click.echo(
                    f"{counts.processed} done now ({counts.failed} failed), "
                    f"{counts.unchanged} unchanged",
                    err=True,
                )
            with atomic_text(output) as sink:
                for path in inputs:
                    record = store.record(str(path))
                    if record is None:
                        continue  # cannot happen after a complete run
                    summary.add(record)
                    sink.write(_line(record))
    finally:
        if store is not None:
            store.close()
    return summary

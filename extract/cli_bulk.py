"""The I/O shell of a bulk run: store, event loop, client, progress, output."""

from __future__ import annotations

import asyncio
import io
import json
import sys
from pathlib import Path

import click

from extract.bulk.progress import Reporter
from extract.bulk.runner import BulkConfig, model_finder, pending, rules_finder, run
from extract.bulk.store import RunStore
from extract.pipeline import Options
from extract.summary import RunSummary
from extract.validate import to_checked_json


async def _batch(
    inputs: list[Path], options: Options, store: RunStore, poll_seconds: float
) -> None:
    """Answer every uncached chunk through the Batch API first (into the store's cache)."""
    import openai

    from extract.bulk.batch import run_batch
    from extract.pipeline import draft, load_file

    drafts = []
    for path in pending(inputs, store):
        loaded = load_file(path, options)
        if loaded.failure is None:
            drafts.append(draft(loaded.text, source=str(path), sha256=loaded.sha256))
    settings = options.llm
    client = openai.AsyncOpenAI(
        api_key=settings.api_key,
        base_url=settings.base_url,
        timeout=settings.timeout,
        max_retries=3,
    )
    try:
        await run_batch(
            client, drafts, settings, store, poll_seconds, say=lambda m: click.echo(m, err=True)
        )
    finally:
        await client.close()


async def _drive(
    inputs: list[Path],
    options: Options,
    store: RunStore,
    config: BulkConfig,
    reporter: Reporter,
    batch_poll: float | None,
) -> None:
    if options.llm is None:
        await run(inputs, options, store, rules_finder(), config, reporter)
        return
    from extract.llm.client import build_client
    from extract.llm.extractor import close

    if batch_poll is not None:
        await _batch(inputs, options, store, batch_poll)
    client = build_client(options.llm, max_connections=config.concurrency)
    try:
        finder = model_finder(options.llm, options.backend, store, config, client)
        await run(inputs, options, store, finder, config, reporter)
    finally:
        await close(client)


def run_bulk(
    inputs: list[Path],
    options: Options,
    store_path: Path,
    config: BulkConfig,
    output: Path | None,
    quiet: bool,
    batch_poll: float | None = None,
) -> RunSummary:
    summary = RunSummary()
    with RunStore(store_path) as store:
        todo = len(pending(inputs, store))
        if not quiet:
            click.echo(
                f"{len(inputs)} inputs, {len(inputs) - todo} already finished in "
                f"{store_path}, {todo} to do",
                err=True,
            )
        reporter = Reporter(todo, stream=io.StringIO() if quiet else None)
        try:
            asyncio.run(_drive(inputs, options, store, config, reporter, batch_poll))
        except KeyboardInterrupt:
            reporter.close()
            click.echo(
                f"interrupted: {sum(store.counts().values())} finished documents are "
                f"safe in {store_path}; run the same command again to resume",
                err=True,
            )
            raise SystemExit(130) from None
        reporter.close()
        by_source = {r.source: r for r in store.records()}
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for path in inputs:
            record = by_source.get(str(path))
            if record is None:
                continue  # cannot happen after a complete run; the store says what is done
            summary.add(record)
            sink.write(json.dumps(to_checked_json(record), ensure_ascii=False) + "\n")
    finally:
        if output:
            sink.close()
    return summary

"""The `nianbao` command: a thin shell over the library."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from extract import __version__
from extract.cli_options import model_options
from extract.logs import quiet_third_party_logs

if TYPE_CHECKING:
    from extract.bulk.runner import BulkConfig
    from extract.bulk.workers import Bounds
    from extract.pipeline import Options
    from extract.summary import RunSummary


@click.group()
@click.version_option(__version__, prog_name="nianbao")
def main() -> None:
    """Government information-disclosure annual reports (政府信息公开工作年度报告) as data."""
    quiet_third_party_logs()


# Exit codes of `nianbao extract` (README, "Exit codes").
EXIT_OK = 0
EXIT_NOTHING_READ = 1
EXIT_USAGE = 2  # click's own
EXIT_PARTIAL = 3
MB = 1024 * 1024


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write JSON Lines here (default: standard output); written in full or not at all.",
)
@click.option(
    "--print-text",
    is_flag=True,
    help="Print the normalised text that offsets refer to, instead of records.",
)
@click.option(
    "--max-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=20.0,
    show_default=True,
    help="Refuse inputs larger than this many megabytes (MiB), and .docx files whose "
    "parts inflate to more.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress and no summary on standard error.")
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 3 also when any record has an error entry (a table not read, a check failed).",
)
@click.option(
    "--store",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A SQLite run store: a stopped run resumes from it, and identical model requests "
    "are answered from its cache.",
)
@click.option(
    "--retry-failed",
    is_flag=True,
    help="With --store: process again the documents the store holds as failed.",
)
@click.option(
    "--documents",
    type=click.IntRange(min=1),
    default=16,
    show_default=True,
    help="Documents in progress at once.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Processes reading and parsing documents [default: the machine's cores]; 0 reads "
    "them in this process, without the time and memory bounds.",
)
@click.option(
    "--engine",
    type=click.Choice(["pool", "ray"]),
    default="pool",
    show_default=True,
    help="Where documents are read and parsed: a process pool here, or Ray tasks (the ray "
    "extra; a local Ray instance unless --address names a cluster).",
)
@click.option("--address", help="With --engine ray: the Ray cluster to use (ray://host:port).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=300.0,
    show_default=True,
    help="Seconds one document may take to read and parse; past it, it gets an error record.",
)
@click.option(
    "--max-memory-mb",
    type=click.IntRange(min=64),
    default=4096,
    show_default=True,
    help="Memory (address space, MiB) one worker process may use; a document needing more "
    "gets an error record.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Model requests in flight.",
)
@click.option(
    "--rpm",
    type=click.FloatRange(min=0, min_open=True),
    help="The provider's requests-per-minute limit.",
)
@click.option(
    "--tpm",
    type=click.FloatRange(min=0, min_open=True),
    help="The provider's tokens-per-minute limit.",
)
@click.option(
    "--batch",
    is_flag=True,
    help="With --store and a model: send the requests through the OpenAI Batch API (half "
    "the price, results within 24 h); a stopped run resumes the batch.",
)
@click.option(
    "--batch-poll",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="Seconds between Batch API status checks.",
)
@click.option(
    "--prices",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A price table (TOML) overriding the packaged one, for the cost estimate.",
)
@model_options
def extract(
    paths: tuple[str, ...],
    output: Path | None,
    print_text: bool,
    max_mb: float,
    quiet: bool,
    strict: bool,
    store: Path | None,
    retry_failed: bool,
    documents: int,
    workers: int | None,
    engine: str,
    address: str | None,
    timeout: float,
    max_memory_mb: int,
    concurrency: int,
    rpm: float | None,
    tpm: float | None,
    batch: bool,
    batch_poll: float,
    prices: Path | None,
    **model: Any,
) -> None:
    """Extract records from report files, folders or globs (.txt .html .docx .doc .pdf .png…).

    Exit status: 0 when every document was read and processed; 3 when some documents
    failed or some model requests failed (each has its record saying why; with --strict,
    also when any record has an error entry); 1 when no document could be read; 2 for a
    usage error."""
    from extract.cli_options import options_from
    from extract.errors import OutputError
    from extract.inputs import NoMatchError, Skipped, expand
    from extract.outputs import check_output
    from extract.summary import destination, render

    if prices is not None:
        from extract.bulk.prices import PricesError, load_prices

        try:
            load_prices(prices)  # a bad table is a usage error now, not after the run
        except PricesError as exc:
            raise click.UsageError(str(exc)) from exc
    if batch and store is None:
        raise click.UsageError("--batch needs --store (the batch is tracked there)")
    if retry_failed and store is None:
        raise click.UsageError("--retry-failed needs --store (failures are kept there)")
    skipped = Skipped()
    try:
        inputs = expand(list(paths), skipped)
    except NoMatchError as exc:
        raise click.UsageError(str(exc)) from exc
    if skipped.total and not quiet:
        click.echo(f"note: {skipped.describe()}", err=True)
    if output is not None:
        try:
            check_output(output, inputs + ([store] if store else []))
        except OutputError as exc:
            raise click.UsageError(str(exc)) from exc
    if store is not None:
        try:
            check_output(store, inputs)
        except OutputError as exc:
            raise click.UsageError(f"--store: {exc}") from exc
    options = options_from(model, max_bytes=max(1, int(max_mb * MB)))
    if batch and options.llm is None:
        raise click.UsageError("--batch needs a model (--provider or --model)")
    if print_text:
        _print_text(inputs, options, output)
        return
    from extract.bulk.runner import BulkConfig

    config = BulkConfig(
        documents=documents,
        concurrency=concurrency,
        rpm=rpm,
        tpm=tpm,
        retry_failed=retry_failed,
    )
    from extract.bulk.workers import Bounds

    if address is not None and engine != "ray":
        raise click.UsageError("--address goes with --engine ray")
    bounds = Bounds(seconds=timeout, memory_mb=max_memory_mb)
    summary = _run(
        inputs,
        options,
        config,
        output,
        store,
        quiet,
        batch_poll if batch else None,
        workers,
        bounds,
        (engine, address),
    )
    if not quiet:
        render(
            summary,
            Console(stderr=True),
            prices=prices,
            written=destination(output, store=store),
        )
    if summary.documents == 0 or summary.unreadable == summary.documents:
        raise SystemExit(EXIT_NOTHING_READ)
    if summary.failed or summary.model_failures or (strict and summary.errors.total):
        raise SystemExit(EXIT_PARTIAL)


def _run(
    inputs: list[Path],
    options: Options,
    config: BulkConfig,
    output: Path | None,
    store: Path | None,
    quiet: bool,
    batch_poll: float | None,
    workers: int | None,
    bounds: Bounds,
    where: tuple[str, str | None] = ("pool", None),
) -> RunSummary:
    from contextlib import ExitStack

    from extract.bulk.runner import Engine, InlineEngine
    from extract.bulk.workers import PoolEngine
    from extract.cli_bulk import run_extract
    from extract.errors import NianbaoError

    try:
        with ExitStack() as stack:
            engine: Engine
            if where[0] == "ray":
                from extract.bulk.ray_engine import RayEngine

                engine = stack.enter_context(RayEngine(where[1], bounds))
            elif workers == 0:
                engine = InlineEngine()
            else:
                engine = stack.enter_context(PoolEngine(workers or None, bounds))
            return run_extract(
                inputs,
                options,
                config,
                output=output,
                store_path=store,
                quiet=quiet,
                batch_poll=batch_poll,
                engine=engine,
            )
    except (NianbaoError, OSError) as exc:
        from extract.redact import redact

        raise click.ClickException(redact(str(exc))) from exc
    except sqlite3.Error as exc:
        raise click.ClickException(
            f"the run store {store} cannot be written ({exc}); the documents finished so far "
            "are safe in it: free some space (or fix the file) and run the same command again"
        ) from exc


def _print_text(inputs: list[Path], options: Options, output: Path | None) -> None:
    from extract.outputs import atomic_text
    from extract.pipeline import load_file

    with atomic_text(output) as sink:
        for path in inputs:
            loaded = load_file(path, options)
            if len(inputs) > 1:
                sink.write(f"===== {path} =====\n")
            if loaded.failure is None:
                sink.write(loaded.text)
            else:
                for e in loaded.failure.errors:
                    click.echo(f"{path}: {e.message}", err=True)


@main.command()
@click.option("--check", is_flag=True, help="Fail if schemas/ differs from the models.")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schemas"),
    show_default=True,
)
def schema(check: bool, directory: Path) -> None:
    """Write (or check) the JSON Schemas generated from the record models."""
    from extract.schemas import write_schemas

    stale = write_schemas(directory, check=check)
    if check and stale:
        raise click.ClickException(f"out of date: {', '.join(stale)}; run `nianbao schema`")
    click.echo("schemas up to date" if check else f"wrote {directory}")


@main.command()
@click.option(
    "--model-path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A GGUF file (default: the packaged Gemma 3 270M).",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8765, show_default=True)
def serve(model_path: Path | None, host: str, port: int) -> None:
    """Run the embedded OpenAI-compatible server (llama.cpp) until interrupted (Ctrl-C,
    SIGTERM or SIGHUP stop it and its llama.cpp child)."""
    import signal
    import time

    from extract.llm.local_server import LocalServerError, ServerConfig, running

    def stop(signum: int, _frame: object) -> None:
        # Python's default SIGTERM ends the process without unwinding, which would leave the
        # llama.cpp child orphaned and still listening; unwinding runs `running`'s cleanup.
        raise KeyboardInterrupt(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    try:
        with running(ServerConfig(model_path=model_path, host=host, port=port)) as url:
            click.echo(
                f"serving on {url}  (use: nianbao extract --base-url {url} "
                "--model local ...); Ctrl-C stops it"
            )
            while True:
                time.sleep(3600)
    except LocalServerError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:
        click.echo("stopped")


@main.command("export")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--to", "fmt", type=click.Choice(["csv", "parquet", "sqlite", "duckdb"]), required=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="A folder (csv, parquet) or a database file (sqlite, duckdb).",
)
def export_cmd(source: Path, fmt: str, output: Path) -> None:
    """Records (a run store or JSON Lines) as tables: facts, cells, reports."""
    from extract.bulk.export import ExportError, export
    from extract.errors import OutputError
    from extract.outputs import refuse_inputs
    from extract.record_files import RecordsError, read_records

    if fmt in ("sqlite", "duckdb"):
        try:
            refuse_inputs(output, [source])
        except OutputError as exc:
            raise click.UsageError(str(exc)) from exc
    try:
        records = list(read_records(source))
        written = export(records, fmt, output)
    except (ExportError, RecordsError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{len(records)} records → " + ", ".join(map(str, written)))


def _register() -> None:
    # The eval and label groups live in their own modules; importing them attaches them.
    from extract import cli_corpus, cli_eval, cli_label
    from extract.cli_view import view

    main.add_command(cli_eval.eval_group, "eval")
    main.add_command(cli_label.label, "label")
    main.add_command(view)
    main.add_command(cli_corpus.corpus, "corpus")


_register()


if __name__ == "__main__":
    main()

"""The `nianbao` command: a thin shell over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from extract import __version__
from extract.cli_options import model_options, model_session

if TYPE_CHECKING:
    from extract.pipeline import Options
    from extract.summary import RunSummary


@click.group()
@click.version_option(__version__, prog_name="nianbao")
def main() -> None:
    """Government information-disclosure annual reports (政府信息公开工作年度报告) as data."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write JSON Lines here (default: standard output).",
)
@click.option(
    "--print-text",
    is_flag=True,
    help="Print the normalised text that offsets refer to, instead of records.",
)
@click.option(
    "--max-mb",
    type=float,
    default=20.0,
    show_default=True,
    help="Refuse inputs larger than this many megabytes.",
)
@click.option("--quiet", "-q", is_flag=True, help="No summary on standard error.")
@click.option(
    "--store",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Bulk mode: a SQLite run store; a stopped run resumes from it, and "
    "identical model requests are answered from its cache.",
)
@click.option(
    "--documents",
    type=int,
    default=16,
    show_default=True,
    help="Bulk mode: documents in progress at once.",
)
@click.option(
    "--concurrency",
    type=int,
    default=8,
    show_default=True,
    help="Bulk mode: model requests in flight.",
)
@click.option("--rpm", type=float, help="Bulk mode: the provider's requests-per-minute limit.")
@click.option("--tpm", type=float, help="Bulk mode: the provider's tokens-per-minute limit.")
@click.option(
    "--batch",
    is_flag=True,
    help="Bulk mode with a model: send the requests through the OpenAI Batch API (half the "
    "price, results within 24 h); a stopped run resumes the batch.",
)
@click.option(
    "--batch-poll",
    type=float,
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
    store: Path | None,
    documents: int,
    concurrency: int,
    rpm: float | None,
    tpm: float | None,
    batch: bool,
    batch_poll: float,
    prices: Path | None,
    **model: Any,
) -> None:
    """Extract records from report files, folders or globs (.txt .html .docx .pdf)."""
    from extract.inputs import expand
    from extract.summary import RunSummary, destination, render

    if prices is not None:
        from extract.bulk.prices import PricesError, load_prices

        try:
            load_prices(prices)  # a bad table is a usage error now, not after the run
        except PricesError as exc:
            raise click.UsageError(str(exc)) from exc
    inputs = expand(list(paths))
    err = Console(stderr=True)
    summary = RunSummary()
    max_bytes = int(max_mb * 1024 * 1024)
    if batch and store is None:
        raise click.UsageError("--batch needs --store (the batch is tracked there)")
    if store is not None and not print_text:
        from extract.bulk.runner import BulkConfig
        from extract.cli_bulk import run_bulk

        config = BulkConfig(documents=documents, concurrency=concurrency, rpm=rpm, tpm=tpm)
        with model_session(model, max_bytes=max_bytes) as options:
            if batch and options.llm is None:
                raise click.UsageError("--batch needs a model (--provider or --model)")
            summary = run_bulk(
                inputs,
                options,
                store,
                config,
                output,
                quiet,
                batch_poll=batch_poll if batch else None,
            )
    else:
        with model_session(model, max_bytes=max_bytes) as options:
            _extract_each(inputs, options, output, print_text, summary)
    if not quiet:
        render(
            summary, err, prices=prices, written=destination(output, store=store, text=print_text)
        )
    if summary.documents == 0 or summary.unreadable == summary.documents:
        raise SystemExit(1)


def _extract_each(
    inputs: list[Path], options: Options, output: Path | None, print_text: bool, summary: RunSummary
) -> None:
    from extract.pipeline import extract_file
    from extract.validate import to_checked_json

    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for path in inputs:
            record, text = extract_file(path, options)
            summary.add(record)
            if print_text:
                if len(inputs) > 1:
                    sink.write(f"===== {path} =====\n")
                sink.write(text)
                continue
            sink.write(json.dumps(to_checked_json(record), ensure_ascii=False) + "\n")
            sink.flush()
    finally:
        if output:
            sink.close()


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
    from extract.bulk.export import ExportError, export, read_source

    try:
        records = list(read_source(source))
        written = export(records, fmt, output)
    except ExportError as exc:
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

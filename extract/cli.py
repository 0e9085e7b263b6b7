"""The `nianbao` command: a thin shell over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from extract import __version__
from extract.cli_options import model_options, model_session


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
@model_options
def extract(
    paths: tuple[str, ...],
    output: Path | None,
    print_text: bool,
    max_mb: float,
    quiet: bool,
    **model: Any,
) -> None:
    """Extract records from report files, folders or globs (.txt .html .docx .pdf)."""
    from extract.inputs import expand
    from extract.pipeline import extract_file
    from extract.summary import RunSummary, render
    from extract.validate import to_checked_json

    inputs = expand(list(paths))
    err = Console(stderr=True)
    summary = RunSummary()
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        with model_session(model, max_bytes=int(max_mb * 1024 * 1024)) as options:
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
    if not quiet:
        render(summary, err)
    if summary.documents == 0 or summary.unreadable == summary.documents:
        raise SystemExit(1)


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
    """Run the embedded OpenAI-compatible server (llama.cpp) until interrupted."""
    import time

    from extract.llm.local_server import LocalServerError, ServerConfig, running

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


def _register() -> None:
    # The eval and label groups live in their own modules; importing them attaches them.
    from extract import cli_eval, cli_label

    main.add_command(cli_eval.eval_group, "eval")
    main.add_command(cli_label.label, "label")


_register()

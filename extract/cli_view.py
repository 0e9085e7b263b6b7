"""`nianbao view`: records (JSON Lines or a run store) as one HTML page to read and check."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("view")
@click.argument("records", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the page here (default: RECORDS with the suffix .html).",
)
@click.option("--open", "open_it", is_flag=True, help="Open the page in the default browser.")
def view(records: Path, output: Path | None, open_it: bool) -> None:
    """One self-contained HTML page of RECORDS (from `nianbao extract -o` or `--store`):
    an index of the documents, and each one's text with its evidence highlighted, its
    tables as printed and its failed checks marked on the cells they compare."""
    from extract import outcome
    from extract.errors import OutputError
    from extract.outputs import atomic_text, refuse_inputs
    from extract.record_files import RecordsError, read_records
    from extract.view.sources import view_page

    output = output or records.with_suffix(".html")
    try:
        refuse_inputs(output, [records])  # a page written over its own records would lose them
    except OutputError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        loaded = list(read_records(records))
    except RecordsError as exc:
        raise click.ClickException(str(exc)) from exc
    page = view_page(loaded, f"nianbao view — {records.name}", records.parent)
    output.parent.mkdir(parents=True, exist_ok=True)
    with atomic_text(output) as sink:
        sink.write(page)
    failed = sum(len(outcome.failed_checks(r)) for r in loaded)
    click.echo(f"wrote {output}: {len(loaded)} documents, {failed} failed checks")
    if open_it:
        click.launch(output.resolve().as_uri())

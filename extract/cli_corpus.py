"""`nianbao corpus …`: checks across many reports (a thin shell over extract.corpus)."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group("corpus")
def corpus() -> None:
    """Checks across reports and years: carry-over, anomalies, copied narratives."""


@corpus.command("check")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--json",
    "json_out",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write the full report as JSON here ('-': standard output, instead of the tables).",
)
@click.option(
    "--html",
    "html_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a self-contained HTML page (shared passages side by side).",
)
@click.option(
    "--view",
    "view_page",
    metavar="PAGE",
    help="With --html: link every document to its place in this `nianbao view` page of the "
    "same records (a path relative to the corpus page, or a URL).",
)
@click.option(
    "--issuer-map",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A TOML file settling issuers no rule can: [names] and [documents] tables.",
)
@click.option(
    "--no-narratives",
    is_flag=True,
    help="Do not re-read the sources: no copied-narrative or same-report checks.",
)
@click.option(
    "--sources-root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Look for relative source paths in this folder too (they are looked for as "
    "given, then in this folder, then in the records file's folder).",
)
@click.option(
    "--similarity",
    type=click.FloatRange(0.05, 1.0),
    default=0.5,
    show_default=True,
    help="Narratives at least this alike (Jaccard of character shingles, numbers masked) "
    "are reported.",
)
@click.option(
    "--passages",
    type=click.IntRange(min=0),
    default=200,
    show_default=True,
    help="Compute shared passages for this many matched pairs, most alike first.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes reading and signing the narratives (the slow part of a large corpus).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Rows per table in the terminal.",
)
def check(
    inputs: tuple[Path, ...],
    json_out: Path | None,
    html_out: Path | None,
    view_page: str | None,
    issuer_map: Path | None,
    no_narratives: bool,
    sources_root: Path | None,
    similarity: float,
    passages: int,
    jobs: int,
    limit: int,
) -> None:
    """Check records (run stores made with --store, or JSON Lines) against each other."""
    from dataclasses import replace

    from rich.console import Console

    from extract.corpus.check import CheckSettings, check_corpus
    from extract.corpus.identity import IssuerMap
    from extract.corpus.render import render_html, render_terminal
    from extract.errors import NianbaoError, OutputError
    from extract.outputs import atomic_text, check_output

    # Before any work: an output may not be one of the inputs (or the issuer map), and its
    # folder must exist; outputs are written whole or not at all.
    named = [*inputs, *([issuer_map] if issuer_map else [])]
    for out in (json_out, html_out):
        if out is not None and str(out) != "-":
            try:
                check_output(out, named)
            except OutputError as exc:
                raise click.UsageError(str(exc)) from exc
    defaults = CheckSettings()
    settings = CheckSettings(
        neardup=replace(defaults.neardup, threshold=similarity),
        narratives=not no_narratives,
        sources_roots=(sources_root,) if sources_root else (),
        passages=passages,
        jobs=jobs,
    )
    try:
        mapping = IssuerMap.load(issuer_map) if issuer_map else None
        report = check_corpus(list(inputs), settings, mapping)
    except NianbaoError as exc:
        raise click.ClickException(str(exc)) from exc
    if json_out is not None:
        text = report.model_dump_json(indent=2) + "\n"
        if str(json_out) == "-":
            sys.stdout.write(text)
        else:
            with atomic_text(json_out) as sink:
                sink.write(text)
    if html_out is not None:
        with atomic_text(html_out) as sink:
            sink.write(render_html(report, view_page))
    if json_out is None or str(json_out) != "-":
        render_terminal(report, Console(), limit=limit)

"""The `nianbao` command: a thin shell over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from extract import __version__

if TYPE_CHECKING:
    from extract.record import Record


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
def extract(
    paths: tuple[str, ...], output: Path | None, print_text: bool, max_mb: float, quiet: bool
) -> None:
    """Extract records from report files, folders or globs (.txt .html .docx .pdf)."""
    from extract.inputs import expand
    from extract.pipeline import Options, extract_file
    from extract.summary import RunSummary, render
    from extract.validate import to_checked_json

    options = Options(max_bytes=int(max_mb * 1024 * 1024))
    inputs = expand(list(paths))
    err = Console(stderr=True)
    summary = RunSummary()
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


class _DefaultGroup(click.Group):
    """A group whose first word may be omitted: `nianbao eval --gold …` means `eval score`."""

    default_command = "score"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@main.group(cls=_DefaultGroup)
def eval() -> None:
    """Score records against hand-labelled gold (FACTS.md); `score` is the default."""


@eval.command("score")
@click.argument(
    "records", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--gold",
    "gold_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("eval/fixtures"),
    show_default=True,
    help="Folder of gold files.",
)
@click.option("--run", "run", is_flag=True, help="Extract the gold documents now and score.")
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("eval/runs/latest.json"),
    show_default=True,
    help="Where to write the full result as JSON.",
)
@click.option(
    "--baseline",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A committed result to compare with; exit 1 when this run is worse.",
)
@click.option(
    "--threshold",
    type=float,
    default=0.0,
    show_default=True,
    help="How much worse than the baseline is tolerated.",
)
@click.option("--brief", is_flag=True, help="Summary only, no per-document detail.")
def eval_score(
    records: Path | None,
    gold_dir: Path,
    run: bool,
    out: Path,
    baseline: Path | None,
    threshold: float,
    brief: bool,
) -> None:
    """Score RECORDS (JSON Lines from `nianbao extract`), or with --run extract and score."""
    from extract.evaluation.compare import compare
    from extract.evaluation.render import print_comparison, print_scores
    from extract.evaluation.report import render_report
    from extract.evaluation.runner import load_golds, read_records, run_records, write_json
    from extract.evaluation.score import score
    from extract.pipeline import Options

    if (records is None) == (not run):
        raise click.UsageError("give either RECORDS or --run")
    golds, texts = load_golds(gold_dir)
    recs = run_records(golds, gold_dir, Options()) if records is None else read_records(records)
    result = score(recs, golds, texts)
    console = Console()
    print_scores(result, console, detail=not brief)
    write_json(result, out)
    report = out.with_suffix(".html")
    report.write_text(render_report(result, texts, f"nianbao eval — {out.stem}"), "utf-8")
    console.print(f"wrote {out} and {report}", highlight=False)
    if baseline is not None:
        diff = compare(json.loads(baseline.read_text("utf-8")), result, threshold)
        print_comparison(diff, console)
        if diff["regressed"]:
            raise SystemExit(1)


@eval.command("check-gold")
@click.argument(
    "gold_dir", type=click.Path(exists=True, path_type=Path), default=Path("eval/fixtures")
)
def eval_check_gold(gold_dir: Path) -> None:
    """Reject gold files whose evidence is not in the text, whose field is unknown or whose
    value cannot be read from its evidence."""
    from extract.evaluation.gold import check_gold, gold_files

    files = [gold_dir] if gold_dir.is_file() else gold_files(gold_dir)
    problems = [p for path in files for p in check_gold(path)]
    for p in problems:
        click.echo(p)
    click.echo(f"{len(files)} gold files, {len(problems)} problems")
    if problems:
        raise SystemExit(1)


@eval.command("compare")
@click.argument("a", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("b", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--threshold", type=float, default=0.0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
def eval_compare(a: Path, b: Path, threshold: float, as_json: bool) -> None:
    """Per-field deltas and changed documents from run A to run B; exit 1 when B is worse
    than A by more than the threshold."""
    from extract.evaluation.compare import compare
    from extract.evaluation.render import print_comparison

    diff = compare(json.loads(a.read_text("utf-8")), json.loads(b.read_text("utf-8")), threshold)
    if as_json:
        click.echo(json.dumps(diff, ensure_ascii=False, indent=1))
    else:
        print_comparison(diff, Console())
    if diff["regressed"]:
        raise SystemExit(1)


@main.group()
def label() -> None:
    """Grow a labelled corpus: drafts from records, Label Studio tasks out and back in."""


def _records_with_text(records: Path) -> list[tuple[Record, str]]:
    from extract.evaluation.runner import read_records
    from extract.pipeline import extract_file

    out = []
    for record in read_records(records):
        again, text = extract_file(record.source)
        if not text or again.sha256 != record.sha256:
            raise click.ClickException(
                f"{record.doc_id}: its source {record.source} is gone or "
                "changed since the record was made; extract it again"
            )
        out.append((record, text))
    return out


@label.command("draft")
@click.argument("records", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the draft gold files and their texts.",
)
def label_draft(records: Path, out_dir: Path) -> None:
    """Turn records into draft gold files (with their normalised texts) to correct by hand."""
    from extract.evaluation.labelling import draft_gold

    out_dir.mkdir(parents=True, exist_ok=True)
    pairs = _records_with_text(records)
    for record, text in pairs:
        gold = draft_gold(record)
        (out_dir / gold["text_file"]).write_text(text, "utf-8")
        (out_dir / f"{record.doc_id}.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", "utf-8"
        )
    click.echo(
        f"wrote {len(pairs)} drafts to {out_dir}; correct them, then run "
        f"`nianbao eval check-gold {out_dir}`"
    )


@label.command("export")
@click.argument("records", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Label Studio tasks (JSON) with the facts as pre-annotations.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the labelling interface (XML) here.",
)
def label_export(records: Path, output: Path, config_path: Path | None) -> None:
    """Export records as Label Studio tasks with pre-annotations."""
    from extract.evaluation.labelling import label_config, to_task

    tasks = [to_task(record, text) for record, text in _records_with_text(records)]
    output.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", "utf-8")
    if config_path:
        config_path.write_text(label_config(), "utf-8")
    click.echo(f"wrote {len(tasks)} tasks to {output}")


@label.command("import")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the gold files and their texts.",
)
def label_import(export: Path, out_dir: Path) -> None:
    """Turn a Label Studio JSON export into gold files, then check them."""
    from extract.errors import GoldError
    from extract.evaluation.gold import check_gold
    from extract.evaluation.labelling import import_export

    try:
        written = import_export(export, out_dir)
    except GoldError as exc:
        raise click.ClickException(str(exc)) from exc
    problems = [p for path in written for p in check_gold(path)]
    for p in problems:
        click.echo(p)
    click.echo(f"wrote {len(written)} gold files to {out_dir}, {len(problems)} problems")
    if problems:
        raise SystemExit(1)


@label.command("config")
def label_config_cmd() -> None:
    """Print the Label Studio labelling interface for the fact catalogue."""
    from extract.evaluation.labelling import label_config

    click.echo(label_config(), nl=False)

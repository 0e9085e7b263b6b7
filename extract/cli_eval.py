"""`nianbao eval`: score records against gold, compare runs, check gold files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from extract.cli_options import model_options, options_from

if TYPE_CHECKING:
    from extract.evaluation.gold import GoldDoc
    from extract.record import Record


class _DefaultGroup(click.Group):
    """A group whose first word may be omitted: `nianbao eval --gold …` means `eval score`."""

    default_command = "score"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultGroup)
def eval_group() -> None:
    """Score records against hand-labelled gold (docs/facts.md); `score` is the default."""


@eval_group.command("score")
@click.argument(
    "records", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--gold",
    "gold_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of gold files (default: the bundled sample reports).",
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
@click.option(
    "--oracle",
    is_flag=True,
    help="With --run: the LLM path against a local server that answers with the "
    "gold facts; any loss is the pipeline's own.",
)
@click.option(
    "--perturb",
    metavar="FAMILY",
    help="With --oracle: damage the oracle's answers the way real models err "
    "(string_numbers, fences, paraphrase, flip_approximate, …; see docs/llm.md).",
)
@click.option(
    "--replay",
    "replay_set",
    metavar="SET",
    help="With --run: the LLM path answered from cassettes/SET, no network.",
)
@model_options
def eval_score(
    records: Path | None,
    gold_dir: Path | None,
    run: bool,
    out: Path,
    baseline: Path | None,
    threshold: float,
    brief: bool,
    oracle: bool,
    perturb: str | None,
    replay_set: str | None,
    **model: Any,
) -> None:
    """Score RECORDS (JSON Lines from `nianbao extract`), or with --run extract and score."""
    from extract.evaluation.compare import compare
    from extract.evaluation.render import print_comparison, print_scores
    from extract.evaluation.report import render_report
    from extract.evaluation.runner import load_golds, read_records, read_report, write_json
    from extract.evaluation.score import score

    if (records is None) == (not run):
        raise click.UsageError("give either RECORDS or --run")
    from extract.errors import OutputError
    from extract.outputs import refuse_inputs

    try:  # the report and its page are written over nothing the run reads
        for written in (out, out.with_suffix(".html")):
            refuse_inputs(written, [p for p in (records, baseline) if p is not None])
    except OutputError as exc:
        raise click.UsageError(str(exc)) from exc
    if (oracle or replay_set) and not run:
        raise click.UsageError("--oracle and --replay go with --run")
    if perturb is not None:
        from extract.evaluation.perturb import FAMILIES

        if not oracle:
            raise click.UsageError("--perturb goes with --oracle")
        if perturb not in FAMILIES:
            raise click.UsageError(
                f"unknown --perturb {perturb!r}; choose one of {', '.join(FAMILIES)}"
            )
    if gold_dir is None:
        from extract.samples import samples_dir

        gold_dir = samples_dir()
    from extract.errors import GoldError
    from extract.record_files import RecordsError

    try:
        golds, texts = load_golds(gold_dir)
        recs = (
            read_records(records)
            if records
            else _run(golds, texts, gold_dir, oracle, perturb, replay_set, model)
        )
    except (GoldError, RecordsError, ValueError, OSError) as exc:
        # No gold files, a gold file or a records line that is not what it should be.
        raise click.ClickException(str(exc).splitlines()[0]) from exc
    result = score(recs, golds, texts)
    console = Console()
    print_scores(result, console, detail=not brief)
    write_json(result, out)
    report = out.with_suffix(".html")
    report.write_text(render_report(result, recs, texts, f"nianbao eval — {out.stem}"), "utf-8")
    console.print(f"wrote {out} and {report}", highlight=False)
    if baseline is not None:
        diff = compare(read_report(baseline), result, threshold)
        print_comparison(diff, console)
        if diff.regressed:
            raise SystemExit(1)


def _run(
    golds: list[GoldDoc],
    texts: dict[str, str],
    gold_dir: Path,
    oracle: bool,
    perturb: str | None,
    replay_set: str | None,
    model: dict[str, Any],
) -> list[Record]:
    from extract.errors import CassetteError
    from extract.evaluation import runner

    try:
        if oracle:
            return runner.run_oracle(golds, texts, gold_dir, perturb)
        if replay_set:
            return runner.run_replay(golds, gold_dir, replay_set)
    except CassetteError as exc:
        raise click.ClickException(str(exc)) from exc
    return runner.run_records(golds, gold_dir, options_from(model))


@eval_group.command("check-gold")
@click.argument(
    "gold_dir", type=click.Path(exists=True, path_type=Path), required=False, default=None
)
def eval_check_gold(gold_dir: Path | None) -> None:
    """Reject gold files whose evidence is not in the text, whose field is unknown or whose
    value cannot be read from its evidence."""
    from extract.evaluation.gold import check_gold, gold_files
    from extract.samples import samples_dir

    gold_dir = gold_dir or samples_dir()
    files = [gold_dir] if gold_dir.is_file() else gold_files(gold_dir)
    problems = [p for path in files for p in check_gold(path)]
    for p in problems:
        click.echo(p)
    click.echo(f"{len(files)} gold files, {len(problems)} problems")
    if problems:
        raise SystemExit(1)


@eval_group.command("compare")
@click.argument("a", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("b", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--threshold", type=float, default=0.0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
def eval_compare(a: Path, b: Path, threshold: float, as_json: bool) -> None:
    """Per-field deltas and changed documents from run A to run B; exit 1 when B is worse
    than A by more than the threshold."""
    from extract.evaluation.compare import compare
    from extract.evaluation.render import print_comparison
    from extract.evaluation.runner import read_report

    diff = compare(read_report(a), read_report(b), threshold)
    if as_json:
        click.echo(json.dumps(diff.model_dump(mode="json"), ensure_ascii=False, indent=1))
    else:
        print_comparison(diff, Console())
    if diff.regressed:
        raise SystemExit(1)

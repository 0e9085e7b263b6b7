"""`nianbao label`: drafts from records, Label Studio tasks out, annotations back in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from extract.record import Record


@click.group()
def label() -> None:
    """Grow a labelled corpus: drafts from records, Label Studio tasks out and back in."""


def _records_with_text(records: Path) -> list[tuple[Record, str]]:
    from extract.pipeline import extract_file
    from extract.record_files import RecordsError, read_records

    out = []
    try:
        loaded = list(read_records(records))
    except RecordsError as exc:
        raise click.ClickException(str(exc)) from exc
    for record in loaded:
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
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace gold files that already exist in the folder (never the reports themselves).",
)
def label_draft(records: Path, out_dir: Path, overwrite: bool) -> None:
    """Turn records into draft gold files (with their normalised texts) to correct by hand."""
    from extract.evaluation.labelling import draft_gold

    pairs = _records_with_text(records)
    sources = [Path(record.source) for record, _ in pairs]
    for record, _ in pairs:
        for name in (f"{record.doc_id}.txt", f"{record.doc_id}.json"):
            target = out_dir / name
            # A draft written over a report or over a hand-labelled gold file destroys work.
            if any(target.exists() and target.samefile(s) for s in sources if s.exists()):
                raise click.UsageError(
                    f"{target} is the report {record.doc_id} was read from; choose another --out"
                )
            if name.endswith(".json") and target.exists() and not overwrite:
                raise click.UsageError(
                    f"{target} exists (gold labelled by hand?); choose another --out, or "
                    "--overwrite to replace it"
                )
    out_dir.mkdir(parents=True, exist_ok=True)
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
    from extract.errors import OutputError
    from extract.evaluation.labelling import label_config, to_task
    from extract.outputs import refuse_inputs

    try:
        for written in (output, config_path):
            if written is not None:
                refuse_inputs(written, [records])
    except OutputError as exc:
        raise click.UsageError(str(exc)) from exc

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
        written, left_out = import_export(export, out_dir)
    except GoldError as exc:
        raise click.ClickException(str(exc)) from exc
    for warning in left_out:
        click.echo(f"warning: {warning}", err=True)
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

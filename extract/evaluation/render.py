"""Printing eval results for a person at a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from extract.evaluation.models import Change, Comparison, EvalReport


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def print_scores(result: EvalReport, console: Console, detail: bool = True) -> None:
    s = result.summary
    table = Table(title=f"facts: {s.documents} documents", show_lines=False)
    for col in ("field", "P", "R", "F1", "tp", "fp", "fn"):
        table.add_column(col, justify="left" if col == "field" else "right")
    for field, c in s.per_field.items():
        table.add_row(
            field,
            _pct(c.precision),
            _pct(c.recall),
            _pct(c.f1),
            str(c.tp),
            str(c.fp),
            str(c.fn),
        )
    m = s.micro
    table.add_row(
        "[bold]micro[/bold]",
        _pct(m.precision),
        _pct(m.recall),
        f"[bold]{_pct(m.f1)}[/bold]",
        str(m.tp),
        str(m.fp),
        str(m.fn),
    )
    console.print(table)
    console.print(
        f"grounding {_pct(s.grounding)}   approximate-flag agreement "
        f"{_pct(s.approximate_agreement)}   table cells "
        f"{s.table_cells.correct}/{s.table_cells.total} "
        f"({_pct(s.table_cell_accuracy)})   exact-table documents "
        f"{_pct(s.table_exact_documents)}   issuer {_pct(s.issuer_accuracy)}   year "
        f"{_pct(s.year_accuracy)}",
        highlight=False,
    )
    if s.missing_documents:
        console.print(f"[red]missing documents[/red]: {', '.join(s.missing_documents)}")
    if not detail:
        return
    for doc in result.documents:
        if not (doc.false_positives or doc.misses or doc.tables.mismatches):
            continue
        console.print(f"[bold]{doc.doc_id}[/bold]  F1 {_pct(doc.f1)}", highlight=False)
        for fp in doc.false_positives:
            console.print(
                f"  [red]FP[/red] {fp.field}={fp.value}  «{fp.evidence}»", highlight=False
            )
        for fn in doc.misses:
            console.print(
                f"  [yellow]miss[/yellow] {fn.field}={fn.value}  «{fn.evidence}»",
                highlight=False,
            )
        for cell in doc.tables.mismatches[:10]:
            console.print(
                f"  [magenta]cell[/magenta] {cell.cell}: gold {cell.gold}, got {cell.predicted}",
                highlight=False,
            )


def _change(c: Change) -> str:
    return f"{{'a': {c.a}, 'b': {c.b}}}"  # as it read when this was a dict


def print_comparison(diff: Comparison, console: Console) -> None:
    for name, v in diff.headline.items():
        console.print(f"{name}: {_pct(v.a)} → {_pct(v.b)}", highlight=False)
    for field, d in diff.per_field.items():
        console.print(f"  {field}: F1 {_pct(d.a)} → {_pct(d.b)} ({d.delta:+.3f})", highlight=False)
    for doc in diff.documents:
        console.print(
            f"  changed: {doc.doc_id} {_change(doc.f1) if doc.f1 else doc.change}", highlight=False
        )
    if diff.regressed:
        console.print(
            f"[red]worse by more than {diff.threshold}[/red]: {', '.join(diff.regressed)}"
        )
    else:
        console.print("[green]no regression[/green]")

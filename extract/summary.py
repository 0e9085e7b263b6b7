"""The one-screen summary printed at the end of a run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from extract.record import Record, Usage

TABLE_KEYS = ("active_disclosure", "applications", "review_litigation")


@dataclass
class RunSummary:
    documents: int = 0
    unreadable: int = 0
    tables: Counter[str] = field(default_factory=Counter)
    facts: int = 0
    checks: int = 0
    checks_failed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    models: set[str] = field(default_factory=set)

    def add(self, record: Record) -> None:
        self.documents += 1
        if any(e.where == "input" for e in record.errors):
            self.unreadable += 1
        for key in TABLE_KEYS:
            if getattr(record.tables, key) is not None:
                self.tables[key] += 1
        self.facts += len(record.facts)
        self.checks += len(record.checks)
        self.checks_failed += sum(not c.ok for c in record.checks)
        self.errors.extend((record.source, f"{e.where}: {e.message}") for e in record.errors)
        if record.provenance.usage is not None:
            self.usage = self.usage + record.provenance.usage
        if record.provenance.model:
            self.models.add(record.provenance.model)


def summarise(records: Sequence[Record]) -> RunSummary:
    summary = RunSummary()
    for record in records:
        summary.add(record)
    return summary


def render(
    summary: RunSummary, console: Console, max_errors: int = 12, prices: Path | None = None
) -> None:
    grid = Table(title="nianbao extract", show_header=False, box=None, pad_edge=False)
    grid.add_row("documents", f"{summary.documents} ({summary.unreadable} unreadable)")
    for key in TABLE_KEYS:
        grid.add_row(f"tables.{key}", f"{summary.tables[key]} / {summary.documents}")
    grid.add_row("facts", str(summary.facts))
    grid.add_row("checks failed", f"{summary.checks_failed} of {summary.checks}")
    if summary.usage.requests or summary.usage.cached:
        grid.add_row("estimated cost", _cost(summary, prices))
        grid.add_row(
            "model tokens",
            f"{summary.usage.input_tokens:,} in ({summary.usage.cached_input_tokens:,} from "
            f"the provider's prompt cache), {summary.usage.output_tokens:,} out, "
            f"{summary.usage.requests} requests, {summary.usage.cached} cached chunks "
            f"({', '.join(sorted(summary.models))})",
        )
    grid.add_row("errors", str(len(summary.errors)))
    console.print(grid)
    for source, message in summary.errors[:max_errors]:
        console.print(f"  [yellow]{source}[/yellow]: {message}", highlight=False)
    if len(summary.errors) > max_errors:
        console.print(
            f"  … and {len(summary.errors) - max_errors} more (see `errors` in the records)"
        )


def _cost(summary: RunSummary, prices: Path | None) -> str:
    from extract.bulk.prices import estimate, load_prices

    table = load_prices(prices)
    # One model per run is the rule; the per-model split is not tracked beyond that.
    model = next(iter(summary.models)) if len(summary.models) == 1 else None
    usd = estimate(summary.usage, model, table)
    if usd is None:
        return "unknown (no price for this model; pass --prices FILE)"
    return f"${usd:,.4f} (from the price table; check your provider's current prices)"

"""The summary printed at the end of a run: what was found, and what to look at.

Records are folded into a :class:`RunSummary` as they finish (a bulk run never holds them all);
:func:`report` turns it, with where the output went, into renderables, and :func:`render`
prints them. Failed checks, disagreements, warnings and errors are counted and listed apart
(:mod:`extract.outcome` says which is which), each item naming its report and its numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from extract import outcome
from extract.record import Record, Usage

TABLE_KEYS = ("active_disclosure", "applications", "review_litigation")

FAILED_MEANS = (
    "a failed check means the report's own numbers disagree (a table that does not add up, "
    "or a narrative figure the table contradicts); the values are as printed"
)
DISAGREE_MEANS = "not an error in the report: compare the two paths' evidence"
WARNING_MEANS = "read in an unusual way; the values are believed right, worth a look"


@dataclass(frozen=True)
class Item:
    """One thing to look at: which report, what (a check or where), the numbers or message."""

    report: str
    what: str
    detail: str


# Items of each kind kept for the summary: enough to show; the records hold all of them.
KEEP = 100


@dataclass
class Kept:
    """How many items of one kind a run had, and the first :data:`KEEP` of them."""

    total: int = 0
    items: list[Item] = field(default_factory=list)

    def extend(self, items: Sequence[Item]) -> None:
        self.total += len(items)
        self.items += items[: max(0, KEEP - len(self.items))]


@dataclass
class RunSummary:
    documents: int = 0
    unreadable: int = 0  # the file could not be read
    failed: int = 0  # the document failed as a whole (unreadable, crashed, over a bound)
    model_failures: int = 0  # documents with a model request or answer that failed
    tables: Counter[str] = field(default_factory=Counter)
    facts: int = 0
    checks: int = 0  # checks on the report's own numbers (disagreements not included)
    failed_checks: Kept = field(default_factory=Kept)
    compared: int = 0  # fields both rules and model looked at (hybrid)
    disagreements: Kept = field(default_factory=Kept)
    warnings: Kept = field(default_factory=Kept)
    errors: Kept = field(default_factory=Kept)
    usage: Usage = field(default_factory=Usage)
    models: set[str] = field(default_factory=set)

    def add(self, record: Record) -> None:
        self.documents += 1
        self.unreadable += record.unreadable
        self.failed += record.failed
        self.model_failures += any(e.where.startswith("facts.llm") for e in record.errors)
        for key in TABLE_KEYS:
            if getattr(record.tables, key) is not None:
                self.tables[key] += 1
        self.facts += len(record.facts)
        name = outcome.label(record)
        self.checks += len(outcome.table_checks(record))
        self.compared += len(record.checks) - len(outcome.table_checks(record))
        self.failed_checks.extend(
            [Item(name, c.name, c.detail) for c in outcome.failed_checks(record)]
        )
        self.disagreements.extend(
            [Item(name, c.name, c.detail) for c in outcome.disagreements(record)]
        )
        self.warnings.extend([Item(name, p.where, p.message) for p in outcome.warnings(record)])
        self.errors.extend([Item(name, p.where, p.message) for p in outcome.errors(record)])
        if record.provenance.usage is not None:
            self.usage = self.usage + record.provenance.usage
        if record.provenance.model:
            self.models.add(record.provenance.model)


def summarise(records: Sequence[Record]) -> RunSummary:
    summary = RunSummary()
    for record in records:
        summary.add(record)
    return summary


# (label, value) lines saying where a run's output went and how to look at it.
Written = Sequence[tuple[str, str]]


def destination(output: Path | None, *, store: Path | None = None, text: bool = False) -> Written:
    """Where a run's output went, and the command to look at it."""
    what = "normalised text" if text else "records"
    lines = [("output", f"{what} → {output if output is not None else 'standard output'}")]
    if store is not None:
        lines.append(("run store", str(store)))
    if not text and (output is not None or store is not None):
        lines.append(("look at them", f"nianbao view {output if output is not None else store}"))
    return lines


def _counts(
    summary: RunSummary, written: Written | None, prices: Path | None
) -> list[tuple[str, str]]:
    rows = [
        (
            "documents",
            f"{summary.documents} ({summary.unreadable} unreadable, {summary.failed} failed)",
        )
    ]
    rows += [(f"tables.{k}", f"{summary.tables[k]} / {summary.documents}") for k in TABLE_KEYS]
    rows.append(("facts", str(summary.facts)))
    failed = summary.failed_checks.total
    rows.append(("checks", f"{summary.checks - failed} held, {failed} failed"))
    if summary.compared:
        disagree = f"{summary.disagreements.total} of {summary.compared} fields disagree"
        rows.append(("rules vs model", disagree))
    rows.append(("warnings", str(summary.warnings.total)))
    rows.append(("errors", str(summary.errors.total)))
    if summary.usage.requests or summary.usage.cached:
        usage = summary.usage
        rows.append(("estimated cost", _cost(summary, prices)))
        rows.append(
            (
                "model tokens",
                f"{usage.input_tokens:,} in ({usage.cached_input_tokens:,} from the provider's "
                f"prompt cache), {usage.output_tokens:,} out, {usage.requests} requests, "
                f"{usage.cached} cached chunks ({', '.join(sorted(summary.models))})",
            )
        )
    for line in written or ():
        rows.append(line)
    return rows


def _rows(
    rows: Sequence[Sequence[str]], width: int | None, styles: Sequence[str], stack: bool = True
) -> RenderableType:
    """Columns on a terminal (``width``): a long last cell wraps under itself, at word
    boundaries, never into the margin; with ``stack``, a last cell that does not fit beside
    the others goes on its own indented line instead. In a log or a pipe (no width): one whole
    line per row, never broken, so grep finds it."""
    if width is None:
        first = max((len(r[0]) for r in rows), default=0)
        lines = ["  ".join([r[0].ljust(first), *r[1:]]) for r in rows]
        return Text("\n".join(lines), no_wrap=True, overflow="ignore")
    lead = [max((cell_len(r[c]) for r in rows), default=0) for c in range(len(styles) - 1)]
    grid = Table.grid(padding=(0, 2))
    room = width - sum(lead) - 2 * len(lead)
    if not stack or room >= max((cell_len(r[-1]) for r in rows), default=0):
        for style in styles[:-1]:
            grid.add_column(no_wrap=True, style=style)
        grid.add_column(overflow="fold", style=styles[-1])
        for row in rows:
            grid.add_row(*row)
        return grid
    stacked: list[RenderableType] = []
    for row in rows:
        stacked.append(
            Text("  ").join(Text(c, style=st) for c, st in zip(row, styles[:-1], strict=False))
        )
        stacked.append(Padding(Text(row[-1], style=styles[-1]), (0, 0, 0, 6)))
    return Group(*stacked)


def _items(
    title: str, means: str, kept: Kept, limit: int, width: int | None, style: str
) -> list[RenderableType]:
    if not kept.total:
        return []
    out: list[RenderableType] = [Text(""), Text(f"{title} ({kept.total})", style=f"bold {style}")]
    out.append(
        Text(f"  {means}", style="dim")
        if width is None
        else Padding(Text(means, style="dim"), (0, 0, 0, 2))
    )
    rows = [(f"  {i.report}", i.what, i.detail) for i in kept.items[:limit]]
    out.append(_rows(rows, width, (style, "", "")))
    if kept.total > limit:
        out.append(Text(f"  … and {kept.total - limit} more (nianbao view shows them all)"))
    return out


def report(
    summary: RunSummary,
    *,
    written: Written | None = None,
    prices: Path | None = None,
    limit: int = 12,
    width: int | None = 100,
) -> list[RenderableType]:
    """The summary as renderables: the counts, then each kind of problem with its items.
    ``width`` is the terminal's; None lays it out for a log (whole lines, never wrapped)."""
    return [
        Text("nianbao extract", style="bold"),
        _rows(_counts(summary, written, prices), width, ("bold", ""), stack=False),
        *_items("failed checks", FAILED_MEANS, summary.failed_checks, limit, width, "red"),
        *_items("rules vs model", DISAGREE_MEANS, summary.disagreements, limit, width, "magenta"),
        *_items("errors", "could not be read", summary.errors, limit, width, "red"),
        *_items("warnings", WARNING_MEANS, summary.warnings, limit, width, "yellow"),
    ]


def render(
    summary: RunSummary,
    console: Console,
    max_errors: int = 12,
    prices: Path | None = None,
    written: Written | None = None,
) -> None:
    width = console.width if console.is_terminal else None
    for part in report(summary, written=written, prices=prices, limit=max_errors, width=width):
        console.print(part, highlight=False, soft_wrap=width is None)


def _cost(summary: RunSummary, prices: Path | None) -> str:
    from extract.bulk.prices import estimate, load_prices

    table = load_prices(prices)
    # One model per run is the rule; the per-model split is not tracked beyond that.
    model = next(iter(summary.models)) if len(summary.models) == 1 else None
    usd = estimate(summary.usage, model, table)
    if usd is None:
        return "unknown (no price for this model; pass --prices FILE)"
    return f"${usd:,.4f} (from the price table; check your provider's current prices)"

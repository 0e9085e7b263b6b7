"""One record as an HTML section: what went wrong first, then the tables, facts and text.

A failed check is marked on every cell and fact it compares; hovering a mark says which
check and with what numbers. The eval report passes a :class:`Gold` overlay: its spans
(agreeing, false positive, missed) replace the plain fact marks, and its cell mismatches are
marked beside the checks.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from extract import outcome
from extract.record import Check, Fact, Problem, Record
from extract.view.cells import involved
from extract.view.tables import render_tables
from extract.view.text import Span, highlight

_e = html.escape

FAILED_MEANS = (
    "A failed check means the report's own numbers disagree: a table that does not add up, "
    "or a narrative figure the table contradicts. The values are as the report prints them; "
    "the marked cells are the ones compared."
)
DISAGREE_MEANS = (
    "With --method hybrid, the rules and the model found different values for these fields; "
    "this says nothing about the report itself: look at the evidence."
)


@dataclass
class Source:
    """The document text the record's offsets refer to, or why it is not available."""

    text: str | None
    note: str | None = None


@dataclass
class Gold:
    """What the eval report adds to a document: scored evidence and table mismatches."""

    spans: list[Span]
    cells: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    heading: str = ""


def _fact_tip(f: Fact) -> str:
    unit = f.unit or ""
    approx = " (approximate)" if f.approximate else ""
    return f"{f.field} = {f.value:g}{unit}{approx} · {f.method}"


def _marks(record: Record) -> tuple[dict[str, list[tuple[str, str]]], dict[str, tuple[str, str]]]:
    """Cell marks and, per narrative field, the worst mark of its facts."""
    cells: dict[str, list[tuple[str, str]]] = defaultdict(list)
    fields: dict[str, tuple[str, str]] = {}
    for kind, checks in (
        ("failed", outcome.failed_checks(record)),
        ("disagree", outcome.disagreements(record)),
    ):
        for check in checks:
            what = involved(check, record)
            why = f"{check.name}: {check.detail}"
            for cell in what.cells:
                cells[cell].append((kind, why))
            for name in what.fields:
                if name not in fields or fields[name][0] != "failed":
                    fields[name] = (kind, why)
    return cells, fields


def fact_spans(record: Record) -> list[Span]:
    _, fields = _marks(record)
    out = []
    for f in record.facts:
        cls, why = fields.get(f.field, ("fact", ""))
        out.append(Span(f.start, f.end, cls, _fact_tip(f) + (f" · {why}" if why else "")))
    return out


def _check_items(checks: Sequence[Check], cls: str) -> str:
    return "".join(
        f'<li class="{cls}"><code>{_e(c.name)}</code> {_e(c.detail)}</li>' for c in checks
    )


def _problem_items(problems: Sequence[Problem], cls: str) -> str:
    return "".join(
        f'<li class="{cls}"><code>{_e(p.where)}</code> {_e(p.message)}</li>' for p in problems
    )


def problems_html(record: Record) -> str:
    failed = outcome.failed_checks(record)
    disagree = outcome.disagreements(record)
    warnings = outcome.warnings(record)
    errors = outcome.errors(record)
    out = ['<section class="problems">']
    if failed:
        out.append(f"<h3>Failed checks ({len(failed)})</h3><p class='explain'>{FAILED_MEANS}</p>")
        out.append(f"<ul>{_check_items(failed, 'failed')}</ul>")
    if disagree:
        out.append(
            f"<h3>Rules and model disagree ({len(disagree)})</h3>"
            f"<p class='explain'>{_e(DISAGREE_MEANS)}</p>"
            f"<ul>{_check_items(disagree, 'disagree')}</ul>"
        )
    if errors:
        out.append(f"<h3>Errors ({len(errors)})</h3><ul>{_problem_items(errors, 'error')}</ul>")
    if warnings:
        out.append(
            f"<h3>Warnings ({len(warnings)})</h3><p class='explain'>Read in an unusual way; "
            f"the values are believed right, but worth a look.</p>"
            f"<ul>{_problem_items(warnings, 'warning')}</ul>"
        )
    if not (failed or disagree or errors or warnings):
        n = len(outcome.table_checks(record))
        out.append(f"<p class='ok'>All {n} checks hold; no warnings, no errors.</p>")
    out.append("</section>")
    return "".join(out)


def _facts_table(record: Record) -> str:
    if not record.facts:
        return "<p class='note'>No narrative facts found.</p>"
    _, fields = _marks(record)
    rows = [
        "<tr><th>field</th><th>value</th><th>unit</th><th>≈</th><th>method</th>"
        "<th>evidence</th><th>offsets</th></tr>"
    ]
    for f in record.facts:
        cls, why = fields.get(f.field, ("", ""))
        attrs = f' class="{cls}" title="{_e(why)}"' if cls else ""
        rows.append(
            f"<tr{attrs}><td>{_e(f.field)}</td><td>{f.value:g}</td><td>{_e(f.unit or '')}</td>"
            f"<td>{'≈' if f.approximate else ''}</td><td>{f.method}</td>"
            f"<td class='ev'>{_e(f.evidence)}</td><td>{f.start}–{f.end}</td></tr>"
        )
    return f"<table class='facts'>{''.join(rows)}</table>"


def _meta(record: Record) -> str:
    p = record.provenance
    parts = [
        f"source <code>{_e(record.source)}</code>",
        f"standard {record.format or 'unknown'}",
        f"method {_e(p.backend)}" + (f" ({_e(p.model)})" if p.model else ""),
        f"sha256 <code title='{_e(record.sha256)}'>{_e(record.sha256[:12])}…</code>",
    ]
    return f"<p class='meta'>{' · '.join(parts)}</p>"


def render_document(record: Record, source: Source, gold: Gold | None = None) -> str:
    cells, _ = _marks(record)
    if gold is not None:
        for name, marks in gold.cells.items():
            cells[name].extend(marks)
    heading = _e(outcome.label(record))
    if heading != _e(record.doc_id):
        heading += f" <small>{_e(record.doc_id)}</small>"
    out = [
        '<article class="doc">',
        "<nav><a href='#'>← all documents</a></nav>",
        f"<h2>{heading}</h2>",
        _meta(record),
    ]
    if gold is not None and gold.heading:
        out.append(f"<p class='score'>{gold.heading}</p>")
    if source.note:
        out.append(f"<p class='note bad'>{_e(source.note)}</p>")
    out.append(problems_html(record))
    out.append("<h3>Tables</h3>" + render_tables(record.tables, cells))
    out.append(f"<h3>Facts ({len(record.facts)})</h3>" + _facts_table(record))
    if source.text is not None:
        spans = gold.spans if gold is not None else fact_spans(record)
        out.append(f"<h3>Text</h3><div class='text'>{highlight(source.text, spans)}</div>")
    passed = [c for c in record.checks if c.ok]
    if passed:
        out.append(
            f"<details><summary>Checks that hold ({len(passed)})</summary>"
            f"<ul>{_check_items(passed, 'passed')}</ul></details>"
        )
    out.append("</article>")
    return "".join(out)

"""A CorpusReport for people: tables in the terminal, and one self-contained HTML page.

The page needs no server and no other file; every finding has a stable anchor
(``#carry-1``, ``#anomaly-2``, ``#near-3``, ``#dup-1``) so that a viewer can link to it, and
given a `nianbao view` page, every document links to its place there (``page#doc_id``).
"""

from __future__ import annotations

import html
from difflib import SequenceMatcher
from functools import partial
from urllib.parse import quote

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from extract.corpus.findings import CorpusReport, DocRef, NearDuplicate


def _who(ref: DocRef) -> str:
    return f"{ref.doc_id} ({ref.year})"


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    return table


def render_terminal(report: CorpusReport, console: Console, limit: int = 20) -> None:
    t = report.totals
    console.print(
        f"[bold]nianbao corpus check[/bold]: {t.records} records, {t.grouped} grouped under "
        f"{t.issuers} issuers, {t.narratives} narratives compared "
        f"({t.lsh_candidates} LSH candidates)"
    )
    sections = [
        ("carry-over", len(report.carry_over)),
        ("anomalies", len(report.anomalies)),
        ("near-duplicate narratives", len(report.near_duplicates)),
        ("duplicate inputs", len(report.duplicate_inputs)),
    ]
    console.print(", ".join(f"{name}: {n}" for name, n in sections))
    if report.carry_over:
        table = _table(
            "Carry-over mismatches", "issuer", "table", "N-1", "N-1 forward", "N", "N over"
        )
        for c in report.carry_over[:limit]:
            table.add_row(
                c.issuer_key,
                c.table,
                _who(c.previous),
                str(c.previous_value),
                _who(c.current),
                str(c.current_value),
            )
        console.print(table)
    if report.anomalies:
        table = _table("Year-over-year anomalies", "issuer", "kind", "years", "detail")
        for a in report.anomalies[:limit]:
            table.add_row(a.issuer_key, a.kind, f"{a.previous.year}→{a.current.year}", a.detail)
        console.print(table)
    if report.near_duplicates:
        table = _table(
            "Near-duplicate narratives",
            "kind",
            "a",
            "b",
            "similarity",
            "shared",
            "longest shared passage",
        )
        for n in report.near_duplicates[:limit]:
            first = n.passages[0].b_text if n.passages else ""
            table.add_row(
                n.kind,
                f"{n.a.issuer} {_who(n.a)}",
                f"{n.b.issuer} {_who(n.b)}",
                f"{n.similarity:.2f}",
                "" if n.shared is None else f"{n.shared:.0%}",
                _clip(first, 60),
            )
        console.print(table)
    if report.duplicate_inputs:
        table = _table("Duplicate inputs", "kind", "documents", "detail")
        for d in report.duplicate_inputs[:limit]:
            table.add_row(d.kind, "\n".join(r.source for r in d.documents), d.detail)
        console.print(table)
    if report.identities:
        table = _table("Issuers known under several names", "key", "names", "how")
        for i in report.identities[:limit]:
            table.add_row(i.key, " / ".join(i.names), i.how)
        console.print(table)
    for amb in report.ambiguous[:limit]:
        console.print(
            f"[yellow]ambiguous issuer[/yellow] {amb.name}: could be "
            f"{' or '.join(amb.candidates)}; settle it in --issuer-map"
        )
    for issue in [*report.ungrouped, *report.sources][:limit]:
        console.print(f"[yellow]{escape(issue.doc.source)}[/yellow]: {escape(issue.message)}")
    hidden = max(0, len(report.ungrouped) + len(report.sources) - limit)
    if hidden or any(
        len(x) > limit for x in (report.carry_over, report.anomalies, report.near_duplicates)
    ):
        console.print(f"(first {limit} of each shown; --json or --html has them all)")


def _clip(text: str, n: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[: n - 1] + "…"


# ---- HTML -------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:2rem;color:#222}
h1{font-size:1.4rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0} td,th{border:1px solid #ddd;padding:.3rem .5rem;
vertical-align:top;text-align:left} th{background:#f4f4f4}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem;margin:.4rem 0}
.pair div{background:#fafafa;border:1px solid #e4e4e4;padding:.5rem;white-space:pre-wrap;
font-size:.92rem;line-height:1.5} mark{background:#ffe08a}
.meta{color:#666;font-size:.9rem} section.finding{margin-bottom:1.5rem}
"""


def _e(value: object) -> str:
    return html.escape(str(value))


def _marked(a: str, b: str) -> tuple[str, str]:
    """Both passages with what differs between them marked (the changed numbers, names)."""
    out_a: list[str] = []
    out_b: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        left, right = _e(a[i1:i2]), _e(b[j1:j2])
        if op == "equal":
            out_a.append(left)
            out_b.append(right)
        else:
            out_a.append(f"<mark>{left}</mark>" if left else "")
            out_b.append(f"<mark>{right}</mark>" if right else "")
    return "".join(out_a), "".join(out_b)


_URI_SAFE = "-_.!~*'()"  # what encodeURIComponent leaves as it is


def _ref_html(ref: DocRef, view: str | None = None) -> str:
    if view:
        # The viewer's anchors are encodeURIComponent(doc_id); quote with its safe set.
        link = view + "#" + quote(ref.doc_id, safe=_URI_SAFE)
        return (
            f'<b>{_e(ref.issuer)}</b> {_e(ref.year)}<br><span class=meta><a href="{_e(link)}">'
            f"{_e(ref.doc_id)}</a> · {_e(ref.source)}</span>"
        )
    return (
        f"<b>{_e(ref.issuer)}</b> {_e(ref.year)}<br><span class=meta>{_e(ref.doc_id)} · "
        f"{_e(ref.source)}</span>"
    )


def _near(n: NearDuplicate, anchor: str, view: str | None) -> str:
    shared = "" if n.shared is None else f", {n.shared:.0%} of the shorter narrative shared"
    parts = [
        f'<section class=finding id="{anchor}"><h3>{_e(n.kind)}: similarity '
        f"{n.similarity:.2f}{shared}</h3>",
        f"<div class=pair><div>{_ref_html(n.a, view)}</div><div>{_ref_html(n.b, view)}</div></div>",
    ]
    for p in n.passages:
        left, right = _marked(p.a_text, p.b_text)
        parts.append(f"<div class=pair><div>{left}</div><div>{right}</div></div>")
    if not n.passages:
        parts.append("<p class=meta>Passages not computed (raise --passages).</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _rows(headers: list[str], rows: list[tuple[str, list[str]]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        f'<tr id="{anchor}">' + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"
        for anchor, cells in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def render_html(report: CorpusReport, view: str | None = None) -> str:
    """The page; ``view`` is where a `nianbao view` page of the same records is, as the
    browser will reach it from this page (a relative path or a URL)."""
    _ref = partial(_ref_html, view=view)
    t = report.totals
    out = [
        "<!doctype html><html lang=zh><head><meta charset=utf-8>",
        "<title>nianbao corpus check</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>nianbao corpus check</h1>",
        f"<p class=meta>{t.records} records from {_e(', '.join(report.inputs))}; "
        f"{t.grouped} grouped under {t.issuers} issuers; {t.narratives} narratives compared.</p>",
    ]
    out.append(f"<h2 id=carry-over>Carry-over mismatches ({len(report.carry_over)})</h2>")
    out.append(
        _rows(
            ["issuer", "table", "year N-1", "carried forward", "year N", "carried over", "detail"],
            [
                (
                    f"carry-{i}",
                    [
                        _e(c.issuer_key),
                        _e(c.table),
                        _ref(c.previous),
                        _e(c.previous_value),
                        _ref(c.current),
                        _e(c.current_value),
                        _e(c.detail),
                    ],
                )
                for i, c in enumerate(report.carry_over, 1)
            ],
        )
    )
    out.append(f"<h2 id=anomalies>Year-over-year anomalies ({len(report.anomalies)})</h2>")
    out.append(
        _rows(
            ["issuer", "kind", "year N-1", "year N", "detail"],
            [
                (
                    f"anomaly-{i}",
                    [_e(a.issuer_key), _e(a.kind), _ref(a.previous), _ref(a.current), _e(a.detail)],
                )
                for i, a in enumerate(report.anomalies, 1)
            ],
        )
    )
    out.append(
        f"<h2 id=near-duplicates>Near-duplicate narratives ({len(report.near_duplicates)})</h2>"
    )
    out.append("<p class=meta>Shared passages side by side; what differs is marked.</p>")
    out += [_near(n, f"near-{i}", view) for i, n in enumerate(report.near_duplicates, 1)]
    out.append(f"<h2 id=duplicates>Duplicate inputs ({len(report.duplicate_inputs)})</h2>")
    out.append(
        _rows(
            ["kind", "documents", "detail"],
            [
                (f"dup-{i}", [_e(d.kind), "<br>".join(_ref(r) for r in d.documents), _e(d.detail)])
                for i, d in enumerate(report.duplicate_inputs, 1)
            ],
        )
    )
    out.append(f"<h2 id=issuers>Issuers known under several names ({len(report.identities)})</h2>")
    out.append(
        _rows(
            ["key", "names", "how", "documents"],
            [
                (
                    f"issuer-{i}",
                    [_e(x.key), "<br>".join(map(_e, x.names)), _e(x.how), _e(x.documents)],
                )
                for i, x in enumerate(report.identities, 1)
            ]
            + [
                (
                    f"ambiguous-{i}",
                    [
                        _e(a.name),
                        "<br>".join(map(_e, a.candidates)),
                        "ambiguous: settle it in --issuer-map",
                        "",
                    ],
                )
                for i, a in enumerate(report.ambiguous, 1)
            ],
        )
    )
    issues = [*report.ungrouped, *report.sources]
    out.append(f"<h2 id=problems>Records not checked ({len(issues)})</h2>")
    out.append(
        _rows(
            ["document", "why"],
            [(f"problem-{i}", [_ref(x.doc), _e(x.message)]) for i, x in enumerate(issues, 1)],
        )
    )
    out.append("</body></html>\n")
    return "\n".join(out)

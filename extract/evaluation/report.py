"""A self-contained HTML report of one eval run, for a person to read offline.

Each document's text is shown with gold and predicted evidence highlighted: green where they
agree, red for a false positive, amber for a miss; hovering a mark names the fact and the rule
that decided it.
"""

from __future__ import annotations

import html
from typing import Any

from extract.textnorm import find_verbatim, normalise

_CSS = """
body{font:14px/1.6 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;
color:#222;background:#fff}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;
text-align:right}td:first-child,th:first-child{text-align:left}
.text{white-space:pre-wrap;background:#fafafa;border:1px solid #eee;padding:1em;
max-height:40em;overflow:auto}
mark{padding:0 1px;border-radius:2px}mark.tp{background:#b7e4c7}
mark.fp{background:#ffb3b3;outline:2px solid #d00}mark.miss{background:#ffe08a;
outline:2px dashed #b80}.legend mark{margin-right:1em}.bad{color:#b00;font-weight:bold}
"""


def _spans(doc: dict[str, Any], text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, class, tooltip) of every highlighted piece of evidence."""
    out = []
    for tp in doc["true_positives"]:
        out.append((tp["start"], tp["end"], "tp", f"✓ {tp['field']}={tp['value']}: {tp['rule']}"))
        gold = find_verbatim(text, normalise(tp["gold_evidence"]))
        if gold and gold != (tp["start"], tp["end"]):
            out.append((*gold, "tp", f"gold {tp['field']}={tp['value']}"))
    for fp in doc["false_positives"]:
        out.append((fp["start"], fp["end"], "fp", f"✗ {fp['field']}={fp['value']}: {fp['rule']}"))
    for miss in doc["misses"]:
        span = find_verbatim(text, normalise(miss["evidence"]))
        if span:
            out.append((*span, "miss", f"missed {miss['field']}={miss['value']}"))
    return [s for s in out if 0 <= s[0] < s[1] <= len(text)]


def highlight(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """The text as HTML with every span marked; overlapping spans take the worst class."""
    rank = {"fp": 3, "miss": 2, "tp": 1}
    marks: list[tuple[str, str] | None] = [None] * len(text)
    for start, end, cls, tip in spans:
        for i in range(start, end):
            current = marks[i]
            if current is None or rank[cls] > rank[current[0]]:
                marks[i] = (cls, tip)
            elif current[0] == cls and tip not in current[1]:
                marks[i] = (cls, f"{current[1]}; {tip}")
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and marks[j] == marks[i]:
            j += 1
        chunk = html.escape(text[i:j])
        mark = marks[i]
        if mark is None:
            out.append(chunk)
        else:
            out.append(f'<mark class="{mark[0]}" title="{html.escape(mark[1])}">{chunk}</mark>')
        i = j
    return "".join(out)


def _score_table(summary: dict[str, Any]) -> str:
    rows = [
        "<tr><th>field</th><th>P</th><th>R</th><th>F1</th><th>tp</th><th>fp</th><th>fn</th></tr>"
    ]
    items = [*summary["per_field"].items(), ("micro", summary["micro"])]
    for name, c in items:
        rows.append(
            f"<tr><td>{html.escape(name)}</td><td>{c['precision']:.3f}</td>"
            f"<td>{c['recall']:.3f}</td><td>{c['f1']:.3f}</td><td>{c['tp']}</td>"
            f"<td>{c['fp']}</td><td>{c['fn']}</td></tr>"
        )
    return f"<table>{''.join(rows)}</table>"


def render_report(result: dict[str, Any], texts: dict[str, str], title: str) -> str:
    s = result["summary"]
    parts = [
        f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{s['documents']} documents · micro F1 <b>{s['micro']['f1']:.3f}</b> · grounding "
        f"{s['grounding']} · approximate-flag agreement {s['approximate_agreement']} · table "
        f"cells {s['table_cells']['correct']}/{s['table_cells']['total']}</p>",
        "<p class='legend'><mark class='tp'>gold and predicted agree</mark>"
        "<mark class='fp'>false positive</mark><mark class='miss'>missed gold fact</mark></p>",
        _score_table(s),
    ]
    if s["missing_documents"]:
        parts.append(
            f"<p class='bad'>missing documents: "
            f"{html.escape(', '.join(s['missing_documents']))}</p>"
        )
    for doc in result["documents"]:
        text = texts.get(doc["doc_id"], "")
        parts.append(
            f"<h2 id='{html.escape(doc['doc_id'])}'>{html.escape(doc['doc_id'])} — "
            f"F1 {doc['f1']:.3f} (tp {doc['tp']}, fp {doc['fp']}, fn {doc['fn']}), "
            f"table cells {doc['tables']['correct']}/{doc['tables']['cells']}</h2>"
        )
        for cell in doc["tables"]["mismatches"]:
            parts.append(
                f"<p class='bad'>{html.escape(cell['cell'])}: gold "
                f"{cell['gold']}, predicted {cell['predicted']}</p>"
            )
        parts.append(f"<div class='text'>{highlight(text, _spans(doc, text))}</div>")
    parts.append("</body></html>\n")
    return "\n".join(parts)

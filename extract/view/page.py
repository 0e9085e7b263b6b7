"""One self-contained HTML file per run: a sortable index, and every document behind it.

Each document's HTML is embedded gzip-compressed (base64) and opened on demand
(``#<doc_id>``) with the browser's own DecompressionStream, so a run of a few thousand
reports stays a file of tens of megabytes whose index opens at once, instead of a page with
millions of elements. No external assets, no network.
"""

from __future__ import annotations

import base64
import gzip
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from extract import outcome
from extract.record import Record

_e = html.escape

CSS = """
body{font:14px/1.6 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em 2em;
color:#222;background:#fff}
h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.3em;margin:.3em 0}h2 small{color:#777;
font-weight:normal;font-size:.7em;margin-left:.6em}h3{font-size:1.05em;margin:1.4em 0 .4em}
code{font-size:.92em}.meta,.explain{color:#555}.explain{margin:.2em 0;font-size:.92em}
table{border-collapse:collapse;margin:.6em 0 1.2em}td,th{border:1px solid #bbb;padding:2px 6px}
td{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3;font-weight:normal}
th.label{text-align:left;background:#fafafa;max-width:26em}
caption{text-align:left;font-weight:bold;padding:.2em 0}
table.t td{min-width:2.6em}table.applications th{min-width:3.2em}
table.scores td:first-child{text-align:left}mark.fact+mark.fact{margin-left:2px}
table.review th{font-size:.9em}
td.null{color:#aaa}
td.failed{background:#ffc9c9;outline:2px solid #d00;outline-offset:-2px;font-weight:bold;
color:#900}
td.disagree{background:#e9dcff}
td.mismatch{background:#f7d6f7;outline:2px dashed #a0a;outline-offset:-3px}
ul{margin:.2em 0;padding-left:1.4em}li.failed{color:#900}li.error{color:#900}
li.warning{color:#8a5a00}li.disagree{color:#5a2ca0}li.passed{color:#555}
.ok{color:#17692f}.note{color:#555;font-style:italic}.bad{color:#b00;font-weight:bold}
.problems{border-left:4px solid #ddd;padding-left:1em}
table.facts td{text-align:left}table.facts td.ev{max-width:40em}
tr.failed td{background:#ffe3e3}tr.disagree td{background:#f1e9ff}
.text{white-space:pre-wrap;background:#fafafa;border:1px solid #eee;padding:1em;
max-height:44em;overflow:auto}
mark{padding:0 1px;border-radius:2px}mark.fact{background:#cfe3ff}
mark.failed{background:#ffc9c9;outline:2px solid #d00}mark.disagree{background:#e9dcff}
mark.tp{background:#b7e4c7}mark.fp{background:#ffb3b3;outline:2px solid #d00}
mark.miss{background:#ffe08a;outline:2px dashed #b80}
.legend mark,.legend span{margin-right:1em}
table.index th{cursor:pointer;user-select:none;white-space:nowrap}
table.index th[aria-sort=ascending]::after{content:" ▲"}
table.index th[aria-sort=descending]::after{content:" ▼"}
table.index td{text-align:right}table.index td.l{text-align:left}
table.index tr.failed td.n-failed{background:#ffc9c9;color:#900;font-weight:bold}
table.index td.n-errors.some{color:#900;font-weight:bold}
table.index td.n-warnings.some{color:#8a5a00}
"""

JS = """
const docs=new Map();
document.querySelectorAll('script[data-doc]').forEach(s=>docs.set(s.dataset.doc,s));
async function inflate(b64){
  const bytes=Uint8Array.from(atob(b64.trim()),c=>c.charCodeAt(0));
  const stream=new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return await new Response(stream).text();
}
async function route(){
  const id=decodeURIComponent(location.hash.slice(1));
  const view=document.getElementById('view'),index=document.getElementById('index');
  const source=docs.get(id);
  if(!source){view.hidden=true;view.innerHTML='';index.hidden=false;return;}
  try{view.innerHTML=await inflate(source.textContent);}
  catch(e){view.innerHTML='<p class="bad">This browser cannot open the document ('
    +e+'); use a recent Chromium, Firefox or Safari.</p>';}
  neighbours(view.querySelector('nav'),id);
  index.hidden=true;view.hidden=false;window.scrollTo(0,0);
}
function neighbours(nav,id){
  // previous and next in the index's current order (sort it by failed checks, then step)
  if(!nav)return;
  const ids=[...document.querySelectorAll('table.index tbody a')]
    .map(a=>decodeURIComponent(a.hash.slice(1)));
  const i=ids.indexOf(id),link=(j,text)=>{const a=document.createElement('a');
    a.href='#'+encodeURIComponent(ids[j]);a.textContent=text;nav.append(' · ',a);};
  if(i>0)link(i-1,'‹ previous');
  if(i>=0&&i<ids.length-1)link(i+1,'next ›');
}
function sortBy(th,asc=th.getAttribute('aria-sort')!=='ascending'){
  const table=th.closest('table'),body=table.tBodies[0],col=th.cellIndex;
  table.querySelectorAll('th').forEach(h=>h.removeAttribute('aria-sort'));
  th.setAttribute('aria-sort',asc?'ascending':'descending');
  const key=r=>{const c=r.cells[col],v=c.dataset.sort??c.textContent;
    return v!==''&&!isNaN(v)?Number(v):v;};
  const rows=[...body.rows].sort((a,b)=>{const x=key(a),y=key(b);
    const d=typeof x===typeof y?(x<y?-1:x>y?1:0):(typeof x==='number'?-1:1);
    return asc?d:-d;});
  body.append(...rows);
}
document.querySelectorAll('table.index thead th').forEach(th=>th.onclick=()=>sortBy(th));
// The worst first: most failed checks at the top (ties keep the run's order).
const worst=document.querySelector('table.index thead th.by-failed');
if(worst)sortBy(worst,false);
window.addEventListener('hashchange',route);route();
"""


@dataclass
class Entry:
    """One document of a page: its record, its rendered section and its text status."""

    record: Record
    html: str
    text: str  # "yes", "gone", "changed" or "none"
    extra: dict[str, str | float | int] = field(default_factory=dict)  # eval columns


def embed(fragment: str) -> str:
    return base64.b64encode(gzip.compress(fragment.encode("utf-8"), mtime=0)).decode("ascii")


_EMBEDDED = re.compile(r'<script type="application/x-nianbao-doc" data-doc="([^"]*)">([^<]*)<')


def embedded_documents(page: str) -> dict[str, str]:
    """doc_id → HTML of every document embedded in a page (the inverse of :func:`embed`)."""
    return {
        html.unescape(doc): gzip.decompress(base64.b64decode(data)).decode("utf-8")
        for doc, data in _EMBEDDED.findall(page)
    }


_COLUMNS = (
    ("document", "l"),
    ("doc_id", "l"),
    ("year", ""),
    ("standard", ""),
    ("facts", ""),
    ("failed checks", "n-failed"),
    ("disagreements", ""),
    ("warnings", "n-warnings"),
    ("errors", "n-errors"),
    ("text", "l"),
)


def _index_row(entry: Entry, extra: Sequence[str]) -> str:
    r = entry.record
    failed = len(outcome.failed_checks(r))
    warnings = len(outcome.warnings(r))
    errors = len(outcome.errors(r))
    link = f"<a href='#{_e(quote(r.doc_id))}'>{_e(r.issuer or r.doc_id)}</a>"
    values: list[tuple[str, str | int | float, str]] = [
        (link, r.issuer or r.doc_id, "l"),
        (_e(r.doc_id), r.doc_id, "l"),
        (str(r.year or ""), r.year or "", ""),
        (r.format or "", r.format or "", ""),
        (str(len(r.facts)), len(r.facts), ""),
        (str(failed), failed, "n-failed"),
        (str(len(outcome.disagreements(r))), len(outcome.disagreements(r)), ""),
        (str(warnings), warnings, "n-warnings" + (" some" if warnings else "")),
        (str(errors), errors, "n-errors" + (" some" if errors else "")),
        (entry.text, entry.text, "l"),
    ]
    for name in extra:
        v = entry.extra.get(name, "")
        values.append((f"{v:.3f}" if isinstance(v, float) else _e(str(v)), v, ""))
    cells = "".join(
        f"<td class='{cls}' data-sort='{_e(str(key))}'>{shown}</td>"
        if cls
        else f"<td data-sort='{_e(str(key))}'>{shown}</td>"
        for shown, key, cls in values
    )
    return f"<tr class='{'failed' if failed else ''}'>{cells}</tr>"


@dataclass
class _Totals:
    documents: int = 0
    failed_documents: int = 0
    failed: int = 0
    warnings: int = 0
    errors: int = 0
    disagreements: int = 0

    def add(self, r: Record) -> None:
        failed = len(outcome.failed_checks(r))
        self.documents += 1
        self.failed_documents += bool(failed)
        self.failed += failed
        self.warnings += len(outcome.warnings(r))
        self.errors += len(outcome.errors(r))
        self.disagreements += len(outcome.disagreements(r))

    def html(self) -> str:
        parts = [
            f"{self.documents} documents",
            f"<span class='{'bad' if self.failed else ''}'>{self.failed} failed checks in "
            f"{self.failed_documents} documents</span>",
            f"{self.warnings} warnings",
            f"{self.errors} errors",
        ]
        if self.disagreements:
            parts.append(f"{self.disagreements} rules-vs-model disagreements")
        return "<p>" + " · ".join(parts) + "</p>"


def render_page(
    title: str,
    entries: Iterable[Entry],
    intro: str = "",
    extra_columns: Sequence[str] = (),
) -> str:
    """The page: the index (``#``) and every document (``#<doc_id>``). Entries are read
    once, so a generator keeps only compressed documents in memory."""
    heads = "".join(
        f"<th class='by-failed'>{_e(name)}</th>" if cls == "n-failed" else f"<th>{_e(name)}</th>"
        for name, cls in _COLUMNS
    )
    heads += "".join(f"<th>{_e(name)}</th>" for name in extra_columns)
    totals, rows, embedded = _Totals(), [], []
    for e in entries:
        totals.add(e.record)
        rows.append(_index_row(e, extra_columns))
        embedded.append(
            f'<script type="application/x-nianbao-doc" data-doc="{_e(e.record.doc_id)}">'
            f"{embed(e.html)}</script>"
        )
    documents = "\n".join(embedded)
    return (
        "<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>"
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        f"<main id='index'><h1>{_e(title)}</h1>{totals.html()}{intro}"
        "<p class='explain'>Documents with the most failed checks come first. Click a "
        "document to open it, a column heading to sort. A failed check means the report's own "
        "numbers disagree.</p>"
        "<noscript><p class='bad'>Opening documents needs JavaScript.</p></noscript>"
        f"<table class='index'><thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody>"
        "</table>"
        "</main><main id='view' hidden></main>\n"
        f"{documents}\n<script>{JS}</script></body></html>\n"
    )

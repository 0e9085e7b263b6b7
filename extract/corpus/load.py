"""Records in, one compact summary per record out: what the cross-report checks need.

A corpus of 100,000 records does not fit in memory as records; a summary keeps the
identity of the document and the few table rows the checks compare (about 1 KB).
Records are read by :mod:`extract.record_files` (run stores read-only: checking a corpus
never writes to it).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from extract.record import Record, Tables

Row = tuple[float | int | None, ...]


@dataclass(frozen=True)
class Summary:
    doc_id: str
    source: str
    sha256: str
    issuer: str | None
    year: int | None
    format: str | None
    carried_over: Row | None  # 上年结转 row, by applicant column
    carried_forward: Row | None  # 结转下年度继续办理 row
    new_received: float | int | None
    granted: float | int | None
    processed: float | int | None  # (七)总计
    pending: dict[str, tuple[float | int | None, float | int | None]]  # group → (pending, total)
    table_hashes: dict[str, str]  # table → hash of its cells (identical-table detection)
    nonzero: dict[str, int]  # table → cells that are neither 0 nor empty
    largest: dict[str, float | int]  # table → its largest cell
    unreadable: bool


def _cells(value: object) -> list[float | int | None]:
    if isinstance(value, dict):
        return [c for k in sorted(value) for c in _cells(value[k])]
    if isinstance(value, list):
        return [c for v in value for c in _cells(v)]
    return [value] if isinstance(value, int | float) or value is None else []


def summarise(record: Record) -> Summary:
    tables: Tables = record.tables
    apps = tables.applications
    rows = apps.rows if apps is not None else {}

    def total(key: str) -> float | int | None:
        row = rows.get(key)
        return row[-1] if row else None

    pending = {}
    if tables.review_litigation is not None:
        for group, row in tables.review_litigation:
            pending[group] = (row.pending, row.total)
    dumped = tables.model_dump()
    hashes: dict[str, str] = {}
    nonzero: dict[str, int] = {}
    largest: dict[str, float | int] = {}
    for key, value in dumped.items():
        if value is None:
            continue
        cells = _cells(value["rows"] if key == "applications" else value)
        hashes[key] = hashlib.sha1(json.dumps(cells).encode()).hexdigest()
        nonzero[key] = sum(1 for c in cells if c)
        largest[key] = max((c for c in cells if c is not None), default=0)
    return Summary(
        doc_id=record.doc_id,
        source=record.source,
        sha256=record.sha256,
        issuer=record.issuer,
        year=record.year,
        format=record.format,
        carried_over=tuple(rows["carried_over"]) if "carried_over" in rows else None,
        carried_forward=tuple(rows["carried_forward"]) if "carried_forward" in rows else None,
        new_received=total("new_received"),
        granted=total("granted"),
        processed=total("total_processed"),
        pending=pending,
        table_hashes=hashes,
        nonzero=nonzero,
        largest=largest,
        unreadable=record.unreadable,
    )

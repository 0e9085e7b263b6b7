"""Records in, one compact summary per record out: what the cross-report checks need.

A corpus of 100,000 records does not fit in memory as records; a summary keeps the
identity of the document and the few table rows the checks compare (about 1 KB).
Run stores are opened read-only: checking a corpus never writes to it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from extract.errors import NianbaoError
from extract.record import Record, Tables

Row = tuple[float | int | None, ...]


class CorpusInputError(NianbaoError):
    """A records file or run store that cannot be read."""


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


def _from_store(path: Path) -> Iterator[Record]:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        columns = {row[1] for row in db.execute("PRAGMA table_info(documents)")}
    except sqlite3.Error as exc:
        raise CorpusInputError(f"{path}: cannot open the run store read-only: {exc}") from exc
    if not {"record", "stage", "source"} <= columns:
        db.close()
        raise CorpusInputError(
            f"{path}: a SQLite file, but not a run store (no documents table with records); "
            "make one with `nianbao extract … --store FILE`"
        )
    try:
        rows = db.execute(
            "SELECT source, record FROM documents WHERE stage = 'record' ORDER BY source"
        )
        for source, raw in rows:
            try:
                yield Record.model_validate_json(raw)
            except ValidationError as exc:
                raise CorpusInputError(f"{path}: the record of {source} is invalid: {exc}") from exc
    finally:
        db.close()


def _from_jsonl(path: Path) -> Iterator[Record]:
    with path.open("r", encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield Record.model_validate_json(line)
                except ValidationError as exc:
                    raise CorpusInputError(f"{path}:{n}: not a record: {exc}") from exc


def read_records(path: Path) -> Iterator[Record]:
    """Records from a run store (SQLite) or a JSON Lines file, one at a time."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise CorpusInputError(f"{path}: cannot read: {exc.strerror}") from exc
    if head.startswith(b"SQLite format 3"):
        yield from _from_store(path)
    else:
        yield from _from_jsonl(path)

"""Records as tables analysts can query: one row per fact, one per table cell, and a wide
one-row-per-report table, written as CSV, Parquet, SQLite or DuckDB.

The rows are built once (pure functions below); each format is a thin writer.
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from extract import catalogue
from extract.errors import NianbaoError
from extract.evaluation.gold import table_cells
from extract.record import Record
from extract.tables.standard import APPLICANT_COLUMNS

Row = dict[str, Any]
FORMATS = ("csv", "parquet", "sqlite", "duckdb")


class ExportError(NianbaoError):
    pass


def _who(r: Record) -> Row:
    return {"doc_id": r.doc_id, "source": r.source, "issuer": r.issuer, "year": r.year}


def fact_rows(records: Iterable[Record]) -> list[Row]:
    return [
        {
            **_who(r),
            "field": f.field,
            "value": f.value,
            "unit": f.unit,
            "approximate": f.approximate,
            "evidence": f.evidence,
            "start": f.start,
            "end": f.end,
            "method": f.method,
        }
        for r in records
        for f in r.facts
    ]


def cell_rows(records: Iterable[Record]) -> list[Row]:
    rows = []
    for r in records:
        for path, value in table_cells(r.tables).items():
            table, rest = path.split(".", 1)
            if table == "applications":  # applications.rows.granted[6]
                key, index = rest.removeprefix("rows.").rstrip("]").split("[")
                row, column = key, APPLICANT_COLUMNS[int(index)]
            else:
                row, column = rest.rsplit(".", 1)
            rows.append(
                {
                    **_who(r),
                    "format": r.format,
                    "table": table,
                    "row": row,
                    "column": column,
                    "value": value,
                }
            )
    return rows


def report_rows(records: Iterable[Record]) -> list[Row]:
    fields = catalogue.field_ids()
    rows = []
    for r in records:
        row: Row = {
            **_who(r),
            "sha256": r.sha256,
            "format": r.format,
            "facts": len(r.facts),
            "errors": len(r.errors),
            "checks_failed": sum(not c.ok for c in r.checks),
        }
        for field in fields:
            values = [f.value for f in r.facts if f.field == field]
            row[field] = values[0] if values else None  # the first mention
            row[f"{field}_all"] = "; ".join(f"{v:g}" for v in values) or None
        for cell in cell_rows([r]):
            row[f"{cell['table']}.{cell['row']}.{cell['column']}"] = cell["value"]
        rows.append(row)
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return [{c: row.get(c) for c in columns} for row in rows]  # one column set for all


def _csv(tables: dict[str, list[Row]], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        path = out / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel reads it
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["doc_id"])
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    return written


def _parquet(tables: dict[str, list[Row]], out: Path) -> list[Path]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ExportError("Parquet needs pyarrow: pip install 'nianbao[export]'") from exc
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        path = out / f"{name}.parquet"
        pq.write_table(pa.Table.from_pylist(rows), path)
        written.append(path)
    return written


def _sql_type(values: list[Any]) -> str:
    # Counts stay integers and flags booleans: a reader should not get 1.0 for one training.
    kinds = {type(v) for v in values if v is not None}
    if kinds and kinds <= {bool}:
        return "BOOLEAN"
    if kinds <= {int}:
        return "BIGINT"
    if kinds <= {int, float}:
        return "DOUBLE"
    return "TEXT"


def _write_sql(connect: Callable[[], Any], tables: dict[str, list[Row]], mark: str) -> None:
    db = connect()
    try:
        for name, rows in tables.items():
            columns = list(rows[0]) if rows else ["doc_id"]
            types = {c: _sql_type([row.get(c) for row in rows]) for c in columns}
            db.execute(f'DROP TABLE IF EXISTS "{name}"')
            db.execute(
                f'CREATE TABLE "{name}" (' + ", ".join(f'"{c}" {types[c]}' for c in columns) + ")"
            )
            if rows:
                holes = ", ".join([mark] * len(columns))
                db.executemany(
                    f'INSERT INTO "{name}" VALUES ({holes})',
                    [tuple(row[c] for c in columns) for row in rows],
                )
        db.commit()
    finally:
        db.close()


def _sqlite(tables: dict[str, list[Row]], out: Path) -> list[Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    _write_sql(lambda: sqlite3.connect(out), tables, "?")
    return [out]


def _duckdb(tables: dict[str, list[Row]], out: Path) -> list[Path]:
    try:
        import duckdb
    except ImportError as exc:
        raise ExportError("DuckDB needs duckdb: pip install 'nianbao[export]'") from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    _write_sql(lambda: duckdb.connect(str(out)), tables, "?")
    return [out]


WRITERS: dict[str, Callable[[dict[str, list[Row]], Path], list[Path]]] = {
    "csv": _csv,
    "parquet": _parquet,
    "sqlite": _sqlite,
    "duckdb": _duckdb,
}


def export(records: list[Record], fmt: str, out: Path) -> list[Path]:
    if fmt not in WRITERS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    tables = {
        "facts": fact_rows(records),
        "cells": cell_rows(records),
        "reports": report_rows(records),
    }
    return WRITERS[fmt](tables, out)

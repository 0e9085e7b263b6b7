"""Exports open in pandas and DuckDB and hold the same numbers as the records."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from extract.cli import main
from extract.evaluation.runner import read_records


@pytest.fixture(scope="module")
def records_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exp") / "records.jsonl"
    result = CliRunner().invoke(main, ["extract", "-q", str(FIXTURES), "-o", str(out)])
    assert result.exit_code == 0
    return out


def _export(source: Path, fmt: str, out: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(source), "--to", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output


def _check_frames(
    facts: pd.DataFrame, cells: pd.DataFrame, reports: pd.DataFrame, records_file: Path
) -> None:
    records = read_records(records_file)
    assert len(facts) == sum(len(r.facts) for r in records)
    assert len(reports) == len(records)
    by_doc = {r.doc_id: r for r in records}
    luozhuang = by_doc["luozhuang-2024"]
    row = reports.set_index("doc_id").loc["luozhuang-2024"]
    assert row["applications.new_received.total"] == 275
    assert row["review_litigation.reconsideration.total"] == 25
    assert row["active_disclosure.administrative_fees.amount_10k_yuan"] == 763.395741
    assert row["open_day_events"] == 8 and row["trainings_all"] == "3; 27"
    granted = cells[
        (cells.doc_id == "linyi-2023")
        & (cells.table == "applications")
        & (cells.row == "granted")
        & (cells.column == "total")
    ]
    assert granted.value.tolist() == [2116]
    open_days = facts[(facts.doc_id == "luozhuang-2024") & (facts.field == "open_day_events")]
    assert open_days.evidence.tolist() == [
        f.evidence for f in luozhuang.facts if f.field == "open_day_events"
    ]
    total = sum(
        c
        for r in records
        if r.tables.applications
        for c in r.tables.applications.rows["total_processed"][6:7]
        if c
    )
    assert cells[(cells.row == "total_processed") & (cells.column == "total")].value.sum() == total


def test_csv_and_parquet_in_pandas(records_file: Path, tmp_path: Path) -> None:
    _export(records_file, "csv", tmp_path / "csv")
    _check_frames(
        *(
            pd.read_csv(tmp_path / "csv" / f"{n}.csv", encoding="utf-8-sig")
            for n in ("facts", "cells", "reports")
        ),
        records_file,
    )
    _export(records_file, "parquet", tmp_path / "pq")
    _check_frames(
        *(pd.read_parquet(tmp_path / "pq" / f"{n}.parquet") for n in ("facts", "cells", "reports")),
        records_file,
    )


def test_duckdb_and_sqlite_tables(records_file: Path, tmp_path: Path) -> None:
    _export(records_file, "duckdb", tmp_path / "r.duckdb")
    with duckdb.connect(str(tmp_path / "r.duckdb")) as db:
        frames = [db.execute(f"SELECT * FROM {n}").df() for n in ("facts", "cells", "reports")]
        n = db.execute(
            "SELECT value FROM facts WHERE doc_id = 'linyi-2023' AND "
            "field = 'disclosed_items_total'"
        ).fetchall()
    assert n == [(200000.0,)]
    _check_frames(*frames, records_file)
    _export(records_file, "sqlite", tmp_path / "r.sqlite")
    with sqlite3.connect(tmp_path / "r.sqlite") as db:
        frames = [pd.read_sql(f"SELECT * FROM {n}", db) for n in ("facts", "cells", "reports")]
    _check_frames(*frames, records_file)


def test_export_from_a_run_store(tmp_path: Path) -> None:
    store = tmp_path / "run.sqlite"
    CliRunner().invoke(
        main,
        ["extract", "-q", str(FIXTURES), "--store", str(store), "-o", str(tmp_path / "o.jsonl")],
    )
    _export(store, "csv", tmp_path / "csv")
    reports = pd.read_csv(tmp_path / "csv" / "reports.csv", encoding="utf-8-sig")
    assert sorted(reports.doc_id) == sorted(
        ["linyi-2023", "lishan-2024", "luozhuang-2019", "luozhuang-2024", "yuezhuang-2024"]
    )


def test_counts_stay_integers_and_flags_booleans(records_file: Path, tmp_path: Path) -> None:
    _export(records_file, "csv", tmp_path / "csv")
    raw = (tmp_path / "csv" / "facts.csv").read_text("utf-8-sig")
    assert ",8,场," in raw and ",8.0," not in raw  # luozhuang-2024: 政府开放日活动8场
    _export(records_file, "duckdb", tmp_path / "r.duckdb")
    with duckdb.connect(str(tmp_path / "r.duckdb")) as db:
        types = dict(
            db.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = 'facts'"
            ).fetchall()
        )
    assert types["approximate"] == "BOOLEAN"
    assert types["value"] in {"BIGINT", "DOUBLE"}
    assert types["start"] == "BIGINT"
    _export(records_file, "parquet", tmp_path / "pq")
    facts = pd.read_parquet(tmp_path / "pq" / "facts.parquet")
    assert facts.approximate.dtype == bool

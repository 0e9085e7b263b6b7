"""The run store: one SQLite file holding every document's outcome and the response cache.

A document's record is written in one transaction when it is finished, keyed by its source
and stage, so a run killed at any moment (Ctrl-C or kill -9) loses only work in flight; run
again, finished documents are skipped, and none is ever written twice. A source whose bytes
changed since (another sha256) is done again.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from extract.errors import StoreError
from extract.record import Record
from extract.redact import redact

# The store's layout version, kept in SQLite's user_version. A store without one (0) was
# made before versions were kept; its tables are those of version 1.
STORE_VERSION = 1
# The SQL that takes a store from version N-1 to N, for every N above 1.
MIGRATIONS: dict[int, str] = {}


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > STORE_VERSION:
        raise StoreError(
            f"{path} was made by a newer nianbao (store version {version}; this one reads up "
            f"to {STORE_VERSION}): upgrade nianbao, or use another --store file"
        )
    if version < STORE_VERSION:
        db.execute("BEGIN IMMEDIATE")  # one migration at a time, all of it or none
        try:
            for statement in _statements(SCHEMA):
                db.execute(statement)
            for step in range(max(version, 1) + 1, STORE_VERSION + 1):
                for statement in _statements(MIGRATIONS[step]):
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {STORE_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def _refuse_foreign(db: sqlite3.Connection, path: Path) -> None:
    """An SQLite file of some other program is never written into: a store is new (no
    tables) or has the documents table."""
    try:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    except sqlite3.DatabaseError as exc:  # "file is not a database"
        db.close()
        raise StoreError(
            f"{path} is not a nianbao run store ({exc}); it was left as it was: give --store "
            "a new file name, or the store of an earlier run"
        ) from exc
    tables = {row[0] for row in rows}
    if tables and "documents" not in tables:
        db.close()
        raise StoreError(
            f"{path} is an SQLite database of something else (tables: "
            f"{', '.join(sorted(tables)[:5])}), not a nianbao run store; it was left as it "
            "was: give --store a new file name"
        )


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]


SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    source        TEXT NOT NULL,
    stage         TEXT NOT NULL DEFAULT 'record',
    sha256        TEXT NOT NULL,
    doc_id        TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('done', 'failed')),
    record        TEXT NOT NULL,
    error         TEXT,
    requests      INTEGER NOT NULL DEFAULT 0,
    input_tokens  INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    seconds       REAL NOT NULL,
    finished_at   REAL NOT NULL,
    PRIMARY KEY (source, stage)
);
CREATE TABLE IF NOT EXISTS batches (
    id      TEXT PRIMARY KEY,
    status  TEXT NOT NULL,
    closed  INTEGER NOT NULL DEFAULT 0,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS llm_cache (
    key      TEXT PRIMARY KEY,
    response TEXT NOT NULL,
    created  REAL NOT NULL
);
"""


class RunStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # WAL keeps every committed record safe across a kill -9, and readers unblocked.
        self.db = sqlite3.connect(path, isolation_level=None)
        _refuse_foreign(self.db, path)  # before anything is written to the file
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        _migrate(self.db, path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def finished(self) -> dict[str, str]:
        """source → sha256 of every document already finished (done or failed)."""
        rows = self.db.execute("SELECT source, sha256 FROM documents WHERE stage = 'record'")
        return dict(rows.fetchall())

    def state(self, source: str) -> tuple[str, str] | None:
        """(sha256, status) of a finished document, or None."""
        row = self.db.execute(
            "SELECT sha256, status FROM documents WHERE source = ? AND stage = 'record'",
            (source,),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def record(self, source: str) -> Record | None:
        row = self.db.execute(
            "SELECT record FROM documents WHERE source = ? AND stage = 'record'", (source,)
        ).fetchone()
        return Record.model_validate_json(row[0]) if row else None

    def save(self, record: Record, seconds: float) -> None:
        usage = record.provenance.usage
        failed = record.failed
        error = "; ".join(f"{e.where}: {e.message}" for e in record.errors) or None
        self.db.execute(
            "INSERT OR REPLACE INTO documents (source, stage, sha256, doc_id, status, record, "
            "error, requests, input_tokens, output_tokens, seconds, finished_at) "
            "VALUES (?, 'record', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.source,
                record.sha256,
                record.doc_id,
                "failed" if failed else "done",
                record.model_dump_json(),
                error,
                usage.requests if usage else 0,
                usage.input_tokens if usage else 0,
                usage.output_tokens if usage else 0,
                seconds,
                time.time(),
            ),
        )

    def records(self) -> Iterator[Record]:
        rows = self.db.execute(
            "SELECT record FROM documents WHERE stage = 'record' ORDER BY source"
        )
        for (raw,) in rows:
            yield Record.model_validate_json(raw)

    def counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, COUNT(*) FROM documents GROUP BY status")
        return dict(rows.fetchall())

    # The response cache (extract.llm.extractor.ResponseCache).
    def get(self, key: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT response FROM llm_cache WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        # An answer holds the model's words (reasons for dropped facts quote them): a key a
        # server or model echoed must not reach the file.
        response = redact(json.dumps(value, ensure_ascii=False))
        self.db.execute(
            "INSERT OR REPLACE INTO llm_cache (key, response, created) VALUES (?, ?, ?)",
            (key, response, time.time()),
        )

    # Batch API jobs: the one still open is resumed by the next run.
    def open_batch(self) -> str | None:
        row = self.db.execute(
            "SELECT id FROM batches WHERE closed = 0 ORDER BY updated DESC LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    def record_batch(self, batch_id: str, status: str, closed: bool = False) -> None:
        self.db.execute(
            "INSERT INTO batches (id, status, closed, updated) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET status = excluded.status, "
            "closed = excluded.closed, updated = excluded.updated",
            (batch_id, status, int(closed), time.time()),
        )

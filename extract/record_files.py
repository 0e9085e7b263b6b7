"""Records read back from what `nianbao extract` wrote: a run store (`--store`, SQLite) or a
JSON Lines file (`-o`). One reader for every command that takes records (eval, view, export,
corpus check, label), so each accepts both and words a bad file the same way.

A run store is opened read-only: reading records never writes to it (nor migrates it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from extract.errors import NianbaoError
from extract.record import Record

_SQLITE = b"SQLite format 3\x00"
_SHOWN = 3  # validation problems named in a message; the rest are counted


class RecordsError(NianbaoError):
    """A file of records that cannot be read: says which file, which line or document, and
    what is wrong, in a few words."""


def read_records(path: Path) -> Iterator[Record]:
    """The records of a run store or a JSON Lines file, one at a time (a corpus of them need
    not fit in memory); a run store's in the order of their sources."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE))
    except OSError as exc:
        raise RecordsError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if head == _SQLITE:
        yield from _from_store(path)
    else:
        yield from _from_jsonl(path)


def _from_jsonl(path: Path) -> Iterator[Record]:
    try:
        with path.open("r", encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        yield Record.model_validate_json(line)
                    except ValidationError as exc:
                        raise RecordsError(f"{path}:{n}: not a record: {problems(exc)}") from exc
    except UnicodeDecodeError as exc:
        raise RecordsError(
            f"{path}: not records from `nianbao extract` (not UTF-8 text, nor a run store)"
        ) from exc


def _from_store(path: Path) -> Iterator[Record]:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        columns = {row[1] for row in db.execute("PRAGMA table_info(documents)")}
    except sqlite3.Error as exc:
        raise RecordsError(f"{path}: cannot open the run store read-only: {exc}") from exc
    if not {"record", "stage", "source"} <= columns:
        db.close()
        raise RecordsError(
            f"{path}: an SQLite file, but not a run store (no documents table with records); "
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
                raise RecordsError(
                    f"{path}: the record of {source} is not a record: {problems(exc)}"
                ) from exc
    except sqlite3.Error as exc:
        raise RecordsError(f"{path}: cannot read the run store: {exc}") from exc
    finally:
        db.close()


def problems(exc: ValidationError) -> str:
    """A validation error in one line: the first few problems by field, and how many more
    (pydantic's own text runs to several lines per problem, each with a link)."""
    errors = exc.errors(include_url=False, include_input=False)
    named = [
        f"{'.'.join(str(p) for p in e['loc']) or 'the line'}: {e['msg']}" for e in errors[:_SHOWN]
    ]
    more = len(errors) - _SHOWN
    return "; ".join(named) + (f" (and {more} more)" if more > 0 else "")

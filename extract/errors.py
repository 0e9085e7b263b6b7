"""Every error the toolkit raises on purpose, in one shallow tree.

Each carries a message a user can act on; the pipeline turns them into entries in a record's
`errors` so that one bad document never stops a run.
"""

from __future__ import annotations


class NianbaoError(Exception):
    """Base class: anything the toolkit reports to the user in words."""


class InputError(NianbaoError):
    """The input file cannot be read as a report (empty, binary, scanned, too large…)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class TableError(NianbaoError):
    """One standard table could not be read; the rest of the record is still written."""

    def __init__(self, table: str, reason: str) -> None:
        super().__init__(f"tables.{table}: {reason}")
        self.table = table
        self.reason = reason


class GoldError(NianbaoError):
    """A gold fixture breaks the labelling rules of docs/facts.md."""

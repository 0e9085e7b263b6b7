"""What a record's checks and problems mean to a reader, sorted into four kinds.

- a **failed check**: the report's own numbers disagree (a row that does not add up, a
  narrative figure the table contradicts); the values are as printed;
- a **disagreement**: with ``--method hybrid``, the rules and the model found different values
  for a field (a ``hybrid.<field>`` check); it says nothing about the report itself;
- a **warning**: something read in an unusual way that a user may want to verify (a table
  located by its own rows); the values are believed right;
- an **error**: something that could not be read (a missing section, an unreadable file).

The summary and the viewer both sort by these functions, so they always agree.
"""

from __future__ import annotations

import re

from extract.record import Check, Problem, Record

DISAGREEMENT_PREFIX = "hybrid."

# Messages that are warnings in records written before `Record.warnings` was kept apart
# from `errors` (a JSON Lines file from an earlier version still reads right).
_WARNING_PHRASES = ("located by its own rows", "placed by its position")


def failed_checks(record: Record) -> list[Check]:
    return [c for c in record.checks if not c.ok and not c.name.startswith(DISAGREEMENT_PREFIX)]


def disagreements(record: Record) -> list[Check]:
    return [c for c in record.checks if not c.ok and c.name.startswith(DISAGREEMENT_PREFIX)]


def table_checks(record: Record) -> list[Check]:
    """Every check on the report's own numbers (passed or failed), no disagreements."""
    return [c for c in record.checks if not c.name.startswith(DISAGREEMENT_PREFIX)]


def _is_warning(problem: Problem) -> bool:
    return any(phrase in problem.message for phrase in _WARNING_PHRASES)


def warnings(record: Record) -> list[Problem]:
    return [*record.warnings, *(p for p in record.errors if _is_warning(p))]


def errors(record: Record) -> list[Problem]:
    return [p for p in record.errors if not _is_warning(p)]


# C0 and C1 control characters: a file name may hold any of them (a newline, an escape
# sequence a terminal would act on); a name shown to a person spells them out instead.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def label(record: Record) -> str:
    """How a person names a report: its issuer and year, else its doc_id, with any control
    character in it spelled out (``\\n``, ``\\x1b``)."""
    name = f"{record.issuer} {record.year}" if record.issuer and record.year else record.doc_id
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), name)

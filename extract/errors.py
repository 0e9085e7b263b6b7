"""Every error the toolkit raises on purpose, in one shallow tree.

Each carries a message a user can act on; the pipeline turns them into entries in a record's
`errors` so that one bad document never stops a run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from extract.record import Usage


class NianbaoError(Exception):
    """Base class: anything the toolkit reports to the user in words."""

    # The checksum of the input's bytes, when they had been read: a failure is tied to
    # them (a resume does not try the same bytes again).
    sha256: str | None = None


class InputError(NianbaoError):
    """The input file cannot be read as a report (empty, binary, scanned, too large…)."""

    def __init__(self, source: str, reason: str, sha256: str | None = None) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
        self.sha256 = sha256


class TableError(NianbaoError):
    """One standard table could not be read; the rest of the record is still written."""

    def __init__(self, table: str, reason: str) -> None:
        super().__init__(f"tables.{table}: {reason}")
        self.table = table
        self.reason = reason


class GoldError(NianbaoError):
    """A gold fixture breaks the labelling rules of docs/facts.md."""


class OutputError(NianbaoError):
    """An output cannot be written where asked; says why, before any work is done."""


class StoreError(NianbaoError):
    """The run store cannot be used (made by a newer version of nianbao)."""


class DocumentTimeout(NianbaoError):
    """A document ran past the time limit for one document."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"processing it took longer than the {seconds:g} s limit for one document and "
            "was stopped; check the file, or raise the limit with --timeout"
        )


class TemporaryFolderError(NianbaoError):
    """The temporary folder (TMPDIR) cannot hold what a run must leave there (a full disk,
    a folder not writable): not the document's fault. Made from its whole message, so that
    it crosses from a worker process to the run unchanged (pickled by its args)."""


class WorkerDied(NianbaoError):
    """The process working on a document died (killed, or out of memory)."""

    def __init__(self, exitcode: int | None) -> None:
        how = (
            f"killed by signal {-exitcode}"
            if exitcode is not None and exitcode < 0
            else f"exit status {exitcode}"
            if exitcode is not None
            else "it vanished"
        )
        super().__init__(
            f"the worker process reading it died ({how}), twice, the second time alone; "
            "the file probably needs more memory than allowed (--max-memory-mb), or the "
            "process was killed; check the file"
        )


# The LLM path.


class FatalLLMError(NianbaoError):
    """A model request failed in a way retrying cannot mend (bad key, unknown model, the
    server down); the document's model facts are incomplete. Carries the HTTP status (None
    without a response), the exception behind it, and what the requests had cost."""

    def __init__(
        self,
        message: str,
        usage: Usage | None = None,
        *,
        status_code: int | None = None,
        cause: BaseException | None = None,
    ) -> None:
        from extract.record import Usage

        super().__init__(message)
        self.usage = usage or Usage()
        self.status_code = status_code
        self.cause = cause


class CircuitOpen(NianbaoError):
    """The model server failed too many times in a row; no more requests this run."""


class CassetteError(NianbaoError):
    """A cassette set is missing or was recorded for another prompt."""

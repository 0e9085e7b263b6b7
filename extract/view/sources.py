"""The I/O shell of the viewer: records in, each one's text re-read from its source, a page out.

A record does not hold its document's text, so the text is read again from ``source``
through the same ingest and normalisation that made the offsets, and used only when its
sha256 is the record's. A source that is gone, changed or unreadable costs the page its
highlighted text, never the record: the page says so on that document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from extract.pipeline import Options, load_file
from extract.record import Record
from extract.view.document import Source, render_document
from extract.view.page import Entry, render_page


def _candidates(source: str, base: Path | None) -> Iterator[Path]:
    path = Path(source)
    yield path
    if base is not None and not path.is_absolute():
        yield base / path  # a relative source, viewed from elsewhere than the run's folder


def read_text(record: Record, base: Path | None = None) -> tuple[Source, str]:
    """The record's text (or why there is none) and a one-word status for the index."""
    path = next((p for p in _candidates(record.source, base) if p.is_file()), None)
    if path is None:
        return Source(
            None, f"The source {record.source} is gone; the record is shown without its text."
        ), "gone"
    loaded = load_file(path, Options(), record.doc_id)
    if loaded.sha256 != record.sha256:
        return Source(
            None,
            f"The source {path} has changed since this record was made (its "
            "sha256 differs); the record is shown without its text. Extract it "
            "again to see the evidence in place.",
        ), "changed"
    if loaded.failure is not None or not loaded.text:
        return Source(None, "The source holds no readable text (see errors)."), "none"
    return Source(loaded.text), "yes"


def entries(records: Iterable[Record], base: Path | None = None) -> Iterator[Entry]:
    for record in records:
        source, status = read_text(record, base)
        yield Entry(record, render_document(record, source), status)


def view_page(records: Iterable[Record], title: str, base: Path | None = None) -> str:
    return render_page(title, entries(records, base))

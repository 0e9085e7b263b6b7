"""Cutting the narrative into chunks a model can read.

The narrative sections (一、五、六 and any preamble) are separate pieces of the document;
short pieces are packed together into one chunk (one request for most reports), a long
piece is cut at sentence ends with overlap. A chunk remembers where each of its pieces came
from, so evidence found in it maps back to document offsets.
"""

from __future__ import annotations

from dataclasses import dataclass

_ENDS = "。；;！？!?\n"
SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Piece:
    local: int  # offset in the chunk text
    start: int  # offset in the document text
    length: int


@dataclass(frozen=True)
class Chunk:
    text: str
    pieces: tuple[Piece, ...]

    @property
    def start(self) -> int:
        return self.pieces[0].start

    def to_document(self, lo: int, hi: int) -> tuple[int, int] | None:
        """Document offsets of a chunk span, or None when it straddles two pieces."""
        for p in self.pieces:
            if p.local <= lo and hi <= p.local + p.length:
                return p.start + lo - p.local, p.start + hi - p.local
        return None


def _cut(text: str, lo: int, hi: int) -> int:
    """The last sentence end in (lo, hi], or hi when there is none."""
    for i in range(hi - 1, lo, -1):
        if text[i] in _ENDS:
            return i + 1
    return hi


def _next_start(text: str, end: int, overlap: int) -> int:
    """Where the next piece starts: at a sentence start within ``overlap`` before ``end``,
    else ``overlap`` characters before it."""
    i = end - 1
    while i > end - overlap and text[i] in _ENDS:
        i -= 1  # the piece's own closing punctuation
    for j in range(i, end - overlap, -1):
        if text[j] in _ENDS:
            return j + 1
    return end - overlap


def _split(text: str, lo: int, hi: int, size: int, overlap: int) -> list[tuple[int, int]]:
    out = []
    start = lo
    while start < hi:
        end = hi if hi - start <= size else _cut(text, start + size // 2, start + size)
        if text[start:end].strip():
            out.append((start, end))
        if end >= hi:
            break
        start = max(_next_start(text, end, overlap), start + 1)
    return out


def chunk_spans(text: str, spans: list[tuple[int, int]], size: int, overlap: int) -> list[Chunk]:
    """Chunks of at most ``size`` characters (plus separators) covering every span."""
    ranges = [r for lo, hi in spans for r in _split(text, lo, hi, size, overlap)]
    chunks: list[Chunk] = []
    pieces: list[Piece] = []
    parts: list[str] = []
    used = 0
    for lo, hi in ranges:
        length = hi - lo
        if pieces and used + len(SEPARATOR) + length > size:
            chunks.append(Chunk(SEPARATOR.join(parts), tuple(pieces)))
            pieces, parts, used = [], [], 0
        local = used + (len(SEPARATOR) if pieces else 0)
        pieces.append(Piece(local, lo, length))
        parts.append(text[lo:hi])
        used = local + length
    if pieces:
        chunks.append(Chunk(SEPARATOR.join(parts), tuple(pieces)))
    return chunks

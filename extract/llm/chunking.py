"""Cutting the narrative into chunks a model can read.

Only the sentences of the narrative sections (一、五、六 and any preamble) that can hold a
fact are sent: a fact's evidence holds its number with a measure word, or an explicit zero
(FACTS.md), so a sentence with neither (or with only dates and percentages) cannot. Those
sentences are separate pieces of the document; pieces are packed together into one chunk
as large as the model's context window allows (one request for most reports), a long
piece is cut at sentence ends with overlap. A chunk remembers where each of its pieces came
from, so evidence found in it maps back to document offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extract.facts.grounding import mentions_in

if TYPE_CHECKING:
    from extract.llm.settings import LLMSettings

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


# Measure words of dates, durations and rates: a number with one of these is never a fact.
NOT_COUNTS = frozenset(("年", "月", "日", "号", "%", "天", "周", "届", "页"))
# Explicit zero statements (docs/facts.md: 未收取…, 未承办…, 没有…, 无…, 不收取…).
_ZERO_STATEMENT = re.compile(r"未|没有|无|零|不收")
_SENTENCE_END = re.compile(r"[。！？!?]|\n\s*\n")


def _sentences(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    out = []
    start = lo
    for m in _SENTENCE_END.finditer(text, lo, hi):
        out.append((start, m.end()))
        start = m.end()
    if start < hi:
        out.append((start, hi))
    return out


def can_hold_fact(text: str, lo: int, hi: int) -> bool:
    """A countable number (not a date or a rate) or an explicit zero in ``text[lo:hi]``."""
    if _ZERO_STATEMENT.search(text, lo, hi):
        return True
    return any(m.unit not in NOT_COUNTS for m in mentions_in(text, lo, hi))


def fact_sentences(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences of ``spans`` that can hold a fact, neighbours merged, blank edges
    trimmed."""
    out: list[tuple[int, int]] = []
    for lo, hi in spans:
        for a, b in _sentences(text, lo, hi):
            if not can_hold_fact(text, a, b):
                continue
            if out and out[-1][1] == a:
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
    trimmed = []
    for a, b in out:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            trimmed.append((a, b))
    return trimmed


def chunks_for(text: str, spans: list[tuple[int, int]], settings: LLMSettings) -> list[Chunk]:
    """The chunks one document is sent as, with these settings."""
    return chunk_spans(
        text, fact_sentences(text, spans), settings.chunk_size(), settings.chunk_overlap
    )

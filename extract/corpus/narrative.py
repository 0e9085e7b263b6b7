"""A report's narrative (sections 一、五、六), re-read from its source file.

Records do not store the text, so the narrative checks read each record's ``source`` again
through the same ingest and section splitter that made the record, and refuse a file whose
bytes changed since (its sha256 differs from the record's): the record would no longer
describe it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from extract.pipeline import Options, load_file
from extract.sections import split_sections

NARRATIVE_KEYS = ("overview", "problems", "other")


class SourceProblem(Exception):
    """The narrative of one record cannot be read; the message says why."""


@dataclass(frozen=True)
class Narrative:
    text: str  # the sections one after another, as in the normalised document


def resolve_source(source: str, roots: tuple[Path, ...] = ()) -> Path | None:
    """The file a record's source names: as given, else (relative) under each root in turn
    (as `nianbao view` does: the records file's folder is one)."""
    path = Path(source)
    candidates = [path] if path.is_absolute() else [path, *(root / path for root in roots)]
    return next((p for p in candidates if p.is_file()), None)


def read_narrative(source: str, sha256: str, roots: tuple[Path, ...] = ()) -> Narrative:
    path = resolve_source(source, roots)
    if path is None:
        raise SourceProblem(
            f"the source file {source} is gone; run from the folder the extraction ran in, "
            "or pass --sources-root"
        )
    loaded = load_file(path, Options())
    if loaded.failure is not None:
        reason = "; ".join(e.message for e in loaded.failure.errors)
        raise SourceProblem(f"the source cannot be read: {reason}")
    if sha256 and loaded.sha256 != sha256:
        raise SourceProblem(
            f"the source changed since it was extracted (sha256 {loaded.sha256[:12]}…, the "
            f"record says {sha256[:12]}…); extract it again"
        )
    sections = split_sections(loaded.text)
    parts = [sections[k].text(loaded.text) for k in NARRATIVE_KEYS if k in sections]
    if not parts:
        raise SourceProblem("none of sections 一、五、六 was found: no narrative to compare")
    return Narrative("\n".join(p.strip() for p in parts))


# Numbers in digits (273, 12.5, 2024) or Chinese numerals (三, 十二, 二〇二四): what a copied
# narrative changes. Each run becomes one mark, so 8场 and 12场 read the same.
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*|[〇零一二两三四五六七八九十百千万亿]+")
_DROP = re.compile(r"[\s|]+")
MARK = "#"


def masked(text: str) -> str:
    """The text with numbers masked and whitespace removed: what signatures are made of."""
    return _DROP.sub("", _NUMBER.sub(MARK, text))


def mask_with_offsets(text: str) -> tuple[str, list[int]]:
    """The text with numbers masked and whitespace removed, and for every character of the
    result the offset of the character it came from (to show passages in the original)."""
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for m in _NUMBER.finditer(text):
        _keep(text, pos, m.start(), out, where)
        out.append(MARK)
        where.append(m.start())
        pos = m.end()
    _keep(text, pos, len(text), out, where)
    return "".join(out), where


def _keep(text: str, start: int, end: int, out: list[str], where: list[int]) -> None:
    for i in range(start, end):
        if not _DROP.match(text[i]):
            out.append(text[i])
            where.append(i)


_MULTIPLIER = np.uint64(0x100000001B3)  # FNV-64 prime: spreads code points over 64 bits


def shingle_hashes(masked: str, k: int) -> np.ndarray:
    """A 32-bit hash of every distinct k-character shingle, computed in one vectorised pass
    (hashing each shingle in Python costs more than the rest of the check)."""
    codes = np.frombuffer(masked.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint32)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):  # polynomial hash of each window; uint64 arithmetic wraps
        h = h * _MULTIPLIER + codes[j : j + n]
    return np.unique(((h >> np.uint64(32)) ^ h).astype(np.uint32))

"""Near-duplicate narratives: MinHash signatures over character shingles, found by LSH.

Each narrative is masked (numbers become one mark, whitespace goes), cut into overlapping
k-character shingles and reduced to a MinHash signature (``datasketch``); the signatures
go into an LSH index, which returns the earlier narratives likely to share at least the
threshold of their shingles without comparing every pair. Only signatures are kept
(128 32-bit numbers a document, about 0.5 KB, plus the index's band keys).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from extract.corpus.narrative import shingle_hashes

# 32-bit affine permutations (datasketch ≥ 2): unbiased, and stored as uint32.
SCHEME = "affine32"


@dataclass(frozen=True)
class NearDupSettings:
    shingle: int = 5  # characters; masked Chinese text, so about two or three words
    num_perm: int = 128
    threshold: float = 0.5  # estimated Jaccard similarity of the shingle sets
    duplicate: float = 0.9  # same issuer and year at or above this: the same report
    min_chars: int = 200  # shorter narratives are boilerplate and say nothing
    seed: int = 1


@lru_cache(maxsize=4)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    # Built once per process: generating them for every MinHash costs more than hashing.
    template = MinHash(num_perm=num_perm, seed=seed, hashfunc=int, scheme=SCHEME)
    a, b = template.permutations
    return a, b


def sign(masked_text: str, settings: NearDupSettings) -> np.ndarray:
    """The MinHash signature of a masked narrative (pure: runs in worker processes)."""
    mh = MinHash(
        num_perm=settings.num_perm,
        seed=settings.seed,
        hashfunc=int,  # the shingles arrive hashed (narrative.shingle_hashes)
        permutations=_permutations(settings.num_perm, settings.seed),
        scheme=SCHEME,
    )
    mh.update_batch(shingle_hashes(masked_text, settings.shingle).tolist())
    values: np.ndarray = mh.hashvalues
    return values


class SignatureIndex:
    """Signatures of the narratives seen so far, and an LSH index over them."""

    def __init__(self, settings: NearDupSettings) -> None:
        self.settings = settings
        self._lsh = MinHashLSH(threshold=settings.threshold, num_perm=settings.num_perm)
        self._signatures: list[np.ndarray] = []

    def __len__(self) -> int:
        return len(self._signatures)

    def add(self, values: np.ndarray) -> tuple[int, list[tuple[int, float]]]:
        """Index one signature; return its id and the earlier ones at or above the
        threshold, best first, each with its estimated similarity."""
        lean = LeanMinHash(seed=self.settings.seed, hashvalues=values, scheme=SCHEME)
        found = []
        for other in self._lsh.query(lean):
            similarity = self.similarity(values, self._signatures[other])
            if similarity >= self.settings.threshold:
                found.append((other, similarity))
        ident = len(self._signatures)
        self._signatures.append(values)
        self._lsh.insert(ident, lean, check_duplication=False)
        return ident, sorted(found, key=lambda f: (-f[1], f[0]))

    @staticmethod
    def similarity(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.count_nonzero(a == b)) / len(a)

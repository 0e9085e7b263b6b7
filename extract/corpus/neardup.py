"""Near-duplicate narratives: MinHash signatures over character shingles, found by LSH.

Each narrative is masked (numbers become one mark, whitespace goes), cut into overlapping
k-character shingles and reduced to a MinHash signature (``datasketch``); the signatures
go into an LSH index, which returns the earlier narratives likely to share at least the
threshold of their shingles without comparing every pair. Only signatures are kept
(128 32-bit numbers a document), so memory grows by about 0.5 KB a report plus the
index's band keys.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

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


class SignatureIndex:
    """Signatures of the narratives seen so far, and an LSH index over them."""

    def __init__(self, settings: NearDupSettings) -> None:
        self.settings = settings
        self._lsh = MinHashLSH(threshold=settings.threshold, num_perm=settings.num_perm)
        # Built once: generating the permutations for every MinHash costs more than hashing.
        self._template = MinHash(
            num_perm=settings.num_perm, seed=settings.seed, hashfunc=int, scheme=SCHEME
        )
        self._signatures: list[np.ndarray] = []

    def __len__(self) -> int:
        return len(self._signatures)

    def signature(self, masked_text: str) -> MinHash:
        mh = MinHash(
            num_perm=self.settings.num_perm,
            seed=self.settings.seed,
            hashfunc=int,  # the shingles arrive hashed (narrative.shingle_hashes)
            permutations=self._template.permutations,
            scheme=SCHEME,
        )
        mh.update_batch(shingle_hashes(masked_text, self.settings.shingle).tolist())
        return mh

    def add(self, masked_text: str) -> tuple[int, list[tuple[int, float]]]:
        """Index one narrative; return its id and the earlier ones at or above the
        threshold, each with its estimated similarity."""
        mh = self.signature(masked_text)
        values = mh.hashvalues.copy()
        found = []
        for other in self._lsh.query(mh):
            similarity = self.similarity(values, self._signatures[other])
            if similarity >= self.settings.threshold:
                found.append((other, similarity))
        ident = len(self._signatures)
        self._signatures.append(values)
        self._lsh.insert(ident, mh, check_duplication=False)
        return ident, sorted(found, key=lambda f: (-f[1], f[0]))

    @staticmethod
    def similarity(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.count_nonzero(a == b)) / len(a)

"""Narratives to signatures, one source at a time, optionally in worker processes.

Reading a source again (ingest, normalisation, sections) costs far more than signing it, and
each document is independent: ``--jobs N`` spreads the work over N processes while the LSH
index stays in the main one. Batches keep the results in flight bounded.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from itertools import islice
from pathlib import Path

import numpy as np

from extract.corpus.narrative import SourceProblem, masked, read_narrative
from extract.corpus.neardup import NearDupSettings, sign

Job = tuple[int, str, str]  # position, source, sha256
# position, signature (None: nothing to compare), why it could not be read (or None)
Signed = tuple[int, np.ndarray | None, str | None]
BATCH = 256


def sign_source(job: Job, settings: NearDupSettings, roots: tuple[Path, ...]) -> Signed:
    position, source, sha256 = job
    try:
        text = masked(read_narrative(source, sha256, roots).text)
    except SourceProblem as exc:
        return position, None, str(exc)
    if len(text) < settings.min_chars:
        return position, None, None
    return position, sign(text, settings), None


def _batches(jobs: Iterable[Job], size: int) -> Iterator[list[Job]]:
    it = iter(jobs)
    while batch := list(islice(it, size)):
        yield batch


def signatures(
    jobs: Iterable[Job], settings: NearDupSettings, roots: tuple[Path, ...], workers: int = 1
) -> Iterator[Signed]:
    """Every job's outcome, in order."""
    work = partial(sign_source, settings=settings, roots=roots)
    if workers <= 1:
        yield from map(work, jobs)
        return
    # spawn, not fork: forking a process that may hold threads is unsafe.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for batch in _batches(jobs, BATCH):
            yield from pool.map(work, batch, chunksize=8)

"""Duplicate inputs: one report under several names, or several reports for one body-year.

The year-over-year checks must see each body-year once; the first document of a group (by
source path) stands for it and the others are listed here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from extract.corpus.findings import DocRef, DuplicateInput
from extract.corpus.load import Summary


def _groups(pairs: Iterable[tuple[int, int]], n: int) -> list[list[int]]:
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[root(a)] = root(b)
    members: dict[int, list[int]] = defaultdict(list)
    for x in range(n):
        members[root(x)].append(x)
    return [sorted(m) for m in members.values() if len(m) > 1]


def duplicate_inputs(
    summaries: list[Summary],
    keys: list[str | None],
    ref: Callable[[int], DocRef],
    same_report: list[tuple[int, int]],
    threshold: float,
) -> tuple[list[DuplicateInput], set[int]]:
    """Duplicate inputs, and the positions to leave out of the year-over-year checks.

    ``same_report`` holds the pairs (positions) of one body and year whose narratives are at
    least ``threshold`` alike."""
    out: list[DuplicateInput] = []
    hidden: set[int] = set()
    by_sha: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(summaries):
        if s.sha256:
            by_sha[s.sha256].append(i)
    same_bytes = [g for g in by_sha.values() if len(g) > 1]
    for group in same_bytes:
        out.append(
            DuplicateInput(
                kind="identical_bytes",
                documents=[ref(i) for i in group],
                detail=f"{len(group)} files with the same bytes (sha256 "
                f"{summaries[group[0]].sha256[:12]}…)",
            )
        )
        hidden.update(group[1:])
    for group in _groups(same_report, len(summaries)):
        out.append(
            DuplicateInput(
                kind="same_report",
                documents=[ref(i) for i in group],
                detail=f"one body, one year, narratives at least {threshold:.0%} alike: "
                f"the same report in {len(group)} files",
            )
        )
        hidden.update(group[1:])
    by_year: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, s in enumerate(summaries):
        key = keys[i]
        if key is not None and s.year is not None and not s.unreadable and i not in hidden:
            by_year[(key, s.year)].append(i)
    for (key, year), group in sorted(by_year.items()):
        if len(group) > 1:
            out.append(
                DuplicateInput(
                    kind="same_issuer_year",
                    documents=[ref(i) for i in group],
                    detail=f"{len(group)} different reports of {key} for {year}; the "
                    f"year-over-year checks use {summaries[group[0]].doc_id}",
                )
            )
            hidden.update(group[1:])
    return out, hidden

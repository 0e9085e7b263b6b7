"""Splitting runs of digits back into table cells.

A web page's table read with ``get_text()`` loses every cell boundary: ``行政规范性文件7853356``
or ``…申请数量407658210434153``. A run is cut into the number of cells its row must have,
never with a leading zero (``05`` is not a cell, ``0`` is), and only the cuts that satisfy
the standard's arithmetic are kept: a row's 总计 is the sum of its columns, a review group's
总计 is 维持+纠正+其他+未审结. The search is bounded: the total is a suffix of the run, so
each part is no longer than it and the parts must sum to it, which prunes almost every cut.

Runs may be made of several pieces whose outer boundaries are certain (a sign word or unit
between them, ``增加5834809``, ``532项36515``): a cell never spans a piece boundary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

Number = int | float
# No leading zeros; a decimal point only inside a cell (``123750.1117``).
_CELL = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d+)?$")
# Enough for any real row; a run with more readings than this is hopelessly ambiguous anyway.
MAX_READINGS = 5000


@dataclass(frozen=True)
class Run:
    """Digits of one row (or one table) with the offsets where a cell must start."""

    digits: str
    bounds: frozenset[int]  # offsets inside ``digits`` that are certain cell boundaries
    negative: frozenset[int] = frozenset()  # offsets where a cell preceded by 减少 starts
    # Where the one signed column of a row (2019's 本年增/减) starts (after 增加/减少) or ends
    # (before 项): the cell there is that column and no other.
    signed_starts: frozenset[int] = frozenset()
    signed_ends: frozenset[int] = frozenset()

    @staticmethod
    def of(
        pieces: Sequence[str],
        negative: Sequence[bool] = (),
        signed: Sequence[bool] = (),
        counted: Sequence[bool] = (),
    ) -> Run:
        """A run of pieces; ``signed[k]`` when piece k follows 增加/减少, ``counted[k]`` when
        it is followed by 项."""
        bounds, neg, starts, ends, at = set(), set(), set(), set(), 0
        for k, piece in enumerate(pieces):
            if k:
                bounds.add(at)
            if k < len(negative) and negative[k]:
                neg.add(at)
            if k < len(signed) and signed[k]:
                starts.add(at)
            at += len(piece)
            if k < len(counted) and counted[k]:
                ends.add(at)
        return Run(
            "".join(pieces), frozenset(bounds), frozenset(neg), frozenset(starts), frozenset(ends)
        )


class TooManyReadings(Exception):
    """The run can be cut in more ways than are worth listing: treat it as unreadable."""


def _value(text: str) -> Number | None:
    if not _CELL.match(text):
        return None
    return float(text) if "." in text else int(text)


Reading = tuple[Number | None, ...]  # None: a blank cell


class _Splitter:
    """All cuts of one run, memoised on (start, end, cells, target)."""

    def __init__(self, run: Run, width: int = 0, signed: int | None = None) -> None:
        self.run = run
        self.width = width
        self.signed = signed
        self.s = run.digits
        # crossing[x]: how many certain boundaries lie before offset x
        self.crossing = [0] * (len(self.s) + 1)
        for x in range(1, len(self.s) + 1):
            self.crossing[x] = self.crossing[x - 1] + ((x - 1) in run.bounds)
        self.work = 0
        self._free: dict[tuple[int, int, int], list[Reading]] = {}
        self._sum: dict[tuple[int, int, int, Number], list[Reading]] = {}

    def _spend(self, n: int) -> None:
        self.work += n
        if self.work > MAX_READINGS * 40:
            raise TooManyReadings

    def cell(self, i: int, j: int) -> Number | None:
        """Value of s[i:j] as one cell, or None when it cannot be one."""
        if self.crossing[j] - self.crossing[i + 1] > 0:  # a certain boundary inside
            return None
        value = _value(self.s[i:j])
        if value is not None and i in self.run.negative:
            value = -value
        return value

    def placed(self, i: int, m: int, column: int) -> bool:
        """Whether s[i:m] may be cell number ``column`` given the signed column's marks."""
        if self.signed is None:
            return True
        run = self.run
        if column == self.signed:
            return (not run.signed_starts or i in run.signed_starts) and (
                not run.signed_ends or m in run.signed_ends
            )
        return i not in run.signed_starts and m not in run.signed_ends

    def free(self, i: int, j: int, k: int) -> list[Reading]:
        """Every cut of s[i:j] into k cells (the last k cells of the row)."""
        key = (i, j, k)
        if key in self._free:
            return self._free[key]
        out: list[Reading] = []
        column = self.width - k
        if k == 1:
            v = self.cell(i, j) if self.placed(i, j, column) else None
            out = [] if v is None else [(v,)]
        else:
            for m in range(i + 1, j - k + 2):
                head = self.cell(i, m) if self.placed(i, m, column) else None
                if head is not None:
                    tails = self.free(m, j, k - 1)
                    self._spend(len(tails) + 1)
                    out.extend((head, *rest) for rest in tails)
        if len(out) > MAX_READINGS:
            raise TooManyReadings
        self._free[key] = out
        return out

    def summing(self, i: int, j: int, k: int, target: Number) -> list[Reading]:
        """Every cut of s[i:j] into k cells that sum to target: no cell exceeds the target,
        so none is longer than it, which is what keeps the search small."""
        key = (i, j, k, target)
        if key in self._sum:
            return self._sum[key]
        out: list[Reading] = []
        if k == 1:
            v = self.cell(i, j)
            out = [(v,)] if v is not None and v == target else []
        elif target >= 0:
            longest = len(str(int(target))) + (j - i if isinstance(target, float) else 0)
            for m in range(i + 1, min(j - k + 2, i + longest + 1)):
                head = self.cell(i, m)
                if head is None or head > target:
                    continue
                tails = self.summing(m, j, k - 1, target - head)
                self._spend(len(tails) + 1)
                out.extend((head, *rest) for rest in tails)
        if len(out) > MAX_READINGS:
            raise TooManyReadings
        self._sum[key] = out
        return out

    def with_total(self, i: int, j: int, k: int) -> list[Reading]:
        """Cuts of s[i:j] into k cells whose last is the sum of the others."""
        out: list[Reading] = []
        for t in range(1, j - i - k + 2):
            total = self.cell(j - t, j)
            if total is not None:
                out.extend((*parts, total) for parts in self.summing(i, j - t, k - 1, total))
        return out


def free_readings(run: Run, width: int, signed: int | None = None) -> list[Reading]:
    """Every reading of a row with no arithmetic of its own (table 二); ``signed`` is the
    index of the row's 本年增/减 column, if it has one. Raises TooManyReadings when there are
    too many to list."""
    if len(run.digits) < width:
        return []
    return _Splitter(run, width, signed).free(0, len(run.digits), width)


def total_readings(run: Run, width: int) -> list[Reading]:
    """Every reading of a row whose last cell is the sum of the others (table 三)."""
    if len(run.digits) < width:
        return []
    return _Splitter(run).with_total(0, len(run.digits), width)


def grouped_readings(run: Run, groups: int, size: int) -> list[Reading]:
    """Every reading of ``groups`` consecutive groups of ``size`` cells, each ending with its
    own total (table 四: three groups of 维持, 纠正, 其他, 未审结, 总计)."""
    splitter = _Splitter(run)
    n = len(run.digits)
    memo: dict[tuple[int, int], list[Reading]] = {}

    def rest(i: int, g: int) -> list[Reading]:
        if g == 0:
            return [()] if i == n else []
        if (i, g) in memo:
            return memo[(i, g)]
        out: list[Reading] = []
        for j in range(i + size, n - size * (g - 1) + 1):
            heads = splitter.with_total(i, j, size)
            if heads:
                tails = rest(j, g - 1)
                splitter._spend(len(heads) * len(tails) + 1)
                out.extend((*head, *tail) for head in heads for tail in tails)
        if len(out) > MAX_READINGS:
            raise TooManyReadings
        memo[(i, g)] = out
        return out

    return rest(0, groups) if n >= groups * size else []

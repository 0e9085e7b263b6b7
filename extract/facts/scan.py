"""Searching a long text for a pattern only where it can match.

A rules pattern such as '(?:未|没有)(?:承办|收到)[^。]{0,8}?人大(?:代表)?建议' matches only
around an occurrence of 人大, and a match is at most a few dozen characters long. A
:class:`Scan` reads both from the standard library's own parse of the pattern, and its
``finditer`` gives exactly what ``pattern.finditer`` gives while the regex engine looks
only at the stretches around each occurrence of that word (found with ``str.find``, far
faster than the engine trying every position of a report). When nothing can be told (no
word every match holds, an unbounded repeat, a back-reference, ignored case) it is the
plain ``finditer``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Past the look-aheads' own reach, what an end-of-text test ($, \Z) or a word boundary
# (\b) may read: a window ends at least this much further on than any match can reach.
_MARGIN = 2


def _tree(pattern: re.Pattern[str]) -> Any:
    """The standard library's parse of the pattern, or None when it cannot be had (it is
    a private module; should it change, nothing is assumed and the plain search runs)."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:
        return None
    return None if tree.state.flags & re.IGNORECASE else tree


def _sre() -> Any:
    from re import _constants  # type: ignore[attr-defined]

    return _constants


def _words(items: Any) -> list[str]:
    """Runs of plain characters every match of this sequence of items holds."""
    sre = _sre()
    words: list[str] = []
    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            words.append("".join(run))
            run = []
        if op is sre.SUBPATTERN:
            _, add_flags, _, sub = av
            if not add_flags & re.IGNORECASE:
                words += _words(sub.data)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            least, _, sub = av
            if least >= 1:
                words += _words(sub.data)
        elif op is sre.BRANCH:
            common = _common([_words(branch.data) for branch in av[1]])
            if common:
                words.append(common)
    if run:
        words.append("".join(run))
    return words


def _common(branches: Sequence[list[str]]) -> str | None:
    """The longest text that a word of every branch holds (申请 of 申请|依申请公开)."""
    if not branches or not all(branches):
        return None
    first, rest = branches[0], branches[1:]
    candidates = {w[i:j] for w in first for i in range(len(w)) for j in range(i + 1, len(w) + 1)}
    for candidate in sorted(candidates, key=lambda c: (-len(c), c)):
        if all(any(candidate in word for word in words) for words in rest):
            return candidate
    return None


def needed_words(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Texts that every match of ``pattern`` holds: its literal text outside optional
    parts and look-arounds, and what every branch of an alternation has in common
    ('(?:未|没有)…人大(?:代表)?…' gives 人大). Empty when none can be told."""
    tree = _tree(pattern)
    return () if tree is None else tuple(_words(tree.data))


def max_width(pattern: re.Pattern[str]) -> int | None:
    """The longest text a match of ``pattern`` can be; None when unbounded or unknown."""
    tree = _tree(pattern)
    if tree is None:
        return None
    width = int(tree.getwidth()[1])
    return None if width >= _sre().MAXREPEAT - 1 else width


def _lookahead_reach(items: Any) -> int | None:
    """How far past the point it stands at a look-ahead of these items may read; None when
    unbounded or when the pattern refers back to a group (nothing is assumed then)."""
    sre = _sre()
    reach = 0
    for op, av in items:
        subs: list[Any] = []
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            direction, sub = av
            if direction == 1:
                width = sub.getwidth()[1]
                if width >= sre.MAXREPEAT - 1:
                    return None
                reach = max(reach, width)
            subs = [sub]
        elif op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
            return None
        elif op is sre.SUBPATTERN:
            subs = [av[3]]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            subs = [av[2]]
        elif op is sre.BRANCH:
            subs = list(av[1])
        elif op is sre.ATOMIC_GROUP:
            subs = [av]
        for sub in subs:
            inner = _lookahead_reach(sub.data)
            if inner is None:
                return None
            reach = max(reach, inner)
    return reach


@dataclass(frozen=True)
class Scan:
    """A pattern, with what lets it be searched only where it can match."""

    pattern: re.Pattern[str]
    word: str | None = None  # held by every match (the longest such); None: search all
    width: int = 0  # the longest text a match can be
    reach: int = 0  # how far past its end a match may read (look-aheads, $, \b)

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Scan:
        tree = _tree(pattern)
        words = [] if tree is None else [w for w in _words(tree.data) if w]
        if tree is None or not words:
            return cls(pattern)
        width = tree.getwidth()[1]
        reach = _lookahead_reach(tree.data)
        if width >= _sre().MAXREPEAT - 1 or reach is None or tree.getwidth()[0] == 0:
            return cls(pattern)
        return cls(pattern, max(words, key=len), width, reach + _MARGIN)

    def finditer(self, text: str, lo: int, hi: int) -> list[re.Match[str]]:
        """``list(pattern.finditer(text, lo, hi))``, the same matches.

        Each match holds the word at some occurrence q, so it starts within ``width`` of q
        and ends by q + ``width``: the pattern is searched between those bounds (with
        ``reach`` more for what it reads past its end, so that it reads what it reads in
        the whole text), and a match found there that starts after q is left for a later
        occurrence. Occurrences before the end of the last match cannot start the next.
        """
        if self.word is None:
            return list(self.pattern.finditer(text, lo, hi))
        word, width = self.word, self.width
        found: list[re.Match[str]] = []
        resume = lo
        at = text.find(word, lo, hi)
        while at >= 0:
            start = max(resume, at + len(word) - width)
            m = self.pattern.search(text, start, min(hi, at + width + self.reach))
            if m is not None and m.start() <= at:
                found.append(m)
                resume = m.end()
                at = text.find(word, max(resume, at + 1), hi)
            else:
                at = text.find(word, at + 1, hi)
        return found

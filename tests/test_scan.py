"""Searching only where a pattern can match finds exactly what the plain search finds."""

from __future__ import annotations

import random
import re

from conftest import FIXTURES

from extract.facts.rules import load_rules
from extract.facts.scan import Scan, needed_words
from extract.textnorm import normalise


def _patterns() -> list[re.Pattern[str]]:
    groups = ("zero", "strong", "weak", "vetoes", "requires", "vetoes_sentence")
    found = {p.pattern: p for r in load_rules() for g in groups for p in getattr(r, g)}
    return list(found.values())


def _same(scan: Scan, text: str, lo: int, hi: int) -> int:
    plain = [(m.span(), m.groups()) for m in scan.pattern.finditer(text, lo, hi)]
    fast = [(m.span(), m.groups()) for m in scan.finditer(text, lo, hi)]
    assert fast == plain, (scan.pattern.pattern, text[lo:hi][:200])
    return len(plain)


def test_every_rules_pattern_finds_the_same_in_the_reports() -> None:
    texts = [normalise(p.read_text("utf-8")) for p in sorted(FIXTURES.glob("*.txt"))]
    windowed = matched = 0
    for pattern in _patterns():
        scan = Scan.of(pattern)
        windowed += scan.word is not None
        for text in texts:
            matched += _same(scan, text, 0, len(text))
            matched += _same(scan, text, len(text) // 3, 2 * len(text) // 3)
    assert windowed > 30 and matched > 1000  # not vacuous: most are searched by window


def test_the_zero_patterns_find_the_same_in_made_up_text() -> None:
    # Text made of what the zero patterns are made of, so that they match often, overlap,
    # and stand at the ends of the searched stretch.
    pieces = [*"未没有无不零，。;、和及为0.5元费", "行政复议", "复议", "行政诉讼", "诉讼", "申请"]
    pieces += ["依申请公开", "收到", "人大代表建议", "政协提案", "新媒体", "处理费", "收取费用"]
    pieces += ["均为", "纠错", "未经", "向申请人", "注册", "承办", "\n", "不存在", "发生"]
    rng = random.Random(11)
    scans = [Scan.of(p) for r in load_rules() for p in r.zero]
    assert all(s.word for s in scans)
    matched = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(60)))
        lo = rng.randrange(len(text) + 1)
        hi = rng.randrange(lo, len(text) + 1)
        for scan in scans:
            matched += _same(scan, text, lo, hi)
    assert matched > 400


def test_what_cannot_be_told_is_searched_plainly() -> None:
    for source in ("a+b", "(a)b\\1", "(?i)abc", "a|b", "x(?=y*)z"):
        assert Scan.of(re.compile(source)).word is None, source
    assert Scan.of(re.compile("(?:未|没有)收到[^。]{0,8}?申请")).word == "收到"
    assert needed_words(re.compile("(?:申请(?!人)|依申请公开)")) == ("申请",)
    assert needed_words(re.compile("(?:处理费|收取费用|收费)")) == ("费",)
    assert needed_words(re.compile("a(?i:b)c")) == ("a", "c")
    assert needed_words(re.compile("(?:政务)?新媒体(?=账号)")) == ("新媒体",)
    scan = Scan.of(re.compile("复议(?![^。]{0,12}?纠错)"))
    assert scan.width == 2 and scan.reach >= 14  # the look-ahead's reach is allowed for

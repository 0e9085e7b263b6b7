"""Normalising is done by replacing each character to change all through the text at once;
it gives what the four translation tables give one after another."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from conftest import FIXTURES

from extract import textnorm
from extract.textnorm import (
    _FULLWIDTH,
    _INNER_SPACES,
    _INVISIBLE,
    _RADICALS,
    _SPACES,
    _replaced,
)


def _translated(text: str) -> str:
    return text.translate(_FULLWIDTH).translate(_INVISIBLE).translate(_SPACES).translate(_RADICALS)


def test_replacing_is_translating_the_four_tables() -> None:
    changed = [chr(c) for table in (_FULLWIDTH, _INVISIBLE, _SPACES, _RADICALS) for c in table]
    alphabet = [*changed, *"ab 政府\n\t，。", "  "]
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(60)))
        assert _replaced(text) == _translated(text), repr(text)
    for path in sorted(FIXTURES.glob("*.txt")):
        raw = path.read_text("utf-8")
        wide = raw.replace(",", "，").replace(":", "：").replace("(", "（").replace(" ", "\u3000")
        for text in (raw, wide, "\ufeff" + wide.replace("公开", "公\u200b开")):
            assert _replaced(text) == _translated(text)


def test_inner_spaces_are_the_runs_between_two_non_spaces() -> None:
    plain = re.compile(r"(?<=\S) {2,}(?=\S)")  # the definition
    rng = random.Random(6)
    for _ in range(3000):
        text = "".join(rng.choice(["a", " ", "  ", "\n", "\t", "政"]) for _ in range(30))
        assert _INNER_SPACES.sub(" ", text) == plain.sub(" ", text), repr(text)
    assert textnorm.normalise("共  3  件\n") == "共 3 件\n"


def test_cjk_radicals_become_the_ideographs_they_stand_for() -> None:
    # As Chrome's "print to PDF" and many sites' PDFs give the text: Kangxi radicals and CJK
    # radicals supplement code points in place of the ideographs.
    text = "⼀、总体情况\n⼆、主动公开政府信息情况\n临沂市⼈⺠政府 ⾸⻚ ⽹站 ⾏政复议"
    assert textnorm.normalise(text) == (
        "一、总体情况\n二、主动公开政府信息情况\n临沂市人民政府 首页 网站 行政复议\n"
    )


def test_the_kangxi_radicals_agree_with_the_standard_library() -> None:
    # Python's own Unicode database decomposes each Kangxi radical (NFKC) to its ideograph:
    # the committed table (from Unicode's Equivalent_Unified_Ideograph) says the same.
    import unicodedata

    kangxi = {k: v for k, v in _RADICALS.items() if 0x2F00 <= k <= 0x2FDF}
    assert len(kangxi) == 214
    for k, v in kangxi.items():
        assert unicodedata.normalize("NFKC", chr(k)) == chr(v)
    for k in (0x2E9F, 0x2EF3):  # the two supplement radicals with a decomposition
        assert unicodedata.normalize("NFKC", chr(k)) == chr(_RADICALS[k])


UCD = Path("/usr/share/unicode/EquivalentUnifiedIdeograph.txt")  # Debian's unicode-data


def radicals_from_ucd(path: Path) -> dict[int, int]:
    """The radicals blocks' mappings of an EquivalentUnifiedIdeograph.txt (how
    extract/data/radicals.json was made)."""
    out = {}
    for line in path.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        left, right = (part.strip() for part in line.split(";"))
        first, _, last = left.partition("..")
        for cp in range(int(first, 16), int(last or first, 16) + 1):
            if 0x2E80 <= cp <= 0x2FDF:
                out[cp] = int(right, 16)
    return out


@pytest.mark.skipif(not UCD.exists(), reason="Debian's unicode-data is not installed")
def test_the_radicals_table_is_unicodes() -> None:
    assert radicals_from_ucd(UCD) == _RADICALS

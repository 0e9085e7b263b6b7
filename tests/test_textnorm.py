"""Normalising is done by replacing each character to change all through the text at once;
it gives what the three translation tables give one after another."""

from __future__ import annotations

import random
import re

from conftest import FIXTURES

from extract import textnorm
from extract.textnorm import _FULLWIDTH, _INNER_SPACES, _INVISIBLE, _SPACES, _replaced


def _translated(text: str) -> str:
    return text.translate(_FULLWIDTH).translate(_INVISIBLE).translate(_SPACES)


def test_replacing_is_translating_the_three_tables() -> None:
    changed = [chr(c) for table in (_FULLWIDTH, _INVISIBLE, _SPACES) for c in table]
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

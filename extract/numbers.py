"""Reading numbers as Chinese reports write them.

One module owns this so that tables, the rules engine, grounding and the scorer agree on
what ``20余万条`` or ``两场`` is worth (docs/facts.md, "Normalising values").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "壹": 1,
    "贰": 2,
    "叁": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

CN_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)
# Approximation markers before (约 近 超过 逾) or after (余 多 左右 以上) the number. 超 alone
# (超3.3万条) is 超过 shortened, the way reports write it: approximate too (docs/decisions.md).
APPROX_BEFORE = ("超过", "约", "近", "逾", "大约", "将近", "超")
APPROX_AFTER = ("余", "多", "左右", "以上", "来")


def chinese_to_int(text: str) -> int:
    """Value of a Chinese numeral: 三 → 3, 十二 → 12, 一百零五 → 105, 两万三千 → 23000.

    Also digit-by-digit forms such as 二〇二〇 → 2020. Raises ValueError for anything else.
    """
    if not text or any(
        ch not in _DIGITS and ch not in _SMALL_UNITS and ch not in _BIG_UNITS for ch in text
    ):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if all(ch in _DIGITS for ch in text) and len(text) > 1:
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:  # 万 / 亿 close a section
            section += digit or 0
            total = (
                (total + section) * _BIG_UNITS[ch]
                if _BIG_UNITS[ch] > 10_000
                else total + section * _BIG_UNITS[ch]
            )
            section, digit = 0, None
    return total + section + (digit or 0)


_ARABIC = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[+-]?\d+(?:\.\d+)?$")


def arabic_to_number(text: str) -> int | float:
    """``1,487,111`` → 1487111, ``763.395741`` → 763.395741 (int when there is no point)."""
    s = text.strip().replace(" ", "")
    if not _ARABIC.match(s):
        raise ValueError(f"not an Arabic number: {text!r}")
    s = s.replace(",", "")
    return float(s) if "." in s else int(s)


@dataclass(frozen=True)
class Quantity:
    value: int | float
    approximate: bool


# A number as written in narrative text: optional approx prefix, Arabic or Chinese numeral,
# optional 余/多, optional 万/亿 multiplier, optional approx suffix.
NUMBER_PATTERN = (
    r"(?P<pre>超过|大约|将近|约|近|逾|超)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
    r"\s*(?P<mid>余|多)?(?P<mult>万|亿)?(?P<post>余|多)?"
)
_QUANTITY = re.compile(rf"^\s*{NUMBER_PATTERN}\s*(?P<tail>左右|以上)?\s*$")


# Reports repeat the same few quantities (1, 2, 两, 10余): each is read once. Quantity is
# frozen, so sharing one is safe; a text that is no quantity raises every time.
@lru_cache(maxsize=4096)
def parse_quantity(text: str) -> Quantity:
    """Normalise one written quantity: ``20余万`` → 200000≈, ``两`` → 2, ``6.2万`` → 62000."""
    m = _QUANTITY.match(text)
    if not m:
        raise ValueError(f"not a quantity: {text!r}")
    num = m["num"]
    value: int | float = arabic_to_number(num) if num[0].isdigit() else chinese_to_int(num)
    if m["mult"]:
        # Decimal, not float: 17.83 * 10000 is 178299.99999999997 in binary floating point.
        value = (
            float(Decimal(num.replace(",", "")) * _BIG_UNITS[m["mult"]])
            if isinstance(value, float)
            else value * _BIG_UNITS[m["mult"]]
        )
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    approximate = bool(m["pre"] or m["mid"] or m["post"] or m["tail"])
    return Quantity(value, approximate)


_SIGNED_CELL = re.compile(
    r"^(?P<sign>增加|减少|增|减|新增|\+|-)?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s*(?:万元|元|项|件|个|条|次)?$"
)
_EMPTY_MARKS = {"", "-", "—", "——", "/", "\\", "－"}


def parse_cell(text: str) -> int | float | None:
    """Value of one statistics-table cell, or None when the cell is empty.

    ``增加 58`` → 58, ``减少 38 项`` → -38, ``78681 万元`` → 78681. Raises ValueError when the
    cell holds text that is not a number (a label).
    """
    s = text.strip().replace(" ", "")
    if s in _EMPTY_MARKS:
        return None
    m = _SIGNED_CELL.match(s)
    if not m:
        raise ValueError(f"not a table number: {text!r}")
    value = arabic_to_number(m["num"])
    return -value if m["sign"] in ("减少", "减", "-") else value


def is_cell_number(text: str) -> bool:
    try:
        return parse_cell(text) is not None
    except ValueError:
        return False

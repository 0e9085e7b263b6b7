from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.numbers import chinese_to_int, parse_cell, parse_quantity

DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Write n (0 ≤ n < 10^12) the way reports do: 一百零五, 两万三千, 十二."""
    if n == 0:
        return "零"

    def below_10k(x: int) -> str:
        out, zero = "", False
        for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // value % 10
            if d == 0:
                zero = bool(out)
                continue
            if zero:
                out += "零"
                zero = False
            out += DIGITS[d] + unit
        return out

    parts = []
    for value, unit in ((10**8, "亿"), (10**4, "万"), (1, "")):
        chunk = n // value % 10**4 if value < 10**8 else n // value
        if chunk:
            if parts and chunk < 1000:
                parts.append("零")
            parts.append(below_10k(chunk) + unit)
        elif parts and value == 1 and n % 10**4:
            parts.append("零")
    text = "".join(parts).replace("零零", "零")
    return text[1:] if text.startswith("一十") else text


@given(st.integers(min_value=0, max_value=10**11))
def test_chinese_numerals_round_trip(n: int) -> None:
    assert chinese_to_int(to_chinese(n)) == n


@given(st.integers(min_value=0, max_value=10**9))
def test_thousands_separators(n: int) -> None:
    assert parse_quantity(f"{n:,}").value == n


@pytest.mark.parametrize(
    ("text", "value", "approximate"),
    [
        pytest.param("7064", 7064, False, id="arabic"),
        pytest.param("三", 3, False, id="cn-digit"),
        pytest.param("两", 2, False, id="liang"),
        pytest.param("十二", 12, False, id="shi-er"),
        pytest.param("二十三", 23, False, id="er-shi-san"),
        pytest.param("一百零五", 105, False, id="hundred-and-five"),
        pytest.param("20余万", 200_000, True, id="yu-wan"),
        pytest.param("6.2万", 62_000, False, id="decimal-wan"),
        pytest.param("300余", 300, True, id="yu"),
        pytest.param("近百", 100, True, id="jin-bai"),
        pytest.param("100多", 100, True, id="duo"),
        pytest.param("约50", 50, True, id="yue"),
        pytest.param("超过1000", 1000, True, id="chaoguo"),
        pytest.param("超3.3万", 33_000, True, id="chao-short-for-chaoguo"),
        pytest.param("逾3000", 3000, True, id="yu-prefix"),
        pytest.param("3000左右", 3000, True, id="zuoyou"),
        pytest.param("1,487,111", 1_487_111, False, id="separators"),
        pytest.param("1.2亿", 120_000_000, False, id="yi"),
    ],
)
def test_quantities(text: str, value: int, approximate: bool) -> None:
    q = parse_quantity(text)
    assert (q.value, q.approximate) == (value, approximate)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("增加 58", 58),
        ("减少 38 项", -38),
        ("78681 万元", 78681),
        ("763.395741", 763.395741),
        ("", None),
        ("—", None),
        ("/", None),
        ("1,024", 1024),
    ],
)
def test_table_cells(cell: str, value: float | None) -> None:
    assert parse_cell(cell) == value


@pytest.mark.parametrize("label", ["1.属于国家秘密", "规章", "第二十条第(一)项", "总计"])
def test_labels_are_not_numbers(label: str) -> None:
    with pytest.raises(ValueError):
        parse_cell(label)


def test_decimal_wan_is_exact() -> None:
    # Real report text: 全年主动公开政府信息17.83万条 (a float product gives 178299.99999999997).
    assert parse_quantity("17.83万").value == 178300
    assert parse_quantity("0.07万").value == 700
    assert parse_quantity("1.5亿").value == 150_000_000


def test_chao_alone_marks_a_mention_approximate_but_not_a_word_beginning_with_it() -> None:
    from extract.facts.mentions import find_mentions

    def read(text: str) -> list[tuple[float, bool, str]]:
        return [
            (m.value, m.approximate, text[m.start : m.end])
            for m in find_mentions(text, 0, len(text))
        ]

    assert read("全年在门户网站发布信息超3.3万条,") == [(33000, True, "超3.3万条")]
    assert read("超期答复3件") == [(3, False, "3件")]  # 超期 is a word, not a marker
    assert read("超额完成5项") == [(5, False, "5项")]

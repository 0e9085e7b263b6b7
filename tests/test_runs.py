"""Cutting digit runs into cells: every reading, and only the ones the arithmetic allows."""

from __future__ import annotations

import pytest

from extract.tables.runs import (
    Run,
    TooManyReadings,
    free_readings,
    grouped_readings,
    total_readings,
)


def test_no_cell_has_a_leading_zero() -> None:
    assert free_readings(Run.of(["000"]), 3) == [(0, 0, 0)]
    assert free_readings(Run.of(["116"]), 3) == [(1, 1, 6)]
    assert sorted(free_readings(Run.of(["2121"]), 3)) == [(2, 1, 21), (2, 12, 1), (21, 2, 1)]


def test_a_row_total_keeps_only_the_cuts_that_add_up() -> None:
    # 临沂 2023, 本年新收 with its separators stripped: two cuts add up, the columns decide
    assert sorted(total_readings(Run.of(["407658210434153"]), 7)) == [
        (4076, 5, 8, 21, 0, 43, 4153),
        (4076, 58, 2, 10, 4, 3, 4153),
    ]
    assert total_readings(Run.of(["150000015"]), 7) == [(15, 0, 0, 0, 0, 0, 15)]
    assert total_readings(Run.of(["20000022"]), 7) == []  # 22 is not 2+0+…+0


def test_certain_boundaries_and_the_signed_column() -> None:
    # 130 减少 38 项 1519: the pieces are cells, the one after 减少 is negative
    run = Run.of(["130", "38", "1519"], negative=[False, True, False], signed=[False, True, False])
    assert free_readings(run, 3, signed=1) == [(130, -38, 1519)]
    # 134 增加 5834809: the change starts after 增加, so 134 is one cell
    run = Run.of(["134", "5834809"], signed=[False, True])
    assert {r[0] for r in free_readings(run, 3, signed=1)} == {134}


def test_review_groups_each_end_with_their_total() -> None:
    digits = "94331916162" + "48319373" + "23045" + "32"
    assert grouped_readings(Run.of([digits]), 3, 5) == [
        (94, 33, 19, 16, 162, 48, 3, 19, 3, 73, 23, 0, 4, 5, 32)
    ]


def test_decimals_stay_inside_one_cell() -> None:
    assert free_readings(Run.of(["123750.1117"]), 1) == [(123750.1117,)]
    assert free_readings(Run.of(["12.5"]), 2) == [(1, 2.5)]
    assert free_readings(Run.of(["12.5"]), 3) == []  # no cell starts or ends with the point


def test_a_hopeless_run_is_refused_not_guessed() -> None:
    with pytest.raises(TooManyReadings):
        free_readings(Run.of(["1234567891234567891234"]), 6)

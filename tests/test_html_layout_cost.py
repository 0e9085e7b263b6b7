"""A page of layout tables nested deep costs work in proportion to its size.

Old sites lay the page out in tables, a cell holding the next table; a hostile or broken
page nests them thousands deep. The work is counted (Python function calls while the page
is read), not timed: doubling the depth must about double it, not quadruple it.
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

from conftest import seed_path


def _nested_tables(depth: int) -> bytes:
    text = seed_path("linyi-2023").read_text("utf-8")
    body = "".join(f"<p>{line}</p>" for line in text.splitlines())
    opened, closed = "<table><tr><td>" * depth, "</td></tr></table>" * depth
    return f"<html><body>{opened}{body}{closed}</body></html>".encode()


def _calls(data: bytes) -> tuple[int, str]:
    from extract.ingest import read_bytes

    read_bytes(data, "warm.html")  # imports and compiled patterns out of the count
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        count += event in ("call", "c_call")

    sys.setprofile(profile)
    try:
        text = read_bytes(data, "deep.html").text
    finally:
        sys.setprofile(None)
    return count, text


def test_nested_layout_tables_cost_linear_work() -> None:
    small, small_text = _calls(_nested_tables(150))
    large, large_text = _calls(_nested_tables(300))
    assert "一、总体情况" in small_text and small_text == large_text
    # the page's own text is a fixed part of both; the nesting's part must grow linearly
    assert large / small < 2.2, (small, large)

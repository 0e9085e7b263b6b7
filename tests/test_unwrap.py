"""Hard-wrapped prose (text copied out of a PDF, pdftotext's output) is joined back into its
paragraphs; laid-out text, headings, items and tables are left as they are."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DOC_IDS, seed_path

from extract import extract
from extract.unwrap import _width, unwrap, wrap_width


def _wrapped(text: str, columns: int, measure: Callable[[str], int] = _width) -> str:
    """``text`` with every line of prose broken at ``columns`` display columns, as a PDF
    viewer's copy gives it (or ``columns`` characters, ``measure=len``, as a tool counting
    every character as one does); table lines (cells split by | or tabs) are kept."""
    out = []
    for line in text.splitlines():
        if "|" in line or "\t" in line or measure(line) <= columns:
            out.append(line)
            continue
        piece = ""
        for char in line:
            if measure(piece + char) > columns:
                out.append(piece)
                piece = ""
            piece += char
        out.append(piece)
    return "\n".join(out)


PARAGRAPH = (
    "2024年,区政府系统办理市级建议提案16件(人大建议12件、政协提案4件),区级建议提案136件,"
    "全年累计公开政府信息481条,其中通过政府网站公开政府信息31条,依托政务新媒体公开各类信息"
    "450条。全年共收到政府信息公开申请29件,均在法定期限内予以答复,未收取任何费用。"
)


def test_a_wrapped_paragraph_is_joined_and_a_number_cut_in_two_is_whole() -> None:
    # (a width at which the wrap cuts 481条 in two)
    columns = next(c for c in range(30, 90) if "48\n1条" in _wrapped(PARAGRAPH * 2, c))
    text = (
        f"二、主动公开政府信息情况\n{_wrapped(PARAGRAPH * 2, columns)}\n"
        "三、收到和处理政府信息公开申请情况\n"
    )
    joined = unwrap(text).split("\n")
    assert joined[0] == "二、主动公开政府信息情况"
    assert joined[-2] == "三、收到和处理政府信息公开申请情况"
    # Joined back into sentences: a line ends only where a sentence does (a wrap that fell
    # right after a full stop cannot be told from a paragraph's end, and needs no joining).
    assert "".join(joined[1:-2]) == PARAGRAPH * 2
    assert all(line.endswith("。") for line in joined[1:-2])


def test_headings_and_items_after_a_full_line_start_lines_of_their_own() -> None:
    body = _wrapped(PARAGRAPH, 44).split("\n")
    heads = ["(一)主动公开情况", "1.政府信息公开平台建设"]
    lines = unwrap("\n".join([*body, heads[0], *body, heads[1], *body])).split("\n")
    assert [line for line in lines if line in heads] == heads
    prose = [line for line in lines if line not in heads]
    assert "".join(prose) == PARAGRAPH * 3 and all(line.endswith("。") for line in prose)


def test_sub_headings_of_one_width_do_not_make_a_text_wrapped() -> None:
    # A laid-out report's unpunctuated sub-headings are often of one width; each is followed
    # by its paragraph, which ends with a full stop: nothing is joined.
    heads = [f"({n})积极推动政府信息主动公开工作" for n in "一二三四五六"]
    text = "\n".join(f"{h}\n{PARAGRAPH}" for h in heads)
    assert wrap_width(text.split("\n")) is None
    assert unwrap(text) == text


@pytest.mark.parametrize("doc_id", [d for d in DOC_IDS if d != "luozhuang-2019"])
def test_laid_out_seed_reports_are_left_as_they_are(doc_id: str) -> None:
    text = unicodedata.normalize("NFC", seed_path(doc_id).read_text("utf-8"))
    assert unwrap(text) == text


def test_the_hard_wrapped_notices_pasted_into_a_seed_are_joined() -> None:
    # luozhuang-2019 carries notices pasted from a PDF, wrapped at 29 characters.
    text = unicodedata.normalize("NFC", seed_path("luozhuang-2019").read_text("utf-8"))
    joined = unwrap(text)
    assert "区直各\n事业单位" in text and "区直各事业单位" in joined
    assert "截至8月7\n日" in text and "截至8月7日" in joined


@pytest.mark.parametrize(
    ("columns", "measure"), [(40, _width), (70, _width), (24, len)], ids=["40col", "70col", "24ch"]
)
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_a_seed_copied_out_of_a_pdf_gives_the_record_of_its_text(
    doc_id: str, columns: int, measure: Callable[[str], int], tmp_path: Path
) -> None:
    base = extract(seed_path(doc_id))
    path = tmp_path / f"{doc_id}.txt"
    path.write_text(_wrapped(seed_path(doc_id).read_text("utf-8"), columns, measure), "utf-8")
    record = extract(path)
    assert record.tables == base.tables
    assert record.issuer == base.issuer and record.year == base.year
    assert {(f.field, f.value) for f in record.facts} == {(f.field, f.value) for f in base.facts}


def test_one_paragraph_of_many_wrapped_lines_is_joined_in_one_pass() -> None:
    # Joining piece by piece onto the growing line was quadratic (80,000 lines took 107 s).
    # The check is a ratio on this machine, not a time: four times the lines must cost
    # about four times as much (the quadratic way cost 11 to 19 times as much here).
    import statistics
    import time

    line = "政府信息公开工作稳步推进各项任务落实到位" * 2

    def cost(lines: int) -> float:
        text = "\n".join([line] * lines)
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            joined = unwrap(text)
            runs.append(time.perf_counter() - started)
        assert joined == line * lines
        return statistics.median(runs)

    small, large = cost(5_000), cost(20_000)
    assert large / small < 8, (small, large)

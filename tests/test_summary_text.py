"""The run summary says what to look at: each failed check by report and numbers, what a
failed check means, the other kinds of problem counted apart, and where the output went."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DOC_IDS, FIXTURES
from rich.console import Console

from extract.cli import main
from extract.pipeline import extract_file
from extract.record import Check, Problem, Record
from extract.summary import destination, render, summarise

LISHAN = (
    "鞍山市立山区人民政府 2024  cross.applications_received  narrative 29 ≠ table new_received 49"
)


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return [extract_file(FIXTURES / f"{d}.txt", doc_id=d)[0] for d in DOC_IDS]


def _printed(records: list[Record], width: int = 80, terminal: bool = False, **kw: object) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=terminal, color_system=None)
    render(summarise(records), console, **kw)  # type: ignore[arg-type]
    return out.getvalue()


def test_failed_checks_are_named_with_their_numbers_and_meaning(records: list[Record]) -> None:
    text = _printed(records)
    lines = [line.rstrip() for line in text.splitlines()]
    assert "checks                    217 held, 2 failed" in lines
    assert f"  {LISHAN}" in lines
    assert (
        "  临沂市罗庄区人民政府 2019  cross.litigation_cases  narrative 8 ≠ table 2+8 = 10" in lines
    )
    assert "failed checks (2)" in lines
    assert any("the report's own numbers disagree" in line for line in lines)


def _hybrid_with_warning(record: Record) -> Record:
    return record.model_copy(
        update={
            "checks": [
                *record.checks,
                Check(name="hybrid.gazette_issues", ok=False, detail="rules 12; llm 12, 24"),
                Check(name="hybrid.open_day_events", ok=True, detail="rules 220; llm 220"),
            ],
            "errors": [
                Problem(
                    where="tables.review_litigation",
                    message="section 四 (行政复议、行政诉讼情况) has no recognisable heading; "
                    "the table was located by its own rows",
                ),
                Problem(where="facts", message="chunk 2 failed validation after 2 re-asks"),
            ],
        }
    )


def test_disagreements_warnings_and_errors_are_counted_apart(records: list[Record]) -> None:
    linyi = _hybrid_with_warning(records[DOC_IDS.index("linyi-2023")])
    others = [r for r in records if r.doc_id != "linyi-2023"]
    summary = summarise([linyi, *others])
    assert summary.failed_checks.total == 2  # the hybrid check is not a failed check
    assert [i.what for i in summary.disagreements.items] == ["hybrid.gazette_issues"]
    assert summary.compared == 2
    assert [i.what for i in summary.warnings.items] == ["tables.review_litigation"]
    assert [i.what for i in summary.errors.items] == ["facts"]
    lines = [line.rstrip() for line in _printed([linyi, *others]).splitlines()]
    for row in (
        "checks                    217 held, 2 failed",
        "rules vs model            1 of 2 fields disagree",
        "warnings                  1",
        "errors                    1",
        "  临沂市人民政府 2023  hybrid.gazette_issues  rules 12; llm 12, 24",
        "  临沂市人民政府 2023  facts  chunk 2 failed validation after 2 re-asks",
    ):
        assert row in lines, row
    heads = [line.split(" (")[0] for line in lines if line and line[0] != " " and "(" in line]
    assert heads[-4:] == ["failed checks", "rules vs model", "errors", "warnings"]


@pytest.mark.parametrize(
    ("output", "store", "text", "expected"),
    [
        pytest.param(
            Path("r.jsonl"),
            None,
            False,
            [("output", "records → r.jsonl"), ("look at them", "nianbao view r.jsonl")],
            id="file",
        ),
        pytest.param(
            None, None, False, [("output", "records → standard output")], id="standard-output"
        ),
        pytest.param(
            None,
            Path("run.sqlite"),
            False,
            [
                ("output", "records → standard output"),
                ("run store", "run.sqlite"),
                ("look at them", "nianbao view run.sqlite"),
            ],
            id="store",
        ),
        pytest.param(
            Path("t.txt"), None, True, [("output", "normalised text → t.txt")], id="print-text"
        ),
    ],
)
def test_the_summary_says_where_the_output_went(
    output: Path | None, store: Path | None, text: bool, expected: list[tuple[str, str]]
) -> None:
    assert list(destination(output, store=store, text=text)) == expected


def test_extract_prints_where_the_records_went(tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    result = CliRunner().invoke(
        main, ["extract", str(FIXTURES / "lishan-2024.txt"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"records → {out}" in result.output
    assert f"nianbao view {out}" in result.output
    assert LISHAN in result.output


def test_a_long_run_keeps_counts_but_only_the_first_items(records: list[Record]) -> None:
    lishan = records[DOC_IDS.index("lishan-2024")]
    text = _printed([lishan] * 250)
    assert "checks                    10500 held, 250 failed" in text.splitlines()
    assert (
        summarise([lishan] * 250).failed_checks.items
        == [summarise([lishan]).failed_checks.items[0]] * 100
    )
    assert "  … and 238 more (nianbao view shows them all)" in text.splitlines()


def test_a_log_gets_whole_lines_never_wrapped(records: list[Record]) -> None:
    text = _printed(records, width=40)  # not a terminal: width is ignored
    assert f"  {LISHAN}" in text.splitlines()


@pytest.mark.parametrize("width", [60, 90, 160])
def test_a_terminal_wraps_between_columns_never_inside_a_phrase(
    records: list[Record], width: int
) -> None:
    text = _printed(records, width=width, terminal=True, written=destination(None))
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines)
    # the report and the check's name are each whole on one line, the numbers under them
    (head,) = [n for n, line in enumerate(lines) if "cross.applications_received" in line]
    assert "鞍山市立山区人民政府 2024" in lines[head]
    numbers = " ".join(line.strip() for line in lines[head : head + 3])
    assert "narrative 29 ≠ table new_received 49" in numbers
    if width >= 120:
        assert lines[head].rstrip().endswith("narrative 29 ≠ table new_received 49")
    else:  # the numbers go on their own indented line(s) rather than a squeezed column
        assert lines[head + 1].startswith("      narrative 29")
    output = next(line for line in lines if line.startswith("output"))
    assert output.rstrip().endswith("standard output")


def test_a_file_name_with_control_characters_is_shown_spelled_out(tmp_path: Path) -> None:
    # A name may hold a newline or an escape sequence: the summary is one line per item and
    # never hands a terminal a control sequence from a file name.
    odd = tmp_path / "a\nb\x1b[2Jc.txt"
    odd.write_text("这不是一份年度报告。", encoding="utf-8")
    record, _ = extract_file(odd)
    text = _printed([record])
    assert "\x1b" not in text
    assert any(line.startswith("  a\\nb\\x1b[2Jc  sections") for line in text.splitlines())

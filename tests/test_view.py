"""`nianbao view`: the seeds' records as one page, checked as HTML and in a real browser.

Run as a script (`python tests/test_view.py docs/view.png`) it makes the README's screenshot.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DOC_IDS, FIXTURES, seed_path
from procs import chromium

from extract import outcome
from extract.bulk.store import RunStore
from extract.cli import main
from extract.evaluation.gold import table_cells
from extract.pipeline import extract_file
from extract.record import Check, Problem, Record
from extract.view.cells import involved
from extract.view.document import Source, render_document
from extract.view.page import embedded_documents
from extract.view.sources import read_text, view_page
from extract.view.tables import label_levels

LISHAN_FAILED_CELLS = {
    "applications.rows.new_received[6]",
    "applications.rows.carried_over[6]",
}


class Page(HTMLParser):
    """Every element's tag, attributes and own text, in order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[dict[str, str]] = []
        self._open: list[dict[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = {"tag": tag, "text": "", **{k: v or "" for k, v in attrs}}
        self.elements.append(element)
        if tag not in ("br", "meta", "img", "input", "link"):
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop()["tag"] != tag:
            pass

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element["text"] += data

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            e
            for e in self.elements
            if e["tag"] == tag and all(e.get(k) == v for k, v in attrs.items())
        ]

    def cell(self, name: str) -> dict[str, str]:
        (td,) = self.find("td", **{"data-cell": name})
        return td


@pytest.fixture(scope="module")
def records() -> dict[str, Record]:
    return {d: extract_file(FIXTURES / f"{d}.txt", doc_id=d)[0] for d in DOC_IDS}


def _document(record: Record) -> Page:
    return Page(render_document(record, read_text(record)[0]))


def test_every_seed_check_names_cells_that_exist(records: dict[str, Record]) -> None:
    for record in records.values():
        cells = set(table_cells(record.tables))
        for check in record.checks:
            what = involved(check, record)
            assert what.cells or what.fields, check.name
            assert what.cells <= cells, (check.name, what.cells - cells)


def test_lishan_cross_check_is_marked_on_its_cells_and_evidence(
    records: dict[str, Record],
) -> None:
    page = _document(records["lishan-2024"])
    for name in LISHAN_FAILED_CELLS:
        td = page.cell(name)
        assert "failed" in td["class"].split(), name
        assert "cross.applications_received" in td["title"] and "narrative 29" in td["title"]
    assert page.cell("applications.rows.new_received[6]")["text"] == "49"
    failed_cells = {e["data-cell"] for e in page.find("td") if "failed" in e.get("class", "")}
    assert failed_cells == LISHAN_FAILED_CELLS
    (mark,) = [m for m in page.find("mark") if m["class"] == "failed"]
    assert mark["text"] == "全年立山区共收到依申请公开事项29宗"
    assert "applications_received = 29宗" in mark["title"]
    (item,) = page.find("li", **{"class": "failed"})
    assert "cross.applications_received" in item["text"] and "29" in item["text"]
    assert any("report's own numbers disagree" in p["text"] for p in page.find("p"))


def test_evidence_is_highlighted_with_field_value_and_method(records: dict[str, Record]) -> None:
    record = records["linyi-2023"]
    page = _document(record)
    marks = page.find("mark")
    for fact in record.facts:
        assert any(
            fact.evidence in m["text"] and f"{fact.field} = {fact.value:g}" in m["title"]
            for m in marks
        ), fact
    assert all(m["title"].endswith("· rules") for m in marks if m["class"] == "fact")


@pytest.mark.parametrize(
    ("label", "levels"),
    [
        pytest.param(
            "三、本年度办理结果 （一）予以公开",
            ("三、本年度办理结果", "（一）予以公开", None),
            id="top-and-middle",
        ),
        pytest.param(
            "（三）不予公开 1.属于国家秘密",
            ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"),
            id="under-the-row-above",
        ),
        pytest.param(
            "（六）其他处理（2019 标准，无分项）",
            ("三、本年度办理结果", "（六）其他处理（2019 标准，无分项）", None),
            id="a-space-inside-a-label",
        ),
        pytest.param(
            "四、结转下年度继续办理", ("四、结转下年度继续办理", None, None), id="top-only"
        ),
    ],
)
def test_application_row_labels_split_into_the_printed_levels(
    label: str, levels: tuple[str | None, ...]
) -> None:
    assert label_levels(label, "三、本年度办理结果") == levels


def test_tables_are_laid_out_with_their_chinese_labels(records: dict[str, Record]) -> None:
    page = _document(records["luozhuang-2019"])
    headings = [th["text"] for th in page.find("th")]
    for label in ("自然人", "商业企业", "法律服务机构", "申请人情况", "行政复议", "复议后起诉"):
        assert label in headings, label
    assert headings.count("结果维持") == 3  # one per review group
    (withheld,) = [th for th in page.find("th") if th["text"] == "（三）不予公开"]
    assert withheld["rowspan"] == "8"  # 1.属于国家秘密 … 8.属于行政查询事项
    rows = page.find("tr")
    keys = [r["data-row"] for r in rows if "data-row" in r]
    assert keys == list(records["luozhuang-2019"].tables.applications.rows)  # type: ignore[union-attr]
    assert "（六）其他处理（2019 标准，无分项）" in headings
    # 2019 section 二: its own column headings, a negative change kept as printed
    assert "本年增/减（减少为负数）" in headings
    assert page.cell("active_disclosure.administrative_coercion.change")["text"] == "-38"


def test_a_source_gone_or_changed_shows_the_record_without_text(
    records: dict[str, Record], tmp_path: Path
) -> None:
    copy = tmp_path / "lishan.txt"
    shutil.copy(FIXTURES / "lishan-2024.txt", copy)
    record = extract_file(copy, doc_id="lishan-2024")[0]
    assert read_text(record)[1] == "yes"
    copy.write_text(copy.read_text("utf-8") + "\n附件：无\n", "utf-8")
    source, status = read_text(record)
    assert (status, source.text) == ("changed", None) and "has changed" in (source.note or "")
    copy.unlink()
    source, status = read_text(record)
    assert (status, source.text) == ("gone", None) and "is gone" in (source.note or "")
    page = Page(render_document(record, source))
    assert not page.find("div", **{"class": "text"})
    assert page.cell("applications.rows.new_received[6]")["class"] == "failed"
    assert len(page.find("table", **{"class": "facts"})) == 1


def test_index_lists_every_document_sortably_and_nothing_external(
    records: dict[str, Record],
) -> None:
    html = view_page(records.values(), "seeds")
    page = Page(html)
    heads = [th["text"] for th in page.find("th")][:10]
    assert heads[:2] == ["document", "doc_id"] and "failed checks" in heads
    assert "errors" in heads and "warnings" in heads and "facts" in heads
    rows = page.find("tbody")[0]["text"]
    assert all(d in rows for d in DOC_IDS)
    failed = [td for td in page.find("td") if "n-failed" in td.get("class", "")]
    assert sorted(td["data-sort"] for td in failed) == ["0", "0", "0", "1", "1"]
    assert "sortBy" in html and "DecompressionStream" in html
    assert not [e for e in page.elements if e.get("src") or e["tag"] in ("link", "img")]
    assert [a["href"] for a in page.find("a")] == [f"#{d}" for d in DOC_IDS]
    documents = embedded_documents(html)
    assert set(documents) == set(DOC_IDS)
    assert "narrative 29" in documents["lishan-2024"]


def _with(record: Record, **changes: object) -> Record:
    return record.model_copy(update=changes)


def test_disagreements_and_warnings_are_kept_apart(records: dict[str, Record]) -> None:
    base = records["linyi-2023"]
    record = _with(
        base,
        checks=[
            *base.checks,
            Check(name="hybrid.gazette_issues", ok=False, detail="rules 12; llm 12, 24"),
        ],
        errors=[
            Problem(
                where="tables.applications",
                message="the table is not under its section "
                "heading; it was located by its own rows",
            ),
            Problem(where="facts", message="a chunk failed validation"),
        ],
    )
    assert outcome.failed_checks(record) == []
    assert [c.name for c in outcome.disagreements(record)] == ["hybrid.gazette_issues"]
    assert [p.where for p in outcome.warnings(record)] == ["tables.applications"]
    assert [p.where for p in outcome.errors(record)] == ["facts"]
    page = Page(render_document(record, Source(None)))
    assert [h["text"] for h in page.find("h3")][:3] == [
        "Rules and model disagree (1)",
        "Errors (1)",
        "Warnings (1)",
    ]
    assert "gazette_issues" in page.find("li", **{"class": "disagree"})[0]["text"]
    gazette = [tr for tr in page.find("tr") if tr.get("class") == "disagree"]
    assert len(gazette) == 1 and "gazette_issues" in gazette[0]["text"]


def test_view_command_from_records_and_from_a_run_store(
    records: dict[str, Record], tmp_path: Path
) -> None:
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text("".join(r.model_dump_json() + "\n" for r in records.values()), "utf-8")
    result = CliRunner().invoke(main, ["view", str(jsonl)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {tmp_path / 'records.html'}: 5 documents, 2 failed checks\n"
    with RunStore(tmp_path / "run.sqlite") as store:
        for record in records.values():
            store.save(record, 0.1)
    out = tmp_path / "pages" / "run.html"
    result = CliRunner().invoke(main, ["view", str(tmp_path / "run.sqlite"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert set(embedded_documents(out.read_text("utf-8"))) == set(DOC_IDS)


def test_view_refuses_what_is_not_records(tmp_path: Path) -> None:
    bad = tmp_path / "notes.jsonl"
    bad.write_text(json.dumps({"hello": "world"}) + "\n", "utf-8")
    result = CliRunner().invoke(main, ["view", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:1: not a record: doc_id: Field required" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "notes.html").exists()


def test_relative_sources_are_found_beside_the_records(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    shutil.copy(FIXTURES / "lishan-2024.txt", tmp_path / "reports" / "lishan.txt")
    record = extract_file(tmp_path / "reports" / "lishan.txt")[0]
    relative = _with(record, source="reports/lishan.txt")
    assert read_text(relative)[1] == "gone"  # not from this working directory
    assert read_text(relative, base=tmp_path)[1] == "yes"


def screenshot(page: Path, fragment: str, shot: Path, size: str = "1000,900") -> None:
    chromium(f"--window-size={size}", f"--screenshot={shot}", page.as_uri() + fragment)


def _near(rgb: tuple[int, int, int], target: int) -> bool:
    r, g, b = (target >> 16) & 255, (target >> 8) & 255, target & 255
    return abs(rgb[0] - r) + abs(rgb[1] - g) + abs(rgb[2] - b) < 12


@pytest.mark.browser
def test_lishan_failure_on_screen_in_a_real_browser(
    records: dict[str, Record], tmp_path: Path
) -> None:
    from PIL import Image

    page = tmp_path / "view.html"
    page.write_text(view_page(records.values(), "seeds"), "utf-8")
    index, document = tmp_path / "index.png", tmp_path / "lishan.png"
    screenshot(page, "", index)
    screenshot(page, "#lishan-2024", document, "1000,1000")
    for shot in (index, document):
        colours = Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 20, f"{shot.name} is blank"
    image = Image.open(document).convert("RGB")
    # The failed cells' red (#ffc9c9) is on screen, in the 总计 column's first two rows.
    red = [
        (x, y)
        for x in range(image.width)
        for y in range(image.height)
        if _near(image.getpixel((x, y)), 0xFFC9C9)  # type: ignore[arg-type]
    ]
    assert len(red) > 500, "no failed cell marked on screen"
    xs = sorted({x for x, _ in red})
    assert xs[-1] > image.width * 0.8, "the marked cells are the 总计 column (rightmost)"
    # The index opens first: no document's tables are on it.
    index_colours = Image.open(index).convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert any(_near(c, 0xFFC9C9) for _, c in index_colours), "failed count marked in index"


@pytest.mark.browser
def test_the_index_puts_the_worst_first_and_opens_a_document(
    records: dict[str, Record], tmp_path: Path
) -> None:
    page = tmp_path / "view.html"
    page.write_text(view_page(records.values(), "seeds"), "utf-8")
    index = Page(chromium("--dump-dom", page.as_uri()))
    order = [a["href"].removeprefix("#") for a in index.find("a")]
    # sorted in the browser: failed checks first, ties in the run's order
    assert order == [
        "lishan-2024",
        "luozhuang-2019",
        "luozhuang-2024",
        "linyi-2023",
        "yuezhuang-2024",
    ]
    opened = Page(chromium("--dump-dom", page.as_uri() + "#luozhuang-2019"))
    (view,) = opened.find("main", id="view")
    assert "hidden" not in view and "cross.litigation_cases" in view["text"]
    cells = [td for td in opened.find("td") if "failed" in td.get("class", "").split()]
    assert {td.get("data-cell") for td in cells} == {
        "review_litigation.litigation_direct.total",
        "review_litigation.litigation_after_reconsideration.total",
    }
    (nav,) = opened.find("nav")
    assert nav["text"] == "← all documents · ‹ previous · next ›"


def _readme_screenshot(out: Path) -> None:
    """The README's picture: the seeds' records, lishan-2024 opened."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        page, shot = Path(tmp) / "view.html", Path(tmp) / "shot.png"
        root = FIXTURES.parent.parent
        records = [
            _with(r, source=str(Path(r.source).relative_to(root)))
            for r in (extract_file(FIXTURES / f"{d}.txt", doc_id=d)[0] for d in DOC_IDS)
        ]
        page.write_text(view_page(records, "nianbao view — records.jsonl", root), "utf-8")
        screenshot(page, "#lishan-2024", shot, "1000,760")
        image = Image.open(shot).convert("RGB")
        image.quantize(colors=96).save(out, optimize=True)


def test_view_never_overwrites_its_records(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    result = CliRunner().invoke(
        main, ["extract", "-q", str(seed_path("lishan-2024")), "-o", str(records)]
    )
    assert result.exit_code == 0, result.output
    before = records.read_bytes()
    result = CliRunner().invoke(main, ["view", str(records), "-o", str(records)])
    assert result.exit_code == 2
    assert "is also an input" in result.output
    assert records.read_bytes() == before


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/view.png")
    _readme_screenshot(target)
    print(f"wrote {target}")

"""The HTML report a person reads, and the Label Studio round trip that grows the corpus."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT
from procs import chromium

from extract.cli import main
from extract.evaluation.gold import check_gold
from extract.evaluation.labelling import from_export_task, to_task
from extract.evaluation.report import render_report
from extract.evaluation.runner import load_golds
from extract.evaluation.score import score
from extract.pipeline import extract_file
from extract.view.page import embedded_documents

EXPORT = ROOT / "tests" / "data" / "label_studio_export.json"


class _Marks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.marks: list[tuple[str, str]] = []
        self.external: list[str] = []
        self._cls: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "mark":
            self._cls = a.get("class")
        if a.get("src") or (tag == "link" and a.get("href")):
            self.external.append(tag)  # inline scripts and styles only

    def handle_data(self, data: str) -> None:
        if self._cls:
            self.marks.append((self._cls, data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._cls = None


def _report_with_errors() -> str:
    """A run with a false positive and a miss, so every highlight class appears."""
    golds, texts = load_golds(FIXTURES)
    records = [extract_file(FIXTURES / g.text_file, doc_id=g.doc_id)[0] for g in golds]
    luozhuang = next(r for r in records if r.doc_id == "luozhuang-2024")
    trainings = next(f for f in luozhuang.facts if f.value == 27)
    luozhuang.facts.remove(trainings)  # a miss
    wrong = luozhuang.facts[0].model_copy(update={"field": "gazette_issues"})
    luozhuang.facts.append(wrong)  # a false positive (and a miss of the real field)
    return render_report(score(records, golds, texts), records, texts, "test run")


def test_report_highlights_misses_and_false_positives() -> None:
    page = _report_with_errors()
    parser = _Marks()
    parser.feed(page)
    assert parser.external == [], "the report must open offline"
    for document in embedded_documents(page).values():
        parser.feed(document)
    classes = {cls for cls, _ in parser.marks}
    assert classes == {"tp", "fp", "miss"}
    assert ("miss", "“一对一”培训27次") in parser.marks
    assert any(cls == "fp" and "7064" in text for cls, text in parser.marks)
    assert parser.external == [], "the report must open offline"


@pytest.mark.browser
def test_report_renders_in_a_real_browser(tmp_path: Path) -> None:
    from PIL import Image

    page = tmp_path / "report.html"
    page.write_text(_report_with_errors(), "utf-8")
    shot = tmp_path / "shot.png"
    chromium(
        "--window-size=1000,3000",
        f"--screenshot={shot}",
        page.as_uri() + "#luozhuang-2024",
    )
    image = Image.open(shot).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 20, "the screenshot is blank"
    # the green of agreeing evidence (#b7e4c7) is on screen in quantity
    green = sum(n for n, (r, g, b) in colours if abs(r - 0xB7) + abs(g - 0xE4) + abs(b - 0xC7) < 12)
    assert green > 200, "no highlighted evidence on screen"


def test_label_studio_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "gold"
    result = CliRunner().invoke(main, ["label", "import", str(EXPORT), "--out", str(out)])
    assert result.exit_code == 0, result.output
    gold = json.loads((out / "sample-county-2024.json").read_text("utf-8"))
    assert [(f["field"], f["value"], f["approximate"], f["unit"]) for f in gold["facts"]] == [
        ("disclosed_items_total", 2600, True, "条"),
        ("trainings", 3, False, "期"),  # no value typed: read from the span
        ("applications_received", 42, False, "件"),
    ]
    assert check_gold(out / "sample-county-2024.json") == []


def test_exported_tasks_come_back_as_the_same_facts(tmp_path: Path) -> None:
    record, text = extract_file(FIXTURES / "linyi-2023.txt")
    task = to_task(record, text)
    # What Label Studio exports when the annotator accepts every pre-annotation.
    task["annotations"] = [{"result": task["predictions"][0]["result"], "was_cancelled": False}]
    gold, back_text = from_export_task(task)
    assert back_text == text
    assert [(f["field"], f["value"], f["approximate"]) for f in gold["facts"]] == [
        (f.field, f.value, f.approximate) for f in record.facts
    ]
    assert gold["tables"] == record.tables.model_dump(mode="json")
    (tmp_path / "linyi-2023.txt").write_text(back_text, "utf-8")
    (tmp_path / "linyi-2023.json").write_text(json.dumps(gold, ensure_ascii=False), "utf-8")
    assert check_gold(tmp_path / "linyi-2023.json") == []


def test_draft_and_export_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    records = tmp_path / "records.jsonl"
    runner.invoke(main, ["extract", "-q", str(FIXTURES / "yuezhuang-2024.txt"), "-o", str(records)])
    drafts = tmp_path / "drafts"
    result = runner.invoke(main, ["label", "draft", str(records), "--out", str(drafts)])
    assert result.exit_code == 0, result.output
    assert check_gold(drafts / "yuezhuang-2024.json") == []
    tasks = tmp_path / "tasks.json"
    result = runner.invoke(
        main,
        [
            "label",
            "export",
            str(records),
            "-o",
            str(tasks),
            "--config",
            str(tmp_path / "config.xml"),
        ],
    )
    assert result.exit_code == 0, result.output
    (task,) = json.loads(tasks.read_text("utf-8"))
    assert task["predictions"][0]["result"]
    assert "processing_fees_yuan" in (tmp_path / "config.xml").read_text("utf-8")


def _linyi_task() -> dict[str, Any]:
    record, text = extract_file(FIXTURES / "linyi-2023.txt")
    return to_task(record, text)


def test_import_leaves_out_skipped_tasks_with_a_warning(tmp_path: Path) -> None:
    done = _linyi_task()
    done["id"] = 1
    done["annotations"] = [{"result": done["predictions"][0]["result"], "was_cancelled": False}]
    skipped = _linyi_task()
    skipped["id"] = 2
    skipped["data"]["doc_id"] = "skipped-doc"
    skipped["annotations"] = [{"result": [], "was_cancelled": True}]
    never = _linyi_task()
    never["id"] = 3
    never["data"]["doc_id"] = "never-annotated"
    export = tmp_path / "export.json"
    export.write_text(json.dumps([skipped, done, never], ensure_ascii=False), "utf-8")
    result = CliRunner().invoke(
        main, ["label", "import", str(export), "--out", str(tmp_path / "g")]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "g").glob("*.json")) == ["linyi-2023.json"]
    assert "task 2 (skipped-doc): skipped or never annotated" in result.output
    assert "task 3 (never-annotated)" in result.output


def test_json_min_export_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    # Label Studio's JSON-MIN: one flat object per task, no "data", no offsets.
    export = tmp_path / "min.json"
    export.write_text(
        json.dumps([{"id": 5, "text": "全年举办培训3次", "field": "trainings", "annotator": 1}]),
        "utf-8",
    )
    result = CliRunner().invoke(
        main, ["label", "import", str(export), "--out", str(tmp_path / "g")]
    )
    assert result.exit_code == 1
    assert "Export → JSON" in result.output and "KeyError" not in result.output
    assert not (tmp_path / "g").exists()


def test_ground_truth_annotation_wins_over_a_later_one() -> None:
    task = _linyi_task()
    result = task["predictions"][0]["result"]
    first_region = [r for r in result if r["id"] == "r0"]
    task["annotations"] = [
        {"result": result, "ground_truth": True, "updated_at": "2026-11-20T08:00:00Z"},
        {"result": first_region, "ground_truth": False, "updated_at": "2026-11-21T08:00:00Z"},
    ]
    gold, _ = from_export_task(task)
    assert len(gold["facts"]) == len([r for r in result if r["type"] == "labels"])
    task["annotations"][0]["ground_truth"] = False
    gold, _ = from_export_task(task)
    assert len(gold["facts"]) == 1  # no ground truth: the latest


def test_drafts_never_overwrite_reports_or_gold(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(FIXTURES / "lishan-2024.txt", folder / "lishan-2024.txt")
    runner = CliRunner()
    records = tmp_path / "records.jsonl"
    assert runner.invoke(main, ["extract", "-q", str(folder), "-o", str(records)]).exit_code == 0
    report = (folder / "lishan-2024.txt").read_bytes()
    result = runner.invoke(main, ["label", "draft", str(records), "--out", str(folder)])
    assert result.exit_code == 2 and "is the report" in result.output
    assert (folder / "lishan-2024.txt").read_bytes() == report
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "lishan-2024.json").write_text('{"labelled": "by hand"}', "utf-8")
    result = runner.invoke(main, ["label", "draft", str(records), "--out", str(gold_dir)])
    assert result.exit_code == 2 and "--overwrite" in result.output
    assert (gold_dir / "lishan-2024.json").read_text("utf-8") == '{"labelled": "by hand"}'
    result = runner.invoke(
        main, ["label", "draft", str(records), "--out", str(gold_dir), "--overwrite"]
    )
    assert result.exit_code == 0, result.output

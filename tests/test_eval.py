"""The scorer follows every rule of docs/facts.md, and check-gold rejects what breaks them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from extract.cli import main
from extract.evaluation.compare import compare
from extract.evaluation.gold import GoldDoc, check_gold
from extract.evaluation.models import EvalReport
from extract.evaluation.score import score
from extract.record import Fact, Provenance, Record

TEXT = "一、总体情况\n全区主动公开政府信息20余万条,开展政府开放日活动8场,开放日活动8场。\n"


def _gold(facts: list[dict]) -> GoldDoc:
    return GoldDoc.model_validate({"doc_id": "d", "text_file": "d.txt", "facts": facts})


def _record(*facts: tuple[str, float, str, bool]) -> Record:
    out = []
    for field, value, evidence, approx in facts:
        start = max(TEXT.find(evidence), 0)
        out.append(
            Fact(
                field=field,
                value=value,
                unit=None,
                approximate=approx,
                evidence=evidence,
                start=start,
                end=start + len(evidence),
                method="rules",
            )
        )
    return Record(
        doc_id="d",
        source="d.txt",
        sha256="",
        issuer=None,
        year=None,
        format=None,
        facts=out,
        provenance=Provenance(extractor="t", backend="rules"),
    )


GOLD = [
    {
        "field": "disclosed_items_total",
        "value": 200000,
        "unit": "条",
        "approximate": True,
        "evidence": "主动公开政府信息20余万条",
    },
    {"field": "open_day_events", "value": 8, "unit": "场", "evidence": "政府开放日活动8场"},
]


def _summary(record: Record | None) -> EvalReport:
    records = [record] if record else []
    return score(records, [_gold(GOLD)], {"d": TEXT})


def test_duplicates_count_once() -> None:
    result = _summary(
        _record(
            ("open_day_events", 8, "政府开放日活动8场", False),
            ("open_day_events", 8, "开放日活动8场", False),
        )
    )
    assert (result.summary.micro.tp, result.summary.micro.fp) == (1, 0)


def test_value_must_match_and_field_must_match() -> None:
    result = _summary(
        _record(
            ("open_day_events", 9, "政府开放日活动8场", False),
            ("trainings", 8, "政府开放日活动8场", False),
        )
    )
    micro = result.summary.micro
    assert (micro.tp, micro.fp, micro.fn) == (0, 2, 2)
    assert result.summary.per_field["trainings"].precision == 0.0


def test_approximate_gold_matches_on_the_stated_value_and_says_so() -> None:
    result = _summary(_record(("disclosed_items_total", 200000, "主动公开政府信息20余万条", False)))
    (tp,) = result.documents[0].true_positives
    assert tp.rule == "same field, stated value of an approximate figure"
    assert result.summary.approximate_agreement == 0.0  # the flag disagreed


def test_ungrounded_evidence_lowers_grounding_not_matching() -> None:
    result = _summary(_record(("open_day_events", 8, "开展开放日活动共8场", False)))
    assert result.summary.micro.tp == 1
    assert result.summary.grounding == 0.0


def test_missing_document_counts_every_gold_fact_as_a_miss() -> None:
    result = _summary(None)
    assert result.summary.missing_documents == ["d"]
    assert result.summary.micro.fn == 2
    assert all(m.rule == "document missing from the records" for m in result.documents[0].misses)


def test_check_gold_accepts_the_fixtures() -> None:
    result = CliRunner().invoke(main, ["eval", "check-gold", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    assert "5 gold files, 0 problems" in result.output


@pytest.mark.parametrize(
    ("fact", "problem"),
    [
        ({"field": "trainings", "value": 3, "evidence": "举办培训300次"}, "not in the text"),
        (
            {"field": "trainings", "value": 4, "evidence": "举办政务公开业务培训3次"},
            "cannot be read",
        ),
        (
            {"field": "training_sessions", "value": 3, "evidence": "举办政务公开业务培训3次"},
            "not a valid gold file",
        ),
    ],
)
def test_check_gold_rejects(tmp_path: Path, fact: dict, problem: str) -> None:
    shutil.copy(FIXTURES / "luozhuang-2024.txt", tmp_path / "luozhuang-2024.txt")
    gold = json.loads((FIXTURES / "luozhuang-2024.json").read_text("utf-8"))
    gold["facts"].append(fact)
    path = tmp_path / "luozhuang-2024.json"
    path.write_text(json.dumps(gold, ensure_ascii=False), "utf-8")
    problems = check_gold(path)
    assert any(problem in p for p in problems), problems


def test_compare_flags_a_regression(tmp_path: Path) -> None:
    good = score([], [_gold(GOLD)], {"d": TEXT})
    better = _summary(_record(("open_day_events", 8, "政府开放日活动8场", False)))
    assert compare(better, good).regressed == ["micro_f1", "grounding"]
    assert compare(good, better).regressed == []
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(better.model_dump_json()), b.write_text(good.model_dump_json())
    result = CliRunner().invoke(main, ["eval", "compare", str(a), str(b)])
    assert result.exit_code == 1 and "micro_f1" in result.output
    # within the threshold F1 may drop; a metric that vanished (no predictions) still counts
    assert compare(better, good, threshold=1.0).regressed == ["grounding"]


def test_eval_run_prints_per_field_scores_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = CliRunner().invoke(
        main,
        [
            "eval",
            "--gold",
            str(FIXTURES),
            "--run",
            "-o",
            str(out),
            "--baseline",
            str(FIXTURES.parent / "baseline.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "open_day_events" in result.output and "micro" in result.output
    data = json.loads(out.read_text("utf-8"))
    assert data["summary"]["documents"] == 5


def test_eval_scores_records_from_a_file(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    runner = CliRunner()
    runner.invoke(main, ["extract", "-q", str(FIXTURES), "-o", str(records)])
    result = runner.invoke(
        main,
        ["eval", str(records), "--gold", str(FIXTURES), "-o", str(tmp_path / "r.json"), "--brief"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["micro"]["f1"] >= 0.9


def test_oracle_run_scores_one_and_names_any_loss() -> None:
    """The LLM path end to end (HTTP, instructor, grounding, chunking, merging, scoring)
    against a server answering with the gold facts: anything short of 1.0 is the
    pipeline's own loss."""
    from extract.evaluation.runner import load_golds, run_oracle

    golds, texts = load_golds(FIXTURES)
    result = score(run_oracle(golds, texts, FIXTURES), golds, texts)
    losses = [
        (d.doc_id, m.field, m.value, m.evidence)
        for d in result.documents
        for m in d.misses + d.false_positives
    ]
    assert losses == [], f"the pipeline lost these oracle facts: {losses}"
    assert result.summary.micro.f1 == 1.0
    assert result.summary.grounding == 1.0
    assert result.summary.approximate_agreement == 1.0


def test_a_written_report_reads_back_the_same() -> None:
    # Baselines written before the report was typed still load, and write out unchanged.
    from extract.evaluation.runner import read_report

    for name in ("baseline.json", "baseline-corpus-tune.json"):
        path = FIXTURES.parent / name
        report = read_report(path)
        assert report.model_dump(mode="json") == json.loads(path.read_text("utf-8"))


def test_issuer_and_year_are_scored_where_the_gold_names_them() -> None:
    named = GoldDoc.model_validate(
        {"doc_id": "d", "text_file": "d.txt", "issuer": "某某县人民政府", "year": 2023}
    )
    unnamed = GoldDoc.model_validate({"doc_id": "e", "text_file": "e.txt"})
    right = _record().model_copy(update={"issuer": "某某县人民政府", "year": 2023})
    wrong = right.model_copy(update={"issuer": "政务公开办公室", "year": 2022})
    other = _record().model_copy(update={"doc_id": "e", "issuer": "随便什么", "year": 1999})
    good = score([right, other], [named, unnamed], {"d": TEXT, "e": TEXT})
    bad = score([wrong, other], [named, unnamed], {"d": TEXT, "e": TEXT})
    # the unnamed gold counts for neither: one document is scored, and it is right or not
    assert (good.summary.issuer_accuracy, good.summary.year_accuracy) == (1.0, 1.0)
    assert (bad.summary.issuer_accuracy, bad.summary.year_accuracy) == (0.0, 0.0)
    first, second = (d.metadata for d in bad.documents)
    assert first is not None and first.issuer == "政务公开办公室"
    assert second is not None and second.issuer_ok is None
    assert compare(good, bad).regressed == ["issuer_accuracy", "year_accuracy"]
    # a baseline written before issuers were scored compares on what it has
    old = EvalReport.model_validate_json(
        good.model_dump_json(exclude={"summary": {"issuer_accuracy", "year_accuracy"}})
    )
    assert old.summary.issuer_accuracy is None
    assert compare(old, bad).regressed == []

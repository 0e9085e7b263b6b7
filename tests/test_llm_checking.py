"""Reading and checking a model's answer fact by fact (pure functions, real report text)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from conftest import DOC_IDS, gold, seed_path

from extract.bulk.prices import ModelPrice, PricesError, estimate, load_prices
from extract.facts.grounding import Anchor, ground, occurrences
from extract.llm.answers import (
    Candidate,
    Rejected,
    UnreadableAnswer,
    complete_facts,
    raw_facts,
    read_fact,
    read_flag,
    read_value,
    unreadable_part,
)
from extract.llm.chunking import Chunk, Piece, chunks_for, fact_sentences
from extract.llm.settings import ConfigError, LLMSettings, resolve, resolve_with_source
from extract.llm.validation import Failure, check_answer, excerpt_for
from extract.pipeline import draft, extract_file
from extract.record import Usage


def _text(doc_id: str) -> str:
    return extract_file(seed_path(doc_id))[1]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        pytest.param(5500, 5500, id="number"),
        pytest.param("5500", 5500, id="string"),
        pytest.param("5,500", 5500, id="separators"),
        pytest.param("1,487,111", 1487111, id="millions"),
        pytest.param("两", 2, id="liang"),
        pytest.param("二十三", 23, id="chinese"),
        pytest.param("8场", 8, id="with-unit"),
        pytest.param(" 27 个", 27, id="spaced-unit"),
        pytest.param("20余万", 200000, id="wan"),
        pytest.param("6.2万", 62000, id="decimal-wan"),
    ],
)
def test_numbers_as_models_write_them(raw: object, value: float) -> None:
    assert read_value(raw) == value


@pytest.mark.parametrize("raw", [None, True, "很多", "", "8场次以上的", [8]])
def test_what_is_not_a_number_stays_rejected(raw: object) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        read_value(raw)


@pytest.mark.parametrize(
    ("raw", "flag"),
    [(True, True), (False, False), (None, None), ("是", True), ("否", False), ("TRUE", True)],
)
def test_flags(raw: object, flag: bool | None) -> None:
    assert read_flag(raw) == flag


FACT = '{"field": "trainings", "value": 3, "evidence": "举办政务公开业务培训3次"}'


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(f'{{"facts": [{FACT}]}}', id="plain"),
        pytest.param(f'```json\n{{"facts": [{FACT}]}}\n```', id="fenced"),
        pytest.param(f'抽取结果如下：\n{{"facts": [{FACT}]}}\n以上。', id="in-prose"),
        pytest.param(f"[{FACT}]", id="bare-list"),
        pytest.param(f'{{"FACTS": [{FACT}]}}', id="key-case"),
        pytest.param(FACT, id="one-fact"),
    ],
)
def test_answers_in_any_wrapping(answer: str) -> None:
    (fact,) = raw_facts(answer)
    assert read_fact(fact) == Candidate("trainings", 3.0, "举办政务公开业务培训3次", None, None)


def test_an_empty_object_is_no_facts() -> None:
    assert raw_facts("{ }") == [] and raw_facts('{"facts": null}') == []


@pytest.mark.parametrize(
    "answer", ["", "我无法回答。", '{"facts": [{"field": "trainings",', '{"result": []}']
)
def test_unreadable_answers_say_so(answer: str) -> None:
    with pytest.raises(UnreadableAnswer, match="no JSON object"):
        raw_facts(answer)


def test_a_piece_of_a_broken_answer_is_not_taken_for_the_answer() -> None:
    # the second fact's unescaped quotes break the list: reading the first fact alone
    # would lose the second without a word
    quoted = '{"field": "open_day_events", "evidence": "开展"政府开放日"活动8场"}'
    broken = f'{{"facts": [{FACT}, {quoted}]}}'
    with pytest.raises(UnreadableAnswer) as caught:
        raw_facts(broken)
    assert "not valid JSON: Expecting ',' delimiter" in caught.value.reason
    assert "{" not in caught.value.reason  # the reason does not quote the answer; str() does
    assert str(caught.value).endswith("…'")
    # a whole answer after some prose that merely holds a bracket is still found
    assert raw_facts(f'结果[见下]：{{"facts": [{FACT}]}}') == [json.loads(FACT)]


def test_the_part_of_an_answer_a_repair_shows_back() -> None:
    quoted = '{"field": "open_day_events", "evidence": "开展"政府开放日"活动8场"}'
    kept, rest, why = unreadable_part(f'{{"facts": [{FACT}, {quoted}, {FACT}]}}')
    assert kept == [json.loads(FACT)] and rest == f"{quoted}, {FACT}]}}"
    # where it breaks, counted in the part shown: at the quote left unescaped
    at = rest.index("政")
    assert why == f"not valid JSON: Expecting ',' delimiter: line 1 column {at + 1} (char {at})"
    # nothing readable before the break: the whole answer is shown
    assert unreadable_part("我无法回答")[1:] == (
        "我无法回答",
        "no JSON object with a list of facts",
    )
    # a list of facts that is whole is read, whatever breaks after it
    assert raw_facts(f'{{"facts": [{FACT}], "note": "见"附件""}}') == [json.loads(FACT)]


def test_an_answer_cut_off_keeps_only_the_facts_completed_before_the_cut() -> None:
    two = f'{{"facts": [{FACT}, {FACT.replace("3", "4")}'
    expected = [json.loads(FACT), json.loads(FACT.replace("3", "4"))]
    assert complete_facts(two + ', {"field": "trainings", "val') == expected
    assert complete_facts(f"```json\n[{FACT}, {{") == [json.loads(FACT)]
    assert complete_facts('{"facts": [{"field": "trainings", "evidence": "2023年,2024年,20') == []
    assert complete_facts("我无法回答") == []


def test_field_ids_in_another_case_but_not_near_synonyms() -> None:
    upper = read_fact({"FIELD": "TRAININGS", "VALUE": "三", "EVIDENCE": "x", "UNIT": "次"})
    assert isinstance(upper, Candidate) and (upper.field, upper.value) == ("trainings", 3)
    near = read_fact({"field": "training", "value": 3, "evidence": "x"})
    assert isinstance(near, Rejected) and "not one of the catalogue's field ids" in near.reason


LINYI = _text("linyi-2023")


def test_quote_and_bracket_widths_fold_for_comparison_only() -> None:
    evidence = '开展"政府开放日"活动220余次'  # the report has “” quotes
    placed = ground(LINYI, evidence, 220)
    assert isinstance(placed, Anchor)
    assert LINYI[placed.start : placed.end] == "开展“政府开放日”活动220余次"
    assert placed.approximate and placed.unit == "次"
    bracket = ground(LINYI, "编辑<临沂市人民政府公报>12期", 12)
    assert isinstance(bracket, Anchor) and "《" in LINYI[bracket.start : bracket.end]


def test_a_line_break_inside_a_number() -> None:
    text = _text("luozhuang-2019").replace("等 27 个政务新媒体", "等 2\n7 个政务新媒体")
    placed = ground(text, "今日头条等 2\n7 个政务新媒体全面纳入备案统一管理", 27)
    assert isinstance(placed, Anchor) and placed.unit == "个"
    # the model that copies it without the break is grounded too
    assert isinstance(ground(text, "今日头条等27个政务新媒体全面纳入备案统一管理", 27), Anchor)


def test_long_evidence_is_trimmed_to_the_clause_of_its_number() -> None:
    start = LINYI.index("常态化邀请利益相关方")
    sentence = LINYI[LINYI.rindex("。", 0, start) + 1 : LINYI.index("。", start) + 1]
    assert len(sentence) > 60
    placed = ground(LINYI, sentence, 11)
    assert isinstance(placed, Anchor)
    assert LINYI[placed.start : placed.end] == (
        "常态化邀请利益相关方、群众代表、专家、媒体等代表列席市政府常务会议11场次"
    )


def test_evidence_in_several_places_is_widened_or_rejected() -> None:
    text = _text("lishan-2024")
    assert len(occurrences(text, "人大建议")) >= 2
    two = ground(text, "人大建议", 12)  # 人大建议12件 and 人大建议53件: only one says 12
    assert isinstance(two, str) and "cannot be read" in two
    # the bare number that stands in two clauses saying different things is refused
    doubled = "开展培训2次，其中线上培训2次。"
    refused = ground(doubled, "培训2次", 2)
    assert isinstance(refused, str) and "stands in 2 places" in refused
    # …and the same clause repeated is one statement, widened to the clause
    repeated = "开展培训2次。\n\n开展培训2次。"
    placed = ground(repeated, "2次", 2)
    assert isinstance(placed, Anchor) and repeated[placed.start : placed.end] == "开展培训2次"


def test_flags_and_units_come_from_the_evidence_and_disagreements_are_checks() -> None:
    text = LINYI
    chunk = Chunk(text, (Piece(0, 0, len(text)),))
    answer = [
        {"field": "open_day_events", "value": 220, "approximate": False, "unit": "场",
         "evidence": "开展“政府开放日”活动220余次"},
        {"field": "gazette_issues", "value": "十二", "approximate": None,
         "evidence": "编辑《临沂市人民政府公报》12期"},
    ]  # fmt: skip
    checked = check_answer(chunk, answer)
    assert checked.failures == []
    days, gazette = checked.facts
    assert (days.approximate, days.unit) == (True, "次")
    assert (gazette.value, gazette.approximate, gazette.unit) == (12, False, "期")
    names = sorted(c.name for c in checked.checks)
    assert names == ["llm.approximate.open_day_events", "llm.unit.open_day_events"]
    assert all(not c.ok and "kept the evidence's" in c.detail for c in checked.checks)


def test_one_bad_fact_costs_only_itself_and_is_named() -> None:
    text = _text("luozhuang-2024")
    chunk = Chunk(text, (Piece(0, 0, len(text)),))
    good = [
        {k: f[k] for k in ("field", "value", "evidence")} for f in gold("luozhuang-2024")["facts"]
    ]
    bad = {"field": "trainings", "value": 3, "evidence": "组织开展政务公开业务培训共3次"}
    checked = check_answer(chunk, [*good, bad])
    assert len(checked.facts) == len(good)
    (failure,) = checked.failures
    assert failure.describe().startswith(
        "trainings=3: evidence '组织开展政务公开业务培训共3次' is not"
    )
    excerpt = excerpt_for(text, [failure])
    assert "举办政务公开业务培训3次" in excerpt and len(excerpt) < 600


def test_only_sentences_that_can_hold_a_fact_are_sent() -> None:
    for doc_id in DOC_IDS:
        text = _text(doc_id)
        d = draft(text, source=doc_id, sha256="")
        kept = fact_sentences(text, d.spans)
        sent = sum(hi - lo for lo, hi in kept)
        assert sent < 0.5 * sum(hi - lo for lo, hi in d.spans)
        for fact in gold(doc_id)["facts"]:
            (lo, hi), *_ = occurrences(text, fact["evidence"])
            assert any(a <= lo and hi <= b for a, b in kept), fact["evidence"]


def test_chunks_are_sized_by_the_context_window() -> None:
    text = _text("luozhuang-2019")
    spans = draft(text, source="x", sha256="").spans
    small = LLMSettings(model="m", base_url=None, context_tokens=6144)
    large = LLMSettings(model="m", base_url=None, context_tokens=32768)
    assert small.chunk_size() == 1096 and large.chunk_size() == 12000
    assert len(chunks_for(text, spans, small)) > 1
    assert len(chunks_for(text, spans, large)) == 1


def test_cached_prompt_tokens_are_priced_apart() -> None:
    prices = load_prices()
    usage = Usage(input_tokens=1_000_000, cached_input_tokens=600_000, output_tokens=100_000)
    usd = estimate(usage, "deepseek-chat", prices)
    assert usd is not None and math.isclose(usd, 0.4 * 0.27 + 0.6 * 0.07 + 0.1 * 1.10)
    assert prices["moonshot-v1-8k"].cached() == prices["moonshot-v1-8k"].input
    assert estimate(usage, "unknown-model", prices) is None
    assert ModelPrice(input=1, output=2).cached() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param('[models."m"]\ninput = inf\noutput = 1\n', "finite", id="inf"),
        pytest.param('[models."m"]\ninput = nan\noutput = 1\n', "finite", id="nan"),
        pytest.param('[models."m"]\ninput = -1\noutput = 1\n', "greater than or equal", id="neg"),
        pytest.param('[models."m"]\ninput = "cheap"\noutput = 1\n', "valid number", id="text"),
        pytest.param('[models."m"]\ninput = 1\n', "Field required", id="missing"),
        pytest.param("[models\n", "cannot read", id="toml"),
    ],
)
def test_bad_price_tables_are_refused(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(body, "utf-8")
    with pytest.raises(PricesError, match=message) as info:
        load_prices(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("table", "words"),
    [
        pytest.param('timeout = "abc"', ["timeout", "valid number", "'abc'"], id="type"),
        pytest.param("chunk_chars = 0", ["chunk_chars", "greater than or equal"], id="bound"),
        pytest.param('modle = "x"', ["modle", "unknown key"], id="unknown"),
        pytest.param('mode = "xml"', ["mode"], id="mode"),
    ],
)
def test_config_values_are_typed(tmp_path: Path, table: str, words: list[str]) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[llm]\nmodel = "m"\n{table}\n', "utf-8")
    with pytest.raises(ConfigError) as info:
        resolve(config=config, env={"OPENAI_API_KEY": "k"})
    assert str(config) in str(info.value)
    for word in words:
        assert word in str(info.value)


def test_an_implicit_config_never_chooses_the_endpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "nianbao.toml").write_text(
        '[llm]\nbase_url = "http://evil.example/v1"\nmax_reasks = 1\n', "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    env = {"DEEPSEEK_API_KEY": "sk-deepseek-0123456789"}
    settings, source = resolve_with_source(provider="deepseek", env=env)
    assert settings.base_url == "https://api.deepseek.com/v1" and settings.max_reasks == 1
    assert source.ignored == ("base_url",) and not source.explicit
    explicit = resolve(provider="deepseek", config=tmp_path / "nianbao.toml", env=env)
    assert explicit.base_url == "http://evil.example/v1"


def test_failure_reasons_name_the_fact() -> None:
    rejected = Failure(
        Rejected({"field": "trainings", "value": "很多"}, "value '很多' is not a number"),
        "value '很多' is not a number",
    )
    assert rejected.describe() == "trainings=很多: value '很多' is not a number"

"""The LLM path end to end over HTTP against a local server that answers as told."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import DOC_IDS, FIXTURES, gold, seed_path
from fake_openai import answer, malformed, says, serve, status

from extract.cli import main
from extract.evaluation.perturb import FAMILIES
from extract.llm.settings import ConfigError, LLMSettings, resolve
from extract.methods import options_for
from extract.pipeline import extract_file

KEY = "sk-test-nianbao-0123456789abcdefghijklmnop"
DOC = "luozhuang-2024"


def settings(url: str, **kw: Any) -> LLMSettings:
    base = {
        "model": "test-model",
        "base_url": url,
        "api_key": KEY,
        "backoff_initial": 0.01,
        "backoff_max": 0.05,
    }
    return LLMSettings(**(base | kw))


def oracle(doc_id: str = DOC) -> Any:
    """Answer each chunk with the gold facts whose evidence it contains."""
    facts = gold(doc_id)["facts"]
    return answer(lambda chunk: [f for f in facts if f["evidence"] in chunk])


def run(url: str, doc_id: str = DOC, method: str = "llm", **kw: Any):  # type: ignore[no-untyped-def]
    return extract_file(seed_path(doc_id), options_for(method, settings(url, **kw)))[0]


def test_grounded_answers_become_facts_with_offsets() -> None:
    with serve([oracle()]) as server:
        record = run(server.url)
    assert record.errors == []
    assert {(f.field, f.value) for f in record.facts} == {
        (f["field"], f["value"]) for f in gold(DOC)["facts"]
    }
    text = extract_file(seed_path(DOC))[1]
    assert all(text[f.start : f.end] == f.evidence and f.method == "llm" for f in record.facts)
    assert record.provenance.backend == "llm" and record.provenance.model == "test-model"
    assert record.provenance.prompt_version.startswith("facts-v2+")
    usage = record.provenance.usage
    assert usage is not None and usage.requests == len(server.requests)
    assert usage.input_tokens == 100 * usage.requests


def test_hallucinated_evidence_is_rejected_and_re_asked() -> None:
    invented = [
        {
            "field": "trainings",
            "value": 30,
            "unit": "次",
            "approximate": False,
            "evidence": "举办培训30次",
        }
    ]
    with serve([answer(invented), oracle()]) as server:
        record = run(server.url)
    reasks = [r for r in server.requests if "未通过核对" in r["messages"][-1]["content"]]
    assert len(reasks) == 1 and len(server.requests) == 2
    asked = reasks[0]["messages"][-1]["content"]
    assert "举办培训30次" in asked and "not in the text" in asked
    # the re-ask shows the sentences the fact can come from, not the whole chunk again
    chunk = server.requests[0]["messages"][-1]["content"]
    assert "举办政务公开业务培训3次" in asked and len(asked) < len(chunk) / 2
    assert ("trainings", 30) not in {(f.field, f.value) for f in record.facts}


def test_value_not_in_its_evidence_is_rejected() -> None:
    wrong = {
        "field": "open_day_events",
        "value": 9,
        "unit": "场",
        "approximate": False,
        "evidence": "开展政府开放日活动8场",
    }
    facts = gold(DOC)["facts"]
    asked: list[str] = []

    def first_wrong(chunk: str) -> list[dict[str, Any]]:
        right = [f for f in facts if f["evidence"] in chunk]
        asked.append(chunk)
        if len(asked) == 1:
            return [wrong if f["field"] == "open_day_events" else f for f in right]
        return right

    with serve([answer(first_wrong)]) as server:
        record = run(server.url)
    assert len(server.requests) == 2
    reask = server.requests[1]["messages"][-1]["content"]
    assert "open_day_events=9: value 9 cannot be read" in reask
    assert ("open_day_events", 8) in {(f.field, f.value) for f in record.facts}
    assert record.errors == [] and len(record.facts) == len(facts)


def _unreadable(facts: list[dict[str, Any]]) -> Any:
    """A model that writes the facts of the text it is shown as a Python dict (single
    quotes): not JSON, but every fact is there to be re-emitted."""
    return says(lambda shown: repr({"facts": [f for f in facts if f["evidence"] in shown]}))


def test_malformed_json_is_re_asked() -> None:
    facts = gold(DOC)["facts"]
    with serve([_unreadable(facts), oracle()]) as server:
        record = run(server.url)
    first, repair = server.requests
    chunk = first["messages"][1]["content"]
    shown = repair["messages"][-1]["content"]
    # the static prefix, then the unreadable answer with the error: not the chunk again
    assert [m["role"] for m in repair["messages"]] == ["system", "user"]
    assert repair["messages"][0] == first["messages"][0]
    assert "无法读取" in shown and "not valid JSON" in shown and "{'facts': [{'field'" in shown
    assert "同比增加75.1%" in chunk and "同比增加75.1%" not in shown  # a sentence with no fact
    # what the repair re-emits is grounded in the chunk like any answer
    assert record.errors == [] and len(record.facts) == len(facts)
    text = extract_file(seed_path(DOC))[1]
    assert all(text[f.start : f.end] == f.evidence for f in record.facts)


def test_a_repaired_answer_with_invented_evidence_is_still_rejected() -> None:
    facts = gold(DOC)["facts"]
    invented = {
        "field": "trainings",
        "value": 30,
        "unit": "次",
        "approximate": False,
        "evidence": "举办培训30次",
    }
    unreadable = says(repr({"facts": [*facts, invented]}))
    # the repair re-emits every fact the answer held, the invented one too
    faithful = answer(lambda shown: [f for f in [*facts, invented] if f["evidence"] in shown])
    with serve([unreadable, faithful]) as server:
        record = run(server.url)
    assert ("trainings", 30) not in {(f.field, f.value) for f in record.facts}
    assert len(record.facts) == len(facts)
    (error,) = record.errors
    assert "dropped trainings=30" in error.message
    assert "<<<回答" in server.requests[1]["messages"][-1]["content"]  # it was repaired


def test_an_answer_cut_off_at_max_tokens_keeps_its_complete_facts() -> None:
    facts = gold(DOC)["facts"]
    whole = json.dumps({"facts": facts}, ensure_ascii=False)
    cut = whole[: whole.index(json.dumps(facts[-1], ensure_ascii=False)) + 30]
    with serve([says(cut, cut_off=True), oracle()]) as server:
        record = run(server.url, max_tokens=512)
    assert len(server.requests) == 1  # not repaired: re-emitting it would be cut off again
    assert {(f.field, f.value) for f in record.facts} == {
        (f["field"], f["value"]) for f in facts[:-1]
    }
    (error,) = record.errors
    assert f"ran into max_tokens=512: kept the {len(facts) - 1} facts complete" in error.message
    assert "not asked again" in error.message


def test_an_answer_cut_off_before_one_fact_was_complete_says_so() -> None:
    runaway = '{"facts":[{"field":"disclosed_items_total","evidence":"' + "2023年," * 300
    with serve([says(runaway, cut_off=True)]) as server:
        record = run(server.url, max_tokens=1024)
    assert len(server.requests) == 1 and record.facts == []
    (error,) = record.errors
    assert "ran into max_tokens=1024 before one fact was complete" in error.message


def test_giving_up_after_bounded_re_asks_drops_only_that_chunk() -> None:
    with serve([malformed()]) as server:
        record = run(server.url, doc_id="lishan-2024", max_reasks=1)
    assert record.facts == []
    assert len(server.requests) == 2  # one chunk, asked once and re-asked once
    (error,) = record.errors
    assert "no fact could be read from the model's answer after 2 attempts" in error.message
    assert record.tables.applications is not None  # the rest of the record is whole


def test_429_with_retry_after_is_retried() -> None:
    with serve([status(429, {"Retry-After": "0"}), oracle()]) as server:
        record = run(server.url)
    assert record.errors == [] and record.facts
    assert len(server.requests) >= 2


def test_always_500_gives_an_error_entry_and_the_run_goes_on(tmp_path: Path) -> None:
    with serve([status(500)]) as server:
        records = [
            run(server.url, doc_id=d, max_attempts=3) for d in ("lishan-2024", "yuezhuang-2024")
        ]
    for record in records:
        (error,) = [e for e in record.errors if e.where == "facts.llm"]
        assert "InternalServerError (500)" in error.message
        assert record.tables.applications is not None
    assert len(server.requests) == 2 * 3  # one chunk each, three transport attempts


def test_401_fails_fast_without_re_asking() -> None:
    with serve([status(401)]) as server:
        record = run(server.url, doc_id="yuezhuang-2024")
    assert len(server.requests) == 1
    (error,) = record.errors
    assert "401" in error.message and "API key was refused" in error.message


def test_unreachable_server_says_so() -> None:
    record = run("http://127.0.0.1:9/v1", doc_id="yuezhuang-2024", max_attempts=2)
    assert "cannot reach the model server" in record.errors[0].message


def test_hybrid_merges_and_lists_disagreements() -> None:
    facts = [f for f in gold(DOC)["facts"] if f["field"] != "trainings"]
    extra = {
        "field": "trainings",
        "value": 3,
        "unit": "次",
        "approximate": False,
        "evidence": "举办政务公开业务培训3次",
    }
    reply = answer(lambda chunk: [f for f in [*facts, extra] if f["evidence"] in chunk])
    with serve([reply]) as server:
        record = run(server.url, method="hybrid")
    methods = {(f.field, f.value): f.method for f in record.facts}
    assert methods[("trainings", 3)] == "rules+llm"
    assert methods[("trainings", 27)] == "rules"  # only the rules found it
    check = next(c for c in record.checks if c.name == "hybrid.trainings")
    assert not check.ok and check.detail == "rules 3, 27; llm 3"
    assert next(c for c in record.checks if c.name == "hybrid.open_day_events").ok


@pytest.mark.parametrize("mode", ["tools", "json", "json_schema", "md_json"])
def test_every_mode_round_trips(mode: str) -> None:
    with serve([oracle("yuezhuang-2024")]) as server:
        record = run(server.url, doc_id="yuezhuang-2024", mode=mode)
    assert record.errors == [] and len(record.facts) == len(gold("yuezhuang-2024")["facts"])
    request = server.requests[0]
    assert ("tools" in request) == (mode == "tools")


def test_no_api_key_in_anything_written(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with serve([oracle()]) as server:
        env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.url}
        runner = CliRunner(env=env)
        result = runner.invoke(
            main, ["extract", str(seed_path(DOC)), "--model", "m", "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        evald = runner.invoke(
            main,
            [
                "eval",
                "--gold",
                str(FIXTURES),
                "--run",
                "--model",
                "m",
                "-o",
                str(tmp_path / "eval" / "r.json"),
                "--brief",
            ],
        )
        assert evald.exit_code == 0, evald.output
        sent = {k.lower(): v for k, v in server.headers[0].items()}
        assert sent["authorization"] == f"Bearer {KEY}"  # the key was really used
    assert json.loads(out.read_text())["provenance"]["backend"] == "llm"
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) >= 3
    for path in written:
        assert KEY not in path.read_text("utf-8", errors="replace"), path
    assert KEY not in result.output and KEY not in evald.output
    assert "model tokens" in result.output and "(m)" in result.output


def test_settings_resolution_order(tmp_path: Path) -> None:
    config = tmp_path / "nianbao.toml"
    config.write_text('[llm]\nmodel = "from-file"\nmode = "json"\nmax_reasks = 4\n', "utf-8")
    env = {"DEEPSEEK_API_KEY": "k1", "NIANBAO_MODEL": "from-env"}
    s = resolve(provider="deepseek", config=config, env=env)
    assert (s.model, s.mode, s.max_reasks, s.api_key) == ("from-file", "json", 4, "k1")
    assert s.base_url == "https://api.deepseek.com/v1"
    s = resolve(provider="deepseek", model="explicit", config=config, env=env)
    assert s.model == "explicit"
    assert "k1" not in repr(s)


@pytest.mark.parametrize(
    ("kwargs", "env", "message"),
    [
        ({"provider": "deepseek"}, {}, "set DEEPSEEK_API_KEY"),
        ({"provider": "nope"}, {}, "unknown provider"),
        ({}, {"OPENAI_API_KEY": "k"}, "no model given"),
        ({"model": "m"}, {}, "set OPENAI_API_KEY"),
    ],
)
def test_configuration_errors_say_what_to_set(kwargs: dict, env: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        resolve(env=env, **kwargs)


def test_local_presets_need_no_key() -> None:
    s = resolve(provider="ollama", env={})
    assert s.base_url == "http://127.0.0.1:11434/v1" and s.mode == "json"


def test_api_keys_are_refused_in_config_files(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[llm]\nmodel = "m"\napi_key = "sk-123"\n', "utf-8")
    with pytest.raises(ConfigError, match="do not put API keys"):
        resolve(config=config, env={"OPENAI_API_KEY": "k"})


def test_report_text_is_never_rendered_as_a_template(tmp_path: Path) -> None:
    report = tmp_path / "braces.txt"
    report.write_text(
        "一、总体情况\n网页残留 {{ 1 + 1 }} 与 {% raw %} 字样，开展培训2次。\n", "utf-8"
    )
    with serve([answer([])]) as server:
        extract_file(report, options_for("llm", settings(server.url)))
    sent = json.dumps(server.requests[0], ensure_ascii=False)
    assert "{{ 1 + 1 }}" in sent and "{% raw %}" in sent


# --- real models' errors, from the perturbing server (extract/evaluation/perturb.py) ---

ACCEPTED = [name for name, family in FAMILIES.items() if family.accept]


def _perturbed_run(family: str | None, **kw: Any) -> tuple[dict[str, Any], list[Any], Any]:
    from extract.evaluation.openai_server import oracle as gold_oracle
    from extract.evaluation.perturb import perturbed
    from extract.evaluation.runner import load_golds, run_records
    from extract.evaluation.score import score

    golds, texts = load_golds(FIXTURES)
    facts = [(texts[g.doc_id], [f.model_dump() for f in g.facts]) for g in golds]
    behaviour = gold_oracle(facts) if family is None else perturbed(facts, family)
    with serve([behaviour]) as server:
        records = run_records(golds, FIXTURES, options_for("llm", settings(server.url, **kw)))
    return score(records, golds, texts).summary, records, server


@pytest.mark.parametrize("family", ACCEPTED)
def test_harmless_answer_shapes_cost_nothing(family: str) -> None:
    summary, records, server = _perturbed_run(family)
    assert summary.micro.f1 == 1.0, family
    assert summary.approximate_agreement == 1.0
    assert len(server.requests) == len(DOC_IDS)  # one request per report, no re-ask
    assert all(r.errors == [] for r in records)


@pytest.mark.parametrize("mode", ["json", "json_schema", "md_json"])
def test_fenced_answers_are_read_in_every_mode(mode: str) -> None:
    summary, _, server = _perturbed_run("fences", mode=mode)
    assert summary.micro.f1 == 1.0 and len(server.requests) == len(DOC_IDS)


def test_paraphrased_evidence_costs_only_the_bad_facts() -> None:
    summary, records, server = _perturbed_run("paraphrase")
    dropped = [e for r in records for e in r.errors]
    affected = {r.doc_id for r in records if r.errors}
    assert summary.micro.precision == 1.0
    assert summary.micro.recall >= 0.88
    assert summary.micro.fn == len(dropped) == 6  # 10 % of the 60 gold facts
    assert len(server.requests) <= len(DOC_IDS) + len(affected)  # one re-ask per chunk
    for error in dropped:  # each names the fact and says why
        assert re.search(r"dropped [a-z_]+=\d+: evidence '.+' is not in the text", error.message)


def test_flipped_approximate_flags_are_corrected_and_flagged() -> None:
    summary, records, _ = _perturbed_run("flip_approximate")
    assert summary.micro.f1 == 1.0 and summary.approximate_agreement == 1.0
    flagged = [c for r in records for c in r.checks if c.name.startswith("llm.approximate.")]
    assert len(flagged) == summary.micro.tp and not any(c.ok for c in flagged)


def test_the_static_prompt_prefix_is_byte_identical_across_a_run() -> None:
    requests = [
        r
        for family in ("paraphrase", "unescaped_quotes")  # first asks, re-asks, repairs
        for r in _perturbed_run(family)[2].requests
    ]
    assert any("未通过核对" in r["messages"][-1]["content"] for r in requests)
    assert any("无法读取" in r["messages"][-1]["content"] for r in requests)
    prefixes = {
        json.dumps([r["messages"][0], r["tools"], r["tool_choice"]], ensure_ascii=False)
        for r in requests
    }
    assert len(prefixes) == 1
    system = requests[0]["messages"][0]["content"]
    assert "<<<" not in system and all(
        r["messages"][-1]["content"].startswith(("报告片段", "你上次回答", "你上次的回答无法读取"))
        for r in requests
    )


def test_unreadable_answers_cost_one_repair_without_the_chunk() -> None:
    summary, records, server = _perturbed_run("unescaped_quotes")
    assert summary.micro.f1 == 1.0 and all(r.errors == [] for r in records)
    firsts = [r for r in server.requests if "<<<回答" not in r["messages"][-1]["content"]]
    repairs = [r for r in server.requests if "<<<回答" in r["messages"][-1]["content"]]
    quoted = [f["evidence"] for d in DOC_IDS for f in gold(d)["facts"] if "“" in f["evidence"]]
    broken = [r for r in firsts if any(e in r["messages"][-1]["content"] for e in quoted)]
    assert len(firsts) == len(DOC_IDS) and 0 < len(repairs) == len(broken)
    chunks = [r["messages"][-1]["content"].split("<<<\n", 1)[1] for r in broken]
    for repair in repairs:
        assert len(repair["messages"]) == 2 and repair["messages"][0] == firsts[0]["messages"][0]
        shown = repair["messages"][-1]["content"]
        assert not any(c[:200] in shown for c in chunks)
        # the facts before the break were read and kept: only the rest is shown back
        assert shown.split("<<<回答\n", 1)[1].startswith('{"field"') and "“" not in shown
        assert "全区主动公开政府信息7064条" not in shown  # luozhuang-2024's first fact


def test_when_the_repair_fails_too_the_facts_before_the_break_stay() -> None:
    facts = gold(DOC)["facts"]
    quoted = next(i for i, f in enumerate(facts) if "“" in f["evidence"])
    whole = json.dumps({"facts": facts}, ensure_ascii=False)
    with serve([says(whole.replace("“", '"').replace("”", '"')), malformed()]) as server:
        record = run(server.url)
    assert len(server.requests) == 2
    assert {(f.field, f.value) for f in record.facts} == {
        (f["field"], f["value"]) for f in facts[:quoted]
    }
    (error,) = record.errors
    assert f"breaks off as JSON after {quoted} facts (kept); the rest could not be read" in (
        error.message
    )


def test_a_large_context_preset_sends_each_report_once() -> None:
    summary, _, server = _perturbed_run(None, context_tokens=32768)
    assert summary.micro.f1 == 1.0 and len(server.requests) == len(DOC_IDS)
    sent = sum(
        len(m["content"]) for r in server.requests for m in r["messages"] if m["role"] != "x"
    )
    whole = sum(len(extract_file(seed_path(d))[1]) for d in DOC_IDS)
    assert sent <= 0.6 * whole


def _with_cached_tokens(behaviour: Any, cached: int) -> Any:
    """A server that reports prompt-cache hits as OpenAI does."""

    def respond(request: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        code, headers, body = behaviour(request)
        data = json.loads(body)
        data["usage"]["prompt_tokens_details"] = {"cached_tokens": cached}
        return code, headers, json.dumps(data, ensure_ascii=False).encode()

    return respond


def test_cached_prompt_tokens_are_counted_and_priced(tmp_path: Path) -> None:
    prices = tmp_path / "prices.toml"
    prices.write_text('[models."m"]\ninput = 1.0\ncached_input = 0.1\noutput = 2.0\n', "utf-8")
    out = tmp_path / "o.jsonl"
    with serve([_with_cached_tokens(oracle(), 60)]) as server:
        runner = CliRunner(env={"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.url})
        result = runner.invoke(
            main,
            [
                "extract",
                str(seed_path(DOC)),
                "--model",
                "m",
                "-o",
                str(out),
                "--prices",
                str(prices),
            ],
        )
    assert result.exit_code == 0, result.output
    usage = json.loads(out.read_text())["provenance"]["usage"]
    assert usage == {
        "requests": 1, "input_tokens": 100, "output_tokens": 20, "cached_input_tokens": 60,
        "cached": 0,
    }  # fmt: skip
    # 40 fresh × $1 + 60 cached × $0.1 + 20 out × $2, per million tokens
    assert "$0.0001" in result.output and "60 from the provider's prompt cache" in result.output


def test_a_bad_price_table_stops_before_any_work(tmp_path: Path) -> None:
    prices = tmp_path / "prices.toml"
    prices.write_text('[models."m"]\ninput = inf\noutput = 1\n', "utf-8")
    out = tmp_path / "o.jsonl"
    result = CliRunner().invoke(
        main, ["extract", str(seed_path(DOC)), "-o", str(out), "--prices", str(prices)]
    )
    assert result.exit_code == 2 and "finite" in result.output and str(prices) in result.output
    assert not out.exists()


def test_the_circuit_opens_after_consecutive_transport_failures() -> None:
    with serve([status(503)]) as server:
        options = options_for("llm", settings(server.url, max_attempts=3, breaker_failures=4))
        records = [extract_file(seed_path(d), options)[0] for d in DOC_IDS]
    assert len(server.requests) == 4  # then no more, for any document
    messages = [e.message for r in records for e in r.errors if e.where == "facts.llm"]
    assert len(messages) == len(DOC_IDS)
    assert all("no more model requests" in m for m in messages[1:])
    assert all(r.tables.applications is not None for r in records)


def test_a_silent_server_costs_a_bounded_time() -> None:
    import socket
    import time

    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/v1"
        options = options_for("llm", settings(url, timeout=0.3, max_attempts=2, breaker_failures=2))
        started = time.monotonic()
        records = [extract_file(seed_path(d), options)[0] for d in DOC_IDS]
        elapsed = time.monotonic() - started
    assert elapsed < 2 * 0.3 + 2.0  # two timeouts, then the circuit is open for the run
    assert all(r.errors for r in records)


def test_a_key_echoed_by_the_server_is_written_nowhere(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    seen: list[str] = []
    live_server: list[Any] = []

    def echo(request: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        sent = {k.lower(): v for k, v in live_server[0].headers[-1].items()}
        seen.append(sent.get("authorization", ""))
        body = {"error": {"message": f"bad request; you sent Authorization: {seen[-1]}"}}
        return 400, {}, json.dumps(body).encode()

    store, out = tmp_path / "run.sqlite", tmp_path / "out.jsonl"
    with serve([echo]) as server:
        live_server.append(server)
        env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.url}
        runner = CliRunner(env=env)
        args = ["--model", "m", "-o", str(out)]
        live = runner.invoke(main, ["extract", str(seed_path(DOC)), *args])
        bulk = runner.invoke(
            main, ["extract", str(seed_path("lishan-2024")), "--store", str(store), *args]
        )
    assert any(KEY in h for h in seen), "the server really echoed the key"
    # every model request failed: the documented partial-failure exit code
    assert live.exit_code == 3 and bulk.exit_code == 3, live.output + bulk.output
    record = json.loads(out.read_text().splitlines()[0])
    assert record["errors"] and "[redacted]" in record["errors"][0]["message"]
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert store in written and out in written
    for path in written:
        assert KEY not in path.read_bytes().decode("utf-8", errors="replace"), path
    captured = capfd.readouterr()
    for text in (live.output, bulk.output, captured.out, captured.err):
        assert KEY not in text


def test_a_fatal_model_error_carries_its_status_and_cause(monkeypatch: pytest.MonkeyPatch) -> None:
    import openai

    import extract.llm.extractor as extractor
    from extract.errors import FatalLLMError, NianbaoError

    raised: list[FatalLLMError] = []

    class Seen(FatalLLMError):
        def __init__(self, *args: Any, **kw: Any) -> None:
            super().__init__(*args, **kw)
            raised.append(self)

    monkeypatch.setattr(extractor, "FatalLLMError", Seen)
    with serve([status(401)]) as server:
        run(server.url, doc_id="yuezhuang-2024")
    (error,) = raised
    assert isinstance(error, NianbaoError) and error.status_code == 401
    assert isinstance(extractor.root_cause(error.cause), openai.AuthenticationError)


def test_a_key_echoed_inside_an_answer_is_written_nowhere(tmp_path: Path) -> None:
    """A 200 answer that quotes the Authorization header (a broken gateway, a model
    repeating its input): the repair shows it back, the dropped facts' reasons quote it,
    the run store caches the answer. None of the files may hold the key."""
    live_server: list[Any] = []

    def echoing(text: str) -> str:
        sent = {k.lower(): v for k, v in live_server[0].headers[-1].items()}
        return (
            '{"facts": [{"field": "trainings", "value": "x", "evidence": "'
            + sent["authorization"]
            + '"}]}'
        )

    store, out = tmp_path / "run.sqlite", tmp_path / "out.jsonl"
    with serve([says(echoing)]) as server:
        live_server.append(server)
        env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.url}
        result = CliRunner(env=env).invoke(
            main,
            ["extract", str(seed_path(DOC)), "--store", str(store), "--model", "m", "-o", str(out)],
        )
    assert result.exit_code in (0, 3), result.output
    assert any(KEY in str(h) for h in server.headers), "the key really was sent"
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM llm_cache").fetchone()[0] >= 1
    for path in (p for p in tmp_path.rglob("*") if p.is_file()):
        assert KEY not in path.read_bytes().decode("utf-8", errors="replace"), path
    assert KEY not in result.output

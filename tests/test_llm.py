"""The LLM path end to end over HTTP against a local server that answers as told."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, gold, seed_path
from fake_openai import answer, malformed, serve, status

from extract.cli import main
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


def test_malformed_json_is_re_asked() -> None:
    with serve([malformed(), oracle()]) as server:
        record = run(server.url)
    (repair,) = [r for r in server.requests if len(r["messages"]) > 2]
    assert repair["messages"][2]["role"] == "assistant"  # the unreadable answer shown back
    assert "无法读取" in repair["messages"][3]["content"]
    assert record.errors == [] and len(record.facts) == len(gold(DOC)["facts"])


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

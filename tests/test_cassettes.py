"""The LLM path replayed from cassettes recorded against a real server (tier two).

Replays run offline in CI (record mode `none`): a missing or stale cassette fails with the
command that re-records it. To record, see README "Recording cassettes":

    make cassettes                                   # the embedded llama.cpp server
    make cassettes SET=deepseek-chat PROVIDER=deepseek   # any configured endpoint
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import DOC_IDS, ROOT, seed_path

from extract.llm.cassettes import RECORD_COMMAND, load_set, vcr_options, write_set
from extract.llm.prompting import load_template
from extract.llm.settings import LLMSettings
from extract.methods import options_for
from extract.pipeline import extract_file
from extract.validate import to_checked_json

SET = os.environ.get("NIANBAO_CASSETTES", "gemma3-270m")
SET_DIR = ROOT / "cassettes" / SET


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, object]:
    options = vcr_options()
    del options["record_mode"]  # the --record-mode flag decides
    return options


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(SET_DIR)


@pytest.fixture
def default_cassette_name(doc_id: str) -> str:
    return doc_id


@pytest.fixture(scope="module")
def endpoint(record_mode: str) -> Iterator[LLMSettings]:
    """Replaying: the settings the set was recorded with. Recording: a live server (the
    embedded one, or NIANBAO_RECORD_PROVIDER's), and the set's metadata written anew."""
    if record_mode == "none":
        tapes = load_set(SET)
        if tapes.prompt_version != load_template().version:
            pytest.fail(
                f"cassettes/{SET} were recorded with prompt {tapes.prompt_version}; "
                f"the prompt is now {load_template().version}: re-record them with "
                f"`{RECORD_COMMAND}`"
            )
        yield tapes.settings()
        return
    provider = os.environ.get("NIANBAO_RECORD_PROVIDER", "local")
    if provider == "local":
        from extract.llm.local_server import ServerConfig, running
        from extract.llm.settings import resolve

        with running(ServerConfig(port=8765)) as url:
            settings = resolve(provider="local", base_url=url, env={})
            write_set(
                SET_DIR, settings, prompt_version=load_template().version, command=RECORD_COMMAND
            )
            yield settings
        return
    from extract.llm.settings import resolve

    settings = resolve(provider=provider)
    write_set(
        SET_DIR,
        settings,
        prompt_version=load_template().version,
        command=f"{RECORD_COMMAND} SET={SET} PROVIDER={provider}",
    )
    yield settings


@pytest.mark.vcr
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_llm_path_replays_from_cassettes(
    doc_id: str,
    endpoint: LLMSettings,
    vcr,  # type: ignore[no-untyped-def]
    record_mode: str,
) -> None:
    record = extract_file(seed_path(doc_id), options_for("llm", endpoint), doc_id=doc_id)[0]
    stale = [
        e.message
        for e in record.errors
        if "cannot reach" in e.message or "no recorded answer" in e.message
    ]
    assert not stale, (
        f"cassettes/{SET}/{doc_id}.yaml has no answer for a request this code "
        f"sends (stale or missing): re-record with `{RECORD_COMMAND}`"
    )
    to_checked_json(record)
    assert record.provenance.usage is not None and record.provenance.usage.requests > 0
    if record_mode == "none":
        assert vcr.all_played, f"cassettes/{SET}/{doc_id}.yaml has answers never asked for"
        # replaying twice gives the same record, byte for byte
        vcr.rewind()
        again = extract_file(seed_path(doc_id), options_for("llm", endpoint), doc_id=doc_id)[0]
        assert json.dumps(to_checked_json(again)) == json.dumps(to_checked_json(record))


KEYLIKE = re.compile(r"sk-[A-Za-z0-9]{16,}|[Bb]earer\s+\S{8,}|api[_-]?key", re.I)


def test_cassettes_hold_no_secret() -> None:
    files = list((ROOT / "cassettes").rglob("*.yaml"))
    assert files, f"no cassettes recorded yet: `{RECORD_COMMAND}`"
    for path in files:
        text = path.read_text("utf-8")
        assert not KEYLIKE.search(text), f"{path} holds something like a key"
        assert "authorization" not in text.lower(), path


def test_recording_filters_keys(tmp_path: Path) -> None:
    """Record for real through vcrpy (against the local test server) with a key set, and
    check the written cassette holds neither the key nor any SDK fingerprint."""
    import vcr as vcrpy
    from fake_openai import oracle, serve

    from extract.llm.cassettes import configure

    key = "sk-recordtest-0123456789abcdefghij"
    text = extract_file(seed_path("yuezhuang-2024"))[1]
    gold = json.loads((ROOT / "eval" / "fixtures" / "yuezhuang-2024.json").read_text())
    tape = tmp_path / "t.yaml"
    with serve([oracle([(text, gold["facts"])])]) as server:
        recorder = configure(vcrpy.VCR(**vcr_options("all")))
        settings = LLMSettings(model="m", base_url=server.url, api_key=key)
        with recorder.use_cassette(str(tape)):
            record = extract_file(seed_path("yuezhuang-2024"), options_for("llm", settings))[0]
    assert record.facts
    written = tape.read_text("utf-8")
    assert key not in written and "x-stainless" not in written.lower()
    assert "培训" in written, "bodies are stored readable, not escaped"
    # and the cassette replays with the server gone
    with configure(vcrpy.VCR(**vcr_options("none"))).use_cassette(str(tape)):
        again = extract_file(seed_path("yuezhuang-2024"), options_for("llm", settings))[0]
    assert again.facts == record.facts


def test_a_key_the_server_echoes_in_its_answer_is_recorded_nowhere(tmp_path: Path) -> None:
    """A server (or a model) that echoes the key inside a 200 answer: the answer is
    unreadable, so the repair shows it back in the next request. Neither the recorded
    answer nor the recorded repair request may hold the key, and the cassette replays."""
    import vcr as vcrpy
    from fake_openai import says, serve

    from extract.llm.cassettes import configure

    key = "echoed0123456789abcdefghijklmn"  # shaped like no known key: masked as the one in use
    live: list[Any] = []

    def echoing(text: str) -> str:
        sent = {k.lower(): v for k, v in live[0].headers[-1].items()}
        return '{"facts": [{"field": "trainings", "value": 3, ' + sent["authorization"][7:]

    tape = tmp_path / "t.yaml"
    with serve([says(echoing), says('{"facts": []}')]) as server:
        live.append(server)
        recorder = configure(vcrpy.VCR(**vcr_options("all")))
        settings = LLMSettings(model="m", base_url=server.url, api_key=key)
        with recorder.use_cassette(str(tape)):
            record = extract_file(seed_path("yuezhuang-2024"), options_for("llm", settings))[0]
    assert any(key in str(h) for h in server.headers), "the key really was sent"
    written = tape.read_text("utf-8")
    assert len(server.headers) == 2  # the first ask, and its repair showing the answer back
    assert key not in written
    assert key not in record.model_dump_json()
    with configure(vcrpy.VCR(**vcr_options("none"))).use_cassette(str(tape)):
        again = extract_file(seed_path("yuezhuang-2024"), options_for("llm", settings))[0]
    assert again == record

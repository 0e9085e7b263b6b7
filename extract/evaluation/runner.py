"""The I/O shell of an eval run: load gold, read or make records, score, write."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from extract.evaluation.gold import GoldDoc, document_text, gold_files, load_gold
from extract.evaluation.models import EvalReport
from extract.evaluation.score import score
from extract.pipeline import Options, extract_file, process_one, run_sync
from extract.record import Record


def load_golds(directory: Path) -> tuple[list[GoldDoc], dict[str, str]]:
    golds = [load_gold(p) for p in gold_files(directory)]
    texts = {g.doc_id: document_text(g, directory) for g in golds}
    return golds, texts


def read_records(path: Path) -> list[Record]:
    """The records of a JSON Lines file or a run store (RecordsError when unreadable)."""
    from extract import record_files

    return list(record_files.read_records(path))


def run_records(golds: list[GoldDoc], directory: Path, options: Options) -> list[Record]:
    """Extract every gold document's text file with the configured method (one finder,
    one model client, for all of them)."""
    from extract.methods import open_finder

    async def go() -> list[Record]:
        records = []
        async with open_finder(options) as finder:
            for gold in golds:
                record = await process_one(directory / gold.text_file, finder, options)
                assert record is not None  # never skipped: no checksum to compare with
                records.append(record.model_copy(update={"doc_id": gold.doc_id}))
        return records

    return run_sync(go())


def evaluate(directory: Path, records: list[Record]) -> EvalReport:
    golds, texts = load_golds(directory)
    return score(records, golds, texts)


def write_json(data: BaseModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data.model_dump(mode="json"), ensure_ascii=False, indent=1)
    path.write_text(text + "\n", "utf-8")


def read_report(path: Path) -> EvalReport:
    """An eval report written earlier (-o), such as a baseline."""
    return EvalReport.model_validate_json(path.read_bytes())


def run_oracle(
    golds: list[GoldDoc], texts: dict[str, str], directory: Path, perturb: str | None = None
) -> list[Record]:
    """The LLM path, HTTP and all, against a server that answers with the gold facts
    (damaged by one family of realistic model errors with ``perturb``)."""
    from extract.evaluation.openai_server import oracle, serve
    from extract.evaluation.perturb import perturbed
    from extract.llm.settings import LLMSettings
    from extract.methods import options_for

    facts = [(texts[g.doc_id], [f.model_dump() for f in g.facts]) for g in golds]
    behaviour = oracle(facts) if perturb is None else perturbed(facts, perturb)
    with serve([behaviour]) as server:
        settings = LLMSettings(model="oracle", base_url=server.url, api_key="not-needed")
        return run_records(golds, directory, options_for("llm", settings))


def run_replay(golds: list[GoldDoc], directory: Path, set_name: str) -> list[Record]:
    """The LLM path answered from a cassette set: no network, the same records every time."""
    from extract.errors import CassetteError
    from extract.llm.cassettes import load_set, replaying
    from extract.llm.prompting import load_template
    from extract.methods import options_for

    tapes = load_set(set_name)
    current = load_template().version
    if tapes.prompt_version != current:
        raise CassetteError(
            f"cassettes/{set_name} were recorded with prompt "
            f"{tapes.prompt_version}, the prompt is now {current}; re-record "
            "them (README, 'Recording cassettes')"
        )
    options = options_for("llm", tapes.settings())
    records = []
    for gold in golds:
        with replaying(tapes.cassette(gold.doc_id)):
            records.append(extract_file(directory / gold.text_file, options, doc_id=gold.doc_id)[0])
    return records

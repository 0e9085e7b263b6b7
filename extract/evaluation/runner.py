"""The I/O shell of an eval run: load gold, read or make records, score, write."""

from __future__ import annotations

import json
from pathlib import Path

from extract.evaluation.gold import GoldDoc, document_text, gold_files, load_gold
from extract.evaluation.score import score
from extract.pipeline import Options, extract_file
from extract.record import Record


def load_golds(directory: Path) -> tuple[list[GoldDoc], dict[str, str]]:
    golds = [load_gold(p) for p in gold_files(directory)]
    texts = {g.doc_id: document_text(g, directory) for g in golds}
    return golds, texts


def read_records(path: Path) -> list[Record]:
    records = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            try:
                records.append(Record.model_validate_json(line))
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: not a record: {exc}") from exc
    return records


def run_records(golds: list[GoldDoc], directory: Path, options: Options) -> list[Record]:
    """Extract every gold document's text file with the configured method."""
    return [extract_file(directory / g.text_file, options, doc_id=g.doc_id)[0] for g in golds]


def evaluate(directory: Path, records: list[Record]) -> dict[str, object]:
    golds, texts = load_golds(directory)
    return score(records, golds, texts)


def write_json(data: object, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")


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
    from extract.llm.cassettes import CassetteError, load_set, replaying
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

"""OpenAI Batch API mode: every chunk's request written as JSONL, submitted, polled,
downloaded, and fed through the same validation and grounding as a live answer.

Valid answers land in the run store's response cache; the ordinary bulk pass then builds
every record from the cache, and asks live (with re-asks) only for the few chunks whose
batch answer failed validation. Half the price, for users who can wait. A run interrupted
while a batch is pending picks the same batch up again.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import openai

from extract.bulk.store import RunStore
from extract.llm.answers import UnreadableAnswer, raw_facts
from extract.llm.asking import request
from extract.llm.chunking import Chunk, chunks_for
from extract.llm.extractor import cache_key
from extract.llm.prompting import PromptTemplate, load_template
from extract.llm.schema import ChunkAnswer, ExtractedFacts
from extract.llm.settings import LLMSettings
from extract.llm.validation import check_answer
from extract.pipeline import Draft

ENDPOINT: Literal["/v1/chat/completions"] = "/v1/chat/completions"
DONE = ("completed", "failed", "expired", "cancelled")


@dataclass
class BatchOutcome:
    batch_id: str
    status: str
    requested: int
    valid: int
    invalid: int
    failed: int


def _body(settings: LLMSettings, template: PromptTemplate, chunk: str) -> dict[str, Any]:
    """The same request a live run sends, in JSON-schema mode (what the Batch API takes)."""
    body = request(settings, template, template.messages(chunk))
    body.pop("tools", None)
    body.pop("tool_choice", None)
    body["response_format"] = {
        "type": "json_schema",
        "json_schema": {
            "name": "ExtractedFacts",
            "strict": False,
            "schema": ExtractedFacts.model_json_schema(),
        },
    }
    return body


def request_lines(
    drafts: Iterable[Draft],
    settings: LLMSettings,
    store: RunStore,
    template: PromptTemplate | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Chunk]]:
    """One request per distinct uncached chunk; also key → chunk, for grounding."""
    template = template or load_template()
    lines: list[dict[str, Any]] = []
    chunks: dict[str, Chunk] = {}
    for d in drafts:
        for chunk in chunks_for(d.text, d.spans, settings):
            key = cache_key(settings, template, chunk.text)
            if key in chunks or store.get(key) is not None:
                continue
            chunks[key] = chunk
            lines.append(
                {
                    "custom_id": key,
                    "method": "POST",
                    "url": ENDPOINT,
                    "body": _body(settings, template, chunk.text),
                }
            )
    return lines, chunks


def _answer(line: dict[str, Any]) -> str | None:
    response = line.get("response") or {}
    if response.get("status_code") != 200:
        return None
    choices = response.get("body", {}).get("choices") or [{}]
    message = choices[0].get("message") or {}
    if message.get("tool_calls"):
        return str(message["tool_calls"][0]["function"]["arguments"])
    content = message.get("content")
    return None if content is None else str(content)


def accept(output: str, chunks: dict[str, Chunk], store: RunStore) -> tuple[int, int, int]:
    """Read and ground every answer fact by fact; cache the answers whose every fact
    holds. The others are asked again live, where failing facts are re-asked about.
    (valid, invalid, failed)"""
    valid = invalid = failed = 0
    for raw in output.splitlines():
        if not raw.strip():
            continue
        line = json.loads(raw)
        key = line.get("custom_id")
        text = _answer(line)
        if key not in chunks or text is None:
            failed += 1
            continue
        try:
            checked = check_answer(chunks[key], raw_facts(text))
        except UnreadableAnswer:
            checked = None
        if checked is None or checked.failures:
            invalid += 1  # asked again live, with re-asks, by the bulk pass
            continue
        answer = ChunkAnswer(facts=checked.facts, checks=checked.checks)
        store.put(key, answer.model_dump(mode="json"))
        valid += 1
    return valid, invalid, failed


async def run_batch(
    client: openai.AsyncOpenAI,
    drafts: list[Draft],
    settings: LLMSettings,
    store: RunStore,
    poll_seconds: float = 30.0,
    say: Callable[[str], None] = print,
) -> BatchOutcome | None:
    """Submit (or resume) the batch for these drafts and wait for it; None when every
    chunk is already cached."""
    lines, chunks = request_lines(drafts, settings, store)
    pending = store.open_batch()
    if pending is None:
        if not lines:
            return None
        payload = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode()
        upload = await client.files.create(
            file=("nianbao-batch.jsonl", io.BytesIO(payload)), purpose="batch"
        )
        batch = await client.batches.create(
            input_file_id=upload.id, endpoint=ENDPOINT, completion_window="24h"
        )
        store.record_batch(batch.id, batch.status)
        say(f"batch {batch.id}: {len(lines)} requests submitted")
        batch_id = batch.id
    else:
        batch_id = pending
        say(f"batch {batch_id}: resuming")
    while True:
        batch = await client.batches.retrieve(batch_id)
        store.record_batch(batch_id, batch.status)
        if batch.status in DONE:
            break
        counts = batch.request_counts
        say(
            f"batch {batch_id}: {batch.status}"
            + (f", {counts.completed}/{counts.total} done" if counts else "")
        )
        await asyncio.sleep(poll_seconds)
    valid = invalid = failed = 0
    if batch.output_file_id:
        content = await client.files.content(batch.output_file_id)
        valid, invalid, failed = accept(content.text, chunks, store)
    store.record_batch(batch_id, batch.status, closed=True)
    say(
        f"batch {batch_id}: {batch.status}; {valid} answers valid, {invalid} failed "
        f"validation, {failed} without an answer (those are asked live)"
    )
    return BatchOutcome(batch_id, batch.status, len(lines), valid, invalid, failed)

"""The LLM path per document: chunk the narrative, ask for grounded facts, merge them.

Async throughout; what many documents share (requests in flight, rate limit, cache, single
flight) is the ModelGate's (``extract.llm.gate``), and the FactFinder around this is
``extract.llm.finder.LLMFinder``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json

import instructor

from extract.errors import CircuitOpen, FatalLLMError
from extract.facts.finders import FactResult, Spans
from extract.facts.rules import dedupe
from extract.llm.asking import ChunkFailed, ask_chunk
from extract.llm.chunking import Chunk, chunks_for
from extract.llm.client import CircuitBreaker, describe, root_cause
from extract.llm.gate import ModelGate
from extract.llm.prompting import PromptTemplate, load_template
from extract.llm.schema import ChunkAnswer, ChunkFact, ExtractedFacts
from extract.llm.settings import LLMSettings
from extract.record import Check, Fact, Problem, Usage
from extract.redact import redact


def _to_fact(text: str, chunk: Chunk, item: ChunkFact) -> Fact | None:
    where = chunk.to_document(item.start, item.end)
    if where is None:
        return None  # checked already; a span across two pieces cannot be cited
    start, end = where
    return Fact(
        field=item.field,
        value=item.value,
        unit=item.unit,
        approximate=item.approximate,
        evidence=text[start:end],
        start=start,
        end=end,
        method="llm",
    )


def cache_key(settings: LLMSettings, template: PromptTemplate, chunk: str) -> str:
    """Identical requests share a key: model, prompt and schema versions, the chunk."""
    parts = {
        "model": settings.model,
        "base_url": settings.base_url,
        "mode": settings.mode,
        "prompt": template.version,
        "schema": SCHEMA_HASH,
        "temperature": settings.temperature,
        "max_tokens": settings.max_tokens,
        "max_reasks": settings.max_reasks,
        "chunk": chunk,
    }
    return hashlib.sha256(
        json.dumps(parts, ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()


SCHEMA_HASH = hashlib.sha256(
    json.dumps(ExtractedFacts.model_json_schema(), sort_keys=True).encode()
).hexdigest()[:12]


async def extract_llm(
    text: str,
    spans: Spans,
    settings: LLMSettings,
    client: instructor.AsyncInstructor,
    gate: ModelGate | None = None,
    template: PromptTemplate | None = None,
    breaker: CircuitBreaker | None = None,
) -> FactResult:
    """Facts of one document from the model; failures become problems, never exceptions."""
    template = template or load_template()
    gate = gate or ModelGate()
    breaker = breaker or CircuitBreaker(settings.breaker_failures)
    chunks = chunks_for(text, spans, settings)
    usage = Usage()
    facts: list[Fact] = []
    checks: list[Check] = []
    problems: list[Problem] = []

    async def answer_for(chunk: Chunk) -> tuple[ChunkAnswer | None, Usage]:
        return await gate.answer(
            cache_key(settings, template, chunk.text),
            lambda: ask_model(chunk),
            dump=lambda answer: answer.model_dump(mode="json"),
            revive=ChunkAnswer.model_validate,
        )

    async def ask_model(chunk: Chunk) -> tuple[ChunkAnswer | None, Usage]:
        async with gate.slot(len(chunk.text) + 2000):
            try:
                answer, used = await ask_chunk(client, settings, template, chunk, breaker)
            except ChunkFailed as exc:
                cause = exc.cause
                message = str(cause) if isinstance(cause, CircuitOpen) else describe(cause)
                status = getattr(root_cause(cause), "status_code", None)
                raise FatalLLMError(
                    message,
                    exc.usage,
                    status_code=status if isinstance(status, int) else None,
                    cause=cause,
                ) from cause
        # Let the request that just got this slot go out before the CPU work below:
        # answers arrive in waves, and a wave's post-processing must not delay the next.
        await asyncio.sleep(0)
        return answer, used

    async def one(chunk: Chunk) -> None:
        nonlocal usage
        try:
            answer, used = await answer_for(chunk)
        except FatalLLMError as exc:
            usage += exc.usage
            raise
        usage += used
        if answer is not None:
            facts.extend(f for f in (_to_fact(text, chunk, item) for item in answer.facts) if f)
            checks.extend(answer.checks)
            problems.extend(Problem(where="facts.llm", message=redact(d)) for d in answer.dropped)

    results = await asyncio.gather(*(one(c) for c in chunks), return_exceptions=True)
    fatal = [r for r in results if isinstance(r, FatalLLMError)]
    for other in results:
        if isinstance(other, BaseException) and not isinstance(other, FatalLLMError):
            raise other
    if fatal:
        problems.append(
            Problem(
                where="facts.llm",
                message=redact(f"{fatal[0]}; the model's facts for this document are incomplete"),
            )
        )
    return FactResult(
        facts=dedupe(sorted(facts, key=lambda f: f.start)),
        problems=problems,
        checks=checks,
        usage=usage,
        model=settings.model,
        prompt_version=template.version,
    )


async def close(client: instructor.AsyncInstructor) -> None:
    """Close the HTTP pool behind an instructor client (its sockets belong to this loop)."""
    raw = getattr(client, "client", None)
    if raw is not None and hasattr(raw, "close"):
        await raw.close()

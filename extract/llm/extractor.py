"""The LLM finder: chunk the narrative, ask for grounded facts, merge them.

The core is async (the bulk runner drives many documents on one loop); ``llm_finder`` wraps
it for the one-document-at-a-time pipeline.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import instructor

from extract.facts.finders import FactFinder, FactResult, Spans
from extract.facts.rules import dedupe
from extract.llm.asking import ChunkFailed, ask_chunk
from extract.llm.chunking import Chunk, chunks_for
from extract.llm.client import CircuitBreaker, CircuitOpen, build_client, describe
from extract.llm.prompting import PromptTemplate, load_template
from extract.llm.schema import ChunkAnswer, ChunkFact, ExtractedFacts
from extract.llm.settings import LLMSettings
from extract.record import Check, Fact, Problem, Usage
from extract.redact import redact

ClientFactory = Callable[[], instructor.AsyncInstructor]


class FatalLLMError(Exception):
    """A request failed in a way retrying cannot mend (bad key, unknown model…)."""

    def __init__(self, message: str, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.usage = usage or Usage()


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


class ResponseCache(Protocol):
    """Where answers to identical requests are kept (the bulk run store is one)."""

    def get(self, key: str) -> dict[str, Any] | None: ...

    def put(self, key: str, value: dict[str, Any]) -> None: ...


class Limiter(Protocol):
    async def acquire(self, tokens: int) -> None: ...


@dataclass
class Shared:
    """What the chunks of many documents share in one run: the bound on requests in flight,
    the response cache, the provider's rate limit."""

    gate: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(4))
    cache: ResponseCache | None = None
    limiter: Limiter | None = None
    # Identical requests in flight at once are sent once ("single flight").
    inflight: dict[str, asyncio.Future[dict[str, Any] | None]] = field(default_factory=dict)


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
    shared: Shared | None = None,
    template: PromptTemplate | None = None,
    breaker: CircuitBreaker | None = None,
) -> FactResult:
    """Facts of one document from the model; failures become problems, never exceptions."""
    template = template or load_template()
    shared = shared or Shared()
    breaker = breaker or CircuitBreaker(settings.breaker_failures)
    chunks = chunks_for(text, spans, settings)
    usage = Usage()
    facts: list[Fact] = []
    checks: list[Check] = []
    problems: list[Problem] = []

    async def answer_for(chunk: Chunk) -> tuple[ChunkAnswer | None, Usage]:
        key = cache_key(settings, template, chunk.text)
        hit = shared.cache.get(key) if shared.cache else None
        if hit is None and key in shared.inflight:
            hit = await asyncio.shield(shared.inflight[key])
        if hit is not None:
            return ChunkAnswer.model_validate(hit), Usage(cached=1)
        if shared.cache is None:
            return await ask_model(chunk, key)
        flight: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
        shared.inflight[key] = flight
        try:
            answer, used = await ask_model(chunk, key)
            flight.set_result(answer.model_dump(mode="json") if answer is not None else None)
            return answer, used
        except BaseException:
            flight.set_result(None)  # the waiters ask for themselves
            raise
        finally:
            del shared.inflight[key]

    async def ask_model(chunk: Chunk, key: str) -> tuple[ChunkAnswer | None, Usage]:
        async with shared.gate:
            if shared.limiter:
                await shared.limiter.acquire(len(chunk.text) + 2000)
            try:
                answer, used = await ask_chunk(client, settings, template, chunk, breaker)
            except ChunkFailed as exc:
                cause = exc.cause
                message = str(cause) if isinstance(cause, CircuitOpen) else describe(cause)
                raise FatalLLMError(message, exc.usage) from cause
        # Let the request that just got this slot go out before the CPU work below:
        # answers arrive in waves, and a wave's post-processing must not delay the next.
        await asyncio.sleep(0)
        if shared.cache:
            shared.cache.put(key, answer.model_dump(mode="json"))
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


def llm_finder(settings: LLMSettings, client_factory: ClientFactory | None = None) -> FactFinder:
    """A synchronous finder for the pipeline: one event loop and one client per document
    (an async HTTP pool cannot outlive its loop)."""
    factory = client_factory or (lambda: build_client(settings))
    breaker = CircuitBreaker(settings.breaker_failures)  # one per run, across documents

    def find(text: str, spans: Spans) -> FactResult:
        async def run() -> FactResult:
            client = factory()
            try:
                return await extract_llm(text, spans, settings, client, breaker=breaker)
            finally:
                await close(client)

        return asyncio.run(run())

    return find

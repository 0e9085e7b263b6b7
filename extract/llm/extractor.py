"""The LLM path per document: chunk the narrative, ask for grounded facts, merge them.

Async throughout; what many documents share (requests in flight, rate limit, cache, single
flight) is the ModelGate's (``extract.llm.gate``), and the FactFinder around this is
``extract.llm.finder.LLMFinder``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import instructor
from instructor.core.exceptions import InstructorRetryException
from instructor.core.hooks import Hooks

from extract.facts.finders import FactResult, Spans
from extract.facts.grounding import locate
from extract.facts.rules import dedupe
from extract.llm.chunking import Chunk, chunk_spans
from extract.llm.client import describe, is_transient, with_transport_retries
from extract.llm.gate import ModelGate
from extract.llm.prompting import PromptTemplate, load_template
from extract.llm.schema import CURRENT_CHUNK, ExtractedFacts
from extract.llm.settings import LLMSettings
from extract.record import Fact, Problem, Usage


class FatalLLMError(Exception):
    """A request failed in a way retrying cannot mend (bad key, unknown model…)."""

    def __init__(self, message: str, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.usage = usage or Usage()


def _usage(total: Any, requests: int) -> Usage:
    if total is None:
        return Usage(requests=requests)
    return Usage(
        requests=requests,
        input_tokens=int(getattr(total, "prompt_tokens", 0) or 0),
        output_tokens=int(getattr(total, "completion_tokens", 0) or 0),
    )


def _to_fact(text: str, chunk: Chunk, item: Any) -> Fact | None:
    span = locate(chunk.text, item.evidence)
    where = chunk.to_document(*span) if span else None
    if where is None:
        return None  # validated already; a span across two pieces cannot be cited
    start, end = where
    value = int(item.value) if float(item.value).is_integer() else item.value
    return Fact(
        field=item.field,
        value=value,
        unit=item.unit,
        approximate=item.approximate,
        evidence=text[start:end],
        start=start,
        end=end,
        method="llm",
    )


class _Calls:
    """Counts HTTP calls (answers and failures) through instructor's per-call hooks."""

    def __init__(self) -> None:
        self.n = 0
        self.hooks = Hooks()
        self.hooks.on("completion:response", self._count)
        self.hooks.on("completion:error", self._count)

    def _count(self, *args: Any, **kwargs: Any) -> None:
        self.n += 1


async def _ask(
    client: instructor.AsyncInstructor,
    settings: LLMSettings,
    template: PromptTemplate,
    chunk: Chunk,
    calls: _Calls,
) -> ExtractedFacts:
    async def call() -> ExtractedFacts:
        result: ExtractedFacts = await client.chat.completions.create(
            model=settings.model,
            response_model=ExtractedFacts,
            messages=template.messages(chunk.text),  # type: ignore[arg-type]
            max_retries=settings.max_reasks,
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
            hooks=calls.hooks,
        )
        return result

    token = CURRENT_CHUNK.set(chunk.text)
    try:
        return await with_transport_retries(settings, call)
    finally:
        CURRENT_CHUNK.reset(token)


def _answer_usage(answer: ExtractedFacts, requests: int) -> Usage:
    total = getattr(answer, "_total_usage", None)
    if total is None:
        total = getattr(getattr(answer, "_raw_response", None), "usage", None)
    return _usage(total, requests)


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
) -> FactResult:
    """Facts of one document from the model; failures become problems, never exceptions."""
    template = template or load_template()
    gate = gate or ModelGate()
    chunks = chunk_spans(text, spans, settings.chunk_chars, settings.chunk_overlap)
    usage = Usage()
    facts: list[Fact] = []
    problems: list[Problem] = []

    async def answer_for(chunk: Chunk) -> tuple[ExtractedFacts | None, Usage]:
        return await gate.answer(
            cache_key(settings, template, chunk.text),
            lambda: ask_model(chunk),
            dump=lambda answer: answer.model_dump(mode="json"),
            revive=lambda hit: ExtractedFacts.model_validate(hit, context={"chunk": chunk.text}),
        )

    async def ask_model(chunk: Chunk) -> tuple[ExtractedFacts | None, Usage]:
        calls = _Calls()
        async with gate.slot(len(chunk.text) + 2000):
            try:
                answer = await _ask(client, settings, template, chunk, calls)
            except InstructorRetryException as exc:
                if is_transient(exc) or root_is_api_error(exc):
                    raise FatalLLMError(describe(exc), Usage(requests=calls.n)) from exc
                problems.append(
                    Problem(
                        where="facts.llm",
                        message=(
                            f"chunk at offset {chunk.start}: the model's answer failed validation "
                            f"after {exc.n_attempts} attempts, its facts were dropped: "
                            f"{str(exc).splitlines()[0][:300]}"
                        ),
                    )
                )
                return None, _usage(exc.total_usage, calls.n)
            except Exception as exc:
                raise FatalLLMError(describe(exc), Usage(requests=calls.n)) from exc
        # Let the request that just got this slot go out before the CPU work below:
        # answers arrive in waves, and a wave's post-processing must not delay the next.
        await asyncio.sleep(0)
        return answer, _answer_usage(answer, calls.n)

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

    results = await asyncio.gather(*(one(c) for c in chunks), return_exceptions=True)
    fatal = [r for r in results if isinstance(r, FatalLLMError)]
    for other in results:
        if isinstance(other, BaseException) and not isinstance(other, FatalLLMError):
            raise other
    if fatal:
        problems.append(
            Problem(
                where="facts.llm",
                message=(f"{fatal[0]}; the model's facts for this document are incomplete"),
            )
        )
    return FactResult(
        facts=dedupe(sorted(facts, key=lambda f: f.start)),
        problems=problems,
        usage=usage,
        model=settings.model,
        prompt_version=template.version,
    )


def root_is_api_error(exc: InstructorRetryException) -> bool:
    """Instructor wraps API errors too; those are not validation failures."""
    import openai

    from extract.llm.client import root_cause

    return isinstance(root_cause(exc), openai.APIError)


async def close(client: instructor.AsyncInstructor) -> None:
    """Close the HTTP pool behind an instructor client (its sockets belong to this loop)."""
    raw = getattr(client, "client", None)
    if raw is not None and hasattr(raw, "close"):
        await raw.close()

"""The LLM finder: chunk the narrative, ask for grounded facts, merge them.

The core is async (the bulk runner drives many documents on one loop); ``llm_finder`` wraps
it for the one-document-at-a-time pipeline.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import instructor
from instructor.core.exceptions import InstructorRetryException
from instructor.core.hooks import Hooks

from extract.facts.finders import FactFinder, FactResult, Spans
from extract.facts.grounding import locate
from extract.facts.rules import dedupe
from extract.llm.chunking import Chunk, chunk_spans
from extract.llm.client import build_client, describe, is_transient, with_transport_retries
from extract.llm.prompting import PromptTemplate, load_template
from extract.llm.schema import ExtractedFacts
from extract.llm.settings import LLMSettings
from extract.record import Fact, Problem, Usage

ClientFactory = Callable[[], instructor.AsyncInstructor]


class FatalLLMError(Exception):
    """A request failed in a way retrying cannot mend (bad key, unknown model…)."""


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
            context={"chunk": chunk.text},
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
            hooks=calls.hooks,
        )
        return result

    return await with_transport_retries(settings, call)


def _answer_usage(answer: ExtractedFacts, requests: int) -> Usage:
    total = getattr(answer, "_total_usage", None)
    if total is None:
        total = getattr(getattr(answer, "_raw_response", None), "usage", None)
    return _usage(total, requests)


async def extract_llm(
    text: str,
    spans: Spans,
    settings: LLMSettings,
    client: instructor.AsyncInstructor,
    concurrency: int = 4,
    template: PromptTemplate | None = None,
) -> FactResult:
    """Facts of one document from the model; failures become problems, never exceptions."""
    template = template or load_template()
    chunks = chunk_spans(text, spans, settings.chunk_chars, settings.chunk_overlap)
    gate = asyncio.Semaphore(concurrency)
    usage = Usage()
    facts: list[Fact] = []
    problems: list[Problem] = []

    async def one(chunk: Chunk) -> None:
        nonlocal usage
        calls = _Calls()
        async with gate:
            try:
                answer = await _ask(client, settings, template, chunk, calls)
            except InstructorRetryException as exc:
                if is_transient(exc) or root_is_api_error(exc):
                    usage += Usage(requests=calls.n)
                    raise FatalLLMError(describe(exc)) from exc
                usage += _usage(exc.total_usage, calls.n)
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
                return
            except Exception as exc:
                usage += Usage(requests=calls.n)
                raise FatalLLMError(describe(exc)) from exc
            usage += _answer_usage(answer, calls.n)
            facts.extend(f for f in (_to_fact(text, chunk, item) for item in answer.facts) if f)

    try:
        await asyncio.gather(*(one(c) for c in chunks))
    except FatalLLMError as exc:
        problems.append(
            Problem(
                where="facts.llm",
                message=f"{exc}; the model's facts for this document are incomplete",
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


def llm_finder(settings: LLMSettings, client_factory: ClientFactory | None = None) -> FactFinder:
    """A synchronous finder for the pipeline: one event loop and one client per document
    (an async HTTP pool cannot outlive its loop)."""
    factory = client_factory or (lambda: build_client(settings))

    def find(text: str, spans: Spans) -> FactResult:
        async def run() -> FactResult:
            return await extract_llm(text, spans, settings, factory())

        return asyncio.run(run())

    return find

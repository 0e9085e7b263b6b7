"""The one place that chooses how facts are found: rules, a model, or both.

:func:`open_finder` turns Options into a FactFinder and owns everything that strategy
needs while it is used: the model client (and its HTTP pool), the gate shared by every
request of the run, and the embedded llama.cpp server when ``provider="local"`` asks for
it, from the CLI and from Python alike. The LLM modules are imported only when a model is
asked for, so the rules path never loads openai or instructor.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

from extract.facts.finders import FactFinder, HybridFinder, RulesFinder
from extract.ingest import DEFAULT_MAX_BYTES
from extract.pipeline import METHODS, Options

if TYPE_CHECKING:
    import openai

    from extract.llm.gate import ResponseCache
    from extract.llm.settings import LLMSettings

__all__ = ["METHODS", "open_batch_client", "open_finder", "options_for"]


def options_for(
    method: str, settings: LLMSettings | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Options:
    """Options for a method by name (ValueError for an unknown one, or a model method
    without settings)."""
    if method == "rules" or settings is None:
        return Options(method=method, llm=None, max_bytes=max_bytes)
    from extract.llm.client import CircuitBreaker

    breaker = CircuitBreaker(settings.breaker_failures)
    return Options(method=method, llm=settings, max_bytes=max_bytes, breaker=breaker)


@contextmanager
def endpoint(settings: LLMSettings) -> Iterator[LLMSettings]:
    """The settings with a reachable endpoint: for an embedded provider without a base URL
    (``local``), the llama.cpp server is started here and stopped on exit."""
    from extract.llm.settings import presets

    embedded = bool(presets().get(settings.provider or "", {}).get("embedded"))
    if not embedded or settings.base_url:
        yield settings
        return
    from extract.llm.local_server import running

    with running() as url:
        yield replace(settings, base_url=url)


@asynccontextmanager
async def open_finder(
    options: Options,
    *,
    cache: ResponseCache | None = None,
    concurrency: int = 4,
    rpm: float | None = None,
    tpm: float | None = None,
) -> AsyncIterator[FactFinder]:
    """The FactFinder for ``options.method``, ready while the context is open.

    ``concurrency`` bounds model requests in flight (at the HTTP layer), ``rpm``/``tpm``
    are the provider's limits, ``cache`` keeps answers (a run store)."""
    if options.method == "rules":
        yield RulesFinder()
        return
    assert options.llm is not None  # Options refuses a model method without settings
    from extract.bulk.ratelimit import RateLimiter
    from extract.llm.client import CircuitBreaker, build_client
    from extract.llm.extractor import close
    from extract.llm.finder import LLMFinder
    from extract.llm.gate import ModelGate

    with ExitStack() as stack:
        settings = stack.enter_context(endpoint(options.llm))
        client = build_client(settings, max_connections=concurrency)
        limiter = RateLimiter(rpm, tpm) if (rpm or tpm) else None
        # The HTTP pool bounds requests in flight; this gate only keeps parsing from
        # running far ahead of it.
        gate = ModelGate(in_flight=concurrency * 2, cache=cache, limiter=limiter)
        try:
            breaker = options.breaker or CircuitBreaker(settings.breaker_failures)
            model = LLMFinder(settings, client, gate, breaker)
            yield HybridFinder(model) if options.method == "hybrid" else model
        finally:
            await close(client)


@asynccontextmanager
async def open_batch_client(settings: LLMSettings) -> AsyncIterator[openai.AsyncOpenAI]:
    """The raw client the Batch API calls go through; the SDK's own retries are off, as
    for live calls: every call is wrapped in the one transport retry policy
    (``extract.llm.client.with_transport_retries``)."""
    import openai

    with ExitStack() as stack:
        settings = stack.enter_context(endpoint(settings))
        client = openai.AsyncOpenAI(
            api_key=settings.api_key,
            base_url=settings.base_url,
            timeout=settings.timeout,
            max_retries=0,
        )
        try:
            yield client
        finally:
            await client.close()

"""Building the model client in one place, and the transport retry policy.

Two retry loops, never one: tenacity here retries transport faults (429 honouring
Retry-After, 5xx, timeouts, connection resets) with exponential backoff and jitter; the
per-fact re-asks (``asking``) handle answers that fail validation. Anything else (401, 400,
404) fails at once. A circuit breaker shared by a run stops all model requests after a run
of consecutive transport failures: a server that is down costs a bounded time, not the
full retry budget of every document.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import instructor
import openai
from instructor.core.exceptions import InstructorRetryException
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from extract.errors import CircuitOpen
from extract.llm.settings import LLMSettings
from extract.redact import redact, register_secret

MODES = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}
_TRANSIENT = (openai.RateLimitError, openai.APIConnectionError, openai.InternalServerError)
# What says the server is down or unreachable (a 429 says it is up and busy).
_OUTAGE = (openai.APIConnectionError, openai.InternalServerError)
T = TypeVar("T")


class CircuitBreaker:
    """Counts transport failures in a row across a whole run; opens at ``threshold``."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.failures = 0
        self.last = ""

    @property
    def open(self) -> bool:
        return self.failures >= self.threshold

    def check(self) -> None:
        if self.open:
            raise CircuitOpen(
                f"the model server failed {self.failures} times in a row ({self.last}); "
                "no more model requests are sent in this run"
            )

    def record(self, exc: BaseException | None) -> None:
        if exc is None:
            self.failures = 0
        elif isinstance(root_cause(exc), _OUTAGE):
            self.failures += 1
            self.last = describe(exc)


def build_client(
    settings: LLMSettings, max_connections: int | None = None
) -> instructor.AsyncInstructor:
    """An instructor client over the OpenAI SDK. ``max_connections`` bounds requests in
    flight at the HTTP layer: a slot frees as soon as an answer is read, before it is
    parsed and validated, so parsing one answer never delays sending the next request."""
    http_client = None
    if max_connections:
        import httpx2

        limits = httpx2.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        )
        http_client = openai.DefaultAsyncHttpxClient(limits=limits, timeout=settings.timeout)
    # Settings made in Python, not by ``resolve``, reach here too: whatever this key is, it
    # is masked wherever a string leaves the process (records, logs, cassettes).
    register_secret(settings.api_key)
    # The SDK's own retries are off: one policy (below) owns transport faults.
    raw = openai.AsyncOpenAI(
        api_key=settings.api_key,
        base_url=settings.base_url,
        timeout=settings.timeout,
        max_retries=0,
        http_client=http_client,
    )
    client = instructor.from_openai(raw, mode=MODES[settings.mode])
    assert isinstance(client, instructor.AsyncInstructor)
    return client


def root_cause(exc: BaseException) -> BaseException:
    """The API error behind instructor's wrapper, when there is one."""
    seen = exc
    while isinstance(seen, InstructorRetryException) and seen.__cause__ is not None:
        seen = seen.__cause__
    return seen


def is_transient(exc: BaseException) -> bool:
    return isinstance(root_cause(exc), _TRANSIENT)


class _WaitRetryAfter:
    """Wait what the server asked (Retry-After) when it said, else back off with jitter."""

    def __init__(self, settings: LLMSettings) -> None:
        self.cap = settings.backoff_max
        self.fallback = wait_exponential_jitter(
            multiplier=settings.backoff_initial,
            max=settings.backoff_max,
            jitter=settings.backoff_initial,
        )

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        response = getattr(root_cause(exc), "response", None) if exc else None
        header = response.headers.get("retry-after") if response is not None else None
        if header:
            try:
                return min(self.cap, max(0.0, float(header)))
            except ValueError:
                pass  # an HTTP date: fall back to our own backoff
        return float(self.fallback(state))


async def with_transport_retries(
    settings: LLMSettings,
    call: Callable[[], Awaitable[T]],
    breaker: CircuitBreaker | None = None,
) -> T:
    retrying = AsyncRetrying(
        stop=stop_after_attempt(settings.max_attempts),
        wait=_WaitRetryAfter(settings),
        retry=retry_if_exception(lambda e: is_transient(e) and not (breaker and breaker.open)),
        reraise=True,
    )
    async for attempt in retrying:
        with attempt:
            if breaker is not None:
                breaker.check()
            try:
                result = await call()
            except Exception as exc:
                if breaker is not None:
                    breaker.record(exc)
                    breaker.check()  # this failure opened it: say so, not just the failure
                raise
            if breaker is not None:
                breaker.record(None)
            return result
    raise AssertionError("unreachable: tenacity reraises")


def describe(exc: BaseException) -> str:
    """A user-actionable sentence for an API failure, redacted: a server may echo the
    Authorization header in its error body."""
    return redact(_describe(exc))


def _describe(exc: BaseException) -> str:
    cause = root_cause(exc)
    status = getattr(cause, "status_code", None)
    hints: dict[Any, str] = {
        401: "the API key was refused; check the key variable for this provider",
        403: "access denied; check the key's permissions and the model name",
        404: "not found; check --base-url and --model",
        400: "the request was rejected; the provider may not support this --mode",
        429: "rate limited and still refused after retries; lower concurrency or wait",
    }
    if isinstance(cause, openai.APIConnectionError):
        return f"cannot reach the model server ({type(cause).__name__}); is it running?"
    hint = hints.get(status, "")
    text = str(cause).splitlines()[0][:300] if str(cause) else type(cause).__name__
    return f"{type(cause).__name__} ({status}): {text}" + (f" — {hint}" if hint else "")

"""What the chunks of every document in one run share on their way to the model: a bound
on requests in flight, the provider's rate limit, the response cache and single flight.

Kept apart from the extractor so that the per-chunk logic (prompting, validation,
grounding) knows nothing of how many documents are in progress or where answers are kept.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, Protocol, TypeVar

from extract.record import Usage

T = TypeVar("T")


class ResponseCache(Protocol):
    """Where answers to identical requests are kept (the bulk run store is one)."""

    def get(self, key: str) -> dict[str, Any] | None: ...

    def put(self, key: str, value: dict[str, Any]) -> None: ...


class Limiter(Protocol):
    async def acquire(self, tokens: int) -> None: ...


class ModelGate:
    """One per run (or per document, for a one-off call)."""

    def __init__(
        self,
        in_flight: int = 4,
        cache: ResponseCache | None = None,
        limiter: Limiter | None = None,
    ) -> None:
        if in_flight < 1:
            raise ValueError("in_flight must be at least 1")
        self._slots = asyncio.Semaphore(in_flight)
        self.cache = cache
        self.limiter = limiter
        # Identical requests in flight at once are sent once ("single flight").
        self._inflight: dict[str, asyncio.Future[dict[str, Any] | None]] = {}

    @asynccontextmanager
    async def slot(self, tokens: int) -> AsyncIterator[None]:
        """Hold one request slot, after the rate limit lets ``tokens`` through."""
        async with self._slots:
            if self.limiter is not None:
                await self.limiter.acquire(tokens)
            yield

    async def answer(
        self,
        key: str,
        ask: Callable[[], Awaitable[tuple[T | None, Usage]]],
        dump: Callable[[T], dict[str, Any]],
        revive: Callable[[dict[str, Any]], T],
    ) -> tuple[T | None, Usage]:
        """The answer for ``key``: from the cache, from an identical request in flight, or
        by calling ``ask``. A cached answer costs no request (``Usage(cached=1)``)."""
        hit = self.cache.get(key) if self.cache is not None else None
        if hit is None and key in self._inflight:
            hit = await asyncio.shield(self._inflight[key])
        if hit is not None:
            return revive(hit), Usage(cached=1)
        if self.cache is None:
            return await ask()
        flight: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
        self._inflight[key] = flight
        try:
            answer, used = await ask()
            value = dump(answer) if answer is not None else None
            if value is not None:
                self.cache.put(key, value)
            flight.set_result(value)
            return answer, used
        except BaseException:
            flight.set_result(None)  # the waiters ask for themselves
            raise
        finally:
            del self._inflight[key]

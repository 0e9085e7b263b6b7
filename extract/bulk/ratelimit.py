"""Requests-per-minute and tokens-per-minute limits for one provider, as token buckets."""

from __future__ import annotations

import asyncio
import time


class _Bucket:
    def __init__(self, per_minute: float) -> None:
        self.rate = per_minute / 60.0
        self.capacity = per_minute
        self.level = per_minute
        self.stamp = time.monotonic()

    def delay(self, amount: float) -> float:
        """Seconds until ``amount`` is available (0 when it is now)."""
        now = time.monotonic()
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now
        return max(0.0, (min(amount, self.capacity) - self.level) / self.rate)

    def take(self, amount: float) -> None:
        self.level -= min(amount, self.capacity)


class RateLimiter:
    """Waits before a request until both one request and its token estimate fit."""

    def __init__(self, rpm: float | None = None, tpm: float | None = None) -> None:
        self._requests = _Bucket(rpm) if rpm else None
        self._tokens = _Bucket(tpm) if tpm else None
        self._lock = asyncio.Lock()

    async def acquire(self, tokens: int) -> None:
        wanted = [
            (b, n)
            for b, n in ((self._requests, 1.0), (self._tokens, float(tokens)))
            if b is not None
        ]
        async with self._lock:  # first come, first served
            while True:
                delay = max((b.delay(n) for b, n in wanted), default=0.0)
                if delay <= 0:
                    for bucket, amount in wanted:
                        bucket.take(amount)
                    return
                await asyncio.sleep(delay)

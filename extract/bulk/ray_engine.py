"""The same road on a Ray cluster (the optional ``ray`` extra): ``nianbao extract … --engine
ray [--address ray://…]``.

Each document's CPU part runs as a Ray task, the very functions the process pool runs
(``extract.bulk.workers``): with the rules its whole ``process_one``, with a model only the
read-and-parse step, model calls staying on the driver's event loop. Workers return records
(or drafts); the driver remains the only writer of the store and of the output. A worker
that dies mid-task (kill -9, Ray's own memory monitor) is retried by Ray; a document whose
task still fails gets an error record. The input files must be readable at the same path on
every node (shared storage).
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Any

from extract.bulk.workers import (
    Bounds,
    WholeResult,
    on_alarm,
    prepare_job,
    record_of,
    whole_job,
)
from extract.errors import DocumentTimeout, NianbaoError, WorkerDied
from extract.facts.finders import FactFinder
from extract.pipeline import Draft, Options, crashed_record, process_one
from extract.record import Record

RETRIES = 2  # a task whose worker died is run again this many times


def _with_alarm(fn: Any, *args: Any) -> Any:
    # Ray runs a task on its worker's main thread, where the time limit's signal handler
    # can be installed; elsewhere the document runs without the soft limit.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGALRM, on_alarm)
    return fn(*args)


class RayEngine:
    """Runs documents as Ray tasks; use as a context manager."""

    def __init__(self, address: str | None = None, bounds: Bounds | None = None) -> None:
        if address is None:
            # A local instance binds loopback only; Ray reads this when it is imported.
            os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        try:
            import ray
        except ImportError as exc:
            raise NianbaoError(
                "--engine ray needs the ray extra: pip install 'nianbao[ray]'"
            ) from exc
        self._ray = ray
        self.bounds = bounds or Bounds(memory_mb=None)
        self._owns = not ray.is_initialized()
        if self._owns:
            if address is None:
                ray.init(
                    include_dashboard=False,
                    log_to_driver=False,
                    _node_ip_address="127.0.0.1",
                )
            else:
                ray.init(address=address, log_to_driver=False)
        self._task = ray.remote(max_retries=RETRIES)(_with_alarm)

    def __enter__(self) -> RayEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns:
            self._ray.shutdown()

    async def _submit(self, fn: Any, path: Path, *args: Any) -> Any:
        try:
            return await self._task.remote(fn, path, *args)
        except self._ray.exceptions.GetTimeoutError as exc:
            raise DocumentTimeout(self.bounds.seconds) from exc
        except (
            self._ray.exceptions.WorkerCrashedError,
            self._ray.exceptions.NodeDiedError,
            self._ray.exceptions.OutOfMemoryError,
            self._ray.exceptions.LocalRayletDiedError,
        ) as exc:
            raise WorkerDied(None) from exc

    async def process(
        self, path: Path, finder: FactFinder, options: Options, unless_sha: str | None
    ) -> Record | None:
        worker_options = options.for_worker  # the model settings (and key) stay here
        seconds = self.bounds.seconds
        if not finder.uses_model:
            try:
                result: WholeResult = await self._submit(
                    whole_job, path, finder, worker_options, unless_sha, seconds
                )
            except Exception as exc:
                return crashed_record(str(path), exc, options)
            return record_of(result, path, options)

        async def prepare_in(
            path: Path, _: Options, rules: bool, unless_sha: str | None
        ) -> Draft | Record | None:
            try:
                ready: Draft | Record | None = await self._submit(
                    prepare_job, path, worker_options, rules, unless_sha, seconds
                )
                return ready
            except Exception as exc:
                return crashed_record(str(path), exc, options)

        return await process_one(
            path, finder, options, prepare_in=prepare_in, unless_sha=unless_sha
        )

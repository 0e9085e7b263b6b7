"""Reading and parsing on every core: a process pool that is also each document's boundary.

A document's CPU part (read, normalise, sections, tables, rules) runs in a worker process;
with a finder that needs no model, its whole ``process_one`` does, and the worker sends the
finished record back (as its JSON). Model calls stay on the parent's event loop. Each worker
has its next document waiting in its queue while it works on one. Each job is bounded:

- time: a SIGALRM in the worker ends a document that runs past ``seconds`` (a clean error
  record, the worker lives on); one stuck where no signal reaches it (inside C code) is
  killed by the parent's watchdog a grace period after that document started (each worker
  posts on a shared board which job and document it is on, and since when), the pool is
  replaced, the stuck document gets its error record and the others are done again;
- memory: the worker's address space is capped (RLIMIT_AS), so an allocation past it
  raises MemoryError inside that document instead of taking the machine down;
- death: a worker killed outright (kill -9, the kernel's OOM killer) breaks the pool. The
  pool is replaced and the documents that were in it are done again one at a time in a
  separate one-worker pool: the one that kills its worker again gets an error record, the
  others get their records. Nothing is lost, nothing hangs.

A job's result does not travel through the pool's pipe: the worker leaves it in a file and
sends only the file's name (see ``_by_file``), because a worker killed while writing a
long message to that pipe leaves the pool's reader waiting for the rest for ever.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import multiprocessing
import os
import pickle
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from extract.errors import DocumentTimeout, TemporaryFolderError, WorkerDied
from extract.facts.finders import FactFinder
from extract.logs import quiet_third_party_logs
from extract.pipeline import Draft, Options, crashed_record, prepare, process_one
from extract.record import Record
from extract.validate import json_field, record_from_json, record_json

T = TypeVar("T")
MB = 1024 * 1024


@dataclass(frozen=True)
class Bounds:
    """Per-document limits enforced in the workers."""

    seconds: float = 300.0
    memory_mb: int | None = 4096  # address space of one worker; None: no cap

    @property
    def hard_seconds(self) -> float:
        """How long the parent lets a job run before it stops waiting for a worker that
        ignores its alarm."""
        return self.seconds * 1.2 + 5.0

    @property
    def job_seconds(self) -> float:
        """A backstop for a job the watchdog cannot see (stuck before its first document
        started): any job in the pool may hold up to BATCH documents and wait in line
        behind another such job (see ``PoolEngine._ready``)."""
        return (2 * BATCH - 1) * self.seconds + self.hard_seconds


@dataclass(frozen=True)
class Board:
    """What each worker of a pool is doing, in shared memory the parent reads: the job and
    the document within it (its place in the job) in progress, and since when (the
    system-wide monotonic clock; 0 when idle). A worker takes a slot when it starts."""

    started: Any  # RawArray of double
    job: Any  # RawArray of long long
    index: Any  # RawArray of int
    pid: Any  # RawArray of long long
    taken: Any  # Value of int: slots handed out

    @classmethod
    def new(cls, context: Any, workers: int) -> Board:
        return cls(
            context.RawArray("d", workers),
            context.RawArray("q", workers),
            context.RawArray("i", workers),
            context.RawArray("q", workers),
            context.Value("i", 0),
        )

    def stuck(self, now: float, limit: float) -> list[tuple[int, int, int]]:
        """(pid, job, index) of each worker on one document for longer than ``limit``."""
        out = []
        for slot in range(min(self.taken.value, len(self.started))):
            started = self.started[slot]
            if started and now - started > limit:
                out.append((self.pid[slot], self.job[slot], self.index[slot]))
        return out


# Jobs handed to each worker beyond the one it runs: the next documents are already in its
# queue when it finishes, instead of a round trip through the parent away (a worker sat
# idle for that, about a tenth of a report's time).
QUEUED_PER_WORKER = 1
# Documents sent to a worker in one job (with a finder that needs no model): the parent's
# work per job, a round trip through two helper threads and their pipes, is shared by them.
# Each document keeps its own time limit inside the job.
BATCH = 4
GATHER_SECONDS = 0.001  # how long a document waits for others to share its job


# --- the worker side -------------------------------------------------------------------

_SECONDS = [0.0]  # the limit of the job in progress, for the alarm's message
_SLOT: list[tuple[Board, int]] = []  # this worker's board and slot (none under Ray)
_JOB = [0, 0]  # the job in progress and the place in it of the document in progress
_RESULTS: list[Path] = []  # the folder this worker leaves its results in
_SENT = itertools.count()


def on_alarm(signum: int, frame: object) -> None:
    raise DocumentTimeout(_SECONDS[0])


def _exit_with_parent(parent: int, every: float = 1.0) -> None:
    """A run killed with -9 cannot stop its pool: each worker leaves when its parent is gone
    (it is re-parented), instead of living on, holding its memory, for ever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(70)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _init_worker(
    memory_mb: int | None, parent: int, results: Path, board: Board | None = None
) -> None:
    # The parent's pid comes from the parent: a run killed while this worker was still
    # starting has already left, and os.getppid() here would name the new parent.
    _exit_with_parent(parent)
    _RESULTS[:] = [results]
    if board is not None:
        with board.taken.get_lock():
            slot = board.taken.value
            board.taken.value += 1
        if slot < len(board.started):
            board.pid[slot] = os.getpid()
            _SLOT.append((board, slot))
    # Ctrl-C is the parent's to handle: it stops the run and the pool with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGALRM, on_alarm)
    quiet_third_party_logs()  # a worker is a process of its own: the CLI's setting is not here
    # What is loaded by now (the pipeline's modules) lives as long as the worker: leaving it
    # out of the collector's full passes makes each document about 3 % cheaper.
    gc.freeze()
    if memory_mb is not None:
        import resource

        limit = memory_mb * MB
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    _SECONDS[0] = seconds
    if _SLOT:  # posted for the parent's watchdog, in case the alarm cannot reach us
        board, slot = _SLOT[0]
        board.job[slot], board.index[slot] = _JOB
        board.started[slot] = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        if _SLOT:
            board, slot = _SLOT[0]
            board.started[slot] = 0.0


def tracked(job: int, fn: Callable[..., Any], *args: Any) -> str:
    """Run a pool job, its id posted on the board while its documents run."""
    _JOB[0], _JOB[1] = job, 0
    return _by_file(fn, *args)


def _by_file(fn: Callable[..., Any], *args: Any) -> str:
    """Run ``fn(*args)`` and leave what it returned (or raised) in a file of its own; the
    pool's pipe carries only the file's name.

    A worker killed (kill -9, the OOM killer) while it writes a message to the pool's
    result pipe leaves half a message there, and the pool's reader thread waits for the
    rest for ever: it never sees the death, and the run hangs. A name is far shorter than
    PIPE_BUF, which the kernel writes whole or not at all; a file half written when its
    worker dies is never named, and goes with the folder."""
    try:
        outcome: tuple[str, Any] = ("returned", fn(*args))
    except BaseException as exc:  # as the pool itself would have sent it back
        outcome = ("raised", exc)
    path = _RESULTS[0] / f"{os.getpid()}-{next(_SENT)}.pickle"
    try:
        _write(path, outcome)
    except OSError as exc:  # a full disk, a folder not writable: said, not "unexpected"
        with suppress(OSError):
            path.unlink(missing_ok=True)
        raise TemporaryFolderError(
            f"a worker could not leave its result in the temporary folder {path.parent} "
            f"({exc.strerror or exc}); free some space there or set TMPDIR to a writable "
            "folder with room, and run the same command again (with --store, add "
            "--retry-failed)"
        ) from None  # the traceback of the write is no use to the run
    return str(path)


def _write(path: Path, outcome: tuple[str, Any]) -> None:
    try:
        file = open(path, "wb")  # noqa: SIM115 (closed by the with below)
    except FileNotFoundError:  # the folder was cleaned away under a long run: made again
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        file = open(path, "wb")  # noqa: SIM115
    with file:
        try:
            pickle.dump(outcome, file, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            raise  # the file, not the value
        except Exception as exc:  # what cannot be pickled is sent as words
            file.seek(0)
            file.truncate()
            kind, value = outcome
            said = repr(value)[:300] if kind == "raised" else type(value).__name__
            raised = RuntimeError(f"a worker could not send back what it {kind} ({said}): {exc}")
            pickle.dump(("raised", raised), file, protocol=pickle.HIGHEST_PROTOCOL)


def _received(name: str) -> Any:
    """What a worker's ``_by_file`` left: returned, or raised here."""
    path = Path(name)
    try:
        with open(path, "rb") as file:
            kind, value = pickle.load(file)
    finally:
        path.unlink(missing_ok=True)
    if kind == "raised":
        raise value
    return value


def _bounded(fn: Callable[[], T], path: Path, options: Options, seconds: float) -> T | Record:
    """Run one document's job under the time limit; the alarm (DocumentTimeout), or
    anything else that escapes the document's own boundary, becomes its record."""
    try:
        with _time_limit(seconds):
            return fn()
    except Exception as exc:
        return crashed_record(str(path), exc, options, getattr(exc, "sha256", None) or "")


_LOOP: list[asyncio.AbstractEventLoop] = []  # the worker's event loop, once made


def _run_here(work: Coroutine[Any, Any, T]) -> T:
    """Run a document's coroutine on this worker's event loop. One loop serves every
    document (a new loop per document cost more than the rules of a short report); one
    that an exception (an alarm) left, in whatever state, is dropped, and the next
    document gets a new one."""
    if not _LOOP:
        _LOOP.append(asyncio.new_event_loop())
    loop = _LOOP[0]
    try:
        return loop.run_until_complete(work)
    except BaseException:
        _LOOP.clear()
        with suppress(Exception):
            loop.close()
        raise


# A record crosses back to the parent as its JSON (a str): cheaper to write here and to
# read there than the pickled models (about 0.04 + 0.09 ms against 0.14 + 0.15 ms). The
# parent reads it strictly, and that is the record's one validation (``record_of``).
WholeResult = str | Record | None


def whole_job(
    path: Path, finder: FactFinder, options: Options, unless_sha: str | None, seconds: float
) -> WholeResult:
    def job() -> WholeResult:
        work = process_one(path, finder, options, unless_sha=unless_sha, check=False)
        record = _run_here(work)
        if record is None:
            return None
        try:
            return record_json(record)
        except ValueError as exc:  # as finish's own check would have said
            return crashed_record(str(path), exc, options, record.sha256)

    return _bounded(job, path, options, seconds)


Whole = tuple[Path, FactFinder, Options, str | None]  # whole_job's arguments but seconds


def batch_job(documents: list[Whole], seconds: float) -> list[WholeResult]:
    """Several documents' ``whole_job`` in one job, each under its own time limit."""
    out = []
    for index, document in enumerate(documents):
        _JOB[1] = index
        out.append(whole_job(*document, seconds))
    return out


def record_of(result: WholeResult, path: Path, options: Options) -> Record | None:
    """The record a ``whole_job`` sent back, read from its JSON and validated (strictly,
    as ``pipeline.finish`` validates a record made in this process); one that breaks the
    schema becomes that document's error record, as it does there."""
    if not isinstance(result, str):
        return result
    try:
        return record_from_json(result)
    except ValueError as exc:
        return crashed_record(str(path), exc, options, json_field(result, "sha256"))


def prepare_job(
    path: Path, options: Options, rules: bool, unless_sha: str | None, seconds: float
) -> Draft | Record | None:
    return _bounded(lambda: prepare(path, options, rules, unless_sha), path, options, seconds)


# --- the parent side -------------------------------------------------------------------


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(eq=False)
class _Waiting:
    """A document waiting to be sent to a worker, and where its result goes."""

    document: Whole
    result: asyncio.Future[WholeResult]


class PoolEngine:
    """Runs documents on ``workers`` processes; use as a context manager."""

    def __init__(self, workers: int | None = None, bounds: Bounds | None = None) -> None:
        self.workers = workers or default_workers()
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        self.bounds = bounds or Bounds()
        # spawn: workers start clean, never from a copy of this process with its event loop,
        # threads and open sockets (fork), and without the socket a forkserver is reached
        # through (which sandboxes that block the network refuse).
        self._context = multiprocessing.get_context("spawn")
        self._results = _results_folder()
        self._board = Board.new(self._context, self.workers)
        self._pool = self._new_pool(self.workers, self._board)
        self._generation = 0
        self._killed: set[int] = set()  # generations this engine killed on purpose
        self._slots: asyncio.Semaphore | None = None
        self._alone: asyncio.Lock | None = None
        self._waiting: list[_Waiting] = []  # documents not yet sent, in the order started
        self._dispatcher: asyncio.Task[None] | None = None
        self._jobs: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._job_ids = itertools.count(1)
        self._stuck: dict[int, int] = {}  # job → the document in it the watchdog stopped
        self._in_flight = 0
        self._watchdog: asyncio.Task[None] | None = None
        self.replaced = 0  # pools replaced after a worker died or was stopped

    def _new_pool(self, workers: int, board: Board | None = None) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=self._context,
            initializer=_init_worker,
            initargs=(self.bounds.memory_mb, os.getpid(), self._results, board),
        )

    def __enter__(self) -> PoolEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._pool.shutdown(wait=True, cancel_futures=True)
        finally:
            shutil.rmtree(self._results, ignore_errors=True)

    # Engine
    async def process(
        self, path: Path, finder: FactFinder, options: Options, unless_sha: str | None
    ) -> Record | None:
        worker_options = options.for_worker  # the model settings (and key) stay here
        if not finder.uses_model:
            try:
                result = await self._whole((path, finder, worker_options, unless_sha))
            except Exception as exc:
                return crashed_record(str(path), exc, options, _checksum(path, options))
            return record_of(result, path, options)

        async def prepare_in(
            path: Path, _: Options, rules: bool, unless_sha: str | None
        ) -> Draft | Record | None:
            try:
                return await self.submit(
                    prepare_job, path, worker_options, rules, unless_sha, self.bounds.seconds
                )
            except Exception as exc:
                return crashed_record(str(path), exc, options, _checksum(path, options))

        return await process_one(
            path, finder, options, prepare_in=prepare_in, unless_sha=unless_sha
        )

    def _ready(self) -> asyncio.Semaphore:
        """The job slots of the running event loop (made per loop: a pool outlives one).

        At most QUEUED_PER_WORKER jobs wait per worker, besides the ones running. The
        watchdog stops a document deaf to its alarm ``hard_seconds`` after it started;
        as a backstop, every job is given the same ``Bounds.job_seconds`` from being handed
        over: one that waits in
        line starts within BATCH × ``seconds`` when the jobs before it keep their limits
        (those running end by then, and the workers take the waiting ones, this one
        included, as they free up), and then runs its own documents; a job before it that
        ignores its alarm overruns its own deadline first, which is earlier (the same length,
        from an earlier start), and the pool is stopped for that one. (A deadline that
        allowed less for a job that found a worker free would break that order.)"""
        loop = asyncio.get_running_loop()
        if self._slots is None or self._loop is not loop:
            self._slots = asyncio.Semaphore(self.workers * (1 + QUEUED_PER_WORKER))
            self._alone = asyncio.Lock()
            self._waiting = []
            self._dispatcher = None
            self._jobs = set()
            self._loop = loop
        return self._slots

    async def _attempt(self, fn: Callable[..., T], *args: Any) -> tuple[str, Any]:
        """Run ``fn(*args)`` in the pool: ("done", its result); ("stuck", the place in the
        job of the document) when the watchdog stopped the pool for a document of it deaf
        to its alarm; ("overran", None) when the job passed the backstop deadline (the pool
        is stopped); ("died", None) when a worker died under it (the pool is replaced). A
        job the pool was stopped under for another job's sake is simply done again."""
        self._in_flight += 1
        try:
            self._watch()
            while True:
                generation = self._generation
                job = next(self._job_ids)
                try:
                    future = asyncio.get_running_loop().run_in_executor(
                        self._pool, tracked, job, fn, *args
                    )
                except BrokenProcessPool:
                    # Broken before this job reached it (a worker died and the jobs that
                    # saw it have not replaced the pool yet): this job is not a suspect.
                    self._replace(generation)
                    continue
                try:
                    # (asyncio.timeout rather than wait_for: no waiter and callbacks of its
                    # own, a noticeable share of the parent's work per document)
                    async with asyncio.timeout(self.bounds.job_seconds):
                        name = await future
                except TimeoutError:
                    self._replace(generation, kill=True)
                    return "overran", None
                except BrokenProcessPool:
                    if job in self._stuck:
                        return "stuck", self._stuck.pop(job)
                    died_alone = generation not in self._killed
                    self._replace(generation)
                    if died_alone:
                        return "died", None
                except asyncio.CancelledError:
                    # Only the job's own future was cancelled, by a pool shut down under it
                    # while it still waited in that pool's queue: done again in the new one.
                    # The run being cancelled (the task is) or a pool never replaced is not
                    # that, and goes on up.
                    task = asyncio.current_task()
                    if (
                        not future.cancelled()
                        or (task is not None and task.cancelling())
                        or generation == self._generation
                    ):
                        raise
                else:
                    return "done", _received(name)
        finally:
            self._in_flight -= 1

    def _watch(self) -> None:
        """Start the watchdog on this event loop unless it runs: while jobs are in flight,
        it stops the pool under a document that has run past ``hard_seconds`` (its worker
        deaf to the alarm) and remembers which job and document it was."""
        loop = asyncio.get_running_loop()
        running = self._watchdog
        if running is not None and not running.done() and running.get_loop() is loop:
            return
        self._watchdog = loop.create_task(self._watching())

    async def _watching(self) -> None:
        every = min(1.0, self.bounds.seconds / 4)
        while self._in_flight:
            await asyncio.sleep(every)
            mine = {p.pid for p in _processes(self._pool)}
            for pid, job, index in self._board.stuck(time.monotonic(), self.bounds.hard_seconds):
                if pid in mine:
                    self._stuck[job] = index
                    self._replace(self._generation, kill=True)
                    break  # the others of this pool are done again in a new one

    async def submit(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` in a worker; replaces a broken pool, and isolates the job
        when a worker died under it (raising WorkerDied or DocumentTimeout when the job
        itself is the cause)."""
        async with self._ready():
            outcome, result = await self._attempt(fn, *args)
        if outcome in ("overran", "stuck"):
            raise DocumentTimeout(self.bounds.seconds)
        if outcome == "died":
            return await self._isolated(fn, *args)  # a suspect: done again alone
        return cast(T, result)

    async def _whole(self, document: Whole) -> WholeResult:
        """One document's ``whole_job``, sent with those started beside it (up to BATCH in
        one job, by one dispatcher per event loop). A job whose worker died, or that
        overran, is not blamed on all its documents: each is done again alone, and only
        the one at fault gets WorkerDied or DocumentTimeout."""
        self._ready()
        mine = _Waiting(document, asyncio.get_running_loop().create_future())
        self._waiting.append(mine)
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = asyncio.create_task(self._dispatch())
        return await mine.result

    async def _dispatch(self) -> None:
        """Send the waiting documents to the workers, BATCH at a time, one job per slot."""
        slots = self._ready()
        while self._waiting:
            if len(self._waiting) < BATCH:
                # Those started beside them join them. The workers meanwhile have a job
                # queued each, longer than this wait: none of them sits idle for it.
                await asyncio.sleep(GATHER_SECONDS)
            await slots.acquire()
            batch = self._waiting[:BATCH]
            del self._waiting[:BATCH]
            if not batch:
                slots.release()
                continue
            job = asyncio.create_task(self._send(batch, slots))
            self._jobs.add(job)  # held until done (the loop keeps only a weak reference)
            job.add_done_callback(self._jobs.discard)

    async def _send(self, batch: list[_Waiting], slots: asyncio.Semaphore) -> None:
        seconds = self.bounds.seconds
        try:
            try:
                items = [w.document for w in batch]
                outcome, results = await self._attempt(batch_job, items, seconds)
            finally:
                slots.release()
            if outcome == "done":
                for w, result in zip(batch, results or [], strict=True):
                    w.result.set_result(result)
            elif outcome == "stuck":
                # The one the watchdog stopped gets its error; the others, innocent, go
                # back to the front of the line (their work was lost with the pool).
                batch.pop(results).result.set_exception(DocumentTimeout(seconds))
                self._waiting[:0] = batch
                if batch and (self._dispatcher is None or self._dispatcher.done()):
                    self._dispatcher = asyncio.create_task(self._dispatch())
            elif outcome == "overran" and len(batch) == 1:
                batch[0].result.set_exception(DocumentTimeout(seconds))
            else:
                calls = [(*w.document, seconds) for w in batch]
                alone = await self._each_alone(whole_job, calls)
                for w, one in zip(batch, alone, strict=True):
                    if isinstance(one, Exception):
                        w.result.set_exception(one)
                    else:
                        w.result.set_result(one)
        except Exception as exc:  # each document of the job gets it (its error record)
            for w in batch:
                if not w.result.done():
                    w.result.set_exception(exc)
        except BaseException:
            for w in batch:  # never leave a document of this job waiting for ever
                if not w.result.done():
                    w.result.cancel()
            raise

    async def _isolated(self, fn: Callable[..., T], *args: Any) -> T:
        (outcome,) = await self._each_alone(fn, [args])
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def _each_alone(
        self, fn: Callable[..., T], calls: list[tuple[Any, ...]]
    ) -> list[T | Exception]:
        """Each call alone in a one-worker pool (one pool serves them in turn while its
        worker lives): a call whose worker dies (WorkerDied) or that overruns
        (DocumentTimeout) there is the one at fault."""
        assert self._alone is not None
        out: list[T | Exception] = []
        async with self._alone:
            pool: ProcessPoolExecutor | None = None
            try:
                for args in calls:
                    pool = pool or self._new_pool(1)
                    try:
                        future = asyncio.get_running_loop().run_in_executor(
                            pool, _by_file, fn, *args
                        )
                    except BrokenProcessPool:  # its worker died after the call before
                        pool.shutdown(wait=False, cancel_futures=True)
                        pool = self._new_pool(1)
                        future = asyncio.get_running_loop().run_in_executor(
                            pool, _by_file, fn, *args
                        )
                    worker = _processes(pool)  # started by the submission: its exit code
                    try:
                        name = await asyncio.wait_for(future, self.bounds.hard_seconds)
                    except TimeoutError:
                        _kill(pool)
                        out.append(DocumentTimeout(self.bounds.seconds))
                    except BrokenProcessPool:
                        for process in worker:
                            process.join(timeout=5)
                        codes = [p.exitcode for p in worker if p.exitcode is not None]
                        out.append(WorkerDied(codes[0] if codes else None))
                    else:
                        out.append(_received(name))
                        continue
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = None
            finally:
                if pool is not None:
                    pool.shutdown(wait=False, cancel_futures=True)
        return out

    def _replace(self, generation: int, kill: bool = False) -> None:
        if generation != self._generation:
            return  # already replaced by another job that saw the same breakage
        old = self._pool
        if kill:
            self._killed.add(generation)
            _kill(old)
        # Jobs still in the old pool's queue are not cancelled: a killed pool fails them
        # (BrokenProcessPool) and each is done again from its own _attempt; cancelling
        # them raced that and lost documents.
        old.shutdown(wait=False, cancel_futures=False)
        self._board = Board.new(self._context, self.workers)
        self._pool = self._new_pool(self.workers, self._board)
        self._generation += 1
        self.replaced += 1


def _processes(pool: ProcessPoolExecutor) -> list[multiprocessing.process.BaseProcess]:
    # ProcessPoolExecutor has no public way to reach its workers before Python 3.14
    # (terminate_workers / kill_workers); the mapping has been stable since 3.2.
    return list(getattr(pool, "_processes", {}).values())


def _kill(pool: ProcessPoolExecutor) -> None:
    for process in _processes(pool):
        with suppress(OSError, ValueError):
            process.kill()


RESULTS_PREFIX = "nianbao-results-"


STALE_SECONDS = 3600.0


def _results_folder() -> Path:
    """A new folder for the jobs' results of this run. Those of runs that were killed
    outright (kill -9 leaves a run no chance to remove its own) are removed first: a
    folder whose run is not running here and that nothing has written to for an hour (a
    run in another container that shares this folder is not seen running from here, but
    its workers keep writing)."""
    base = Path(tempfile.gettempdir())
    now = time.time()
    for old in base.glob(f"{RESULTS_PREFIX}*-*"):
        pid = old.name.removeprefix(RESULTS_PREFIX).split("-", 1)[0]
        with suppress(OSError):
            stale = now - old.stat().st_mtime > STALE_SECONDS
            if stale and pid.isdigit() and not _running(int(pid)):
                shutil.rmtree(old, ignore_errors=True)
    try:
        return Path(tempfile.mkdtemp(prefix=f"{RESULTS_PREFIX}{os.getpid()}-"))
    except OSError as exc:
        raise TemporaryFolderError(
            f"cannot make a folder for the workers' results in the temporary folder {base} "
            f"({exc.strerror or exc}); set TMPDIR to a writable folder with room, or read "
            "the documents in this process with --workers 0"
        ) from exc


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    return True


def _checksum(path: Path, options: Options) -> str:
    """The file's checksum, for a document whose worker could not report it; "" when the
    file cannot be read safely (then a resume tries it again)."""
    from extract.ingest import file_sha

    return file_sha(path, options.max_bytes)

"""The process pool is each document's boundary: a worker that dies, overruns or runs out of
memory costs that document an error record, never the run."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import DOC_IDS, FIXTURES
from pool_jobs import WRITE_SYSCALL, Misbehaving, nap, unpicklable
from procs import children

from extract.bulk.runner import BulkConfig, run
from extract.bulk.workers import (
    RESULTS_PREFIX,
    STALE_SECONDS,
    Bounds,
    PoolEngine,
    _results_folder,
)
from extract.errors import WorkerDied
from extract.pipeline import Options, extract_file, process_one, run_sync
from extract.record import Record


def _copies(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for i, name in enumerate(names):
        source = FIXTURES / f"{DOC_IDS[i % len(DOC_IDS)]}.txt"
        paths.append(Path(shutil.copy(source, folder / f"{name}.txt")))
    return paths


def _run(
    paths: list[Path], bounds: Bounds, workers: int = 2, documents: int = 4
) -> tuple[list[Record], int]:
    out: list[Record] = []

    async def go() -> int:
        with PoolEngine(workers, bounds) as engine:
            await run(
                paths,
                Misbehaving(),
                Options(),
                BulkConfig(documents=documents),
                engine=engine,
                emit=out.append,
            )
            return engine.replaced

    replaced = asyncio.run(go())
    return out, replaced


def test_a_document_that_kills_its_worker_gets_an_error_record(tmp_path: Path) -> None:
    paths = _copies(tmp_path, ["a", "b", "killed", "c", "d", "e"])
    records, replaced = _run(paths, Bounds(seconds=20))
    assert [Path(r.source).name for r in records] == [p.name for p in paths]
    by_name = {Path(r.source).name: r for r in records}
    (error,) = by_name["killed.txt"].errors
    assert error.where == "document" and "died (killed by signal 9)" in error.message
    assert by_name["killed.txt"].sha256  # tied to its bytes: a resume does not retry it
    for name in ("a.txt", "b.txt", "c.txt", "d.txt", "e.txt"):
        expected = extract_file(tmp_path / name)[0]
        assert by_name[name] == expected  # the documents beside it are whole
    assert replaced >= 1


def test_a_record_that_breaks_the_schema_is_refused_in_a_worker_as_at_home(
    tmp_path: Path,
) -> None:
    # A worker sends its record's JSON and the parent validates it (once): the refusal is
    # the same error record as when the document is processed in this process.
    paths = _copies(tmp_path, ["a", "invalid", "b"])
    records, _ = _run(paths, Bounds(seconds=20))
    at_home = [run_sync(process_one(path, Misbehaving(), Options())) for path in paths]
    assert records == at_home
    (error,) = records[1].errors
    assert error.where == "document" and "breaks the schema" in error.message
    assert "facts/0/start" in error.message and records[1].sha256
    assert not records[0].failed and not records[2].failed


def test_time_limit_soft_and_hard(tmp_path: Path) -> None:
    paths = _copies(tmp_path, ["a", "slow", "b", "stuck", "c"])
    bounds = Bounds(seconds=2.0)
    started = time.monotonic()
    records, replaced = _run(paths, bounds)
    # The watchdog stops the stuck document a grace period after it started: the whole run
    # (pools started twice, the others of its job done again) ends before the job's backstop
    # deadline could even have fired.
    assert time.monotonic() - started < bounds.job_seconds
    by_name = {Path(r.source).name: r for r in records}
    for name in ("slow.txt", "stuck.txt"):
        (error,) = by_name[name].errors
        assert error.where == "document" and "longer than the 2 s limit" in error.message
        assert "--timeout" in error.message
    for name in ("a.txt", "b.txt", "c.txt"):  # done again when the pool under them stopped
        assert by_name[name] == extract_file(tmp_path / name)[0]
    assert replaced >= 1


def test_jobs_queued_behind_a_stopped_pool_are_done_again_not_lost(tmp_path: Path) -> None:
    # Many documents in flight: when the watchdog stops the pool under the stuck one, jobs
    # still waiting in the pool's queue (not yet handed to a worker) must be done again in
    # the new pool, not cancelled with the old one.
    names = [f"a{i}" for i in range(13)] + ["stuck"] + [f"b{i}" for i in range(30)]
    paths = _copies(tmp_path, names)
    records, replaced = _run(paths, Bounds(seconds=2.0), documents=64)
    assert [Path(r.source).name for r in records] == [p.name for p in paths]
    assert [Path(r.source).name for r in records if r.failed] == ["stuck.txt"]
    assert replaced == 1


@pytest.mark.parametrize("kill", [True, False], ids=["killed", "let-go"])
def test_a_pool_replaced_under_queued_jobs_does_them_again(kill: bool) -> None:
    # One worker busy, one job in its hands' queue, the rest still in the executor's own
    # queue: replacing the pool (as the watchdog does) must not cancel any of them.
    async def go() -> list[tuple[str, object]]:
        with PoolEngine(1, Bounds(seconds=20)) as engine:
            jobs = [asyncio.ensure_future(engine._attempt(nap, 0.5, i)) for i in range(8)]
            await jobs[0]  # the worker is up and busy with the second
            engine._replace(engine._generation, kill=kill)
            return await asyncio.gather(*jobs)

    outcomes = asyncio.run(go())
    assert outcomes == [("done", i) for i in range(8)]


_SENDING = """
import asyncio, sys
sys.path.insert(0, {tests!r})
from pool_jobs import killed_sending
from extract.bulk.workers import Bounds, PoolEngine
from extract.errors import WorkerDied

async def go():
    with PoolEngine(1, Bounds(seconds=20)) as engine:
        try:
            print("sent:", len(await engine.submit(killed_sending, 64 * 1024 * 1024)))
        except WorkerDied as exc:
            print("died:", exc)

asyncio.run(go())
"""


@pytest.mark.skipif(
    not Path("/proc/self/syscall").exists() or os.uname().machine not in WRITE_SYSCALL,
    reason="needs /proc/<pid>/task/<tid>/syscall on x86_64 or aarch64",
)
def test_a_worker_killed_while_sending_its_result_does_not_hang_the_run() -> None:
    # Killed half way through writing a long result to the pool's pipe, a worker used to
    # leave the pool's reader waiting for the rest for ever (the run hung, and so did its
    # exit). In a process of its own, so that a hang fails the test instead of the suite.
    script = _SENDING.format(tests=str(Path(__file__).parent))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    # The result arrived whole, or the job was found to kill its worker: never a hang.
    assert done.stdout.strip() in ("sent: 67108864", "died: " + str(WorkerDied(-9)))


def test_a_job_sent_to_a_pool_already_broken_is_done_in_a_new_one() -> None:
    # A worker died and the jobs that saw it have not replaced the pool yet: a job sent
    # now is refused by the broken pool, and is simply done in a new one (it used to fail
    # its documents with "BrokenProcessPool").
    async def go() -> tuple[tuple[str, object], int]:
        with PoolEngine(1, Bounds(seconds=20)) as engine:
            assert await engine._attempt(nap, 0.0, 1) == ("done", 1)
            (worker,) = engine._pool._processes.values()  # type: ignore[attr-defined]
            os.kill(worker.pid, signal.SIGKILL)
            deadline = time.monotonic() + 20
            while not engine._pool._broken and time.monotonic() < deadline:  # type: ignore[attr-defined]
                await asyncio.sleep(0.01)
            return await engine._attempt(nap, 0.0, 2), engine.replaced

    assert asyncio.run(go()) == (("done", 2), 1)


def test_a_result_that_cannot_be_sent_back_is_an_error_not_a_hang() -> None:
    async def go() -> None:
        with PoolEngine(1, Bounds(seconds=20)) as engine:
            await engine.submit(unpicklable)

    with pytest.raises(RuntimeError, match=r"could not send back what it returned \(lock\)"):
        asyncio.run(go())


def test_a_result_the_temporary_folder_cannot_hold_says_so_and_the_way_out() -> None:
    # A full or unusable TMPDIR is not the document's fault, nor "an unexpected error" to
    # report: the message names the folder and what to do (it said "could not send back
    # what it returned (list): [Errno 28] No space left on device … please report this file").
    from extract.errors import NianbaoError

    async def go() -> None:
        with PoolEngine(1, Bounds(seconds=20)) as engine:
            shutil.rmtree(engine._results)
            engine._results.write_text("")  # the folder is now a file: nothing can go in it
            try:
                await engine.submit(nap, 0.0, 1)
            finally:
                engine._results.unlink()

    with pytest.raises(NianbaoError) as raised:
        asyncio.run(go())
    message = str(raised.value)
    assert "temporary folder" in message and "TMPDIR" in message, message
    assert "--retry-failed" in message and "report this file" not in message


def test_a_temporary_folder_that_cannot_be_used_stops_the_run_with_the_way_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extract.errors import TemporaryFolderError

    blocked = tmp_path / "tmp-is-a-file"
    blocked.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(blocked))
    with pytest.raises(TemporaryFolderError, match=r"set TMPDIR to a writable folder.*--workers 0"):
        _results_folder()


def test_only_stale_results_folders_of_runs_not_running_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = int(gone.stdout)
    old = time.time() - 2 * STALE_SECONDS
    folders = {
        "dead, untouched for two hours": f"{RESULTS_PREFIX}{dead}-a",
        "dead, written a moment ago": f"{RESULTS_PREFIX}{dead}-b",
        "running, untouched for two hours": f"{RESULTS_PREFIX}{os.getpid()}-c",
    }
    for what, name in folders.items():
        (tmp_path / name).mkdir()
        if "two hours" in what:
            os.utime(tmp_path / name, (old, old))
    mine = _results_folder()
    assert mine.parent == tmp_path and mine.name.startswith(f"{RESULTS_PREFIX}{os.getpid()}-")
    left = {what for what, name in folders.items() if (tmp_path / name).exists()}
    assert left == {"dead, written a moment ago", "running, untouched for two hours"}


def test_memory_bound_gives_an_error_record(tmp_path: Path) -> None:
    paths = _copies(tmp_path, ["greedy", "a"])
    records, replaced = _run(paths, Bounds(seconds=20, memory_mb=1024), workers=1)
    greedy, good = records
    (error,) = greedy.errors
    assert error.where == "document" and "MemoryError" in error.message
    assert not good.failed and replaced == 0  # the worker survived it


def _workers(pid: int) -> list[int]:
    """The pool's workers: the run's children started by multiprocessing's spawn."""
    return [c for c in children(pid) if "multiprocessing.spawn" in _cmdline(c)]


def test_kill_9_of_a_worker_mid_run_loses_nothing(tmp_path: Path) -> None:
    names = [f"doc-{i:03d}" for i in range(150)]
    paths = _copies(tmp_path / "in", names)
    store, out = tmp_path / "run.sqlite", tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "extract.cli", "extract", str(tmp_path / "in")]
    command += ["--store", str(store), "-o", str(out), "--workers", "2", "-q"]
    run_ = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    killed = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and run_.poll() is None and not killed:
        workers = _workers(run_.pid)
        if workers and _finished(store) >= 30:
            os.kill(workers[-1], signal.SIGKILL)
            killed = workers[-1]
        time.sleep(0.05)
    assert killed, "the run ended before a worker could be killed"
    _, err = run_.communicate(timeout=120)
    assert run_.returncode == 0, err.decode()
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [Path(r["source"]).name for r in records] == [p.name for p in paths]
    assert all(not r["errors"] for r in records), "the document in the killed worker is whole"


def _finished(store: Path) -> int:
    if not store.exists():
        return 0
    db = sqlite3.connect(store)
    try:
        return int(db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # not created yet
    finally:
        db.close()


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_kill_9_of_the_run_leaves_no_worker_behind(tmp_path: Path) -> None:
    _copies(tmp_path / "in", [f"doc-{i:03d}" for i in range(150)])
    command = [sys.executable, "-m", "extract.cli", "extract", str(tmp_path / "in")]
    command += ["-o", str(tmp_path / "out.jsonl"), "--workers", "2", "-q"]
    run_ = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and run_.poll() is None and len(workers) < 2:
        workers = _workers(run_.pid)
        time.sleep(0.05)
    assert workers, "the run ended before its workers started"
    run_.send_signal(signal.SIGKILL)
    run_.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.2)
    assert not [w for w in workers if _alive(w)], "workers outlived their run"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's wait is missing

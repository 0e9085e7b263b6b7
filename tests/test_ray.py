"""The same road as Ray tasks, against a local Ray instance this test starts (loopback only),
including a Ray worker killed mid-run: nothing is lost."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DOC_IDS, FIXTURES

from extract.bulk.runner import BulkConfig, run
from extract.facts.finders import RulesFinder
from extract.pipeline import Options, extract_file
from extract.record import Record

# Before Ray is imported (it reads this once): a local instance on loopback only.
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
ray = pytest.importorskip("ray")
pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def engine() -> Iterator[object]:
    from extract.bulk.ray_engine import RayEngine

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, _node_ip_address="127.0.0.1")
    try:
        yield RayEngine()  # uses the instance this test started
    finally:
        ray.shutdown()


def _copies(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    return [
        Path(shutil.copy(FIXTURES / f"{DOC_IDS[i % 5]}.txt", folder / f"d{i:03d}.txt"))
        for i in range(count)
    ]


def _ray_workers() -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmd = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if cmd.startswith(b"ray::_with_alarm"):  # a worker running one of our tasks
                pids.append(int(entry))
    return pids


def _run(engine: object, paths: list[Path]) -> list[Record]:
    out: list[Record] = []

    async def go() -> None:
        await run(
            paths, RulesFinder(), Options(), BulkConfig(documents=8), engine=engine, emit=out.append
        )  # type: ignore[arg-type]

    asyncio.run(go())
    return out


def test_ray_tasks_give_the_same_records(engine: object, tmp_path: Path) -> None:
    paths = _copies(tmp_path / "in", 10)
    records = _run(engine, paths)
    assert records == [extract_file(p)[0] for p in paths]


def test_a_ray_worker_killed_mid_run_loses_nothing(engine: object, tmp_path: Path) -> None:
    paths = _copies(tmp_path / "in", 120)
    killed: list[int] = []

    def killer() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not killed:
            busy = _ray_workers()
            if busy:
                os.kill(busy[0], signal.SIGKILL)
                killed.append(busy[0])
            time.sleep(0.05)

    thread = threading.Thread(target=killer)
    thread.start()
    records = _run(engine, paths)
    thread.join()
    assert killed, "no Ray worker was busy to be killed"
    assert [Path(r.source).name for r in records] == [p.name for p in paths]
    assert all(not r.errors for r in records), [r.errors for r in records if r.errors][:2]

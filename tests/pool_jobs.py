"""Fact finders that misbehave inside a worker process, for the pool's boundary tests.

They live in a module of their own so that worker processes can import them by name."""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass

from extract.facts.finders import FactResult, rules_facts
from extract.pipeline import Draft
from extract.record import Fact


@dataclass(frozen=True)
class Misbehaving:
    """Finds the rules' facts, except in a document whose name says how to fail."""

    name: str = "rules"
    uses_rules: bool = True
    uses_model: bool = False

    async def find(self, draft: Draft) -> FactResult:
        if "killed" in draft.source:
            os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would
        if "stuck" in draft.source:
            # Deaf to the alarm, as a long call into C code is: only a kill stops it.
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(30)
        if "slow" in draft.source:
            time.sleep(30)
        if "greedy" in draft.source:
            hog = bytearray(2048 * 1024 * 1024)  # over the worker's address-space cap
            del hog
        if "invalid" in draft.source:
            # A fact built without validation, breaking the schema: the record's one
            # check refuses it, wherever it runs.
            bad = Fact.model_construct(**{**rules_facts(draft)[0].model_dump(), "start": -1})
            return FactResult(facts=[bad])
        return FactResult(facts=rules_facts(draft))


def nap(seconds: float, value: int) -> int:
    """A job that takes ``seconds`` and gives back ``value``."""
    time.sleep(seconds)
    return value


WRITE_SYSCALL = {"x86_64": 1, "aarch64": 64}  # the number of write(2)


def killed_sending(size: int) -> bytes:
    """A job whose worker is killed (as by the OOM killer) while it sends back its long
    result: a watcher thread kills the process as soon as the worker's main thread is
    inside a write(2), which, once the job has returned, is the worker sending its result."""
    import threading

    main = threading.main_thread().native_id
    write = WRITE_SYSCALL[os.uname().machine]

    def writing() -> bool:
        try:
            with open(f"/proc/self/task/{main}/syscall", encoding="ascii") as call:
                return call.read().split(" ", 1)[0] == str(write)
        except OSError:
            return False

    def watch() -> None:
        while not writing():
            time.sleep(0.0002)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, daemon=True).start()
    return b"x" * size


def unpicklable() -> object:
    """A job whose result cannot be pickled (a lock)."""
    import threading

    return threading.Lock()

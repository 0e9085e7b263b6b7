"""Progress of a run: a live bar on a terminal, plain log lines anywhere else."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from extract.record import Record


class Reporter:
    def __init__(
        self, total: int, stream: TextIO | None = None, every_seconds: float = 5.0
    ) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.done = self.failed = 0
        self.started = time.monotonic()
        self.every = every_seconds
        self.last_line = 0.0
        self.bar: Progress | None = None
        if self.stream.isatty() and total:
            self.bar = Progress(
                TextColumn("extract"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed"),
                TextColumn("{task.fields[rate]}/s"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
            )
            self.task = self.bar.add_task("extract", total=total, failed=0, rate="0.0")
            self.bar.start()

    def __call__(self, record: Record | None) -> None:
        """One input finished (None: unchanged since an earlier run, skipped)."""
        self.done += 1
        self.failed += record is not None and record.failed
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        if self.bar is not None:
            self.bar.update(self.task, advance=1, failed=self.failed, rate=f"{rate:.1f}")
            return
        now = time.monotonic()
        if now - self.last_line >= self.every or self.done == self.total:
            self.last_line = now
            eta = (self.total - self.done) / rate if rate else 0.0
            print(
                f"extract: {self.done}/{self.total} done, {self.failed} failed, "
                f"{rate:.1f}/s, eta {eta:.0f}s",
                file=self.stream,
                flush=True,
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()

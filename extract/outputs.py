"""Writing outputs safely: into a temporary file beside the target, renamed into place only
when complete, so an interrupted run or a full disk never leaves a truncated file and never
empties the previous one. And refusing, before any work, an output that names an input."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from extract.errors import OutputError


def check_output(output: Path, inputs: Iterable[Path] = ()) -> None:
    """Refuse an output in a missing folder, one that is a folder, or one that is one of
    the inputs (same file by inode, whatever the spelling)."""
    parent = output.parent if str(output.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{output}: the folder {parent} does not exist; create it first")
    if output.is_dir():
        raise OutputError(f"{output} is a folder; name a file")
    refuse_inputs(output, inputs)


def refuse_inputs(output: Path, inputs: Iterable[Path]) -> None:
    """Refuse an output that is one of the inputs (the same file by inode)."""
    try:
        target = output.stat()
    except OSError:
        return  # a new file: it cannot be an input
    for path in inputs:
        try:
            info = path.stat()
        except OSError:
            continue
        if (info.st_dev, info.st_ino) == (target.st_dev, target.st_ino):
            raise OutputError(
                f"{output} is also an input ({path}); writing it would destroy it: "
                "choose another output file"
            )


@contextlib.contextmanager
def atomic_text(output: Path | None) -> Iterator[TextIO]:
    """A text sink for ``output`` (standard output when None) that replaces the file only
    when the block completes without an exception."""
    if output is None:
        yield sys.stdout
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as sink:
            yield sink
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(tmp, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise

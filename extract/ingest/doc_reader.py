"""Word 97–2003 .doc files, read by antiword (a Debian/Ubuntu/Homebrew package).

Many sites attach the report as a .doc, above all for the years before 2021. antiword gives
the text in reading order and each table row as ``|cell |cell |``; a wide table (sections 三
and 四) can come out as one run-on line of cells, which the table reader takes as it takes a
web page flattened the same way. What antiword writes is turned into the project's own table
lines (cells joined by ``SEPARATOR``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

from extract.errors import InputError
from extract.ingest import SEPARATOR, RawDocument

ANTIWORD = "antiword"
# A generous bound: antiword reads a report in milliseconds; a file that keeps it busy
# longer is not a report it can read (and the document's own --timeout still applies).
_SECONDS = 60.0
# antiword appends the paragraph after a table to the table's last line ("…|3 | |五、存在的
# 主要问题及改进情况"): a section heading there goes back to a line of its own.
_HEADING_AFTER_CELLS = re.compile(r"\|[ |]*(?=[一二三四五六][、.．][^|]{2,40}$)")


_WAY_OUT = (
    "install antiword (apt install antiword, brew install antiword) or save it as .docx or PDF"
)


# Linux hands antiword the file from memory: no copy of the report on disk (none left
# behind by a worker killed while antiword runs), and a full or unusable TMPDIR, which is
# not the report's fault, does not matter.
_IN_MEMORY = hasattr(os, "memfd_create") and os.path.isdir("/proc/self/fd")


@contextmanager
def _as_file(data: bytes, source: str) -> Iterator[tuple[str, tuple[int, ...]]]:
    """The .doc's bytes as a file name antiword can open, and the descriptors it needs."""
    if _IN_MEMORY:
        fd = os.memfd_create("nianbao-doc", os.MFD_CLOEXEC)
        try:
            with open(fd, "wb", closefd=False) as memory:
                memory.write(data)
            yield f"/proc/self/fd/{fd}", (fd,)
        finally:
            os.close(fd)
        return
    with _temporary_copy(data, source) as name:
        yield name, ()


@contextmanager
def _temporary_copy(data: bytes, source: str) -> Iterator[str]:
    try:
        file = tempfile.NamedTemporaryFile(suffix=".doc")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise _no_temporary_copy(source, exc) from exc
    with file:
        try:
            file.write(data)
            file.flush()
        except OSError as exc:
            raise _no_temporary_copy(source, exc) from exc
        yield file.name


def _no_temporary_copy(source: str, exc: OSError) -> InputError:
    return InputError(
        source,
        f"antiword needs a copy of this .doc in the temporary folder {tempfile.gettempdir()}, "
        f"which cannot be written ({exc.strerror or exc}); free some space there or set "
        "TMPDIR to a writable folder, and run the same command again (with --store, "
        "add --retry-failed)",
    )


def _run(data: bytes, source: str) -> str:
    program = shutil.which(ANTIWORD)
    if program is None:
        raise InputError(source, f"this is an old Word .doc file; to read it, {_WAY_OUT}")
    command = [program, "-m", "UTF-8.txt", "-w", "0"]
    # coreutils' timeout bounds antiword by itself: a worker killed outright (kill -9, the
    # OOM killer) cannot stop the child it started, and one looping on a hostile file would
    # run on for ever.
    # It fires first: this process waits a little longer, so that killing a stuck child here
    # never kills `timeout` and leaves antiword behind.
    bound = shutil.which("timeout")
    if bound is not None:
        command = [bound, "-s", "KILL", f"{_SECONDS:g}", *command]
    started = time.monotonic()
    with _as_file(data, source) as (name, fds):
        try:
            done = subprocess.run(
                [*command, name],
                capture_output=True,
                pass_fds=fds,
                timeout=_SECONDS + 10,
                env={**os.environ, "LC_ALL": "C.UTF-8"},
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise _too_long(source) from exc
    ran = time.monotonic() - started
    if bound is not None and done.returncode in (-9, 128 + 9) and ran >= _SECONDS:
        raise _too_long(source)  # killed by `timeout` (with its process group, or alone)
    if done.returncode != 0 or not done.stdout.strip():
        said = done.stderr.decode("utf-8", "replace").strip().replace(name, "the file")
        first = said.splitlines()[0][:200] if said else f"exit code {done.returncode}"
        if "not a Word Document" in first:
            raise InputError(
                source,
                "antiword finds no Word document in this old binary Office file: it is "
                "another kind (.xls, .ppt, .et, .wps) or a damaged .doc; save the report as "
                ".docx or PDF",
            )
        if "Encrypted" in first:
            raise InputError(
                source,
                "this .doc is protected by a password (encrypted), which antiword cannot "
                "open; open it in Word with the password, and save it as .docx or PDF",
            )
        said = f"antiword could not read this .doc ({first})"
        raise InputError(source, f"{said}; save it as .docx or PDF")
    return done.stdout.decode("utf-8", "replace")


def _too_long(source: str) -> InputError:
    said = f"antiword took longer than {_SECONDS:g} s on this .doc"
    return InputError(source, f"{said}; save it as .docx or PDF")


def table_lines(text: str) -> str:
    """antiword's ``|cell |cell |`` rows as the project's table lines."""
    out = []
    for line in text.split("\n"):
        line = _HEADING_AFTER_CELLS.sub("|\n", line)
        for part in line.split("\n"):
            if part.lstrip().startswith("|") or part.rstrip().endswith("|"):
                cells = [cell.strip() for cell in part.strip().strip("|").split("|")]
                part = SEPARATOR.join(cells)
            out.append(part)
    return "\n".join(out)


def read(data: bytes, source: str) -> RawDocument:
    return RawDocument(text=table_lines(_run(data, source)), format="doc")

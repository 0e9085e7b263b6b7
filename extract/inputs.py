"""Turning what the user typed (files, folders, globs) into the list of inputs to process."""

from __future__ import annotations

import glob
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import NianbaoError

SUPPORTED = (".txt", ".html", ".htm", ".shtml", ".docx", ".doc", ".pdf")
# Scans and photographs of pages, read by OCR (the `ocr` extra).
IMAGES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


def _wanted(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in SUPPORTED:
        return True
    # Images in the assets folder of a saved web page ("report_files/") are its logos and
    # icons, not scanned pages.
    return suffix in IMAGES and not any(
        part.endswith(("_files", ".files")) for part in path.parent.parts
    )


class NoMatchError(NianbaoError):
    """A glob the user typed matches no file: a usage error, not a document."""


@dataclass
class Skipped:
    """Files a folder scan left out because their names are not those of reports."""

    by_suffix: Counter[str] = field(default_factory=Counter)

    def add(self, path: Path) -> None:
        self.by_suffix[path.suffix.lower() or "(no extension)"] += 1

    @property
    def total(self) -> int:
        return sum(self.by_suffix.values())

    def describe(self) -> str:
        kinds = ", ".join(f"{n} {suffix}" for suffix, n in self.by_suffix.most_common(6))
        return (
            f"skipped {self.total} file(s) in the folders whose names are not reports "
            f"({kinds}); name a file directly to read it whatever its name"
        )


def expand(paths: list[str], skipped: Skipped | None = None) -> list[Path]:
    """Every input named, in a stable order. Folders are searched recursively for entries
    with a supported name (reports, and page images outside saved web pages' asset folders),
    whatever they are: a FIFO or a broken link named like a report gets an error record
    saying so instead of being skipped without a word; other files are counted in `skipped`.
    A file named directly is always read (its bytes, not its name, say what it is). A glob
    is expanded and must match something (:class:`NoMatchError`); any other name that does
    not exist is kept, so that it gets an error record instead of vanishing."""
    out: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_dir():
                    continue
                if _wanted(p):
                    out.append(p)
                elif skipped is not None:
                    skipped.add(p)
        elif not path.exists() and any(ch in name for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(name, recursive=True) if Path(p).is_file())
            if not matches:
                raise NoMatchError(f"{name!r} matches no file")
            out.extend(matches)
        else:
            out.append(path)
    seen: set[Path] = set()
    unique = []
    for p in out:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    return unique

"""Turning what the user typed (files, folders, globs) into the list of inputs to process."""

from __future__ import annotations

import glob
from pathlib import Path

SUPPORTED = (".txt", ".html", ".htm", ".shtml", ".docx", ".pdf")
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


def expand(paths: list[str]) -> list[Path]:
    """Every input named, in a stable order. Folders are searched recursively for entries
    with a supported name (reports, and page images outside saved web pages' asset folders),
    whatever they are: a FIFO or a broken link named like a report gets an error record
    saying so instead of being skipped without a word. A glob is expanded; a name that
    matches nothing is kept, so that it gets an error record instead of vanishing."""
    out: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if not p.is_dir() and _wanted(p)))
        elif not path.exists() and any(ch in name for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(name, recursive=True) if Path(p).is_file())
            out.extend(matches or [path])
        else:
            out.append(path)
    seen: set[Path] = set()
    unique = []
    for p in out:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    return unique

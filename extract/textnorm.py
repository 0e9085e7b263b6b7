"""Text normalisation, done once per document.

Every offset in a record refers to the string this module returns, so it must be
deterministic and never depend on where the text came from.
"""

from __future__ import annotations

import json
import re
import unicodedata
from importlib import resources

from extract.unwrap import unwrap

# Full-width ASCII (！ … ～) maps to ASCII by a fixed offset; the ideographic space to a space.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
# Invisible characters that survive copy-paste from web pages and Word files.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2009\u202f\u205f"), 0x20)
# CJK radicals for the ideographs they look like (⼀ U+2F00 → 一, ⺠ U+2EA0 → 民): a PDF whose
# font maps its glyphs to the radicals blocks (Chrome's "print to PDF" does, and so do many
# sites' PDFs) gives "⼀、总体情况" and "⼈⺠政府", which no heading, table label or rule
# would read. Unicode's Equivalent_Unified_Ideograph (data/radicals.json).
_RADICALS = {
    int(k, 16): int(v, 16)
    for k, v in json.loads(
        resources.files("extract.data").joinpath("radicals.json").read_text("utf-8")
    )["map"].items()
}
# The four tables as one: their keys are disjoint and no replacement is a key, so one pass
# changes what three did. Each character to change is replaced all through the text at once
# (str.replace), the first one still there found by a regex scan: ``str.translate`` with a
# dict costs a dictionary lookup per character of the text, most of the time it took to
# normalise a report.
_REPLACEMENTS = {
    chr(k): "" if v is None else chr(v)
    for k, v in {**_FULLWIDTH, **_INVISIBLE, **_SPACES, **_RADICALS}.items()
}
_TO_REPLACE = re.compile("[" + "".join(map(re.escape, sorted(_REPLACEMENTS))) + "]")

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_BOLD = re.compile(r"\*\*")
# Page furniture from PDFs and scans: "- 3 -", "— 12 —", "第 3 页 共 10 页", "3/10".
_PAGE_LINE = re.compile(
    r"^[ \t]*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})[ \t]*$",
    re.MULTILINE,
)
_TRAILING_WS = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANK_RUN = re.compile(r"\n{3,}")
# Two or more spaces between two non-spaces. Written to start with the space (the regex
# engine then scans for it) rather than the look-behind: the same matches.
_INNER_SPACES = re.compile(r" (?<=\S.) +(?=\S)")


def _replaced(text: str) -> str:
    """``text`` translated by _FULLWIDTH, _INVISIBLE, _SPACES and _RADICALS."""
    at = 0
    while (first := _TO_REPLACE.search(text, at)) is not None:
        char = first.group()
        text = text.replace(char, _REPLACEMENTS[char])
        at = first.start()  # nothing before it is left to replace
    return text


def normalise(raw: str) -> str:
    """Return the canonical text of a report.

    Full-width digits, letters and punctuation become ASCII; CJK radicals the ideographs
    they stand for; invisible characters, Word
    bookmark marks, markdown bold marks and page numbers are removed; line ends become
    ``\\n``; runs of blank lines collapse to one blank line. Tabs and ``|`` are kept: they
    separate table cells.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = unwrap(text)
    text = _replaced(text)
    text = _BOOKMARK.sub("", text)
    text = _BOLD.sub("", text)
    text = _PAGE_LINE.sub("", text)
    text = _INNER_SPACES.sub(" ", text)
    text = _TRAILING_WS.sub("", text)
    text = _BLANK_RUN.sub("\n\n", text)
    return text.strip("\n ") + "\n" if text.strip() else ""


def squeeze(text: str) -> str:
    """Drop all whitespace: the comparison docs/facts.md calls 'verbatim'."""
    # str.split() splits on exactly the characters \s matches (str.isspace), and is faster.
    return "".join(text.split())


def find_verbatim(haystack: str, needle: str, start: int = 0) -> tuple[int, int] | None:
    """Find ``needle`` in ``haystack`` ignoring whitespace on both sides.

    Returns the half-open span in ``haystack`` (from the first to the last matched
    non-space character) or None.
    """
    target = squeeze(needle)
    if not target:
        return None
    # Map every non-space character of the haystack to its position.
    positions = [i for i in range(start, len(haystack)) if not haystack[i].isspace()]
    flat = "".join(haystack[i] for i in positions)
    k = flat.find(target)
    if k < 0:
        return None
    return positions[k], positions[k + len(target) - 1] + 1

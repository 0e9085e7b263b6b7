"""Plain text in UTF-8 (with or without BOM), UTF-16, GB18030/GBK or whatever else it is."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from extract.errors import InputError
from extract.ingest import RawDocument

_CJK_MIN_SHARE = 0.2  # a Chinese report decodes to a text where CJK characters abound


def _cjk_share(text: str) -> float:
    letters = [ch for ch in text if not ch.isspace()]
    if not letters:
        return 0.0
    return sum("\u4e00" <= ch <= "\u9fff" for ch in letters) / len(letters)


_CONTROL = bytes([*range(9), *range(14, 32)])


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL))  # counted in C
    return control > len(sample) * 0.05


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Return (text, encoding name). Tries the encodings these reports are published in
    before asking charset-normalizer, whose guesses on short Chinese texts can be Big5 or
    a Cyrillic code page."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(name), name
    if _looks_binary(data):
        raise InputError(
            source,
            "this is a binary file, not text; a report must be .txt, .html, .docx, .doc, "
            ".pdf or a page image (PNG, JPEG, TIFF)",
        )
    for name in ("utf-8", "gb18030"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if name == "utf-8" or _cjk_share(text) >= _CJK_MIN_SHARE:
            return text, name
    best = from_bytes(data).best()
    if best is None:
        raise InputError(source, "cannot tell the text encoding; save the file as UTF-8")
    return str(best), best.encoding


def read(data: bytes, source: str) -> RawDocument:
    text, encoding = decode(data, source)
    return RawDocument(text=text, format="txt", encoding=encoding)

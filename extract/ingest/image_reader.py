"""Scanned pages and photographs given as image files: read by OCR (the `ocr` extra)."""

from __future__ import annotations

from extract.ingest import RawDocument


def read(data: bytes, source: str) -> RawDocument:
    from extract.ingest.ocr import read_image

    return read_image(data, source)

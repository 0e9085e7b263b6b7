"""Embedded OCR for scanned reports: page images in, the readers' text out.

The engine is RapidOCR (the `ocr` extra) with the PP-OCRv6 Chinese detection and recognition
models that its wheel ships: nothing is downloaded at run time, the model files are named
explicitly so a missing one fails instead of being fetched. One engine per process, made on
first use, so each worker of a bulk run loads it once.

Per page: deskew, find the ruled tables in the ink, detect and recognise text lines, read
again (cell by cell) table cells that hold ink but no text, then lay the boxes out as the
other readers do (``ocr_layout``). Numbers recognised with low confidence come back as flags.
"""

from __future__ import annotations

import io
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from extract.errors import InputError
from extract.ingest import RawDocument
from extract.ingest.ocr_layout import (
    Box,
    Cell,
    Flag,
    Line,
    PageLayout,
    empty_cells_with_ink,
    find_grids,
    page_layout,
    paragraphs,
    right_margin,
    straddling,
)
from extract.record import OcrProvenance

log = logging.getLogger(__name__)

ENGINE = "rapidocr"
MODELS = "PP-OCRv6 small (det+rec)"
INSTALL_HINT = "pip install 'nianbao[ocr]'"
# Scans are rendered at this resolution: 150 dpi keeps a 7 pt table digit about 15 px high,
# which PP-OCR reads reliably; more costs time and gains nothing measurable.
DPI = 150
# ONNX Runtime threads per process. Bulk runs already run one document per core, and
# onnxruntime's spinning threads degrade badly when cores are oversubscribed.
THREADS_ENV = "NIANBAO_OCR_THREADS"
_LINE_PX = DPI * 12 / 72  # one line of 12 pt text, in pixels

ProgressHook = Callable[[str, int, int], None]
_progress: ProgressHook | None = None


def set_progress(hook: ProgressHook | None) -> None:
    """Call ``hook(source, page, pages)`` after each page is recognised (this process)."""
    global _progress
    _progress = hook


class OcrUnavailable(InputError):
    """The input needs OCR and the `ocr` extra is not installed."""


def _models() -> dict[str, Path]:
    import rapidocr  # noqa: F401

    root = Path(str(resources.files("rapidocr"))) / "models"
    return {
        "Det": root / "PP-OCRv6_det_small.onnx",
        "Rec": root / "PP-OCRv6_rec_small.onnx",
        "Cls": root / "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    }


def available() -> bool:
    """The extra is installed and its wheel holds the models (nothing is ever downloaded)."""
    try:
        import numpy  # noqa: F401
        import PIL  # noqa: F401

        models = _models()
    except ImportError:
        return False
    return models["Det"].is_file() and models["Rec"].is_file()


def version() -> str:
    return metadata.version("rapidocr")


@cache
def _engine() -> Any:
    import rapidocr

    threads = int(os.environ.get(THREADS_ENV, "1"))
    params: dict[str, object] = {
        # rapidocr logs every model it loads through its own handler; its own setting
        # (the engine sets its logger's level from it) keeps that quiet.
        "Global.log_level": "warning",
        "Global.use_cls": False,  # pages are upright; deskew handles the slight tilt
        "Global.text_score": 0.0,  # keep every box: low scores are reported, not dropped
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        # The narrowest width a text line is padded to before recognition. rapidocr's 320
        # pads every lone table digit to a full line's width; 64 reads the same text about
        # 1.4 times as fast on report pages (bench/bench_ocr.py --engines).
        "Rec.rec_img_shape": [3, 48, 64],
    }
    # Named explicitly: a missing file fails, where a null path would be downloaded.
    params.update({f"{step}.model_path": str(path) for step, path in _models().items()})
    return rapidocr.RapidOCR(params=params)


@dataclass
class PageResult:
    layout: PageLayout
    chars: int  # characters recognised, for the mean confidence
    score_sum: float  # their scores summed, each box weighted by its length
    seconds: float


@dataclass
class OcrResult:
    """All pages read: their layouts (in page order) and what provenance needs."""

    pages: dict[int, PageResult] = field(default_factory=dict)

    def provenance(self) -> OcrProvenance:
        chars = sum(p.chars for p in self.pages.values())
        score = sum(p.score_sum for p in self.pages.values())
        return OcrProvenance(
            engine=ENGINE,
            version=version(),
            models=MODELS,
            pages=len(self.pages),
            dpi=DPI,
            mean_confidence=round(score / chars, 4) if chars else None,
        )

    def flags(self) -> list[str]:
        out: list[str] = []
        for number, page in sorted(self.pages.items()):
            out.extend(_describe(number, flag) for flag in page.layout.flags)
        return out


def _describe(page: int, flag: Flag) -> str:
    # Positions in millimetres from the page's top-left corner: what a person can find.
    mm = 25.4 / DPI
    what = f"{flag.text!r} recognised with confidence {flag.score:.2f}"
    if flag.taken_as is not None:
        what = f"{flag.text!r} (confidence {flag.score:.2f}) taken as {flag.taken_as}"
    return (
        f"page {page}, {flag.where} (x {flag.x * mm:.0f} mm, y {flag.y * mm:.0f} mm): "
        f"{what}; check it against the scan"
    )


def _deskew(gray: Any) -> Any:
    """Rotate a slightly tilted scan upright: the angle that makes text rows sharpest."""
    import numpy as np
    from PIL import Image

    # Half size, any darkening counted as ink (thin rules go grey when reduced), and rotated
    # without interpolation: smoothing would favour the unrotated image whatever its tilt.
    small = gray.reduce(2)
    ink = Image.fromarray((np.asarray(small) < 200).astype(np.uint8) * 255)

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST)).sum(axis=1)
        return float(np.var(rows.astype(np.float64)))

    best = max((a / 10 for a in range(-30, 31, 2)), key=sharpness)
    best = max((best + a / 100 for a in range(-10, 11, 2)), key=sharpness)
    if abs(best) < 0.1:
        return gray
    return gray.rotate(best, resample=Image.Resampling.BICUBIC, fillcolor=255, expand=False)


def _boxes(output: Any) -> list[Box]:
    # rapidocr answers with a different type when nothing was detected.
    if getattr(output, "boxes", None) is None or getattr(output, "txts", None) is None:
        return []
    out = []
    for quad, text, score in zip(output.boxes, output.txts, output.scores, strict=True):
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        out.append(Box(min(xs), min(ys), max(xs), max(ys), str(text), float(score)))
    return out


def read_page(image: Any) -> PageResult:
    """Recognise one page image (a PIL image)."""
    import numpy as np
    from PIL import ImageFilter

    started = time.perf_counter()
    engine = _engine()
    gray = _deskew(image.convert("L"))
    pixels = np.asarray(gray)
    # Rules are thin (a median filter would erase them); speckle never makes a long run. The
    # ink inside cells is judged with speckle removed, so noise is not taken for a digit.
    grids = find_grids(pixels < 160)
    ink = np.asarray(gray.filter(ImageFilter.MedianFilter(3))) < 160
    rgb = np.stack([pixels] * 3, axis=-1)
    boxes = _boxes(_detect_and_read(engine, rgb))
    for grid in grids:
        # A box across a column rule joined two cells; read each cell on its own instead.
        merged = straddling(grid, boxes)
        boxes = [b for b in boxes if b not in merged]
        for cell in empty_cells_with_ink(grid, boxes, ink):
            boxes.extend(_read_cell(engine, rgb, ink, cell))
    free = [b for b in boxes if not any(g.contains(b.cx, b.cy) for g in grids)]
    for box in free:
        longer = _extend_left(engine, rgb, ink, box, boxes)
        if longer is not None:
            boxes[boxes.index(box)] = longer
    layout = page_layout(boxes, grids)
    chars = sum(len(b.text) for b in boxes)
    score = sum(len(b.text) * b.score for b in boxes)
    return PageResult(layout, chars, score, time.perf_counter() - started)


# rapidocr keeps the step flags of a call for the calls after it: every call sets all three.
def _detect_and_read(engine: Any, image: Any) -> Any:
    return engine(image, use_det=True, use_cls=False, use_rec=True)


def _read_only(engine: Any, image: Any) -> Any:
    return engine(image, use_det=False, use_cls=False, use_rec=True)


def _extend_left(engine: Any, rgb: Any, ink: Any, box: Box, boxes: list[Box]) -> Box | None:
    """The line again from the ink just left of it, when the detector left that out: a
    heading's ``一、`` or ``三、`` (a few flat strokes) is the classic miss. Kept only when
    the longer reading still ends with what was read."""
    import numpy as np

    h = box.height
    left = max(0, int(box.x0 - 3 * h))
    top, bottom = int(box.y0), int(box.y1)
    if any(
        b is not box and b.x1 > left and b.x0 < box.x0 and b.y1 > top and b.y0 < bottom
        for b in boxes
    ):
        return None
    columns = np.nonzero(ink[top:bottom, left : int(box.x0) - 1].any(axis=0))[0]
    if columns.size < 3 or int(ink[top:bottom, left : int(box.x0) - 1].sum()) < 12:
        return None
    start = left + int(columns.min()) - 4
    crop = rgb[top:bottom, max(0, start) : int(box.x1)]
    out = _read_only(engine, crop)
    for text, score in zip(out.txts or (), out.scores or (), strict=False):
        text = str(text).strip()
        if len(text) > len(box.text) and text.endswith(box.text[-3:]) and score >= 0.9:
            return Box(float(max(0, start)), box.y0, box.x1, box.y1, text, float(score))
    return None


def _read_cell(engine: Any, rgb: Any, ink: Any, cell: Cell) -> Iterator[Box]:
    """Read one table cell that holds ink but no detected text, from its ink's bounds: by
    recognition alone for one line (a lone digit), by detection too for more."""
    import numpy as np

    x0, y0 = int(cell.x0) + 4, int(cell.y0) + 4
    inner = ink[y0 : int(cell.y1) - 3, x0 : int(cell.x1) - 3]
    ys, xs = np.nonzero(inner)
    top, bottom = y0 + int(ys.min()) - 4, y0 + int(ys.max()) + 5
    left, right = x0 + int(xs.min()) - 4, x0 + int(xs.max()) + 5
    crop = rgb[max(0, top) : bottom, max(0, left) : right]
    if bottom - top > 3 * _LINE_PX:
        for b in _boxes(_detect_and_read(engine, crop)):
            yield Box(b.x0 + left, b.y0 + top, b.x1 + left, b.y1 + top, b.text, b.score)
        return
    out = _read_only(engine, crop)
    for text, score in zip(out.txts or (), out.scores or (), strict=False):
        # Specks read as punctuation are not text.
        if any(ch.isalnum() for ch in str(text)):
            yield Box(left, top, right, bottom, str(text).strip(), float(score))


def _pages_text(pages: list[PageLayout]) -> list[str]:
    """Each page's text: tables and paragraphs in reading order."""
    lines: list[Line] = [line for page in pages for line in page.lines]
    heights = sorted(line.height for line in lines) or [20.0]
    char = heights[len(heights) // 2]
    right = right_margin(lines, char)
    out = []
    for page in pages:
        tops = tuple(top for top, _ in page.tables)
        running = paragraphs(page.lines, right, 1.5 * char, tops)
        blocks = sorted(page.tables + running, key=lambda b: b[0])
        out.append("\n".join(text for _, text in blocks))
    return out


def recognise(
    images: Iterator[Any], source: str, numbers: list[int], total: int
) -> tuple[OcrResult, list[str]]:
    """Read page images (pages ``numbers``, 1-based, of ``total``); returns the result and
    each page's text, in page order."""
    result = OcrResult()
    for number, image in zip(numbers, images, strict=True):
        page = read_page(image)
        result.pages[number] = page
        log.info("%s: OCR page %d/%d (%.1f s)", source, number, total, page.seconds)
        if _progress is not None:
            _progress(source, number, total)
    layouts = [result.pages[n].layout for n in sorted(result.pages)]
    return result, _pages_text(layouts)


def render_pdf_pages(data: bytes, pages: list[int]) -> Iterator[Any]:
    """The given PDF pages (0-based) as grayscale images at ``DPI``."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        for index in pages:
            page = document[index]
            yield page.render(scale=DPI / 72, grayscale=True).to_pil()
            page.close()
    finally:
        document.close()


def require(source: str, what: str) -> None:
    if not available():
        raise OcrUnavailable(
            source,
            f"{what}; reading it needs OCR, which the `ocr` extra provides: {INSTALL_HINT} "
            "(or run OCR on it first, e.g. `ocrmypdf -l chi_sim in.pdf out.pdf`)",
        )


def read_image(data: bytes, source: str) -> RawDocument:
    """A scanned page or a photograph (.png, .jpg, .tif; every frame of a multi-page TIFF)."""
    require(source, "this is an image (a scanned or photographed page)")
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        picture = Image.open(io.BytesIO(data))
        frames = getattr(picture, "n_frames", 1)
    except (UnidentifiedImageError, OSError) as exc:
        raise InputError(source, f"not a readable image: {exc}") from exc

    def pages() -> Iterator[Any]:
        for index in range(frames):
            picture.seek(index)
            # Photographs carry their rotation in EXIF; scans at other resolutions are
            # brought to the resolution the engine is tuned for.
            frame = ImageOps.exif_transpose(picture.convert("RGB"))
            dpi = picture.info.get("dpi")
            if dpi and 50 <= float(dpi[0]) <= 1200:
                scale = DPI / float(dpi[0])
            else:  # a photograph: bring its long side to an A4 page's at DPI
                scale = min(1.0, 1754 / max(frame.size))
            if abs(scale - 1) > 0.15:
                frame = frame.resize((round(frame.width * scale), round(frame.height * scale)))
            yield frame

    result, texts = recognise(pages(), source, list(range(1, frames + 1)), frames)
    if not any(t.strip() for t in texts):
        raise InputError(source, "OCR recognised no text in the image; is it a report page?")
    return RawDocument(
        text="\n".join(texts),
        format="image",
        notes=[f"{frames} page(s) recognised by OCR"],
        ocr=result.provenance(),
        problems=result.flags(),
    )

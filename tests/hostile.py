"""Hostile and careless inputs, built on the fly from a real report: the files that used to
stop a run (issue: never crash, never hang, never destroy an input)."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

from conftest import seed_path

SEED = "yuezhuang-2024"


def report_lines(n: int = 40) -> list[str]:
    return seed_path(SEED).read_text("utf-8").splitlines()[:n]


def pdf_bytes(encrypt: object = None) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, encrypt=encrypt)
    c.setFont("STSong-Light", 10)
    y = 800
    for line in report_lines():
        c.drawString(40, y, line[:50])
        y -= 14
    c.save()
    return buffer.getvalue()


def docx_bytes(mutate: Callable[[str, bytes], bytes] | None = None) -> bytes:
    from docx import Document

    document = Document()
    for line in report_lines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    if mutate is None:
        return buffer.getvalue()
    original = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in original.infolist():
            archive.writestr(item, mutate(item.filename, original.read(item.filename)))
    return out.getvalue()


def bomb_docx(inflated_mb: float) -> bytes:
    """A .docx whose document part inflates to about ``inflated_mb`` (a few hundred KB on
    disk): a zip bomb in miniature."""
    paragraph = b"<w:p><w:r><w:t>" + b"a" * 200 + b"</w:t></w:r></w:p>"
    copies = int(inflated_mb * 1024 * 1024 / len(paragraph))

    def inflate(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        return data.replace(b"<w:body>", b"<w:body>" + paragraph * copies)

    return docx_bytes(inflate)


def nested_html(depth: int, tag: str = "div") -> bytes:
    """A page of ``depth`` nested ``div``s (or layout tables, ``tag="table"``) around the
    start of a seed report."""
    opening, closing = (
        ("<table><tr><td>", "</td></tr></table>")
        if tag == "table"
        else (
            f"<{tag}>",
            f"</{tag}>",
        )
    )
    body = opening * depth + seed_path(SEED).read_text("utf-8")[:400] + closing * depth
    return f"<html><body>{body}</body></html>".encode()


def write_hostile(folder: Path) -> dict[str, str]:
    """Every hostile file beside good ones; name → what its record must say (or "" for a
    good file)."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    folder.mkdir(parents=True, exist_ok=True)
    good_pdf = pdf_bytes()
    files = {
        "good.txt": (seed_path(SEED).read_bytes(), ""),
        "good.docx": (docx_bytes(), ""),
        "truncated.pdf": (good_pdf[: len(good_pdf) // 2], "damaged or truncated"),
        "password.pdf": (
            pdf_bytes(StandardEncryption("secret", "owner", canPrint=0)),
            "protected by a password",
        ),
        "owner-password.pdf": (
            pdf_bytes(StandardEncryption("", "owner", canPrint=0, canCopy=0)),
            "encrypted",
        ),
        "broken-xml.docx": (
            docx_bytes(lambda n, b: b[:-50] if n == "word/document.xml" else b),
            "XMLSyntaxError",
        ),
        "bomb.docx": (bomb_docx(3), "inflates to"),
        "deep.html": (nested_html(5000), ""),
        "empty.txt": (b"", "empty"),
        "binary.txt": (bytes(range(256)) * 40, "binary"),
    }
    expected = {}
    for name, (data, says) in files.items():
        (folder / name).write_bytes(data)
        expected[name] = says
    os.mkfifo(folder / "pipe.txt")
    expected["pipe.txt"] = "named pipe"
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    expected["dangling.txt"] = "broken symbolic link"
    return expected

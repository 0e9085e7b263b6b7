"""Bad inputs get a record whose errors say what went wrong; good files beside them are whole."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import seed_path

from extract import extract
from extract.cli import main


def _errors(path: Path) -> list[str]:
    return [f"{e.where}: {e.message}" for e in extract(path).errors]


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert _errors(tmp_path / "empty.txt") == ["input: the file is empty"]


def test_binary_file(tmp_path: Path) -> None:
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 40)
    (message,) = _errors(tmp_path / "blob.txt")
    assert "binary file" in message


# A seed report as a real Word 97 file (tests/data/doc/README.md says how it was made).
SEED_DOC = Path(__file__).parent / "data" / "doc" / "lishan-2024.doc"
OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")  # the first 8 bytes of every .doc, .xls, .wps


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword is not installed")
def test_an_old_office_file_that_is_no_word_document_says_so(tmp_path: Path) -> None:
    path = tmp_path / "2023年报.doc"
    path.write_bytes(OLE2 + bytes(range(256)) * 64)
    (message,) = _errors(path)
    assert "no Word document in this old binary Office file" in message
    assert "save the report as .docx or PDF" in message


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword is not installed")
def test_a_truncated_doc_is_an_error_not_a_crash(tmp_path: Path) -> None:
    whole = SEED_DOC.read_bytes()
    path = tmp_path / "cut.doc"
    path.write_bytes(whole[: len(whole) // 3])
    (message,) = _errors(path)
    assert message.startswith("input: ") and ".docx or PDF" in message


def test_a_doc_without_antiword_names_the_way_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extract.ingest import doc_reader

    monkeypatch.setattr(doc_reader, "ANTIWORD", "antiword-not-installed-here")
    path = tmp_path / "2023年报.doc"
    path.write_bytes(SEED_DOC.read_bytes())
    (message,) = _errors(path)
    assert "old Word .doc file; to read it, install antiword" in message
    assert "save it as .docx or PDF" in message


def _encrypted(doc: bytes) -> bytes:
    """The .doc with its File Information Block's fEncrypted flag set, as Word sets it on a
    file saved with a password to open (the FIB starts a sector with its magic 0xA5EC)."""
    data = bytearray(doc)
    for at in range(0, len(data), 512):
        if data[at : at + 2] == b"\xec\xa5":
            data[at + 11] |= 0x01  # bit 8 of the flags at offset 10: fEncrypted
            return bytes(data)
    raise AssertionError("no Word File Information Block found")


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword is not installed")
def test_a_password_protected_doc_says_to_remove_the_password(tmp_path: Path) -> None:
    path = tmp_path / "2023年报.doc"
    doc = SEED_DOC.read_bytes()
    path.write_bytes(_encrypted(doc))
    (message,) = _errors(path)
    assert "protected by a password" in message and "save it as .docx or PDF" in message


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword is not installed")
def test_a_doc_is_read_whatever_state_the_temporary_folder_is_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full or unusable TMPDIR is not the report's fault: the .doc is handed to antiword
    # from memory (and no copy of it is left on disk by a worker killed meanwhile).
    import tempfile

    blocked = tmp_path / "tmp-is-a-file"
    blocked.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(blocked))
    record = extract(SEED_DOC)
    assert record.errors == [] and record.tables.applications is not None


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword is not installed")
def test_a_doc_whose_temporary_copy_cannot_be_written_blames_the_folder_not_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where there is no in-memory file (not Linux), the copy goes to TMPDIR.
    import tempfile

    from extract.ingest import doc_reader

    monkeypatch.setattr(doc_reader, "_IN_MEMORY", False)
    blocked = tmp_path / "tmp-is-a-file"
    blocked.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(blocked))
    (message,) = _errors(SEED_DOC)
    assert "temporary folder" in message and "TMPDIR" in message
    assert "damaged" not in message


@pytest.mark.parametrize(
    ("parts", "said"),
    [
        (["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"], "Excel"),
        (["report.txt", "report.pdf"], "ZIP archive; unpack it"),
    ],
)
def test_a_zip_that_is_not_a_word_document_says_what_it_is(
    tmp_path: Path, parts: list[str], said: str
) -> None:
    import zipfile

    path = tmp_path / "attachment.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for part in parts:
            archive.writestr(part, "<x/>")
    (message,) = _errors(path)
    assert said in message and "not a Word document (.docx)" in message


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-16"])
def test_chinese_encodings_are_read_correctly(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(seed_path("luozhuang-2024").read_text("utf-8").encode(encoding))
    record = extract(path)
    assert record.errors == []
    assert record.tables == extract(seed_path("luozhuang-2024")).tables
    assert len(record.facts) == len(extract(seed_path("luozhuang-2024")).facts)


def test_gbk_encoding_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(seed_path("lishan-2024").read_text("utf-8").encode("gbk"))
    assert extract(path).provenance.encoding == "gb18030"  # GB18030 is a superset of GBK


def test_text_without_tables(tmp_path: Path) -> None:
    text = seed_path("luozhuang-2024").read_text("utf-8")
    narrative = text[: text.index("二、主动公开政府信息情况")]
    (tmp_path / "narrative.txt").write_text(narrative, "utf-8")
    record = extract(tmp_path / "narrative.txt")
    assert record.tables.applications is None
    assert record.facts, "the narrative facts are still extracted"
    assert any("tables" in e.where for e in record.errors)


def test_not_a_report(tmp_path: Path) -> None:
    (tmp_path / "poem.txt").write_text("床前明月光,疑是地上霜。举头望明月,低头思故乡。", "utf-8")
    record = extract(tmp_path / "poem.txt")
    assert any(e.where == "sections" for e in record.errors)
    assert record.facts == [] and record.tables.applications is None


def test_truncated_table(tmp_path: Path) -> None:
    text = seed_path("luozhuang-2024").read_text("utf-8")
    cut = text[: text.index("(五)不予 处理")]
    (tmp_path / "cut.txt").write_text(cut, "utf-8")
    record = extract(tmp_path / "cut.txt")
    assert record.tables.applications is not None
    assert record.tables.applications.rows["granted"][6] == 194
    assert record.tables.applications.rows["total_processed"] == [None] * 7
    wheres = {e.where for e in record.errors}
    assert "tables.applications" in wheres and "tables.review_litigation" in wheres


def test_huge_file_is_refused_with_the_way_out(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    (message,) = _errors(path)
    assert "50.0 MB, over the 20 MB limit" in message and "--max-mb" in message


def test_scanned_pdf_says_so(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 200, 200, fill=1)  # an image-like page with no text at all
    c.save()
    (message,) = _errors(path)
    assert "no text layer" in message and "OCR" in message


def test_broken_docx(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (message,) = _errors(path)
    assert ".docx" in message


def test_bulk_run_gives_every_input_a_record_and_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "good.txt").write_text(seed_path("linyi-2023").read_text("utf-8"), "utf-8")
    (tmp_path / "gbk.txt").write_bytes(seed_path("lishan-2024").read_text("utf-8").encode("gbk"))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        main, ["extract", str(tmp_path), str(tmp_path / "nope.txt"), "-o", str(out)]
    )
    assert result.exit_code == 3, result.output  # some documents failed: the partial code
    assert "Traceback" not in result.output
    records = {Path(r["source"]).name: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(records) == {"empty.txt", "blob.txt", "good.txt", "gbk.txt", "nope.txt"}
    assert records["good.txt"]["errors"] == [] and records["good.txt"]["tables"]["applications"]
    assert records["gbk.txt"]["errors"] == []
    assert "cannot open" in records["nope.txt"]["errors"][0]["message"]
    assert "documents" in result.output and "5 (3 unreadable, 3 failed)" in result.output


def test_exit_code_is_non_zero_only_when_nothing_could_be_read(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["extract", "-q", str(tmp_path / "empty.txt")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output


@pytest.mark.skipif(shutil.which("timeout") is None, reason="coreutils' timeout is missing")
def test_a_doc_that_keeps_antiword_busy_is_stopped_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # coreutils' timeout bounds antiword by itself, so that a worker killed outright never
    # leaves it running; here a stand-in that never ends, and a bound of one second.
    from extract.ingest import doc_reader

    stuck = tmp_path / "antiword"
    stuck.write_text("#!/bin/sh\nexec sleep 300\n")
    stuck.chmod(0o755)
    monkeypatch.setattr(doc_reader, "ANTIWORD", str(stuck))
    monkeypatch.setattr(doc_reader, "_SECONDS", 1.0)
    path = tmp_path / "slow.doc"
    path.write_bytes(SEED_DOC.read_bytes())
    (message,) = _errors(path)
    assert "antiword took longer than 1 s on this .doc; save it as .docx or PDF" in message

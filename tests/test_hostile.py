"""Never crash, never hang, never destroy an input: each case of the hardening issue."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import seed_path
from hostile import bomb_docx, nested_html, write_hostile

from extract import extract
from extract.cli import EXIT_PARTIAL, main
from extract.ingest import ocr
from extract.outputs import atomic_text


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_a_folder_of_hostile_files_beside_good_ones(tmp_path: Path) -> None:
    expected = write_hostile(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    code, output = _invoke(
        "extract", str(tmp_path / "in"), "-o", str(out), "--max-mb", "2", "--timeout", "60"
    )
    assert code == EXIT_PARTIAL, output
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    names = [Path(r["source"]).name for r in records]
    assert sorted(names) == sorted(expected)  # every input exactly one record
    for record in records:
        says = expected[Path(record["source"]).name]
        messages = " ".join(e["message"] for e in record["errors"] if e["where"] == "input")
        if says:
            assert says in messages, (record["source"], record["errors"])
        else:
            assert not messages, (record["source"], record["errors"])
    deep = next(r for r in records if r["source"].endswith("deep.html"))
    assert deep["facts"] or deep["issuer"], "the deeply nested page is read, not refused"


def test_the_same_folder_with_a_store_resumes_without_retrying_failures(tmp_path: Path) -> None:
    write_hostile(tmp_path / "in")
    store = tmp_path / "run.sqlite"
    args = ["extract", str(tmp_path / "in"), "--store", str(store), "--max-mb", "2"]
    code, _ = _invoke(*args, "-o", str(tmp_path / "a.jsonl"))
    assert code == EXIT_PARTIAL
    db = sqlite3.connect(store)
    failed = db.execute("SELECT COUNT(*) FROM documents WHERE status = 'failed'").fetchone()[0]
    db.close()
    # The bad files, the pipe and the broken link (a PDF whose text layer is glyph codes is
    # read by OCR when the extra is installed).
    assert failed == (8 if ocr.available() else 9)
    total = 12
    code, output = _invoke(*args, "-o", str(tmp_path / "b.jsonl"))
    # Failed files whose bytes could be read are not tried again; the pipe and the broken
    # link have no bytes to compare, so they are looked at again (cheaply).
    assert "2 done now (2 failed), 10 unchanged" in output
    code, output = _invoke(*args, "--retry-failed", "-o", str(tmp_path / "c.jsonl"))
    assert f"{failed} done now ({failed} failed), {total - failed} unchanged" in output
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "c.jsonl").read_bytes()


def test_output_naming_an_input_is_refused_before_any_work(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(seed_path("linyi-2023").read_text("utf-8"), "utf-8")
    before = report.read_bytes()
    link = tmp_path / "same.txt"
    os.link(report, link)  # another name, the same inode
    for output in (report, link):
        code, output_text = _invoke("extract", str(tmp_path), "-o", str(output))
        assert code == 2 and "also an input" in output_text
    assert report.read_bytes() == before


@pytest.mark.parametrize("store", [False, True])
def test_output_in_a_missing_folder_is_refused_before_any_work(tmp_path: Path, store: bool) -> None:
    extra = ["--store", str(tmp_path / "run.sqlite")] if store else []
    code, output = _invoke(
        "extract", str(seed_path("linyi-2023")), "-o", str(tmp_path / "nope" / "o.jsonl"), *extra
    )
    assert code == 2 and "does not exist" in output
    assert not (tmp_path / "run.sqlite").exists()


def test_a_fifo_named_on_the_command_line_gets_a_record(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    out = tmp_path / "o.jsonl"
    code, _ = _invoke("extract", str(tmp_path / "pipe.txt"), "-o", str(out), "-q")
    assert code == 1  # nothing could be read
    (record,) = map(json.loads, out.read_text().splitlines())
    assert "named pipe (FIFO), not a file" in record["errors"][0]["message"]


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--documents", "0"),
        ("--documents", "-1"),
        ("--concurrency", "0"),
        ("--concurrency", "-3"),
        ("--rpm", "0"),
        ("--rpm", "-5"),
        ("--tpm", "0"),
        ("--max-mb", "0"),
        ("--max-mb", "-1"),
        ("--timeout", "0"),
        ("--workers", "-1"),
    ],
)
def test_bad_usage_values_are_usage_errors(flag: str, value: str) -> None:
    code, output = _invoke("extract", str(seed_path("linyi-2023")), flag, value)
    assert code == 2 and flag in output


def test_max_mb_is_shown_as_given(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (21 * 1024 * 1024))
    (error,) = extract(path).errors
    assert "21.0 MB, over the 20 MB limit" in error.message


def test_docx_bomb_is_refused_before_inflating() -> None:
    from extract.ingest import read_bytes

    data = bomb_docx(3)
    assert len(data) < 300_000
    with pytest.raises(Exception, match=r"inflates to 3\.\d MB, over the 1 MB limit"):
        read_bytes(data, "bomb.docx", max_bytes=1024 * 1024)


@pytest.mark.parametrize("tag", ["div", "table"])
def test_deeply_nested_html_is_read_without_recursion(tag: str) -> None:
    # Tables nested 20,000 deep are layout tables each holding the next (the work they cost
    # is counted in test_html_layout_cost.py).
    from extract.ingest import read_bytes

    raw = read_bytes(nested_html(20_000, tag), "deep.html")
    assert "总体情况" in raw.text


def test_export_refuses_to_overwrite_its_source(tmp_path: Path) -> None:
    store = tmp_path / "run.sqlite"
    _invoke("extract", str(seed_path("linyi-2023")), "--store", str(store), "-q", "-o", "/dev/null")
    before = store.read_bytes()
    code, output = _invoke("export", str(store), "--to", "sqlite", "-o", str(store))
    assert code == 2 and "also an input" in output
    assert store.read_bytes() == before


@pytest.mark.parametrize("bad", ["missing", "json"])
def test_eval_without_gold_or_with_bad_json_says_so(tmp_path: Path, bad: str) -> None:
    if bad == "json":
        (tmp_path / "x.json").write_text("{bad", "utf-8")
    code, output = _invoke("eval", "--gold", str(tmp_path), "--run", "-o", str(tmp_path / "r.json"))
    assert code == 1
    assert ("no gold files" if bad == "missing" else "not a valid gold file") in output


def test_a_failed_write_leaves_the_previous_output_whole(tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    out.write_text("the previous run\n", "utf-8")
    with pytest.raises(OSError, match="No space left"), atomic_text(out) as sink:
        sink.write("half a record")
        raise OSError(28, "No space left on device")
    assert out.read_text("utf-8") == "the previous run\n"
    assert [p.name for p in tmp_path.iterdir()] == ["records.jsonl"]  # no temporary left


def test_a_store_path_naming_some_other_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    # --store given a file that is not a run store (a typo, a tab-completed neighbour): it is
    # refused before a byte of it changes, whether it is SQLite or not.
    not_sqlite = tmp_path / "notes.sqlite"
    not_sqlite.write_text("my notes\n", encoding="utf-8")
    foreign = tmp_path / "app.db"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE users (name TEXT)")
    db.execute("INSERT INTO users VALUES ('a')")
    db.commit()
    db.close()
    for store, said in ((not_sqlite, "is not a nianbao run store"), (foreign, "tables: users")):
        before = store.read_bytes()
        code, output = _invoke("extract", str(seed_path("linyi-2023")), "--store", str(store), "-q")
        assert code == 1 and said in output and "left as it was" in output
        assert store.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db", "notes.sqlite"]


@pytest.mark.parametrize(
    "command",
    [
        ["view", "{records}", "-o", "{tmp}/page.html"],
        ["export", "{records}", "--to", "csv", "-o", "{tmp}/tables"],
        ["corpus", "check", "{records}"],
        ["eval", "--gold", "{gold}", "{records}", "-o", "{tmp}/eval.json"],
        ["label", "draft", "{records}", "--out", "{tmp}/drafts"],
    ],
    ids=lambda c: c[0],
)
def test_every_command_taking_records_names_the_bad_line_in_one_line(
    tmp_path: Path, command: list[str]
) -> None:
    # One reader for every command: a line that is not a record is named by file and line,
    # with its first problems in a few words (not pydantic's page per field).
    record = extract(seed_path("linyi-2023"))
    records = tmp_path / "records.jsonl"
    records.write_text(
        record.model_dump_json() + "\n" + json.dumps({"doc_id": 5}) + "\n", encoding="utf-8"
    )
    gold = seed_path("linyi-2023").parent
    args = [a.format(records=records, tmp=tmp_path, gold=gold) for a in command]
    code, output = _invoke(*args)
    assert code == 1
    (line,) = [x for x in output.splitlines() if x.startswith("Error:")]
    assert line == (
        f"Error: {records}:2: not a record: doc_id: Input should be a valid string; "
        "source: Field required; sha256: Field required (and 4 more)"
    )


def test_eval_scores_the_records_of_a_run_store(tmp_path: Path) -> None:
    store = tmp_path / "run.sqlite"
    code, _ = _invoke("extract", str(seed_path("linyi-2023")), "--store", str(store), "-q")
    assert code == 0
    before = store.read_bytes()
    code, output = _invoke(
        "eval",
        "--gold",
        str(seed_path("linyi-2023").parent),
        str(store),
        "-o",
        str(tmp_path / "eval.json"),
        "--brief",
    )
    assert code == 0, output
    report = json.loads((tmp_path / "eval.json").read_text("utf-8"))
    assert report["summary"]["documents"] == 5  # the other seeds' gold is scored as missing
    assert "linyi-2023" not in report["summary"]["missing_documents"]
    assert store.read_bytes() == before  # read-only


def test_the_store_carries_its_version_and_refuses_a_newer_one(tmp_path: Path) -> None:
    from extract.bulk.store import STORE_VERSION, RunStore
    from extract.errors import StoreError

    old = tmp_path / "old.sqlite"  # a store made before versions were kept
    db = sqlite3.connect(old)
    db.execute(
        "CREATE TABLE documents (source TEXT NOT NULL, stage TEXT NOT NULL DEFAULT 'record', "
        "sha256 TEXT NOT NULL, doc_id TEXT NOT NULL, status TEXT NOT NULL, record TEXT NOT "
        "NULL, error TEXT, requests INTEGER NOT NULL DEFAULT 0, input_tokens INTEGER NOT NULL "
        "DEFAULT 0, output_tokens INTEGER NOT NULL DEFAULT 0, seconds REAL NOT NULL, "
        "finished_at REAL NOT NULL, PRIMARY KEY (source, stage))"
    )
    db.commit()
    db.close()
    with RunStore(old) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == STORE_VERSION
        assert store.counts() == {}
    newer = tmp_path / "newer.sqlite"
    db = sqlite3.connect(newer)
    db.execute(f"PRAGMA user_version = {STORE_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer nianbao"):
        RunStore(newer)
    code, output = _invoke("extract", str(seed_path("linyi-2023")), "--store", str(newer))
    assert code == 1 and "newer nianbao" in output


def test_a_full_disk_for_the_output_is_said_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import extract.outputs as outputs

    out = tmp_path / "records.jsonl"
    out.write_text("the previous run\n", "utf-8")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs.os, "fsync", full)
    code, output = _invoke(
        "extract", str(seed_path("lishan-2024")), "-o", str(out), "--workers", "0"
    )
    assert code == 1
    assert "No space left on device" in output and "Traceback" not in output
    assert out.read_text("utf-8") == "the previous run\n"
    assert [p.name for p in tmp_path.iterdir()] == ["records.jsonl"]


@pytest.mark.parametrize(
    "command",
    [
        ["label", "export", "{r}", "-o", "{r}"],
        ["eval", "--gold", "{gold}", "{r}", "-o", "{r}"],
    ],
    ids=["label-export", "eval"],
)
def test_other_commands_never_write_over_their_records(tmp_path: Path, command: list[str]) -> None:
    records = tmp_path / "records.jsonl"
    code, _ = _invoke("extract", "-q", str(seed_path("lishan-2024")), "-o", str(records))
    assert code == 0
    before = records.read_bytes()
    args = [a.format(r=records, gold=seed_path("lishan-2024").parent) for a in command]
    code, output = _invoke(*args)
    assert code == 2 and "is also an input" in output
    assert records.read_bytes() == before

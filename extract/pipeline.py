"""One document in, one record out: the one road every document takes.

``process_one`` is that road: read and normalise (``load_file``), draft (sections, tables,
metadata, and the rules' facts when the finder uses them), find the facts, finish and
validate the record. ``extract_file``, the plain CLI run and the bulk runner all go through
it; the bulk runner only decides where its CPU part runs (a worker process). Whatever goes
wrong inside it becomes that document's error record, never an exception.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from extract import __version__
from extract.checks import cross_checks, table_checks
from extract.errors import InputError, NianbaoError
from extract.facts.finders import FactFinder, FactResult
from extract.facts.rules import extract_rules
from extract.ingest import DEFAULT_MAX_BYTES, RawDocument, read_bytes, read_path
from extract.inline_sections import inline_sections, runs_on
from extract.metadata import find_issuer, find_year
from extract.record import FAILED, UNREADABLE, Fact, Problem, Provenance, Record, Tables
from extract.redact import redact
from extract.sections import Section, narrative_spans, split_sections, table_region
from extract.tables.parse import (
    TableResult,
    detect_format,
    parse_active_disclosure,
    parse_applications,
    parse_review_litigation,
    settle_by_narrative,
)
from extract.textnorm import normalise
from extract.validate import check_record

if TYPE_CHECKING:
    from extract.llm.client import CircuitBreaker
    from extract.llm.settings import LLMSettings

T = TypeVar("T")
METHODS = ("rules", "llm", "hybrid")


@dataclass(frozen=True)
class Options:
    """How to extract; the defaults are the embedded, model-free path.

    ``method`` is rules, llm or hybrid; ``llm`` the model settings the last two need
    (:func:`extract.methods.open_finder` turns both into one FactFinder).
    """

    method: str = "rules"
    llm: LLMSettings | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    # The model path's circuit breaker, shared by every run made with these options (one
    # document after another through extract() is one run for the breaker too).
    breaker: CircuitBreaker | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r}; choose one of {', '.join(METHODS)}")
        if self.method != "rules" and self.llm is None:
            raise ValueError(f"method {self.method!r} needs model settings")
        if self.max_bytes < 1:
            raise ValueError("max_bytes must be at least 1")

    @property
    def for_worker(self) -> Options:
        """What a worker process needs: never the model settings (the key stays here)."""
        return Options(max_bytes=self.max_bytes)


def doc_id_for(source: str) -> str:
    return Path(source).stem or source


def _tables(
    text: str,
    sections: dict[str, Section],
    year: int | None,
    problems: list[Problem],
    warnings: list[Problem],
) -> tuple[Tables, str | None]:
    located: dict[str, str] = {}
    for key in ("active_disclosure", "applications", "review_litigation"):
        if key in sections:
            located[key] = sections[key].text(text)
        elif (span := table_region(text, key)) is not None:
            located[key] = text[span[0] : span[1]]
            warnings.append(
                Problem(
                    where=f"tables.{key}",
                    message=f"section {sections_title(key)} has no recognisable heading; the "
                    "table was located by its own rows",
                )
            )

    def body(key: str) -> str:
        return located.get(key, "")

    fmt = detect_format(body("active_disclosure"), body("applications"), year)
    if fmt is None:
        if any(k in sections for k in ("active_disclosure", "applications")):
            problems.append(
                Problem(
                    where="tables",
                    message="cannot tell whether the tables follow the 2021 or the 2019 standard",
                )
            )
        return Tables(), None
    found: dict[str, object] = {}
    readers: dict[str, Callable[[str], TableResult]] = {
        "active_disclosure": lambda t: parse_active_disclosure(t, fmt),
        "applications": lambda t: parse_applications(t, fmt),
        "review_litigation": parse_review_litigation,
    }
    for key, reader in readers.items():
        if key not in located:
            problems.append(
                Problem(
                    where=f"tables.{key}",
                    message=f"section {sections_title(key)} not found; the table was not read",
                )
            )
            continue
        result = reader(body(key))
        span = table_region(text, key) if result.table is None else None
        if span is not None and text[span[0] : span[1]] != body(key):
            # The heading was found but the table is not under it: read it where it stands.
            second = reader(text[span[0] : span[1]])
            if second.table is not None:
                result = second
                result.warnings.insert(
                    0, "the table is not under its section heading; it was located by its own rows"
                )
        if result.open:  # run-together cells the arithmetic left open: does the prose say?
            settle_by_narrative(result, key, text.replace(body(key), "\n"), year)
        for message in result.problems:
            problems.append(Problem(where=f"tables.{key}", message=message))
        for message in result.warnings:
            warnings.append(Problem(where=f"tables.{key}", message=message))
        if result.table is not None:
            found[key] = result.table
    return Tables.model_validate(found), fmt


def sections_title(key: str) -> str:
    return {
        "active_disclosure": "二 (主动公开政府信息情况)",
        "applications": "三 (收到和处理政府信息公开申请情况)",
        "review_litigation": "四 (行政复议、行政诉讼情况)",
    }.get(key, key)


@dataclass
class Draft:
    """Everything about a document except its narrative facts from a model: the part that
    needs no network, computed wherever the document is parsed (a worker process)."""

    text: str
    source: str
    sha256: str
    raw: RawDocument | None
    doc_id: str
    sections: dict[str, Section]
    year: int | None
    issuer: str | None
    tables: Tables
    format: str | None
    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)
    # The rules' facts, when the finder uses them (computed beside the parse).
    rule_facts: list[Fact] | None = None

    @property
    def spans(self) -> list[tuple[int, int]]:
        return narrative_spans(self.text, self.sections)


def draft(
    text: str,
    *,
    source: str,
    sha256: str,
    raw: RawDocument | None = None,
    doc_id: str | None = None,
    rules: bool = False,
) -> Draft:
    problems: list[Problem] = []
    sections = split_sections(text)
    if not sections and runs_on(text):  # a page on one line: headings inside the line
        sections = inline_sections(text)
    if not sections:
        problems.append(
            Problem(
                where="sections",
                message="none of the six standard sections (一、总体情况 … 六、其他需要报告的事项) "
                "was found; is this an annual report on government information "
                "disclosure?",
            )
        )
    year = find_year(text)
    warnings: list[Problem] = []
    tables, fmt = _tables(text, sections, year, problems, warnings)
    d = Draft(
        text=text,
        source=source,
        sha256=sha256,
        raw=raw,
        doc_id=doc_id or doc_id_for(source),
        sections=sections,
        year=year,
        issuer=find_issuer(text),
        tables=tables,
        format=fmt,
        problems=problems,
        warnings=warnings,
    )
    if rules:
        d.rule_facts = extract_rules(text, d.spans)
    return d


def finish(d: Draft, found: FactResult, backend: str, *, check: bool = True) -> Record:
    """The record of a draft once its facts are known, validated against the published
    schema (the one place records are validated: a record that breaks it is never kept).
    ``check=False`` leaves that to the caller: a worker process sends the record's JSON to
    the parent, which reads it back strictly (``bulk.workers.record_of``), once."""
    facts: list[Fact] = found.facts
    record = Record(
        doc_id=d.doc_id,
        source=d.source,
        sha256=d.sha256,
        issuer=d.issuer,
        year=d.year,
        format=d.format,  # type: ignore[arg-type]
        facts=facts,
        tables=d.tables,
        checks=table_checks(d.tables) + cross_checks(d.tables, facts) + found.checks,
        errors=[*_reader_problems(d.raw), *d.problems, *found.problems],
        warnings=d.warnings,
        provenance=Provenance(
            extractor=__version__,
            backend=backend,
            model=found.model,
            prompt_version=found.prompt_version,
            input_format=d.raw.format if d.raw else None,
            encoding=d.raw.encoding if d.raw else None,
            usage=found.usage,
            ocr=d.raw.ocr if d.raw else None,
        ),
    )
    if check:
        check_record(record)
    return record


def _reader_problems(raw: RawDocument | None) -> list[Problem]:
    # Low-confidence OCR numbers: read, but not vouched for.
    return [Problem(where="ocr", message=m) for m in (raw.problems if raw else [])]


@dataclass
class Loaded:
    """A file read and normalised, or the record saying why it could not be."""

    sha256: str
    raw: RawDocument | None = None
    text: str = ""
    failure: Record | None = None


def load_file(path: Path, options: Options, doc_id: str | None = None) -> Loaded:
    """Read and normalise one file (the one ingest step of every run)."""
    loaded = load_changed(path, options, None, doc_id)
    assert loaded is not None  # only an unchanged checksum gives None
    return loaded


def load_changed(
    path: Path, options: Options, unless_sha: str | None, doc_id: str | None = None
) -> Loaded | None:
    """As :func:`load_file`, or None when the file's bytes still have the checksum
    ``unless_sha`` (a document finished in an earlier run: read and hashed, not parsed)."""
    try:
        data, raw = read_path(path, options.max_bytes, unless_sha=unless_sha)
    except InputError as exc:
        sha = exc.sha256 or ""
        return Loaded(
            sha, failure=failed_record(str(path), sha, UNREADABLE, exc.reason, options, doc_id)
        )
    if raw is None:
        return None
    sha = hashlib.sha256(data).hexdigest()
    text = normalise(raw.text)
    if not text:
        return Loaded(
            sha,
            failure=failed_record(
                str(path), sha, UNREADABLE, "the file holds no text", options, doc_id
            ),
        )
    return Loaded(sha, raw, text)


def failed_record(
    source: str,
    sha256: str,
    where: str,
    message: str,
    options: Options | None = None,
    doc_id: str | None = None,
) -> Record:
    options = options or Options()
    return Record(
        doc_id=doc_id or doc_id_for(source),
        source=source,
        sha256=sha256,
        issuer=None,
        year=None,
        format=None,
        errors=[Problem(where=where, message=message)],
        provenance=Provenance(extractor=__version__, backend=options.method),
    )


def describe_exception(exc: BaseException) -> str:
    """One line naming an unexpected exception, secrets removed."""
    text = str(exc).splitlines()[0][:300] if str(exc).strip() else ""
    return redact(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)


def crashed_record(
    source: str,
    exc: BaseException,
    options: Options,
    sha256: str = "",
    doc_id: str | None = None,
) -> Record:
    """The record of a document whose processing raised: the run goes on without it."""
    if isinstance(exc, NianbaoError):
        message = redact(str(exc))  # said in words already (a time limit, a dead worker)
    elif isinstance(exc, MemoryError):
        message = (
            "processing it ran out of memory (MemoryError); the file is probably far larger "
            "inside than on disk; check it, or lower --workers"
        )
    elif isinstance(exc, RecursionError):
        message = "it is nested too deeply to be read (RecursionError); check the file"
    else:
        message = (
            f"processing it failed with an unexpected error ({describe_exception(exc)}); "
            "the other documents are not affected; please report this file"
        )
    return failed_record(source, sha256, FAILED, message, options, doc_id)


Prepare = Callable[[Path, Options, bool, str | None], Awaitable["Draft | Record | None"]]


def prepare(
    path: Path, options: Options, rules: bool, unless_sha: str | None = None
) -> Draft | Record | None:
    """The CPU part of a document: read, normalise, draft. A file that cannot be read
    gives its failure record; None when ``unless_sha`` says it is unchanged."""
    loaded = load_changed(path, options, unless_sha)
    if loaded is None:
        return None
    return _drafted(loaded, str(path), options, rules)


def _drafted(loaded: Loaded, source: str, options: Options, rules: bool) -> Draft | Record:
    if loaded.failure is not None:
        return loaded.failure
    try:
        return draft(loaded.text, source=source, sha256=loaded.sha256, raw=loaded.raw, rules=rules)
    except Exception as exc:  # the failure is tied to these bytes: not retried unchanged
        return crashed_record(source, exc, options, loaded.sha256)


def _loaded_bytes(data: bytes, source: str, options: Options) -> Loaded:
    sha = hashlib.sha256(data).hexdigest()
    try:
        raw = read_bytes(data, source, options.max_bytes)
    except InputError as exc:
        return Loaded(sha, failure=failed_record(source, sha, UNREADABLE, exc.reason, options))
    text = normalise(raw.text)
    if not text:
        return Loaded(
            sha, failure=failed_record(source, sha, UNREADABLE, "the file holds no text", options)
        )
    return Loaded(sha, raw, text)


async def prepare_here(
    path: Path, options: Options, rules: bool, unless_sha: str | None = None
) -> Draft | Record | None:
    return prepare(path, options, rules, unless_sha)


async def process_one(
    path: Path,
    finder: FactFinder,
    options: Options,
    *,
    prepare_in: Prepare = prepare_here,
    unless_sha: str | None = None,
    check: bool = True,
) -> Record | None:
    """The one road of a document. ``prepare_in`` says where its CPU part runs (here, or
    in a worker process); the facts are found on this event loop. Never raises for a
    document: any exception becomes its error record. None when ``unless_sha`` says the
    file is unchanged. ``check`` as in :func:`finish`."""
    try:
        ready = await prepare_in(path, options, finder.uses_rules, unless_sha)
        if ready is None or isinstance(ready, Record):
            return ready
    except Exception as exc:  # the per-document boundary
        return crashed_record(str(path), exc, options, getattr(exc, "sha256", None) or "")
    try:
        found = await finder.find(ready)
        # Requests waiting for a slot go out before this document's CPU work.
        await asyncio.sleep(0)
        return finish(ready, found, finder.name, check=check)
    except Exception as exc:
        return crashed_record(str(path), exc, options, ready.sha256)


def run_sync(work: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from synchronous code, even inside a running event
    loop (a notebook): then it runs on a loop of its own in a helper thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _run_boxed(work)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_run_boxed, work).result()


def _run_boxed(work: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(work)``, with the main task's own result None. On its way out the
    runner puts back the SIGINT handler it replaced, and Python 3.11 builds (and drops) an
    error message holding the repr of that handler, its main task and so the task's result:
    for a record, a full pydantic repr, a quarter of a text report's extraction time."""
    box: list[T] = []

    async def main() -> None:
        box.append(await work)

    asyncio.run(main())
    return box[0]


async def _extract_one(
    source: str, options: Options, load: Callable[[], Loaded | None]
) -> tuple[Record, str]:
    from extract.methods import open_finder

    texts: list[str] = []

    async def loading(
        path: Path, options: Options, rules: bool, unless_sha: str | None
    ) -> Draft | Record | None:
        loaded = load()
        if loaded is None:
            return None
        ready = _drafted(loaded, source, options, rules)
        if isinstance(ready, Draft):
            texts.append(ready.text)
        return ready

    async with open_finder(options) as finder:
        record = await process_one(Path(source), finder, options, prepare_in=loading)
    assert record is not None  # no unless_sha: never skipped
    return record, "".join(texts)


def extract_file(
    path: str | Path, options: Options | None = None, doc_id: str | None = None
) -> tuple[Record, str]:
    """Record and normalised text of one file on disk (the text offsets refer to). Never
    raises for a bad input: the record's ``errors`` says what went wrong."""
    options = options or Options()
    record, text = run_sync(
        _extract_one(str(path), options, lambda: load_file(Path(path), options))
    )
    if doc_id is not None:
        record = record.model_copy(update={"doc_id": doc_id})
    return record, text


def extract_bytes(
    data: bytes, source: str, options: Options | None = None, doc_id: str | None = None
) -> tuple[Record, str]:
    """Record and normalised text of one document given as bytes, on the same road as a
    file. Never raises for bad input: the record's ``errors`` says what went wrong."""
    options = options or Options()
    record, text = run_sync(
        _extract_one(source, options, lambda: _loaded_bytes(data, source, options))
    )
    if doc_id is not None:
        record = record.model_copy(update={"doc_id": doc_id})
    return record, text

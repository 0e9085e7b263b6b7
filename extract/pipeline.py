"""One document in, one record out: the pure core behind the CLI and the Python API."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract import __version__
from extract.checks import cross_checks, table_checks
from extract.errors import InputError, NianbaoError
from extract.facts.finders import FactFinder, FactResult, rules_finder
from extract.ingest import DEFAULT_MAX_BYTES, RawDocument, read_bytes, read_path
from extract.metadata import find_issuer, find_year
from extract.record import Fact, Problem, Provenance, Record, Tables
from extract.sections import Section, narrative_spans, split_sections, table_region
from extract.tables.parse import (
    TableResult,
    detect_format,
    parse_active_disclosure,
    parse_applications,
    parse_review_litigation,
)
from extract.textnorm import normalise


@dataclass
class Options:
    """How to extract; the defaults are the embedded, model-free path."""

    backend: str = "rules"
    max_bytes: int = DEFAULT_MAX_BYTES
    find_facts: FactFinder = rules_finder
    # The model settings behind find_facts, when a model is used (the bulk runner drives
    # the model itself, asynchronously, from these).
    llm: Any = None


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
    """Everything about a document except its narrative facts: the part that needs no
    model. The bulk runner finds the facts asynchronously in between."""

    text: str
    source: str
    sha256: str
    raw: RawDocument | None
    doc_id: str
    sections: dict[str, Section]
    year: int | None
    tables: Tables
    format: str | None
    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)

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
) -> Draft:
    problems: list[Problem] = []
    sections = split_sections(text)
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
    return Draft(
        text=text,
        source=source,
        sha256=sha256,
        raw=raw,
        doc_id=doc_id or doc_id_for(source),
        sections=sections,
        year=year,
        tables=tables,
        format=fmt,
        problems=problems,
        warnings=warnings,
    )


def finish(d: Draft, found: FactResult, backend: str) -> Record:
    """The record of a draft once its facts are known."""
    facts: list[Fact] = found.facts
    return Record(
        doc_id=d.doc_id,
        source=d.source,
        sha256=d.sha256,
        issuer=find_issuer(d.text),
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


def _reader_problems(raw: RawDocument | None) -> list[Problem]:
    # Low-confidence OCR numbers: read, but not vouched for.
    return [Problem(where="ocr", message=m) for m in (raw.problems if raw else [])]


def find_facts(d: Draft, options: Options) -> FactResult:
    try:
        return options.find_facts(d.text, d.spans)
    except NianbaoError as exc:
        return FactResult(facts=[], problems=[Problem(where="facts", message=str(exc))])


def record_from_text(
    text: str,
    *,
    source: str,
    sha256: str,
    raw: RawDocument | None = None,
    options: Options | None = None,
    doc_id: str | None = None,
) -> Record:
    """Build the record of one already-normalised text."""
    options = options or Options()
    d = draft(text, source=source, sha256=sha256, raw=raw, doc_id=doc_id)
    return finish(d, find_facts(d, options), options.backend)


@dataclass
class Loaded:
    """A file read and normalised, or the record saying why it could not be."""

    sha256: str
    raw: RawDocument | None = None
    text: str = ""
    failure: Record | None = None


def load_file(path: Path, options: Options, doc_id: str | None = None) -> Loaded:
    try:
        data, raw = read_path(path, options.max_bytes)
    except InputError as exc:
        sha = ""
        if path.is_file() and path.stat().st_size <= options.max_bytes:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        return Loaded(
            sha, failure=failed_record(str(path), sha, "input", exc.reason, options, doc_id)
        )
    sha = hashlib.sha256(data).hexdigest()
    text = normalise(raw.text)
    if not text:
        return Loaded(
            sha,
            failure=failed_record(
                str(path), sha, "input", "the file holds no text", options, doc_id
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
        provenance=Provenance(extractor=__version__, backend=options.backend),
    )


def extract_bytes(
    data: bytes, source: str, options: Options | None = None, doc_id: str | None = None
) -> tuple[Record, str]:
    """Record and normalised text of one document given as bytes. Never raises for bad
    input: the record's ``errors`` says what went wrong."""
    sha = hashlib.sha256(data).hexdigest()
    try:
        raw = read_bytes(data, source)
    except InputError as exc:
        return failed_record(source, sha, "input", exc.reason, options, doc_id), ""
    text = normalise(raw.text)
    if not text:
        return failed_record(source, sha, "input", "the file holds no text", options, doc_id), ""
    return record_from_text(
        text, source=source, sha256=sha, raw=raw, options=options, doc_id=doc_id
    ), text


def extract_file(
    path: str | Path, options: Options | None = None, doc_id: str | None = None
) -> tuple[Record, str]:
    """Record and normalised text of one file on disk."""
    options = options or Options()
    loaded = load_file(Path(path), options, doc_id)
    if loaded.failure is not None:
        return loaded.failure, ""
    return record_from_text(
        loaded.text,
        source=str(path),
        sha256=loaded.sha256,
        raw=loaded.raw,
        options=options,
        doc_id=doc_id,
    ), loaded.text

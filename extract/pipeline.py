"""One document in, one record out: the pure core behind the CLI and the Python API."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from extract import __version__
from extract.checks import cross_checks, table_checks
from extract.errors import InputError, NianbaoError
from extract.facts.finders import FactFinder, FactResult, rules_finder
from extract.ingest import DEFAULT_MAX_BYTES, RawDocument, read_bytes, read_path
from extract.metadata import find_issuer, find_year
from extract.record import Fact, Problem, Provenance, Record, Tables
from extract.sections import Section, narrative_spans, split_sections
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


def doc_id_for(source: str) -> str:
    return Path(source).stem or source


def _tables(
    text: str, sections: dict[str, Section], year: int | None, problems: list[Problem]
) -> tuple[Tables, str | None]:
    def body(key: str) -> str:
        return sections[key].text(text) if key in sections else ""

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
        if key not in sections:
            problems.append(
                Problem(
                    where=f"tables.{key}",
                    message=f"section {sections_title(key)} not found; the table was not read",
                )
            )
            continue
        result = reader(body(key))
        for message in result.problems:
            problems.append(Problem(where=f"tables.{key}", message=message))
        if result.table is not None:
            found[key] = result.table
    return Tables.model_validate(found), fmt


def sections_title(key: str) -> str:
    return {
        "active_disclosure": "二 (主动公开政府信息情况)",
        "applications": "三 (收到和处理政府信息公开申请情况)",
        "review_litigation": "四 (行政复议、行政诉讼情况)",
    }.get(key, key)


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
    problems: list[Problem] = []
    sections = split_sections(text)
    if not sections:
        problems.append(
            Problem(
                where="sections",
                message="none of the six standard sections "
                "(一、总体情况 … 六、其他需要报告的事项) was found; is this an "
                "annual report on government information disclosure?",
            )
        )
    year = find_year(text)
    tables, fmt = _tables(text, sections, year, problems)
    found = FactResult(facts=[])
    try:
        found = options.find_facts(text, narrative_spans(text, sections))
    except NianbaoError as exc:
        problems.append(Problem(where="facts", message=str(exc)))
    problems.extend(found.problems)
    facts: list[Fact] = found.facts
    checks = table_checks(tables) + cross_checks(tables, facts) + found.checks
    return Record(
        doc_id=doc_id or doc_id_for(source),
        source=source,
        sha256=sha256,
        issuer=find_issuer(text),
        year=year,
        format=fmt,  # type: ignore[arg-type]
        facts=facts,
        tables=tables,
        checks=checks,
        errors=problems,
        provenance=Provenance(
            extractor=__version__,
            backend=options.backend,
            model=found.model,
            prompt_version=found.prompt_version,
            input_format=raw.format if raw else None,
            encoding=raw.encoding if raw else None,
            usage=found.usage,
        ),
    )


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
    path = Path(path)
    try:
        data, raw = read_path(path, options.max_bytes)
    except InputError as exc:
        sha = ""
        if path.is_file() and path.stat().st_size <= options.max_bytes:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        return failed_record(str(path), sha, "input", exc.reason, options, doc_id), ""
    text = normalise(raw.text)
    sha = hashlib.sha256(data).hexdigest()
    if not text:
        return failed_record(str(path), sha, "input", "the file holds no text", options, doc_id), ""
    return record_from_text(
        text, source=str(path), sha256=sha, raw=raw, options=options, doc_id=doc_id
    ), text

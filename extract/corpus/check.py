"""`nianbao corpus check`: records in, one CorpusReport out.

The passes, each bounded in memory for 100,000 records: summaries of the records; issuer
keys; narratives signed one at a time (signatures kept, texts dropped) and matched by LSH;
then the year-over-year checks per body, and the shared passages of the matched pairs only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from extract.corpus.anomalies import AnomalySettings, anomalies
from extract.corpus.carryover import carry_over
from extract.corpus.duplicates import duplicate_inputs
from extract.corpus.findings import (
    Ambiguous,
    Anomaly,
    CarryOver,
    CorpusReport,
    DocRef,
    Identity,
    NearDuplicate,
    Passage,
    SourceIssue,
    Totals,
)
from extract.corpus.identity import IssuerMap, resolve, spelling_key, unlocated
from extract.corpus.load import Summary, summarise
from extract.corpus.narrative import read_narrative
from extract.corpus.neardup import NearDupSettings, SignatureIndex
from extract.corpus.passages import shared_passages
from extract.corpus.signing import signatures
from extract.record_files import read_records


@dataclass(frozen=True)
class CheckSettings:
    neardup: NearDupSettings = field(default_factory=NearDupSettings)
    anomalies: AnomalySettings = field(default_factory=AnomalySettings)
    narratives: bool = True  # re-read the sources for (c) and near-identical inputs
    sources_roots: tuple[Path, ...] = ()  # folders relative sources are looked for in
    passages: int = 200  # matched pairs whose shared passages are computed, best first
    jobs: int = 1  # processes reading and signing the narratives


class _Keys:
    """Each summary's issuer key, and its reference as findings show it."""

    def __init__(self, summaries: list[Summary], issuer_map: IssuerMap) -> None:
        mapped = [
            (s.issuer, issuer_map.name_for(s.doc_id, s.sha256, s.issuer) if s.issuer else None)
            for s in summaries
        ]
        self.resolution = resolve(
            (o, m, s.year) for (o, m), s in zip(mapped, summaries, strict=True) if o and m
        )
        self.of = [self.resolution.keys[m] if m else None for _, m in mapped]
        self.mapped = [m for _, m in mapped]
        self.summaries = summaries

    def spelled(self, i: int) -> str | None:
        mapped = self.mapped[i]
        return spelling_key(mapped) if mapped else None

    def ref(self, i: int) -> DocRef:
        s = self.summaries[i]
        return DocRef(
            doc_id=s.doc_id,
            source=s.source,
            sha256=s.sha256,
            issuer=s.issuer,
            issuer_key=self.of[i],
            year=s.year,
        )


@dataclass
class _Matches:
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    best: dict[tuple[int, str], tuple[int, float]] = field(default_factory=dict)
    candidates: int = 0
    signed: int = 0


def _sign_all(
    summaries: list[Summary],
    keys: _Keys,
    first_of_bytes: list[bool],
    settings: CheckSettings,
    problems: list[SourceIssue],
) -> _Matches:
    """Sign every narrative once, keeping for each document the pairs worth reporting: its
    best match in another year of the same body, its best match in another body, and any
    same-body same-year pair close enough to be the same report."""
    index = SignatureIndex(settings.neardup)
    found = _Matches()
    ids: list[int] = []  # index id → summary position
    jobs = (
        (i, s.source, s.sha256)
        for i, s in enumerate(summaries)
        if not s.unreadable and first_of_bytes[i]
    )
    for i, values, problem in signatures(
        jobs, settings.neardup, settings.sources_roots, settings.jobs
    ):
        if problem is not None:
            problems.append(SourceIssue(doc=keys.ref(i), message=problem))
        if values is None:
            continue
        _, matches = index.add(values)
        ids.append(i)
        found.signed += 1
        found.candidates += len(matches)
        for other, similarity in matches:
            j = ids[other]
            same_body = keys.of[i] is not None and keys.of[i] == keys.of[j]
            if same_body and summaries[i].year == summaries[j].year:
                if similarity >= settings.neardup.duplicate:
                    found.duplicates.append((j, i))
                continue
            kind = "across_years" if same_body else "across_issuers"
            if (i, kind) not in found.best:  # matches come best first
                found.best[(i, kind)] = (j, similarity)
    return found


def check_corpus(
    paths: list[Path], settings: CheckSettings | None = None, issuer_map: IssuerMap | None = None
) -> CorpusReport:
    settings = settings or CheckSettings()
    folders = tuple(dict.fromkeys(p.parent for p in paths))  # as `nianbao view` looks
    settings = replace(settings, sources_roots=(*settings.sources_roots, *folders))
    summaries = [summarise(r) for path in paths for r in read_records(path)]
    # One order whatever the input: the first of a group is the one the checks use.
    summaries.sort(key=lambda s: (s.source, s.doc_id))
    return check_summaries([str(p) for p in paths], summaries, settings, issuer_map)


def _year_over_year(
    summaries: list[Summary], keys: _Keys, hidden: set[int], settings: CheckSettings
) -> tuple[list[CarryOver], list[Anomaly]]:
    years: dict[str, dict[int, int]] = defaultdict(dict)
    for i, s in enumerate(summaries):
        key = keys.of[i]
        if key is not None and s.year is not None and not s.unreadable and i not in hidden:
            years[key].setdefault(s.year, i)
    carried: list[CarryOver] = []
    odd: list[Anomaly] = []
    for key in sorted(years):
        held = years[key]
        for year in sorted(held):
            if year - 1 not in held:
                continue  # only consecutive years say anything about each other
            p, c = held[year - 1], held[year]
            prev, cur, pref, cref = summaries[p], summaries[c], keys.ref(p), keys.ref(c)
            carried += carry_over(key, prev, cur, pref, cref)
            odd += anomalies(key, prev, cur, pref, cref, settings.anomalies)
    return carried, odd


def _near_duplicates(
    summaries: list[Summary], keys: _Keys, matches: _Matches, settings: CheckSettings
) -> list[NearDuplicate]:
    pairs: dict[tuple[int, int], tuple[str, float]] = {}
    for (i, kind), (j, similarity) in matches.best.items():
        a, b = sorted((i, j), key=lambda x: (summaries[x].year or 0, summaries[x].doc_id))
        pairs[(a, b)] = (kind, similarity)
    ordered = sorted(pairs.items(), key=lambda p: (-p[1][1], p[0]))

    @lru_cache(maxsize=64)
    def narrative(i: int) -> str:
        s = summaries[i]
        return read_narrative(s.source, s.sha256, settings.sources_roots).text

    out = []
    for n, ((a, b), (kind, similarity)) in enumerate(ordered):
        passages: list[Passage] = []
        shared: float | None = None
        if n < settings.passages:
            found, shared = shared_passages(narrative(a), narrative(b))
            passages = [
                Passage(
                    a_start=p.a_start,
                    a_end=p.a_end,
                    b_start=p.b_start,
                    b_end=p.b_end,
                    a_text=p.a_text,
                    b_text=p.b_text,
                )
                for p in found
            ]
        out.append(
            NearDuplicate(
                kind=kind,  # type: ignore[arg-type]  # across_years or across_issuers
                a=keys.ref(a),
                b=keys.ref(b),
                similarity=round(similarity, 3),
                shared=None if shared is None else round(shared, 3),
                passages=passages,
            )
        )
    return out


def check_summaries(
    inputs: list[str],
    summaries: list[Summary],
    settings: CheckSettings,
    issuer_map: IssuerMap | None = None,
) -> CorpusReport:
    keys = _Keys(summaries, issuer_map or IssuerMap())
    ungrouped = [
        SourceIssue(doc=keys.ref(i), message=_why_ungrouped(i, keys))
        for i, s in enumerate(summaries)
        if s.unreadable or keys.of[i] is None or s.year is None
    ]
    seen: set[str] = set()
    first_of_bytes = []
    for s in summaries:
        first_of_bytes.append(not s.sha256 or s.sha256 not in seen)
        seen.add(s.sha256)
    problems: list[SourceIssue] = []
    matches = (
        _sign_all(summaries, keys, first_of_bytes, settings, problems)
        if settings.narratives
        else _Matches()
    )
    duplicates, hidden = duplicate_inputs(
        summaries, keys.of, keys.ref, matches.duplicates, settings.neardup.duplicate
    )
    carried, odd = _year_over_year(summaries, keys, hidden, settings)
    resolution = keys.resolution
    counts: dict[str, int] = defaultdict(int)
    for key in keys.of:
        if key is not None:
            counts[key] += 1
    return CorpusReport(
        inputs=inputs,
        totals=Totals(
            records=len(summaries),
            grouped=len(summaries) - len(ungrouped),
            issuers=len(counts),
            narratives=matches.signed,
            lsh_candidates=matches.candidates,
        ),
        settings=_settings_dict(settings),
        identities=[
            Identity(key=k, name=v.display, names=v.names, how=v.how, documents=counts[k])
            for k, v in sorted(resolution.identities.items())
            if len(v.names) > 1
        ],
        ambiguous=[
            Ambiguous(name=n, candidates=c) for n, c in sorted(resolution.ambiguous.items())
        ],
        carry_over=carried,
        anomalies=odd,
        near_duplicates=_near_duplicates(summaries, keys, matches, settings),
        duplicate_inputs=duplicates,
        ungrouped=ungrouped,
        sources=problems,
    )


def _why_ungrouped(i: int, keys: _Keys) -> str:
    s = keys.summaries[i]
    if s.unreadable:
        return "the input could not be read when it was extracted"
    ambiguous = keys.resolution.ambiguous
    name = keys.spelled(i)
    if name is not None and name in ambiguous:
        return (
            f"the issuer {s.issuer} could be {' or '.join(ambiguous[name])}; it is not "
            "grouped until --issuer-map settles it"
        )
    if name is not None and unlocated(name):
        return (
            f"the issuer {s.issuer} does not say which body it is (of which place?); it is "
            "not grouped until the [documents] table of --issuer-map names it"
        )
    missing = [name for name, v in (("issuer", s.issuer), ("year", s.year)) if v is None]
    return f"no {' and no '.join(missing)} was found in the report; it is not grouped"


def _settings_dict(settings: CheckSettings) -> dict[str, float | int | bool]:
    n, a = settings.neardup, settings.anomalies
    return {
        "narratives": settings.narratives,
        "shingle": n.shingle,
        "num_perm": n.num_perm,
        "similarity": n.threshold,
        "duplicate": n.duplicate,
        "min_chars": n.min_chars,
        "jump_factor": a.jump_factor,
        "jump_min": a.jump_min,
        "share_drop": a.share_drop,
        "share_min": a.share_min,
        "identical_min": a.identical_min,
        "identical_largest": a.identical_largest,
    }

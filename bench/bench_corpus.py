"""How `nianbao corpus check` grows with the corpus: 1,000 and 10,000 reports.

The reports are made from the real seed reports: each keeps a seed's tables and layout
(numbers scaled, carry-over consistent from year to year) under a generated issuer, and
its narrative is a fresh draw of sentences from the seeds' narratives with every number
changed, so unrelated reports share only what reports of the genre share. A few percent are
planted copies (another report's narrative, numbers changed, two sentences swapped), which
the check should find.

For each size the baseline, run in the same process, is the floor no narrative check can
avoid: reading every source again and splitting it into sections. Printed: both times,
their ratio, and the growth from the smallest size to the largest (10× more reports: a
linear method grows about 10×, comparing every pair 100×).

    python bench/bench_corpus.py [--sizes 1000 10000] [--seed 7] [--jobs 1]
    python bench/bench_corpus.py --sizes --index-only 10000 100000   # the LSH index alone
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import random
import re
import resource
import tempfile
import time
from pathlib import Path

from extract.corpus.check import CheckSettings, check_corpus
from extract.corpus.findings import CorpusReport
from extract.corpus.narrative import read_narrative
from extract.pipeline import extract_file
from extract.record import Record
from extract.sections import split_sections
from extract.textnorm import normalise

FIXTURES = Path(__file__).resolve().parent.parent / "eval" / "fixtures"
SENTENCE = re.compile(r"[^。!?;\n]{12,}[。!?;]")
NUMBER = re.compile(r"\d+")
NARRATIVE = ("overview", "problems", "other")
PLACE_CHARS = "东西南北安宁平和兴华山河湖海江桥城新明清源泉川阳林石丰长永昌德福庆"


class Seed:
    def __init__(self, path: Path) -> None:
        self.text = normalise(path.read_text("utf-8"))
        self.record = extract_file(path)[0]
        sections = split_sections(self.text)
        self.spans = sorted(
            (sections[k].body_start, sections[k].end) for k in NARRATIVE if k in sections
        )


def _renumber(rng: random.Random, text: str) -> str:
    return NUMBER.sub(lambda m: str(max(0, int(m[0]) + rng.randint(-20, 40))), text)


def _draw(rng: random.Random, pool: list[str], n: int = 36) -> list[str]:
    return [_renumber(rng, s) for s in rng.sample(pool, n)]


def _fill(seed: Seed, sentences: list[str]) -> str:
    """The seed's text with its narrative sections holding these sentences instead."""
    cuts = [0, int(len(sentences) * 0.7), int(len(sentences) * 0.85), len(sentences)]
    out, pos = [], 0
    for i, (start, end) in enumerate(seed.spans):
        part = sentences[cuts[min(i, 2)] : cuts[min(i, 2) + 1]] if i < 3 else []
        out += [seed.text[pos:start], "\n", "".join(part), "\n"]
        pos = end
    return "".join([*out, seed.text[pos:]])


def _tables(rng: random.Random, record: Record, previous: Record | None):  # type: ignore[no-untyped-def]
    tables = record.tables.model_copy(deep=True)
    apps = tables.applications
    if apps is None:
        return tables
    factor = rng.uniform(0.6, 1.6)  # one factor a table: a body's shares stay about the same
    for key, row in apps.rows.items():
        apps.rows[key] = [None if c is None else round(c * factor) for c in row]
    last = previous.tables.applications if previous is not None else None
    if last is not None:
        apps.rows["carried_over"] = list(last.rows["carried_forward"])
        if apps.rows["new_received"] == last.rows["new_received"]:
            # Small tables scaled alike round alike: a year identical to the last, which the
            # check rightly reports; keep the synthetic bodies free of it.
            row = apps.rows["new_received"]
            apps.rows["new_received"] = [row[0] + 1, *row[1:-1], row[-1] + 1]  # type: ignore[operator]
    return tables


def _issuers(rng: random.Random, n: int) -> list[str]:
    names: set[str] = set()
    while len(names) < n:
        city = "".join(rng.sample(PLACE_CHARS, 2)) + "市"
        county = "".join(rng.sample(PLACE_CHARS, 2)) + rng.choice("区县")
        names.add(f"{city}{county}人民政府")
    return sorted(names)


def make_corpus(folder: Path, size: int, seed: int) -> tuple[Path, set[frozenset[str]]]:
    """Write ``size`` reports and their records; return the records file and the planted
    copied pairs."""
    rng = random.Random(seed)
    seeds = [Seed(p) for p in sorted(FIXTURES.glob("*.txt"))]
    pool = [s for sd in seeds for a, b in sd.spans for s in SENTENCE.findall(sd.text[a:b])]
    planted: set[frozenset[str]] = set()
    narratives: dict[str, list[str]] = {}
    out = folder / "records.jsonl"
    sink = out.open("w", encoding="utf-8")
    previous: Record | None = None
    issuers = _issuers(rng, size // 3 + 1)
    for i in range(size):
        issuer, year = issuers[i // 3], 2021 + i % 3
        skeleton = seeds[(i // 3) % len(seeds)]  # one body keeps its layout over the years
        doc_id = f"r{i:06d}"
        if narratives and rng.random() < 0.03:  # a planted copy
            source = rng.choice(list(narratives)[-300:])
            sentences = [_renumber(rng, s) for s in narratives[source]]
            for k in rng.sample(range(len(sentences)), 2):
                sentences[k] = rng.choice(pool)
            planted.add(frozenset((source, doc_id)))
        else:
            sentences = _draw(rng, pool)
        narratives[doc_id] = sentences
        if len(narratives) > 600:
            narratives.pop(next(iter(narratives)))
        data = _fill(skeleton, sentences).encode("utf-8")
        path = folder / f"{doc_id}.txt"
        path.write_bytes(data)
        previous = previous if i % 3 else None
        record = skeleton.record.model_copy(
            update={
                "doc_id": doc_id,
                "source": str(path),
                "sha256": hashlib.sha256(data).hexdigest(),
                "issuer": issuer if rng.random() > 0.2 else issuer[3:],  # short forms too
                "year": year,
                "tables": _tables(rng, skeleton.record, previous),
            }
        )
        sink.write(record.model_dump_json() + "\n")
        previous = record
    sink.close()
    return out, planted


def _floor(records: Path) -> float:
    start = time.perf_counter()
    with records.open(encoding="utf-8") as fh:
        for line in fh:
            r = Record.model_validate_json(line)
            read_narrative(r.source, r.sha256)
    return time.perf_counter() - start


def _measure(records: Path, jobs: int) -> tuple[float, float, CorpusReport, float]:
    """Floor and check in one fresh process, so its peak memory is the check's own."""
    floor = _floor(records)
    start = time.perf_counter()
    report = check_corpus([records], CheckSettings(jobs=jobs))
    full = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return floor, full, report, rss


def _index_only(size: int, seed: int) -> tuple[float, float, int, float]:
    """The LSH part alone on ``size`` signatures: unrelated ones (random, as unrelated
    narratives are to MinHash) and 1 % near-copies (90 % of another's values)."""
    import numpy as np

    from extract.corpus.neardup import NearDupSettings, SignatureIndex

    rng = np.random.default_rng(seed)
    settings = NearDupSettings()
    index = SignatureIndex(settings)
    recent: list[np.ndarray] = []
    found = 0
    start = time.perf_counter()
    for i in range(size):
        values = rng.integers(0, 2**32, settings.num_perm, dtype=np.uint64).astype(np.uint32)
        if recent and i % 100 == 0:
            values = recent[-1].copy()
            keep = rng.random(settings.num_perm) < 0.9
            values[~keep] = rng.integers(0, 2**32, int((~keep).sum()), dtype=np.uint64)
        _, matches = index.add(values)
        found += len(matches)
        recent = [values]
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return seconds, rss, found, size // 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes for the check")
    parser.add_argument(
        "--index-only",
        type=int,
        nargs="*",
        default=[],
        help="also time the LSH index alone on this many signatures (e.g. 10000 100000)",
    )
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    for size in args.index_only:
        with context.Pool(1) as pool:
            seconds, rss, found, planted = pool.apply(_index_only, (size, args.seed))
        print(
            f"LSH index alone, {size} signatures: {seconds:.1f} s "
            f"({seconds / size * 1e6:.0f} µs each), {found} matches for {planted} planted "
            f"near-copies; peak RSS {rss:.0f} MiB",
            flush=True,
        )
    if not args.sizes:
        return
    results = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            records, planted = make_corpus(Path(tmp), size, args.seed)
            with context.Pool(1) as pool:
                floor, full, report, rss = pool.apply(_measure, (records, args.jobs))
        found = {frozenset((n.a.doc_id, n.b.doc_id)) for n in report.near_duplicates}
        results.append((size, floor, full))
        print(
            f"{size:6d} reports: check {full:7.1f} s ({full / size * 1000:.1f} ms each), "
            f"floor (re-read + sections) {floor:7.1f} s, ratio {full / floor:5.2f}; "
            f"LSH candidates {report.totals.lsh_candidates}, near-duplicate pairs "
            f"{len(found)}, planted {len(planted)} found {len(planted & found)}; carry-over "
            f"findings {len(report.carry_over)}, anomalies {len(report.anomalies)}; peak RSS "
            f"of the checking process {rss:.0f} MiB",
            flush=True,
        )
    (n0, f0, c0), (n1, f1, c1) = results[0], results[-1]
    print(
        f"growth {n0} → {n1} reports (×{n1 / n0:.0f}): check ×{c1 / c0:.1f}, "
        f"floor ×{f1 / f0:.1f}, check per report ×{(c1 / n1) / (c0 / n0):.2f}"
    )


if __name__ == "__main__":
    main()

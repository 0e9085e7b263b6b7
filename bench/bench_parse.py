"""Throughput of the rules pipeline on the seed reports, against its floor.

The floor is what no extractor can avoid: decoding and normalising the same texts. The
figure that matters is the ratio, measured in the same process on the same machine:

    python bench/bench_parse.py [--rounds 40]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from extract.ingest import read_bytes
from extract.pipeline import extract_bytes
from extract.textnorm import normalise

FIXTURES = Path(__file__).resolve().parent.parent / "eval" / "fixtures"


def _rate(work, payloads: list[tuple[bytes, str]], rounds: int) -> float:  # type: ignore[no-untyped-def]
    work(*payloads[0])  # warm caches and lazy imports outside the timing
    start = time.perf_counter()
    for _ in range(rounds):
        for data, name in payloads:
            work(data, name)
    return rounds * len(payloads) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    payloads = [(p.read_bytes(), p.name) for p in sorted(FIXTURES.glob("*.txt"))]
    floor = _rate(lambda d, n: normalise(read_bytes(d, n).text), payloads, args.rounds)
    full = _rate(lambda d, n: extract_bytes(d, n), payloads, args.rounds)
    size = sum(len(d) for d, _ in payloads) / len(payloads) / 1024
    print(f"{len(payloads)} seed reports (mean {size:.1f} KiB), {args.rounds} rounds")
    print(f"read + normalise (floor): {floor:8.1f} documents/s")
    print(f"full rules extraction:    {full:8.1f} documents/s")
    print(f"ratio full / floor:       {full / floor:8.3f}")


if __name__ == "__main__":
    main()

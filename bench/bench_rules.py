"""The rules on 1, 5 and 20 MB of report text: time must grow linearly with the size.

The text is the narrative of a seed report repeated (real sentences, real mentions); the
figure is seconds per MB at each size and the ratio of the 20 MB rate to the 1 MB rate
(1.0 = linear).

    python bench/bench_rules.py [--sizes 1 5 20]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from extract.facts.rules import extract_rules
from extract.textnorm import normalise

FIXTURES = Path(__file__).resolve().parent.parent / "eval" / "fixtures"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 20])
    args = parser.parse_args()
    text = normalise((FIXTURES / "luozhuang-2024.txt").read_text("utf-8"))
    unit = text[: text.index("二、")]
    extract_rules(unit, [(0, len(unit))])  # warm: rules loaded, patterns compiled
    rates = []
    for mb in args.sizes:
        body = unit * max(1, int(mb * 1024 * 1024 / len(unit.encode("utf-8"))))
        start = time.perf_counter()
        extract_rules(body, [(0, len(body))])
        elapsed = time.perf_counter() - start
        size = len(body.encode("utf-8")) / (1024 * 1024)
        rates.append(elapsed / size)
        print(f"{size:6.1f} MB: {elapsed:7.2f} s, {elapsed / size:.3f} s/MB")
    print(f"ratio s/MB largest / smallest: {rates[-1] / rates[0]:.3f}")


if __name__ == "__main__":
    main()

"""Peak memory of a `--store` run against the number of documents: 1,000 and 20,000.

Memory must not grow with the number of documents (the window bounds what is in progress;
records go to the store and to -o one by one). Each run is a fresh `nianbao extract` process
over small distinct reports; the figure is the peak resident size of the main process, and
of the largest worker, and the ratio of the two runs' main-process peaks.

    python bench/bench_memory.py [--small 1000] [--large 20000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "eval" / "fixtures"

# Runs the CLI and prints its own peak RSS and its children's (the workers'), in KiB.
_PROBE = """
import resource, sys
from extract.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"PEAK {own} {kids}", file=sys.stderr)
"""


def _peak(count: int, base: str, tmp: Path) -> tuple[int, int]:
    folder = tmp / f"in-{count}"
    folder.mkdir()
    for i in range(count):
        (folder / f"r{i:06d}.txt").write_text(
            base.replace("一、总体情况\n", f"一、总体情况\n编号{i}。\n", 1), "utf-8"
        )
    command = [sys.executable, "-c", _PROBE, "extract", str(folder), "-q"]
    command += ["--store", str(tmp / f"run-{count}.sqlite"), "-o", str(tmp / f"out-{count}.jsonl")]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next(x for x in done.stderr.splitlines() if x.startswith("PEAK"))
    own, kids = map(int, line.split()[1:])
    lines = sum(1 for _ in (tmp / f"out-{count}.jsonl").open("rb"))
    assert lines == count, (lines, count)
    return own, kids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=20000)
    args = parser.parse_args()
    text = (FIXTURES / "luozhuang-2024.txt").read_text("utf-8")
    base = text[: text.index("二、")]  # the narrative part: small documents, many of them
    with tempfile.TemporaryDirectory() as tmp:
        small = _peak(args.small, base, Path(tmp))
        large = _peak(args.large, base, Path(tmp))
    for count, (own, kids) in ((args.small, small), (args.large, large)):
        print(
            f"{count:6d} documents: main process peak {own / 1024:6.1f} MiB, "
            f"largest worker {kids / 1024:6.1f} MiB"
        )
    print(f"ratio of main-process peaks {args.large} / {args.small}: {large[0] / small[0]:.3f}")


if __name__ == "__main__":
    main()

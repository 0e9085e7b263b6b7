"""Throughput of a bulk LLM run against a server that answers every call after a fixed delay.

The ideal time is delay × calls / concurrency: the most a run bounded to ``concurrency``
requests in flight could achieve. The figure printed is achieved throughput as a ratio of
that ideal (1.0 = the runner adds nothing). The server runs in its own process, so it does
not compete with the runner for the interpreter.

    python bench/bench_bulk.py [--documents 1000] [--delay 1.0] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import tempfile
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "eval" / "fixtures"


def _serve(port_queue: multiprocessing.Queue, delay: float) -> None:  # type: ignore[type-arg]
    from extract.evaluation.openai_server import answer, serve

    def slow(request):  # type: ignore[no-untyped-def]
        time.sleep(delay)
        return answer([])(request)

    with serve([slow]) as server:
        port_queue.put(server.url)
        while True:
            time.sleep(3600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()

    from extract.bulk.runner import BulkConfig, run
    from extract.bulk.store import RunStore
    from extract.llm.settings import LLMSettings
    from extract.methods import open_finder, options_for
    from extract.pipeline import draft

    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    server = multiprocessing.Process(target=_serve, args=(queue, args.delay), daemon=True)
    server.start()
    url = queue.get(timeout=30)
    base = (FIXTURES / "yuezhuang-2024.txt").read_text("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = []
        for i in range(args.documents):  # distinct texts: no cache or single-flight hits
            path = folder / f"doc-{i:05d}.txt"
            path.write_text(
                base.replace("一、总体情况\n", f"一、总体情况\n编号{i}。\n", 1), "utf-8"
            )
            paths.append(path)
        settings = LLMSettings(model="bench", base_url=url, api_key="not-needed")
        options = options_for("llm", settings)
        config = BulkConfig(documents=args.documents, concurrency=args.concurrency)
        with RunStore(folder / "run.sqlite") as store:

            async def go() -> float:
                async with open_finder(
                    options, cache=store, concurrency=args.concurrency
                ) as finder:
                    # Warm up outside the clock: the first call imports and builds what
                    # every later call reuses (SDK modules, the tool schema).
                    await finder.find(draft(base, source="warmup", sha256=""))
                    start = time.perf_counter()
                    await run(paths, finder, options, config, store=store)
                    return time.perf_counter() - start

            elapsed = asyncio.run(go())
            calls = sum(
                r.provenance.usage.requests for r in store.records() if r.provenance.usage
            )  # the warm-up call is not in the store
            errors = sum(bool(r.errors) for r in store.records())
    server.terminate()
    ideal = args.delay * calls / args.concurrency
    print(
        f"{args.documents} documents, {calls} calls, delay {args.delay}s, "
        f"concurrency {args.concurrency}, {errors} documents with errors"
    )
    print(f"elapsed {elapsed:.1f}s, ideal {ideal:.1f}s, {args.documents / elapsed:.1f} docs/s")
    print(f"throughput / ideal: {ideal / elapsed:.3f}")


if __name__ == "__main__":
    main()

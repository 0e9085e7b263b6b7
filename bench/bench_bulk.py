"""A PDF-heavy bulk LLM run against a local server that answers every call after a fixed
delay: does parsing stall the requests?

The ideal time is delay × calls / concurrency: the most a run bounded to ``concurrency``
requests in flight could achieve. The figure printed is achieved request throughput as a
ratio of that ideal (1.0 = the runner adds nothing), for the same documents read in this
process (``--workers 0``: PDF parsing blocks the event loop) and in worker processes. The
defaults keep the run request-bound (parsing capacity above the request rate), which is
when a stalled loop shows. The server runs in its own process.

    python bench/bench_bulk.py [--documents 40] [--delay 1.5] [--concurrency 2]
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


def _pdf(text: str, path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    y = 800.0
    c.setFont("STSong-Light", 10)
    for line in text.splitlines():
        for start in range(0, max(len(line), 1), 45):
            if y < 60:
                c.showPage()
                c.setFont("STSong-Light", 10)
                y = 800.0
            c.drawString(40, y, line[start : start + 45])
            y -= 14
    c.save()


def _run(paths: list[Path], url: str, args: argparse.Namespace, workers: int) -> tuple[float, int]:
    from extract.bulk.runner import BulkConfig, Engine, InlineEngine, run
    from extract.bulk.store import RunStore
    from extract.bulk.workers import PoolEngine
    from extract.llm.settings import LLMSettings
    from extract.methods import open_finder, options_for
    from extract.pipeline import draft

    settings = LLMSettings(model="bench", base_url=url, api_key="not-needed")
    options = options_for("llm", settings)
    config = BulkConfig(documents=max(16, 4 * args.concurrency), concurrency=args.concurrency)
    with tempfile.TemporaryDirectory() as tmp, RunStore(Path(tmp) / "run.sqlite") as store:
        engine: Engine = PoolEngine(workers) if workers else InlineEngine()

        async def go() -> float:
            async with open_finder(options, cache=store, concurrency=args.concurrency) as finder:
                # Warm up outside the clock (SDK modules, the tool schema, the workers).
                await finder.find(draft("一、总体情况\n预热。", source="warmup", sha256=""))
                await engine.process(paths[0], finder, options, None)
                start = time.perf_counter()
                await run(paths[1:], finder, options, config, engine=engine, store=store)
                return time.perf_counter() - start

        try:
            elapsed = asyncio.run(go())
        finally:
            if isinstance(engine, PoolEngine):
                engine.close()
        calls = sum(r.provenance.usage.requests for r in store.records() if r.provenance.usage)
    return elapsed, calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--delay", type=float, default=1.5)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--workers", type=int, default=0, help="0: the machine's cores")
    args = parser.parse_args()
    from extract.bulk.workers import default_workers

    workers = args.workers or default_workers()
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    server = multiprocessing.Process(target=_serve, args=(queue, args.delay), daemon=True)
    server.start()
    url = queue.get(timeout=30)
    base = (FIXTURES / "yuezhuang-2024.txt").read_text("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(args.documents + 1):  # distinct texts: no cache or single-flight hits
            path = Path(tmp) / f"doc-{i:05d}.pdf"
            _pdf(
                base.replace("一、总体情况\n", f"一、总体情况\n本年度编号{i}共{i + 1}件。\n", 1),
                path,
            )
            paths.append(path)
        results = {w: _run(paths, url, args, w) for w in (0, workers)}
    server.terminate()
    print(f"{args.documents} PDF documents, delay {args.delay}s, concurrency {args.concurrency}")
    for w, (elapsed, calls) in results.items():
        ideal = args.delay * calls / args.concurrency
        label = "in this process (--workers 0)" if w == 0 else f"{w} workers"
        print(
            f"{label:32s} {calls} calls, elapsed {elapsed:.1f}s, ideal {ideal:.1f}s, "
            f"throughput / ideal {ideal / elapsed:.3f}"
        )


if __name__ == "__main__":
    main()

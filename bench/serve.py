"""``vnsearch serve`` under a bounded load on 127.0.0.1: requests/s and p50/p95/p99
at 1, 8 and 32 concurrent clients (an asyncio httpx client, each client sending its
next request when the last is answered), beside the same queries through
``Engine.search`` in one process. tantivy is served from threads in one process,
Whoosh (which holds the GIL) by ``--whoosh-workers`` processes.

    python bench/serve.py --articles 2000 [--seconds 8] [--out bench/RESULTS.md]

Builds (or reuses, under --cache) an index per engine of the seeds and one of
``--articles`` generated articles (bench/corpus.py). The client runs on the same
machine as the server and takes its share of the cores: the figures are what one
machine does serving and loading itself. Run by hand, never in the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from run import pct, query_classes  # noqa: E402

from search import Engine  # noqa: E402
from tests.servers import free_port  # noqa: E402

LEVELS = (1, 8, 32)
CLASSES = ("one term", "two terms", "phrase", "speaker+phrase", "prefix")


def build(cache: Path, engine: str, articles: int) -> Path:
    """The index of the seeds (``articles`` 0) or of generated articles, kept in cache."""
    index = cache / f"{engine}-{articles}"
    if (index / "vnsearch.json").exists():
        return index
    sources = [ROOT / "seeds"]
    if articles:
        corpus = cache / f"corpus-{articles}"
        if not corpus.exists():
            subprocess.run([sys.executable, str(HERE / "corpus.py"), str(corpus),
                            "--articles", str(articles)], check=True)
        sources = [corpus]
    t = time.perf_counter()
    Engine.build(index, sources, engine=engine).close()
    print(f"built {index.name} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return index


async def load(url: str, queries: list[str], clients: int,
               seconds: float) -> tuple[float, list[float], int]:
    """``clients`` loops, each one request at a time, for ``seconds``: answers/s,
    latencies (ms) of the 200s, and the count of other answers."""
    latencies: list[float] = []
    failed = 0
    stop_at = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def one(client: httpx.AsyncClient, k: int) -> None:
        nonlocal failed
        i = k
        while time.perf_counter() < stop_at:
            t = time.perf_counter()
            answer = await client.get("/api/search", params={"q": queries[i % len(queries)]})
            if answer.status_code == 200:
                latencies.append((time.perf_counter() - t) * 1000)
            else:
                failed += 1
            i += clients

    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        start = time.perf_counter()
        await asyncio.gather(*(one(client, k) for k in range(clients)))
        elapsed = time.perf_counter() - start
    return len(latencies) / elapsed, latencies, failed


def in_process(index: Path, queries: list[str], seconds: float) -> tuple[float, list[float]]:
    with Engine.open(index) as engine:
        engine.search("khởi động")
        latencies: list[float] = []
        start = time.perf_counter()
        i = 0
        while time.perf_counter() - start < seconds:
            t = time.perf_counter()
            engine.search(queries[i % len(queries)])
            latencies.append((time.perf_counter() - t) * 1000)
            i += 1
        return len(latencies) / (time.perf_counter() - start), latencies


def serve(index: Path, workers: int) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "search", "serve", "--index", str(index),
                             "--port", str(port), "--workers", str(workers),
                             "--max-in-flight", "64"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return url, proc
        except httpx.HTTPError:
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    raise RuntimeError("the server did not answer")


def row(label: str, workers: str, rate: float, ms: list[float], failed: int = 0) -> str:
    if not ms:
        return f"| {label} | {workers} | {rate:.0f} | – | – | – | {failed} |"
    return (f"| {label} | {workers} | {rate:.0f} | {pct(ms, 50):.1f} | {pct(ms, 95):.1f} | "
            f"{pct(ms, 99):.1f} | {failed} |")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--articles", type=int, default=10_000)
    p.add_argument("--whoosh-articles", type=int, default=None,
                   help="generated articles for Whoosh (default: --articles; Whoosh "
                        "indexes about a quarter as fast as tantivy)")
    p.add_argument("--seconds", type=float, default=8.0, help="per concurrency level")
    p.add_argument("--engines", nargs="+", default=["tantivy", "whoosh"])
    p.add_argument("--whoosh-workers", type=int, nargs="+", default=[2])
    p.add_argument("--tantivy-workers", type=int, nargs="+", default=[1, 2],
                   help="server processes to try (threads serve tantivy; a second "
                        "process adds the Python side of a search on the other core)")
    p.add_argument("--cache", type=Path, default=Path("/tmp/vnsearch-bench-serve"))
    p.add_argument("--out", type=Path, help="append the tables here (default: print only)")
    args = p.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    lines = [f"\n## {datetime.date.today()} — vnsearch serve under load (bench/serve.py)\n",
             f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores "
             f"(shared with other jobs while this ran), Python {platform.python_version()}. "
             f"Command: `python bench/serve.py {' '.join(argv or sys.argv[1:])}`. "
             "Client (asyncio + httpx, one request at a time per client) "
             "and server on the same machine; queries: one term, two terms, phrase, "
             "speaker+phrase and prefix drawn from each index (bench/run.py).\n"]
    for name in args.engines:
        generated = args.whoosh_articles if name == "whoosh" and args.whoosh_articles \
            is not None else args.articles
        for articles in dict.fromkeys((0, generated)):  # 0: the seeds
            index = build(args.cache, name, articles)
            with Engine.open(index) as engine:
                stats = engine.stats()
                classes = query_classes(engine, random.Random(7), 20)
            queries = [q for c in CLASSES for q, _ in classes[c]]
            random.Random(3).shuffle(queries)
            lines += [f"\n**{name}**, {stats['articles']:,} articles "
                      f"({stats['passages']:,} passages):\n",
                      "| clients | server processes | requests/s | p50 ms | p95 ms | p99 ms "
                      "| not 200 |", "|---|---|---|---|---|---|---|"]
            rate, ms = in_process(index, queries, args.seconds)
            lines.append(row("Engine.search in process", "–", rate, ms))
            for workers in (args.whoosh_workers if name == "whoosh" else args.tantivy_workers):
                url, proc = serve(index, workers)
                try:
                    asyncio.run(load(url, queries, 4, 2))  # warm every worker's caches
                    for clients in LEVELS:
                        rate, ms, failed = asyncio.run(load(url, queries, clients,
                                                            args.seconds))
                        lines.append(row(f"HTTP, {clients}", str(workers), rate, ms, failed))
                finally:
                    os.killpg(proc.pid, signal.SIGINT)
                    proc.wait(30)
            print("\n".join(lines[-8:]), file=sys.stderr)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with args.out.open("a", encoding="utf-8") as out:
            out.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

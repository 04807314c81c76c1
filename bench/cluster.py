"""Xapian locally and over the network, on one generated corpus, in one run.

    python bench/cluster.py --articles 2000 [--out bench/RESULTS.md]

1. Local indexing (2 local worker processes): Xapian against tantivy and Whoosh —
   passages/s, index size, query p50/p95 per class.
2. Clusters of 1, 2 and 4 shards (xapian-tcpsrv on 127.0.0.1) against the local
   Xapian index: p50/p95 per class, queries/s with 1 and 4 concurrent clients.
3. Indexing through --dask with 1 and 2 workers against 2 local worker processes.
Every server is started here on a free port and stopped by its PID. Run by hand.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE.parent))  # this checkout, not an installed vnsearch

from corpus import Generator  # noqa: E402
from run import du, pct, query_classes  # noqa: E402
from servers import Servers, cluster_file, dask_cluster  # noqa: E402

from search import Engine  # noqa: E402

CLASSES = ("one term", "two terms", "phrase", "speaker+phrase", "date range+term", "prefix",
           "fuzzy")


def latencies(engine: Engine, queries: dict[str, list[str]]) -> dict[str, list[float]]:
    out = {}
    for cls, qs in queries.items():
        times = []
        for q in qs:
            t = time.perf_counter()
            engine.search(q, limit=10)
            times.append((time.perf_counter() - t) * 1000)
        out[cls] = times
    return out


def throughput(engine: Engine, queries: list[str], clients: int) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(lambda q: engine.search(q, limit=10), queries))
    return len(queries) / (time.perf_counter() - start)


def cells(times: dict[str, list[float]]) -> list[str]:
    return [f"{pct(times[c], 50):.1f} / {pct(times[c], 95):.1f}" for c in CLASSES]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--queries", type=int, default=15, help="per class")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="vnsearch-cluster-bench-"))
    corpus = tmp / "corpus"
    corpus.mkdir()
    for name, text in Generator(11).articles(args.articles):
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    lines = [f"\n## Xapian, local and on loopback shards: {args.articles} generated articles "
             f"({datetime.date.today()}, {platform.node()}, {platform.processor() or 'cpu'}, "
             "2 cores shared with other work: small runs, read the ratios)\n"]
    servers = Servers()
    try:
        # 1. local engines ------------------------------------------------------------------
        local: dict[str, Engine] = {}
        rows = []
        for name in ("xapian", "tantivy", "whoosh"):
            t = time.perf_counter()
            e = Engine.build(tmp / name, [corpus], engine=name, workers=2)
            seconds = time.perf_counter() - t
            assert e.last_report is not None
            local[name] = e
            rows.append((name, e.last_report.passages / seconds, du(tmp / name)))
        qs = {c: [q for q, _ in pairs]
              for c, pairs in query_classes(local["xapian"], random.Random(5),
                                            args.queries).items() if c in CLASSES}
        lines.append("| engine | passages/s (2 local workers) | size MiB | "
                     + " | ".join(f"{c} p50/p95 ms" for c in CLASSES) + " |")
        lines.append("|---" * (3 + len(CLASSES)) + "|")
        for name, rate, size in rows:
            latencies(local[name], qs)  # warm
            lines.append(f"| {name} | {rate:,.0f} | {size / 2**20:.0f} | "
                         + " | ".join(cells(latencies(local[name], qs))) + " |")
        # 2. shards on loopback ---------------------------------------------------------------
        every = [q for c in CLASSES for q in qs[c]]
        lines.append("\n| layout | " + " | ".join(f"{c} p50/p95 ms" for c in CLASSES)
                     + " | q/s 1 client | q/s 4 clients |")
        lines.append("|---" * (3 + len(CLASSES)) + "|")
        base = local["xapian"]
        lines.append("| local xapian | " + " | ".join(cells(latencies(base, qs)))
                     + f" | {throughput(base, every, 1):.1f} | {throughput(base, every, 4):.1f} |")
        for n in (1, 2, 4):
            shards = []
            for i in range(n):
                addr, _ = servers.tcpsrv(tmp / f"c{n}" / f"s{i}", writable=True)
                shards.append((f"s{i}", addr, []))
            path = cluster_file(tmp / f"c{n}.toml", shards, timeout=10)
            with Engine.build(path, [corpus], workers=2) as cluster:
                latencies(cluster, qs)
                lines.append(f"| {n} shard(s) | " + " | ".join(cells(latencies(cluster, qs)))
                             + f" | {throughput(cluster, every, 1):.1f} | "
                             f"{throughput(cluster, every, 4):.1f} |")
            servers.stop_all()
        # 3. analysis on Dask ---------------------------------------------------------------------
        lines.append("\n| analysis | passages/s into a local xapian index |")
        lines.append("|---|---|")
        for label, workers in (("2 local processes", 0), ("dask, 1 worker", 1),
                               ("dask, 2 workers", 2)):
            address = dask_cluster(servers, workers) if workers else None
            t = time.perf_counter()
            e = Engine.build(tmp / f"dask{workers}", [corpus], engine="xapian", workers=2,
                             dask=address)
            assert e.last_report is not None
            lines.append(f"| {label} | {e.last_report.passages / (time.perf_counter() - t):,.0f} |")
            e.close()
            servers.stop_all()
    finally:
        servers.stop_all()
        for e in locals().get("local", {}).values():
            e.close()
        shutil.rmtree(tmp, ignore_errors=True)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with args.out.open("a", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

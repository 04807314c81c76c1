"""Query latency on an index that already exists: yours, or one ``run.py --keep`` left.

    python bench/latency.py --index ./index [--queries 30] [--out bench/RESULTS.md]

Per query class (the classes of ``run.py``, drawn from the index itself):
p50/p95/p99 ms; start-up to the first result in a new process; batch queries/s.
No raw engine beside it: where building one alongside would take longer than
the measurement (raw Whoosh at 1.58 million passages), or for a real archive
whose indexing was timed elsewhere. Run by hand, never in the test suite.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import du, pct, query_classes, timed  # noqa: E402

from search import Engine  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--index", type=Path, required=True)
    p.add_argument("--queries", type=int, default=30, help="queries per class")
    p.add_argument("--out", type=Path, help="append the table here (default: print only)")
    args = p.parse_args(argv)
    meta = json.loads((args.index / "vnsearch.json").read_text("utf-8"))
    engine = Engine.open(args.index)
    stats = engine.stats()
    classes = query_classes(engine, random.Random(5), args.queries)
    engine.search("khởi động")  # the first search opens the index: not timed
    lines = [f"\n## {datetime.date.today()} — latency on an existing {meta['engine']} index "
             f"({stats['articles']:,} articles, {stats['passages']:,} passages, "
             f"{du(args.index) / 2**20:,.0f} MiB)\n",
             f"Machine: {platform.processor() or platform.machine()}, "
             f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}. "
             f"Command: `python bench/latency.py --index INDEX --queries {args.queries}`.\n",
             "| query class | vnsearch p50 / p95 / p99 ms |", "|---|---|"]
    for name, pairs in classes.items():
        ours = [timed(lambda q=q: engine.search(q, limit=10))[0] for q, _ in pairs]
        lines.append(f"| {name} | {pct(ours, 50):.1f} / {pct(ours, 95):.1f} / "
                     f"{pct(ours, 99):.1f} |")
    engine.close()
    cmd = [sys.executable, "-m", "search", "--index", str(args.index)]
    t = time.perf_counter()
    subprocess.run([*cmd, "query", "Putin", "--limit", "1"], check=True, capture_output=True)
    lines.append(f"\nStart-up to first result (new process): {time.perf_counter() - t:.2f} s.")
    queries = [q for pairs in classes.values() for q, _ in pairs]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as f:
        f.write("\n".join(queries) + "\n")
        f.flush()
        t = time.perf_counter()
        subprocess.run([*cmd, "batch", f.name], check=True, capture_output=True)
        seconds = time.perf_counter() - t
    lines.append(f"Batch: {len(queries)} queries in {seconds:.1f} s "
                 f"({len(queries) / seconds:.1f} queries/s, start-up included).\n")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with args.out.open("a", encoding="utf-8") as out:
            out.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

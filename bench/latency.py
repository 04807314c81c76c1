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
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import batch_line, du, percentiles, query_classes, timed, vnsearch  # noqa: E402

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
        lines.append(f"| {name} | {percentiles(ours)} |")
    engine.close()
    start = vnsearch(args.index, "query", "Putin", "--limit", "1")
    lines.append(f"\nStart-up to first result (new process): {start:.2f} s.")
    with tempfile.TemporaryDirectory() as tmp:
        lines.append(batch_line(args.index, [q for pairs in classes.values() for q, _ in pairs],
                                Path(tmp) / "batch.txt"))
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with args.out.open("a", encoding="utf-8") as out:
            out.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Two versions of vnsearch on the same corpus, in one run: query latency per class
and how many passages each class finds, old against new.

    python bench/versions.py --before ef394cd --engine tantivy --articles 2000

The old version is checked out with ``git worktree`` (nothing is installed); each
version indexes the generated corpus with its own code and answers the same
queries (the classes of ``run.py``, drawn from the new index) in a process of its
own. The two are timed in alternating rounds, so a noisy machine slows both
alike: compare the ratio column, not the milliseconds. Matches are counted as
each version counts them (``total``); a class whose queries carry tone marks
shows how many folded-only matches the tone-mark rule removed. Run by hand.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import Generator  # noqa: E402
from run import pct, query_classes  # noqa: E402

from search import Engine  # noqa: E402

# runs inside a version's checkout: its own package answers every query
TIMER = """
import json, sys, time
from search import Engine
queries = json.load(open(sys.argv[2], encoding="utf-8"))
with Engine.open(sys.argv[1]) as e:
    e.search("khởi động")
    out = {}
    for name, qs in queries.items():
        times, totals = [], []
        for q in qs:
            t = time.perf_counter()
            r = e.search(q, limit=10)
            times.append((time.perf_counter() - t) * 1000)
            # every matching passage: a version that lists wire copies once counts them apart
            totals.append(r.total - r.partial + getattr(r, "copies", 0))
        out[name] = {"ms": times, "totals": totals}
print(json.dumps(out))
"""


def checkout(rev: str, where: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-f", str(where), rev],
                   check=True, capture_output=True)
    return where


def index(tree: Path, index_dir: Path, corpus: Path, engine: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "search", "--index", str(index_dir), "index",
                    str(corpus), "--engine", engine, "--workers", "2"], cwd=tree, check=True,
                   capture_output=True, env={**os.environ, "PYTHONPATH": str(tree)})
    return time.perf_counter() - start


def timings(tree: Path, index_dir: Path, qfile: Path) -> dict[str, dict[str, list[float]]]:
    proc = subprocess.run([sys.executable, "-c", TIMER, str(index_dir), str(qfile)], cwd=tree,
                          check=True, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(tree)})
    return json.loads(proc.stdout)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--before", required=True, help="the old version: a commit or branch")
    p.add_argument("--engine", default="tantivy", choices=("whoosh", "tantivy"))
    p.add_argument("--articles", type=int, default=2000)
    p.add_argument("--queries", type=int, default=30, help="queries per class")
    p.add_argument("--rounds", type=int, default=3, help="alternating timing rounds")
    p.add_argument("--out", type=Path, help="append the table here")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus"
        corpus.mkdir()
        for name, text in Generator(7).articles(args.articles):
            (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
        trees = {"before": checkout(args.before, tmp / "before"), "after": ROOT}
        built = {v: index(t, tmp / f"ix-{v}", corpus, args.engine) for v, t in trees.items()}
        with Engine.open(tmp / "ix-after") as e:
            passages = e.stats()["passages"]
            classes = {k: [q for q, _ in v] for k, v in
                       query_classes(e, random.Random(5), args.queries).items()}
        qfile = tmp / "queries.json"
        qfile.write_text(json.dumps(classes, ensure_ascii=False), encoding="utf-8")
        runs: dict[str, list[dict[str, dict[str, list[float]]]]] = {v: [] for v in trees}
        for _ in range(args.rounds):
            for v, t in trees.items():
                runs[v].append(timings(t, tmp / f"ix-{v}", qfile))
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                        str(trees["before"])], capture_output=True)
    lines = [f"\n## {datetime.date.today()} — {args.before} against this version, "
             f"{args.engine}, {args.articles:,} articles ({passages:,} passages)\n",
             f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}. Command: `python bench/versions.py --before "
             f"{args.before} --engine {args.engine} --articles {args.articles}`. Indexing "
             f"(2 workers): before {built['before']:.0f} s, after {built['after']:.0f} s.\n",
             "| query class | p50 before / after ms | ratio | p95 before / after ms | "
             "matches before → after |", "|---|---|---|---|---|"]
    for name in classes:
        ms = {v: [x for r in runs[v] for x in r[name]["ms"]] for v in trees}
        totals = {v: sum(runs[v][0][name]["totals"]) for v in trees}
        b50, a50 = pct(ms["before"], 50), pct(ms["after"], 50)
        gone = totals["before"] - totals["after"]
        share = f" ({gone / totals['before']:.0%} fewer)" if totals["before"] and gone else ""
        lines.append(f"| {name} | {b50:.1f} / {a50:.1f} | {a50 / b50:.2f} | "
                     f"{pct(ms['before'], 95):.1f} / {pct(ms['after'], 95):.1f} | "
                     f"{totals['before']:,} → {totals['after']:,}{share} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with args.out.open("a", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Vary one ranking weight at a time and report nDCG@10 / MRR@10 / Recall@10
on the judged seed queries. Run by hand: ``python bench/tune.py``.

Each weight is a module constant of the Whoosh backend; the index is built
once and every variant is measured in the same process.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from search import Engine
from search.backends import whoosh as wb
from search.evaluation import baseline_run, engine_run, evaluate, read_qrels, read_queries
from search.resources import seeds_dir
from search.retrieval import proximity

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "relevance"
GRID = {
    "W_FOLD": [0.2, 0.45, 0.7, 1.0],
    "W_WORD": [0.0, 0.5, 1.0],
    "W_TITLE": [0.0, 0.3, 1.0],
    "W_SPEAKER": [0.0, 0.3, 1.0],
    "W_DAY_MONTH": [0.0, 0.5],
}


def main() -> int:
    queries = read_queries(DATA / "queries.tsv")
    qrels = read_qrels(DATA / "qrels.txt")
    with tempfile.TemporaryDirectory() as tmp, Engine.build(tmp, [seeds_dir()]) as engine:
        def measure() -> str:
            t = evaluate(qrels, engine_run(engine, queries)).total
            return (f"nDCG@10 {t['nDCG@10']:.3f}  MRR@10 {t['MRR@10']:.3f}  "
                    f"R@10 {t['Recall@10']:.3f}")

        base = evaluate(qrels, baseline_run(engine, queries)).total
        print(f"naive baseline          nDCG@10 {base['nDCG@10']:.3f}  MRR@10 "
              f"{base['MRR@10']:.3f}  R@10 {base['Recall@10']:.3f}")
        print(f"current weights         {measure()}")
        for module, name, values in [(wb, n, v) for n, v in GRID.items()] + [
                (proximity, "WEIGHT", [0.0, 0.15, 0.3, 0.6])]:
            keep = getattr(module, name)
            for v in values:
                setattr(module, name, v)
                print(f"{name:<12} = {v:<5}{'*' if v == keep else ' '}    {measure()}")
            setattr(module, name, keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())

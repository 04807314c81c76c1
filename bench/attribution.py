"""CPU seconds per passage of speaker attribution, on generated articles.

    python bench/attribution.py [--articles 300] [--seed 3] [--profile]

The indexer's "attribution" stage also pays each passage's first analysis
(pyvi; it is cached for the term lists that follow), so three figures: that
analysis alone, attribution as the indexer times it, and the attribution rules
alone (each article timed after its passages were analysed). Process CPU time,
best of three runs.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # this checkout, not an installed copy

from corpus import Generator  # noqa: E402

from search.analysis import analyze  # noqa: E402
from search.analysis.segment import _pyvi_lengths  # noqa: E402
from search.ingest.articles import read_article  # noqa: E402
from search.ingest.speakers import attribute  # noqa: E402


def articles(n: int, seed: int) -> list[list[str]]:
    """Passages of ``n`` generated articles, cut as the indexer cuts them."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in Generator(seed).articles(n):
            path = Path(tmp) / f"{name}.txt"
            path.write_text(text, encoding="utf-8")
            out.append([p.text for p in read_article(path).passages])
    return out


def best_cpu(run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        analyze.cache_clear()
        _pyvi_lengths.cache_clear()
        t = time.process_time()
        run()
        best = min(best, time.process_time() - t)
    return best


def rules_cpu(texts: list[list[str]]) -> float:
    """Attribution of each article timed after its passages were analysed (the
    analysis cache holds 1,024 passages, more than any one article has)."""
    best = float("inf")
    for _ in range(3):
        spent = 0.0
        for t in texts:
            for s in t:
                analyze(s)
            start = time.process_time()
            attribute(t)
            spent += time.process_time() - start
        best = min(best, spent)
    return best


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--articles", type=int, default=300)
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--profile", action="store_true", help="cProfile one attribution run")
    args = p.parse_args()
    texts = articles(args.articles, args.seed)
    n = sum(len(t) for t in texts)
    analysis = best_cpu(lambda: [analyze(s) for t in texts for s in t])
    total = best_cpu(lambda: [attribute(t) for t in texts])
    print(f"{len(texts)} articles, {n} passages; ms CPU per passage:")
    print(f"  analysis (pyvi) alone          {analysis / n * 1000:.3f}")
    print(f"  attribution, analysis included {total / n * 1000:.3f}")
    print(f"  attribution rules alone        {rules_cpu(texts) / n * 1000:.3f}")
    if args.profile:
        analyze.cache_clear()
        _pyvi_lengths.cache_clear()
        prof = cProfile.Profile()
        prof.enable()
        for t in texts:
            attribute(t)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()

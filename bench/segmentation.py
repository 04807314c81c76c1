"""Word-segmentation F1 of raw pyvi and of our segmenter on hand-made gold sets.

Run by hand: ``python bench/segmentation.py [GOLD ...]`` (default: both sets in
tests/data). Words are compared as spans over the alphanumeric characters of
the text (punctuation is not counted). Raw pyvi reads each sentence as written
(either tone placement, NFC or NFD); ours is :func:`search.analysis.segment`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pyvi import ViTokenizer

from search.analysis import segment

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
GOLD = DATA / "segmentation_gold.txt"  # the seeds: names, numbers, dates
DOMESTIC = DATA / "segmentation_domestic.txt"  # domestic news, both tone placements

Spans = set[tuple[int, int]]
Scores = tuple[float, float, float]


def spans(words: list[str]) -> Spans:
    out, pos = set(), 0
    for w in words:
        n = sum(ch.isalnum() for ch in w)  # punctuation is not counted, nor kept by us
        if n:
            out.add((pos, pos + n))
        pos += n
    return out


def f1(pairs: list[tuple[Spans, Spans]]) -> Scores:
    tp = sum(len(g & p) for g, p in pairs)
    gold = sum(len(g) for g, _ in pairs)
    pred = sum(len(p) for _, p in pairs)
    precision, recall = tp / pred, tp / gold
    return precision, recall, 2 * precision * recall / (precision + recall)


def sentences(path: Path) -> list[str]:
    return [x for x in path.read_text("utf-8").splitlines() if x.strip() and not x.startswith("#")]


def measure(path: Path) -> tuple[Scores, Scores, int]:
    """(raw pyvi, vnsearch, number of sentences) on one gold file."""
    raw, ours = [], []
    lines = sentences(path)
    for line in lines:
        gold = spans(line.split())
        text = line.replace("_", " ")
        raw.append((gold, spans(ViTokenizer.tokenize(text).split())))
        ours.append((gold, spans(segment(text))))
    return f1(raw), f1(ours), len(lines)


def main(argv: list[str]) -> int:
    for path in [Path(a) for a in argv] or [GOLD, DOMESTIC]:
        raw, ours, n = measure(path)
        print(f"{path.name} ({n} sentences)")
        for name, (p, r, f) in (("raw pyvi", raw), ("vnsearch", ours)):
            print(f"  {name:<9} precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
        print(f"  difference F1 {ours[2] - raw[2]:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Word-segmentation F1 of raw pyvi and of our segmenter on the hand-made gold.

Run by hand: ``python bench/segmentation.py``. Words are compared as spans
over the alphanumeric characters of the text (punctuation is not counted).
"""

from __future__ import annotations

import sys
from pathlib import Path

from pyvi import ViTokenizer

from search.analysis import segment

GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "segmentation_gold.txt"


def spans(words: list[str]) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for w in words:
        n = sum(ch.isalnum() for ch in w)  # punctuation is not counted, nor kept by us
        if n:
            out.add((pos, pos + n))
        pos += n
    return out


def f1(pairs: list[tuple[set[tuple[int, int]], set[tuple[int, int]]]]) -> tuple[float, ...]:
    tp = sum(len(g & p) for g, p in pairs)
    gold = sum(len(g) for g, _ in pairs)
    pred = sum(len(p) for _, p in pairs)
    precision, recall = tp / pred, tp / gold
    return precision, recall, 2 * precision * recall / (precision + recall)


def main() -> int:
    lines = [x for x in GOLD.read_text("utf-8").splitlines() if x and not x.startswith("#")]
    raw, ours = [], []
    for line in lines:
        gold = spans(line.split())
        text = line.replace("_", " ")
        raw.append((gold, spans(ViTokenizer.tokenize(text).split())))
        ours.append((gold, spans(segment(text))))
    for name, pairs in (("raw pyvi", raw), ("vnsearch", ours)):
        p, r, f = f1(pairs)
        print(f"{name:<9} precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}  ({len(lines)} sentences)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

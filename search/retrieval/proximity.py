"""Second-stage ranking: reward passages whose query words stand close
together and in order.

Whoosh reads positions for every match when proximity is a query clause,
which is what made multi-word queries slow on large indexes; here only the
top ``WINDOW`` passages by BM25 are re-ranked, from their cached tokens. The
window is fixed, so pages cut from the same ranking always agree."""

from __future__ import annotations

from collections.abc import Sequence

from search.retrieval.highlight import Pattern, occurrences

WINDOW = 200  # passages re-ranked; ranks beyond it keep the BM25 order
WEIGHT = 0.15  # bonus, as a share of the best BM25 score, for words side by side
SLOP = 4  # words further apart than this (beyond adjacency) earn nothing


def bonus(text: str, words: Sequence[Pattern]) -> float:
    """1.0 when every word follows the previous one directly, less as gaps grow."""
    if len(words) < 2:
        return 0.0
    starts = [sorted(occurrences(text, w)) for w in words]
    if any(not s for s in starts):
        return 0.0
    best = 0.0
    for _, first_end in starts[0]:
        gap_total, end, ok = 0, first_end, True
        for occ in starts[1:]:
            nxt = next(((s, e) for s, e in occ if s >= end), None)
            if nxt is None:
                ok = False
                break
            gap_total += nxt[0] - end
            end = nxt[1]
        if ok:
            closeness = max(0.0, 1.0 - gap_total / (8.0 * SLOP * len(words)))
            best = max(best, closeness)
    return best


def rerank(scored: list[tuple[str, float]], words: Sequence[Pattern]) -> list[int]:
    """New order (indexes into ``scored``, a list of (text, score)) for the window."""
    if len(words) < 2 or not scored:
        return list(range(len(scored)))
    top = max(score for _, score in scored) or 1.0
    keyed = [(score + WEIGHT * top * bonus(text, words), -i, i)
             for i, (text, score) in enumerate(scored)]
    return [i for _, _, i in sorted(keyed, reverse=True)]

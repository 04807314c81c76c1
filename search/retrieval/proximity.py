"""Second-stage ranking: reward passages whose query words stand close
together and in order.

Whoosh reads positions for every match when proximity is a query clause,
which is what made multi-word queries slow on large indexes; here only the
top ``WINDOW`` passages by BM25 are re-ranked. The window is fixed, so pages
cut from the same ranking always agree.

Words are found by regular expressions over the passage's folded text rather
than by re-tokenising it: the bonus needs only the gaps between words, and
tokenising 50 passages per query cost more than the search itself."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from search.analysis.fold import fold_text
from search.retrieval.highlight import Pattern, occurrences

WINDOW = 50  # passages re-ranked; ranks beyond it keep the BM25 order
WEIGHT = 0.15  # bonus, as a share of the best BM25 score, for words side by side
SLOP = 4  # words further apart than this (beyond adjacency) earn nothing


@lru_cache(maxsize=256)
def _regex(folded: tuple[str, ...]) -> re.Pattern[str] | None:
    """Syllables in sequence, whole, anything but letters and digits between;
    None for numbers and dates, whose indexed form differs from the text."""
    if not all(s.isalpha() for s in folded):
        return None
    return re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, folded)) + r"(?!\w)")


def spans(text: str, folded_text: str, pat: Pattern) -> list[tuple[int, int]]:
    """Where ``pat`` occurs; offsets into ``folded_text`` (or ``text`` on the slow path)."""
    regex = _regex(pat.folded) if not (pat.regex or pat.distance) else None
    if regex is None:
        return occurrences(text, pat)
    return [m.span() for m in regex.finditer(folded_text)]


def bonus(text: str, words: Sequence[Pattern]) -> float:
    """Near 1.0 when every word follows the previous one directly (a space apart),
    less as the gaps, counted in characters, grow."""
    if len(words) < 2:
        return 0.0
    folded_text = passage_folded(text)
    starts = [sorted(spans(text, folded_text, w)) for w in words]
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


@lru_cache(maxsize=256)
def passage_folded(text: str) -> str:
    """A passage lowercased and folded: the same top passages come back when a page
    is read again (to list wire copies once) and query after query."""
    return fold_text(text.lower())


def rerank(scored: list[tuple[str, float]], words: Sequence[Pattern],
           typed: Sequence[Pattern] = ()) -> list[int]:
    """New order (indexes into ``scored``, a list of (text, score)) for the window:
    first by how many of the ``typed`` spellings (words that also have variants) a
    passage holds, so a variant never outranks the spelling typed; then by score
    with the bonus for ``words`` standing close together."""
    if (len(words) < 2 and not typed) or not scored:
        return list(range(len(scored)))
    top = max(score for _, score in scored) or 1.0
    keyed = [(sum(1 for p in typed if occurrences(text, p)),
              score + (WEIGHT * top * bonus(text, words) if len(words) >= 2 else 0.0), -i, i)
             for i, (text, score) in enumerate(scored)]
    return [i for *_, i in sorted(keyed, reverse=True)]

"""Plain queries of any length: bare words as people type them, or paste them.

A search box gets keywords (``Sullivan cảnh báo``) and whole questions
(``Ai có được nhiều lần vật ngã nhất trong đội mùa này?``). One rule serves both:

1. **Function and question words** (:mod:`search.query.function_words`) neither
   decide a match nor score, unless the query holds nothing else.
2. **Full matches first**: passages holding every other word, ranked as any
   query is (BM25, then closeness of the words in the re-ranked window).
3. **Then every passage holding some of the words** (when the full matches are
   few), ranked by BM25 times a coordination factor: the share of the query's
   weight (each word's IDF) the passage holds, to the power ``COORD``. No fixed
   share of the words is required, so an answer that rephrases most of a
   question is still found. These are marked partial, with the words they miss.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from search.analysis.normalize import normalize
from search.backends.base import RawHit
from search.plan.lower import exact_forms
from search.query.ast import Analysed, AtLeast, Node, Or, Word
from search.query.function_words import function_mask
from search.retrieval.highlight import Pattern, occurrences
from search.retrieval.proximity import passage_folded
from search.retrieval.view import View
from search.schema import FOLD, SYL, WFOLD

COORD = 2.0  # how strongly holding more of the words counts (0: plain BM25 sum)
WINDOW = 100  # partial matches re-ranked by coordination; beyond, BM25 order


def first_word(unit: Node) -> Word | None:
    """The word of a unit (the spelling typed, when variants were added)."""
    if isinstance(unit, Word):
        return unit
    if isinstance(unit, Or) and unit.children and isinstance(unit.children[0], Word):
        return unit.children[0]
    return None


@dataclass(frozen=True)
class Split:
    """A plain query's words: those that decide and score, and the rest."""

    content: tuple[Analysed, ...]
    function: tuple[Analysed, ...]


def split(units: Sequence[Analysed]) -> Split:
    words = [first_word(u) for u in units]
    if any(w is None for w in words):
        return Split(tuple(units), ())
    mask = function_mask([w for w in words if w is not None])
    content = tuple(u for u, m in zip(units, mask, strict=True) if not m)
    if not content:  # only function words ("Ai", "ai là ai"): searched as typed
        return Split(tuple(units), ())
    return Split(content, tuple(u for u, m in zip(units, mask, strict=True) if m))


_SYLLABLE = re.compile(r"\w+")


@lru_cache(maxsize=256)
def _exact_syllables(text: str) -> frozenset[str]:
    """The passage's syllables as the index reads them (normalised, lowercase)."""
    return frozenset(_SYLLABLE.findall(normalize(text).lower()))


@dataclass(frozen=True)
class Probe:
    """How to tell fast whether a passage holds a unit: its folded syllables in
    sequence, and each syllable typed with a mark present as typed."""

    patterns: tuple[Pattern, ...]
    marked: tuple[frozenset[str], ...]  # per pattern: syllables that must be exact


@lru_cache(maxsize=1024)
def probe(unit: Node) -> Probe:
    kids = unit.children if isinstance(unit, Or) else (unit,)
    words = [k if isinstance(k, Word) else getattr(k, "word", None) for k in kids]
    return Probe(tuple(Pattern(w.folded) for w in words if isinstance(w, Word)),
                 tuple(frozenset(e for e in exact_forms(w) if e is not None)
                       for w in words if isinstance(w, Word)))


def _number(digits: str) -> str:
    """A number as the text may write it: ``175000`` as ``175.000`` or ``175,000``."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return "[.,]?".join(groups)


@lru_cache(maxsize=1024)
def _regex(folded: tuple[str, ...]) -> re.Pattern[str] | None:
    """Folded syllables in sequence, whole words; None for dates and other tokens
    whose indexed form differs from the text (they take the slow, exact path)."""
    parts = []
    for s in folded:
        if s.isalpha():
            parts.append(re.escape(s))
        elif s.isdigit():
            parts.append(_number(s))
        else:
            return None
    return re.compile(r"(?<!\w)" + r"\W+".join(parts) + r"(?!\w)")


def holds(text: str, unit: Node) -> bool:
    """Does the passage hold the unit (any of its spellings), by the tone-mark rule?
    A marked syllable is checked anywhere in the passage, not at its position: a
    cheap test for ranking, exact enough to say which words a passage misses."""
    p = probe(unit)
    folded = passage_folded(text)
    for pat, marked in zip(p.patterns, p.marked, strict=True):
        regex = _regex(pat.folded)
        found = regex.search(folded) if regex is not None else occurrences(text, pat)
        if found and (not marked or marked <= _exact_syllables(text)):
            return True
    return False


def known(view: View, unit: Analysed) -> bool:
    """Does the index hold every syllable of the unit (marked ones as typed)? A cheap
    stand-in for counting its matches, where only presence matters."""
    w = first_word(unit)
    if w is None:
        return view.count(unit) > 0
    return all(view.doc_frequency(FOLD, f) if e is None else view.doc_frequency(SYL, e)
               for f, e in zip(w.folded, exact_forms(w), strict=True))


def weight(view: View, unit: Node) -> float:
    """The unit's IDF-like weight: rarer words count for more of the coordination."""
    w = first_word(unit)
    if w is None:
        return 1.0
    field, term = (WFOLD, " ".join(w.folded)) if len(w.folded) > 1 else (FOLD, w.folded[0])
    df = view.doc_frequency(field, term)
    return 1.0 / math.log(2.0 + df)


def partial_matches(view: View, content: Sequence[Analysed], n: int,
                    exclude: set[str]) -> tuple[int, list[tuple[RawHit, tuple[Analysed, ...]]]]:
    """Passages holding at least one of ``content`` (none of ``exclude``), the best
    ``n`` by BM25 times coordination, each with the units it misses."""
    total, raw = view.search(AtLeast(tuple(content), 1), max(WINDOW, n), 0, exclude=exclude)
    weights = [weight(view, u) for u in content]
    whole = sum(weights) or 1.0
    scored = []
    for i, r in enumerate(raw):
        have = [holds(r.stored["text"], u) for u in content]
        share = sum(w for w, h in zip(weights, have, strict=True) if h) / whole
        score = r.score * share ** COORD
        missing = tuple(u for u, h in zip(content, have, strict=True) if not h)
        scored.append((score, -i, RawHit(r.stored, score), missing))
    # the window is fixed, so pages cut from the same ranking agree; beyond, BM25 order
    ordered = sorted(scored[:WINDOW], key=lambda t: (t[0], t[1]), reverse=True) + scored[WINDOW:]
    return total, [(hit, missing) for _s, _i, hit, missing in ordered[:n]]

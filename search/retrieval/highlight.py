"""Where a query matched inside a passage, as character offsets.

Matching is redone on the passage's own tokens by the tone-mark rule the plan
decides (:func:`search.plan.lower.exact_forms`: a syllable typed with marks
matches only itself, a bare one every accented form: ``dam bao`` lights up
``đảm bảo``, ``ống`` never lights up ``ông``);
offsets point into the text as stored, so NFD text and old tone placement get
correct spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from search.analysis import Token, fold, tokenize
from search.plan.expand import edit_distance, wildcard_regex
from search.plan.lower import exact_form, exact_forms
from search.query.ast import FuzzyWord, Node, Sequence, TermPattern, Variant, Word
from search.query.tree import positive, walk


@dataclass(frozen=True, slots=True)
class Pattern:
    """Syllables to find in order: ``folded`` always, and where a query syllable
    was typed with marks, ``exact`` holds it (None: any form)."""

    folded: tuple[str, ...]
    exact: tuple[str | None, ...] = ()
    regex: re.Pattern[str] | None = None  # a wildcard: one syllable matching it
    distance: int = 0  # fuzzy: edit distance allowed


def word_pattern(word: Word) -> Pattern:
    exact = exact_forms(word)
    return Pattern(word.folded, exact if any(e is not None for e in exact) else ())


def _one(text: str, *, wildcard: bool = False, distance: int = 0) -> Pattern:
    """A one-syllable pattern or fuzzy term, by the plan's tone-mark rule."""
    exact, folded = exact_form(text), fold(text)
    return Pattern((folded,), () if exact is None else (exact,),
                   regex=wildcard_regex(exact or folded) if wildcard else None, distance=distance)


def _leaf_patterns(node: Node) -> list[Pattern]:
    """What one text-field leaf lights up."""
    if isinstance(node, Word):
        return [word_pattern(node)]
    if isinstance(node, Variant):
        return [word_pattern(node.word)]
    if isinstance(node, Sequence):
        whole = word_pattern(node.word)
        if node.slop is not None:
            return [Pattern((f,), (e,) if e else ()) for f, e in
                    zip(whole.folded, whole.exact or (None,) * len(whole.folded), strict=True)]
        return [whole]
    if isinstance(node, TermPattern):
        return [_one(node.pattern, wildcard=True)]
    if isinstance(node, FuzzyWord):
        return [_one(node.syllable, distance=node.edits)]
    return []


def patterns(node: Node, field: str = "text") -> list[Pattern]:
    """The positive text-field leaves of an analysed query."""
    return [p for leaf, where in walk(node, field, into=positive) if where == "text"
            for p in _leaf_patterns(leaf)]


@lru_cache(maxsize=4096)
def _folded_tokens(text: str) -> tuple[tuple[Token, ...], tuple[str, ...], tuple[str, ...]]:
    """A passage's tokens, their lowercased and their folded forms: the same
    passages come back query after query, and once per query word when partial
    hits are checked."""
    tokens = tokenize(text)
    lower = tuple(t.text.lower() for t in tokens)
    return tuple(tokens), lower, tuple(fold(s) for s in lower)


def _syllable_ok(pat: Pattern, lower: str, folded: str) -> bool:
    exact = pat.exact[0] if pat.exact else None
    seen = lower if exact is not None else folded
    want = exact if exact is not None else pat.folded[0]
    if pat.regex is not None:
        return pat.regex.fullmatch(seen) is not None
    return edit_distance(seen, want, pat.distance) <= pat.distance


def occurrences(text: str, pat: Pattern) -> list[tuple[int, int]]:
    """Character spans of one pattern in ``text`` (token-aligned)."""
    tokens, lower, folded = _folded_tokens(text)
    n = len(pat.folded)
    out = []
    for i in range(len(tokens) - n + 1):
        if pat.regex is not None or pat.distance:
            ok = _syllable_ok(pat, lower[i], folded[i])
        else:
            ok = folded[i : i + n] == pat.folded and (not pat.exact or all(
                e is None or e == s for e, s in zip(pat.exact, lower[i : i + n], strict=True)))
        if ok:
            out.append((tokens[i].start, tokens[i + n - 1].end))
    return out


def highlight(text: str, pats: list[Pattern]) -> list[list[int]]:
    """Sorted ``[start, end)`` spans of every pattern occurrence; adjacent ones merged."""
    if not pats:
        return []
    spans = [span for pat in pats for span in occurrences(text, pat)]
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and (s <= merged[-1][1] or not text[merged[-1][1] : s].strip()):
            # overlapping, or only white space between: one highlight
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return merged
